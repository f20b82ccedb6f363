"""The PDF as the printer and the post see it: structure, text, address position, bytes.

Checked with the tools a reader would use (poppler's pdftotext and pdffonts, qpdf) and
with pypdf, which gives every text fragment's position on the page. Positions are in
PostScript points; pypdf gives them from the bottom-left corner, paper.Geometry from the
top-left corner.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from campaign_letters import render_letters
from campaign_letters.compose.letters import Letter
from campaign_letters.layout.pages import date_placement, recipient_fit, window_warnings
from tests.helpers import CHRIS, METTE
from tests.helpers.letters import make_letters as letters_for
from tests.helpers.pdf_text import Fragment, page_fragments, pdftotext_pages, run, squash, tool

MM = 72 / 25.4
INCH = 72.0
CAMPAIGN = "naju-haderslev"

SENDERS = {"dk": METTE, "ca": CHRIS}
LANGUAGES = {"dk": "da", "ca": "en"}
PAGE_SIZES = {"dk": (595.27, 841.89), "ca": (612.0, 792.0)}  # A4, US Letter
PLACE_DATES = {"dk": "Aarhus, 23. november 2026", "ca": "Coquitlam, November 23, 2026"}
EMBEDDED_FACES = ("NotoSans-Regular", "NotoSans-Bold", "CampaignGothic-Regular")


def make_letters(case: str, **sender_changes: object) -> list[Letter]:
    return letters_for(CAMPAIGN, {**SENDERS[case], **sender_changes},
                       language=LANGUAGES[case])


def render(case: str, **sender_changes: object) -> tuple[list[Letter], bytes]:
    letters = make_letters(case, **sender_changes)
    return letters, render_letters(letters, "title")


# -- 1. structure -------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["dk", "ca"])
def test_page_size_on_every_page(case):
    letters, pdf = render(case)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = PAGE_SIZES[case]
    assert len(reader.pages) >= len(letters)
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert float(box.width) == pytest.approx(width, abs=1), f"page {number}"
        assert float(box.height) == pytest.approx(height, abs=1), f"page {number}"
        assert (float(box.left), float(box.bottom)) == (0, 0), f"page {number}"
        assert not page.get("/Rotate"), f"page {number} is rotated"


@pytest.mark.parametrize("case", ["dk", "ca"])
def test_one_first_page_per_letter(case, tmp_path):
    letters, pdf = render(case)
    assert len(letters) == 3  # the Haderslev mayor, then copies to Naju's mayor and council
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    pages = pdftotext_pages(path)
    place_date = PLACE_DATES[case]
    assert all(letter.place_date == place_date for letter in letters)
    # The place-date line stands alone on first pages; later pages repeat it only inside
    # their "name · place, date" header.
    first = [n for n, text in enumerate(pages)
             if place_date in (line.strip() for line in text.splitlines())]
    assert len(first) == len(letters), f"first pages: {first} of {len(pages)}"
    assert first[0] == 0
    # Each letter is one or two sheets: no empty or runaway pages.
    lengths = [b - a for a, b in zip(first, [*first[1:], len(pages)], strict=True)]
    assert all(1 <= n <= 2 for n in lengths), lengths
    # Each first page is addressed to its letter's recipient.
    for letter, n in zip(letters, first, strict=True):
        assert letter.recipient_lines[0] in pages[n]
    if case == "dk":  # the return address above the recipient marks first pages too
        return_line = "Mette Hansen · Vestergade 12 · 8000 Aarhus"
        assert [n for n, text in enumerate(pages) if return_line in text] == first


@pytest.mark.parametrize("case", ["dk", "ca"])
def test_qpdf_check(case, tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(render(case)[1])
    result = run(tool("qpdf"), "--check", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.parametrize("case", ["dk", "ca"])
def test_only_bundled_fonts_all_embedded(case, tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(render(case)[1])
    result = run(tool("pdffonts"), path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("---"), result.stdout
    rows = [line.split() for line in lines[2:] if line.strip()]
    assert rows, "pdffonts lists no font"
    names = set()
    for row in rows:
        # name type... encoding emb sub uni object-id generation; the type may hold spaces.
        name, emb = row[0], row[-5]
        assert emb == "yes", f"{name} is not embedded:\n{result.stdout}"
        assert name.endswith(EMBEDDED_FACES), f"unexpected font {name}:\n{result.stdout}"
        names.add(name.split("+")[-1])
    # The Korean copies need the Hangul face, every letter the Latin ones.
    assert names == set(EMBEDDED_FACES)


@pytest.mark.parametrize("case", ["dk", "ca"])
def test_metadata(case):
    pdf = render(case)[1]
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info is not None
    assert info["/Title"] == "title"
    assert info["/Author"] == SENDERS[case]["name"]
    assert str(info["/Creator"]).startswith("campaign-letters")
    assert reader.trailer["/Root"]["/Lang"] == LANGUAGES[case]


# -- 2. text ------------------------------------------------------------------------------

def test_text_danish_letters(tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(render("dk")[1])
    text = "\n".join(pdftotext_pages(path))
    for expected in ("23. november 2026", "Mads Skau", "나주시장님",
                     "전남광주통합특별시 나주시 시청길 22",
                     "SOUTH KOREA", "Kære borgmester Mads Skau", "Venlig hilsen",
                     "opfordre borgmesteren i Naju til at nedlægge",
                     "Kopi af brevet sendt til: Mads Skau, borgmester i Haderslev",
                     "Kopi til: borgmester i Naju; byrådet i Naju"):
        assert squash(expected) in squash(text), expected
    for gone in ("Kang", "강인규", "Yoon", "윤병태"):  # unconfirmed since June 2026
        assert gone not in text, gone


def test_markup_in_sender_name_prints_literally(tmp_path):
    name = '<b>Bold</b> & <img src="/etc/passwd"/>'
    letters, pdf = render("dk", name=name)
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    pages = pdftotext_pages(path)
    # The signature under each letter, the return line and the later pages' header.
    signatures = [text for text in pages if name in text.splitlines()]
    assert len(signatures) == len(letters), "\n\f".join(pages)
    assert sum(f"{name} · Vestergade 12 · 8000 Aarhus" in text for text in pages) == \
        len(letters)
    assert "&amp;" not in "".join(pages)
    assert "&lt;" not in "".join(pages)
    assert PdfReader(io.BytesIO(pdf)).metadata["/Author"] == name


# -- 3. where the address lands -----------------------------------------------------------

@dataclass(frozen=True)
class FirstPage:
    letter: Letter
    height: float
    recipient: list[Fragment]  # the recipient's lines, as drawn
    others: list[Fragment]  # everything else on the page


def first_pages(case: str) -> list[FirstPage]:
    """Each letter's first page, its fragments split into recipient lines and the rest."""
    letters, pdf = render(case)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [(page, page_fragments(page)) for page in reader.pages]
    firsts = [(page, frags) for page, frags in pages
              if any(f.text == letters[0].place_date for f in frags)]
    assert len(firsts) == len(letters)
    result = []
    for letter, (page, frags) in zip(letters, firsts, strict=True):
        # As set in the window: lines too wide wrapped (test_window_address.py).
        wanted = [squash(line) for line in recipient_fit(letter).lines]
        recipient = [f for f in frags if any(squash(f.text) in line for line in wanted)]
        others = [f for f in frags if f not in recipient]
        # The fragments rebuild the recipient's lines, in order, top to bottom: nothing of
        # the address is missing and nothing else was mistaken for it.
        rows: dict[float, list[Fragment]] = {}
        for f in recipient:
            rows.setdefault(round(f.y, 1), []).append(f)
        drawn = ["".join(squash(f.text) for f in sorted(row, key=lambda f: f.x))
                 for _, row in sorted(rows.items(), reverse=True)]
        assert drawn == wanted, f"recipient lines drawn as {drawn}"
        result.append(FirstPage(letter, float(page.mediabox.height), recipient, others))
    return result


