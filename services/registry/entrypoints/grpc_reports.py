"""gRPC methods of technology reports, saved searches and the open-data export (translation only);
grpc_api attaches them to RegistryServicer."""

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import saved_search_pb2 as spb
from bth.registry.v1 import tech_report_pb2 as tpb
from services.common import grpc_server
from services.common.contracts import to_dict, to_message, to_plain
from services.common.host import grpc_method
from services.registry.domain import report_commands as c
from services.registry.domain.saved_search import SavedQuery
from services.registry.service_layer import saved_searches as ss
from services.registry.service_layer import tech_reports as tr


def _report(view: dict) -> tpb.TechReport:
    return to_message(view, tpb.TechReport)


def _saved(s) -> spb.SavedSearch:
    plain = {**to_plain(s), "version": s.version}
    plain.pop("terms", None)
    return to_message(plain, spb.SavedSearch)


def _save_search(req, who) -> c.SaveSearch:
    return c.SaveSearch(who, req.name, SavedQuery(**to_dict(req.query)))


async def _export(self, request, context):
    cmd = c.ExportAchievements(actor=grpc_server.principal(context), **to_dict(request))
    async for record in await ss.export_achievements(cmd, self.deps):
        yield to_message(to_plain(record), spb.PublicAchievement)


METHODS = {
    "FileTechReport": grpc_method(tr.file_tech_report, lambda req, who: c.FileTechReport(who, **to_dict(req)),
                                  _report),
    "GetTechReport": grpc_method(tr.get_tech_report, lambda req, who: c.GetTechReport(who, req.report_id), _report),
    "RequestReportAccess": grpc_method(
        tr.request_report_access, lambda req, who: c.RequestReportAccess(who, req.report_id, req.reason), _report),
    "DecideReportAccess": grpc_method(
        tr.decide_report_access,
        lambda req, who: c.DecideReportAccess(who, req.report_id, req.request_id, req.grant, req.note), _report),
    "SaveSearch": grpc_method(ss.save_search, _save_search, _saved),
    "ListSavedSearches": grpc_method(ss.list_saved_searches, lambda req, who: c.ListSavedSearches(who),
                                     lambda items: spb.SavedSearchList(items=[_saved(s) for s in items])),
    "DeleteSavedSearch": grpc_method(
        ss.delete_saved_search, lambda req, who: c.DeleteSavedSearch(who, req.saved_search_id), _saved),
    "ExportAchievements": _export,
}
__all__ = ["METHODS", "pb"]
