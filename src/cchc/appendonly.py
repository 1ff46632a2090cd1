"""Append-only tables (journals, histories): rows are added, never changed or deleted.

Two guards. The models refuse `save()` of a stored row, `delete()`, and `QuerySet.update()` /
`.delete()` / `.bulk_update()` with `AppendOnlyError`, a clear Python error. The database
refuses the same with triggers (installed by `AppendOnly` in a migration), so that raw SQL, a
bulk statement or another program cannot rewrite history either.

Rows are deleted only in a purge, marked inside its own transaction (`purge_allowed`), so the
mark never outlives it: when their parent row is deleted through Django (a dossier and its
journal: `purge_with_parent` marks the parent's deletion), and when the whole database is
emptied (`flush`, which transactional tests run; on PostgreSQL it is a TRUNCATE, which row
triggers do not see, on SQLite a DELETE per table, which the `flush` command of cchc.dossiers
marks). The mark is a transaction-local setting on PostgreSQL and a row of GUARD_TABLE on
SQLite. The triggers name no other table than their own and the guard: SQLite rebuilds a
table for many schema changes, and a trigger naming the rebuilt table would stop it.

SQLite drops a table's triggers when it rebuilds that table: a migration that alters an
append-only table must run `AppendOnly` for it again (the tests' raw UPDATE would notice). The
trigger SQL of a shipped migration must stay as it was: change it in a new migration.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connections, migrations, models, transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils.translation import gettext_lazy as _

GUARD_TABLE = "cchc_purge_guard"
PG_SETTING = "cchc.purge"
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


# ---------------------------------------------------------------------------- the purge mark


def _mark(connection, on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, %s, true)", [PG_SETTING, "on" if on else ""])
        elif connection.vendor == "sqlite":
            if on:
                cursor.execute(f"INSERT OR IGNORE INTO {GUARD_TABLE} (id) VALUES (1)")
            else:
                cursor.execute(f"DELETE FROM {GUARD_TABLE}")


@contextmanager
def purge_allowed(connection):
    """Inside: the append-only tables may be emptied. The mark is set in the same transaction
    and cleared before it ends; a rollback takes it away too."""
    if connection.vendor == "sqlite" and GUARD_TABLE not in connection.introspection.table_names():
        yield  # not migrated yet: no trigger either
        return
    with transaction.atomic(using=connection.alias):
        _mark(connection, True)
        yield
        _mark(connection, False)


def _marks_parent_deletion(sender, using, **kwargs) -> None:
    # Sent inside the deletion's transaction, before any row is deleted.
    _mark(connections[using], True)


def _clears_after_parent_deletion(sender, using, **kwargs) -> None:
    # Sent after the parents' rows, which come after their children's (Django's CASCADE).
    _mark(connections[using], False)


def purge_with_parent(parent: type[models.Model]) -> None:
    """Let the deletion of a `parent` row through Django take its append-only rows with it
    (on_delete=CASCADE). Called from the app's ready()."""
    uid = f"cchc.appendonly:{parent._meta.label}"
    pre_delete.connect(_marks_parent_deletion, sender=parent, dispatch_uid=uid)
    post_delete.connect(_clears_after_parent_deletion, sender=parent, dispatch_uid=uid)


# ---------------------------------------------------------------------------- the triggers


def _sqlite_sql(table: str) -> tuple[list, list]:
    no_update, no_delete = f"{table}_no_update", f"{table}_no_delete"
    forward = [
        f"CREATE TABLE IF NOT EXISTS {GUARD_TABLE} (id integer PRIMARY KEY)",
        f"""CREATE TRIGGER {no_update} BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {table}'); END""",
        f"""CREATE TRIGGER {no_delete} BEFORE DELETE ON {table}
            WHEN NOT EXISTS (SELECT 1 FROM {GUARD_TABLE})
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {table}'); END""",
    ]
    backward = [f"DROP TRIGGER IF EXISTS {no_update}", f"DROP TRIGGER IF EXISTS {no_delete}"]
    return forward, backward


_PG_FUNCTION = "cchc_append_only"


def _postgresql_sql(table: str) -> tuple[list, list]:
    no_update, no_delete = f"{table}_no_update", f"{table}_no_delete"
    forward = [
        f"""CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'DELETE' AND current_setting('{PG_SETTING}', true) = 'on' THEN
                RETURN OLD;
              END IF;
              RAISE EXCEPTION '{MESSAGE}: %', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
            END $$""",
        f"""CREATE TRIGGER {no_update} BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()""",
        f"""CREATE TRIGGER {no_delete} BEFORE DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()""",
    ]
    # The function is shared by every append-only table and stays.
    backward = [
        f"DROP TRIGGER IF EXISTS {no_update} ON {table}",
        f"DROP TRIGGER IF EXISTS {no_delete} ON {table}",
    ]
    return forward, backward


_VENDORS = {"sqlite": _sqlite_sql, "postgresql": _postgresql_sql}


def AppendOnly(table: str) -> migrations.RunPython:
    """A migration operation refusing UPDATE, and DELETE outside a purge, on `table`."""

    def run(schema_editor, backwards: bool) -> None:
        build = _VENDORS.get(schema_editor.connection.vendor)
        if build is None:
            return  # another database: the models' guards alone
        forward, backward = build(table)
        for sql in backward if backwards else forward:
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, False),
        lambda apps, schema_editor: run(schema_editor, True),
        elidable=False,
    )
