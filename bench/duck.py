"""The baseline: the same period counts computed by DuckDB from the same rows in Parquet.

The rows are read from cchc's own tables (whatever the database), written to Parquet, and
counted with one SQL query per report that follows domain.md ("The period and its counts")
and cchc.stats.selectors line by line: the state on the period's end comes from the dates
and the pause intervals, the counts are rolled up by level, unit and field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import Dossier, DossierPause
from cchc.org.models import Unit, UnitLevel

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# The counts of domain.md, plus the extra ones behind the digitisation block.
COUNT_KEYS = (
    "received_total",
    "carried_over",
    "received_in_period",
    "online",
    "direct_postal",
    "online_eligible",
    "resolved",
    "early",
    "on_time",
    "late",
    "rejected",
    "withdrawn",
    "pending_not_due",
    "pending_overdue",
    "paused",
    "input_any",
    "input_full",
    "result_digitized",
    "paid_online",
    "with_fee",
    "rated",
    "satisfied",
    "normal",
    "not_satisfied",
)
ONLINE_KEYS = (
    "procedures",
    "procedures_with_dossiers",
    "procedures_with_online_dossiers",
    "dossiers",
    "online_dossiers",
)


def _columns(model, names: list[str]) -> str:
    return ", ".join(
        connection.ops.quote_name(model._meta.get_field(n).column) + f" AS {n}" for n in names
    )


def _export(sql: str, path: Path, schema: pa.Schema, chunk: int = 100_000) -> int:
    """Run `sql` on cchc's database connection and write the rows to Parquet."""
    rows = 0
    # A server-side cursor on PostgreSQL: the rows are not all held in memory at once.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        writer = pq.ParquetWriter(path, schema)
        try:
            while batch := cursor.fetchmany(chunk):
                columns = list(zip(*batch, strict=True))
                arrays = []
                for values, fld in zip(columns, schema, strict=True):
                    arrays.append(_array(values, fld.type))
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                rows += len(batch)
        finally:
            writer.close()
    return rows


