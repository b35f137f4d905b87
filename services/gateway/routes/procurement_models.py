"""Request bodies of the procurement routes (unknown fields are refused, naming the field)."""

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from services.gateway.routes.base import Count, Strict, example
from services.gateway.routes.enums import PlatformRegion


class IndicatorIn(Strict):
    model_config = example({
        "name": "定位精度", "value": "0.005", "unit": "mm"})
    name: str = Field(min_length=1, max_length=200)
    value: str = Field(min_length=1, max_length=200)
    unit: str = ""


class ApplicationIn(Strict):
    model_config = example({
        "name": "智能数控机床远程运维系统", "category": "advanced-manufacturing",
        "description": "基于工业互联网的数控机床状态监测与预测性维护系统",
        "indicators": [{"name": "故障预警准确率", "value": "95", "unit": "%"}], "price": "1200000.00",
        "region": "TIANJIN", "achievement_ids": ["ach-7c1e2f9a"]})
    name: str = Field(min_length=1, max_length=200)
    category: str
    description: str = Field(default="", max_length=5000)
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=50)
    price: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    region: PlatformRegion
    achievement_ids: list[str] = Field(min_length=1, max_length=20)


class ReviewIn(Strict):
    model_config = example({
        "score": 86, "opinion": "技术指标先进，具备自主知识产权，建议列入新技术新产品目录"})
    score: int = Field(ge=0, le=100)
    opinion: str = Field(min_length=1, max_length=5000)


class FirstSetIn(Strict):
    model_config = example({
        "own_ip": True, "major_breakthrough": True, "units_sold_in_region": 0, "note": "京津冀首台套重大技术装备"})
    own_ip: bool
    major_breakthrough: bool
    units_sold_in_region: Count
    note: str = ""


class DecisionIn(Strict):
    model_config = example({
        "approve": True, "note": "经专家论证，同意认定"})
    approve: bool
    note: str = ""


class DemandIn(Strict):
    model_config = example({
        "need": "采购数控机床远程运维系统，覆盖20台五轴加工中心", "category": "advanced-manufacturing",
        "budget": "1500000.00", "deadline": "2026-12-31T16:00:00Z", "region": "BEIJING"})
    need: str = Field(min_length=1, max_length=2000)
    category: str
    budget: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    deadline: datetime
    region: PlatformRegion


class AwardIn(Strict):
    model_config = example({
        "demand_id": "dem-5a2c9e10", "product_id": "prd-8f3b1d22", "amount": "1150000.00",
        "award_date": "2026-09-15T08:00:00Z"})
    demand_id: str
    product_id: str
    amount: Decimal = Field(gt=0, decimal_places=2)
    award_date: datetime


class ClaimIn(Strict):
    model_config = example({
        "product_id": "prd-8f3b1d22", "amount": "200000.00", "reason": "首台套设备运行故障导致停产，申请保险补偿"})
    product_id: str
    amount: Decimal = Field(gt=0, decimal_places=2)
    reason: str = Field(min_length=1, max_length=2000)
