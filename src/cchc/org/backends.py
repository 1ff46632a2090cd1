"""Authentication backend that loads the person's unit with them: every scope check needs it."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from cchc.errors import ErrorCode

# An API token is valid this long after it was issued unless the settings say otherwise.
DEFAULT_TOKEN_TTL_DAYS = 365


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._get_user_with_unit(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _get_user_with_unit(user_id):
        from .models import User

        return User._default_manager.select_related("unit").filter(pk=user_id).first()


def token_ttl() -> dt.timedelta | None:
    """How long an API token is valid after it was issued (CCHC_API_TOKEN_TTL_DAYS; 0: always)."""
    days = int(getattr(settings, "CCHC_API_TOKEN_TTL_DAYS", DEFAULT_TOKEN_TTL_DAYS))
    return dt.timedelta(days=days) if days > 0 else None


def token_expired(token) -> bool:
    ttl = token_ttl()
    return ttl is not None and token.created < timezone.now() - ttl


class UnitTokenAuthentication(TokenAuthentication):
    """DRF token authentication that loads the person's unit in the same query, and refuses a
    token older than CCHC_API_TOKEN_TTL_DAYS (`cchc create_api_token USER` issues a new one;
    `--revoke` withdraws it, as does deleting it in the admin)."""

    def authenticate_credentials(self, key):
        try:
            token = self.get_model().objects.select_related("user", "user__unit").get(key=key)
        except self.get_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập đã hết hạn; hãy xin cấp mã mới (cchc create_api_token)."),
                code=ErrorCode.TOKEN_EXPIRED,
            )
        return (token.user, token)