def _array(values, typ: pa.DataType) -> pa.Array:
    """A column from what the driver returned (Django's SQLite converters give dates and bools
    as Python objects, as psycopg does; anything else is read from its text)."""
    try:
        return pa.array(values, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    if pa.types.is_timestamp(typ):  # naive UTC, whether the driver gave aware or naive values
        return pa.array(
            [
                v.astimezone(dt.UTC).replace(tzinfo=None)
                if isinstance(v, dt.datetime) and v.tzinfo
                else v
                for v in values
            ],
            type=typ,
        )
    if pa.types.is_boolean(typ):
        return pa.array([None if v is None else bool(v) for v in values], type=typ)
    if pa.types.is_date(typ):
        return pa.array(
            [
                v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(v)
                for v in values
            ],
            type=typ,
        )
    return pa.array([None if v is None else str(v) for v in values], type=pa.string()).cast(typ)


def export_parquet(directory: Path) -> dict[str, int]:
    """Write units, levels, fields, procedures, dossiers and pauses to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    q = connection.ops.quote_name
    counts = {}
    counts["units"] = _export(
        f"SELECT u.{q('id')}, u.{q('code')}, u.{q('path')}, l.{q('name')} "
        f"FROM {q(Unit._meta.db_table)} u JOIN {q(UnitLevel._meta.db_table)} l "
        f"ON u.{q('level_id')} = l.{q('id')}",
        directory / "units.parquet",
        pa.schema(
            [
                ("id", pa.int64()),
                ("code", pa.string()),
                ("path", pa.string()),
                ("level", pa.string()),
            ]
        ),
    )
    counts["fields"] = _export(
        f"SELECT {_columns(Field, ['id', 'name'])} FROM {q(Field._meta.db_table)}",
        directory / "fields.parquet",
        pa.schema([("id", pa.int64()), ("name", pa.string())]),
    )
    counts["procedures"] = _export(
        f"SELECT p.{q('id')}, p.{q('level')}, p.{q('online_level')}, p.{q('active')}, "
        f"o.{q('path')} FROM {q(Procedure._meta.db_table)} p "
        f"LEFT JOIN {q(Unit._meta.db_table)} o ON p.{q('owner_id')} = o.{q('id')}",
        directory / "procedures.parquet",
        pa.schema(
            [
                ("id", pa.int64()),
                ("level", pa.string()),
                ("online_level", pa.string()),
                ("active", pa.bool_()),
                ("owner_path", pa.string()),  # NULL: the shared catalogue
            ]
        ),
    )
    dossier_schema = pa.schema(
        [
            ("id", pa.int64()),
            ("unit_id", pa.int64()),
            ("procedure_id", pa.int64()),
            ("field_id", pa.int64()),
            ("channel", pa.string()),
            ("online_level", pa.string()),
            ("received_date", pa.date32()),
            ("initial_due_date", pa.date32()),
            ("due_date", pa.date32()),
            ("due_date_since", pa.date32()),
            ("outcome", pa.string()),
            ("ended_date", pa.date32()),
            ("timeliness", pa.string()),
            ("ever_paused", pa.bool_()),
            ("input_digitization", pa.string()),
            ("result_digitized", pa.bool_()),
            ("fee", pa.int64()),
            ("paid_online", pa.bool_()),
            ("returned_at", pa.timestamp("us")),  # UTC
            ("return_tracked", pa.bool_()),
            ("satisfaction", pa.string()),
        ]
    )
    names = [f.name for f in dossier_schema]
    counts["dossiers"] = _export(
        f"SELECT {_columns(Dossier, names)} FROM {q(Dossier._meta.db_table)}",
        directory / "dossiers.parquet",
        dossier_schema,
    )
    pause_schema = pa.schema(
        [
            ("dossier_id", pa.int64()),
            ("started_at", pa.string()),
            ("started_date", pa.date32()),
            ("resumed_date", pa.date32()),
            ("due_date_after", pa.date32()),
        ]
    )
    names = [f.name for f in pause_schema]
    counts["pauses"] = _export(
        f"SELECT {_columns(DossierPause, names)} FROM {q(DossierPause._meta.db_table)}",
        directory / "pauses.parquet",
        pause_schema,
    )
    return counts


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose tables are views over the Parquet files (read on every query)."""
    con = duckdb.connect()
    for name in ("units", "fields", "procedures", "dossiers", "pauses"):
        path = str(directory / f"{name}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


# Dossiers of the subtree that count in [start, end], with their state on `end`
# (cchc.stats.selectors.dossiers_in_scope + annotate_state_at).
_SCOPE = """
WITH sub AS (
    SELECT id, code, level FROM units WHERE starts_with(path, $path)
),
open_at_end AS (  -- a pause that began by the end and had not ended on it
    SELECT DISTINCT dossier_id FROM pauses
    WHERE started_date <= $end AND (resumed_date IS NULL OR resumed_date > $end)
),
due_then AS (  -- the due date set by the last resumption on or before the end
    SELECT dossier_id, due_date_after FROM pauses WHERE resumed_date <= $end
    QUALIFY row_number() OVER (
        PARTITION BY dossier_id ORDER BY resumed_date DESC, started_at DESC) = 1
),
scope AS (
    SELECT d.*, sub.code AS unit_code, sub.level AS unit_level,
        (d.ever_paused AND o.dossier_id IS NOT NULL) AS paused_at_end,
        CASE WHEN d.due_date_since <= $end THEN d.due_date
             ELSE coalesce(t.due_date_after, d.initial_due_date) END AS due_at_end,
        (d.ended_date IS NULL OR d.ended_date > $end) AS still_open,
        (d.outcome = 'resolved' AND d.ended_date <= $end) AS is_resolved,
        -- handed over by the end (one imported without a moment of return counts as handed over)
        (d.outcome = 'resolved' AND d.ended_date <= $end
         AND (d.returned_at < $returned_before
              OR (d.returned_at IS NULL AND NOT d.return_tracked))) AS is_returned,
        (d.received_date >= $start) AS in_period
    FROM dossiers d
    JOIN sub ON d.unit_id = sub.id
    LEFT JOIN open_at_end o ON o.dossier_id = d.id
    LEFT JOIN due_then t ON t.dossier_id = d.id
    WHERE d.received_date <= $end AND (d.ended_date IS NULL OR d.ended_date >= $start)
)
"""

COUNTS_SQL = (
    _SCOPE
    + """
SELECT
    CASE WHEN grouping(unit_level) = 0 THEN 'by_level'
         WHEN grouping(unit_code) = 0 THEN 'by_unit'
         WHEN grouping(f.name) = 0 THEN 'by_field'
         ELSE 'all' END AS part,
    coalesce(unit_level, unit_code, f.name) AS key,
    count(*) AS received_total,
    count(*) FILTER (received_date < $start) AS carried_over,
    count(*) FILTER (in_period) AS received_in_period,
    count(*) FILTER (in_period AND channel = 'online') AS online,
    count(*) FILTER (in_period AND channel <> 'online') AS direct_postal,
    count(*) FILTER (in_period AND (online_level IN ('partial', 'full') OR channel = 'online'))
        AS online_eligible,
    count(*) FILTER (is_resolved) AS resolved,
    count(*) FILTER (is_resolved AND timeliness = 'early') AS early,
    count(*) FILTER (is_resolved AND timeliness = 'on_time') AS on_time,
    count(*) FILTER (is_resolved AND timeliness = 'late') AS late,
    count(*) FILTER (outcome = 'rejected' AND ended_date <= $end) AS rejected,
    count(*) FILTER (outcome = 'withdrawn' AND ended_date <= $end) AS withdrawn,
    count(*) FILTER (still_open AND NOT paused_at_end AND due_at_end >= $end) AS pending_not_due,
    count(*) FILTER (still_open AND NOT paused_at_end AND due_at_end < $end) AS pending_overdue,
    count(*) FILTER (still_open AND paused_at_end) AS paused,
    count(*) FILTER (in_period AND input_digitization IN ('partial', 'full')) AS input_any,
    count(*) FILTER (in_period AND input_digitization = 'full') AS input_full,
    count(*) FILTER (is_returned AND result_digitized) AS result_digitized,
    count(*) FILTER (is_returned AND paid_online) AS paid_online,
    count(*) FILTER (is_returned AND (fee > 0 OR paid_online)) AS with_fee,
    count(*) FILTER (is_returned AND satisfaction <> '') AS rated,
    count(*) FILTER (is_returned AND satisfaction = 'satisfied') AS satisfied,
    count(*) FILTER (is_returned AND satisfaction = 'normal') AS normal,
    count(*) FILTER (is_returned AND satisfaction = 'not_satisfied') AS not_satisfied
FROM scope JOIN fields f ON f.id = scope.field_id
GROUP BY GROUPING SETS ((), (unit_level), (unit_code), (f.name))
"""
)

ONLINE_SQL = (
    _SCOPE
    + """
, levels AS (SELECT DISTINCT level FROM sub),
used AS (  -- dossiers received in the period at an online level that is offered
    SELECT unit_level, online_level, procedure_id, channel FROM scope
    WHERE in_period AND online_level IN ('partial', 'full')
),
offered AS (  -- the catalogue's procedures of the subtree's levels, and those that had dossiers
    SELECT level, online_level, id AS procedure_id FROM procedures
    WHERE active AND online_level IN ('partial', 'full') AND level IN (SELECT level FROM levels)
        -- available to the subtree: the shared catalogue, one above the unit, or one inside
        AND (owner_path IS NULL OR starts_with($path, owner_path) OR starts_with(owner_path, $path))
    UNION
    SELECT unit_level, online_level, procedure_id FROM used WHERE procedure_id IS NOT NULL
),
procs AS (
    SELECT level, online_level, count(DISTINCT procedure_id) AS n FROM offered
    GROUP BY GROUPING SETS ((online_level), (level, online_level))
),
counts AS (
    SELECT unit_level, online_level,
        count(*) AS dossiers,
        count(*) FILTER (channel = 'online') AS online_dossiers,
        count(DISTINCT procedure_id) AS procedures_with_dossiers,
        count(DISTINCT procedure_id) FILTER (channel = 'online')
            AS procedures_with_online_dossiers
    FROM used
    GROUP BY GROUPING SETS ((online_level), (unit_level, online_level))
),
keys AS (
    SELECT NULL AS level, o.online_level FROM (VALUES ('partial'), ('full')) o(online_level)
    UNION ALL
    SELECT l.level, o.online_level FROM levels l, (VALUES ('partial'), ('full')) o(online_level)
)
SELECT k.level, k.online_level,
    coalesce(p.n, 0) AS procedures,
    coalesce(c.procedures_with_dossiers, 0) AS procedures_with_dossiers,
    coalesce(c.procedures_with_online_dossiers, 0) AS procedures_with_online_dossiers,
    coalesce(c.dossiers, 0) AS dossiers,
    coalesce(c.online_dossiers, 0) AS online_dossiers
FROM keys k
LEFT JOIN procs p ON p.level IS NOT DISTINCT FROM k.level AND p.online_level = k.online_level
LEFT JOIN counts c ON c.unit_level IS NOT DISTINCT FROM k.level AND c.online_level = k.online_level
"""
)


def period_counts(con: duckdb.DuckDBPyConnection, path: str, start: dt.date, end: dt.date) -> dict:
    """The counts of one report: {"all": {...}, "by_level": {...}, "by_unit": {...},
    "by_field": {...}, "online_services": {"partial": {...}, "full": {...}, "by_level": ...}}."""
    day_after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
    params = {
        "path": path,
        "start": start,
        "end": end,
        "returned_before": day_after.astimezone(dt.UTC).replace(tzinfo=None),
    }
    out: dict = {"all": {}, "by_level": {}, "by_unit": {}, "by_field": {}}
    cursor = con.execute(COUNTS_SQL, params)
    names = [c[0] for c in cursor.description]
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        counts = {k: int(record[k]) for k in COUNT_KEYS}
        if record["part"] == "all":
            out["all"] = counts
        else:
            out[record["part"]][record["key"]] = counts
    online: dict = {"by_level": {}}
    cursor = con.execute(ONLINE_SQL, params)
    names = [c[0] for c in cursor.description]
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        counts = {k: int(record[k]) for k in ONLINE_KEYS}
        if record["level"] is None:
            online[record["online_level"]] = counts
        else:
            online["by_level"].setdefault(record["level"], {})[record["online_level"]] = counts
    out["online_services"] = online
    return out


def compare(cchc: dict, duck: dict) -> list[str]:
    """Every count on which cchc's period statistics and DuckDB's disagree."""
    problems = []
    zero = dict.fromkeys(COUNT_KEYS, 0)

    def check(place: str, ours: dict, theirs: dict, keys) -> None:
        for key in keys:
            if ours.get(key, 0) != theirs.get(key, 0):
                problems.append(
                    f"{place}.{key}: cchc {ours.get(key, 0)} != duckdb {theirs.get(key, 0)}"
                )

    dossiers = cchc["dossiers"]
    keys = [k for k in COUNT_KEYS if k in dossiers["all"]]
    check("dossiers.all", dossiers["all"], duck["all"] or zero, keys)
    for part in ("by_level", "by_unit", "by_field"):
        for name in sorted(set(dossiers[part]) | set(duck[part])):
            check(
                f"dossiers.{part}.{name}",
                dossiers[part].get(name, zero),
                duck[part].get(name, zero),
                keys,
            )
    check(
        "digitization",
        cchc["digitization"],
        duck["all"] or zero,
        ("input_any", "input_full", "result_digitized"),
    )
    fees = cchc["fees"]
    check(
        "fees",
        {"with_fee": fees["resolved_with_fee"], "paid_online": fees["paid_online"]},
        duck["all"] or zero,
        ("with_fee", "paid_online"),
    )
    if "satisfaction" in cchc:
        check(
            "satisfaction",
            cchc["satisfaction"],
            duck["all"] or zero,
            ("rated", "satisfied", "normal", "not_satisfied"),
        )
    online = cchc["online_services"]
    for lvl in ("partial", "full"):
        check(f"online_services.{lvl}", online[lvl], duck["online_services"][lvl], ONLINE_KEYS)
    for name, per in online.get("by_level", {}).items():
        for lvl in ("partial", "full"):
            theirs = duck["online_services"]["by_level"].get(name, {}).get(lvl, {})
            check(f"online_services.by_level.{name}.{lvl}", per[lvl], theirs, ONLINE_KEYS)
    return problems
