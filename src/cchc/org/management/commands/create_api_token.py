"""Print the API token of a person (or a machine account), creating it when needed."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from cchc.org.backends import token_expired


class Command(BaseCommand):
    help = (
        "Print USERNAME's REST API token (header 'Authorization: Token <key>'), creating it "
        "when missing or expired (CCHC_API_TOKEN_TTL_DAYS); --reset replaces an existing one, "
        "--revoke withdraws it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="revoke the current token and issue a new one"
        )
        parser.add_argument(
            "--revoke", action="store_true", help="revoke the current token, issue none"
        )

    def handle(self, *args, username, reset=False, revoke=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng %(u)s.") % {"u": username})
        if revoke:
            deleted, _rows = Token.objects.filter(user=user).delete()
            self.stdout.write(
                _("Đã thu hồi mã truy cập của %(u)s.") % {"u": username}
                if deleted
                else _("%(u)s không có mã truy cập nào.") % {"u": username}
            )
            return
        if not user.is_active:
            raise CommandError(_("Người dùng %(u)s đã bị khóa.") % {"u": username})
        with transaction.atomic():
            current = Token.objects.select_for_update().filter(user=user).first()
            # An expired token is replaced: printing it would hand out a key that is refused.
            if current is not None and (reset or token_expired(current)):
                current.delete()
            token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
