"""The one way a rate is written: a percentage rounded half-up to 2 decimals."""

from decimal import ROUND_HALF_UP, Decimal


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage rounded half-up to 2 decimals, or None when the denominator is 0."""
    if not denominator:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)
