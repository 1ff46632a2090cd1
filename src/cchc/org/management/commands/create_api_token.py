"""Print the API token of a person (or a machine account), creating it when needed."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Print USERNAME's REST API token (header 'Authorization: Token <key>'), creating it "
        "when missing; --reset replaces an existing one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="revoke the current token and issue a new one"
        )

    def handle(self, *args, username, reset=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng %(u)s.") % {"u": username})
        if not user.is_active:
            raise CommandError(_("Người dùng %(u)s đã bị khóa.") % {"u": username})
        with transaction.atomic():
            if reset:
                Token.objects.filter(user=user).delete()
            token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
