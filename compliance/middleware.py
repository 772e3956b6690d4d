"""Chinese first: the language is zh-hans unless the user picked another one with the switch."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    A university office's staff often run English-language browsers; the UI must still open in
    Chinese. Only the language cookie set by the switch (/i18n/setlang/) changes it. The API
    (``/api/``) honours ``Accept-Language`` when no cookie is set: integrators ask for English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        if chosen in supported:
            language = chosen
        elif request.path_info.startswith("/api/"):
            # An API client says which language its messages should be in (Accept-Language);
            # without one, or with a language Duban does not have, they stay Chinese.
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
