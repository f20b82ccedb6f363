"""Localized dates for the letter's place-and-date line."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign_letters.compose import dates


@pytest.mark.parametrize(("language", "country", "expected"), [
    ("da", "DK", "23. november 2026"),
    ("en", "US", "November 23, 2026"),
    ("en", "DK", "23 November 2026"),
    ("fr", "FR", "23 novembre 2026"),
    ("it", "IT", "23 novembre 2026"),
])
def test_long_dates(language, country, expected):
    assert dates.long_date(dt.date(2026, 11, 23), language, country) == expected
