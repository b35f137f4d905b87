"""The RPC table of technology reports, saved searches and the open-data export (translation
only: request → command → bus → reply); grpc_api.py adds it to the registry servicer's table."""

from bth.registry.v1 import saved_search_pb2 as spb
from bth.registry.v1 import tech_report_pb2 as tpb
from services.common.contracts import to_dict
from services.common.rpc import from_request, reply, rpc, stream
from services.registry.domain import report_commands as c
from services.registry.domain.saved_search import SavedQuery

_saved = reply(spb.SavedSearch)


def _report(cls):
    return rpc(from_request(cls), reply(tpb.TechReport))


METHODS = {
    "FileTechReport": _report(c.FileTechReport),
    "GetTechReport": _report(c.GetTechReport),
    "RequestReportAccess": _report(c.RequestReportAccess),
    "DecideReportAccess": _report(c.DecideReportAccess),
    "SaveSearch": rpc(lambda req, who: c.SaveSearch(who, req.name, SavedQuery(**to_dict(req.query))), _saved),
    "ListSavedSearches": rpc(from_request(c.ListSavedSearches),
                             lambda items: spb.SavedSearchList(items=[_saved(s) for s in items])),
    "DeleteSavedSearch": rpc(from_request(c.DeleteSavedSearch), _saved),
    "ExportAchievements": stream(from_request(c.ExportAchievements), reply(spb.PublicAchievement)),
}
