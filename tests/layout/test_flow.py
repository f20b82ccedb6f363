"""The flowing part of a letter: a long message continues on numbered pages (and the
volunteer is warned when the sheets outgrow the envelope), links print their label and
address with a QR code and are clickable, the copy line stays with the signature, and a
long note without spaces breaks between clusters."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign_letters.layout.render import render_document
from campaign_letters.text import shaping
from tests.helpers import DK_ARGS, long_campaign, sender
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import page_fragments, pdftotext


def test_long_message_continues_with_numbered_pages(run_cli, tmp_path):
    out = tmp_path / "long.pdf"
    result = run_cli("letter", str(long_campaign(tmp_path)), *DK_ARGS, "--language", "en",
                     "--to", "primary", "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(out).pages]
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    for text in pages[1:]:
        # The header names sender, recipient and date.
        assert "Mette Hansen · Borgmester Mads Skau · Aarhus, 23 November 2026" in text
    # Closing, room to sign and name stay together on the last page.
    assert "Sincerely," in pages[-1] and "Mette Hansen" in pages[-1]


def test_too_many_sheets_for_the_envelope_warns(run_cli, tmp_path):
    out = tmp_path / "x.pdf"
    result = run_cli("letter", str(long_campaign(tmp_path, words=3500)), *DK_ARGS,
                     "--language", "en", "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(out).pages)
    assert pages > 5
    assert f"warning: the letter to Mayor of Haderslev has {pages} pages; a DL window " \
           "envelope holds about 5 folded sheets" in result.output


def test_no_envelope_warning_for_a_normal_letter(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "-o", str(tmp_path / "x.pdf"))
    assert "folded sheets" not in result.output


def test_links_print_label_address_qr_and_are_clickable(run_cli, tmp_path):
    out = tmp_path / "links.pdf"
    result = run_cli("letter", str(long_campaign(tmp_path, words=0, urls=True)), *DK_ARGS,
                     "--language", "en", "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdftotext(out)
    assert "Friendship City Campaign – Naju, South Korea – Haderslev, Denmark" in text
    assert "example.org/watch?v=part-1&lang=en" in text
    reader = PdfReader(out)
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages
            for annot in page.get("/Annots") or []]
    assert uris == ["https://www.example.org/watch?v=part-1&lang=en"]
    # The QR code, read back from the printed page by a QR decoder, is the address.
    assert qr_codes(out) == ["https://www.example.org/watch?v=part-1&lang=en"]


def qr_codes(pdf: Path, page: int = 1) -> list[str]:
    """The QR codes a decoder (zxing-cpp) reads on ``page`` printed at 100 dpi."""
    import subprocess

    import zxingcpp
    from PIL import Image

    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(page), "-l", str(page),
                    str(pdf), str(prefix)], check=True)
    (png,) = pdf.parent.glob(f"{prefix.name}-*{page}.png")
    with Image.open(png) as image:
        return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("campaign_id", [
    "naju-haderslev", *(pytest.param(c, marks=pytest.mark.slow)  # the quick run: one
                        for c in ("daegu-milan", "icheon-limoges", "paju-coquitlam"))])
def test_every_campaigns_letter_carries_its_pages_address_as_a_qr_code(run_cli, tmp_path,
                                                                      campaign_id):
    """No letter asks its reader to watch a video, or mentions a petition, without an
    address: each prints the campaign page's, readable and as a QR code that scans."""
    import yaml

    from campaign_letters import load_campaign
    from tests.helpers import campaign_file

    data = yaml.safe_load(campaign_file(campaign_id).read_text(encoding="utf-8"))
    url = data["links"]["campaign-page"]["url"]
    out = tmp_path / "letters.pdf"
    result = run_cli("letter", campaign_id, *DK_ARGS, "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(pdftotext(out).split())
    assert url.removeprefix("https://").rstrip("/") in text
    assert qr_codes(out) == [url]
    words = ("video", "petition", "pétition", "petizione", "underskriftindsamling")
    assert any(word in text.lower() for word in words)  # what the address is for
    # Every letter of a volunteer's PDF links it, however the shared text is drawn.
    every = tmp_path / "all.pdf"
    assert run_cli("letter", campaign_id, *DK_ARGS, "-o", str(every)).exit_code == 0
    reader = PdfReader(every)
    linked = [{a.get_object()["/A"]["/URI"] for a in page["/Annots"]}
              for page in reader.pages if "/Annots" in page]  # a wrapped label: one a line
    assert linked == [{url}] * len(load_campaign(campaign_id).postal_recipients)


def test_copy_line_stays_with_the_signature(tmp_path):
    """A note one line too long once pushed "Kopi til: ..." alone onto a second page."""
    note = "Tak for jeres tid – 감사합니다! " * 30  # too long to fit one sheet at any fit
    letters = make_letters(sender=sender("山田 はなこ Ødegård", street=["Nørregade 7"]),
                           language="da", to="primary", note=note.strip())
    path = tmp_path / "letter.pdf"
    rendered = render_document(letters, "t")
    path.write_bytes(rendered.pdf)
    assert rendered.pages == (2,)
    pages = pdftotext(path).split("\f")
    last = next(page for page in pages if "Kopi til" in page)
    assert "Venlig hilsen" in last and "山田 はなこ Ødegård" in last


def test_a_letter_a_little_too_long_is_set_tighter_onto_one_sheet(tmp_path):
    """The Danish message fills its first page: a sentence of the volunteer's own once
    cost a second sheet holding only the closing, the name and the copy line. Now the
    letter is set tighter (spacing, then leading, then size, not below 9.5 pt), the same
    for the same letter; a note that cannot fit that way continues on a second sheet."""
    from campaign_letters.layout.flow import choose_fit
    from campaign_letters.layout.pages import first_frame_size
    from campaign_letters.layout.paragraphs import FITS, USUAL

    def made(note: str) -> tuple[tuple[int, ...], bytes, object]:
        letters = make_letters(language="da", to="primary", note=note)
        rendered = render_document(letters, "t")
        fit = choose_fit(letters[0], [], first_frame_size(letters[0]))
        return rendered.pages, rendered.pdf, fit

    alone_pages, _, alone = made("")  # the message alone fills the page
    note = "Vi håber at høre fra jer snart, og tak for jeres arbejde."
    pages, first, fit = made(note)
    assert alone_pages == pages == (1,)
    assert FITS.index(fit) > FITS.index(alone), (fit, alone)  # set tighter for the note
    assert made(note)[1] == first  # the same letter, the same result
    path = tmp_path / "short.pdf"
    path.write_bytes(first)
    body = [f.size for f in page_fragments(PdfReader(path).pages[0])
            if f.text.startswith(("Vi håber", "Kære"))]
    assert body and all(size >= 9.5 for size in body), body
    text = pdftotext(path)
    assert "Venlig hilsen" in text and "Kopi til" in text and "Side 2" not in text
    # The measure: a 200-character note still gives one sheet a letter.
    two_hundred = ("Jeg har selv to hunde, og jeg håber, at I vil tage dette alvorligt. " * 4
                   )[:200]
    assert made(two_hundred)[0] == (1,)
    # What cannot fit even at the last step continues on a second sheet, set as usual.
    long_pages, _, long_fit = made("Vi håber at høre fra jer snart. " * 30)
    assert long_pages == (2,) and long_fit == USUAL


def test_a_long_note_without_spaces_is_cut_between_clusters_and_keeps_no_line_alone():
    from campaign_letters.layout.paragraphs import paragraph_styles
    from campaign_letters.layout.shaped import ShapedParagraph

    body = paragraph_styles()["body"]
    for text in ("สวัสดีครับ" * 120, "السلامعليكم" * 109):
        paragraph = ShapedParagraph(text[:1200], body)
        paragraph.wrap(480, 1000)
        lines = [line for line, _ in paragraph._lines]
        assert "".join(lines) == text[:1200]
        assert all(shaping.measure(line) * body.fontSize <= 480 for line in lines)
        # Room for one line and a half: nothing (no orphan); for all but one: one fewer.
        assert paragraph.split(480, 1.5 * body.leading) == []
        parts = paragraph.split(480, (len(lines) - 1) * body.leading)
        assert [len(part._lines) for part in parts] == [len(lines) - 2, 2]
