"""Chinese and English labels of the platform's vocabularies. The values themselves come from
their one definition (proto enums through services.common.vocab, the procurement policy); this
module only names them for people."""

from services.common.vocab import KEY_FIELDS as FIELDS
from services.common.vocab import PLATFORM_REGIONS, REGIONS
from services.procurement.domain.policy import CATEGORIES

REGION = {"BEIJING": ("北京", "Beijing"), "TIANJIN": ("天津", "Tianjin"), "HEBEI": ("河北", "Hebei"),
          "OTHER": ("其他地区", "Elsewhere")}
FIELD_ZH = {"5g": "5G移动通信", "ai": "人工智能", "digital-manufacturing": "数字制造", "biomedicine": "生物医药",
            "new-energy-vehicles": "新能源汽车", "rail-transit": "轨道交通", "eco-environment": "生态环境",
            "urban-management": "城市管理", "food-safety": "食品安全", "new-materials": "新材料",
            "energy": "能源电力", "agriculture": "现代农业"}
STATUS = {
    "UNDER_REVIEW": ("评审中", "Under review"), "LISTED": ("已入库", "Listed"), "REJECTED": ("未通过", "Rejected"),
    "SUSPENDED": ("已暂停", "Suspended"), "EXPIRED": ("已过期", "Expired"), "OPEN": ("征集中", "Open"),
    "AWARDED": ("已成交", "Awarded"), "DRAFT": ("草稿", "Draft"), "SUBMITTED": ("已提交", "Submitted"),
    "IN_NOTICE": ("公示中", "In notice"), "REGISTERED": ("已登记", "Registered"), "RETURNED": ("已退回", "Returned"),
    "WITHDRAWN": ("已撤回", "Withdrawn"), "ACCEPTED": ("已受理", "Accepted"), "REVIEWED": ("已审核", "Reviewed"),
    "APPROVED": ("已批准", "Approved"), "LANDED": ("已落地", "Landed"), "CLOSED": ("已办结", "Closed"),
    "APPLIED": ("已申请", "Applied"), "RECOGNISED": ("已认定", "Recognised"), "REFUSED": ("不予认定", "Refused"),
    "PAID": ("已赔付", "Paid"), "ACTIVE": ("运行中", "Active"), "PENDING": ("待审批", "Pending"),
}


def _split(label: str) -> tuple[str, str]:
    zh, _, en = label.partition(" ")
    return zh, en


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def regions(lang: str, platform_only: bool = True) -> list[tuple[str, str]]:
    return [(r, _pick(REGION[r], lang)) for r in (PLATFORM_REGIONS if platform_only else REGIONS)]


def categories(lang: str) -> list[tuple[str, str]]:
    return [(key, _pick(_split(label), lang)) for key, label in sorted(CATEGORIES.items())]


def fields(lang: str) -> list[tuple[str, str]]:
    return [(key, FIELD_ZH.get(key, label) if lang == "zh" else label) for key, label in FIELDS.items()]


def label(kind: str, value: str, lang: str) -> str:
    """The person's word for `value` of a vocabulary (`region`, `category`, `field`, `status`)."""
    if not value:
        return ""
    if kind == "region":
        return _pick(REGION.get(value, (value, value)), lang)
    if kind == "category":
        return _pick(_split(CATEGORIES[value]), lang) if value in CATEGORIES else value
    if kind == "field":
        return dict(fields(lang)).get(value, value)
    return _pick(STATUS.get(value, (value, value)), lang)


REASONS = {"same category": ("类别相同", "same category"), "within budget": ("在预算之内", "within budget"),
           "same region": ("同一地区", "same region"), "first set": ("首台套", "first set")}


def reason(text: str, lang: str) -> str:
    """A suggestion's reason in the person's language (the matcher writes `keywords: a, b; same category`)."""
    parts = []
    for part in (text or "").split("; "):
        if part.startswith("keywords: "):
            parts.append(("共同关键词：" if lang == "zh" else "shared keywords: ") + part.removeprefix("keywords: "))
        else:
            parts.append(_pick(REASONS.get(part, (part, part)), lang))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)
