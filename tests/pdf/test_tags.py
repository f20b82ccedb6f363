"""Every PDF the project makes is tagged (PDF/UA-1), and reads as a person would read the
letter: checked by readers, not by looking at our own objects. poppler's
``pdfinfo -struct-text`` gives the text of each structure element in reading order, and
the same text ``pdftotext`` finds on the page; pypdf reads the tree's roles, languages,
alternative texts and link annotations; veraPDF (tests/helpers/validator.py, installed
by .ci/install-validator) checks PDF/UA-1 and PDF/A-2b; Typst's tag tree for the same
letter is the anchor (tests/pdf/anchors/). What no validator checks (reading order, the
language of each element, what a QR code's alternative text says) has its own test here.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign_letters import bundled_ids, load_campaign, make_sender, produce_letters
from campaign_letters.cli.letters import DEMO_SENDERS
from campaign_letters.layout.labels import SHEETS, render_labels
from tests.helpers import TESTS, TODAY, campaign_labels, run_cli, sender
from tests.helpers.pdf_text import pdftotext
from tests.helpers.structure import (
    Node,
    Tree,
    effective_langs,
    outline,
    struct_entries,
    structure_tree,
    walk,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
ANCHOR = TESTS / "pdf" / "anchors" / "typst-naju-letter.json"


def demo_pack(campaign_id: str, **how: str):
    """What ``campaign-letters demo`` makes for ``campaign_id``, dated TODAY."""
    campaign = load_campaign(campaign_id, today=TODAY)
    fields = DEMO_SENDERS[campaign.partner_city.country]
    return produce_letters(campaign, make_sender(**fields), date=TODAY, **how)


def squash(text: str) -> str:
    """Text without whitespace, compatibility-normalised: what both readers agree on
    (pdftotext breaks lines where the page does; the structure where the text does)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def leaves(tree: Tree) -> list[Node]:
    return [node for node, _ in walk(tree.root) if node.mcids or node.has_objr]


def parts_with_leaves(pdf: bytes) -> list[list[tuple[str, str]]]:
    """Per letter (a Part), its elements with content, (role, text), as poppler reads."""
    parts: list[list[tuple[str, str]]] = []
    for entry in struct_entries(pdf):
        if entry.role == "Part":
            parts.append([])
        elif entry.leaf and parts:
            parts[-1].append((entry.role, entry.text))
    return parts


def position(items: list[tuple[str, str]], text: str, role: str | None = None,
             after: int = -1) -> int:
    """Index of the first element after ``after`` whose text starts with ``text``."""
    want = squash(text)
    for index, (item_role, item_text) in enumerate(items):
        if index > after and squash(item_text).startswith(want) and \
                (role is None or item_role == role):
            return index
    raise AssertionError(f"no {role or 'element'} reading {text!r} after #{after}:\n"
                         + "\n".join(f"  {r}: {t[:70]}" for r, t in items))


# -- the demo letters of every bundled campaign -------------------------------------------

