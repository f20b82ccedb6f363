"""Address labels: the sheets' numbers, where each label's lines land, fonts, text, bytes.

Label rectangles are computed here from the sheet numbers (left, top, pitches), not with
address_labels.LabelSheet.label_box, so a wrong grid in the module cannot pass by agreeing
with itself. pypdf gives text positions from the page's bottom-left corner.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from campaign_letters import LayoutError, __version__
from campaign_letters.layout.labels import (
    LABEL_MAX_SIZE,
    LABEL_MIN_SIZE,
    SHEETS,
    LabelSheet,
    fit_label,
    label_font_size,
    render_labels,
    sheet_for_paper,
)
from campaign_letters.text.strings import string_width
from tests.helpers import campaign_labels, many_labels, python
from tests.helpers.pdf_text import Fragment, page_fragments, run, squash, tool
from tests.helpers.visual import assert_pages_match

MM = 72 / 25.4
INCH = 72.0
KOREAN_LINE = "(58263) 전남광주통합특별시 나주시"  # then "시청길 22", wrapped
EMBEDDED_FACES = ("NotoSans-Regular", "CampaignGothic-Regular", "DroidSansFallback")


@dataclass(frozen=True)
class Rect:
    left: float
    bottom: float
    right: float
    top: float

    def holds(self, left: float, bottom: float, right: float, top: float) -> bool:
        return (self.left <= left and right <= self.right
                and self.bottom <= bottom and top <= self.top)

    def inset(self, by: float) -> Rect:
        return Rect(self.left + by, self.bottom + by, self.right - by, self.top - by)


def label_rect(sheet: LabelSheet, position: int) -> Rect:
    """Label ``position`` on its page (row by row, left to right), from the page's foot."""
    row, column = divmod(position, sheet.columns)
    left = sheet.left + column * sheet.column_pitch
    top_from_top = sheet.top + row * sheet.row_pitch
    top = sheet.page_height - top_from_top
    return Rect(left, top - sheet.label_height, left + sheet.label_width, top)


def drawn_lines(fragments: list[Fragment]) -> list[str]:
    """Fragments grouped by baseline, top to bottom, each line's runs left to right."""
    by_baseline: dict[float, list[Fragment]] = {}
    for fragment in fragments:
        by_baseline.setdefault(round(fragment.y, 1), []).append(fragment)
    return ["".join(f.text for f in sorted(line, key=lambda f: f.x))
            for _, line in sorted(by_baseline.items(), reverse=True)]


# -- the sheets ---------------------------------------------------------------------------

def test_sheet_numbers():
    l7160, us = SHEETS["l7160"], SHEETS["5160"]
    assert (l7160.columns, l7160.rows) == (3, 7)
    assert (l7160.label_width / MM, l7160.label_height / MM) == pytest.approx((63.5, 38.1))
    assert (l7160.top / MM, l7160.left / MM) == pytest.approx((15.15, 7.21))
    assert (l7160.column_pitch / MM, l7160.row_pitch / MM) == pytest.approx((66.04, 38.1))
    assert (l7160.page_width / MM, l7160.page_height / MM) == pytest.approx((210, 297),
                                                                            abs=0.01)
    assert (us.columns, us.rows) == (3, 10)
    assert (us.label_width / INCH, us.label_height / INCH) == pytest.approx((2.625, 1))
    assert (us.top / INCH, us.left / INCH) == pytest.approx((0.5, 0.1875))
    assert (us.column_pitch / INCH, us.row_pitch / INCH) == pytest.approx((2.75, 1))
    assert (us.page_width, us.page_height) == (612, 792)


@pytest.mark.parametrize("key", sorted(SHEETS))
def test_grid_is_centred_on_the_sheet(key):
    """Both margins equal, left and right, top and bottom: a typo in a number shows here."""
    sheet = SHEETS[key]
    right = sheet.left + (sheet.columns - 1) * sheet.column_pitch + sheet.label_width
    bottom = sheet.top + (sheet.rows - 1) * sheet.row_pitch + sheet.label_height
    assert sheet.page_width - right == pytest.approx(sheet.left, abs=0.05 * MM)
    assert sheet.page_height - bottom == pytest.approx(sheet.top, abs=0.05 * MM)
    assert sheet.column_pitch >= sheet.label_width and sheet.row_pitch >= sheet.label_height


def test_sheet_for_paper():
    assert sheet_for_paper("a4") is SHEETS["l7160"]
    assert sheet_for_paper("letter") is SHEETS["5160"]
    with pytest.raises(ValueError, match="no label sheet for paper 'a5'; use one of 'a4'"):
        sheet_for_paper("a5")


# -- fitting ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(SHEETS))
def test_real_labels_fit_at_full_size(key):
    for lines in campaign_labels():
        assert label_font_size(lines, SHEETS[key]) == LABEL_MAX_SIZE, lines


