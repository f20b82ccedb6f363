"""The web page in a real browser: the real server (uvicorn, in a subprocess) and Chromium.

Needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium) and Playwright for
Python (pip install playwright; not `playwright install`: Debian's browser is used). Without
them the tests skip and say why; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import TODAY  # noqa: F401  (same fixtures module as the other tests)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOT = Path("/tmp/web-form-360.png")
KOREAN_ADDRESS = "전라남도 나주시 시청길 22"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs the browser tests to run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: pip install playwright")
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium")
    return sync_playwright


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """``campaign-letters serve`` (as the README starts it) on a free loopback port, stopped
    afterwards."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "campaign_letters", "serve", "--host", "127.0.0.1",
             "--port", str(port)], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}") \
                        from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser(playwright_api):
    with playwright_api() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        _missing("pdftotext missing: apt-get install poppler-utils")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def fill_form(page, **overrides: str) -> None:
    fields = {"#f-name": "Mette Hansen", "#f-street": "Vestergade 12",
              "#f-postal_code": "8000", "#f-city": "Aarhus", **overrides}
    for selector, value in fields.items():
        page.fill(selector, value)


def test_fill_the_form_and_download_the_letters(browser, server_url, tmp_path):
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        assert page.title().startswith("Naju – Haderslev")
        # Every field is found by its label, as a screen reader would.
        page.get_by_label("Name", exact=True).fill("Mette Hansen")
        page.get_by_label("Street address").fill("Vestergade 12")
        page.get_by_label("Postal code").fill("8000")
        page.get_by_label("City", exact=True).fill("Aarhus")
        assert page.get_by_label("Country", exact=True).input_value() == "DK"
        page.get_by_label("Personal paragraph").fill("Jeg har selv to hunde.")
        page.get_by_label("A4, for a DL window envelope").check()

        # Nothing sticks out sideways on a 360 px phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator("#form").screenshot(path=str(tmp_path / "web-form-360.png"))
        shutil.copy(tmp_path / "web-form-360.png", SCREENSHOT)

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download the letters (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == "letters-naju-haderslev-mette-hansen.pdf"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        text = pdf_text(target)
        assert "Mette Hansen" in text
        assert KOREAN_ADDRESS in text
        assert "Jeg har selv to hunde." in text

        with page.expect_download() as draft_info:
            page.get_by_role("button", name="E-mail draft with the letters (.eml)").click()
        assert draft_info.value.suggested_filename == "letters-naju-haderslev-mette-hansen.eml"
    finally:
        context.close()


def test_a_bad_postcode_is_shown_beside_its_field(browser, server_url, tmp_path):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(f"{server_url}/campaigns/naju-haderslev")
        fill_form(page, **{"#f-postal_code": "80000"})
        page.get_by_role("button", name="Download the letters (PDF)").click()
        page.wait_for_selector("#f-postal_code-error")
        error = page.locator("#f-postal_code-error").inner_text()
        # "Error:" is there for screen readers only.
        assert error.split(None, 1)[1].startswith(
            "Postal code: '80000' is not a valid postcode for DK")
        assert page.locator("#f-name").input_value() == "Mette Hansen", "values kept"
        assert page.locator(".error-summary").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(tmp_path / "web-error-360.png"), full_page=True)
    finally:
        page.close()


def test_desktop_layout(browser, server_url, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server_url)
        assert page.locator("ul.campaigns > li").count() == 4
        page.get_by_role("link", name="Naju – Haderslev", exact=True).click()
        page.wait_for_selector("#form")
        page.locator("#form").screenshot(path=str(tmp_path / "web-form-1280.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        page.close()
