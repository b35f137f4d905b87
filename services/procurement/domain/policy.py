"""Configured rules of the procurement service (pure data, built from settings)."""

from dataclasses import dataclass, field
from decimal import Decimal

from services.common.vocab import PLATFORM_REGIONS

# Vendors and buyer units are of the three regions (DOMAIN.md: "enterprises from all three
# regions apply"): no OTHER here, unlike the registry's counterparties.
REGIONS = PLATFORM_REGIONS
PUBLIC_REGIONS = list(REGIONS)  # catalog entries every partner region may see once public

CATEGORIES = {
    "electronic-information": "电子信息 electronic information",
    "biomedicine": "生物医药 biomedicine",
    "advanced-manufacturing": "先进制造 advanced manufacturing",
    "new-energy": "新能源 new energy",
    "new-materials": "新材料 new materials",
    "energy-saving-environmental": "节能环保 energy saving and environment",
    "urban-management": "城市管理 urban management",
    "modern-agriculture": "现代农业 modern agriculture",
    "software-services": "软件和信息服务 software and IT services",
}


@dataclass(frozen=True)
class FirstSetRule:
    """Eligibility of a region's first-set (首台套) scheme."""
    require_own_ip: bool = True
    require_major_breakthrough: bool = True
    max_units_sold: int = 3


@dataclass(frozen=True)
class Policy:
    categories: frozenset[str] = frozenset(CATEGORIES)
    listing_term_days: int = 3 * 365
    min_reviews: int = 3                # reviews needed before a decision
    pass_mean_score: float = 60.0       # mean score needed to list
    veto_score: int = 0                 # any score below this rejects (0: no veto)
    award_tolerance: Decimal = Decimal("0")   # fraction over budget allowed (0.05 = 5 %)
    max_amount: Decimal = Decimal("100000000000")  # beyond this a price or budget is absurd
    first_set_rules: dict[str, FirstSetRule] = field(default_factory=lambda: {"BEIJING": FirstSetRule()})
