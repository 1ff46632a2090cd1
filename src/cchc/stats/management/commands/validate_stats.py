import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.commands import read_file_arg
from cchc.stats.validation import validate


class Command(BaseCommand):
    help = (
        "Check a statistics JSON (any part may be missing): print every broken identity or rate, "
        "one a line. Exit 1 when any is broken, 0 when none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data = read_file_arg(file)
        try:
            doc = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(_("Không đọc được JSON: %(e)s") % {"e": exc}, returncode=2) from None
        if not isinstance(doc, dict):
            raise CommandError(_("JSON phải là một đối tượng."), returncode=2)
        problems = validate(doc)
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise SystemExit(1)
