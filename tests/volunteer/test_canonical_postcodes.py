"""Postcodes print as the country's post writes them (issue 22): upper case, with the
space or hyphen where the postal data's own examples have it; everything else the
volunteer typed prints as typed."""

from __future__ import annotations

import pytest

from campaign_letters.errors import InputError
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import CHRIS, cli_args, sender
from tests.helpers.pdf_text import pdftotext

PLACES = {
    "CA": dict(street=("1200 Pinetree Way",), city="Coquitlam", region="BC", country="CA"),
    "GB": dict(street=("10 Downing Street",), city="London", country="GB"),
    "NL": dict(street=("Dam 1",), city="Amsterdam", country="NL"),
    "US": dict(street=("1 Infinite Loop",), city="Cupertino", region="CA", country="US"),
    "KR": dict(street=("세종대로 110",), city="중구", region="서울특별시", country="KR"),
    "DK": dict(street=("Vestergade 12",), city="Aarhus", country="DK"),
}


@pytest.mark.parametrize(("country", "typed", "printed"), [
    ("CA", "v3b7k3", "V3B 7K3"),
    ("CA", "V3B-7K3", "V3B 7K3"),
    ("GB", "sw1a1aa", "SW1A 1AA"),
    ("GB", "sw1a 1aa", "SW1A 1AA"),
    ("NL", "1012ab", "1012 AB"),
    ("NL", "1012 AB", "1012 AB"),
    ("US", "950141234", "95014-1234"),  # ZIP+4
    ("US", "95014 1234", "95014-1234"),
    ("US", "95014", "95014"),
    ("KR", "04524", "04524"),
    ("KR", "０４５２４", "04524"),  # full-width digits, as a Korean keyboard may type them
    ("DK", "8000", "8000"),
])
def test_the_postcode_in_its_countrys_form(country, typed, printed):
    assert make_sender(name="Sam", postal_code=typed, **PLACES[country]).postal_code == printed


@pytest.mark.parametrize(("country", "typed"), [
    ("CA", "h3z2y7"),  # a Quebec postcode, not one of British Columbia
    ("DK", "80000"),
    ("KR", "100-101"),  # the six-digit codes Korea left in 2015
])
def test_a_wrong_postcode_is_quoted_as_typed(country, typed):
    with pytest.raises(InputError) as raised:
        make_sender(name="Sam", postal_code=typed, **PLACES[country])
    assert raised.value.field == "postal_code"
    assert raised.value.message.startswith(f"{typed!r} is not a valid postcode")


def test_the_rest_prints_as_typed(run_cli, tmp_path):
    """Through the command line, read back from the PDF: the postcode in Canada's form,
    the street and the name exactly as typed."""
    fields = sender("chris lee", "CA", street=("1200 pinetree way",), postal_code="v3b7k3")
    assert make_sender(**fields).street == ("1200 pinetree way",)
    out = tmp_path / "ca.pdf"
    result = run_cli("letter", "paju-coquitlam", *cli_args(fields), "--to", "primary",
                     "--date", "2026-12-02", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in pdftotext(out).splitlines()]
    assert "Coquitlam BC V3B 7K3" in lines
    assert "1200 pinetree way" in lines and "chris lee" in lines
    assert not any("v3b7k3" in line.lower() for line in lines)
    assert CHRIS["postal_code"] == "V3B 7N2"  # the sample volunteer is unchanged
