"""Right-to-left and complex scripts: printed shaped, and given back by text extraction.

Each script's sample goes through the CLI as a volunteer's name and street; the PDF's text
is read by poppler (pdftotext: exactly what was typed, through /ActualText), mupdf 1.21
and pdf.js 4 (which ignore /ActualText: every letter, through ToUnicode). Its image is
compared with HarfBuzz's own rendering (hb-view) of the same string in the same face.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter
from reportlab.lib.pagesizes import A4

from campaign_letters.layout.pages import draw_line
from campaign_letters.pdf import DocumentCanvas, Metadata, canvas_pdf, tagged
from campaign_letters.resources import fonts_dir
from campaign_letters.text import faces, shaping
from tests.helpers import TESTS, TODAY, campaign_text, python, with_sender
from tests.helpers.pdf_text import letters, pdftotext, run, tool, without_bidi_marks

# (script, name, street): names and streets as volunteers write them.
SAMPLES = [
    ("Arabic", "فاطمة الزهراء", "شارع الحرية 12"),
    ("Persian", "محمد رضا پهلوی", "خیابان گلستان ۸"),
    ("Urdu", "عمران خان ٹیپو", "گلی نمبر 5"),
    ("Hebrew", "דוד לוי", "רחוב הרצל 12"),
    ("Devanagari", "प्रिया शर्मा", "गांधी मार्ग 7"),
    ("Bengali", "প্রিয়াঙ্কা চৌধুরী", "রবীন্দ্র সরণি 5"),
    ("Tamil", "தமிழ்செல்வி", "காந்தி சாலை 3"),
    ("Thai", "สมศักดิ์ ใจดี", "ถนนสุขุมวิท 21"),
    ("Khmer", "សុខា ស្រីមុំ", "ផ្លូវ ២៧១"),
    ("Armenian", "Արմեն Սարգսյան", "Աբովյան փողոց 4"),
    ("Georgian", "ნინო ბერიძე", "რუსთაველის გამზირი 8"),
    ("Ethiopic", "አበበ ቢቂላ", "ቦሌ መንገድ 9"),
    # Mixed on one line: the bidirectional algorithm at work.
    ("Arabic+Latin", "Fatima الزهراء Khan", "Rue de la Paix 12, דירה 3"),
]
IDS = [script for script, _, _ in SAMPLES]

def typed(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def poppler_lines(pdf: Path) -> list[str]:
    return [typed(without_bidi_marks(line)) for line in pdftotext(pdf).splitlines()]


def mupdf_text(pdf: Path) -> str:
    version = run(tool("mutool"), "-v").stderr
    assert "1.21" in version or "version 1." in version, version
    out = run(tool("mutool"), "draw", "-q", "-F", "txt", "-o", "-", pdf)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pdfjs_text(pdf: Path) -> str:
    script = TESTS / "pdfjs" / "extract.mjs"
    if not (TESTS / "pdfjs" / "node_modules" / "pdfjs-dist").exists():
        message = "pdf.js is not installed (npm ci --prefix tests/pdfjs, see .ci/run)"
        if os.environ.get("CI"):  # a run that skips proves nothing
            pytest.fail(message)
        pytest.skip(message)
    out = run(tool("node"), script, pdf)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def letters_of(tmp_path_factory):
    """Each sample's PDF, made once through the CLI, for the tests below."""
    from click.testing import CliRunner

    from campaign_letters.cli import main

    made: dict[str, Path] = {}

    def make(script: str) -> Path:
        if script not in made:
            _, name, street = next(sample for sample in SAMPLES if sample[0] == script)
            out = tmp_path_factory.mktemp("scripts") / f"{script}.pdf"
            result = CliRunner().invoke(main, [
                "letter", "naju-haderslev", *with_sender(name=name, street=street),
                "--note", f"{name}: {street}", "--to", "primary", "-o", str(out)],
                catch_exceptions=False)
            assert result.exit_code == 0, result.output
            made[script] = out
        return made[script]
    return make


@pytest.mark.parametrize(("script", "name", "street"), SAMPLES, ids=IDS)
def test_poppler_gives_back_exactly_what_was_typed(letters_of, script, name, street):
    lines = poppler_lines(letters_of(script))
    # The sender block: the name and the street each a line of their own.
    assert typed(name) in lines, lines[:6]
    assert typed(street) in lines, lines[:6]
    # The return line above the window, and the signature.
    assert typed(f"{name} · {street}") in "\n".join(lines)
    assert lines.count(typed(name)) >= 2  # sender block and signature


@pytest.mark.parametrize(("script", "name", "street"), SAMPLES, ids=IDS)
def test_mupdf_and_pdfjs_give_back_every_letter(letters_of, script, name, street):
    pdf = letters_of(script)
    wanted = letters(name + street)
    for reader, text in (("mupdf", mupdf_text(pdf)), ("pdf.js", pdfjs_text(pdf))):
        found = letters(text)
        missing = wanted - found
        assert not missing, f"{reader} lost {sorted(missing.elements())}"
        assert "\ufffd" not in text, f"{reader} found a glyph with no text"


