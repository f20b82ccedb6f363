"""One PDF read by two independent readers, poppler (pdftotext, pdffonts) and pdfium
(pypdfium2), and by qpdf's structural check: what each finds must agree.

Used by tests/project/test_every_pdf.py on every PDF the other tests make.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata

import pypdfium2
import pypdfium2.raw as pdfium_c

from campaign_letters.compose.paper import GEOMETRIES
from campaign_letters.text.shaping import needs_shaping
from tests.helpers.pdf_text import letters as _letters

PAPER_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>", re.S)


def _run(*args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=data, capture_output=True, check=False, timeout=60)


def _words(text: str) -> list[str]:
    """Words in any order, compatibility-normalised, hyphens dropped: a line-end hyphen
    ends a word in poppler's boxes and is U+FFFE, joining the lines, in pdfium's text.
    Invisible format characters (ZWJ, direction marks) go: pdfium drops them."""
    text = unicodedata.normalize("NFKC", text.replace("\ufffe", " ").replace("-", ""))
    return sorted("".join(char for char in text if unicodedata.category(char) != "Cf")
                  .split())


def _shaped(word: str) -> bool:
    return needs_shaping(word) or any(char in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                      for char in word)


def problems(pdf: bytes) -> list[str]:
    """Every disagreement or defect found; empty when the readers agree."""
    found: list[str] = []
    found += _qpdf(pdf)
    poppler_pages = _poppler_pages(pdf)
    document = pypdfium2.PdfDocument(pdf)
    try:
        if len(document) != len(poppler_pages):
            return [*found, f"pages: poppler {len(poppler_pages)}, pdfium {len(document)}"]
        for number, (page, (size, words)) in enumerate(zip(document, poppler_pages,
                                                           strict=True), start=1):
            found += [f"page {number}: {p}" for p in _compare_page(page, size, words)]
        found += _pdfium_fonts(document)
    finally:
        document.close()
    found += _poppler_fonts(pdf)
    found += _tags(pdf)
    return found


def _tags(pdf: bytes) -> list[str]:
    """A PDF the project made (its /Creator says so) is tagged: marked, a structure tree
    whose text (poppler's) is all on the pages (pdftotext's; pages also hold artifacts),
    a language, its title shown, PDF/UA-1 declared."""
    import io

    from pypdf import PdfReader

    from tests.helpers.structure import struct_elements_text, structure_tree

    creator = str((PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Creator", ""))
    if not creator.startswith("campaign-letters"):
        return []  # the tests' own examples, drawn with ReportLab alone
    tree = structure_tree(pdf)
    found = [f"tags: {what}" for what, ok in (
        ("not marked (/MarkInfo)", tree.marked), ("no language", tree.lang),
        ("title not shown (/DisplayDocTitle)", tree.display_doc_title),
        ("no PDF/UA-1 identification", tree.pdfua_part == 1),
        ("no structure", tree.root.kids)) if not ok]
    read = "".join(text for _, text in struct_elements_text(pdf)[:1])  # the Document's
    on_pages = _run("pdftotext", "-enc", "UTF-8", "-", "-", data=pdf).stdout.decode()
    extra = _letters(read) - _letters(on_pages)
    if extra:
        found.append(f"tags: text in the structure and not on the pages: {sorted(extra)[:8]}")
    return found


def check(item: tuple[str, bytes]) -> tuple[str, list[str]]:
    """(where, pdf) -> (where, problems(pdf)): for a process pool's map."""
    where, pdf = item
    return where, problems(pdf)


