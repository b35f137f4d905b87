"""Achievement packages (pure): an operator curates a bundle of registered achievements of
one key field; each publication is a new numbered version whose contents travel in the event."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from services.common.aggregate import Aggregate
from services.common.errors import Forbidden, InvalidInput, require
from services.common.identity import Principal
from services.common.plain import to_plain
from services.registry.domain import events, taxonomy


@dataclass
class PackageItem:
    achievement_id: str
    title: str
    registration_number: str
    organisation: str
    region: str
    trl: int


@dataclass
class PackageVersion:
    number: int
    items: list[PackageItem]
    note: str
    published_by: str
    published_at: datetime


def _curator(actor: Principal) -> None:
    if not actor.has("operator", "system"):
        raise Forbidden("only an operator curates achievement packages", "actor")


@dataclass(kw_only=True)
class AchievementPackage(Aggregate):
    package_id: str
    field: str
    title: str
    description: str
    created_by: str
    created_at: datetime
    versions: list[PackageVersion] = dc_field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.package_id

    def publish(self, actor: Principal, now: datetime, achievements: list[dict], note: str = "") -> PackageVersion:
        """`achievements`: the records (snapshots) of the chosen achievements, in the chosen order."""
        _curator(actor)
        require(0 < len(achievements) <= 500, "a version holds 1 to 500 achievements", "achievement_ids")
        ids = [a["achievement_id"] for a in achievements]
        require(len(set(ids)) == len(ids), "achievement ids repeat", "achievement_ids")
        for a in achievements:
            if a["status"] != "REGISTERED":
                raise InvalidInput(f"achievement {a['achievement_id']} is {a['status']}, not REGISTERED",
                                   "achievement_ids")
            if a["field"] != self.field:
                raise InvalidInput(f"achievement {a['achievement_id']} is of field {a['field']!r}, "
                                   f"not {self.field!r}", "achievement_ids")
        items = [PackageItem(a["achievement_id"], a["title"], a.get("registration_number", ""), a["organisation"],
                             str(a["region"]), int(a["trl"])) for a in achievements]
        version = PackageVersion(len(self.versions) + 1, items, note, actor.subject, now)
        self.versions.append(version)
        self.record_change(events.PackageVersionPublished, actor.subject, note, to_plain(version))
        return version


def create(package_id: str, actor: Principal, now: datetime, field: str, title: str,
           description: str = "") -> AchievementPackage:
    _curator(actor)
    require(field in taxonomy.FIELDS, f"unknown key field {field!r}", "field")
    require(0 < len(title.strip()) <= 200, "title is required (at most 200 characters)", "title")
    require(len(description) <= 5000, "description is at most 5000 characters", "description")
    p = AchievementPackage(package_id=package_id, field=field, title=title, description=description,
                           created_by=actor.subject, created_at=now)
    p.record_change(events.PackageCreated, actor.subject)
    return p
