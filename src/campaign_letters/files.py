"""Output files: written so that no reader ever sees half of one, named from volunteers'
names by one rule for downloads, drafts and packs, and CSV cells that a spreadsheet
program shows as text and never runs.

A name in any script becomes lower-case ASCII words joined by hyphens, transliterated by
anyascii (a maintained table of every Unicode character's ASCII form, ISC licence):
"Søren Ødegård" gives soren-odegard, "김민지" gimminji, "山田" shantian. Browsers also get
the name as typed (``unicode_slug``) through RFC 5987's ``filename*``.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from pathlib import Path

from anyascii import anyascii

from campaign_letters.errors import OutputError


def write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename.

    An interruption (Ctrl-C, kill -9, a full disk) leaves the old file or none, never a
    half-written one; a killed run's ``.<name>.<pid>.tmp`` files are swept by ``pack``.
    Raises OutputError naming the path when the file cannot be written.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:  # open() honours the umask, unlike mkstemp
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(tmp) else ""
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}{where}; "
                            "choose another output path") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # e.g. its folder is a file: then it never existed
        path.unlink(missing_ok=True)



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


# -- CSV cells a spreadsheet program never runs ---------------------------------------------

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP, "CSV Injection"): "=HYPERLINK(...)" typed as a name would run when an organizer
# opens the manifest. The apostrophe is the mark itself, so a cell that starts with one is
# marked too, and reading gives back exactly what was written.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_cell(value: object) -> object:
    """A value as a CSV cell a spreadsheet shows as text: a text starting like a formula
    gets an apostrophe in front; numbers stay numbers.

    >>> spreadsheet_cell("=1+2 Anna"), spreadsheet_cell("Anna")
    ("'=1+2 Anna", 'Anna')
    >>> spreadsheet_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_cell(cell: str) -> str:
    """What ``spreadsheet_cell`` was given, from the cell it wrote.

    >>> from_spreadsheet_cell(spreadsheet_cell("'=1+2 Anna"))
    "'=1+2 Anna"
    """
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
