"""Official day swaps that the `holidays` package (0.109) does not know.

Only days whose working status differs from the package are seeded: for Tết Nguyên đán 2026
(off 14-22/2/2026) the package already has 16-20/2 and the rest are weekends, and the 2022-2023
announcements (Tết 20-26/1/2023, 29/4-3/5/2023, 1-4/9/2023) match the package day for day.
An admin's edit of a seeded row is kept: rows are only created when the date has none.
"""

import datetime as dt

from django.db import migrations

SWAPS = [
    (
        dt.date(2026, 1, 2),
        False,
        "Nghỉ Tết Dương lịch 2026 (1-4/01/2026), hoán đổi với thứ Bảy 10/01/2026",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025 đồng ý phương án nghỉ Tết Dương lịch 2026 "
        "của Bộ Nội vụ",
    ),
    (
        dt.date(2026, 1, 10),
        True,
        "Làm bù cho thứ Sáu 02/01/2026 (Tết Dương lịch 2026)",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025 đồng ý phương án nghỉ Tết Dương lịch 2026 "
        "của Bộ Nội vụ",
    ),
]


def seed(apps, schema_editor):
    CalendarOverride = apps.get_model("workcalendar", "CalendarOverride")
    for day, working, note, basis in SWAPS:
        CalendarOverride.objects.get_or_create(
            date=day, defaults={"is_working_day": working, "note": note, "legal_basis": basis}
        )


def unseed(apps, schema_editor):
    CalendarOverride = apps.get_model("workcalendar", "CalendarOverride")
    for day, working, note, basis in SWAPS:
        CalendarOverride.objects.filter(
            date=day, is_working_day=working, note=note, legal_basis=basis
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
