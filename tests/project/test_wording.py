"""The gettext catalogs: in step with the code, complete, and valid format strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from campaign_letters.wording import LOCALE_DIR, PAGE_OF, translate

PACKAGE = Path(LOCALE_DIR).parent


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


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


# -- the web page's catalog -----------------------------------------------------------------

WEB_LANGUAGES = ("da", "it", "fr", "ko")


def web_extracted_ids() -> set[str]:
    return {message for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
        keywords={"W_": None, "_": None})}


def test_web_template_matches_the_code_and_the_pages():
    template = {m.id for m in catalog(LOCALE_DIR / "web.pot") if m.id}
    assert template == web_extracted_ids(), "run pybabel extract -F babel-web.cfg (README)"


@pytest.mark.parametrize("language", WEB_LANGUAGES)
def test_web_catalog_is_complete_with_the_same_placeholders(language):
    template = {m.id for m in catalog(LOCALE_DIR / "web.pot") if m.id}
    messages = {m.id: m for m in catalog(LOCALE_DIR / language / "LC_MESSAGES" / "web.po")
                if m.id}
    assert set(messages) == template
    for message in messages.values():
        assert message.string and not message.fuzzy, message.id
        slots = sorted(re.findall(r"%\(\w+\)[sr]|%%", message.id))
        assert sorted(re.findall(r"%\(\w+\)[sr]|%%", message.string)) == slots, message.id
        # HTML the page writes stays the same HTML in every language.
        assert re.findall(r"</?\w+>", message.string) == re.findall(r"</?\w+>", message.id)