@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_the_demo_letters_read_in_order(campaign_id):
    """Sender, return line, recipient, date, subject (a heading), salutation, message,
    closing, signature, copy line: in that order, each letter a Part of the document."""
    made = demo_pack(campaign_id)
    tree = structure_tree(made.pdf)
    assert tree.marked and tree.display_doc_title and tree.pdfua_part == 1
    assert tree.lang == made.language and tree.title and "letters from" in tree.title
    parts = parts_with_leaves(made.pdf)
    assert len(parts) == len(made.letters), outline(tree)
    for letter, items in zip(made.letters, parts, strict=True):
        at = position(items, letter.copy_of.split()[0]) if letter.copy_of else -1
        at = position(items, letter.sender.name, "P", at)
        at = position(items, letter.sender_lines[0], "P", at)
        at = position(items, letter.recipient_lines[0], "P", at)
        at = position(items, letter.place_date, "P", at)
        at = position(items, letter.text.subject, "H1", at)
        at = position(items, letter.text.salutation, "P", at)
        at = position(items, letter.text.closing, "P", at)
        at = position(items, letter.sender.name, "P", at)
        if letter.copy_line:
            position(items, letter.copy_line, "P", at)


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_the_structure_holds_the_text_pdftotext_finds(campaign_id):
    """Nothing on the page is missing from the structure, nothing is there twice, and
    each element's text is a run of the page's text (one-page letters: no page numbers,
    which are artifacts)."""
    made = demo_pack(campaign_id, to="primary")
    assert made.pages == (1,)
    page = squash(pdftotext(made.pdf))
    elements = [text for role, text in parts_with_leaves(made.pdf)[0]]
    assert Counter(squash("".join(elements))) == Counter(page)
    for text in elements:
        assert squash(text) in page, text


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_each_element_is_in_its_language(campaign_id):
    """The document and each letter in the letter's language; a Korean address in
    Korean; nothing else in another language."""
    made = demo_pack(campaign_id)
    tree = structure_tree(made.pdf)
    document = tree.root.kids[0]
    assert document.role == "Document" and document.lang == made.language
    for letter, part in zip(made.letters, document.kids, strict=True):
        assert part.role == "Part"
        assert (part.lang or made.language) == letter.language
        korean = {line for line in letter.recipient_lines if HANGUL.search(line)}
        for node, _ in walk(part):
            if node.lang and node is not part:  # a Korean address, or 사본 in a heading
                assert node.lang == "ko" and node.role in ("P", "Span"), outline(part)
        recipient = [node for node, _ in walk(part) if node.lang == "ko" and node.role == "P"]
        assert bool(recipient) == bool(korean), outline(part)
        copy_word = [node for node, _ in walk(part) if node.lang == "ko" and node.role == "Span"]
        assert bool(copy_word) == bool(letter.copy_of and HANGUL.search(letter.copy_of))


def test_every_leaf_has_a_language_a_reader_can_say():
    """Each element with content has a language, its own or inherited: the letter's,
    English for a copy in English, Korean for a Korean address."""
    made = demo_pack("naju-haderslev")
    langs = Counter(lang for _, lang in effective_langs(structure_tree(made.pdf)))
    assert None not in langs
    assert set(langs) == {made.language, "ko"} | {letter.language for letter in made.letters}


def test_links_are_link_elements_and_qr_codes_figures_saying_where_they_point():
    made = demo_pack("naju-haderslev", to="primary")
    tree = structure_tree(made.pdf)
    links = [node for node, _ in walk(tree.root) if node.role == "Link"]
    figures = [node for node, _ in walk(tree.root) if node.role == "Figure"]
    url = "https://koreandogs.org/friendship-city-naju-haderslev/"
    assert [link.uri for link in links] == [url] and links[0].has_objr
    assert links[0].contents.startswith("Friendship City Campaign")
    assert "koreandogs.org/friendship-city-naju-haderslev" in links[0].contents
    assert [figure.alt for figure in figures] == [
        "QR: koreandogs.org/friendship-city-naju-haderslev"]
    lists = [node for node, _ in walk(tree.root) if node.role == "L"]
    assert [[kid.role for kid in item.kids] for item in lists[0].kids] == [["LBody"]]
    assert [kid.role for kid in lists[0].kids[0].kids[0].kids] == ["Link", "Figure"]
    page = PdfReader(io.BytesIO(made.pdf)).pages[0]
    assert page["/Tabs"] == "/S" and "/StructParents" in page


