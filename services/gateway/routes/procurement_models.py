"""Request bodies of the procurement routes (unknown fields are refused, naming the field)."""

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from services.gateway.routes.base import Strict


class IndicatorIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    value: str = Field(min_length=1, max_length=200)
    unit: str = ""


class ApplicationIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    category: str
    description: str = Field(default="", max_length=5000)
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=50)
    price: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    region: str
    achievement_ids: list[str] = Field(min_length=1, max_length=20)


class ReviewIn(Strict):
    score: int = Field(ge=0, le=100)
    opinion: str = Field(min_length=1, max_length=5000)


class NoteIn(Strict):
    note: str = Field(default="", max_length=2000)


class FirstSetIn(Strict):
    own_ip: bool
    major_breakthrough: bool
    units_sold_in_region: int = Field(ge=0)
    note: str = ""


class DecisionIn(Strict):
    approve: bool
    note: str = ""


class DemandIn(Strict):
    need: str = Field(min_length=1, max_length=2000)
    category: str
    budget: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    deadline: datetime
    region: str


class AwardIn(Strict):
    demand_id: str
    product_id: str
    amount: Decimal = Field(gt=0, decimal_places=2)
    award_date: datetime


class ClaimIn(Strict):
    product_id: str
    amount: Decimal = Field(gt=0, decimal_places=2)
    reason: str = Field(min_length=1, max_length=2000)
