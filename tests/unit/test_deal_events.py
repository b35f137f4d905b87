"""The four deal events, as the domains make them, convert strictly to their proto messages,
embed one bth.common.v1.Deal, and the statistics read exactly that deal from each."""

from datetime import UTC, datetime

from services.common.contracts import contract_for, to_message, to_plain
from services.common.envelope import Envelope
from services.incubation.domain import commands as ic
from services.incubation.service_layer import handlers as incubation
from services.procurement.domain import commands as pc
from services.procurement.service_layer import handlers as procurement
from services.registry.domain import commands as rc
from services.registry.domain.statistics import Deal as Cell
from services.registry.service_layer import handlers as registry
from services.registry.service_layer.statistics import deal_of
from tests.unit.incubation import world as iw
from tests.unit.procurement import world as pw
from tests.unit.registry import lifecycle_world as rw


def read_back(event, package: str):
    """The event as the outbox writes it (strict conversion) and what the statistics count of it."""
    contract = contract_for(event, package)
    message = to_message(to_plain(event), contract.message)
    envelope = Envelope(id="ev-1", type=contract.type, source="/test", subject="s",
                        time=datetime(2001, 1, 1, tzinfo=UTC), data=b"")
    return message.deal, deal_of(envelope, message)


async def test_a_registered_contract_carries_its_deal():
    uow, deps = rw.world()
    uow.contracts.seed(rw.filed(deps, "con-1", amount="1000.50"))
    await registry.handle(rc.RegisterContract(rw.OPERATOR, "con-1"), deps)
    deal, cell = read_back(uow.events[0], "bth.registry.v1")
    assert (deal.kind, deal.from_party, deal.to_party, deal.source_id) == ("licence", "org-univ", "org-buyer", "con-1")
    assert cell == Cell(f"{deps.clock.now():%Y-%m}", "5g", "BEIJING", "HEBEI", 100050)


async def test_a_recorded_transformation_carries_its_deal():
    uow, deps = rw.world()
    uow.achievements.seed(rw.registered(deps))
    a = await registry.handle(rc.RecordTransformation(rw.UNIV, "ach-1", "equity", "Shanghai Co", "OTHER", "20.00",
                                                      "2026-01-02"), deps)
    deal, cell = read_back(uow.events[0], "bth.registry.v1")
    assert (deal.kind, deal.date, deal.from_party, deal.to_party) == ("equity", "2026-01-02", "org-univ", "Shanghai Co")
    assert deal.source_id == a.transformations[0].transformation_id == uow.events[0].note
    assert cell == Cell("2026-01", a.field, "BEIJING", "OTHER", 2000)


async def test_an_award_carries_its_deal():
    uow, deps = pw.world()
    uow.products.seed(pw.listed(deps, region="HEBEI"))
    uow.demands.seed(pw.open_demand(deps))
    made = await procurement.handle(pc.MakeAward(pw.BUYER, "d-1", "p-1", "850000.00", deps.clock.now()), deps)
    deal, cell = read_back(uow.events[1], "bth.procurement.v1")
    assert (deal.kind, deal.from_party, deal.to_party, deal.source_id) == ("award", "org-vendor", "org-buyer",
                                                                           made.award_id)
    assert cell == Cell(f"{deps.clock.now():%Y-%m}", "digital-manufacturing", "HEBEI", "TIANJIN", 85000000)


async def test_a_landed_case_carries_its_deal():
    uow, deps = iw.world()
    uow.cases.seed(iw.case(deps, iw.active_station(deps)))
    for action in ("accept", "review", "approve"):
        await incubation.handle(ic.ActOnCase(iw.HOST, "case-1", action, ""), deps)
    await incubation.handle(ic.ActOnCase(iw.HOST, "case-1", "land", "signed", "880000.00"), deps)
    deal, cell = read_back(uow.events[-1], "bth.incubation.v1")
    assert (deal.kind, deal.from_party, deal.to_party, deal.source_id) == ("licence", "org-univ", "org-ent", "case-1")
    assert cell == Cell(f"{deps.clock.now():%Y-%m}", "5g", "BEIJING", "HEBEI", 88000000)
