"""What a volunteer adds or meets beyond the basic letter: names in every script, personal
notes, two languages, long messages, links."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign_letters.resources import campaigns_dir
from tests.conftest import DK_SENDER

NAJU = (campaigns_dir() / "naju-haderslev.yaml").read_text(encoding="utf-8")


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def with_sender(**changes: str) -> list[str]:
    args = list(DK_SENDER)
    for option, value in changes.items():
        flag = "--" + option.replace("_", "-")
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    return args


@pytest.mark.parametrize("name", [
    "Zoë Brontë", "Łukasz Żółć", "Ærø Østergård", "Ελένη Παπαδοπούλου", "Дмитрий Шостакович",
    "김민준", "山田 はなこ", "王小明", "金大中", "Nguyễn Thị Minh Khai", "Øystein O'Neill-Ševčík",
    "<b>Bold</b> & <img src='/etc/passwd'/>",
])
def test_names_in_every_script_round_trip(run_cli, tmp_path, name):
    out = tmp_path / "n.pdf"
    result = run_cli("letter", "naju-haderslev", *with_sender(name=name), "--to", "primary",
                     "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = pdftotext(out).splitlines()
    assert name in lines, f"{name!r} not extracted as a line of its own"


@pytest.mark.parametrize(("name", "message"), [
    ("Rex 🐕", "--name: U+1F415 (DOG) cannot be printed: no bundled font has it"),
    # Syriac is written right to left too, but no bundled face has it.
    ("ܝܘܚܢܢ", "--name: U+071D (SYRIAC LETTER YUDH) cannot be printed"),
    ("ཀླུ", "--name: U+0F40 (TIBETAN LETTER KA) cannot be printed"),
])
def test_unprintable_names_are_refused_in_one_line(run_cli, tmp_path, name, message):
    result = run_cli("letter", "naju-haderslev", *with_sender(name=name), "-o",
                     str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_personal_note_before_the_closing(run_cli, tmp_path):
    out = tmp_path / "note.pdf"
    note = "I adopted a dog from Korea. <i>Please</i> help & act.\n\nSecond paragraph."
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "--language", "en", "--note",
                     note, "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdftotext(out)
    assert "I adopted a dog from Korea. <i>Please</i> help & act." in text
    assert text.index("Second paragraph.") < text.index("Sincerely,")
    assert text.index("await your reply") < text.index("I adopted a dog")


def test_note_too_long(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "--note", "word " * 300, "-o",
                     str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: --note: is 1499 characters long; a personal note can have at most 1200" \
        in result.output


def test_two_languages(run_cli, tmp_path):
    out = tmp_path / "pair.pdf"
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "--language", "da+en", "--to",
                     "primary", "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(out).pages]
    danish_end = next(i for i, text in enumerate(pages) if "Venlig hilsen" in text)
    english = next(i for i, text in enumerate(pages) if "Translation (English)" in text)
    assert english == danish_end + 1, "the translation starts on the next page"
    assert "Kære borgmester Mads Skau" in "".join(pages[:english])
    assert "Dear Mayor Mads Skau" in pages[english]
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "--language", "en+da", "--to",
                     "primary", "-o", str(out))
    assert "Oversættelse (dansk)" in pdftotext(out)


@pytest.mark.parametrize(("language", "message"), [
    ("da+da", "'da+da' names the same language twice"),
    ("da+fr", "'fr' is not a language of campaign naju-haderslev; choose one of en, da"),
    ("da+en+fr", "give one language, or two joined by '+'"),
])
def test_bad_language_pairs(run_cli, tmp_path, language, message):
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "--language", language, "-o",
                     str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert message in result.output


def long_campaign(tmp_path: Path, words: int = 1500, urls: bool = False) -> Path:
    sentence = ("Dogs and cats deserve the protection the law already promises them, and "
                "friendship between cities is a reason to say so plainly. ")
    per_paragraph = 120
    paragraphs = []
    count = 0
    while count < words:
        text = " ".join((sentence * 12).split()[:per_paragraph])
        paragraphs.append(f"      - >-\n        {text}\n")
        count += per_paragraph
    text = NAJU.replace("      - >-\n        Do you think Haderslev",
                        "".join(paragraphs) + "      - >-\n        Do you think Haderslev", 1)
    if urls:
        text = text.replace("  video-1:\n    kind: video\n",
                            "  video-1:\n    kind: video\n"
                            "    url: https://www.example.org/watch?v=part-1&lang=en\n")
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_long_message_continues_with_numbered_pages(run_cli, tmp_path):
    out = tmp_path / "long.pdf"
    result = run_cli("letter", str(long_campaign(tmp_path)), *DK_SENDER, "--language", "en",
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
    result = run_cli("letter", str(long_campaign(tmp_path, words=3500)), *DK_SENDER,
                     "--language", "en", "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = len(PdfReader(out).pages)
    assert pages > 5
    assert f"warning: the letter to Mayor of Haderslev has {pages} pages; a DL window " \
           "envelope holds about 5 folded sheets" in result.output


def test_no_envelope_warning_for_a_normal_letter(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *DK_SENDER, "-o", str(tmp_path / "x.pdf"))
    assert "folded sheets" not in result.output


def test_links_print_label_address_qr_and_are_clickable(run_cli, tmp_path):
    out = tmp_path / "links.pdf"
    result = run_cli("letter", str(long_campaign(tmp_path, words=0, urls=True)), *DK_SENDER,
                     "--language", "en", "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdftotext(out)
    assert "Shocking Cruelty of South Korean Dog Meat Industry, Part 1 of 2" in text
    assert "example.org/watch?v=part-1&lang=en" in text
    reader = PdfReader(out)
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages
            for annot in page.get("/Annots") or []]
    assert uris == ["https://www.example.org/watch?v=part-1&lang=en"]
    # The QR code is vector drawing: many filled squares in the page's content stream.
    content = reader.pages[0].get_contents().get_data()
    assert content.count(b" re") > 100


def test_one_page_naju_letter_is_small_enough_to_e_mail():
    """The size budget (bench/pdf_size.py prints the breakdown): at most 20 KB."""
    import datetime as dt

    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender
    from campaign_letters.layout.render import render_document

    sender = make_sender(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000",
                         city="Aarhus", country="DK")
    letters = compose_letters(load_campaign("naju-haderslev"), sender,
                              LetterOptions(language="da", date=dt.date(2026, 11, 23)))
    rendered = render_document([letters[1]], "title")
    assert rendered.pages == (1,)
    assert len(rendered.pdf) <= 20_000, len(rendered.pdf)


def test_reused_layout_gives_the_same_bytes_every_time():
    """Campaign paragraphs are laid out once and reused: the second, third... rendering in
    one process, with the same paragraph in several letters of one PDF, must give exactly
    the bytes of the first."""
    import datetime as dt

    from campaign_letters import load_campaign, make_sender, produce_letters

    campaign = load_campaign("naju-haderslev")
    sender = make_sender(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000",
                         city="Aarhus", country="DK")
    runs = [produce_letters(campaign, sender, date=dt.date(2026, 11, 23), language="da+en",
                            note="Hej.\n\nAnden paragraf.").pdf for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    other = make_sender(name="Bo Berg", street=["Gade 1"], postal_code="8000", city="Aarhus",
                        country="DK")
    produce_letters(campaign, other, date=dt.date(2026, 11, 23), language="da")
    again = produce_letters(campaign, sender, date=dt.date(2026, 11, 23), language="da+en",
                            note="Hej.\n\nAnden paragraf.").pdf
    assert again == runs[0]


def test_rendering_in_threads_gives_each_volunteer_their_own_letters():
    """The web page renders in worker threads; the layout caches must not mix volunteers."""
    import datetime as dt
    from concurrent.futures import ThreadPoolExecutor

    from campaign_letters import load_campaign, make_sender, produce_letters

    campaign = load_campaign("naju-haderslev")

    def letters(i: int) -> bytes:
        sender = make_sender(name=f"Volunteer {i}", street=[f"Gade {i}"], postal_code="8000",
                             city="Aarhus", country="DK")
        return produce_letters(campaign, sender, date=dt.date(2026, 11, 23),
                               language=["da", "en", "da+en"][i % 3],
                               note=f"Note {i}." if i % 2 else None).pdf

    alone = [letters(i) for i in range(12)]
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(letters, [*range(12), *range(12)]))
    assert together == alone + alone


def test_copy_line_stays_with_the_signature(tmp_path):
    """A note one line too long once pushed "Kopi til: ..." alone onto a second page."""
    import datetime as dt

    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender
    from campaign_letters.layout.render import render_document

    sender = make_sender(name="山田 はなこ Ødegård", street=["Nørregade 7"],
                         postal_code="8000", city="Aarhus", country="DK")
    letters = compose_letters(load_campaign("naju-haderslev"), sender, LetterOptions(
        "da", dt.date(2026, 11, 23), to="primary", note="Tak for jeres tid – 감사합니다!"))
    path = tmp_path / "letter.pdf"
    rendered = render_document(letters, "t")
    path.write_bytes(rendered.pdf)
    assert rendered.pages == (2,)
    pages = pdftotext(path).split("\f")
    last = next(page for page in pages if "Kopi til" in page)
    assert "Venlig hilsen" in last and "山田 はなこ Ødegård" in last
