"""How a dossier stands against its legal due date, in words an officer reads at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.dossiers.constants import Status, Timeliness
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import DUE_SOON_WORKING_DAYS
from cchc.dossiers.transitions import ACTIVE
from cchc.workcalendar import calendar


@dataclass(frozen=True)
class Deadline:
    """`tone` is one of ok, soon, late, paused, done (a CSS modifier); `label` the words."""

    tone: str
    label: str


def deadline_of(dossier: Dossier, today: dt.date) -> Deadline:
    if dossier.status == Status.SUPPLEMENT:
        return Deadline("paused", _("Tạm dừng, chờ bổ sung"))
    if dossier.status not in ACTIVE:
        if dossier.timeliness:
            tone = "late" if dossier.timeliness == Timeliness.LATE else "done"
            return Deadline(tone, Timeliness(dossier.timeliness).label)
        return Deadline("done", _("Đã kết thúc"))
    if dossier.due_date < today:
        late = calendar.working_days_between(dossier.due_date, today, dossier.unit)
        return Deadline(
            "late",
            ngettext("Quá hạn %(n)d ngày làm việc", "Quá hạn %(n)d ngày làm việc", late)
            % {"n": late},
        )
    if dossier.due_date == today:
        return Deadline("soon", _("Đến hạn hôm nay"))
    left = calendar.working_days_between(today, dossier.due_date, dossier.unit)
    label = ngettext("Còn %(n)d ngày làm việc", "Còn %(n)d ngày làm việc", left) % {"n": left}
    return Deadline("soon" if left <= DUE_SOON_WORKING_DAYS else "ok", label)
