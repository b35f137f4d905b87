"""Work queues: one GET route per bth.common.v1.WorkQueue value (REST name: lower case, "-" for
"_"), each → its owning service's queue RPC. Same filters, sort and cursor everywhere; the
service checks the filters against the queue's rule and scopes the items to the caller."""

from datetime import UTC, datetime

from fastapi import APIRouter, Query, Request
from google.protobuf import message_factory

from bth.common.v1 import common_pb2
from bth.incubation.v1 import incubation_service_pb2
from bth.procurement.v1 import procurement_service_pb2
from bth.registry.v1 import registry_service_pb2
from services.common.contracts import to_dict
from services.common.vocab import WORK_QUEUES
from services.gateway.routes.answers import Page
from services.gateway.routes.base import who
from services.gateway.routes.enums import Region

router = APIRouter(prefix="/api/v1/queues", tags=["queues"])

# queue: (service, RPC, who reads it, what it holds)
QUEUES = {
    "REVIEW": ("registry", "AchievementQueue", "supervisor (its overseen institutions), operator",
               "Submitted achievements awaiting formal review, oldest first (by creation). state: SUBMITTED."),
    "ANNUAL_REPORTS": ("registry", "AnnualReportQueue", "supervisor (its own institutions), operator",
                       "Annual transformation reports to review, by the supervisor's deadline. state: FILED "
                       "(default), RETURNED, APPROVED, MISSING; no region."),
    "SCORING": ("procurement", "ProductQueue", "expert",
                "Catalog applications under review this expert has not scored (their own organisation's left "
                "out), oldest first."),
    "OBJECTIONS": ("registry", "AchievementQueue", "operator",
                   "Achievements in the public notice with an open objection, by the notice's end."),
    "NOTICES_ENDING": ("registry", "AchievementQueue", "operator",
                       "Achievements in the 公示 public notice, by the notice's end date."),
    "FIRST_SET_DECISIONS": ("procurement", "ProductQueue", "operator, expert",
                            "Listed products whose first-set (首台套) application awaits a decision, oldest first. "
                            "state: the first-set application's (APPLIED)."),
    "CLAIMS": ("procurement", "ClaimQueue", "operator",
               "First-set insurance claims to review or settle, oldest first. state: APPLIED, REVIEWED "
               "(default both), PAID, REFUSED."),
    "STATION_APPROVALS": ("incubation", "StationQueue", "operator",
                          "Cooperation stations applied for, oldest first. state: APPLIED (default), ACTIVE, "
                          "SUSPENDED, REJECTED."),
    "OVERDUE_OBLIGATIONS": ("registry", "ObligationQueue", "operator",
                            "Fiscal funded projects flagged overdue on their obligations (ObligationOverdue), "
                            "by end date. No state, no region."),
    "SLA_BREACHES": ("incubation", "CaseQueue", "operator",
                     "Open green-channel cases past their stage's SLA (per the platform clock), by due date. "
                     "state: an open stage."),
    "MY_DEMANDS": ("procurement", "DemandQueue", "buyer (own unit)",
                   "The buyer unit's demands by deadline. state: OPEN (default), AWARDED."),
    "MY_AWARDS": ("procurement", "AwardQueue", "buyer (own unit)",
                  "The buyer unit's awards, oldest first. region: the buyer's or the vendor's; no state."),
    "MY_DRAFTS": ("registry", "AchievementQueue", "institution, enterprise (own organisation)",
                  "Own drafts and achievements returned for revision (edit with PATCH /api/v1/achievements/{id}), "
                  "oldest first. state: DRAFT, RETURNED."),
    "MY_CASES": ("incubation", "CaseQueue", "station (its host organisation)",
                 "The station's open green-channel cases by their stage's SLA due date. state: an open stage."),
}
assert set(QUEUES) == set(WORK_QUEUES), "every WorkQueue of proto/bth/common/v1/common.proto has one route"

CONVENTIONS = ("\n\nFilters: `state` (one of the queue's states), `region`, `due_before` (RFC 3339; queues whose "
               "items have a due date) — a filter the queue's items lack is a 400 naming it. Oldest first (by due "
               "date where there is one, else by creation time); `page_size` 1–200 (default 20); pass "
               "`next_cursor` back as `cursor` (empty on the last page).")


SERVICES = {"registry": registry_service_pb2.DESCRIPTOR.services_by_name["RegistryService"],
            "procurement": procurement_service_pb2.DESCRIPTOR.services_by_name["ProcurementService"],
            "incubation": incubation_service_pb2.DESCRIPTOR.services_by_name["IncubationService"]}


def page_of(service: str, method: str) -> type:
    """The reply message of a queue RPC (a page of its records): what the route answers."""
    return message_factory.GetMessageClass(SERVICES[service].methods_by_name[method].output_type)


def path_of(queue: str) -> str:
    return "/" + queue.lower().replace("_", "-")


def action_of(queue: str) -> str:
    return "queue." + queue.lower().replace("_", "-")


def _route(queue: str, service: str, method: str, readers: str, description: str) -> None:
    async def route(request: Request, p: who(action_of(queue)), state: str = Query("", max_length=40),
                    region: Region | None = None, due_before: datetime | None = None,
                    page_size: int = Query(20, ge=1, le=200), cursor: str = Query("", max_length=400)
                    ) -> dict:
        req = common_pb2.QueueRequest(queue=common_pb2.WorkQueue.Value(queue), state=state, region=region or "",
                                      page_size=page_size, cursor=cursor)
        if due_before is not None:
            req.due_before.FromDatetime(due_before if due_before.tzinfo else due_before.replace(tzinfo=UTC))
        clients = request.app.state.clients
        reply = await getattr(getattr(clients, service), method)(req, **clients.call_options(p))
        return {"items": [to_dict(i) for i in reply.items], "next_cursor": reply.next_cursor}
    route.__name__ = f"queue_{queue.lower()}"
    route.__annotations__["return"] = Page[page_of(service, method)]
    router.get(path_of(queue), summary=f"Work queue: {queue.lower().replace('_', ' ')} ({readers})",
               description=description + CONVENTIONS)(route)


for _queue, _spec in QUEUES.items():
    _route(_queue, *_spec)
