"""The page's language: chosen from the URL or the browser, and the templates in it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from babel.numbers import format_decimal
from starlette.requests import Request

from campaign_letters import wording

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# The pages' languages: each has a web catalog (locale/<lang>/LC_MESSAGES/web.po).
LANGUAGES = ("en", "da", "it", "fr", "ko")


# -- the page's language --------------------------------------------------------------------

def page_language(request: Request) -> str:
    """``?lang=`` when it names a page language, else the browser's first choice that
    does (Accept-Language, by quality), else English."""
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return negotiate(request.headers.get("accept-language", ""))


def negotiate(header: str) -> str:
    """
    >>> negotiate("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")
    'fr'
    >>> negotiate("de-DE,de;q=0.9,da;q=0.4")
    'da'
    >>> negotiate("")
    'en'
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else "en"


class _Translations:
    """What Jinja2's i18n extension calls: the web catalog of one language."""

    def __init__(self, language: str):
        self.language = language

    def gettext(self, message: str) -> str:
        return wording.gettext(self.language, message, "web")

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return wording.ngettext(self.language, singular, plural, count, "web")


# -- templates ----------------------------------------------------------------------------

@cache
def make_environment(language: str = "en") -> jinja2.Environment:
    """The templates, with ``_()`` and ``{% trans %}`` in ``language`` (one per language:
    the environment's translations are global to it)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(_Translations(language),  # type: ignore[attr-defined]  # added at runtime by jinja2.ext.i18n (Environment.extend)
                                     newstyle=True)
    env.filters["format_number"] = lambda number, locale: format_decimal(number, locale=locale)
    return env
