"""Bundled fonts: the fallback chain across scripts (which face draws which run), what no
face can print, markup; and names in every script the faces cover, through the CLI."""

from __future__ import annotations

import pytest

from campaign_letters.errors import MissingGlyphError
from campaign_letters.text import faces
from campaign_letters.text.strings import to_markup
from tests.helpers import with_sender
from tests.helpers.pdf_text import pdftotext


def test_runs_split_by_script():
    assert list(faces.runs("Zoë 강인규 Дмитрий")) == [
        ("NotoSans-Regular", "Zoë "), ("CampaignGothic-Regular", "강인규 "),
        ("NotoSans-Regular", "Дмитрий")]


def test_missing_glyph_names_character():
    with pytest.raises(MissingGlyphError, match=r"U\+1F415 \(DOG\) cannot be printed"):
        faces.check_printable("Rex 🐕", "name")


def test_markup_is_escaped():
    assert to_markup('<img src="x"/> & <b>') == \
        '<font face="NotoSans-Regular">&lt;img src="x"/&gt; &amp; &lt;b&gt;</font>'


def test_han_and_kana_use_one_cjk_face():
    assert list(faces.runs("山田 はなこ 김대중")) == [
        ("DroidSansFallbackFull", "山田 はなこ "), ("CampaignGothic-Regular", "김대중")]


def test_each_script_goes_to_its_own_face_and_spaces_stay_with_their_words():
    assert list(faces.runs("Fatima الزهراء Khan")) == [
        ("NotoSans-Regular", "Fatima "), ("NotoSansArabic-Regular", "الزهراء "),
        ("NotoSans-Regular", "Khan")]
    assert [font for font, _ in faces.runs("דוד अनु ნინო")] == [
        "NotoSansHebrew-Regular", "NotoSansDevanagari-Regular", "NotoSansGeorgian-Regular"]


def test_a_combining_mark_goes_to_a_face_that_has_it():
    """Found by Hypothesis: a mark the neighbouring face lacks must not print as nothing."""
    font, part = faces.runs("0\u3099")[-1]
    assert part.endswith("\u3099") and font != "NotoSans-Regular"
    assert list(faces.runs("e\u0301")) == [("NotoSans-Regular", "e\u0301")]


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
