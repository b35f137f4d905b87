"""Station handlers on fakes: returned values, recorded events and state, exactly."""

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.identity import Principal
from services.incubation.domain import commands as c
from services.incubation.domain import stations
from services.incubation.domain.stations import StationStatus
from services.incubation.service_layer import handlers
from tests.unit.incubation.world import HOST, OPERATOR, PARTNER_HB, STRANGER, active_station, world


async def test_apply_station_adds_an_applied_station_and_records_the_application():
    uow, deps = world()
    station = await handlers.handle(c.ApplyStation(HOST, " Tianjin station ", "TIANJIN", ["testing", "training"]),
                                    deps)
    assert (station.status, station.name, station.host_organisation, station.version) == (
        StationStatus.APPLIED, "Tianjin station", "org-host", 1)
    assert list(uow.stations.items) == [station.station_id] and uow.committed == 1
    assert uow.event_names() == ["StationApplied"]
    assert uow.events[0].station == {**uow.events[0].station, "status": "APPLIED", "version": 1}


async def test_apply_station_without_organisation_is_forbidden_and_writes_nothing():
    uow, deps = world()
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.ApplyStation(Principal("anon"), "S", "TIANJIN", ["testing"]), deps)
    assert refused.value.field == "organisation" and uow.stations.items == {} and uow.events == []


async def test_operator_approves_a_station():
    uow, deps = world()
    uow.stations.seed(stations.apply("st-a", HOST, deps.clock.now(), "Tianjin station", "TIANJIN", ["testing"]))
    approved = await handlers.handle(c.ChangeStation(OPERATOR, "st-a", "approve"), deps)
    assert approved.status == StationStatus.ACTIVE and approved.version == 2
    assert uow.stations.items["st-a"].status == StationStatus.ACTIVE and uow.event_names() == ["StationApproved"]


async def test_only_the_operator_changes_a_station_and_refusal_leaves_it_unchanged():
    uow, deps = world()
    uow.stations.seed(active_station(deps))
    with pytest.raises(Forbidden):
        await handlers.handle(c.ChangeStation(HOST, "st-a", "suspend"), deps)
    assert uow.stations.items["st-a"].status == StationStatus.ACTIVE and uow.events == []


async def test_host_files_its_yearly_report_and_a_stranger_may_not():
    uow, deps = world()
    uow.stations.seed(active_station(deps))
    filed = await handlers.handle(c.FileStationReport(HOST, "st-a", 2025, 10, 4, 2), deps)
    assert [(r.year, r.services_delivered, r.filed_by) for r in filed.reports] == [(2025, 10, "st-1")]
    assert uow.event_names() == ["StationReportFiled"] and uow.events[0].year == 2025
    with pytest.raises(Forbidden):
        await handlers.handle(c.FileStationReport(STRANGER, "st-a", 2024, 1, 1, 1), deps)
    assert [r.year for r in uow.stations.items["st-a"].reports] == [2025] and uow.committed == 1


async def test_get_station_reads_without_a_transaction_or_names_the_missing_id():
    uow, deps = world()
    uow.stations.seed(active_station(deps))
    assert (await handlers.handle(c.GetStation(STRANGER, "st-a"), deps)).name == "Tianjin station"
    assert uow.committed == 0
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetStation(STRANGER, "nope"), deps)
    assert missing.value.field == "station_id"


async def test_list_stations_asks_the_view_with_the_checked_filters():
    page = {"items": [{"station_id": "st-a"}], "next_cursor": ""}
    uow, deps = world(station_page=page)
    assert await handlers.handle(c.ListStations(STRANGER, "TIANJIN", "ACTIVE", 5, "abc"), deps) == page
    assert uow.views.calls == [("station_page", (5, "abc"), {"region": "TIANJIN", "status": "ACTIVE"})]
    for bad, field in ((c.ListStations(STRANGER, region="MARS"), "region"),
                       (c.ListStations(STRANGER, status="OPEN"), "status")):
        with pytest.raises(InvalidInput) as refused:
            await handlers.handle(bad, deps)
        assert refused.value.field == field


async def test_rank_stations_orders_by_score_then_name():
    uow, deps = world()
    low, high = active_station(deps, "st-a", "A"), active_station(deps, "st-b", "B")
    silent = active_station(deps, "st-c")
    low.file_report(2025, 1, 0, 0, "st-1", deps.clock.now())
    high.file_report(2025, 1, 1, 1, "st-1", deps.clock.now())
    uow.stations.seed(low, high, silent)
    ranking = await handlers.handle(c.RankStations(STRANGER, 2025), deps)
    assert [(e["rank"], e["station_id"], e["score"]) for e in ranking["entries"]] == [(1, "st-b", 11.0),
                                                                                       (2, "st-a", 4.0)]
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.RankStations(STRANGER, 2027), deps)
    assert refused.value.field == "year"


async def test_dashboard_counts_the_station_cases_for_its_host_and_hides_from_strangers():
    uow, deps = world(station_case_figures=[
        {"stage": "SUBMITTED", "stage_due_at": deps_time(-1), "escalations": 1},
        {"stage": "LANDED", "stage_due_at": deps_time(+5), "amount": "100.50"},
        {"stage": "CLOSED", "amount": "20.00"}])
    uow.stations.seed(active_station(deps))
    board = await handlers.handle(c.GetStationDashboard(HOST, "st-a"), deps)
    assert {k: board[k] for k in ("open_cases", "overdue_cases", "escalations", "landed_cases", "landed_amount")} == {
        "open_cases": 2, "overdue_cases": 1, "escalations": 1, "landed_cases": 2, "landed_amount": "120.50"}
    assert board["cases_by_stage"]["SUBMITTED"] == 1 and board["cases_by_stage"]["CLOSED"] == 1
    assert (await handlers.handle(c.GetStationDashboard(PARTNER_HB, "st-a"), deps))["open_cases"] == 2
    with pytest.raises(NotFound):
        await handlers.handle(c.GetStationDashboard(STRANGER, "st-a"), deps)


def deps_time(days: int):
    from datetime import timedelta

    from services.common.clock import ManualClock
    return ManualClock().now() + timedelta(days=days)
