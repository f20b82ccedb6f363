"""The web page in a real browser: the real server (uvicorn, in a subprocess) and Chromium.

Needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium) and Playwright for
Python (pip install playwright; not `playwright install`: Debian's browser is used). Without
them the tests skip and say why; with CI=true they fail instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import METTE, TESTS, form_fields
from tests.helpers.pdf_text import pdftotext, without_bidi_marks
from tests.helpers.servers import missing, start_nginx, start_server

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
KOREAN_ADDRESS = "전남광주통합특별시 나주시 시청길 22"


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install playwright")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: apt-get install chromium")
    return sync_playwright


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """The page as the README's Hosting section serves it: ``campaign-letters serve`` with
    two workers behind nginx (deploy/nginx.conf) under /letters/, on loopback ports. (The
    rate limit is raised: these tests are one client asking for many letters.)"""
    folder = tmp_path_factory.mktemp("hosted")
    server = start_server(folder, "--workers", "2", "--root-path", "/letters",
                          "--forwarded-allow-ips", "127.0.0.1", "--rate-limit", "1000")
    try:
        nginx = start_nginx(folder, server.port)
        try:
            yield f"{nginx.url}/letters"
        finally:
            nginx.stop()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(playwright_api):
    with playwright_api() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def fill_form(page, **overrides: str) -> None:
    """Mette's name and address typed into the form (the country is chosen already)."""
    fields = {f"#f-{key}": value for key, value in form_fields(METTE).items()
              if key != "country"} | overrides
    for selector, value in fields.items():
        page.fill(selector, value)


def test_fill_the_form_and_download_the_letters(browser, server_url, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  accept_downloads=True, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        assert page.title().startswith("Naju – Haderslev")
        # Every field is found by its label, as a screen reader would.
        page.get_by_label("Name", exact=True).fill("Mette Hansen")
        page.get_by_label("Street address").fill("Vestergade 12")
        page.get_by_label("Postal code").fill("8000")
        page.get_by_label("City", exact=True).fill("Aarhus")
        assert page.get_by_label("The country you live in").input_value() == "DK"
        page.get_by_label("Personal paragraph").fill("Jeg har selv to hunde.")
        page.get_by_label("A4, for a DL window envelope").check()

        # Nothing sticks out sideways on a 360 px phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("#form").screenshot(path=str(tmp_path / "web-form-360.png"))

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download the letters (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == "letters-naju-haderslev-mette-hansen.pdf"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        text = pdftotext(target)
        assert "Mette Hansen" in text
        assert KOREAN_ADDRESS in text
        assert "Jeg har selv to hunde." in text

        with page.expect_download() as draft_info:
            page.get_by_role("button", name="E-mail draft with the letters (.eml)").click()
        assert draft_info.value.suggested_filename == "letters-naju-haderslev-mette-hansen.eml"
    finally:
        context.close()


def test_a_right_to_left_name_typed_in_the_browser_prints_shaped(browser, server_url,
                                                                  tmp_path):
    """Typed right to left into the form (which keeps its direction), through nginx, into
    the letters: given back by poppler as typed."""
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  accept_downloads=True, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        fill_form(page, **{"#f-name": "فاطمة الزهراء", "#f-street": "רחוב הרצל 12"})
        assert page.eval_on_selector("#f-name", "e => getComputedStyle(e).direction") == "rtl"
        page.locator("#form").screenshot(path=str(tmp_path / "web-form-rtl-360.png"))
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download the letters (PDF)").click()
        target = tmp_path / "rtl.pdf"
        download_info.value.save_as(target)
        lines = [without_bidi_marks(line) for line in pdftotext(target).splitlines()]
        assert "فاطمة الزهراء" in lines and "רחוב הרצל 12" in lines
    finally:
        context.close()


def test_a_bad_postcode_is_shown_beside_its_field(browser, server_url, tmp_path):
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="en-GB")
    try:
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        fill_form(page, **{"#f-postal_code": "80000"})
        page.get_by_role("button", name="Download the letters (PDF)").click()
        page.wait_for_selector("#f-postal_code-error")
        error = page.locator("#f-postal_code-error").inner_text()
        # "Error:" is there for screen readers only.
        assert error.split(None, 1)[1].startswith(
            "Postal code: '80000' is not a valid postcode for Denmark")
        assert page.locator("#f-name").input_value() == "Mette Hansen", "values kept"
        # The address is still the campaign page's, and the summary has the focus.
        assert page.url.split("?")[0] == f"{server_url}/campaigns/naju-haderslev"
        assert page.evaluate("document.activeElement.className") == "error-summary"
        page.get_by_role("link", name="Postal code: '80000'", exact=False).click()
        assert page.evaluate("document.activeElement.id") == "f-postal_code"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / "web-error-360.png"), full_page=True)
        # The letters' own address, opened again (a bookmark, a reload): the form.
        response = page.goto(f"{server_url}/campaigns/naju-haderslev/letters.pdf")
        assert response.status == 200 and page.url.startswith(
            f"{server_url}/campaigns/naju-haderslev")
        assert page.locator("#form").is_visible()
    finally:
        page.close()


