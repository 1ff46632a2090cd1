"""Authentication backend that loads the person's unit with them: every scope check needs it."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._get_user_with_unit(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _get_user_with_unit(user_id):
        from .models import User

        return User._default_manager.select_related("unit").filter(pk=user_id).first()


class UnitTokenAuthentication(TokenAuthentication):
    """DRF token authentication that loads the person's unit in the same query."""

    def authenticate_credentials(self, key):
        try:
            token = self.get_model().objects.select_related("user", "user__unit").get(key=key)
        except self.get_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