def assert_inside(fragment: Fragment, height: float, left: float, top: float, right: float,
                  bottom: float, what: str) -> None:
    """Baseline and cap height inside a rectangle given from the top-left, in points."""
    eps = 0.01
    cap = 0.7 * fragment.size
    where = (f"{fragment.text!r} at x {fragment.x:.2f}-{fragment.x + fragment.width:.2f}, "
             f"baseline {height - fragment.y:.2f} pt from the top")
    assert left - eps <= fragment.x, f"{where}: left of the {what} ({left:.2f})"
    assert fragment.x + fragment.width <= right + eps, f"{where}: right of the {what} " \
                                                       f"({right:.2f})"
    assert height - fragment.y <= bottom + eps, f"{where}: below the {what} ({bottom:.2f})"
    assert height - (fragment.y + cap) >= top - eps, f"{where}: above the {what} ({top:.2f})"


def overlaps(fragment: Fragment, height: float, left: float, top: float, right: float,
             bottom: float) -> bool:
    x0, y0, x1, y1 = fragment.box
    return x0 < right and x1 > left and height - y1 < bottom and height - y0 > top


def assert_date_where_expected(first: FirstPage) -> None:
    """A sanity check of the measuring itself, on the place-date line's known position."""
    g = first.letter.geometry
    (date,) = [f for f in first.others if f.text == first.letter.place_date]
    assert date.x + date.width == pytest.approx(g.width - g.margin_right, abs=1)
    assert first.height - date.y - date.size == pytest.approx(date_placement(first.letter)[0],
                                                        abs=1)


