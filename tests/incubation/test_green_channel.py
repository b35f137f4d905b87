"""Green-channel cases over real gRPC, with a live registry: every transition allowed and
refused, who may act, submission refusals writing nothing, and the landing event."""

import grpc
import pytest

from bth.incubation.v1 import incubation_service_pb2 as pb
from services.incubation.domain.cases import TRANSITIONS
from tests.incubation.support import OPERATOR, active_station, registered_achievement, uid, who

CODE = grpc.StatusCode
PATH = ["accept", "review", "approve", "land", "close"]


async def open_case(gapi, platform, services=("technology_trading", "ip_protection"), mode="licence"):
    holder = who(uid("org-univ-"), "BEIJING", "institution")
    receiver = who(uid("org-ent-"), "TIANJIN", "enterprise")
    station_id, station = await active_station(gapi)
    achievement_id = await registered_achievement(platform, holder.organisation, "BEIJING", field="biomedicine")
    case = await gapi.call("SubmitCase", pb.SubmitCaseRequest(
        achievement_id=achievement_id, station_id=station_id, transfer_mode=mode, services=list(services),
        receiver=pb.PartyInput(organisation=receiver.organisation, name="津企", region="TIANJIN",
                               kind="ENTERPRISE")), holder)
    return case, {"holder": holder, "receiver": receiver, "station": station}


def actor_for(action: str, people: dict):
    return people["receiver"] if action in ("land", "withdraw") else people["station"]


def act(action: str, case_id: str, amount: str = ""):
    name = action.capitalize() + "Case"
    return name, pb.CaseAction(case_id=case_id, note=f"{action} note", amount=amount)


async def test_case_moves_through_every_stage_and_lands_on_kafka(gapi, platform, kafka_settings):
    from tests.incubation.conftest import TopicReader
    case, people = await open_case(gapi, platform)
    assert case.stage == "SUBMITTED" and case.version == 1
    assert case.holder.region == "BEIJING" and case.receiver.region == "TIANJIN"
    assert list(case.regions) == ["BEIJING", "TIANJIN"] and case.field == "biomedicine"
    assert case.stage_due_at.seconds > case.stage_entered_at.seconds
    stages = []
    for action in PATH:
        name, req = act(action, case.case_id, "1200000.00" if action == "land" else "")
        case = await gapi.call(name, req, actor_for(action, people))
        stages.append(case.stage)
    assert stages == ["ACCEPTED", "REVIEWED", "APPROVED", "LANDED", "CLOSED"]
    assert case.version == 6 and case.amount == "1200000.00"
    assert [h.stage for h in case.history] == ["SUBMITTED", *stages]
    assert not case.HasField("stage_due_at")  # closed: no deadline
    async with TopicReader(kafka_settings, "bth.incubation.case.v1") as reader:
        landed = (await reader.wait_for(case.case_id, "CaseLanded"))[0]
        await reader.wait_for(case.case_id, "CaseClosed")
        types = [type(m).__name__ for m in reader.of(case.case_id)]
    assert types == ["CaseSubmitted", "CaseAccepted", "CaseReviewed", "CaseApproved", "CaseLanded", "CaseClosed"]
    assert landed.amount == "1200000.00" and list(landed.regions) == ["BEIJING", "TIANJIN"]
    assert landed.field == "biomedicine" and landed.from_region == "BEIJING" and landed.to_region == "TIANJIN"
    assert landed.case.stage == "LANDED" and landed.case.version == 5 and landed.transfer_mode == "licence"


async def test_every_stage_refuses_every_action_it_does_not_allow(gapi, platform):
    case, people = await open_case(gapi, platform)
    refused = 0
    for step in [*PATH, None]:
        for action, (allowed, *_rest) in TRANSITIONS.items():
            if case.stage in allowed:
                continue
            name, req = act(action, case.case_id, "10.00")
            err = await gapi.refused(name, req, actor_for(action, people), CODE.FAILED_PRECONDITION, "stage")
            assert "cannot " + action in err.details()
            refused += 1
        if step:
            name, req = act(step, case.case_id, "10.00")
            case = await gapi.call(name, req, actor_for(step, people))
    # SUBMITTED 4, ACCEPTED 4, REVIEWED 4, APPROVED 5, LANDED 6, CLOSED 7 refusals
    assert refused == 30
    assert (await gapi.call("GetCase", pb.CaseRef(case_id=case.case_id), OPERATOR)).version == 6


async def test_only_the_parties_or_the_handling_station_act(gapi, platform):
    case, people = await open_case(gapi, platform)
    other_station = who(uid("org-other-station-"), "TIANJIN", "station")
    outsider = who(uid("org-x-"), "HEBEI", "institution")
    cid = case.case_id
    for actor, action in [(other_station, "accept"), (people["holder"], "accept"), (people["receiver"], "accept"),
                          (OPERATOR, "accept"), (outsider, "withdraw"), (people["station"], "withdraw")]:
        name, req = act(action, cid)
        await gapi.refused(name, req, actor, CODE.PERMISSION_DENIED, "case_id")
    for action in ("accept", "review", "approve"):
        name, req = act(action, cid)
        await gapi.call(name, req, people["station"])
    name, req = act("land", cid, "5.00")
    await gapi.refused(name, req, people["holder"], CODE.PERMISSION_DENIED, "case_id")
    await gapi.refused(name, pb.CaseAction(case_id=cid, amount="-1"), people["receiver"],
                       CODE.INVALID_ARGUMENT, "amount")
    landed = await gapi.call(name, pb.CaseAction(case_id=cid, amount="5"), people["station"])
    assert landed.stage == "LANDED" and landed.amount == "5.00"
    await gapi.refused("GetCase", pb.CaseRef(case_id=cid), outsider, CODE.NOT_FOUND, "case_id")
    partner_tj = who("partner-tj", "TIANJIN", "partner")
    assert (await gapi.call("GetCase", pb.CaseRef(case_id=cid), partner_tj)).case_id == cid
    await gapi.refused("GetCase", pb.CaseRef(case_id=cid), who("partner-hb", "HEBEI", "partner"),
                       CODE.NOT_FOUND, "case_id")


@pytest.mark.parametrize("stage_actions,final", [
    (["reject"], "REJECTED"), (["accept", "reject"], "REJECTED"), (["accept", "review", "reject"], "REJECTED"),
    (["withdraw"], "WITHDRAWN"), (["accept", "review", "approve", "withdraw"], "WITHDRAWN")])
async def test_reject_and_withdraw_end_the_case(gapi, platform, stage_actions, final):
    case, people = await open_case(gapi, platform)
    for action in stage_actions:
        name, req = act(action, case.case_id)
        case = await gapi.call(name, req, people["holder"] if action == "withdraw" else people["station"])
    assert case.stage == final and not case.HasField("stage_due_at")
    for action in TRANSITIONS:
        name, req = act(action, case.case_id, "1")
        await gapi.refused(name, req, actor_for(action, people), CODE.FAILED_PRECONDITION, "stage")
