"""What the property tests (Hypothesis) type: names, streets, notes, places, languages and
campaign texts; how their examples are counted; and the text comparisons they make."""

from __future__ import annotations

import os
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from campaign_letters.volunteer.sender import MAX_LENGTH
from tests.helpers.pdf_text import BIDI_FORMATTING


def load_profile() -> None:
    """Examples per property test: 300 locally, each run new ones; 1,500 in CI, always the
    same (derandomize), so a red CI run means a change broke something;
    HYPOTHESIS_PROFILE=slow hunts longer (20,000 each, about 10 minutes a test)."""
    settings.register_profile("default", max_examples=300, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])
    settings.register_profile("ci", settings.get_profile("default"), max_examples=1500,
                              derandomize=True)
    settings.register_profile("slow", settings.get_profile("default"), max_examples=20000)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                          or ("ci" if os.environ.get("CI") else "default"))


# Mostly the scripts the fonts cover (Latin with diacritics, Greek, Cyrillic, Hangul, kana,
# Han) with markup characters and spaces, so most cases reach a PDF; then any character of
# any script, so the refusals are exercised too.
PRINTABLE = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"),
                          exclude_characters="\u2028\u2029").filter(
    lambda c: c.isascii() or "\u00c0" <= c <= "\u04ff" or "\uac00" <= c <= "\ud7a3"
    or "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
TEXT = st.text(alphabet=st.one_of(PRINTABLE, st.sampled_from("<>&'\"/ ")),
               min_size=1, max_size=MAX_LENGTH["name"] + 5) | st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"),
                           exclude_characters="\u2028\u2029"), max_size=30)
# The scripts HarfBuzz shapes (shaping.py), right to left and complex left to right, with
# Latin, digits and spaces between: the bidirectional algorithm and the shaper at work.
SHAPED_BLOCKS = ((0x0600, 0x06FF), (0x05D0, 0x05EA), (0x0900, 0x097F), (0x0980, 0x09FF),
                 (0x0B80, 0x0BFF), (0x0E00, 0x0E7F), (0x1780, 0x17FF), (0x0531, 0x058A),
                 (0x10A0, 0x10FF), (0x1200, 0x137F))
SHAPED_CHAR = st.one_of(*(st.characters(min_codepoint=low, max_codepoint=high,
                                        categories=("L", "M", "N", "P"))
                          for low, high in SHAPED_BLOCKS))
SHAPED_TEXT = st.text(alphabet=st.one_of(SHAPED_CHAR, SHAPED_CHAR, SHAPED_CHAR,
                                         st.sampled_from("Ab12 ,.()-"),
                                         # ZWNJ (Persian names), ZWJ, soft hyphen, marks,
                                         # embeddings and isolates: invisible, and typed.
                                         st.sampled_from("\u200c\u200d\u00ad\u200e\u200f"
                                                         "\u202a\u202b\u202c\u2066\u2067"
                                                         "\u2069\u2060\ufeff")),
                      min_size=1, max_size=40)
MARKUP = st.sampled_from(["<b>x</b>", "<img src='/etc/passwd'/>", "&amp;", "<br/>", "&lt;",
                          "<font face='Helvetica'>", "]]>", "%PDF", "\\(x\\)"])
EMAIL = st.one_of(st.emails(), TEXT)
NOTE = st.lists(st.one_of(TEXT, st.builds(lambda a, m, b: a + m + b, TEXT, MARKUP, TEXT)),
                min_size=1, max_size=4).map("\n\n".join)
# Mostly addresses that exist (so most cases reach a PDF), then anything at all.
PLACES = st.sampled_from([("DK", "8000", "Aarhus", None), ("CA", "V3B 7N2", "Coquitlam", "BC"),
                          ("IT", "20121", "Milano", "MI"), ("US", "10001", "New York", "NY"),
                          ("KR", "03154", "종로구", "서울특별시"), ("dk", "8000", "aarhus", None)])
ANY_PLACE = st.tuples(st.sampled_from(["DK", "CA", "XX", ""]), TEXT, TEXT,
                      st.one_of(st.none(), TEXT))
LANGUAGES = st.sampled_from(["da", "en", "da+en", "en+da", "EN"])
LONG_TEXT = st.lists(st.one_of(TEXT, MARKUP), min_size=1, max_size=12).map(" ".join)


def comparable(text: str) -> str:
    """Without white space and in compatibility form: extractors expand ligatures and
    full-width forms. Without hyphens: at a line's end, poppler takes one for a word
    broken in two (it joins the lines and drops it) and pdfium gives U+FFFE. Without
    invisible directional formatting (BIDI_FORMATTING)."""
    text = text.translate(BIDI_FORMATTING).replace("-", "").replace("\ufffe", "")
    return unicodedata.normalize("NFKC", "".join(text.split()))


def spaced(text: str) -> str:
    """Single-spaced, in compatibility form, without hyphens (poppler joins a line
    ending in one with the next)."""
    text = text.translate(BIDI_FORMATTING).replace("-", "")
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def words(text: str) -> list[str]:
    """The words of a page in any order: the readers order header, footer and columns
    differently. Hyphens go: poppler joins "hunde-" at a line end with the next word and
    drops the hyphen, pdfium keeps it (as U+FFFE)."""
    return sorted(text.replace("\ufffe", "").replace("-", "").split())
