"""Postcodes a spreadsheet turned into numbers: their leading zeros put back.

A spreadsheet reads "0800" (Høje Taastrup), "00118" (Rome) or "01234" (New England) as a
number and keeps 800, 118, 1234. Where the country writes its postcodes as a fixed number
of digits, the padded code is the one the volunteer wrote if the postal data (google-
i18n-address, for the country and, where given, the region) accepts it; the roster's row
then says so in a warning. Nothing else is guessed.
"""

from __future__ import annotations

from campaign_letters.compose import postal_data

MAX_LENGTH = 10


def _valid(country: str, region: str, code: str) -> bool:
    try:
        rules = postal_data.get_validation_rules({"country_code": country,
                                                  "country_area": region})
    except (ValueError, KeyError):
        return False
    matchers = rules.postal_code_matchers
    return bool(matchers) and all(matcher.match(code) for matcher in matchers)


def restore_leading_zeros(country: str, region: str, postal_code: str) -> str | None:
    """The postcode with its dropped leading zeros, or None when there is nothing to
    restore (already valid, not all digits, or no padding makes it valid).

    >>> restore_leading_zeros("DK", "", "800")
    '0800'
    >>> restore_leading_zeros("IT", "", "118")
    '00118'
    >>> restore_leading_zeros("DK", "", "8000") is None
    True
    """
    code = postal_code.strip()
    country = country.strip().upper()
    if not code.isdigit() or not country or _valid(country, region, code):
        return None
    for length in range(len(code) + 1, MAX_LENGTH + 1):
        padded = code.zfill(length)
        if _valid(country, region, padded):
            return padded
    return None
