"""Opening a green-channel case (pure): the achievement must be REGISTERED, the handling
station ACTIVE, the receiver in another region than the holder; only a party or the
handling station submits."""

from datetime import datetime

from services.common.errors import Forbidden, InvalidInput, TransitionRefused, require
from services.incubation.domain import events, vocab
from services.incubation.domain.cases import Case, Party, Stage
from services.incubation.domain.stations import Station, StationStatus


def submit(case_id: str, actor, now: datetime, achievement: dict, station: Station, receiver: dict,
           transfer_mode: str, services: list[str], note: str, sla_days: dict, warning_ratio: float) -> Case:
    status = achievement.get("status")
    if status != "REGISTERED":
        raise InvalidInput(f"achievement {achievement.get('achievement_id')} is {status or 'not registered'}; "
                           "only REGISTERED achievements enter the green channel", "achievement_id")
    if station.status != StationStatus.ACTIVE:
        raise TransitionRefused(f"station {station.station_id} is {station.status}, not ACTIVE", "station_id")
    require(transfer_mode in vocab.TRANSFER_MODES,
            f"transfer_mode must be one of {sorted(vocab.TRANSFER_MODES)}", "transfer_mode")
    require(bool(services), "at least one service is requested", "services")
    unknown = set(services) - vocab.CASE_SERVICES
    require(not unknown, f"unknown case services {sorted(unknown)}", "services")
    require(len(note) <= 2000, "note is at most 2000 characters", "note")
    org = str(receiver.get("organisation", "")).strip()
    require(0 < len(org) <= 200, "receiver.organisation is required", "receiver.organisation")
    kind = receiver.get("kind", "")
    require(kind in vocab.RECEIVER_KINDS, f"receiver.kind must be one of {sorted(vocab.RECEIVER_KINDS)}",
            "receiver.kind")
    region = receiver.get("region", "")
    require(region in vocab.REGIONS, f"unknown region {region!r}", "receiver.region")
    holder = Party(organisation=achievement.get("organisation", ""), region=achievement.get("region", ""),
                   name=achievement.get("organisation", ""), kind="HOLDER")
    require(region != holder.region, f"the receiver must be in another region than the holder ({holder.region})",
            "receiver.region")
    require(org != holder.organisation, "the receiver must be another organisation than the holder",
            "receiver.organisation")
    case = Case(case_id=case_id, achievement_id=achievement["achievement_id"],
                achievement_title=achievement.get("title", ""), field=achievement.get("field", ""),
                holder=holder, receiver=Party(org, region, str(receiver.get("name", "")).strip() or org, kind),
                transfer_mode=transfer_mode, station_id=station.station_id,
                station_organisation=station.host_organisation, services=sorted(set(services)),
                submitted_by=actor.subject, created_at=now, updated_at=now, stage_entered_at=now,
                regions=sorted({holder.region, region}))
    if not (case.is_party(actor) or case.is_station(actor)):
        raise Forbidden("only the holder, the receiver or the handling station submits a case", "receiver")
    case.enter(Stage.SUBMITTED, actor, now, note, sla_days, warning_ratio)
    case.record_change(events.CaseSubmitted, actor.subject, note)
    return case
