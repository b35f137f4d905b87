"""The registry's achievement half on fakes (achievements, contracts, packages, counters,
statistics): a FakeUnitOfWork whose named queries mirror services/registry/adapters/
{repositories,views}.py, a ManualClock (Monday 5 January 2026, 09:00 UTC) and the people."""

from services.common.clock import ManualClock
from services.common.identity import Principal
from services.common.plain import to_plain
from services.registry.domain import contract, model, ranking, statistics
from services.registry.domain.model import Status
from services.registry.service_layer.deps import Deps
from tests.unit.fakes import FakeRepository, FakeUnitOfWork

OPERATOR = Principal("op-1", "org-platform", "BEIJING", frozenset({"operator"}))
UNIV = Principal("u-1", "org-univ", "BEIJING", frozenset({"institution"}))
BUYER = Principal("b-1", "org-buyer", "HEBEI", frozenset({"enterprise"}))
STRANGER = Principal("x-1", "org-other", "TIANJIN", frozenset({"enterprise"}))
NOBODY = Principal("n-1")
SUPERVISOR = Principal("s-1", "sup-bj", "BEIJING", frozenset({"supervisor"}))
RECORD = {"title": "5G 射频芯片", "abstract": "低功耗射频前端", "field": "5g", "type": "patent", "trl": 6,
          "keywords": ["射频", "芯片"], "transfer_modes": ["licence"], "funding": {"project_code": "P-1"}}
SELLER = {"organisation": "org-univ", "name": "University", "region": "BEIJING"}
BUYER_PARTY = {"organisation": "org-buyer", "name": "Hebei Co", "region": "HEBEI"}


class FakeStaged:
    """A store of plain values staged in the unit of work like FakeRepository's writes."""

    def __init__(self):
        self.items: dict = {}
        self.uow = None

    def _get(self, key, default):
        return self.uow.staged.get((id(self), key), self.items.get(key, default))

    def _put(self, key, value) -> None:
        assert self.uow.entered, "written outside a unit of work"
        self.uow.staged[(id(self), key)] = value


class FakeCounters(FakeStaged):
    async def next(self, key: str) -> int:
        value = self._get(key, 0) + 1
        self._put(key, value)
        return value


class FakeStatistics(FakeStaged):
    async def count(self, deal) -> None:
        key = f"{deal.month}|{deal.field}|{deal.from_region}|{deal.to_region}"
        cell = dict(self._get(key, {"month": deal.month, "field": deal.field, "from_region": deal.from_region,
                                    "to_region": deal.to_region, "count": 0, "cents": 0}))
        cell["count"], cell["cents"] = cell["count"] + 1, cell["cents"] + deal.cents
        self._put(key, cell)

    async def cells(self, month_from: str = "", month_to: str = "", field: str = "") -> list[dict]:
        return [dict(c) for c in self.items.values()
                if statistics.selected(c["month"], c["field"], month_from, month_to, field)]


def _matches(doc: dict, query: dict) -> bool:
    """The subset of MongoDB filters search uses: equality (also into arrays), $in, $gte/$lte."""
    for key, cond in query.items():
        value = doc.get(key)
        values = value if isinstance(value, list) else [value]
        if isinstance(cond, dict):
            if "$in" in cond and not set(values) & set(cond["$in"]):
                return False
            if ("$gte" in cond and value < cond["$gte"]) or ("$lte" in cond and value > cond["$lte"]):
                return False
        elif cond not in values:
            return False
    return True


def duplicate_of(achievements, a):
    same = (a.organisation, a.title, a.funding.project_code)
    return next((x.achievement_id for x in achievements if x.achievement_id != a.achievement_id
                 and (x.organisation, x.title, x.funding.project_code) == same and x.status in model.LIVE), None)


def notices_due(achievements, now):
    due = [a for a in achievements if a.status == Status.IN_NOTICE and a.notice_ends_at <= now]
    return [a.achievement_id for a in sorted(due, key=lambda a: a.notice_ends_at)]


def _public(achievements, query):
    return [d for a in achievements if a.status in model.PUBLIC and _matches(d := to_plain(a, True), query)]


def ranked(achievements, terms, query, n):
    return ranking.rank(terms, [d for d in _public(achievements, query) if set(d["terms"]) & set(terms)])[:n]


def by_trl(achievements, query, skip, limit):
    docs = sorted(_public(achievements, query), key=lambda d: (-d["trl"], d["achievement_id"]))
    return docs[skip: skip + limit]


def contracts_due(contracts, now):
    return [c.contract_id for c in contracts if c.status == "FILED" and not c.breached and c.due_at <= now]


def world(notice_days: int = 30):
    uow = FakeUnitOfWork(
        achievements=FakeRepository("achievement_id", "achievement", duplicate_of=duplicate_of,
                                    notices_due=notices_due, ranked=ranked, by_trl=by_trl),
        contracts=FakeRepository("contract_id", "contract", due=contracts_due),
        packages=FakeRepository("package_id", "package"),
        oversights=FakeRepository("supervisor", "oversight list"),
        counters=FakeCounters(), statistics=FakeStatistics())
    return uow, Deps(uow=lambda: uow, clock=ManualClock(), notice_days=notice_days)


def drafted(deps, achievement_id="ach-1", actor=UNIV, **changes) -> model.Achievement:
    return model.draft(achievement_id, actor, deps.clock.now(), **{**RECORD, **changes})


def in_notice(deps, achievement_id="ach-1", **changes) -> model.Achievement:
    a = drafted(deps, achievement_id, **changes)
    a.submit(UNIV, deps.clock.now())
    a.approve(OPERATOR, deps.clock.now(), deps.notice_days)
    return a


def registered(deps, achievement_id="ach-1", serial=1, **changes) -> model.Achievement:
    a = in_notice(deps, achievement_id, **changes)
    a.register(OPERATOR, a.notice_ends_at, "110000", serial)
    return a


def filed(deps, contract_id="con-1", amount="1000.00") -> contract.TechnologyContract:
    return contract.file(contract_id, UNIV, deps.clock.now(), 7, type="licence", title="RF licence",
                         seller=SELLER, buyer=BUYER_PARTY, amount=amount, field="5g", achievement_ids=["ach-1"])