def _qpdf(pdf: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(["qpdf", "--check", handle.name], capture_output=True,
                                text=True, check=False, timeout=60)
    if result.returncode != 0:  # 2 errors, 3 warnings: both count
        return [f"qpdf --check exit {result.returncode}: "
                f"{(result.stderr or result.stdout).strip()[:300]}"]
    return []


def _poppler_pages(pdf: bytes) -> list[tuple[tuple[float, float], list[tuple]]]:
    result = _run("pdftotext", "-bbox", "-enc", "UTF-8", "-", "-", data=pdf)
    assert result.returncode == 0, result.stderr.decode()
    pages = []
    for width, height, body in _PAGE.findall(result.stdout.decode()):
        words = [(float(x0), float(y0), float(x1), float(y1), html.unescape(text))
                 for x0, y0, x1, y1, text in _WORD.findall(body)]
        pages.append(((float(width), float(height)), words))
    return pages


def _compare_page(page, poppler_size: tuple[float, float], poppler_words: list[tuple]
                  ) -> list[str]:
    found = []
    width, height = page.get_size()
    if abs(width - poppler_size[0]) > 0.5 or abs(height - poppler_size[1]) > 0.5:
        found.append(f"size: poppler {poppler_size}, pdfium {(width, height)}")
    if not any(abs(width - w) < 1 and abs(height - h) < 1 for w, h in PAPER_SIZES.values()):
        found.append(f"size {width:.1f} x {height:.1f} pt is neither A4 nor Letter")
    textpage = page.get_textpage()
    try:
        pdfium_words = _words(textpage.get_text_range())
        poppler_text = _words(" ".join(word[4] for word in poppler_words))
        # Shaped words (right to left, complex scripts): poppler's word boxes hold the
        # ActualText as laid out for its own reordering (shaping.extraction_text), and
        # pdfium lays an ActualText out by its own rules, which can move even the Latin
        # words and digits of such a line: on such a page, the letters are compared.
        if any(_shaped(word) for word in (*pdfium_words, *poppler_text)):
            by_pdfium, by_poppler = _letters(" ".join(pdfium_words)), \
                _letters(" ".join(poppler_text))
            if by_pdfium != by_poppler:
                only_poppler = by_poppler - by_pdfium
                only_pdfium = by_pdfium - by_poppler
                found.append(f"letters differ: only poppler {sorted(only_poppler)[:8]}, "
                             f"only pdfium {sorted(only_pdfium)[:8]}")
        elif pdfium_words != poppler_text:
            only_poppler = sorted(set(poppler_text) - set(pdfium_words))[:5]
            only_pdfium = sorted(set(pdfium_words) - set(poppler_text))[:5]
            found.append(f"text differs: only poppler {only_poppler}, only pdfium "
                         f"{only_pdfium}")
        found += _address_field(textpage, width, height, poppler_words)
    finally:
        textpage.close()
    return found


def _address_field(textpage, width: float, height: float, poppler_words: list[tuple]
                   ) -> list[str]:
    """Each word poppler finds in a window envelope's address field, pdfium finds at the
    same place (within 1.5 pt)."""
    found = []
    fields = [g.address_field for g in GEOMETRIES.values()
              if abs(g.width - width) < 1 and abs(g.height - height) < 1]
    for x0, y0, x1, y1, text in poppler_words:
        if _shaped(text) or not _words(text):  # an ActualText line (see _compare_page),
            continue  # or only invisible characters
        centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
        if not any(f.left <= centre_x <= f.right and f.top <= centre_y <= f.bottom
                   for f in fields):
            continue
        # pdfium measures from the page's foot, poppler from its top.
        there = textpage.get_text_bounded(left=x0 - 1.5, bottom=height - y1 - 1.5,
                                          right=x1 + 1.5, top=height - y0 + 1.5)
        if "".join(_words(text)) not in "".join(_words(there)):
            found.append(f"address field: poppler reads {text!r} at ({x0:.1f}, {y0:.1f}), "
                         f"pdfium reads {there!r} there")
    return found


def _pdfium_fonts(document) -> list[str]:
    found = set()
    for number, page in enumerate(document, start=1):
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=3):
            font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
            if not pdfium_c.FPDFFont_GetIsEmbedded(font):
                length = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = (pdfium_c.c_char * length)()
                pdfium_c.FPDFFont_GetBaseFontName(font, buffer, length)
                found.add(f"page {number}: pdfium: font {buffer.value.decode()} not embedded")
    return sorted(found)


def _poppler_fonts(pdf: bytes) -> list[str]:
    result = _run("pdffonts", "-", data=pdf)
    assert result.returncode == 0, result.stderr.decode()
    found = []
    for line in result.stdout.decode().splitlines()[2:]:
        columns = line.split()
        # name type [encoding...] emb sub uni object ID: 'emb' is 5th from the end.
        if len(columns) >= 7 and columns[-5] != "yes":
            found.append(f"poppler: font {columns[0]} not embedded")
    return found
