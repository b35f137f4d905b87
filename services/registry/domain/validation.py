"""Validation of the standard achievement record and of transformation records (pure):
each refusal names the offending field."""

from datetime import datetime

from services.common import money
from services.common.errors import InvalidInput, require
from services.registry.domain import taxonomy

MAX_KEYWORD_LENGTH = 50   # a keyword is a term, not a text: the word segmenter's cost stays bounded


def _amount(value: str, field: str, required: bool = False) -> None:
    if not value and not required:
        return
    money.amount(value, field, allow_zero=True)


def validate_record(a) -> None:
    require(0 < len(a.title.strip()) <= 200, "title is required (at most 200 characters)", "title")
    require(len(a.abstract) <= 5000, "abstract is at most 5000 characters", "abstract")
    require(a.field in taxonomy.FIELDS, f"unknown key field {a.field!r}", "field")
    require(a.type in taxonomy.TYPES, f"unknown achievement type {a.type!r}", "type")
    require(isinstance(a.trl, int) and 1 <= a.trl <= 9, "trl must be between 1 and 9", "trl")
    require(a.region in taxonomy.REGIONS, f"unknown region {a.region!r}", "region")
    unknown = set(a.transfer_modes) - set(taxonomy.TRANSFER_MODES)
    require(not unknown, f"unknown transfer modes {sorted(unknown)}", "transfer_modes")
    require(len(a.keywords) <= 20, "at most 20 keywords", "keywords")
    require(all(0 < len(k.strip()) <= MAX_KEYWORD_LENGTH for k in a.keywords),
            f"each keyword is 1 to {MAX_KEYWORD_LENGTH} characters", "keywords")
    if a.funding.fiscal:
        require(bool(a.funding.project_code.strip()), "fiscal funding needs a project code",
                "funding.project_code")
    _amount(a.indicative_price, "indicative_price")


def validate_transformation(t) -> None:
    require(t.kind in taxonomy.TRANSFER_MODES, f"unknown transformation kind {t.kind!r}", "kind")
    require(bool(t.counterparty.strip()), "counterparty is required", "counterparty")
    require(t.counterparty_region in taxonomy.REGIONS, f"unknown region {t.counterparty_region!r}",
            "counterparty_region")
    _amount(t.amount, "amount", required=True)
    try:
        datetime.strptime(t.date, "%Y-%m-%d")
    except ValueError:
        raise InvalidInput("date must be YYYY-MM-DD", "date") from None