def test_desktop_layout(browser, server_url, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        page.goto(server_url)
        assert page.locator("ul.campaigns > li").count() == 4
        page.get_by_role("link", name="Naju – Haderslev", exact=True).click()
        page.wait_for_selector("#form")
        page.locator("#form").screenshot(path=str(tmp_path / "web-form-1280.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        page.close()


# -- the page in the volunteer's language ------------------------------------------------

def test_the_browsers_language_then_a_plain_link_to_another(browser, server_url):
    context = browser.new_context(locale="da-DK")
    try:
        page = context.new_page()
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        assert page.locator("html").get_attribute("lang") == "da"
        assert page.get_by_label("Navn", exact=True).is_visible()
        assert page.locator("details[lang=da]").get_attribute("open") is not None
        page.get_by_role("link", name="Italiano").click()  # a link: no script needed
        assert page.locator("html").get_attribute("lang") == "it"
        page.get_by_role("link", name="Tutte le campagne").click()
        assert page.locator("html").get_attribute("lang") == "it", "links keep the language"
    finally:
        context.close()


def test_an_italian_volunteer_is_asked_for_the_province(browser, server_url):
    page = browser.new_page(locale="it-IT")
    try:
        page.goto(f"{server_url}/campaigns/daegu-milan")
        assert page.get_by_label("Il paese in cui vivi").input_value() == "IT"
        page.get_by_label("Nome e cognome").fill("Giulia Esempio")
        page.get_by_label("Indirizzo").fill("Via Esempio 1")
        page.get_by_label("CAP").fill("20121")
        page.get_by_label("Città").fill("Milano")
        hint = page.locator("#f-region-hint").inner_text()
        assert "MI (Milano)" in hint
        page.get_by_role("button", name="Scarica le lettere (PDF)").click()
        error = page.locator("#f-region-error").inner_text()
        assert "è obbligatorio per un indirizzo in Italia" in error and "MI (Milano)" in error
        page.get_by_label("Provincia").fill("Lombardia")
        page.get_by_role("button", name="Scarica le lettere (PDF)").click()
        error = page.locator("#f-region-error").inner_text()
        assert "'Lombardia' è una regione di Italia" in error
        assert "Milano (MI)" in error and "Bergamo (BG)" in error and "Torino" not in error
        assert page.locator("html").get_attribute("lang") == "it"
    finally:
        page.close()


def test_korean_shows_in_the_bundled_face_without_a_korean_system_font(browser, server_url,
                                                                       tmp_path):
    """Chromium draws the page's Hangul with the served face, whatever fonts the system
    has (this machine has no Korean one: without the web font, boxes)."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(f"{server_url}/campaigns/naju-haderslev?lang=ko")
        loaded = page.evaluate("""async () => { await document.fonts.ready;
            return [...document.fonts].filter(f => f.family.includes("Campaign Gothic"))
                                      .map(f => f.status); }""")
        assert loaded == ["loaded"], loaded
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("address[lang=ko]", "h2#who", ".tagline", "#f-country"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
            families = {f["familyName"]: f["glyphCount"] for f in used["fonts"]}
            assert families.get("Campaign Gothic", 0) > 0, (selector, families)
        address = page.locator("address[lang=ko]").first
        address.screenshot(path=str(tmp_path / "korean-address.png"))
    finally:
        page.close()


def test_the_form_by_keyboard_alone(browser, server_url, tmp_path):
    context = browser.new_context(accept_downloads=True, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        typed = {"f-name": "Mette Hansen", "f-street": "Vestergade 12",
                 "f-postal_code": "8000", "f-city": "Aarhus"}
        for _ in range(60):  # Tab from the top of the page to each field in turn
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.id")
            if focused in typed:
                page.keyboard.type(typed.pop(focused))
            if not typed:
                break
        assert not typed, f"never reached by Tab: {typed}"
        with page.expect_download() as download_info:
            page.keyboard.press("Enter")  # the form's first button: Download
        assert download_info.value.suggested_filename == \
            "letters-naju-haderslev-mette-hansen.pdf"
    finally:
        context.close()


# -- a real accessibility engine ------------------------------------------------------------

AXE = TESTS / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async (tags) => (await axe.run(document,
        {runOnly: {type: "tag", values: tags}})).violations.map(v =>
        v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))""",
                          WCAG_21_AA)
    return found


@pytest.fixture(scope="module")
def axe_browser(browser):
    if not AXE.exists():
        missing(f"{AXE} is missing: npm ci --prefix tests/axe (see .ci/run)")
    return browser


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "da", "it", "fr", "ko"])
def test_no_wcag_21_aa_violation_on_any_page(axe_browser, server_url, language, width):
    # The pages' own policy forbids injected scripts: the test's engine is let in.
    context = axe_browser.new_context(viewport={"width": width, "height": 900},
                                      bypass_csp=True)
    try:
        page = context.new_page()
        problems = {}
        for path in ("/", "/campaigns/naju-haderslev", "/campaigns/daegu-milan",
                     "/campaigns/icheon-limoges", "/campaigns/paju-coquitlam",
                     "/campaigns/nowhere"):
            page.goto(f"{server_url}{path}?lang={language}")
            assert page.locator("html").get_attribute("lang") == language
            problems[path] = axe_violations(page)
        # The form again with an error in every field the country asks for.
        page.goto(f"{server_url}/campaigns/daegu-milan?lang={language}")
        page.locator("#form button[value=pdf]").click()
        page.wait_for_selector(".error-summary")
        problems["(form with errors)"] = axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not any(problems.values()), problems
    finally:
        context.close()


def test_the_engine_finds_what_it_is_asked_to_find(axe_browser, server_url):
    """The check above can fail: the same engine on a page with known faults reports them."""
    page = axe_browser.new_page()
    try:
        page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
        found = " ".join(axe_violations(page))
        assert "image-alt" in found and "label" in found and "html-has-lang" in found
    finally:
        page.close()