def test_page_numbers_are_artifacts_and_a_paragraph_over_two_pages_is_one_element():
    """A Danish letter with its English translation: the translation a section in
    English; "Side 1 af 2" printed but not read; each paragraph one element."""
    made = produce_letters(load_campaign("naju-haderslev", today=TODAY),
                           make_sender(**sender("Mette Hansen")), date=TODAY,
                           language="da+en", to="primary")
    assert made.pages[0] >= 2
    page_text = pdftotext(made.pdf)
    assert "Side 1 af" in page_text
    tree = structure_tree(made.pdf)
    read = " ".join(text for _, text in parts_with_leaves(made.pdf)[0])
    assert "Side 1 af" not in read
    sections = [node for node, _ in walk(tree.root) if node.role == "Sect"]
    assert [section.lang for section in sections] == ["en"]
    headings = [node for node, _ in walk(tree.root) if node.role == "H1"]
    assert len(headings) == 2  # the letter's subject, and the translation's
    pages_of = [{page for page, _ in node.mcids} for node in leaves(tree)]
    assert all(len(pages) <= 2 for pages in pages_of)
    # Everything on the pages is in the structure but the page furniture.
    furniture = "".join(line for line in page_text.splitlines()
                        if ("af" in line and "Side" in line) or ("·" in line
                        and "Mette Hansen" in line))
    missing = Counter(squash(page_text)) - Counter(squash(read))
    assert not (missing - Counter(squash(furniture))), missing


@pytest.mark.parametrize(("name", "lang"), [("김민지", "ko"), ("فاطمة الزهراء", "und-Arab"),
                                            ("Фёдор Иванов", "und-Cyrl")])
def test_a_name_in_another_script_says_its_language_and_reads_as_typed(name, lang):
    made = produce_letters(load_campaign("naju-haderslev", today=TODAY),
                           make_sender(**sender(name)), date=TODAY, to="primary")
    tree = structure_tree(made.pdf)
    named = [node for node, _ in walk(tree.root) if node.lang == lang]
    assert len(named) >= 2, outline(tree)  # the sender block and the signature
    texts = [text for _, text in parts_with_leaves(made.pdf)[0]]
    if any(node.actual_text for node in named):
        # Shaped (Arabic): the glyphs are in visual order, so the element says the text
        # as typed in /ActualText (poppler prints the glyphs; readers say ActualText).
        said = [node.actual_text for node in named]
        assert said.count(name) >= 2 and all(name in text for text in said), said
    else:
        assert squash(name) in [squash(text) for text in texts], texts


def test_address_labels_are_tagged():
    pdf = render_labels(campaign_labels(), SHEETS["l7160"])
    tree = structure_tree(pdf)
    assert tree.marked and tree.lang == "en" and tree.pdfua_part == 1
    paragraphs = [node for node, _ in walk(tree.root) if node.role == "P"]
    assert len(paragraphs) == len(campaign_labels())
    assert any(node.lang == "ko" for node in paragraphs)


def test_the_plain_switch_gives_the_same_structure():
    """Plain (every shortcut off) is tagged too, element for element."""
    fast = demo_pack("naju-haderslev")
    plain = demo_pack("naju-haderslev", plain=True)
    assert outline(structure_tree(fast.pdf)) == outline(structure_tree(plain.pdf))
    assert parts_with_leaves(fast.pdf) == parts_with_leaves(plain.pdf)


# -- PDF/A-2b -------------------------------------------------------------------------------