def test_long_line_wraps_rather_than_shrinks():
    """The Limoges mayor's long addressee line and Naju's Korean line since the merger
    wrap at their spaces, at full size, on both sheets."""
    limoges = next(lines for lines in campaign_labels("icheon-limoges")
                   if lines[-1] == "FRANCE")
    for key, size_set in (("l7160", LABEL_MAX_SIZE), ("5160", 7.5)):  # 6 and 6.5 before
        size, lines = fit_label(limoges, SHEETS[key])
        assert size == size_set and len(lines) == len(limoges) + 1, lines
        assert " ".join(lines[:2]) == limoges[0]
    naju = ["윤병태 나주시장님", "(58263) 전남광주통합특별시 나주시 시청길 22", "SOUTH KOREA"]
    size, lines = fit_label(naju, SHEETS["5160"])
    assert size == LABEL_MAX_SIZE
    assert lines == ["윤병태 나주시장님", "(58263) 전남광주통합특별시 나주시", "시청길 22",
                     "SOUTH KOREA"]


def test_many_lines_shrink_on_the_short_label():
    lines = ["Ms Jane Example", "Department of Sister Cities", "City Hall, Room 201",
             "1200 Main Street", "Anytown NY 10001", "UNITED STATES"]
    size = label_font_size(lines, SHEETS["5160"])
    assert LABEL_MIN_SIZE <= size < LABEL_MAX_SIZE
    assert label_font_size(lines, SHEETS["l7160"]) == LABEL_MAX_SIZE


def test_too_wide_label_is_refused():
    lines = ["The Honourable Mayor of a Very Long Municipality Name, Its Council and Staff "
             "Pneumonoultramicroscopicsilicovolcanoconiosis-Municipality",
             "1 Main Street", "12345 TOWN"]
    with pytest.raises(LayoutError) as caught:
        render_labels([campaign_labels()[0], lines], SHEETS["l7160"])
    assert str(caught.value) == (
        "address label 2 ('The Honourable Mayor of a Very Long Municipality Name, Its "
        "Council and Staff Pneumonoultramicroscopicsilicovolcanoconiosis-Municipality') "
        "does not fit an Avery L7160 label even at 6 pt: "
        f"'Pneumonoultramicroscopicsilicovolcanoconiosis-Municipality' is "
        f"{string_width(lines[0].split()[-1], 6) / MM:.1f} mm wide and the label has room "
        "for 57.5 mm; shorten it in the campaign file")


def test_too_tall_label_is_refused():
    lines = ["윤병태 나주시장님", *(f"Line {n}" for n in range(2, 10))]
    with pytest.raises(LayoutError, match=r"^address label 1 \('윤병태 나주시장님'\) does "
                       r"not fit an Avery 5160 label even at 6 pt: its 9 lines need "
                       r"[0-9.]+ mm and the label has room for 19\.4 mm; use fewer"):
        render_labels([lines], SHEETS["5160"])


def test_no_labels_is_an_error():
    with pytest.raises(ValueError, match="no address labels"):
        render_labels([], SHEETS["l7160"])


# -- positions ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(SHEETS))
def test_every_line_inside_its_label(key):
    """One full sheet and four labels more: row by row, then a second page with four."""
    sheet = SHEETS[key]
    labels = many_labels(sheet.per_sheet + 4)
    reader = PdfReader(io.BytesIO(render_labels(labels, sheet)))
    assert len(reader.pages) == 2
    for page_number, page in enumerate(reader.pages):
        first = page_number * sheet.per_sheet
        on_page = labels[first: first + sheet.per_sheet]
        assert len(on_page) == (sheet.per_sheet if page_number == 0 else 4)
        fragments = page_fragments(page)
        claimed: set[int] = set()
        for position, lines in enumerate(on_page):
            rect = label_rect(sheet, position)
            inside = [(n, f) for n, f in enumerate(fragments)
                      if rect.left <= f.x <= rect.right and rect.bottom <= f.y <= rect.top]
            where = f"page {page_number + 1}, label {first + position + 1} ({lines[0]!r})"
            mine = [f for _, f in inside]
            # The label's lines, all of them, in order, and nothing else.
            # (A line too wide for the label wraps at its spaces, onto the next.)
            assert squash("".join(drawn_lines(mine))) == squash("".join(lines)), where
            assert len(drawn_lines(mine)) == len(fit_label(lines, sheet)[1]), where
            for fragment in mine:
                # Clear of the die-cut edge by 2 mm (the padding is 3 mm).
                assert rect.inset(2 * MM).holds(*fragment.box), f"{where}: {fragment}"
                assert LABEL_MIN_SIZE <= fragment.size <= LABEL_MAX_SIZE, where
            claimed.update(n for n, _ in inside)
        assert claimed == set(range(len(fragments))), "text outside every label"


