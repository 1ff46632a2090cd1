"""`cchc warn_deadlines`, the daily entry point for cron."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.dossiers.models import DossierWarning

from .test_queues import D, open_dossier, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_command_records_the_warnings_of_the_day(world):  # noqa: F811
    open_dossier(world["tree"]["P-D-1"], D(2023, 3, 7))
    out = io.StringIO()
    call_command("warn_deadlines", day="2023-03-08", stdout=out)
    assert "1 hồ sơ quá hạn" in out.getvalue()
    assert DossierWarning.objects.count() == 1


def test_the_command_can_queue_the_task_for_the_worker(world):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    open_dossier(world["tree"]["P-D-1"], D(2023, 3, 7))
    call_command("warn_deadlines", day="2023-03-08", enqueue=True, stdout=io.StringIO())
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == ["2023-03-08"]
    assert DossierWarning.objects.count() == 0  # the worker records them


def test_a_wrong_day_is_refused():
    with pytest.raises(CommandError) as error:
        call_command("warn_deadlines", day="2023-02-30")
    assert error.value.returncode == 2
