"""The streaming joiner: pages, text, links and bookmarks survive; the file is valid."""

from __future__ import annotations

import subprocess

import pytest
from pypdf import PdfReader

from campaign_letters import load_campaign
from campaign_letters.layout.render import render_document
from campaign_letters.pdf.join import Bookmark, PdfJoiner
from tests.helpers import sender
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import tool

SENDERS = [sender(name) for name in ("Mette Hansen", "Søren Ødegård", "山田 はなこ")]


@pytest.fixture(scope="module")
def volunteer_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    campaign = load_campaign("naju-haderslev")
    paths = []
    for index, fields in enumerate(SENDERS):
        letters = make_letters(campaign, fields, language="da")
        path = folder / f"{index}.pdf"
        path.write_bytes(render_document(letters, "t").pdf)
        paths.append(path)
    return paths


def test_join_keeps_pages_text_and_bookmarks(tmp_path, volunteer_pdfs):
    out = tmp_path / "joined.pdf"
    bookmarks = []
    with PdfJoiner(out, title="Print pack", creator="test") as joiner:
        for index, path in enumerate(volunteer_pdfs):
            reader = PdfReader(path)
            mapping: dict[int, int] = {}
            first = joiner.add_pages(reader, 0, 1, mapping)
            joiner.add_pages(reader, 1, len(reader.pages) - 1, mapping)
            joiner.add_blank_page(595.28, 841.89)
            bookmarks.append(Bookmark(SENDERS[index]["name"], first,
                                      [Bookmark("first letter", first)]))
        joiner.close(bookmarks)
    joined = PdfReader(out)
    sources = [PdfReader(p) for p in volunteer_pdfs]
    assert len(joined.pages) == sum(len(r.pages) + 1 for r in sources)
    expected = [page.extract_text() if page is not None else None
                for r in sources for page in [*r.pages, None]]
    for page, text in zip(joined.pages, expected, strict=True):
        assert page.extract_text() == (text if text is not None else "")
    assert [b["/Title"] for b in joined.outline if not isinstance(b, list)] == \
        [s["name"] for s in SENDERS]
    assert joined.metadata["/Title"] == "Print pack"
    assert not list(tmp_path.glob(".*.tmp"))
    check = subprocess.run([tool("qpdf"), "--check", str(out)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    text = subprocess.run([tool("pdftotext"), str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "山田 はなこ" in text and "전남광주통합특별시 나주시 시청길 22" in text


def test_an_interrupted_join_leaves_nothing(tmp_path, volunteer_pdfs):
    out = tmp_path / "joined.pdf"
    with pytest.raises(RuntimeError), PdfJoiner(out) as joiner:
        joiner.add_pages(PdfReader(volunteer_pdfs[0]), 0, 1)
        raise RuntimeError("interrupted")
    assert not out.exists() and not list(tmp_path.iterdir())


def test_copy_document_matches_the_object_copy(tmp_path, volunteer_pdfs):
    """The fast byte-level copy of ReportLab's files gives the same pages as the general
    one, and a valid file."""
    fast, general = tmp_path / "fast.pdf", tmp_path / "general.pdf"
    with PdfJoiner(fast) as joiner:
        for path in volunteer_pdfs:
            for number in joiner.copy_document(path.read_bytes()):
                joiner.append_page(number)
        joiner.add_blank_page(595.28, 841.89)
        joiner.close([Bookmark("first", 0)])
    with PdfJoiner(general) as joiner:
        for path in volunteer_pdfs:
            reader = PdfReader(path)
            joiner.add_pages(reader, 0, len(reader.pages))
        joiner.add_blank_page(595.28, 841.89)
        joiner.close([Bookmark("first", 0)])
    assert [p.extract_text() for p in PdfReader(fast).pages] == \
        [p.extract_text() for p in PdfReader(general).pages]
    check = subprocess.run([tool("qpdf"), "--check", str(fast)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_copy_document_refuses_what_it_cannot_read(tmp_path):
    with PdfJoiner(tmp_path / "x.pdf") as joiner, pytest.raises(ValueError):
        joiner.copy_document(b"%PDF-1.7\nnot really\ntrailer\n<< >>\n%%EOF\n")


def test_copy_keeps_a_link_whose_address_holds_pdf_keywords(tmp_path):
    """Found in review: "endobj" (or "stream") inside a link's address cut the object
    short when objects were found by searching for keywords."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from campaign_letters.text import faces

    url = "https://example.org/livestream/endobj?x=endstream"
    buffer = io.BytesIO()
    faces.register_fonts()  # not Helvetica: every test PDF has its fonts embedded
    canvas = Canvas(buffer, pagesize=(595.27, 841.89), invariant=1,
                    initialFontName=faces.LATIN.name)
    canvas.linkURL(url, (72, 700, 300, 720))
    canvas.showPage()
    canvas.save()
    out = tmp_path / "joined.pdf"
    with PdfJoiner(out) as joiner:
        for number in joiner.copy_document(buffer.getvalue()):
            joiner.append_page(number)
        joiner.close()
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    page = PdfReader(out).pages[0]
    assert [a.get_object()["/A"]["/URI"] for a in page["/Annots"]] == [url]