@pytest.mark.parametrize("key", sorted(SHEETS))
def test_block_is_centred_vertically(key):
    sheet = SHEETS[key]
    labels = campaign_labels()
    fragments = page_fragments(PdfReader(io.BytesIO(render_labels(labels, sheet))).pages[0])
    for position, lines in enumerate(labels):
        rect = label_rect(sheet, position)
        mine = [f for f in fragments if rect.left <= f.x <= rect.right
                and rect.bottom <= f.y <= rect.top]
        size = mine[0].size
        # From the capitals' top on the first line to the baseline of the last.
        top = max(f.y for f in mine) + 0.72 * size
        bottom = min(f.y for f in mine)
        above, below = rect.top - top, bottom - rect.bottom
        assert above == pytest.approx(below, abs=0.15 * size), (lines[0], above, below)
        # Left-aligned 3 mm inside the label.
        assert min(f.x for f in mine) == pytest.approx(rect.left + 3 * MM, abs=0.01)


# -- the PDF ------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "size"), [("l7160", (595.27, 841.89)), ("5160", (612, 792))])
def test_page_size_and_metadata(key, size):
    reader = PdfReader(io.BytesIO(render_labels(many_labels(40), SHEETS[key],
                                                title="Labels: Naju")))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(size, abs=0.01)
        assert not page.get("/Rotate")
    assert reader.metadata.title == "Labels: Naju"
    assert reader.metadata.creator == f"campaign-letters {__version__}"


def test_korean_text_extracts(tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(render_labels(campaign_labels(), SHEETS["l7160"]))
    result = run(tool("pdftotext"), "-enc", "UTF-8", path, "-")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert KOREAN_LINE in text
    assert "윤병태 나주시장님" in text and "나주시의회" in text
    assert "Christian X’s Vej 39" in text and "SOUTH KOREA" in text


@pytest.mark.parametrize("key", sorted(SHEETS))
def test_only_bundled_fonts_all_embedded(key, tmp_path):
    # A Japanese address too, for the Han face: the three faces of the chain, no other.
    labels = [*campaign_labels(), ["山田太郎 様", "〒100-8111 東京都千代田区千代田1-1", "JAPAN"]]
    path = tmp_path / "labels.pdf"
    path.write_bytes(render_labels(labels, SHEETS[key]))
    result = run(tool("pdffonts"), path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("---"), result.stdout
    names = set()
    for row in (line.split() for line in lines[2:] if line.strip()):
        name, emb = row[0], row[-5]
        assert emb == "yes", f"{name} is not embedded:\n{result.stdout}"
        assert name.endswith(EMBEDDED_FACES), f"unexpected font {name}:\n{result.stdout}"
        names.add(name.split("+")[-1])
    assert names == set(EMBEDDED_FACES), result.stdout


@pytest.mark.parametrize("outlines", [False, True])
def test_qpdf_check(outlines, tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(render_labels(many_labels(25), SHEETS["l7160"], outlines=outlines))
    result = run(tool("qpdf"), "--check", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_outlines_only_when_asked():
    sheet = SHEETS["5160"]
    labels = many_labels(sheet.per_sheet + 1)
    for outlines, expected in ((False, 0), (True, sheet.per_sheet)):
        pdf = render_labels(labels, sheet, outlines=outlines)
        for page in PdfReader(io.BytesIO(pdf)).pages:
            operators = page.get_contents().get_data().split()
            # Every label of the sheet, on the last (part-used) page too.
            assert operators.count(b"re") == expected, (outlines, operators.count(b"re"))


def test_same_labels_same_bytes(tmp_path):
    """Twice in this process and once in a fresh one with another hash seed."""
    labels = many_labels(25)
    first = render_labels(labels, SHEETS["l7160"])
    assert render_labels(labels, SHEETS["l7160"]) == first
    out = tmp_path / "labels.pdf"
    script = (
        "import sys\n"
        "from campaign_letters.layout.labels import SHEETS, render_labels\n"
        "from tests.helpers import many_labels\n"
        "labels = many_labels(25)\n"
        "open(sys.argv[1], 'wb').write(render_labels(labels, SHEETS['l7160']))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = python(script, out, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == first


# -- how it looks -------------------------------------------------------------------------

VISUAL_CASES = {"labels-l7160": "l7160", "labels-5160": "5160"}


@pytest.mark.visual
@pytest.mark.parametrize("case", sorted(VISUAL_CASES))
def test_sheet_matches_reference(case, tmp_path):
    """Every bundled campaign's labels with outlines: grid, centring and sizes at a glance.

    Regenerate with CAMPAIGN_LETTERS_REGENERATE=1, as tests/helpers/visual.py explains.
    """
    labels = [lines for campaign in ("naju-haderslev", "daegu-milan", "icheon-limoges",
                                     "paju-coquitlam") for lines in campaign_labels(campaign)]
    pdf = tmp_path / f"{case}.pdf"
    pdf.write_bytes(render_labels(labels, SHEETS[VISUAL_CASES[case]], outlines=True))
    assert_pages_match(pdf, case, tmp_path)