def shown_and_below(first: FirstPage) -> tuple[list[Fragment], list[Fragment]]:
    """The recipient's fragments on the lines the window shows at their size, and those
    on the lines after: an address too tall for the window even at 9 pt passes its foot,
    and only with a warning naming it (test_window_address.py)."""
    fit = recipient_fit(first.letter)
    baselines = sorted({round(f.y, 1) for f in first.recipient}, reverse=True)
    shown = set(baselines[:fit.shown])
    inside = [f for f in first.recipient if round(f.y, 1) in shown]
    below = [f for f in first.recipient if round(f.y, 1) not in shown]
    if below:
        (warning,) = window_warnings([first.letter])
        assert f"{len(fit.lines)} lines and the window shows {fit.shown} at 9 pt" in warning
    return inside, below


@pytest.mark.parametrize("case", ["dk", "ca"])
def test_recipient_lines_inside_recipient_zone(case):
    for first in first_pages(case):
        assert_date_where_expected(first)
        zone = first.letter.geometry.recipient_zone
        inside, below = shown_and_below(first)
        for fragment in inside:
            assert_inside(fragment, first.height, zone.left, zone.top, zone.right,
                          zone.bottom, "recipient zone")
        for fragment in below:  # as wide as the zone, hanging past its foot
            assert zone.left <= fragment.x and fragment.x + fragment.width <= zone.right
            assert first.height - fragment.y > zone.bottom


def test_din_5008_b_field_holds_address_and_return_line_only():
    field = (20 * MM, 45 * MM, 105 * MM, 90 * MM)  # left, top, right, bottom
    for first in first_pages("dk"):
        assert first.height == pytest.approx(841.89, abs=1)
        for fragment in first.recipient:
            assert_inside(fragment, first.height, *field, "DIN 5008 form B address field")
        in_field = [f for f in first.others if overlaps(f, first.height, *field)]
        # Only the one-line return address shares the field, above the recipient.
        assert [f.text for f in in_field] == [" · ".join(first.letter.return_parts)]
        zone = first.letter.geometry.return_zone
        assert zone is not None
        assert_inside(in_field[0], first.height, zone.left, zone.top, zone.right,
                      zone.bottom, "return-address zone")


def test_us_10_window_band_shows_only_the_recipient():
    band = (0.875 * INCH, 2.5 * INCH, 4.375 * INCH, 3.17 * INCH)  # left, top, right, bottom
    slide = 0.46 * INCH  # the sheet moves up and down this much in the envelope
    reach = (band[0], band[1] - slide, band[2], band[3] + slide)
    for first in first_pages("ca"):
        assert first.height == pytest.approx(792, abs=1)
        assert_date_where_expected(first)
        inside, below = shown_and_below(first)
        for fragment in inside:
            assert_inside(fragment, first.height, *band, "#10 window's visible band")
        # The Haderslev address (five lines) is one line too many for the band at 9 pt:
        # its last line passes the band's foot, still within the window's reach.
        for fragment in below:
            assert_inside(fragment, first.height, *reach, "#10 window's reach")
        intruders = [f"{f.text!r} at {f.x:.1f}, {first.height - f.y:.1f} pt from the top"
                     for f in first.others if overlaps(f, first.height, *reach)]
        assert not intruders, "text the #10 window can show besides the recipient"


# -- 4. determinism -----------------------------------------------------------------------

@pytest.mark.parametrize("case", ["dk", "ca"])
def test_rendering_twice_gives_identical_bytes(case):
    letters = make_letters(case)
    assert render_letters(letters, "title") == render_letters(letters, "title")
