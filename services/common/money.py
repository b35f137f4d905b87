"""Money as decimal strings (pure): parse and refuse negative, absurd or malformed amounts.
One parser for every service; CEILING is the platform-wide upper bound (statistics add amounts
as int64 cents, and no single deal in the plan comes near a trillion yuan)."""

from decimal import Decimal, InvalidOperation

from services.common.errors import InvalidInput

CEILING = Decimal("1000000000000.00")   # 1 trillion CNY


def amount(value: str, field: str, maximum: Decimal = CEILING, allow_zero: bool = False) -> Decimal:
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a decimal amount in CNY, got {value!r}", field) from None
    if not parsed.is_finite() or parsed < 0 or (parsed == 0 and not allow_zero):
        raise InvalidInput(f"{field} must be a positive amount, got {value!r}", field)
    if parsed > maximum:
        raise InvalidInput(f"{field} {value} is above the maximum of {maximum}", field)
    if parsed.as_tuple().exponent < -2:
        raise InvalidInput(f"{field} has more than 2 decimal places", field)
    return parsed.quantize(Decimal("0.01"))
