"""The cooperation-station lifecycle through the REST gateway (real HTTP, gRPC, Mongo and broker):
a Tianjin host organisation applies → the operator approves (ACTIVE) → suspends (SUSPENDED; a
green-channel case naming it is refused) → reinstates (ACTIVE); a Hebei application is rejected
with a required note (REJECTED); refused transitions are exact problem details naming the field;
every transition is one event on bth.incubation.station.v1 carrying the snapshot with its version.
The station API exposes no separate audit/history: the event stream is the station's audit trail
(each event names the acting subject)."""

import asyncio

import grpc
import httpx
import pytest

from bth.incubation.v1 import incubation_service_pb2 as pb
from tests.incubation.conftest import TopicReader
from tests.incubation.support import registered_achievement, uid, who
from tests.support.identity import bearer

BASE = "/api/v1/incubation"
TOPIC = "bth.incubation.station.v1"
OPERATOR_SUBJECT = f"op-{uid()}"
OPERATOR = bearer(OPERATOR_SUBJECT, "platform", "BEIJING", "operator")


@pytest.fixture
async def rest(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def refused(r: httpx.Response, status: int, kind: str, field: str | None) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["type"].endswith("/" + kind) and body["status"] == status, body
    assert body.get("field") == field, body
    return body


def host(region: str) -> tuple[dict, str, str]:
    """Headers of a station user of a fresh host organisation, its subject and organisation."""
    subject, org = uid("u-station-"), uid(f"org-station-{region.lower()}-")
    return bearer(subject, org, region, "station"), subject, org


async def test_station_lifecycle_with_refusals_and_events(rest, platform, kafka_settings, gapi):
    tj_headers, tj_subject, tj_org = host("TIANJIN")
    hb_headers, hb_subject, hb_org = host("HEBEI")
    name = f"天津合作站 {uid()}"

    async with TopicReader(kafka_settings, TOPIC) as reader:
        # --- application by the Tianjin host organisation
        applied = ok(await rest.post(f"{BASE}/stations", headers=tj_headers, json={
            "name": name, "region": "TIANJIN", "services": ["training", "instrument_sharing", "testing"],
            "description": "检测、仪器共享与培训"}), 201)
        sid = applied["station_id"]
        assert applied["status"] == "APPLIED" and applied["version"] == "1"
        assert applied["name"] == name and applied["region"] == "TIANJIN"
        assert applied["host_organisation"] == tj_org and applied["applicant"] == tj_subject
        assert applied["services"] == ["instrument_sharing", "testing", "training"]   # stored as a sorted set
        assert applied["description"] == "检测、仪器共享与培训" and applied.get("reports", []) == []
        url = f"{BASE}/stations/{sid}"

        # --- a non-operator may not decide (the gateway's matrix; the service checks again over gRPC)
        refused(await rest.post(f"{url}/approve", headers=tj_headers, json={}), 403, "forbidden", None)
        await gapi.refused("ApproveStation", pb.StationAction(station_id=sid),
                           who(tj_org, "TIANJIN", "station"), grpc.StatusCode.PERMISSION_DENIED, "station_id")
        refused(await rest.post(f"{url}/reinstate", headers=OPERATOR, json={}), 409, "transition-refused", "status")

        # --- operator approves → ACTIVE; a second approval is refused
        approved = ok(await rest.post(f"{url}/approve", headers=OPERATOR, json={"note": "材料齐全"}))
        assert (approved["status"], approved["version"], approved["note"]) == ("ACTIVE", "2", "材料齐全")
        refused(await rest.post(f"{url}/approve", headers=OPERATOR, json={}), 409, "transition-refused", "status")
        refused(await rest.post(f"{url}/reinstate", headers=OPERATOR, json={}), 409, "transition-refused", "status")

        # --- operator suspends → SUSPENDED; a green-channel case naming it is refused, nothing written
        suspended = ok(await rest.post(f"{url}/suspend", headers=OPERATOR, json={"note": "年度审计"}))
        assert (suspended["status"], suspended["version"], suspended["note"]) == ("SUSPENDED", "3", "年度审计")
        refused(await rest.post(f"{url}/suspend", headers=OPERATOR, json={}), 409, "transition-refused", "status")
        holder_org = uid("org-univ-")
        holder = bearer(uid("u-"), holder_org, "BEIJING", "institution")
        achievement_id = await registered_achievement(platform, holder_org, "BEIJING")
        refused(await rest.post(f"{BASE}/cases", headers=holder, json={
            "achievement_id": achievement_id, "station_id": sid, "transfer_mode": "licence",
            "services": ["technology_trading"],
            "receiver": {"organisation": uid("org-ent-"), "region": "TIANJIN", "kind": "ENTERPRISE"}}),
            409, "transition-refused", "station_id")
        listed = ok(await rest.get(f"{BASE}/cases", headers=OPERATOR, params={"station_id": sid}))
        assert listed.get("items", []) == []

        # --- reinstate → ACTIVE
        reinstated = ok(await rest.post(f"{url}/reinstate", headers=OPERATOR))   # no body: the note is optional
        assert (reinstated["status"], reinstated["version"], reinstated.get("note", "")) == ("ACTIVE", "4", "")

        # --- a Hebei application is rejected: the note is required
        other = ok(await rest.post(f"{BASE}/stations", headers=hb_headers, json={
            "name": f"河北合作站 {uid()}", "region": "HEBEI", "services": ["financing"]}), 201)
        rid = other["station_id"]
        assert (other["status"], other["version"], other["host_organisation"]) == ("APPLIED", "1", hb_org)
        refused(await rest.post(f"{BASE}/stations/{rid}/reject", headers=OPERATOR, json={}), 400,
                "invalid-input", "note")
        refused(await rest.post(f"{BASE}/stations/{rid}/reject", headers=OPERATOR, json={"note": "   "}), 400,
                "invalid-input", "note")
        refused(await rest.post(f"{BASE}/stations/{rid}/reject", headers=hb_headers, json={"note": "x"}), 403,
                "forbidden", None)
        rejected = ok(await rest.post(f"{BASE}/stations/{rid}/reject", headers=OPERATOR,
                                      json={"note": "材料不全"}))
        assert (rejected["status"], rejected["version"], rejected["note"]) == ("REJECTED", "2", "材料不全")
        for action in ("suspend", "approve", "reinstate", "reject"):
            refused(await rest.post(f"{BASE}/stations/{rid}/{action}", headers=OPERATOR, json={"note": "again"}),
                    409, "transition-refused", "status")
        refused(await rest.post(f"{BASE}/stations/{rid}/reports", headers=OPERATOR, json={
            "year": 2024, "services_delivered": 1, "enterprises_served": 1, "achievements_landed": 1}),
            409, "transition-refused", "status")
        refused(await rest.get(f"{BASE}/stations/{uid('no-such-')}", headers=OPERATOR), 404, "not-found",
                "station_id")

        # --- a second suspend/reinstate round, last, so refused moves above had their chance to leak events
        assert ok(await rest.post(f"{url}/suspend", headers=OPERATOR, json={"note": "复查"}))["version"] == "5"
        final = ok(await rest.post(f"{url}/reinstate", headers=OPERATOR, json={"note": "复查通过"}))
        assert (final["status"], final["version"], final["note"]) == ("ACTIVE", "6", "复查通过")

        # --- what anyone reads back is exactly what was stored
        for reader_headers in (OPERATOR, bearer(uid("u-"), uid("org-"), "HEBEI", "partner")):
            got = ok(await rest.get(url, headers=reader_headers))
            assert {k: got[k] for k in ("station_id", "status", "version", "services", "host_organisation",
                                        "region", "applicant", "name", "note")} == {
                "station_id": sid, "status": "ACTIVE", "version": "6", "services":
                ["instrument_sharing", "testing", "training"], "host_organisation": tj_org, "region": "TIANJIN",
                "applicant": tj_subject, "name": name, "note": "复查通过"}
        got = ok(await rest.get(f"{BASE}/stations/{rid}", headers=hb_headers))
        assert (got["status"], got["version"], got["services"], got["note"]) == (
            "REJECTED", "2", ["financing"], "材料不全")

        # --- every transition is exactly one event with the right version, snapshot and actor
        await reader.wait_for(sid, "StationReinstated", count=2)
        await reader.wait_for(rid, "StationRejected")
        for _ in range(5):   # settle: anything a refused move might have leaked would be here by now
            await reader.poll()
            await asyncio.sleep(0.1)

        def trail(key):
            return [(e.type.rsplit(".", 1)[-1], m.station.version, m.station.status, m.actor, m.station.note)
                    for e, m in reader.seen if e.subject == key]
        assert trail(sid) == [
            ("StationApplied", 1, "APPLIED", tj_subject, ""),
            ("StationApproved", 2, "ACTIVE", OPERATOR_SUBJECT, "材料齐全"),
            ("StationSuspended", 3, "SUSPENDED", OPERATOR_SUBJECT, "年度审计"),
            ("StationReinstated", 4, "ACTIVE", OPERATOR_SUBJECT, ""),
            ("StationSuspended", 5, "SUSPENDED", OPERATOR_SUBJECT, "复查"),
            ("StationReinstated", 6, "ACTIVE", OPERATOR_SUBJECT, "复查通过"),
        ]
        assert trail(rid) == [
            ("StationApplied", 1, "APPLIED", hb_subject, ""),
            ("StationRejected", 2, "REJECTED", OPERATOR_SUBJECT, "材料不全"),
        ]
        snapshots = [m.station for e, m in reader.seen if e.subject == sid]
        assert all(s.station_id == sid and list(s.services) == ["instrument_sharing", "testing", "training"]
                   and s.host_organisation == tj_org and s.region == "TIANJIN" for s in snapshots)
        assert all(m.station_id == sid for e, m in reader.seen if e.subject == sid)
        assert {e.subject for e, _ in reader.seen if e.subject in (sid, rid)} == {sid, rid}
