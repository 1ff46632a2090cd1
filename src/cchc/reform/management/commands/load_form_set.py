import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cchc.commands import read_file_arg
from cchc.reform.statistical_forms import FormSetError, load_form_set


class Command(BaseCommand):
    help = (
        "Load a year's statistical form set (Biểu mẫu 1-7) from its JSON description, e.g. "
        "src/cchc/reform/data/form_set_2023.json. All or nothing: exit 1 with every problem "
        "listed, 2 when the file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the set of the same year and version if no report uses it yet",
        )

    def handle(self, *args, file, replace, **options):
        try:
            doc = json.loads(read_file_arg(file).decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CommandError(
                _("Tệp %(path)s không phải JSON hợp lệ: %(err)s") % {"path": file, "err": exc},
                returncode=2,
            ) from None
        try:
            result = load_form_set(doc, replace=replace)
        except FormSetError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Không nạp bộ biểu mẫu: %(n)d lỗi.") % {"n": len(exc.problems)}, returncode=1
            ) from None
        self.stdout.write(
            _("Bộ biểu mẫu %(name)s: %(f)d biểu, %(r)d chỉ tiêu, %(q)d quy tắc kiểm tra.")
            % {
                "name": result.form_set,
                "f": result.forms,
                "r": result.rows,
                "q": result.rules,
            }
        )
