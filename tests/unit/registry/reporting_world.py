"""The registry's reporting half on fakes (annual reports, oversight lists, funded projects,
technology reports, saved searches, export): a FakeUnitOfWork whose named queries mirror
services/registry/adapters/{annual,report}_repositories.py, a ManualClock (Monday 5 January
2026, 09:00 UTC) and the people of the tests."""

from dataclasses import dataclass

from services.common.aggregate import Aggregate
from services.common.clock import ManualClock
from services.common.identity import Principal
from services.registry.domain import annual_report as ar
from services.registry.domain import obligation, tech_report
from services.registry.service_layer.deps import Deps
from tests.unit.fakes import FakeRepository, FakeUnitOfWork, FakeViews

OPERATOR = Principal("op-1", "org-platform", "BEIJING", frozenset({"operator"}))
SUPERVISOR = Principal("s-1", "sup-hb", "HEBEI", frozenset({"supervisor"}))
OTHER_SUPERVISOR = Principal("s-2", "sup-tj", "TIANJIN", frozenset({"supervisor"}))
UNIV = Principal("u-1", "org-univ", "HEBEI", frozenset({"institution"}))
COLLEGE = Principal("c-1", "org-college", "HEBEI", frozenset({"institution"}))
STRANGER = Principal("x-1", "org-other", "BEIJING", frozenset({"institution"}))
DEALS = {"transfer": {"count": 2, "amount": "1000000.00"}, "licence": {"count": 1, "amount": "500000.00"}}


@dataclass(kw_only=True)
class OwnedAchievement(Aggregate):
    """What the technology-report handler reads of an achievement: its owner."""
    achievement_id: str
    organisation: str


def of_year(reports, year, supervisor=""):
    return sorted((r for r in reports if r.year == year and (not supervisor or r.supervisor == supervisor)),
                  key=lambda r: r.report_id)


def statuses(reports, year):
    return {r.organisation: r.status for r in reports if r.year == year}


def overseers_of(lists, organisation):
    return sorted(o.supervisor for o in lists if organisation in o.institutions)


def in_scope(lists, supervisor=""):
    return sorted((o for o in lists if not supervisor or o.supervisor == supervisor), key=lambda o: o.supervisor)


def ended_before(projects, day, holder="", pending_only=False):
    return sorted((p for p in projects if p.end_date < day and (not holder or p.holder == holder)
                   and not (pending_only and p.met)), key=lambda p: p.project_code)


def holders_for(reports, project_code, achievement_ids):
    return sorted({r.holder for r in reports if r.project_code == project_code or
                   (r.achievement_id and r.achievement_id in achievement_ids)})


def active_of(searches, owner):
    return [s for s in searches if s.owner == owner and s.active]


def candidates(searches, terms):
    return [s for s in searches if s.active and (not s.index_terms() or set(s.index_terms()) & set(terms))]


def world(registered: dict[str, list[str]] | None = None, exported: list[dict] | None = None, windows=None):
    """`registered`: project code -> ids of its REGISTERED achievements; `exported`: the
    achievement documents the export view streams."""
    async def stream(query):
        for doc in exported or []:
            yield doc
    uow = FakeUnitOfWork(
        annual_reports=FakeRepository("report_id", "annual report", of_year=of_year, statuses=statuses),
        oversights=FakeRepository("supervisor", "oversight list", overseers_of=overseers_of, in_scope=in_scope),
        funded_projects=FakeRepository("project_code", "funded project", ended_before=ended_before),
        tech_reports=FakeRepository("report_id", "technology report", holders_for=holders_for),
        saved_searches=FakeRepository("saved_search_id", "saved search", active_of=active_of,
                                      candidates=candidates),
        achievements=FakeRepository("achievement_id", "achievement"),
        reporting=FakeViews(registered_for_project=lambda code: list((registered or {}).get(code, [])),
                            registered_achievements=stream))
    deps = Deps(uow=lambda: uow, clock=ManualClock(), achievements=None, counters=None, report_windows=windows)
    return uow, deps


def funded(deps, code="ZX-1", holder="org-univ", end_date="2026-01-01") -> obligation.FundedProject:
    return obligation.register(OPERATOR, deps.clock.now(), project_code=code, fiscal_plan="国家重点研发计划",
                               holder=holder, end_date=end_date, title="结题")


def filed_report(deps, actor=UNIV, project_code="ZX-1", achievement_id="", owner=None, sharing="CONFIDENTIAL",
                 report_id="tr-1") -> tech_report.TechReport:
    return tech_report.file(report_id, actor, deps.clock.now(), title="技术报告", sharing=sharing, content="正文",
                            achievement_id=achievement_id, project_code=project_code, achievement_owner=owner)


def annual(deps, org="org-univ", year=2025, supervisor="sup-hb", status="FILED") -> ar.AnnualReport:
    r = ar.new(org, year, supervisor, deps.clock.now(), None)
    r.status = status
    return r
