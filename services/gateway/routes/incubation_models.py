"""Request bodies of the incubation routes (unknown fields are refused, naming the field)."""

from decimal import Decimal
from typing import Literal

from pydantic import Field

from services.gateway.routes.base import Strict

Region = Literal["BEIJING", "TIANJIN", "HEBEI", "OTHER"]
StationService = Literal["instrument_sharing", "testing", "technology_transfer", "training", "financing"]
CaseService = Literal["technology_trading", "ip_protection", "venture_capital", "consulting"]


class StationIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    region: Region
    services: list[StationService] = Field(min_length=1, max_length=5)
    description: str = Field(default="", max_length=5000)


class NoteIn(Strict):
    note: str = Field(default="", max_length=2000)


class ReportIn(Strict):
    year: int = Field(ge=2000)
    services_delivered: int = Field(ge=0)
    enterprises_served: int = Field(ge=0)
    achievements_landed: int = Field(ge=0)


class IncubatorIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    region: Region
    city: str = Field(default="", max_length=100)


class EnterpriseIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    enterprise_id: str = Field(min_length=1, max_length=100)   # the enterprise's own id (e.g. credit code)


class PartyIn(Strict):
    organisation: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=200)
    region: Region
    kind: Literal["ENTERPRISE", "INCUBATOR"]


class CaseIn(Strict):
    achievement_id: str = Field(min_length=1, max_length=100)
    receiver: PartyIn
    transfer_mode: Literal["transfer", "licence", "equity", "cooperation"]
    station_id: str = Field(min_length=1, max_length=100)
    services: list[CaseService] = Field(min_length=1, max_length=4)
    note: str = Field(default="", max_length=2000)


class LandIn(Strict):
    amount: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    note: str = Field(default="", max_length=2000)
