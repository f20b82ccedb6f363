"""Parts of a page drawn once and replayed (pdf/blocks.py): a replay must be what drawing
would have made, whatever came before it on the page and in the process.

Checked by reading the PDFs back (pypdf for the structure and the content's marked
sequences, poppler for the text), never by looking at the cache.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from campaign_letters.pdf import (
    Metadata,
    blocks,
    canvas_pdf,
    draw_once,
    plain_mode,
    seed_canvas,
    tagged,
)
from campaign_letters.text import faces
from tests.helpers.pdf_text import pdftotext

META = Metadata(title="Blocks", creator="tests", lang="en")
SEED = ((faces.LATIN.name, "Hello world, part one two three four."),)


def _pdf(before: int, key: str, text: str, link: bool = False, x: float = 72,
         across: bool = True) -> bytes:
    """A page with ``before`` tagged lines, then a part (two paragraphs, one maybe a
    link) drawn once for ``key`` at ``x``."""
    faces.register_fonts()

    def part(canvas) -> None:
        y = 600
        for index, paragraph in enumerate([text, text.upper()]):
            with tagged(canvas, "Link" if link and index else "P",
                        contents="a link" if link and index else None):
                canvas.setFont(faces.LATIN.name, 11)
                for line in paragraph.split("\n"):  # lines of a long part
                    canvas.drawString(x, y, line)
                    y -= 14
                if link and index:
                    canvas.linkURL("https://example.org/", (x, y + 9, x + 100, y + 26))

    def draw(canvas) -> None:
        seed_canvas(canvas, SEED)
        for index in range(before):
            with tagged(canvas, "P"):
                canvas.setFont(faces.LATIN.name, 11)
                canvas.drawString(72, 760 - 14 * index, f"before {index}")
        canvas.saveState()
        canvas.translate(0, 0)
        draw_once(canvas, (key, x), lambda: part(canvas), across=across)
        canvas.restoreState()
        canvas.showPage()

    return canvas_pdf(draw, (595, 842), META, faces.LATIN.name)


def _marked(pdf: bytes) -> list[tuple[str, int]]:
    """The page's marked-content sequences in content order: (tag, MCID)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    data = page.get_contents().get_data()
    return [(tag.decode(), int(mcid)) for tag, mcid in
            re.findall(rb"/(\w+) <</MCID (\d+)>> BDC", data)]


def _parents(pdf: bytes) -> list[str]:
    """The roles the parent tree gives the page's MCIDs, in MCID order."""
    reader = PdfReader(io.BytesIO(pdf))
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()
    nums = tree["/Nums"]
    page_key = reader.pages[0]["/StructParents"]
    entry = dict(zip(nums[::2], nums[1::2], strict=True))[page_key].get_object()
    return [str(element.get_object()["/S"])[1:] for element in entry]


def test_a_replayed_part_is_numbered_after_what_its_page_drew_before():
    first = _pdf(0, "numbering", "Hello world")  # recorded: MCIDs 0, 1
    again = _pdf(3, "numbering", "Hello world")  # replayed after three: 3, 4
    assert _marked(first) == [("P", 0), ("P", 1)]
    assert _marked(again) == [("P", 0), ("P", 1), ("P", 2), ("P", 3), ("P", 4)]
    assert _parents(again) == ["P"] * 5
    assert pdftotext(again).split() == ["before", "0", "before", "1", "before", "2",
                                        "Hello", "world", "HELLO", "WORLD"]
    fresh = _pdf(3, "numbering-fresh", "Hello world")  # the same page, drawn
    assert _marked(fresh) == _marked(again)
    assert pdftotext(fresh) == pdftotext(again)


def test_a_part_with_a_link_is_redrawn_where_it_moved():
    here = _pdf(0, "linked", "one two", link=True, x=72)
    there = _pdf(0, "linked", "one two", link=True, x=200)
    for pdf, x in ((here, 72), (there, 200)):
        annotation = PdfReader(io.BytesIO(pdf)).pages[0]["/Annots"][0].get_object()
        assert float(annotation["/Rect"][0]) == x  # where this PDF drew it
        assert _parents(pdf) == ["P", "Link"]


def test_a_volunteers_part_stays_with_their_pdf():
    before = len(blocks._across)
    _pdf(0, "own", "Zbigniew Qvist", across=False)
    assert len(blocks._across) == before
    # ... and text outside the seed is never shared either, even when it may be.
    _pdf(0, "unseeded", "Zbigniew Qvist")
    assert len(blocks._across) == before


def test_plain_draws_every_part_itself():
    with plain_mode(True):
        pdf = _pdf(2, "plain", "Hello world")
    assert _marked(pdf) == [("P", 0), ("P", 1), ("P", 2), ("P", 3)]
    assert pdftotext(pdf).split()[-4:] == ["Hello", "world", "HELLO", "WORLD"]


def test_a_long_part_is_a_content_stream_of_its_own_and_reads_the_same():
    long_text = "\n".join(["Hello world, part one two three four."] * 15)
    recorded = _pdf(1, "long", long_text)
    replayed = _pdf(1, "long", long_text)
    assert recorded == replayed  # the first page's bytes are the later pages'
    contents = PdfReader(io.BytesIO(replayed)).pages[0]["/Contents"]
    assert len(contents) == 3  # what came before, the part, what came after
    with plain_mode(True):
        plain = _pdf(1, "long", long_text)
    assert pdftotext(plain) == pdftotext(replayed)
    assert _marked(plain) == _marked(replayed)
