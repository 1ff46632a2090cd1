"""Numbers and dates written the way Vietnamese administrative documents write them.

1.234 (dot groups thousands), 84,17% (comma before decimals), "ngày 05 tháng 01 năm 2023"
(Nghị định 30/2020/NĐ-CP: a zero before days under 10 and before months 1 and 2), 05/01/2023.
Documents are always Vietnamese, whatever language the person exporting them browses in.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

DOCUMENT_LANGUAGE = "vi"
RATE_PLACES = 2


def _as_decimal(value: int | float | Decimal | str) -> Decimal:
    # str() first: a float such as 84.17 must not turn into 84.1700000000000017...
    return value if isinstance(value, Decimal) else Decimal(str(value))


def integer(value: int) -> str:
    """1234 → "1.234"."""
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)


def decimal(value: int | float | Decimal | str, places: int = RATE_PLACES) -> str:
    """84.166 → "84,17"; 100.0 → "100"; 5.20 → "5,2": rounded half up, no trailing zeros.

    Django's number_format cuts extra decimals off instead of rounding them, so the value is
    rounded here first.
    """
    rounded = _as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    fraction = text.partition(".")[2].rstrip("0")
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.number_format(
            rounded, decimal_pos=len(fraction), use_l10n=True, force_grouping=True
        )


def percent(value: int | float | Decimal | str | None, places: int = RATE_PLACES) -> str:
    """84.166 → "84,17%" (as the seeds write it: no space); None (no denominator) → ""."""
    if value is None:
        return ""
    return f"{decimal(value, places)}%"


def short_date(day: dt.date) -> str:
    """dd/mm/yyyy: 05/01/2023."""
    with translation.override(DOCUMENT_LANGUAGE):
        return formats.date_format(day, "SHORT_DATE_FORMAT", use_l10n=True)


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2023", "ngày 12 tháng 6 năm 2023".

    Written by hand: Nghị định 30/2020/NĐ-CP pads days under 10 and the months 1 and 2 only
    (so that they cannot be altered to 11 or 12), which no date format expresses.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def blank_long_date(year: int) -> str:
    """The date left for the signer to fill in: "ngày     tháng     năm 2023"."""
    gap = "\u00a0" * 5
    return f"ngày{gap}tháng{gap}năm {year}"


def date_range(start: dt.date, end: dt.date) -> str:
    """ "từ ngày 15/12/2022 đến ngày 12/06/2023"."""
    return f"từ ngày {short_date(start)} đến ngày {short_date(end)}"
