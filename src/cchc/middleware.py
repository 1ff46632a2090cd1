"""Vietnamese first: the UI speaks Vietnamese unless the user picked English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose
browser is set to English would get an English UI they never asked for.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
