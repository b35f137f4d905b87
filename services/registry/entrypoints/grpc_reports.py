"""The RPC table of technology reports, saved searches and the open-data export (translation
only: request → command → bus → reply); grpc_api.py adds it to the registry servicer's table."""

from bth.registry.v1 import saved_search_pb2 as spb
from bth.registry.v1 import tech_report_pb2 as tpb
from services.common.contracts import to_dict
from services.common.rpc import reply, rpc, stream
from services.registry.domain import report_commands as c
from services.registry.domain.saved_search import SavedQuery

_saved = reply(spb.SavedSearch)


def _report(cls, *fields):
    return rpc(lambda req, who: cls(who, req.report_id, *(getattr(req, f) for f in fields)), reply(tpb.TechReport))


METHODS = {
    "FileTechReport": rpc(lambda req, who: c.FileTechReport(who, **to_dict(req)), reply(tpb.TechReport)),
    "GetTechReport": _report(c.GetTechReport),
    "RequestReportAccess": _report(c.RequestReportAccess, "reason"),
    "DecideReportAccess": _report(c.DecideReportAccess, "request_id", "grant", "note"),
    "SaveSearch": rpc(lambda req, who: c.SaveSearch(who, req.name, SavedQuery(**to_dict(req.query))), _saved),
    "ListSavedSearches": rpc(lambda req, who: c.ListSavedSearches(who),
                             lambda items: spb.SavedSearchList(items=[_saved(s) for s in items])),
    "DeleteSavedSearch": rpc(lambda req, who: c.DeleteSavedSearch(who, req.saved_search_id), _saved),
    "ExportAchievements": stream(lambda req, who: c.ExportAchievements(actor=who, **to_dict(req)),
                                 reply(spb.PublicAchievement)),
}
