"""Who the letters name: offices whose holders are dated, sourced facts; references in the
texts; copies that say they are copies; what volunteers are told.

The dates are the point: 2026-12-02 is after the South Korean local elections of
3 June 2026, the French municipal elections of March 2026 and the British Columbia local
elections of October 2026, and after the Danish municipal elections of November 2025 that
re-elected Haderslev's mayor. (What the campaign file's checks say of holders and
references: tests/campaign/test_holders_and_references.py.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from campaign_letters.campaign.load import bundled_ids, load_campaign
from campaign_letters.cli import DEMO_SENDERS
from campaign_letters.compose import officials
from campaign_letters.model import Election, Holder
from campaign_letters.produce import produce_letters
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import AFTER_ELECTIONS as ON
from tests.helpers import CA_ARGS, DK_ARGS, campaign_text, run_cli
from tests.helpers.pdf_text import pdftotext_pages, squash
from tests.helpers.pdf_text import texts_by_letter as letters_text

NAJU = campaign_text()


def unconfirmed_names(campaign, on: dt.date) -> set[str]:
    """Every recorded name (Latin and Hangul) that the letters must not print on ``on``."""
    names = set()
    for recipient in campaign.recipients:
        people = [*recipient.former]
        if recipient.holder is not None and \
                officials.holder_status(recipient, on)[0] != "confirmed":
            people.append(recipient.holder)
        for person in people:
            names.add(person.name)
            if person.name_ko:
                names.add(person.name_ko)
    return names


# -- the issue's own check ------------------------------------------------------------------

def test_naju_letters_for_a_danish_volunteer_on_2026_12_02(tmp_path):
    out = tmp_path / "letters.pdf"
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--date", "2026-12-02",
                     "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = pdftotext_pages(out)
    assert len(pages) == 3, "one sheet a letter"
    everything = "\n".join(pages)
    for gone in ("Kang In-Kyu", "Kang In-kyu", "강인규", "Yoon Byung-tae", "윤병태"):
        assert gone not in everything, gone
    haderslev, naju_mayor, naju_council = pages
    assert "Borgmester Mads Skau" in haderslev and "Kære borgmester Mads Skau" in haderslev
    assert "Kopi til: borgmester i Naju; byrådet i Naju" in haderslev
    # The Mayor of Naju by office: in the window, the salutation's letter and the body.
    assert "나주시장님\n(58263) 전남광주통합특별시 나주시 시청길 22\nSOUTH KOREA" in naju_mayor
    assert "urge the Mayor of Naju to close down" in " ".join(naju_mayor.split())
    for copy in (naju_mayor, naju_council):
        flat = " ".join(copy.split())
        heading = flat.index("사본 · Copy of the letter sent to: Mads Skau, Mayor of "
                             "Haderslev")
        assert heading < flat.index("Dear Mayor Mads Skau and the Haderslev City Council")
        assert "Copy to:" in copy and "Kopi" not in copy, "the copies are in English"
        assert "(58263) 전남광주통합특별시 나주시 시청길 22" in copy
    assert "나주시의회" in naju_council
    # The volunteer is told why, in their language, and sees no organizer's file:line.
    assert result.stderr.strip().splitlines() == [
        "Ingen har bekræftet, hvem der er borgmester i Naju siden valget den 3. juni 2026, "
        "så brevene er stilet til embedet og ikke til en person."]
    assert ".yaml" not in result.output


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_no_letter_names_an_unconfirmed_official(campaign_id):
    campaign = load_campaign(campaign_id, today=ON)
    sender = make_sender(**DEMO_SENDERS[campaign.partner_city.country])
    forbidden = unconfirmed_names(campaign, ON)
    assert forbidden, "every bundled campaign has someone the sources no longer confirm"
    for language in (None, *campaign.languages,
                     *(f"{a}+{b}" for a in campaign.languages for b in campaign.languages
                       if a != b)):
        pack = produce_letters(campaign, sender, date=ON, language=language)
        for text in letters_text(pack):
            for name in forbidden:
                assert squash(name) not in squash(text), (language, name)
            assert "{" not in text, "a reference left unfilled"


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_address_by_name_prints_the_recorded_names(campaign_id):
    campaign = load_campaign(campaign_id, today=ON)
    sender = make_sender(**DEMO_SENDERS[campaign.partner_city.country])
    pack = produce_letters(campaign, sender, date=ON, address_by="name")
    text = squash("\n".join(letters_text(pack)))
    for recipient in campaign.postal_recipients:
        holder = recipient.holder
        if holder is not None and not holder.acting:
            assert squash(holder.name) in text, holder.name
            if holder.name_ko and recipient.address_ko is not None:
                assert holder.name_ko in text, holder.name_ko
    for former in (f for r in campaign.recipients for f in r.former):
        assert squash(former.name) not in text, former.name
    acting = [r for r in campaign.recipients if r.holder and r.holder.acting]
    for recipient in acting:  # an acting holder is addressed by office, even so
        assert squash(recipient.holder.name) not in text


def test_the_names_the_sources_support_print_by_default():
    for campaign_id, name in (("naju-haderslev", "Mads Skau"),
                              ("daegu-milan", "Giuseppe Sala")):
        campaign = load_campaign(campaign_id, today=ON)
        sender = make_sender(**DEMO_SENDERS[campaign.partner_city.country])
        primary = letters_text(produce_letters(campaign, sender, date=ON))[0]
        assert name in primary, campaign_id


def test_paju_city_hall_gets_its_copy(tmp_path):
    out = tmp_path / "paju.pdf"
    result = run_cli("letter", "paju-coquitlam", *CA_ARGS, "--date", "2026-12-02", "-o",
                     str(out))
    assert result.exit_code == 0, result.output
    pages = pdftotext_pages(out)
    assert len(pages) == 2
    assert "파주시장님\n(10932) 경기도 파주시 시청로 50\nSOUTH KOREA" in pages[1]
    assert "사본 · Copy of the letter sent to: Mayor of Coquitlam" in pages[1]
    assert "No letter goes to Paju City Council: the campaign has no postal address for " \
           "it." in result.stderr


# -- the rule --------------------------------------------------------------------------------

def naju_mayor(**holder_changes):
    recipient = load_campaign("naju-haderslev", today=ON).recipient("naju-mayor")
    if holder_changes:
        recipient = dataclasses.replace(
            recipient, holder=dataclasses.replace(recipient.holder, **holder_changes))
    return recipient


@pytest.mark.parametrize(("confirmed", "on", "by_name", "reason"), [
    ("2025-06-05", "2026-06-02", True, "confirmed"),  # the day before the 2026 elections
    ("2022-06-05", "2026-06-03", False, "unconfirmed"),  # election day: no source since
    ("2026-06-03", "2026-12-02", False, "unconfirmed"),  # a source of election day is not after
    ("2026-06-04", "2026-12-02", True, "confirmed"),
    ("2026-06-04", "2028-06-04", True, "confirmed"),  # two years to the day
    ("2026-06-04", "2028-06-05", False, "stale"),
])
def test_named_only_when_confirmed_after_the_last_election_and_within_two_years(
        confirmed, on, by_name, reason):
    recipient = naju_mayor(confirmed=dt.date.fromisoformat(confirmed))
    decision = officials.decide(recipient, dt.date.fromisoformat(on))
    assert (decision.by_name, decision.reason) == (by_name, reason)


def test_acting_holders_and_missing_holders_are_addressed_by_office():
    acting = naju_mayor(confirmed=dt.date(2026, 7, 1), acting=True)
    for address_by in ("auto", "name"):
        decision = officials.decide(acting, ON, address_by)
        assert not decision.by_name and decision.reason == "acting"
    assert officials.reason_sentence(officials.decide(acting, ON), "en") == \
        "Mayor of Naju is held by an acting official, so the letters address the office, " \
        "not a name."
    nobody = dataclasses.replace(naju_mayor(), holder=None)
    decision = officials.decide(nobody, ON, "name")  # falls back to the office, and says so
    assert not decision.by_name
    assert officials.reason_sentence(decision, "da") == \
        "Kampagnen oplyser ikke, hvem der er borgmester i Naju, så brevene er stilet til " \
        "embedet og ikke til en person."
    assert officials.decide(naju_mayor(), ON, "office").reason == "requested"
    assert officials.reason_sentence(officials.decide(naju_mayor(), ON, "office"), "en") \
        is None, "the volunteer asked for offices: nothing to explain"


def test_a_holder_not_yet_in_office_is_not_named():
    recipient = naju_mayor(confirmed=dt.date(2026, 6, 5), since=dt.date(2026, 7, 1))
    assert not officials.decide(recipient, dt.date(2026, 6, 20)).by_name
    assert officials.decide(recipient, dt.date(2026, 7, 1)).by_name


def test_elections_are_data_the_later_one_counts():
    recipient = naju_mayor(confirmed=dt.date(2026, 6, 5))
    later = Election("by-election", dt.date(2026, 10, 1), "by-election", "a source")
    moved = dataclasses.replace(recipient, elections=(*recipient.elections, later))
    assert officials.decide(recipient, ON).by_name
    decision = officials.decide(moved, ON)
    assert not decision.by_name and decision.election == later


def test_fill_holder_slots():
    holder = Holder("Émile Roger Lombertie", dt.date(2026, 3, 6), "AFP",
                    family_name="Lombertie")
    assert officials.fill_holder("Cher Monsieur {family_name}", holder) == \
        "Cher Monsieur Lombertie"


# -- found in review -------------------------------------------------------------------------

def test_references_in_link_labels_are_filled_too(tmp_path):
    text = NAJU.replace('label: "Friendship City Campaign – Naju, South Korea – Haderslev, '
                        'Denmark"', 'label: "A page for {naju-mayor}"', 1)
    assert text != NAJU
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text, encoding="utf-8")
    campaign = load_campaign(path, today=ON)
    sender = make_sender(**DEMO_SENDERS["DK"])
    pack = produce_letters(campaign, sender, date=ON, language="en", to="primary")
    assert "A page for the Mayor of Naju" in " ".join(letters_text(pack)[0].split())


def test_a_holder_not_yet_in_office_is_explained_and_never_named():
    recipient = naju_mayor(confirmed=dt.date(2026, 6, 5), since=dt.date(2026, 7, 1))
    on = dt.date(2026, 6, 20)
    assert not officials.decide(recipient, on, "name").by_name
    assert officials.reason_sentence(officials.decide(recipient, on), "en") == (
        "The holder the campaign names for Mayor of Naju takes office on July 1, 2026, so "
        "the letters address the office, not a name.")
