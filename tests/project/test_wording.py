"""The tool's own words (messages.pot): the catalogs in step with the code, complete, and
valid format strings. (The web page's catalog: tests/web/test_catalog.py.)"""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir

from campaign_letters.wording import LOCALE_DIR, PAGE_OF, translate
from tests.helpers.catalogs import PACKAGE, catalog


def extracted_ids() -> set[str]:
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")])}


def test_template_matches_the_code():
    template = {m.id for m in catalog(LOCALE_DIR / "messages.pot") if m.id}
    assert template == extracted_ids(), "run pybabel extract (see babel.cfg) and update"


@pytest.mark.parametrize("po", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")),
                         ids=lambda p: p.parts[-3])
def test_catalog_is_complete(po):
    template = {m.id for m in catalog(LOCALE_DIR / "messages.pot") if m.id}
    messages = {m.id: m for m in catalog(po) if m.id}
    assert set(messages) == template
    for message in messages.values():
        assert message.string and not message.fuzzy, message.id
        if "python-format" in message.flags:
            slots = set(re.findall(r"%\((\w+)\)s", message.id))
            assert set(re.findall(r"%\((\w+)\)s", message.string)) == slots, message.id
            assert translate(po.parts[-3], message.id, **dict.fromkeys(slots, "x"))


def test_catalog_languages_cover_the_campaigns():
    languages = {p.parts[-3] for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert {"da", "it", "fr", "ko"} <= languages
    assert translate("it", PAGE_OF, page=2, pages=3) == "Pagina 2 di 3"
