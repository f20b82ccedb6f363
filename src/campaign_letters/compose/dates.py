"""Localized dates for the letter's place-and-date line, via Babel (CLDR)."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


@cache
def letter_locale(language: str, country: str) -> str:
    """The most specific CLDR locale for a letter in ``language`` from ``country``.

    English from Denmark uses en_DK's date order, from Canada en_CA's.

    >>> letter_locale("da", "DK")
    'da_DK'
    >>> letter_locale("fr", "KR")
    'fr'
    """
    candidate = f"{language}_{country.upper()}"
    try:
        Locale.parse(candidate)
    except (UnknownLocaleError, ValueError):
        return language
    return candidate


@lru_cache(maxsize=1024)  # one date for every letter of a pack; a server's days pass
def long_date(date: dt.date, language: str, country: str = "") -> str:
    """The date written out in ``language``, as it is written in ``country`` if given.


    >>> long_date(dt.date(2026, 11, 23), "da", "DK")
    '23. november 2026'
    >>> long_date(dt.date(2026, 11, 23), "en", "US")
    'November 23, 2026'
    """
    return format_date(date, format="long", locale=letter_locale(language, country))


def place_and_date(place: str, date: dt.date, language: str, country: str) -> str:
    """
    >>> place_and_date("Aarhus", dt.date(2026, 11, 23), "da", "DK")
    'Aarhus, 23. november 2026'
    """
    return f"{place}, {long_date(date, language, country)}"
