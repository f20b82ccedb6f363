"""Countries by ISO 3166 code, named in any language (CLDR, through Babel): the one place
that turns a code into a name and a name back into a code."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (ValueError, TypeError):  # not a locale Babel knows
        return dict(Locale.parse("en").territories)


@cache
def country_names(language: str = "en") -> dict[str, str]:
    """Every country's name in ``language``, by its two-letter code (CLDR also lists
    regions such as 419, Latin America, and ZZ, unknown: left out)."""
    return {code: name for code, name in _territories(language).items()
            if len(code) == 2 and code.isalpha() and code != "ZZ"}


def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language``; the code itself if CLDR has none.

    >>> country_name("KR"), country_name("DK", "da"), country_name("IT", "da")
    ('South Korea', 'Danmark', 'Italien')
    """
    return _territories(language).get(code.upper(), code.upper())


def country_code(name: str) -> str | None:
    """The code of the country called ``name`` in English, if one is.

    >>> country_code("denmark"), country_code("Atlantis")
    ('DK', None)
    """
    by_name = _codes_by_name()
    return by_name.get(name.strip().lower())


@cache
def _codes_by_name() -> dict[str, str]:
    return {name.lower(): code for code, name in country_names("en").items()}
