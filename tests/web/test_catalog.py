"""The web page's catalog (web.pot): in step with the code and the page templates,
complete in every language, with the same placeholders and HTML."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir

from campaign_letters.wording import LOCALE_DIR
from tests.helpers.catalogs import PACKAGE, catalog

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
