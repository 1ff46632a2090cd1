"""Deterministic synthetic data for the benchmarks, in the exchange formats of
exchange-format.md: units.csv (a 3-level tree), procedures.csv and the dossier CSV (§1).

Pure Python (`random.Random(seed)`): the same seed gives the same bytes on every machine.
Dates are anchored on a fixed day (AS_OF), not on today, so that runs on different days load
the same rows; AS_OF lies in the past, so the importer's "not in the future" checks hold.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from typing import BinaryIO

import holidays

# The data describe the state of every dossier on this day (the day of the "export").
AS_OF = dt.date(2026, 6, 14)
YEARS = 3

# 30 fields (lĩnh vực) with a rough weight of their share of dossiers.
FIELDS: tuple[tuple[str, float], ...] = (
    ("Chứng thực", 30),
    ("Hộ tịch", 25),
    ("Đất đai", 10),
    ("Bảo trợ xã hội", 6),
    ("Người có công", 3),
    ("Đăng ký kinh doanh", 4),
    ("Xây dựng", 3),
    ("Lao động", 2),
    ("Tư pháp", 2),
    ("Giáo dục", 1.5),
    ("Y tế", 1.2),
    ("Văn hóa", 1),
    ("Thể dục thể thao", 0.4),
    ("Du lịch", 0.3),
    ("Nội vụ", 0.8),
    ("Thi đua khen thưởng", 0.7),
    ("Tôn giáo", 0.3),
    ("Tài nguyên nước", 0.4),
    ("Môi trường", 0.8),
    ("Quy hoạch", 0.5),
    ("Giao thông vận tải", 1),
    ("Công thương", 0.8),
    ("Nông nghiệp", 1),
    ("Thủy lợi", 0.3),
    ("Lâm nghiệp", 0.4),
    ("Tài chính", 0.6),
    ("Nuôi con nuôi", 0.2),
    ("Hòa giải cơ sở", 0.3),
    ("Giải quyết khiếu nại", 0.5),
    ("Dân tộc", 0.3),
)
LEVELS = ("province", "district", "commune")
# Share of dossiers received by the one-stop shops of each level.
LEVEL_SHARE = {"province": 0.05, "district": 0.35, "commune": 0.60}
# Procedures of the catalogue per (level, field): a range of counts.
PROCEDURES_PER_FIELD = {"province": (2, 9), "district": (2, 11), "commune": (1, 6)}
PROCESSING_DAYS = (0, 1, 2, 3, 5, 5, 7, 10, 10, 15, 20, 30)
FEES = (0, 0, 0, 0, 10_000, 20_000, 50_000, 100_000, 500_000)

COLUMNS = (
    "code",
    "unit_code",
    "procedure_code",
    "field",
    "channel",
    "online_level",
    "received_at",
    "due_at",
    "status",
    "resolved_at",
    "closed_at",
    "paused_at",
    "input_digitization",
    "result_digitized",
    "fee",
    "paid_online",
)


@dataclass
class Unit:
    code: str
    name: str
    level: str
    parent: str
    weight: float


@dataclass
class Procedure:
    code: str
    name: str
    field: str
    level: str
    days: int
    online_level: str
    fee: int


@dataclass
class Catalogue:
    units: list[Unit]
    procedures: list[Procedure]
    by_level_field: dict[tuple[str, str], list[Procedure]] = field(default_factory=dict)

    def units_csv(self) -> bytes:
        lines = ["code,name,level,parent_code"]
        lines += [f"{u.code},{u.name},{u.level},{u.parent}" for u in self.units]
        return ("\n".join(lines) + "\n").encode()

    def procedures_csv(self) -> bytes:
        lines = ["code,name,field,level,processing_days,online_level,fee"]
        lines += [
            f"{p.code},{p.name},{p.field},{p.level},{p.days},{p.online_level},{p.fee}"
            for p in self.procedures
        ]
        return ("\n".join(lines) + "\n").encode()


def make_catalogue(seed: int, districts: int = 30, units: int = 1000) -> Catalogue:
    """1 province, `districts` districts and the rest communes (spread unevenly over the
    districts); procedures per level and field."""
    rng = random.Random(f"catalogue-{seed}")
    communes = units - 1 - districts
    tree = [Unit("T01", "Tỉnh Thử Nghiệm", "province", "", LEVEL_SHARE["province"])]
    # Uneven districts: some have twice as many communes as others.
    sizes = [rng.uniform(0.5, 1.5) for _ in range(districts)]
    per_district = [int(communes * s / sum(sizes)) for s in sizes]
    for i in range(communes - sum(per_district)):
        per_district[i % districts] += 1
    district_weights = [rng.lognormvariate(0, 0.4) for _ in range(districts)]
    commune_weights = [[rng.lognormvariate(0, 0.6) for _ in range(k)] for k in per_district]
    total_d = sum(district_weights)
    total_c = sum(sum(ws) for ws in commune_weights)
    for d in range(districts):
        dcode = f"T01-H{d + 1:02d}"
        tree.append(
            Unit(
                dcode,
                f"Huyện Thử Nghiệm {d + 1}",
                "district",
                "T01",
                LEVEL_SHARE["district"] * district_weights[d] / total_d,
            )
        )
        for c, w in enumerate(commune_weights[d]):
            tree.append(
                Unit(
                    f"{dcode}-X{c + 1:02d}",
                    f"Xã Thử Nghiệm {d + 1}.{c + 1}",
                    "commune",
                    dcode,
                    LEVEL_SHARE["commune"] * w / total_c,
                )
            )

    procedures: list[Procedure] = []
    by_level_field: dict[tuple[str, str], list[Procedure]] = {}
    prefix = {"province": "T", "district": "H", "commune": "X"}
    for level in LEVELS:
        low, high = PROCEDURES_PER_FIELD[level]
        for f, (fname, _w) in enumerate(FIELDS):
            for k in range(rng.randint(low, high)):
                online = rng.choices(("none", "partial", "full"), (30, 40, 30))[0]
                p = Procedure(
                    code=f"{prefix[level]}-{f + 1:02d}-{k + 1:02d}",
                    name=f"Thủ tục {fname.lower()} cấp {level} số {k + 1}",
                    field=fname,
                    level=level,
                    days=rng.choice(PROCESSING_DAYS),
                    online_level=online,
                    fee=rng.choice(FEES),
                )
                procedures.append(p)
                by_level_field.setdefault((level, fname), []).append(p)
    return Catalogue(tree, procedures, by_level_field)


class WorkingDays:
    """Working-day arithmetic over [first, last + a year], from the same rule base as
    cchc.workcalendar (the `holidays` package, country VN, weekends off), as plain lists so
    one step costs O(1)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        days = (last - first).days + 400
        years = range(first.year, first.year + days // 365 + 2)
        off = set(holidays.country_holidays("VN", years=years).keys())
        self.dates = [first + dt.timedelta(days=i) for i in range(days)]
        self.iso = [d.isoformat() for d in self.dates]
        self.working = [d.weekday() < 5 and d not in off for d in self.dates]
        self.workdays = [i for i, w in enumerate(self.working) if w]
        # For each day: the index in `workdays` of the last working day on or before it,
        # and of the first working day on or after it.
        self.prev_w: list[int] = []
        self.next_w: list[int] = [0] * days
        k = -1
        for i in range(days):
            if self.working[i]:
                k += 1
            self.prev_w.append(k)
        k = len(self.workdays)
        for i in range(days - 1, -1, -1):
            if self.working[i]:
                k -= 1
            self.next_w[i] = k

    def next_working(self, day: int) -> int:
        return self.workdays[self.next_w[day]]

    def add(self, day: int, n: int) -> int:
        """The day `n` working days after `day` (not counted); 0 days: the next working day."""
        if n <= 0:
            return self.next_working(day)
        return self.workdays[self.prev_w[day] + n]


@dataclass
class DossierSet:
    rows: int
    size: int  # bytes written
    first_day: dt.date
    last_day: dt.date
    statuses: dict[str, int]


def _cum(weights):
    return list(accumulate(weights))


def make_dossiers(
    catalogue: Catalogue, n: int, seed: int, out: BinaryIO, as_of: dt.date = AS_OF
) -> DossierSet:
    """Write the CSV of `n` dossiers received over YEARS years up to `as_of`, in their state on
    `as_of`, to `out` (a chunk at a time, so that generating takes little memory)."""
    rng = random.Random(f"dossiers-{seed}")
    rand = rng.random
    randint = rng.randint
    last = as_of
    first = dt.date(last.year - YEARS, last.month, last.day) + dt.timedelta(days=1)
    span = (last - first).days + 1
    cal = WorkingDays(first, last)
    iso = cal.iso

    units = catalogue.units
    unit_cum = _cum(u.weight for u in units)
    unit_total = unit_cum[-1]
    # Field mix per level: the base weights, perturbed per level (communes do little land work
    # at the province's one-stop shop and vice versa).
    field_names = [f for f, _w in FIELDS]
    field_cum = {}
    for level in LEVELS:
        lr = random.Random(f"fields-{level}-{seed}")
        field_cum[level] = _cum(w * lr.uniform(0.3, 1.7) for _f, w in FIELDS)
    procs = catalogue.by_level_field

    channel_cum = {  # direct, online, postal
        "none": _cum((96, 0, 4)),
        "partial": _cum((60, 35, 5)),
        "full": _cum((40, 55, 5)),
    }
    channels = ("direct", "online", "postal")
    digit_cum = _cum((55, 25, 15, 5))
    digits = ("full", "partial", "none", "")

    statuses = {"resolved": 0, "processing": 0, "paused": 0, "rejected": 0, "withdrawn": 0}
    size = out.write((",".join(COLUMNS) + "\n").encode())
    lines: list[str] = []
    append = lines.append
    for i in range(n):
        unit = units[bisect(unit_cum, rand() * unit_total)]
        level = unit.level
        fc = field_cum[level]
        fname = field_names[bisect(fc, rand() * fc[-1])]
        if rand() < 0.03:  # no catalogue code: the field alone
            proc = None
            pcode, online_level, days, fee = "", "none", randint(0, 5), 0
        else:
            choices = procs[(level, fname)]
            proc = choices[int(rand() * len(choices))]
            pcode, online_level, days, fee = proc.code, proc.online_level, proc.days, proc.fee
        cc = channel_cum[online_level]
        channel = channels[bisect(cc, rand() * cc[-1])]

        day = int(rand() * span)
        if channel == "online":
            minute = int(rand() * 1440)
        else:  # at the counter, on a working day, in office hours
            day = cal.next_working(day)
            if day >= span:
                day = cal.workdays[cal.prev_w[span - 1]]
            minute = 450 + int(rand() * 450)
            if minute >= 690:  # lunch break 11:30-13:30
                minute += 120
        # Mostly date-times; some systems export the date alone.
        received = f"{iso[day]}T{minute // 60:02d}:{minute % 60:02d}"
        if rand() < 0.15:
            received = iso[day]
        due = cal.add(day, days)

        r = rand()
        stuck = False
        if r < 0.006:  # forgotten: never closed
            stuck, status, end = True, "", span + 1
        elif r < 0.026:
            status, end = "rejected", day + randint(0, 10)
        elif r < 0.041:
            status, end = "withdrawn", day + randint(0, 15)
        else:
            status = "resolved"
            t = rand()
            if t < 0.72 and due > day:
                end = day + int(rand() * (due - day))
            elif t < 0.92:
                end = due
            else:
                end = due + 1 + min(int(rng.expovariate(1 / 8)), 120)
        resolved_at = closed_at = paused_at = ""
        if stuck or end >= span:  # still open on as_of
            if rand() < (0.3 if stuck else 0.18):
                status = "paused"
                paused_at = iso[day + int(rand() * (span - day))]
            else:
                status = "processing"
        elif status == "resolved":
            if rand() < 0.7:
                m = 480 + int(rand() * 540)
                resolved_at = f"{iso[end]}T{m // 60:02d}:{m % 60:02d}"
            else:
                resolved_at = iso[end]
        else:
            closed_at = iso[end]
        statuses[status] += 1

        digit = digits[bisect(digit_cum, rand() * 100)]
        result = ""
        if status == "resolved":
            q = rand()
            result = "1" if q < 0.75 else ("0" if q < 0.95 else "")
        paid = ""
        if fee:
            paid = "1" if channel == "online" and rand() < 0.7 else "0"
        append(
            f"HS{i + 1:08d},{unit.code},{pcode},{fname},{channel},"
            f"{online_level if rand() < 0.9 else ''},{received},{iso[due]},{status},"
            f"{resolved_at},{closed_at},{paused_at},{digit},{result},{fee or ''},{paid}\n"
        )
        if len(lines) >= 10_000:
            size += out.write("".join(lines).encode())
            lines.clear()
    size += out.write("".join(lines).encode())
    return DossierSet(n, size, first, last, statuses)
