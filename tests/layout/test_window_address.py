"""The recipient's address in the envelope window (issue 22): set at 10 pt where it fits,
lines too wide for the window wrapped at their spaces (a house number staying with its
street), then smaller in quarter points but never below 9 pt; a block still too tall at
9 pt is printed at 9 pt anyway, hanging from the window's top, with a warning naming the
recipient. Never tiny type, never refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from campaign_letters import load_campaign, render_letters
from campaign_letters.compose import paper
from campaign_letters.layout.pages import (
    AddressFit,
    fit_address,
    recipient_fit,
    window_lines,
    window_warnings,
)
from campaign_letters.layout.paragraphs import ADDRESS_MAX_SIZE, ADDRESS_MIN_SIZE
from campaign_letters.resources import campaigns_dir
from campaign_letters.text.strings import string_width
from tests.helpers import ADDRESSES, CA_ARGS, CHRIS, METTE, TODAY, campaign_text, sender
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import page_fragments, pdftotext, squash

US_10 = paper.resolve("letter", "us-10", "US").recipient_zone
DIN_B = paper.resolve("a4", "din-5008-b", "DK").recipient_zone
HADERSLEV = ("Borgmester Mads Skau", "Haderslev Kommune", "Christian X’s Vej 39",
             "6100 HADERSLEV", "DENMARK")
HADERSLEV_WARNING = (
    "the address of Mayor of Haderslev has 5 lines and the window shows 4 at 9 pt: check "
    "that it shows through the #10 window envelope, or use --envelope din-5008-b (A4 paper "
    "and a DL window envelope, whose window shows 6 lines at 10 pt)")
LONG_ORGANIZATION = ("Haderslev Kommune, Borgmesterens Kontor og Sekretariat for "
                     "Internationale Venskabsbyer")


def test_the_floor_is_9_pt():
    assert (ADDRESS_MAX_SIZE, ADDRESS_MIN_SIZE) == (10, 9)
    assert window_lines(US_10, 10) == 4 and window_lines(US_10, 9) == 4
    assert window_lines(DIN_B, 10) == 6 and window_lines(DIN_B, 9) == 7


def test_an_address_that_fits_is_set_at_10_pt_as_it_is():
    assert fit_address(HADERSLEV, DIN_B) == AddressFit(10, HADERSLEV, 6)
    assert fit_address(HADERSLEV[:4], US_10) == AddressFit(10, HADERSLEV[:4], 4)


def test_a_line_too_wide_wraps_at_its_spaces_before_anything_shrinks():
    street = "Borgmesterens Kontor og Sekretariat for Venskabsbyer, Christian X’s Vej 39"
    assert string_width(street, 10) > DIN_B.width
    fit = fit_address(("Borgmester Mads Skau", street, "6100 HADERSLEV"), DIN_B)
    assert fit.size == 10 and fit.fits
    assert fit.lines[0] == "Borgmester Mads Skau" and fit.lines[-1] == "6100 HADERSLEV"
    wrapped = fit.lines[1:-1]
    assert len(wrapped) == 2 and " ".join(wrapped) == street
    assert all(string_width(line, 10) <= DIN_B.width for line in wrapped)
    # A house number stays with its street (labels.wrap_line, the labels' rule).
    narrow = paper.Box(DIN_B.left, DIN_B.top, string_width("Christian X’s Vej", 10) + 2,
                       DIN_B.height)
    fit = fit_address(("Christian X’s Vej 39",), narrow)
    assert fit.lines == ("Christian X’s", "Vej 39")


def test_smaller_in_quarter_points_when_wrapping_would_make_it_too_tall():
    # 255 pt at 10 pt: wrapped, five lines would be too tall for the #10 window; at
    # 9.75 pt the line fits whole and four lines fit.
    first = "Monsieur le Maire de Limoges, Émile Roger Lombertie"
    assert string_width(first, 10) > US_10.width >= string_width(first, 9.75)
    lines = (first, "1 square Jacques-Chirac", "BP 3120", "87031 LIMOGES")
    assert fit_address(lines, US_10) == AddressFit(9.75, lines, 4)


@pytest.mark.parametrize("count", [5, 6, 9])
def test_too_tall_at_9_pt_is_printed_at_9_pt_anyway(count):
    lines = tuple(f"Line {n}" for n in range(count))
    fit = fit_address(lines, US_10)
    assert fit.size == ADDRESS_MIN_SIZE and fit.lines == lines
    assert fit.shown == 4 and not fit.fits


def test_a_word_wider_than_the_window_stays_whole_at_9_pt():
    word = "Verwaltungsgemeinschaftsbürgermeisteramtssekretariatsabteilung"
    assert string_width(word, 9) > US_10.width
    fit = fit_address(("Mayor", f"c/o {word} 12", "CITY"), US_10)
    assert fit.size == 9 and not fit.fits
    assert fit.too_wide == (f"c/o {word} 12",)
    assert fit.lines == ("Mayor", f"c/o {word} 12", "CITY")


def test_every_bundled_address_is_at_least_9_pt_and_said_when_it_may_not_show():
    for path in sorted(campaigns_dir().glob("*.yaml")):
        campaign = load_campaign(path, today=TODAY)
        for country in ADDRESSES:
            letters = make_letters(campaign, sender("Anna Berg", country),
                                   address_by="name")
            warned = window_warnings(letters)
            for letter in letters:
                fit = recipient_fit(letter)
                assert ADDRESS_MIN_SIZE <= fit.size <= ADDRESS_MAX_SIZE
                named = [w for w in warned
                         if w.startswith(f"the address of {letter.recipient.office} ")]
                assert bool(named) == (not fit.fits), (path.name, country, fit)
                if letter.geometry.paper == "a4":  # DIN 5008's window: room for all
                    assert fit.size == 10 and fit.fits, (path.name, country, fit)


def test_five_line_address_in_a_10_window_is_printed_at_9_pt_with_a_warning(tmp_path):
    """The issue's case: a Canadian volunteer's letter to Haderslev, five lines on US
    Letter, used to shrink to 8 pt."""
    letters = make_letters("naju-haderslev", CHRIS, language="en")
    assert window_warnings(letters) == [HADERSLEV_WARNING]
    reader = PdfReader(io.BytesIO(render_letters(letters, "title")))
    first = reader.pages[0]
    height = float(first.mediabox.height)
    wanted = {squash(line) for line in HADERSLEV}
    drawn = [f for f in page_fragments(first) if squash(f.text) in wanted]
    assert sorted(squash(f.text) for f in drawn) == sorted(wanted)
    assert {f.size for f in drawn} == {9}
    baselines = sorted(height - f.y for f in drawn)
    # Hanging from the window's top: the first baseline 0.9 em below it, then 1.18 em
    # a line; the fifth passes the always-visible band's foot.
    assert baselines[0] == pytest.approx(US_10.top + 0.9 * 9, abs=0.05)
    assert baselines[-1] == pytest.approx(baselines[0] + 4 * 9 * 1.18, abs=0.05)
    assert baselines[3] <= US_10.bottom < baselines[4]
    # The copies to South Korea fit at 10 pt.
    for page in reader.pages[1:]:
        korean = [f for f in page_fragments(page) if "SOUTHKOREA" in squash(f.text)]
        assert all(f.size == 10 for f in korean)


def test_a_long_line_wraps_at_10_pt_in_the_pdf_instead_of_an_error(tmp_path):
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(campaign_text().replace("organization: Haderslev Kommune",
                                            f"organization: {LONG_ORGANIZATION}"),
                    encoding="utf-8")
    letters = make_letters(path, METTE, language="da")
    fit = recipient_fit(letters[0])
    assert fit.size == 10 and fit.fits and len(fit.lines) == 5
    assert " ".join(fit.lines[1:3]) == LONG_ORGANIZATION
    assert window_warnings(letters) == []
    pdf = render_letters(letters, "title")
    text = pdftotext(pdf)
    for line in fit.lines:
        assert line in text
    first = PdfReader(io.BytesIO(pdf)).pages[0]
    sizes = {f.size for f in page_fragments(first) if squash(f.text) in
             {squash(line) for line in fit.lines}}
    assert sizes == {10}


def test_the_letter_command_prints_the_warning(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *CA_ARGS, "--date", "2026-11-23",
                     "-o", str(tmp_path / "letters.pdf"))
    assert result.exit_code == 0, result.output
    assert f"warning: {HADERSLEV_WARNING}" in result.output
    assert result.output.count("the address of Mayor of Haderslev") == 1
