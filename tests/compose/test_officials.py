"""Who the letters name: offices whose holders are dated, sourced facts; references in the
texts; copies that say they are copies; what volunteers and organizers are told.

The dates are the point: 2026-12-02 is after the South Korean local elections of
3 June 2026, the French municipal elections of March 2026 and the British Columbia local
elections of October 2026, and after the Danish municipal elections of November 2025 that
re-elected Haderslev's mayor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from campaign_letters.campaign.load import bundled_ids, check_campaign, load_campaign
from campaign_letters.cli import DEMO_SENDERS, main
from campaign_letters.compose import officials
from campaign_letters.model import Election, Holder
from campaign_letters.produce import produce_letters
from campaign_letters.resources import campaigns_dir
from campaign_letters.volunteer.sender import make_sender
from tests.conftest import DK_SENDER
from tests.pdf_text import run, squash, tool

ON = dt.date(2026, 12, 2)
NAJU = (campaigns_dir() / "naju-haderslev.yaml").read_text(encoding="utf-8")


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as poppler reads it."""
    return run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-").stdout.split("\f")[:-1]


def letters_text(pack) -> list[str]:
    """The text of each letter in a pack (a letter may run over several pages)."""
    reader = PdfReader(__import__("io").BytesIO(pack.pdf))
    texts, page = [], 0
    for count in pack.pages:
        texts.append("\n".join(reader.pages[i].extract_text()
                               for i in range(page, page + count)))
        page += count
    return texts


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
    result = cli("letter", "naju-haderslev", *DK_SENDER, "--date", "2026-12-02",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    assert len(pages) == 3, "one sheet a letter"
    everything = "\n".join(pages)
    for gone in ("Kang In-Kyu", "Kang In-kyu", "강인규", "Yoon Byung-tae", "윤병태"):
        assert gone not in everything, gone
    haderslev, naju_mayor, naju_council = pages
    assert "Borgmester Mads Skau" in haderslev and "Kære borgmester Mads Skau" in haderslev
    assert "Kopi til: borgmester i Naju; byrådet i Naju" in haderslev
    # The Mayor of Naju by office: in the window, the salutation's letter and the body.
    assert "나주시장님\n(58263) 전라남도 나주시 시청길 22\nSOUTH KOREA" in naju_mayor
    assert "urge the Mayor of Naju to close down" in " ".join(naju_mayor.split())
    for copy in (naju_mayor, naju_council):
        flat = " ".join(copy.split())
        heading = flat.index("사본 · Copy of the letter sent to: Mads Skau, Mayor of "
                             "Haderslev")
        assert heading < flat.index("Dear Mayor Mads Skau and the Haderslev City Council")
        assert "Copy to:" in copy and "Kopi" not in copy, "the copies are in English"
        assert "(58263) 전라남도 나주시 시청길 22" in copy
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
    result = cli("letter", "paju-coquitlam", "--name", "Chris Lee", "--street",
                 "1200 Pinetree Way", "--postal-code", "V3B 7N2", "--city", "Coquitlam",
                 "--region", "BC", "--country", "CA", "--date", "2026-12-02", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    assert len(pages) == 2
    assert "파주시장님\n(10932) 경기도 파주시 시청로 50\nSOUTH KOREA" in pages[1]
    assert "사본 · Copy of the letter sent to: Mayor of Coquitlam" in pages[1]
    assert "No letter goes to Paju City Council: the campaign has no postal address for " \
           "it." in result.stderr


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


# -- what organizers see ---------------------------------------------------------------------

def test_check_lists_each_unconfirmed_holder_with_the_election_since():
    result = cli("check")
    assert result.exit_code == 0, result.output
    holders = [line for line in result.output.splitlines() if "holder." in line]
    expected = {
        "naju-haderslev.yaml": ["Mayor of Naju: Yoon Byung-tae", "2026-06-03"],
        "daegu-milan.yaml": ["Mayor of Daegu: Kim Jung-ki", "2026-06-03"],
        "icheon-limoges.yaml": ["Mayor of Limoges: Émile Roger Lombertie", "2026-03-22"],
        "paju-coquitlam.yaml": ["Mayor of Coquitlam: Richard Stewart", "2026-10-17"],
    }
    for file, parts in expected.items():
        assert any(file in line and all(p in line for p in parts) for line in holders), file
    assert len(holders) == 6, holders  # plus the mayors of Icheon and Paju
    assert all(re.match(r"campaigns/[a-z-]+\.yaml:\d+: warning: ", line) for line in holders)
    assert cli("check", "--strict").exit_code == 1


def test_officials_prints_every_recipient_with_holder_source_and_status():
    result = cli("officials", "--date", "2026-12-02")
    assert result.exit_code == 0, result.output
    text = result.output
    for campaign_id in bundled_ids():
        assert f"{campaign_id} (as of 2026-12-02)" in text
    block = text[text.index("naju-haderslev"):text.index("paju-coquitlam")]
    assert "Mayor of Haderslev\n    holder:    Mads Skau\n    since:     2022-01-01\n" \
           "    confirmed: 2025-11-19\n" in block
    assert "status:    confirmed: letters name the holder" in block
    assert "UNCONFIRMED since the 9th South Korean local elections of 2026-06-03" in block
    assert "Naju City Council\n    holder:    -" in block
    assert "no postal address: no letter" in text  # Paju City Council
    one = cli("officials", "daegu-milan", "--date", "2026-12-02").output
    assert "naju-haderslev" not in one and "Kim Jung-ki (김정기) (acting)" in one


# -- the campaign file refuses names as text -------------------------------------------------

def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_campaign(path, ON)
    return [str(p).replace(str(path), "FILE") for p in problems if not p.is_warning]


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
    assert any("address_ko.addressee: names a former holder of Mayor of Naju, '강인규'" in p
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


# -- found in review -------------------------------------------------------------------------

def test_references_in_link_labels_are_filled_too(tmp_path):
    text = NAJU.replace('label: "Shocking Cruelty of South Korean Dog Meat Industry, Part 1 '
                        'of 2"', 'label: "A film for {naju-mayor}"')
    assert text != NAJU
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text, encoding="utf-8")
    campaign = load_campaign(path, today=ON)
    sender = make_sender(**DEMO_SENDERS["DK"])
    pack = produce_letters(campaign, sender, date=ON, language="en", to="primary")
    assert "A film for the Mayor of Naju" in " ".join(letters_text(pack)[0].split())


def test_korean_names_with_a_title_attached_are_refused_and_short_surnames_are_not(tmp_path):
    attached = NAJU.replace('addressee: "{name_ko} 나주시장님"', "addressee: 강인규시장님")
    assert any("names a former holder of Mayor of Naju, '강인규'" in p
               for p in problems_of(tmp_path, attached))
    # A family name of two letters is a word in other languages ("Do you think...").
    short = NAJU.replace("      name: Yoon Byung-tae\n",
                         "      name: Do Byung-tae\n      family_name: Do\n")
    assert short != NAJU
    assert problems_of(tmp_path, short) == []


def test_a_holder_not_yet_in_office_is_explained_and_never_named():
    recipient = naju_mayor(confirmed=dt.date(2026, 6, 5), since=dt.date(2026, 7, 1))
    on = dt.date(2026, 6, 20)
    assert not officials.decide(recipient, on, "name").by_name
    assert officials.reason_sentence(officials.decide(recipient, on), "en") == (
        "The holder the campaign names for Mayor of Naju takes office on July 1, 2026, so "
        "the letters address the office, not a name.")


def test_the_primary_recipient_needs_an_address(tmp_path):
    text = NAJU.replace("    address:\n      addressee: Borgmester {name}",
                        "    missing: no source\n    address:\n      addressee: "
                        "Borgmester {name}", 1)
    assert any("recipients[0].missing: the primary recipient needs a postal address" in p
               for p in problems_of(tmp_path, text))
