"""What the campaign file's checks say of the offices' holders and of the references that
name them: names written as text are refused, references must be defined, elections must
exist, corrections of the sources must be true (and are printed), holders confirmed before
an office's last election are listed for the organizer.

(Who the letters then name: tests/compose/test_officials.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign_letters.campaign.load import bundled_ids, load_campaign
from campaign_letters.cli import DEMO_SENDERS
from campaign_letters.produce import produce_letters
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import AFTER_ELECTIONS as ON
from tests.helpers import campaign_text, check_text, run_cli
from tests.helpers.pdf_text import texts_by_letter as letters_text

NAJU = campaign_text()


def problems_of(tmp_path: Path, text: str) -> list[str]:
    """The errors (not the warnings) the check finds in ``text`` on 2026-12-02."""
    return check_text(tmp_path, text, today=ON, errors_only=True)[1]


# -- the sources' wording ------------------------------------------------------------------

TYPOS = ("il cruente", "E’", "E'", "nonchè", "respectueusement. et esperons",
         "“Blind Spot”,..", "Emile-Roger", "Emile Roger", "Lomberti ", "sollicitions",
         "marmittes", "lance flame", "Pensez vous", "Pouvez vous", "de Icheon",
         "feces encrusted", "from the Daegu’s")


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_no_source_typo_is_printed(campaign_id):
    campaign = load_campaign(campaign_id, today=ON)
    sender = make_sender(**DEMO_SENDERS[campaign.partner_city.country])
    for address_by in ("auto", "name"):
        for language in campaign.languages:
            pack = produce_letters(campaign, sender, date=ON, language=language,
                                   address_by=address_by)
            text = " ".join("\n".join(letters_text(pack)).split())
            for typo in TYPOS:
                assert typo not in text, (language, typo)
    # The Italian bracket that the page opened and never closed is closed.
    if campaign_id == "daegu-milan":
        italian = campaign.messages["it"].body[2]
        assert italian.count("(") == italian.count(")") == 1


def test_every_correction_records_the_sources_wording():
    for campaign_id in bundled_ids():
        for message in load_campaign(campaign_id, today=ON).messages.values():
            for correction in message.corrections:
                assert correction.was != correction.now


# -- what organizers see ---------------------------------------------------------------------

def test_check_lists_each_unconfirmed_holder_with_the_election_since():
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    holders = [line for line in result.output.splitlines() if "holder." in line]
    expected = {
        "naju-haderslev.yaml": ["Mayor of Naju: Yoon Byung-tae", "2026-06-03"],
        "icheon-limoges.yaml": ["Mayor of Limoges: Émile Roger Lombertie", "2026-03-22"],
        "paju-coquitlam.yaml": ["Mayor of Coquitlam: Richard Stewart", "2026-10-17"],
    }
    for file, parts in expected.items():
        assert any(file in line and all(p in line for p in parts) for line in holders), file
    assert len(holders) == 5, holders  # plus the mayors of Icheon and Paju
    # Daegu's acting mayor left when the elected one took office: nobody is recorded,
    # and check says how to record them.
    assert any("daegu-milan.yaml" in line and "Mayor of Daegu: no holder recorded; record "
               "who holds it: campaign-letters confirm " in line and " daegu-mayor --name "
               in line for line in result.output.splitlines())
    assert all(re.match(r"campaigns/[a-z-]+\.yaml:\d+: warning: ", line) for line in holders)
    assert run_cli("check", "--strict").exit_code == 1


# -- the campaign file refuses names as text -------------------------------------------------

def test_a_literal_name_in_a_message_is_refused(tmp_path):
    text = NAJU.replace("Would you please urge {naju-mayor} to close",
                        "Would you please urge Naju Mayor Kang In-kyu to close")
    problems = problems_of(tmp_path, text)
    assert any("messages.en.body[" in p and "names a former holder of Mayor of Naju, "
               "'Kang In-Kyu' as text: write a reference instead" in p for p in problems)
    text = NAJU.replace('salutation: "Kære {mayor} og', 'salutation: "Kære borgmester '
                        'Mads  skau og')
    assert any("messages.da.salutation: names the holder of Mayor of Haderslev, 'Mads Skau'"
               in p for p in problems_of(tmp_path, text))
    korean = NAJU.replace('addressee: "{name_ko} 나주시장님"', "addressee: 강인규 나주시장님")
    assert any("address_ko[0].addressee: names a former holder of Mayor of Naju, '강인규'" in p
               for p in problems_of(tmp_path, korean))


def test_references_must_be_defined_and_name_through_the_holder(tmp_path):
    text = (NAJU.replace("urge {naju-mayor} to", "urge {naju-mayr} to")
            .replace("by_name: Naju Mayor {name}", "by_name: Naju Mayor")
            .replace("by_office: the Mayor of Naju", "by_office: the Mayor {name}")
            .replace("recipient: naju-mayor\n        by_name: borgmesteren",
                     "recipient: najumayor\n        by_name: borgmesteren"))
    problems = problems_of(tmp_path, text)
    assert any("{naju-mayr} is not a reference of this message; did you mean {naju-mayor}?"
               in p for p in problems)
    assert any("references.naju-mayor.by_name: must name the holder with {name}" in p
               for p in problems)
    assert any("references.naju-mayor.by_office: {name} cannot stand here" in p
               for p in problems)
    assert any("messages.da.references.naju-mayor.recipient: no recipient 'najumayor'; "
               "did you mean 'naju-mayor'?" in p for p in problems)
    assert all(p.startswith("FILE:") for p in problems), "each with its line"


def test_elections_must_exist_and_corrections_must_be_true(tmp_path):
    text = (NAJU.replace("elections: [dk-municipal-2025]", "elections: [dk-municipal-2052]")
            .replace("filthy, feces-encrusted raised wire cages in utter",
                     "filthy, feces encrusted raised wire cages in utter"))
    problems = problems_of(tmp_path, text)
    assert any("recipients[0].elections[0]: no election 'dk-municipal-2052'; did you mean "
               "'dk-municipal-2025'?" in p for p in problems)
    assert any("corrections[0].now: 'filthy, feces-encrusted raised wire cages' is not in "
               "the message" in p for p in problems)
    assert any("corrections[0].was: 'filthy, feces encrusted raised wire cages' is still in "
               "the message" in p for p in problems)


def test_a_date_that_is_not_a_day_is_an_error_not_a_traceback(tmp_path):
    text = NAJU.replace('confirmed: "2025-11-19"', 'confirmed: "2025-11-31"') \
        .replace('date: "2026-06-03"', 'date: "2026-02-30"')
    problems = problems_of(tmp_path, text)
    assert any("recipients[0].holder.confirmed: '2025-11-31' is not a day of the calendar"
               in p for p in problems)
    assert any("elections.kr-local-2026.date: '2026-02-30' is not a day of the calendar"
               in p for p in problems)


def test_korean_names_with_a_title_attached_are_refused_and_short_surnames_are_not(tmp_path):
    attached = NAJU.replace('addressee: "{name_ko} 나주시장님"', "addressee: 강인규시장님")
    assert any("names a former holder of Mayor of Naju, '강인규'" in p
               for p in problems_of(tmp_path, attached))
    # A family name of two letters is a word in other languages ("Do you think...").
    short = NAJU.replace("      name: Yoon Byung-tae\n",
                         "      name: Do Byung-tae\n      family_name: Do\n")
    assert short != NAJU
    assert problems_of(tmp_path, short) == []


def test_the_primary_recipient_needs_an_address(tmp_path):
    text = NAJU.replace("    address:\n      addressee: Borgmester {name}",
                        "    missing: no source\n    address:\n      addressee: "
                        "Borgmester {name}", 1)
    assert any("recipients[0].missing: the primary recipient needs a postal address" in p
               for p in problems_of(tmp_path, text))
