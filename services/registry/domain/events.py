"""Achievement events (past tense). Each name matches a message in proto/bth/registry/v1;
`achievement` is the full record after the change, `actor` who did it, `note` why."""

from dataclasses import dataclass

from services.common.aggregate import Event
from services.common.deals import Deal


@dataclass
class _AchievementChanged(Event):
    achievement_id: str
    achievement: dict
    actor: str


@dataclass
class AchievementEvent(_AchievementChanged):
    note: str = ""


class AchievementDrafted(_AchievementChanged): ...   # no note: their messages have none
class AchievementSubmitted(_AchievementChanged): ...
class AchievementApproved(AchievementEvent): ...
class AchievementReturned(AchievementEvent): ...
class AchievementRejected(AchievementEvent): ...
class ObjectionLodged(AchievementEvent): ...
class ObjectionResolved(AchievementEvent): ...
class AchievementRegistered(AchievementEvent): ...
class AchievementWithdrawn(AchievementEvent): ...
class AchievementRevised(AchievementEvent): ...      # note: the fields changed
@dataclass
class TransformationRecorded(AchievementEvent):
    deal: Deal | None = None   # the transformation recorded (note: its id, for partners)


@dataclass
class ContractEvent(Event):
    contract_id: str
    contract: dict
    actor: str
    note: str = ""


class ContractFiled(ContractEvent): ...
class ContractDeadlineExtended(ContractEvent): ...
@dataclass
class ContractRegistered(ContractEvent):
    deal: Deal | None = None
class ContractRefused(ContractEvent): ...
class ContractDeadlineBreached(ContractEvent): ...


@dataclass
class PackageCreated(Event):
    package_id: str
    package: dict
    actor: str
    note: str = ""


@dataclass
class PackageVersionPublished(Event):
    package_id: str
    package: dict
    actor: str
    note: str
    contents: dict
