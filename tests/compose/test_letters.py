"""The letters' words as composed: the volunteer's note before the closing, a second
language on the pages after the first, and language pairs that cannot be."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from campaign_letters import InputError, load_campaign
from campaign_letters.compose.letters import parse_languages
from tests.helpers import DK_ARGS
from tests.helpers.pdf_text import pdftotext


def test_personal_note_before_the_closing(run_cli, tmp_path):
    out = tmp_path / "note.pdf"
    note = "I adopted a dog from Korea. <i>Please</i> help & act.\n\nSecond paragraph."
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--language", "en", "--note",
                     note, "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdftotext(out)
    assert "I adopted a dog from Korea. <i>Please</i> help & act." in text
    assert text.index("Second paragraph.") < text.index("Sincerely,")
    assert text.index("await your reply") < text.index("I adopted a dog")


def test_two_languages(run_cli, tmp_path):
    out = tmp_path / "pair.pdf"
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--language", "da+en", "--to",
                     "primary", "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(out).pages]
    danish_end = next(i for i, text in enumerate(pages) if "Venlig hilsen" in text)
    english = next(i for i, text in enumerate(pages) if "Translation (English)" in text)
    assert english == danish_end + 1, "the translation starts on the next page"
    assert "Kære borgmester Mads Skau" in "".join(pages[:english])
    assert "Dear Mayor Mads Skau" in pages[english]
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--language", "en+da", "--to",
                     "primary", "-o", str(out))
    assert "Oversættelse (dansk)" in pdftotext(out)


@pytest.mark.parametrize(("language", "message"), [
    ("da+da", "'da+da' names the same language twice"),
    ("da+fr", "'fr' is not a language of campaign naju-haderslev; choose one of en, da"),
    ("da+en+fr", "give one language, or two joined by '+'"),
])
def test_bad_language_pairs(run_cli, tmp_path, language, message):
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--language", language, "-o",
                     str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert message in result.output


def test_a_language_the_campaign_lacks_is_refused_with_the_ones_it_has():
    with pytest.raises(InputError, match=r"it has only en$"):
        parse_languages(load_campaign("paju-coquitlam"), "en+ko")
    with pytest.raises(InputError, match=r"choose one of en, da \(or a pair such as da\+en\)"):
        parse_languages(load_campaign("naju-haderslev"), "xx")
