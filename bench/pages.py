"""Time the statistics pages on a database that bench/stats.py loaded and kept.

    .venv/bin/python bench/stats.py --database-url postgres://postgres@127.0.0.1:5432/cchc_bench --keep
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/cchc_bench

For the root, a district and a commune, over the last reporting year, it times the statistics
page, a drill-down list and the trends, through Django's test client (the whole view: query,
template, formatting), against a baseline measured in the same run: `period_statistics`
counting from the dossiers (cached=False) for the same unit and period.

The pages read stored counts (cchc.stats.cache) when they are still exact. So the root's page
is timed first with nothing stored ("cold": it counts and stores), then `cchc warm_stats` runs
for the reporting months that the trends draw, and every page is timed again with the counts
stored, as after the nightly warm_stats or the first look. It prints each time, the ratio
page/baseline, and whether the pages answer under the 300 ms goal of issue 4; the last line
is `ratio page/stats (root): R` (the stored page against counting from the dossiers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import last_reporting_year
from synthetic import AS_OF

GOAL_S = 0.300


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", required=True, help="a database loaded by bench/stats.py --keep"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after a warm-up")
    return parser.parse_args(argv)


def median_time(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cchc.org.models import Unit, User
    from cchc.stats import cache
    from cchc.stats.selectors import period_statistics

    setup_test_environment()  # the test client's ALLOWED_HOSTS ("testserver")
    root = Unit.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        print("no units: load the database with bench/stats.py --keep first", file=sys.stderr)
        return 2
    district = root.children.order_by("code").first()
    commune = district.children.order_by("code").first() if district else None
    start, end = last_reporting_year(AS_OF)
    viewer, _ = User.objects.get_or_create(
        username="bench-pages", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(viewer)
    period = {"kind": "custom", "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}

    print(f"cchc bench pages: {args.database_url.split('@')[-1]}, period {start}..{end}")
    forgotten = cache.forget()
    t0 = time.perf_counter()
    response = client.get("/", {"unit": root.code, **period})
    cold = time.perf_counter() - t0
    assert response.status_code == 200
    print(
        f"root {root.code} with no stored counts ({forgotten:,} rows forgotten): "
        f"page {cold * 1000:.0f} ms (counts every unit and stores the counts)"
    )
    t0 = time.perf_counter()
    call_command("warm_stats", "--unit", root.code, "--today", end.isoformat(), stdout=sys.stderr)
    print(f"cchc warm_stats for the trends' months: {time.perf_counter() - t0:.1f} s")
    ratios = {}
    for label, unit in (("root", root), ("district", district), ("commune", commune)):
        if unit is None:
            continue
        query = {"unit": unit.code, **period}

        def page(path: str, extra: dict | None = None, query=query) -> None:
            response = client.get(path, {**query, **(extra or {})})
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")

        baseline = median_time(
            lambda unit=unit: period_statistics(unit, start, end, cached=False), args.repeat
        )
        home = median_time(lambda: page("/"), args.repeat)
        drill = median_time(lambda: page("/ho-so/", {"count": "resolved"}), args.repeat)
        trend = median_time(lambda: page("/xu-huong/"), args.repeat)
        ratios[label] = home / baseline
        verdict = "yes" if max(home, drill, trend) < GOAL_S else "no"
        print(
            f"{label} {unit.code}: counted from the dossiers {baseline * 1000:.0f} ms; "
            f"page {home * 1000:.0f} ms (ratio {home / baseline:.2f}), "
            f"drill-down {drill * 1000:.0f} ms, trends {trend * 1000:.0f} ms; "
            f"page, list and trends under 300 ms: {verdict}"
        )
    print(f"ratio page/stats (root): {ratios['root']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
