"""The deal a deal event carries: bth.common.v1.Deal as plain data (pure, usable from domain/).
ContractRegistered, TransformationRecorded, AwardMade and CaseLanded each embed one, so the
statistics read one shape instead of four."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Deal:
    kind: str           # a transfer mode, a contract type, or "award"
    amount: str         # CNY, decimal string
    field: str          # key field
    from_region: str    # supplying side: seller, vendor, holder
    to_region: str      # receiving side: buyer, counterparty, receiver
    date: str           # YYYY-MM-DD
    from_party: str
    to_party: str
    source_id: str      # contract, transformation, award or case id


def day(moment: date | datetime | str) -> str:
    """YYYY-MM-DD of a moment (as it is: UTC for the platform's timestamps) or of a date string."""
    return moment[:10] if isinstance(moment, str) else f"{moment:%Y-%m-%d}"
