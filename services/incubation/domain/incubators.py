"""Incubators set up by Beijing universities/institutes in Tianjin/Hebei, and the
enterprises they incubate (entered → graduated | left) (pure)."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.errors import Conflict, NotFound, TransitionRefused, require
from services.incubation.domain import events


class EnterpriseStatus(StrEnum):
    INCUBATING = "INCUBATING"
    GRADUATED = "GRADUATED"
    LEFT = "LEFT"


@dataclass
class IncubatedEnterprise:
    enterprise_id: str
    name: str
    entered_at: datetime
    status: EnterpriseStatus = EnterpriseStatus.INCUBATING
    exited_at: datetime | None = None


@dataclass(kw_only=True)
class Incubator(Aggregate):
    incubator_id: str
    name: str
    sponsor: str
    sponsor_region: str
    region: str
    created_at: datetime
    updated_at: datetime
    city: str = ""
    enterprises: list[IncubatedEnterprise] = field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.incubator_id

    def admit(self, enterprise_id: str, name: str, actor: str, now: datetime) -> None:
        require(0 < len(name.strip()) <= 200, "enterprise name is required (at most 200 characters)", "name")
        require(bool(enterprise_id.strip()), "enterprise_id is required", "enterprise_id")
        if any(e.enterprise_id == enterprise_id for e in self.enterprises):
            raise Conflict(f"enterprise {enterprise_id} is already in this incubator", "enterprise_id")
        self.enterprises.append(IncubatedEnterprise(enterprise_id, name.strip(), now))
        self.updated_at = now
        self.record_change(events.EnterpriseEntered, actor, enterprise_id)

    def release(self, enterprise_id: str, graduated: bool, actor: str, now: datetime) -> None:
        found = next((e for e in self.enterprises if e.enterprise_id == enterprise_id), None)
        if found is None:
            raise NotFound(f"enterprise {enterprise_id} is not in incubator {self.incubator_id}", "enterprise_id")
        if found.status != EnterpriseStatus.INCUBATING:
            raise TransitionRefused(f"enterprise {enterprise_id} has {found.status} already", "enterprise_id")
        found.status = EnterpriseStatus.GRADUATED if graduated else EnterpriseStatus.LEFT
        found.exited_at = self.updated_at = now
        event = events.EnterpriseGraduated if graduated else events.EnterpriseLeft
        self.record_change(event, actor, enterprise_id)

    def count(self, status: EnterpriseStatus) -> int:
        return sum(1 for e in self.enterprises if e.status == status)


def register(incubator_id: str, actor, now: datetime, name: str, region: str, city: str = "") -> Incubator:
    require(0 < len(name.strip()) <= 200, "name is required (at most 200 characters)", "name")
    require(region in ("TIANJIN", "HEBEI"), "an incubator of this programme is in TIANJIN or HEBEI", "region")
    require(bool(actor.organisation), "the sponsoring organisation is required", "sponsor")
    require(actor.region == "BEIJING", "incubators of this programme are sponsored by Beijing universities"
            " and institutes", "sponsor")
    incubator = Incubator(incubator_id=incubator_id, name=name.strip(), sponsor=actor.organisation,
                          sponsor_region=actor.region, region=region, city=city,
                          created_at=now, updated_at=now)
    incubator.record_change(events.IncubatorRegistered, actor.subject)
    return incubator