def test_every_sample_uses_its_own_embedded_face(letters_of):
    for script, name, _ in SAMPLES:
        used = {face.name for char in name if (face := faces.face_for(char)) is not None}
        out = run(tool("pdffonts"), letters_of(script))
        for face in used:
            assert f"+{face}" in out.stdout, (script, out.stdout)
        assert " no " not in out.stdout.replace("emb sub uni", ""), out.stdout


# -- the image: HarfBuzz's own rendering is the reference -----------------------------------

SIZE = 40  # points, drawn at 72 dpi: one pixel per point


def _ink(image: Image.Image) -> Image.Image:
    """The image cropped to its ink, as black on white, 1 bit per pixel."""
    gray = image.convert("L")
    mask = gray.point(lambda value: 255 if value < 128 else 0)
    box = mask.getbbox()
    assert box, "nothing drawn"
    return mask.crop(box)


def ours(text: str, tmp_path: Path) -> Image.Image:
    """``text`` drawn by the letters' own code (layout.draw_line) and rendered by
    poppler."""
    faces.register_fonts()

    def draw(canvas: DocumentCanvas) -> None:
        with tagged(canvas, "P"):
            draw_line(canvas, SIZE, A4[1] - 2 * SIZE, text, SIZE)
        canvas.showPage()

    pdf = tmp_path / "ours.pdf"
    pdf.write_bytes(canvas_pdf(draw, A4, Metadata("ours", "campaign-letters tests", lang="und"),
                               faces.LATIN.name))
    out = run(tool("pdftoppm"), "-r", "72", "-png", "-singlefile", pdf, tmp_path / "ours")
    assert out.returncode == 0, out.stderr
    return _ink(Image.open(tmp_path / "ours.png"))


def reference(text: str, face: str, tmp_path: Path, *options: str) -> Image.Image:
    """``text`` rendered by HarfBuzz's hb-view in the same face file."""
    png = tmp_path / "hb.png"
    out = run(tool("hb-view"), f"--font-size={SIZE}", "--margin=10", "--output-format=png",
              *options, "-o", png, fonts_dir() / faces.face_named(face).file, text)
    assert out.returncode == 0, out.stderr
    return _ink(Image.open(png))


def difference(a: Image.Image, b: Image.Image) -> float:
    """The share of inked pixels of either image with no ink of the other within one
    pixel (1/40 em), the images aligned at their ink's top left; 1.0 when their sizes
    differ by more than two pixels."""
    if abs(a.width - b.width) > 2 or abs(a.height - b.height) > 2:
        return 1.0
    size = (max(a.width, b.width), max(a.height, b.height))
    a2, b2 = Image.new("L", size), Image.new("L", size)
    a2.paste(a, (0, 0))
    b2.paste(b, (0, 0))
    near_a, near_b = a2.filter(ImageFilter.MaxFilter(3)), b2.filter(ImageFilter.MaxFilter(3))
    stray = ImageChops.subtract(a2, near_b).histogram()[255] + \
        ImageChops.subtract(b2, near_a).histogram()[255]
    inked = ImageChops.lighter(a2, b2).histogram()[255]
    return stray / inked


# One word or name per face (hb-view draws one face).
IMAGE_SAMPLES = [name for _, name, _ in SAMPLES[:12]]


@pytest.mark.parametrize("text", IMAGE_SAMPLES, ids=IDS[:12])
def test_the_letters_draw_what_harfbuzz_draws(text, tmp_path):
    (face,) = {faces.face_for(char).name for char in text if not char.isspace()}
    drawn, wanted = ours(text, tmp_path), reference(text, face, tmp_path)
    # Antialiasing differs between cairo and poppler at the glyphs' edges only.
    assert difference(drawn, wanted) < 0.05, (drawn.size, wanted.size)
    # And the comparison tells glyphs in the wrong order apart.
    assert difference(drawn, reference(text[::-1], face, tmp_path)) > 0.3


def test_arabic_is_joined_and_right_to_left(tmp_path):
    """The same letters unjoined and left to right (what ReportLab alone draws) are far
    from the image the letters print: the comparison above can tell them apart."""
    text = "فاطمة الزهراء"
    drawn = ours(text, tmp_path)
    joined = difference(drawn, reference(text, "NotoSansArabic-Regular", tmp_path))
    unjoined = difference(drawn, reference(
        text, "NotoSansArabic-Regular", tmp_path, "--direction=ltr",
        "--features=-init,-medi,-fina,-rlig,-calt"))
    assert joined < 0.05 < 0.3 < unjoined, (joined, unjoined)


