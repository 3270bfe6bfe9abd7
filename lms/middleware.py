from django.conf import settings
from django.utils import translation

# The site's pages live under i18n_patterns: unprefixed is Chinese, /en/ is English, and the
# language menu moves the reader between them (and sets the language cookie). The admin and
# documents have no prefix, so LocaleMiddleware gives them the default language whatever the
# reader chose; there the cookie decides (a Wagtail profile's own language still wins).
COOKIE_LANGUAGE_PATHS = ("/admin/", "/documents/")


class CookieLanguageOutsidePrefixesMiddleware:
    """The reader's language on pages that carry no language prefix (after LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if request.path_info.startswith(COOKIE_LANGUAGE_PATHS):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen in self.languages:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
