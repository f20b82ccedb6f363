"""A server runs for months and reloads its campaigns when their files change: every
cache of the package is bounded, or keyed by something finite (a language, a country
code, a character, a bundled face). A new unbounded cache must be added here with the
reason it cannot grow."""

from __future__ import annotations

import importlib
import pkgutil

import campaign_letters

FINITE_KEYS = {
    "campaign.schema.schema": "no key: the bundled schema",
    "campaign.schema.validator": "no key",
    "compose.countries._codes_by_name": "no key",
    "compose.countries._territories": "a CLDR language",
    "compose.countries.country_names": "a CLDR language",
    "compose.dates.letter_locale": "a language and an ISO country code",
    "layout.pages._sender_styles": "font sizes in half points from 11 down to 6",
    "layout.paragraphs.paragraph_styles": "no key",
    "pdf.write._srgb_profile": "no key: the bundled colour profile",
    "pdf.write._srgb_compressed": "no key",
    "resources._data_dir": "'campaigns' or 'fonts'",
    "text.faces._coverage": "a bundled face",
    "text.faces._face_for": "a character (Unicode is finite) and bold or not",
    "text.shaping._harfbuzz_font": "a bundled face",
    "text.shaping._needs_shaping_char": "a character",
    "web.i18n.make_environment": "one of the page's five languages",
    "web.views.country_choices": "one of the page's five languages",
    "wording._messages_catalog": "a language and a catalog",
}


def caches() -> dict[str, int | None]:
    """Every functools cache defined in the package, by name, and its maximum size."""
    found: dict[str, int | None] = {}
    for info in pkgutil.walk_packages(campaign_letters.__path__, "campaign_letters."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if hasattr(value, "cache_parameters") and value.__module__ == info.name:
                short = f"{info.name.removeprefix('campaign_letters.')}.{name}"
                found[short] = value.cache_parameters()["maxsize"]
    return found


def test_every_cache_is_bounded_or_finite():
    unbounded = {name for name, size in caches().items() if size is None}
    assert unbounded == set(FINITE_KEYS), (
        "a cache keyed by campaign data, dates or volunteers' text grows on a running "
        f"server; bound it (lru_cache(maxsize=...)): {sorted(unbounded - set(FINITE_KEYS))}")


def test_the_caches_keyed_by_campaign_data_are_bounded():
    sizes = caches()
    assert sizes["compose.address._recipient_lines"] is not None  # Recipient objects
    assert sizes["compose.dates.long_date"] is not None  # one more date each day
