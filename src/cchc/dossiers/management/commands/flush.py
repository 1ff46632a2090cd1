"""Django's flush, allowed to empty the append-only tables (cchc.appendonly.purge_allowed):
SQLite empties a table row by row, which the tables' triggers would refuse."""

from django.core.management.commands import flush
from django.db import connections

from cchc.appendonly import purge_allowed


class Command(flush.Command):
    def handle(self, **options):
        with purge_allowed(connections[options["database"]]):
            return super().handle(**options)
