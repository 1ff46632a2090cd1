"""Append-only tables (journals, histories): rows are added, never changed or deleted.

Two guards. The models refuse `save()` of a stored row, `delete()`, and `QuerySet.update()` /
`.delete()` with `AppendOnlyError`, a clear Python error. The database refuses the same with
triggers (installed by `AppendOnly` in a migration), so that raw SQL, a bulk statement or
another program cannot rewrite history either.

A row may be deleted only together with its parent row: when the parent (a dossier) is
deleted, its rows go after it (on_delete=DELETE_AFTER_PARENT, in the same transaction: the
foreign keys are checked at commit) and the trigger lets them, the parent being gone. Emptying the whole database (`flush`, between transactional tests) is the
other exception: PostgreSQL empties tables with TRUNCATE, which row triggers do not see, and on
SQLite the `flush` command (cchc.dossiers) marks the purge in GUARD_TABLE inside its own
transaction, so the mark is never left behind.

The trigger SQL of a shipped migration must stay as it was: change it with new trigger names in
a new migration.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import migrations, models, transaction
from django.utils.translation import gettext_lazy as _

GUARD_TABLE = "cchc_purge_guard"
MESSAGE = "append-only"  # the database's error text (English, machine-read)


class AppendOnlyError(ValidationError):
    def __init__(self, message=None):
        super().__init__(message or _("Nhật ký chỉ được ghi thêm, không được sửa hay xóa."))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


def DELETE_AFTER_PARENT(collector, field, sub_objs, using):
    """`on_delete` of an append-only row's parent key: cascade, but delete the parent row
    first, so that the trigger sees it gone and lets its rows go (Django's CASCADE deletes the
    rows first, which the trigger refuses). Unlike DB_CASCADE it mixes with the parent's other
    Python-level keys. A list, as a queryset could be deleted at once before the parents."""
    collector.collect(
        list(sub_objs),
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=field.null,
        reverse_dependency=True,
        fail_on_restricted=False,
    )


def _names(table: str) -> tuple[str, str, str]:
    return f"{table}_no_update", f"{table}_no_delete", f"{table}_append_only"


def _sqlite_sql(table: str, parent_table: str, parent_column: str) -> tuple[list, list]:
    no_update, no_delete, _function = _names(table)
    forward = [
        f"CREATE TABLE IF NOT EXISTS {GUARD_TABLE} (purging integer NOT NULL)",
        f"""CREATE TRIGGER {no_update} BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {table}'); END""",
        f"""CREATE TRIGGER {no_delete} BEFORE DELETE ON {table}
            WHEN NOT EXISTS (SELECT 1 FROM {GUARD_TABLE})
             AND EXISTS (SELECT 1 FROM {parent_table} WHERE id = OLD.{parent_column})
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {table}'); END""",
    ]
    backward = [f"DROP TRIGGER IF EXISTS {no_update}", f"DROP TRIGGER IF EXISTS {no_delete}"]
    return forward, backward


def _postgresql_sql(table: str, parent_table: str, parent_column: str) -> tuple[list, list]:
    no_update, no_delete, function = _names(table)
    forward = [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' AND NOT EXISTS (
                  SELECT 1 FROM {parent_table} WHERE id = OLD.{parent_column}) THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION '{MESSAGE}: %', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
            END $$""",
        f"""CREATE TRIGGER {no_update} BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
        f"""CREATE TRIGGER {no_delete} BEFORE DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {no_update} ON {table}",
        f"DROP TRIGGER IF EXISTS {no_delete} ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
    ]
    return forward, backward


_VENDORS = {"sqlite": _sqlite_sql, "postgresql": _postgresql_sql}


def AppendOnly(table: str, parent_table: str, parent_column: str) -> migrations.RunPython:
    """A migration operation refusing UPDATE and DELETE on `table` in the database, except
    the deletion of rows whose parent row (`parent_table`.id = `parent_column`) is gone."""

    def run(schema_editor, backwards: bool) -> None:
        build = _VENDORS.get(schema_editor.connection.vendor)
        if build is None:
            return  # another database: the models' guards alone
        forward, backward = build(table, parent_table, parent_column)
        for sql in backward if backwards else forward:
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, False),
        lambda apps, schema_editor: run(schema_editor, True),
        elidable=False,
    )


@contextmanager
def purge_allowed(connection):
    """Inside: the append-only tables may be emptied (SQLite's flush deletes row by row). The
    mark is written in the same transaction, so it is gone when this ends, however it ends."""
    with transaction.atomic(using=connection.alias):
        marked = connection.vendor == "sqlite" and GUARD_TABLE in connection.introspection.table_names()
        if marked:
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {GUARD_TABLE} (purging) VALUES (1)")
        yield
        if marked:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {GUARD_TABLE}")
