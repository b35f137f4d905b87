"""The green-channel case board: open cases by stage with SLA colours. Whether a case is late is
the incubation service's judgement (its clock, its working days): the board asks REST for the
overdue cases and reads each case's warning and escalation marks; it computes no deadline."""

from fastapi import APIRouter, Request

from services.gateway.console import render, session

router = APIRouter()
CASES = "/api/v1/incubation/cases"
STAGES = ("SUBMITTED", "ACCEPTED", "REVIEWED", "APPROVED", "LANDED", "CLOSED", "REJECTED", "WITHDRAWN")


def sla(case: dict, overdue_ids: set[str]) -> str:
    """ok | warning | overdue | final, from the service's own marks."""
    stage = case.get("stage", "")
    if not case.get("stage_due_at"):
        return "final"
    if case.get("case_id") in overdue_ids or case.get("escalated_stage") == stage:
        return "overdue"
    if case.get("warned_stage") == stage:
        return "warning"
    return "ok"


@router.get("/cases")
async def board(request: Request, region: str = "", station_id: str = ""):
    me = await session.principal(request)
    api = session.api(request)
    query = {"region": region[:20], "station_id": station_id[:100], "page_size": 200}
    cases = (await api.get(CASES, query)).get("items", [])
    overdue = {c["case_id"] for c in (await api.get(CASES, {**query, "overdue": "true"})).get("items", [])}
    columns = {stage: [] for stage in STAGES}
    for case in cases:
        columns.setdefault(case.get("stage", ""), []).append({**case, "sla": sla(case, overdue)})
    counts = {kind: sum(1 for col in columns.values() for c in col if c["sla"] == kind)
              for kind in ("overdue", "warning", "ok", "final")}
    return render.page(request, "cases.html", me=me, columns=columns, counts=counts, region=region)
