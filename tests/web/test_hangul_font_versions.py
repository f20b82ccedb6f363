"""No boxes for Hangul, in process: every page preloads the Hangul font the stylesheet
declares, both under addresses carrying a hash of their bytes and cached for a year; a
campaign edit that brings new syllables gives the font a new address, and the old one
still answers. (The first paint itself, in Chromium: test_first_paint.py.)"""

from __future__ import annotations

import io
import re
import shutil

import pytest
from fontTools.ttLib import TTFont
from starlette.testclient import TestClient

from campaign_letters import web
from campaign_letters.web import hangul_font
from tests.helpers import TODAY, campaign_file

YEAR = "public, max-age=31536000, immutable"
CAMPAIGNS = ("naju-haderslev", "daegu-milan", "icheon-limoges", "paju-coquitlam")
PRELOAD = re.compile(r'<link rel="preload" href="(/fonts/hangul-([0-9a-f]{16})\.woff2)" '
                     r'as="font" type="font/woff2" crossorigin>')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/style-[0-9a-f]{16}\.css)">')


def addresses(page: str) -> tuple[str, str]:
    """(the preloaded font's address, the stylesheet's) of a page."""
    (font,) = [m.group(1) for m in PRELOAD.finditer(page)]
    (stylesheet,) = STYLESHEET.findall(page)
    assert page.index(font) < page.index(stylesheet), "the font is asked for first"
    return font, stylesheet


def glyphs_for(woff2: bytes, text: str) -> bool:
    cmap = TTFont(io.BytesIO(woff2)).getBestCmap()
    return all(ord(c) in cmap for c in text)


@pytest.fixture(scope="module")
def client():
    with TestClient(web.create_app(today=lambda: TODAY)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/campaigns/naju-haderslev?lang=ko",
                                  "/campaigns/daegu-milan?lang=it", "/campaigns/nowhere"])
def test_every_page_preloads_the_font_its_stylesheet_declares(client, path):
    """Every page shows Hangul (the switcher's 한국어 at least), 404s included."""
    page = client.get(path).text
    assert "한국어" in page
    font, stylesheet = addresses(page)
    css = client.get(stylesheet)
    assert css.status_code == 200 and css.headers["cache-control"] == YEAR
    assert css.headers["content-type"].startswith("text/css")
    # Relative to the stylesheet's own address, the same as the preloaded one.
    assert f'src: url("fonts/{font.rsplit("/", 1)[1]}") format("woff2");' in css.text
    assert "font-display: block;" in css.text, "invisible for a moment, never a box"
    woff2 = client.get(font)
    assert woff2.status_code == 200 and woff2.headers["cache-control"] == YEAR
    assert woff2.headers["content-type"] == "font/woff2"
    # The address names the bytes: the first 16 hex digits of their SHA-256.
    assert font.endswith(f"hangul-{hangul_font.content_digest(woff2.content)}.woff2")
    assert stylesheet == f"/style-{hangul_font.content_digest(css.content)}.css"
    assert glyphs_for(woff2.content, "한국어나주시장편지")


def test_the_plain_addresses_give_the_current_version_checked_each_time(client):
    font, stylesheet = addresses(client.get("/").text)
    for plain, hashed in (("/fonts/hangul.woff2", font), ("/style.css", stylesheet)):
        response = client.get(plain)
        assert response.headers["cache-control"] == "no-cache"
        assert response.content == client.get(hashed).content


def test_an_unknown_version_leads_to_the_current_one_uncached(client):
    font, stylesheet = addresses(client.get("/").text)
    for old, current in (("/fonts/hangul-0123456789abcdef.woff2", font),
                         ("/style-0123456789abcdef.css", stylesheet)):
        response = client.get(old, follow_redirects=False)
        assert response.status_code == 307 and response.headers["location"] == current
        assert response.headers["cache-control"] == "no-store"


def test_every_process_cuts_the_same_bytes(monkeypatch):
    """Workers cut the font each for itself: the cut carries no timestamp (fontTools
    would write the time of the cut into it), so a page from one worker names a font the
    others serve under the same address."""
    from fontTools.misc import timeTools

    clock = iter(range(3_000_000_000, 3_000_000_100))
    monkeypatch.setattr(timeTools, "timestampNow", lambda: next(clock))
    characters = frozenset("나주시장")
    cuts = []
    for _ in range(2):
        hangul_font.hangul_woff2.cache_clear()
        cuts.append(hangul_font.hangul_woff2(characters))
    hangul_font.hangul_woff2.cache_clear()
    assert cuts[0] == cuts[1]


@pytest.mark.slow  # kept out of the quick run (about a second)
def test_a_campaign_edit_with_new_hangul_gives_the_font_a_new_address(tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    for campaign in CAMPAIGNS:  # the bundled ones, so the first cut is the one made already
        shutil.copy(campaign_file(campaign), folder)
    app = web.create_app(folder, today=lambda: TODAY)
    app.state.web.source.check_every = 0  # look at the folder on every request
    new = "뷁똠"  # syllables no page showed before
    with TestClient(app) as client:
        before = addresses(client.get("/campaigns/paju-coquitlam?lang=ko").text)
        old_font = client.get(before[0]).content
        assert not glyphs_for(old_font, new)
        path = folder / "paju-coquitlam.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("label: 대표전화", f"label: 대표전화 {new}"),
                        encoding="utf-8")
        page = client.get("/campaigns/paju-coquitlam?lang=ko").text
        assert new in page
        after = addresses(page)
        assert after[0] != before[0] and after[1] != before[1]
        font = client.get(after[0])
        assert font.headers["cache-control"] == YEAR and glyphs_for(font.content, new)
        # A page made just before the edit still gets the font it names.
        assert client.get(before[0]).content == old_font
        # An edit without new Hangul keeps the addresses.
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Paju City Council", "Paju City  Council"), encoding="utf-8")
        assert addresses(client.get("/").text) == after
