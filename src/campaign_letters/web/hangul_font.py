"""The Hangul web font: the bundled Hangul face, cut down to what the pages show.

Devices without a Korean font show Korean names and addresses as empty boxes. The page
therefore offers the face the letters use (Campaign Gothic, NanumGothic de-hinted; see
fonts/README.md) as a WOFF2 web font, declared first in the font stack but limited to
Hangul by ``unicode-range`` (style.css): a browser downloads it only for a page that
shows Hangul, and every other character keeps the system's fonts. It holds the Hangul
the pages can show (campaign files, the Korean catalogs, CLDR's Korean country and
language names), about 550 syllables (37 KB), not all 11,172, so the download stays
small. A volunteer who types Hangul has a Korean font already.

No boxes, ever: every page shows Hangul (the language switcher's 한국어, at least), and a
browser without a Korean font draws boxes for it until the web font is there. So each
page preloads the font and the stylesheet declares it with ``font-display: block``
(invisible for a moment, never a box); the server cuts it when it starts, not when the
first page asks for it. Its address carries a hash of its bytes
(``/fonts/hangul-<16 hex digits>.woff2``) and is cached for a year: a campaign edit that
brings new syllables gives a new address, never an old subset under the same name. The
cut is deterministic (no timestamp), so every worker process gives the same address.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale

from campaign_letters.model import Campaign
from campaign_letters.resources import fonts_dir
from campaign_letters.wording import LOCALE_DIR

HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
# Punctuation the Korean pages use next to Hangul, so it matches the Hangul's design.
EXTRA = "·()[],.:;!?%/-–—“”‘’「」"
_LOCK = threading.Lock()


def page_hangul(campaigns: dict[str, Campaign] | Iterable[Campaign]) -> frozenset[str]:
    """Every Hangul character the pages can show for these campaigns."""
    texts: list[str] = []
    values = campaigns.values() if isinstance(campaigns, dict) else campaigns
    for campaign in values:
        if campaign.path and Path(campaign.path).is_file():
            texts.append(Path(campaign.path).read_text(encoding="utf-8"))
    for catalog in LOCALE_DIR.glob("ko/LC_MESSAGES/*.po"):
        texts.append(catalog.read_text(encoding="utf-8"))
    korean = Locale.parse("ko")
    texts += korean.territories.values()  # the country list and country names
    texts += korean.languages.values()  # language names in the form
    texts.append("한국어")  # the language switcher
    return frozenset(HANGUL.findall("".join(texts)))


@dataclass(frozen=True)
class WebFont:
    """The cut font and the name it is served under."""

    data: bytes
    digest: str  # the first 16 hex digits of its SHA-256

    @property
    def filename(self) -> str:
        return f"hangul-{self.digest}.woff2"


# Where style.css's @font-face rule points; the stylesheet served names the cut instead.
PLACEHOLDER = b'url("fonts/hangul.woff2")'


def content_digest(data: bytes) -> str:
    """The hash a served file's address carries: 16 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:16]


@lru_cache(maxsize=4)
def web_font(characters: frozenset[str]) -> WebFont:
    """The Hangul face cut to ``characters``, with its content hash."""
    data = hangul_woff2(characters)
    return WebFont(data, content_digest(data))


def stylesheet_for(css: bytes, font: WebFont) -> bytes:
    """style.css with its @font-face pointing at ``font``'s own address (relative to the
    stylesheet's, so it holds under any root path)."""
    if PLACEHOLDER not in css:
        raise ValueError(f"style.css has no @font-face source {PLACEHOLDER.decode()}")
    return css.replace(PLACEHOLDER, f'url("fonts/{font.filename}")'.encode())


@lru_cache(maxsize=4)
def hangul_woff2(characters: frozenset[str]) -> bytes:
    """The Hangul face subset to ``characters`` (and EXTRA), as WOFF2: the same bytes
    for the same characters, in any process, on any day."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with _LOCK, TTFont(fonts_dir() / "CampaignGothic-Regular.ttf", lazy=True,
                       recalcTimestamp=False) as font:  # one build at a time is plenty
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]  # keeps the licence and the font's name
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(characters)) + EXTRA)
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff2"
        font.save(out)
        return out.getvalue()
