"""No boxes for Hangul, ever, in a real browser (Chromium, which this machine gives no
Korean font: without the web font it draws boxes). Each test starts a server of its own,
so the first page view is the first the server answers:

- the first frame painted already has the font (it is preloaded, and the server cut it
  when it started), fetched once, by the preload;
- were the font slow to come, Hangul stays invisible meanwhile, never boxes
  (``font-display: block``);
- a browser that visited before a campaign edit gets the new cut (a new address), not
  the subset it keeps in its cache;
- the campaign page in all five languages at 360 and 1280 px: every Hangul character on
  it is in the font, drawn by it; the screenshots are kept in the test's folder.

Needs Chromium at /usr/bin/chromium and Playwright (see test_browser.py).
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from tests.helpers import campaign_file
from tests.helpers.servers import missing, start_server

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
FAMILY = "Campaign Gothic"
CAMPAIGNS = ("naju-haderslev", "daegu-milan", "icheon-limoges", "paju-coquitlam")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")

# Before the page's first frame and every frame after, until the test reads them: what
# the frame is about to paint with (a requestAnimationFrame callback runs just before
# its frame is painted, and none runs before the first one).
FRAMES = """
window.__frames = [];
const look = () => {
  const hangul = document.body ? (document.body.innerText.match(/[가-힣]+/g) || []) : [];
  window.__frames.push({
    t: performance.now(),
    hangul: hangul.length,
    styled: document.styleSheets.length > 0,
    faces: [...document.fonts].filter(f => f.family.includes("FAMILY"))
                              .map(f => f.status),
    check: hangul.length > 0 && document.fonts.check('16px "FAMILY"', hangul.join("")),
  });
  if (window.__frames.length < 300) requestAnimationFrame(look);
};
requestAnimationFrame(look);
""".replace("FAMILY", FAMILY)


@pytest.fixture(scope="module")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install playwright")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def fresh_server(tmp_path):
    """``campaign-letters serve`` started for this test alone (its campaigns: a copy of
    the bundled ones, in tmp_path/campaigns, followed while it runs)."""
    folder = tmp_path / "campaigns"
    folder.mkdir()
    for campaign in CAMPAIGNS:
        shutil.copy(campaign_file(campaign), folder)
    server = start_server(tmp_path, "--workers", "1", "--campaigns", str(folder))
    try:
        yield server, folder
    finally:
        server.stop()


def wait_until(page, expression: str, seconds: float = 10) -> None:
    """Poll ``expression`` from the test (the page's policy forbids the page-side polling
    of Playwright's wait_for_function, which evaluates strings)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(20)


def syllables(text: str) -> int:
    """How many glyphs the Hangul face draws for ``text`` (spaces are the system's)."""
    return len(HANGUL.findall(text))


def preloaded_font(page) -> str:
    return page.eval_on_selector('link[rel=preload][as=font]', "l => l.href")


def font_requests(page) -> list[tuple[str, str]]:
    return [tuple(e) for e in page.evaluate("""performance.getEntriesByType("resource")
        .filter(e => e.name.includes("/fonts/")).map(e => [e.name, e.initiatorType])""")]


def hangul_drawn_by(page, selector: str) -> dict[str, int]:
    """The fonts Chromium drew an element's text with, and how many glyphs each."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"]: f["glyphCount"] for f in used}


def screenshot_now(page, selector: str) -> Image.Image:
    """The element as the screen shows it at this moment (CDP: Playwright's own
    screenshots wait for the fonts, which is what this must not do)."""
    box = page.locator(selector).bounding_box()
    cdp = page.context.new_cdp_session(page)
    shot = cdp.send("Page.captureScreenshot", {"format": "png", "clip": {
        "x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"],
        "scale": 1}})
    cdp.detach()
    return Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("L")


def test_the_first_frame_after_a_fresh_start_paints_hangul_with_its_font(chromium,
                                                                        fresh_server):
    server, _ = fresh_server
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    try:
        page.add_init_script(FRAMES)
        page.goto(f"{server.url}/campaigns/naju-haderslev?lang=ko")
        wait_until(page, "window.__frames.some(f => f.hangul > 0 && f.styled)")
        frames = page.evaluate("window.__frames")
        first = next(f for f in frames if f.get("hangul") and f.get("styled"))
        assert first["faces"] == ["loaded"] and first["check"], first
        # Every frame before it had no Hangul to paint.
        assert all(not f["hangul"] for f in frames[:frames.index(first)])
        # The font was fetched once, by the preload, at the address the stylesheet names.
        font = preloaded_font(page)
        assert re.search(r"/fonts/hangul-[0-9a-f]{16}\.woff2$", font)
        assert font_requests(page) == [(font, "link")]
        with urllib.request.urlopen(font) as response:
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert hangul_drawn_by(page, "h2#who")[FAMILY] == syllables("편지를 받는 곳")
    finally:
        page.close()


def test_while_the_font_is_on_its_way_hangul_is_invisible_never_boxes(chromium,
                                                                      fresh_server):
    """The font held back by the test for a second: the heading in Hangul is blank
    meanwhile (with font-display: swap it showed a box per syllable), then drawn."""
    server, _ = fresh_server
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    held = []

    def hold(route) -> None:
        held.append(route)

    try:
        page.route(re.compile(r".*/fonts/hangul-[0-9a-f]+\.woff2$"), hold)
        page.goto(f"{server.url}/campaigns/naju-haderslev?lang=ko", wait_until="commit")
        page.wait_for_selector("h2#who")
        page.wait_for_timeout(1000)  # the first frames are painted meanwhile
        assert len(held) == 1, "the font was asked for once, by the preload"
        meanwhile = screenshot_now(page, "h2#who")
        assert meanwhile.getextrema()[0] > 200, "a box or a glyph was drawn: nothing may be"
        held[0].continue_()
        wait_until(page, f'document.fonts.check(\'16px "{FAMILY}"\', "편지를 받는 곳")')
        page.wait_for_timeout(100)
        drawn = screenshot_now(page, "h2#who")
        assert drawn.getextrema()[0] < 100, "the heading is drawn once the font is there"
        assert hangul_drawn_by(page, "h2#who")[FAMILY] == syllables("편지를 받는 곳")
    finally:
        page.close()


def test_a_browser_that_came_before_a_campaign_edit_gets_the_new_syllables(chromium,
                                                                          fresh_server):
    """The font is cached for a year: after an edit that brings new Hangul, the page names
    a new cut, so the browser's cached one is never used for syllables it lacks."""
    server, folder = fresh_server
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        url = f"{server.url}/campaigns/paju-coquitlam?lang=ko"
        page.goto(url)
        page.evaluate("document.fonts.ready")
        before = preloaded_font(page)
        new = "뷁똠"  # no page showed these before
        path = folder / "paju-coquitlam.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "label: 대표전화", f"label: 대표전화 {new}"), encoding="utf-8")
        deadline = time.monotonic() + 15
        while new not in page.content():  # the server looks at its folder every 2 s
            assert time.monotonic() < deadline, "the edit was not picked up"
            page.wait_for_timeout(300)
            page.goto(url)
        page.evaluate("document.fonts.ready")
        after = preloaded_font(page)
        assert after != before
        assert page.evaluate(f'document.fonts.check(\'16px "{FAMILY}"\', "{new}")')
        label = "p.phone span[lang=ko]"
        assert new in page.inner_text(label)
        assert hangul_drawn_by(page, label)[FAMILY] == syllables(f"대표전화 {new}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_campaign_page_in_every_language_has_no_box(chromium, fresh_server, tmp_path,
                                                        width):
    """Screenshots (tmp_path/shots) after a fresh start, of the page in each language: the
    font holds every Hangul character the page shows, and draws the Korean ones."""
    server, _ = fresh_server
    shots = tmp_path / "shots"
    shots.mkdir()
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        for language in ("en", "da", "it", "fr", "ko"):
            page.goto(f"{server.url}/campaigns/naju-haderslev?lang={language}")
            page.evaluate("document.fonts.ready")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"naju-haderslev-{language}-{width}.png"),
                            full_page=True)
            with urllib.request.urlopen(preloaded_font(page)) as response:
                cmap = TTFont(io.BytesIO(response.read())).getBestCmap()
            shown = set(HANGUL.findall(page.inner_text("body")))
            assert shown and not {c for c in shown if ord(c) not in cmap}
            assert page.evaluate(f'document.fonts.check(\'16px "{FAMILY}"\', '
                                 f'{"".join(sorted(shown))!r})')
            for selector in ('nav.languages a[lang=ko]', 'address[lang=ko]'):
                drawn = hangul_drawn_by(page, selector)
                assert drawn.get(FAMILY, 0) > 0, (language, selector, drawn)
    finally:
        page.close()