@pytest.mark.slow  # kept out of the quick run (about a second)
def test_a_latin_letter_never_loads_a_shaped_face(tmp_path):
    """In a fresh process (this interpreter: a venv need not be active)."""
    code = ("from campaign_letters.text import faces, shaping\n"
            "from tests.helpers import with_sender\n"
            "from click.testing import CliRunner\n"
            "from campaign_letters.cli import main\n"
            f"r = CliRunner().invoke(main, ['letter', 'naju-haderslev', *with_sender(), "
            f"'-o', {str(tmp_path / 'l.pdf')!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(','.join(faces.registered_faces()), shaping.shape_line.cache_info().currsize)")
    result = python(code)
    assert result.returncode == 0, result.stderr
    out = result.stdout.split()
    assert not any(face.name in out[0] for face in faces.SHAPED), out
    assert out[1] == "0"


def test_a_character_no_face_has_is_still_refused_by_name(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *with_sender(name="ܐܠܝܐ Khan"),
                     "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "U+0710 (SYRIAC LETTER ALAPH) cannot be printed" in result.output


def test_a_campaign_may_write_its_own_texts_in_these_scripts(tmp_path):
    """Subject, a paragraph and a link's label of the campaign itself: shaped, wrapped
    over lines, and given back by poppler."""
    import yaml

    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender
    from campaign_letters.layout.render import render_letters

    data = yaml.safe_load(campaign_text())
    english = data["messages"]["en"]
    paragraph = " ".join(["نطلب منكم مشاهدة مقاطع الفيديو عن صناعة لحوم الكلاب."] * 4)
    english["subject"] = "{mayor-subject}: שלום, נא לקרוא את המכתב הזה"
    english["body"][0] = paragraph
    english["body"][1]["label"] = "قسوة صادمة، الجزء 1"
    english.pop("corrections")  # they record changes to the English text replaced here
    path = tmp_path / "rtl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    campaign = load_campaign(path, today=TODAY)
    sender = make_sender(name="Chris Lee", street=["1 rue de l’Exemple"], postal_code="87000",
                         city="Limoges", country="FR")
    composed = compose_letters(campaign, sender,
                               LetterOptions(language="en", to="primary", date=TODAY))
    pdf = tmp_path / "rtl.pdf"
    pdf.write_bytes(render_letters(composed, "title"))
    text = " ".join(" ".join(poppler_lines(pdf)).split())
    assert "שלום, נא לקרוא את המכתב הזה" in text
    assert " ".join(paragraph.split()[:6]) in text  # a wrapped paragraph, line by line
    assert "قسوة صادمة، الجزء 1" in text
    assert letters(paragraph) - letters(mupdf_text(pdf)) == Counter()


@pytest.mark.parametrize("script", ["Arabic", "Persian", "Urdu", "Hebrew"])
def test_a_right_to_left_name_comes_back_exactly_from_pdfium_and_pdfjs_too(letters_of, script):
    """A line of right-to-left letters only carries no ActualText (pdfium would lay it
    out anew and swap the words): pdfium and pdf.js order its glyphs right by
    themselves."""
    import pypdfium2

    _, name, _ = next(sample for sample in SAMPLES if sample[0] == script)
    pdf = letters_of(script)
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pdfium = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert typed(name) in [typed(line) for line in pdfium.splitlines()]
    assert typed(name) in [typed(line) for line in pdfjs_text(pdf).splitlines()]


@pytest.mark.parametrize("name", [
    "علی‌رضا محمدی",  # ZWNJ, as Persian writes compound names
    "र्‍य", "র‍্যাব",  # ZWJ in Devanagari and Bengali
    "عل\u00adي", "\ufeffدود", "\u202bדוד\u202c", "\u202eDana\u202c", "\u2067דוד\u2069 Cohen",
])
def test_invisible_characters_print_and_come_back(run_cli, tmp_path, name):
    """Found in review: python-bidi sets these aside (rule X9) or does not know them
    (isolates), which once cut its levels short and crashed the letter."""
    out = tmp_path / "x.pdf"
    result = run_cli("letter", "naju-haderslev", *with_sender(name=name), "--to", "primary",
                     "-o", str(out))
    assert result.exit_code == 0, result.output
    wanted = typed(without_bidi_marks(name))
    assert wanted in poppler_lines(out)


def test_the_return_line_keeps_its_parts_in_order_each_in_its_direction():
    """Found in review: one bidi line put "Aarhus 8000" first and the name last."""
    line = shaping.shape_line("علی‌رضا محمدی · רחוב הרצל 12 · 8000 Aarhus", parts=" · ")
    texts = [run.text for run in line.runs]
    assert texts[-1].endswith("8000 Aarhus")  # the town, still at the right end
    assert texts.index("12") < texts.index("רחוב הרצל ")  # the street number left of it
    assert faces.face_named(line.runs[0].face).name == "NotoSansArabic-Regular"
