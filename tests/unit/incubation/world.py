"""The incubation service on fakes: a FakeUnitOfWork with its repositories and views, a
ManualClock and a fake registry; people and seeded aggregates for handler unit tests."""

from services.common.clock import ManualClock
from services.common.identity import Principal
from services.incubation.domain import green_channel, incubators, stations, vocab
from services.incubation.domain.stations import StationStatus
from services.incubation.service_layer.deps import Deps
from tests.unit.fakes import FakeRegistry, FakeRepository, FakeUnitOfWork, FakeViews

OPERATOR = Principal("op-1", "org-platform", "BEIJING", frozenset({"operator"}))
HOST = Principal("st-1", "org-host", "TIANJIN", frozenset({"station"}))
UNIV = Principal("u-1", "org-univ", "BEIJING", frozenset({"institution"}))
ENTERPRISE = Principal("e-1", "org-ent", "HEBEI", frozenset({"enterprise"}))
PARTNER_HB = Principal("p-1", "org-hb", "HEBEI", frozenset({"partner"}))
STRANGER = Principal("x-1", "org-other", "BEIJING", frozenset({"enterprise"}))
ACHIEVEMENT = {"achievement_id": "ach-1", "status": "REGISTERED", "organisation": "org-univ", "region": "BEIJING",
               "title": "RF chip", "field": "5g"}
RECEIVER = {"organisation": "org-ent", "region": "HEBEI", "kind": "ENTERPRISE"}


def reporting(found, year):
    return [s for s in found if s.status in (StationStatus.ACTIVE, StationStatus.SUSPENDED) and s.report(year)]


def matching(found, region="", sponsor=""):
    return [i for i in found if (not region or i.region == region) and (not sponsor or i.sponsor == sponsor)]


def world(*achievements: dict, unavailable: bool = False, **views):
    every_case = lambda cases, now: [c.case_id for c in cases]  # noqa: E731 - a superset: check_sla decides
    uow = FakeUnitOfWork(stations=FakeRepository("station_id", "station", reporting=reporting),
                         incubators=FakeRepository("incubator_id", "incubator", matching=matching),
                         cases=FakeRepository("case_id", "case", due_for_sla=every_case),
                         views=FakeViews(**views))
    deps = Deps(uow=lambda: uow, clock=ManualClock(), registry=FakeRegistry(*achievements, unavailable=unavailable))
    return uow, deps


def active_station(deps, station_id="st-a", name="Tianjin station") -> stations.Station:
    station = stations.apply(station_id, HOST, deps.clock.now(), name, "TIANJIN", ["testing"])
    station.move("approve", OPERATOR.subject, deps.clock.now())
    return station


def incubator(deps, incubator_id="inc-1", region="TIANJIN") -> incubators.Incubator:
    return incubators.register(incubator_id, UNIV, deps.clock.now(), "Univ incubator", region, "Wuqing")


def case(deps, station, case_id="case-1"):
    return green_channel.submit(case_id, UNIV, deps.clock.now(), ACHIEVEMENT, station, RECEIVER, "licence",
                                ["consulting"], "", dict(vocab.DEFAULT_SLA_DAYS), vocab.DEFAULT_WARNING_RATIO)
