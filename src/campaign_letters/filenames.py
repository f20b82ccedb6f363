"""File names made from volunteers' names: one rule for downloads, drafts and packs.

A name in any script becomes lower-case ASCII words joined by hyphens, transliterated by
anyascii (a maintained table of every Unicode character's ASCII form, ISC licence):
"Søren Ødegård" gives soren-odegard, "김민지" gimminji, "山田" shantian. Browsers also get
the name as typed (``unicode_slug``) through RFC 5987's ``filename*``.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii


def ascii_slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens; empty when nothing is left.

    >>> ascii_slug("Søren Ødegård-Æbelø")
    'soren-odegard-aebelo'
    >>> ascii_slug("김민지")
    'gimminji'
    >>> ascii_slug("<b> & /")
    'b'
    """
    plain = anyascii(unicodedata.normalize("NFC", text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].strip("-")


def unicode_slug(text: str, limit: int = 40) -> str:
    """Lower-case words in any script joined by hyphens.

    >>> unicode_slug("김 민지 <b>")
    '김-민지-b'
    """
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    return "-".join(words)[:limit].strip("-")


def letters_filename(campaign_id: str, sender_name: str, extension: str = "pdf",
                     ascii_only: bool = True) -> str:
    """``letters-naju-haderslev-mette-hansen.pdf``.

    >>> letters_filename("naju-haderslev", "Mette Hansen")
    'letters-naju-haderslev-mette-hansen.pdf'
    >>> letters_filename("naju-haderslev", "김민지", "eml")
    'letters-naju-haderslev-gimminji.eml'
    >>> letters_filename("naju-haderslev", "김민지", "eml", ascii_only=False)
    'letters-naju-haderslev-김민지.eml'
    """
    slug = ascii_slug(sender_name) if ascii_only else unicode_slug(sender_name)
    return f"letters-{campaign_id}{'-' + slug if slug else ''}.{extension}"
