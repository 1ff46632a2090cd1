"""The days of a period as they are typed (YYYY-MM-DD), and the error a bad period raises:
below every app, so that the commands of each can read them alike."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


class PeriodError(ValueError):
    pass


def parse_iso_date(value: str, name: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise PeriodError(
            _("Ngày không hợp lệ cho %(name)s: %(value)r (cần dạng YYYY-MM-DD).")
            % {"name": name, "value": value}
        ) from exc
