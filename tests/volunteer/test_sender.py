"""Checking what a volunteer typed: a Sender, normalized, or what to fix in which field."""

from __future__ import annotations

import pytest

from campaign_letters.errors import InputError
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import DK_ARGS, METTE


def test_sender_is_normalized():
    sender = make_sender(name="  Chris   Lee ", street=["1200 Pinetree Way", ""],
                         postal_code="V3B 7N2", city="Coquitlam", region="British Columbia",
                         country="ca")
    assert (sender.name, sender.street, sender.region, sender.country) == \
        ("Chris Lee", ("1200 Pinetree Way",), "BC", "CA")


def test_sender_street_in_one_field_with_newlines():
    sender = make_sender(name="A", street=["Line 1\nLine 2"], postal_code="8000",
                         city="Aarhus", country="DK")
    assert sender.street == ("Line 1", "Line 2")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"street": []}, "street", "is required"),
    ({"street": ["a", "b", "c", "d"]}, "street", "has 4 lines; at most 3"),
    ({"city": "\x00Aarhus"}, "city", "control or unassigned character U+0000"),
    ({"country": "XX"}, "country", "'XX' is not a country code"),
    ({"country": "Danmark"}, "country", "did you mean DK (Denmark)?"),
    ({"email": "not-an-email"}, "email", "is not an e-mail address"),
    ({"postal_code": ""}, "postal_code", "is required for an address in Denmark"),
])
def test_sender_errors(fields, field, message):
    values = {**METTE, "name": "Mette"} | fields
    with pytest.raises(InputError) as info:
        make_sender(**values)
    assert info.value.field == field
    assert message in info.value.message


def test_note_too_long(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--note", "word " * 300, "-o",
                     str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: --note: is 1499 characters long; a personal note can have at most 1200" \
        in result.output
