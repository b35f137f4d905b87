"""Request bodies of the incubation routes (unknown fields are refused, naming the field)."""

from decimal import Decimal
from typing import Literal

from pydantic import Field

from services.gateway.routes.base import Count, Strict, Year, example
from services.gateway.routes.enums import Region, TransferMode

StationService = Literal["instrument_sharing", "testing", "technology_transfer", "training", "financing"]
CaseService = Literal["technology_trading", "ip_protection", "venture_capital", "consulting"]


class StationIn(Strict):
    model_config = example({
        "name": "首都科技条件平台天津滨海合作站", "region": "TIANJIN",
        "services": ["instrument_sharing", "testing"], "description": "为滨海新区企业提供大型仪器共享与检测服务"})
    name: str = Field(min_length=1, max_length=200)
    region: Region
    services: list[StationService] = Field(min_length=1, max_length=5)
    description: str = Field(default="", max_length=5000)


class ReportIn(Strict):
    model_config = example({
        "year": 2025, "services_delivered": 128, "enterprises_served": 46, "achievements_landed": 9})
    year: Year
    services_delivered: Count
    enterprises_served: Count
    achievements_landed: Count


class IncubatorIn(Strict):
    model_config = example({
        "name": "保定中关村创新中心", "region": "HEBEI", "city": "保定"})
    name: str = Field(min_length=1, max_length=200)
    region: Region
    city: str = Field(default="", max_length=100)


class EnterpriseIn(Strict):
    model_config = example({
        "name": "保定智造科技有限公司", "enterprise_id": "91130605MA0G4L2X3K"})
    name: str = Field(min_length=1, max_length=200)
    enterprise_id: str = Field(min_length=1, max_length=100)   # the enterprise's own id (e.g. credit code)


class ReceiverIn(Strict):
    model_config = example({
        "organisation": "org-tj-binhai-materials", "name": "天津滨海新材料有限公司", "region": "TIANJIN",
        "kind": "ENTERPRISE"})
    organisation: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=200)
    region: Region
    kind: Literal["ENTERPRISE", "INCUBATOR"]


class CaseIn(Strict):
    model_config = example({
        "achievement_id": "ach-7c1e2f9a",
        "receiver": {"organisation": "org-tj-binhai-materials", "name": "天津滨海新材料有限公司", "region": "TIANJIN",
                     "kind": "ENTERPRISE"},
        "transfer_mode": "licence", "station_id": "stn-tj-binhai",
        "services": ["technology_trading", "consulting"], "note": "绿色通道：北京成果落地天津滨海"})
    achievement_id: str = Field(min_length=1, max_length=100)
    receiver: ReceiverIn
    transfer_mode: TransferMode
    station_id: str = Field(min_length=1, max_length=100)
    services: list[CaseService] = Field(min_length=1, max_length=4)
    note: str = Field(default="", max_length=2000)


class LandIn(Strict):
    model_config = example({
        "amount": "1200000.00", "note": "许可合同已签订，首期款到账"})
    amount: Decimal = Field(gt=0, le=Decimal("100000000000"), decimal_places=2)
    note: str = Field(default="", max_length=2000)