def _xmp(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_pdf_a_2b_carries_its_identification_and_output_intent():
    made = demo_pack("naju-haderslev", pdf_standard="a-2b")
    xmp = _xmp(made.pdf)
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp  # still PDF/UA
    assert "pdfaExtension:schemas" in xmp  # PDF/A's rule for a schema it does not know
    reader = PdfReader(io.BytesIO(made.pdf))
    (intent,) = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"
    assert structure_tree(made.pdf).marked
    # The default is PDF/UA only: no PDF/A claim.
    assert "pdfaid" not in _xmp(demo_pack("naju-haderslev").pdf).replace(
        'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"', "")


def test_the_command_line_gives_pdf_a_on_request(tmp_path):
    from tests.helpers import DK_ARGS

    out = tmp_path / "a.pdf"
    made = run_cli("letter", "naju-haderslev", *DK_ARGS, "--pdf-standard", "a-2b",
                   "-o", str(out))
    assert made.exit_code == 0, made.output
    assert "<pdfaid:part>2</pdfaid:part>" in _xmp(out.read_bytes())
    wrong = run_cli("letter", "naju-haderslev", *DK_ARGS, "--pdf-standard", "a-1b",
                    "-o", str(out))
    assert wrong.exit_code == 2 and "a-2b" in wrong.output


# -- the anchor: Typst's tag tree for the bench letter -------------------------------------

def test_the_bench_letter_reads_as_typsts_tagged_version():
    """Typst 0.15 (``bench/typst_tags.py --semantic``: the bench template with a heading,
    a list, a link and a QR code marked up as Typst marks them) gives the same elements
    in the same order with the same roles and languages. Known differences: our letter
    is a Part of the document (Typst has none), the list item's dash is inside the Link
    (Typst: its own Lbl) and the Link is LBody's kid (Typst: inside a P), the return line
    is a P (Typst: a Span placed as a block)."""
    import sys

    sys.path.insert(0, str(TESTS.parent / "bench"))
    import _common

    anchor = json.loads(ANCHOR.read_text(encoding="utf-8"))["variants"]["semantic"]
    theirs = [(e["role"], e.get("lang"), e["text"]) for e in anchor["elements"]
              if "text" in e and e["role"] not in ("Lbl",)]
    # Typst's P around the link holds the link's text and the address: ours is the Link.
    theirs = [(role, lang, text) for role, lang, text in theirs
              if not (role == "P" and text.startswith("Friendship City Campaign"))]
    from campaign_letters.layout.render import render_letters

    ours_pdf = render_letters([_common.reference_letter()], "t")
    tree = structure_tree(ours_pdf)
    # Poppler's (role, text) of each leaf, beside pypdf's (role, language) of the same.
    read = [(entry.role, entry.text) for entry in struct_entries(ours_pdf) if entry.leaf]
    said = effective_langs(tree)
    assert [role for role, _ in read] == [role for role, _ in said]
    ours = [(role, lang, text) for (role, text), (_, lang) in zip(read, said, strict=True)]
    at = -1
    for role, lang, text in theirs:
        want = squash(text.lstrip("–"))
        role = "P" if role == "Span" else role
        found = next((i for i, (r, _, t) in enumerate(ours) if i > at and r == role
                      and squash(t.lstrip("–")).startswith(want)), None)
        assert found is not None, (role, text, [(r, t[:40]) for r, _, t in ours])
        assert ours[found][1] == lang, (role, text, ours[found])
        at = found
    assert anchor["catalog"]["lang"] == tree.lang
    assert anchor["catalog"]["display_doc_title"] == tree.display_doc_title
    assert anchor["catalog"]["pdfua_part"] == tree.pdfua_part


# -- an independent validator -----------------------------------------------------------

def _validator():
    from tests.helpers import validator

    if not validator.available():
        if os.environ.get("CI"):
            pytest.fail("veraPDF is not installed: .ci/install-validator installs it")
        pytest.skip("veraPDF not installed here: bash .ci/install-validator")
    return validator


@pytest.mark.slow
def test_vera_pdf_finds_every_pdf_kind_pdf_ua_1(tmp_path):
    """Each kind of PDF the project makes passes veraPDF's PDF/UA-1 profile: every
    campaign's demo letters, a translation, names in other scripts (Korean, Arabic),
    the plain switch, address labels, and the PDF/A-2b variant (both profiles)."""
    validator = _validator()
    files = {}
    for campaign_id in bundled_ids():
        files[campaign_id] = demo_pack(campaign_id).pdf
    campaign = load_campaign("naju-haderslev", today=TODAY)
    files["translation"] = produce_letters(campaign, make_sender(**sender("Mette Hansen")),
                                           date=TODAY, language="da+en").pdf
    for name in ("김민지", "فاطمة الزهراء"):
        files[f"name-{name}"] = produce_letters(campaign, make_sender(**sender(name)),
                                                date=TODAY).pdf
    files["plain"] = demo_pack("paju-coquitlam", plain=True).pdf
    files["labels"] = render_labels(campaign_labels(), SHEETS["l7160"])
    files["a-2b"] = demo_pack("icheon-limoges", pdf_standard="a-2b").pdf
    paths = {}
    for name, pdf in files.items():
        path = tmp_path / f"{len(paths)}.pdf"
        path.write_bytes(pdf)
        paths[name] = path
    failures = validator.validate_many(list(paths.values()), "ua-1")
    named = {name: failures[path] for name, path in paths.items() if failures[path]}
    assert not named, json.dumps(named, indent=1, ensure_ascii=False)
    assert validator.validate(paths["a-2b"], "a-2b") == []


@pytest.mark.slow
def test_vera_pdf_sees_what_is_wrong(tmp_path):
    """The validator can fail: a letter whose catalog says it is not marked fails
    PDF/UA-1, and the default (no output intent) fails PDF/A-2b."""
    import tempfile

    from pypdf import PdfWriter
    from pypdf.generic import BooleanObject, NameObject

    validator = _validator()
    pdf = demo_pack("naju-haderslev", to="primary").pdf
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer._root_object["/MarkInfo"][NameObject("/Marked")] = BooleanObject(False)
    # Not in tmp_path: the every-PDF check would take the broken file for one of ours.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "broken.pdf"
        writer.write(path)
        assert any("MarkInfo" in failure for failure in validator.validate(path, "ua-1"))
    plain = tmp_path / "ua-only.pdf"
    plain.write_bytes(pdf)
    assert validator.validate(plain, "a-2b")


def test_the_anchor_file_is_the_scripts_output():
    anchor = json.loads(ANCHOR.read_text(encoding="utf-8"))
    assert anchor["generated_by"].startswith("python bench/typst_tags.py")
    assert Path(TESTS.parent / "bench" / "typst_tags.py").is_file()


def test_the_page_gives_pdf_a_when_served_so():
    """``serve --pdf-standard a-2b``: what the workers get (Settings) makes every
    download PDF/A-2b too; the default page gives PDF/UA only."""
    from starlette.testclient import TestClient

    from campaign_letters.web.app import create_app
    from campaign_letters.web.settings import Settings
    from tests.helpers import METTE, form_fields

    url = "/campaigns/naju-haderslev/letters.pdf"
    for standard, claims in (("a-2b", True), ("ua-1", False)):
        app = create_app(today=lambda: TODAY, settings=Settings(pdf_standard=standard))
        with TestClient(app) as client:
            response = client.post(url, data=form_fields(METTE))
        assert response.status_code == 200, response.text[:300]
        assert ("<pdfaid:part>2</pdfaid:part>" in _xmp(response.content)) is claims
        assert structure_tree(response.content).marked


@pytest.mark.slow
def test_a_pack_in_pdf_a_remakes_its_letters(tmp_path):
    """Each volunteer's PDF is PDF/A-2b with ``--pdf-standard a-2b``; a pack made before
    without it makes its letters again (the standard is part of what a letter is)."""
    from tests.helpers.packs import read_manifest, run_pack, volunteers, write_roster

    roster = write_roster(tmp_path / "roster.csv", volunteers(2))
    out = tmp_path / "pack"
    first = run_pack(tmp_path, roster, out)
    assert first.returncode == 0, first.stderr
    again = run_pack(tmp_path, roster, out, "--pdf-standard", "a-2b")
    assert again.returncode == 0, again.stderr
    assert "unchanged" not in again.stdout
    for row in read_manifest(out):
        pdf = (out / row["file"]).read_bytes()
        assert "<pdfaid:part>2</pdfaid:part>" in _xmp(pdf), row["file"]
        assert structure_tree(pdf).marked


def test_the_parent_tree_has_a_key_per_page_and_link_and_no_more():
    """Each page's MCIDs under its /StructParents key, each link under its
    /StructParent, every key below /ParentTreeNextKey, none twice."""
    made = demo_pack("naju-haderslev")
    reader = PdfReader(io.BytesIO(made.pdf))
    tree_root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    nums = tree_root["/ParentTree"].get_object()["/Nums"]
    keys = [int(key) for key in nums[::2]]
    owners = [int(page["/StructParents"]) for page in reader.pages]
    owners += [int(annotation.get_object()["/StructParent"]) for page in reader.pages
               for annotation in page.get("/Annots", [])]
    assert sorted(keys) == sorted(owners) == list(range(len(keys)))
    assert int(tree_root["/ParentTreeNextKey"]) == len(keys)


def test_a_right_to_left_street_keeps_its_lines_as_typed():
    """A Hebrew street in the sender block: the glyphs are in visual order, the element
    says the lines as typed; the return line too."""
    made = produce_letters(load_campaign("naju-haderslev", today=TODAY),
                           make_sender(**sender("Dana Levi", street=["רחוב הרצל 12"])),
                           date=TODAY, to="primary")
    said = [node.actual_text for node, _ in walk(structure_tree(made.pdf).root)
            if node.actual_text]
    assert said[0].splitlines() == ["רחוב הרצל 12", "8000 Aarhus", "Danmark"]
    assert any("רחוב הרצל 12" in text and "Dana Levi" in text for text in said[1:])


def test_line_end_spaces_only_where_the_text_had_one():
    """A line broken inside a long e-mail address gets no space (a reader would split
    the address); lines broken at spaces and at line breaks do."""
    address = "frederikke.vestergaard-christiansen@naturfredningsforening.dk"
    made = produce_letters(load_campaign("naju-haderslev", today=TODAY),
                           make_sender(**sender("Frederikke Vestergaard", email=address)),
                           date=TODAY, to="primary")
    texts = [text for _, text in parts_with_leaves(made.pdf)[0]]
    assert any(text.endswith(address) and "Vestergade 12 8000 Aarhus Danmark" in text
               for text in texts), texts


def test_drawing_leaves_the_lines_as_broken_for_a_split():
    """The spaces are added to a copy for drawing: the paragraph's own lines, which a
    page break splits, stay as ReportLab broke them."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph

    from campaign_letters.layout.paragraphs import paragraph_styles
    from campaign_letters.pdf.reuse import SpacedParagraph
    from campaign_letters.text import faces

    faces.register_fonts()
    style = paragraph_styles()["body"]
    text = " ".join(["Mange steder i Naju bliver hundene slået ihjel"] * 12)
    ours, theirs = SpacedParagraph(text, style), Paragraph(text, style)
    ours.wrap(300, 1000)
    theirs.wrap(300, 1000)
    ours.drawOn(Canvas(io.BytesIO()), 0, 0)
    assert ours.blPara.lines == theirs.blPara.lines
    first, second = ours.split(300, 60)
    assert first.wrap(300, 1000)[1] <= 60
    second.wrap(300, 1000)
    assert [line for part in (first, second) for line in part.blPara.lines
            if any(word == "" for word in line[1])] == []


def test_a_link_to_an_address_beyond_ascii_is_written_as_a_uri():
    """PDF's URI is 7-bit: a campaign's link to www.sønderborg.dk is written in IDNA and
    percent-encoding (a backslash escape would send readers elsewhere)."""
    from campaign_letters.pdf.serialize import ascii_uri

    assert ascii_uri("https://www.sønderborg.dk/borger/høringer?q=æ") == \
        "https://www.xn--snderborg-l8a.dk/borger/h%C3%B8ringer?q=%C3%A6"
    assert ascii_uri("https://koreandogs.org/x/") == "https://koreandogs.org/x/"
