"""The gettext catalogs (src/campaign_letters/locale/), read as babel reads them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from campaign_letters.wording import LOCALE_DIR

PACKAGE = Path(LOCALE_DIR).parent  # where pybabel extracts the messages from


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)
