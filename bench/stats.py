#!/usr/bin/env python
"""Benchmark: import and period statistics of N synthetic dossiers, against DuckDB.

Generates a 3-level unit tree (1 province, 30 districts, 969 communes), 30 fields, a
procedure catalogue and N dossiers received over 3 years (deterministic for a seed), loads
them with cchc's own importers into a throw-away database (SQLite in a temporary directory,
or the PostgreSQL database named by --database-url, created and dropped here), times
`period_statistics` for the root and for one commune, counting from the dossiers
(`cached=False`: the stored counts of cchc.stats.cache would answer the repeated runs), then
exports the same rows to Parquet and times DuckDB computing the same counts. DuckDB's counts
must equal cchc's, else the run fails. It also times the root read back from the stored
counts, as the pages read it. The last line is `ratio cchc/duckdb: R` (cchc's time for the root report / DuckDB's).

    .venv/bin/python bench/stats.py --n 20000
    .venv/bin/python bench/stats.py --database-url postgres://postgres@127.0.0.1:5432/cchc_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402

CREATED: list[str] = []  # the PostgreSQL database this run created (dropped at the end)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="dossiers (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL URL whose database name contains 'bench'; it is dropped and "
        "created afresh (default: SQLite in a temporary directory)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, CSVs and Parquet files"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs after a warm-up (default 3)"
    )
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="do not run ANALYZE after the import (the planner then works without statistics)",
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be at least 1")
    if args.database_url:
        if not args.database_url.startswith(("postgres://", "postgresql://")):
            parser.error("--database-url must be a postgres:// URL")
        if "bench" not in _admin_url(args.database_url)[1]:
            parser.error("the database of --database-url is dropped: its name must contain 'bench'")
    return args


def peak_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, list[float], object]:
    """Median wall time of `repeat` runs after one warm-up run, the times, the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def fmt_times(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def create_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_size(connection, sqlite_file: Path | None) -> int:
    if sqlite_file is not None:
        return sum(p.stat().st_size for p in sqlite_file.parent.glob(sqlite_file.name + "*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def analyze(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def cchc_revision() -> str:
    """Where the cchc under test comes from, and its commit when that is a git checkout."""
    import subprocess

    import cchc

    where = Path(cchc.__file__).resolve().parent
    try:
        rev = subprocess.run(
            ["git", "-C", str(where), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev = "not a git checkout"
    return f"{where} ({rev})"


def last_reporting_year(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole reporting year (15/12 → 14/12, Nghị định 09/2019) ended before `as_of`."""
    year = as_of.year if dt.date(as_of.year, 12, 14) < as_of else as_of.year - 1
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


def mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def run(args: argparse.Namespace, work: Path) -> int:
    sqlite_file = None
    if args.database_url:
        create_postgres(args.database_url)
        CREATED.append(args.database_url)
        os.environ["DATABASE_URL"] = args.database_url
    else:
        sqlite_file = work / "cchc.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    import duck

    from cchc.catalog.services import import_procedures_csv
    from cchc.dossiers.exchange import import_dossiers
    from cchc.org.models import Unit
    from cchc.org.services import import_units_csv
    from cchc.stats.selectors import period_statistics

    db_name = (
        f"sqlite {sqlite_file}"
        if sqlite_file
        else f"{connection.vendor} {connection.settings_dict['NAME']}"
    )
    print(f"cchc bench stats: N={args.n:,} seed={args.seed} database={db_name}")
    print(f"cchc under test: {cchc_revision()}")

    # ---------------------------------------------------------------- generate
    t0 = time.perf_counter()
    catalogue = synthetic.make_catalogue(args.seed)
    csv_file = work / "dossiers.csv"
    with csv_file.open("wb") as out:
        dossiers = synthetic.make_dossiers(catalogue, args.n, args.seed, out)
    t_gen = time.perf_counter() - t0
    levels = {lvl: sum(u.level == lvl for u in catalogue.units) for lvl in synthetic.LEVELS}
    print(
        f"generate: {len(catalogue.units):,} units ({', '.join(f'{v} {k}' for k, v in levels.items())}), "
        f"{len(synthetic.FIELDS)} fields, {len(catalogue.procedures)} procedures, "
        f"{args.n:,} dossiers received {dossiers.first_day}..{dossiers.last_day} "
        f"({', '.join(f'{k} {v:,}' for k, v in dossiers.statuses.items())}); "
        f"CSV {mb(dossiers.size)} in {t_gen:.1f} s; peak RSS {peak_mb():,.0f} MB"
    )
    (work / "units.csv").write_bytes(catalogue.units_csv())
    (work / "procedures.csv").write_bytes(catalogue.procedures_csv())

    # ---------------------------------------------------------------- load
    t0 = time.perf_counter()
    report = import_units_csv(catalogue.units_csv())
    if report.errors:
        print("units.csv rejected:", *report.errors[:10], sep="\n  ", file=sys.stderr)
        return 1
    # The province publishes its catalogue (danh mục TTHC) for its subtree.
    province = Unit.objects.get(code=catalogue.units[0].code)
    report = import_procedures_csv(catalogue.procedures_csv(), owner=province)
    if report.errors:
        print("procedures.csv rejected:", *report.errors[:10], sep="\n  ", file=sys.stderr)
        return 1
    print(f"load units and procedures: {time.perf_counter() - t0:.1f} s")

    data = csv_file.read_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    report = import_dossiers(data, source="bench")
    t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
    del data
    rate = report.imported / t_import
    print(
        f"import: {report.imported:,} rows in {t_import:.1f} s = {rate:,.0f} rows/s "
        f"({report.rejected_lines} rejected, {len(report.warnings)} warnings; "
        f"{c_import:.1f} s CPU in this process); peak RSS {peak_mb():,.0f} MB"
    )
    if report.errors or report.imported != args.n:
        print("IMPORT FAILED:", *map(str, report.errors[:20]), sep="\n  ", file=sys.stderr)
        return 1
    if not args.no_analyze:
        t0 = time.perf_counter()
        analyze(connection)
        print(f"analyze: {time.perf_counter() - t0:.1f} s")
    print(f"database size: {mb(database_size(connection, sqlite_file))}")

    # ---------------------------------------------------------------- cchc
    start, end = last_reporting_year(synthetic.AS_OF)
    root = Unit.objects.get(code=catalogue.units[0].code)
    commune = Unit.objects.filter(level__name="commune").order_by("code").first()
    print(
        f"period: {start}..{end}; root {root.code}, commune {commune.code}; {args.repeat} runs after a warm-up"
    )

    t_root, times, stats_root = timed(
        lambda: period_statistics(root, start, end, cached=False), args.repeat
    )
    print(
        f"cchc root: {t_root:.3f} s median ({fmt_times(times)}); "
        f"{stats_root['dossiers']['all']['received_total']:,} dossiers in scope"
    )
    t_commune, times, stats_commune = timed(
        lambda: period_statistics(commune, start, end, cached=False), args.repeat
    )
    print(
        f"cchc commune: {t_commune:.4f} s median ({fmt_times(times)}); "
        f"{stats_commune['dossiers']['all']['received_total']:,} dossiers in scope"
    )
    t_stored, times, stats_stored = timed(lambda: period_statistics(root, start, end), args.repeat)
    assert stats_stored == stats_root, "the stored counts differ from the dossiers' counts"
    print(f"cchc root from the stored counts: {t_stored:.4f} s median ({fmt_times(times)})")
    print(f"peak RSS {peak_mb():,.0f} MB")

    # ---------------------------------------------------------------- DuckDB
    parquet = work / "parquet"
    t0 = time.perf_counter()
    exported = duck.export_parquet(parquet)
    size = sum(p.stat().st_size for p in parquet.glob("*.parquet"))
    print(
        f"parquet export: {exported['dossiers']:,} dossiers, {exported['pauses']:,} pauses, "
        f"{mb(size)} in {time.perf_counter() - t0:.1f} s"
    )
    con = duck.connect(parquet)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    d_root, times, duck_root = timed(
        lambda: duck.period_counts(con, root.path, start, end), args.repeat
    )
    print(f"duckdb root: {d_root:.4f} s median ({fmt_times(times)}); {threads} threads")
    d_commune, times, duck_commune = timed(
        lambda: duck.period_counts(con, commune.path, start, end), args.repeat
    )
    print(f"duckdb commune: {d_commune:.4f} s median ({fmt_times(times)})")
    print(f"peak RSS {peak_mb():,.0f} MB")

    problems = duck.compare(stats_root, duck_root) + duck.compare(stats_commune, duck_commune)
    if problems:
        print(f"MISMATCH: cchc and DuckDB disagree on {len(problems)} counts:", file=sys.stderr)
        for line in problems[:50]:
            print("  " + line, file=sys.stderr)
        print(f"MISMATCH ({len(problems)} counts): no ratio")
        return 1
    print(
        "check: DuckDB's counts equal cchc's (all, by_level, by_unit, by_field, digitization, fees, satisfaction, online services)"
    )

    print(
        f"import {rate:,.0f} rows/s; root cchc {t_root:.3f} s, duckdb {d_root:.4f} s; "
        f"commune cchc {t_commune:.4f} s, duckdb {d_commune:.4f} s, "
        f"ratio {t_commune / d_commune:.2f}; peak RSS {peak_mb():,.0f} MB"
    )
    print(f"ratio cchc/duckdb: {t_root / d_root:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    status = 1
    try:
        status = run(args, work)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django never set up
            pass
        if args.keep:
            kept = f" and database {args.database_url}" if args.database_url else ""
            print(f"kept: {work}{kept}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
            if args.database_url and CREATED:
                drop_postgres(args.database_url)
    return status


if __name__ == "__main__":
    sys.exit(main())
