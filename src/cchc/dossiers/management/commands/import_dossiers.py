from django.core.management.base import BaseCommand, CommandError

from cchc.commands import read_file_arg
from cchc.dossiers.exchange import ImportFileError, import_dossiers


class Command(BaseCommand):
    help = (
        "Load a dossier CSV (exchange-format.md §1; '-' reads standard input). Prints every "
        "rejected row as 'dòng N, cột X: reason' and a summary line; warnings go to standard "
        "error. Exit 0 when every row was imported (or already there), 1 when some rows were "
        "rejected (the others are stored), 2 when the file could not be read (nothing stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            report = import_dossiers(read_file_arg(file), source=file)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for warning in report.warnings:
            self.stderr.write(warning)
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(report.summary())
        if report.errors:
            raise SystemExit(1)
