"""The web page in-process: every endpoint, every error path, as a browser or script meets it."""

from __future__ import annotations

import asyncio
import email
import email.policy
import html
import logging
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from campaign_letters import web
from campaign_letters.errors import InputError
from campaign_letters.mail import draft as mailer
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import METTE as METTE_FIELDS
from tests.helpers import TODAY, campaign_file, campaign_text, form_fields
from tests.helpers.pdf_text import pdftotext, without_bidi_marks

KOREAN_ADDRESS = "전남광주통합특별시 나주시 시청길 22"
METTE = form_fields(METTE_FIELDS)  # as the form sends them
PDF_URL = "/campaigns/naju-haderslev/letters.pdf"
EML_URL = "/campaigns/naju-haderslev/letters.eml"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def app():
    return web.create_app(today=lambda: TODAY)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text, written to tmp_path/letters.pdf first; pdftotext keeps Hangul runs
    whole (pypdf splits them by font)."""
    path = tmp_path / "letters.pdf"
    path.write_bytes(data)
    return pdftotext(path)


def error_beside(page: str, field: str) -> str:
    """The error paragraph of ``field``, unescaped, or '' when there is none."""
    match = re.search(rf'<p class="error" id="f-{field}-error">(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""


def cli_message(**fields: str) -> InputError:
    """What make_sender (and so the CLI) says for these fields."""
    given = {**METTE, **fields}
    with pytest.raises(InputError) as caught:
        make_sender(name=given["name"], street=[given["street"]],
                    postal_code=given["postal_code"], city=given["city"],
                    country=given["country"])
    return caught.value


# -- pages --------------------------------------------------------------------------------

def test_index_lists_the_four_campaigns(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for campaign_id in ("paju-coquitlam", "naju-haderslev", "daegu-milan", "icheon-limoges"):
        assert f'href="/campaigns/{campaign_id}?lang=en"' in page.text
    assert "Naju (<span lang=\"ko\">나주시</span>), South Korea" in page.text
    assert "friendship cities since 2016" in page.text
    assert "Milan, Italy: tell your Sister City, Daegu" in page.text


def test_campaign_page_shows_recipients_and_korean_address(client):
    page = client.get("/campaigns/naju-haderslev").text
    assert "Mayor of Haderslev: Mads Skau" in page
    assert "Borgmester Mads Skau" in page and "6100 HADERSLEV" in page
    assert "Kang In-Kyu" not in page and "강인규" not in page
    assert "Yoon Byung-tae" not in page, "not confirmed since the elections of June 2026"
    assert "나주시장님" in page
    assert "Nobody has confirmed who is Mayor of Naju since the election of June 3, 2026, " \
           "so the letters address the office, not a name." in html.unescape(page)
    assert f"(58263) {KOREAN_ADDRESS}" in page
    # The Latin spelling: the region merged into one no source names in Latin.
    assert "22, Sicheong-gil, Naju-si, 58263" in page
    assert "Naju City Council" in page
    assert "No letter can be made" not in page


def test_paju_page_says_plainly_no_letter_for_missing_recipients(client):
    page = html.unescape(client.get("/campaigns/paju-coquitlam").text)
    assert "No letter goes to Mayor of Paju" not in page
    assert "(10932) 경기도 파주시 시청로 50" in page
    assert "No letter goes to Paju City Council: the campaign has no postal address " \
        "for it." in page
    # The campaign file's reason is the organizers' note, not the volunteers'.
    assert "No source gives Paju City Council's postal address" not in page
    assert "Coquitlam" in page


def test_form_has_a_label_for_every_field_and_the_cli_names(client):
    page = client.get("/campaigns/naju-haderslev").text
    for field in ("name", "street", "postal_code", "city", "country", "email",
                  "language", "note"):
        assert f'<label for="f-{field}">' in page, field
        assert re.search(rf'id="f-{field}" name="{field}"', page), field
    assert 'name="region"' not in page, "a Danish address has no region"
    italy = client.get("/campaigns/daegu-milan").text
    assert '<label for="f-region">Province</label>' in italy
    assert re.search(r'id="f-region" name="region"', italy)
    for paper in ("auto", "a4", "letter"):
        assert f'<label for="f-paper-{paper}">' in page
        assert f'name="paper" id="f-paper-{paper}" value="{paper}"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<script" not in page


def test_form_defaults_country_to_partner_and_language_to_automatic(client):
    naju = client.get("/campaigns/naju-haderslev").text
    assert '<option value="DK" selected>Denmark</option>' in naju
    assert '<option value="KR">South Korea</option>' in naju
    assert '<option value="auto" selected>' in naju
    for value in ("en", "da", "da+en", "en+da"):
        assert f'<option value="{value}">' in naju
    assert 'value="auto" checked' in naju
    paju = client.get("/campaigns/paju-coquitlam").text
    assert '<option value="CA" selected>Canada</option>' in paju
    # Two-letter country codes only: no "Latin America" (419), no "European Union".
    assert 'value="419"' not in naju and 'value="EU"' not in naju


def test_page_tells_how_to_fold_which_envelope_and_postage(client):
    page = client.get("/campaigns/naju-haderslev").text
    assert "in thirds along the short marks on its left edge" in page
    assert "DL window envelope" in page and "#10 window envelope" in page
    assert "international postage" in page


def test_messages_in_each_language_and_mailto_links(client):
    page = client.get("/campaigns/naju-haderslev").text
    # A Danish volunteer's letter is in Danish: that message is the open one.
    assert '<details class="message" lang="en">' in page
    assert '<details class="message" lang="da" open>' in page
    assert "Kære borgmester Mads Skau" in page
    links = re.findall(r'href="(mailto:[^"]*)"', page)
    assert len(links) == 2
    for link in links:
        link = html.unescape(link)
        assert len(link) <= mailer.MAILTO_LIMIT
        assert "subject=" in link and "&body=" in link
    # The long message is cut with a note.
    assert unquote(html.unescape(links[0])).endswith(mailer.MAILTO_CUT_NOTE)
    # No e-mail address known: the page says the volunteer addresses the mail.
    assert "add the recipients' addresses yourself" in html.unescape(page)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_security_headers_and_no_cookies(client):
    page = client.get("/campaigns/naju-haderslev")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in page.headers
    pdf = client.post(PDF_URL, data=METTE)
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert pdf.headers["cache-control"] == "no-store"
    css = client.get("/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


# -- letters ------------------------------------------------------------------------------

def test_valid_fields_give_the_letters_as_a_download(client, tmp_path):
    response = client.post(PDF_URL, data={**METTE, "street": "Vestergade 12\r\n2. th."})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == \
        'attachment; filename="letters-naju-haderslev-mette-hansen.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "Mette Hansen" in text and "2. th." in text
    assert KOREAN_ADDRESS in text
    assert "Kære borgmester" in text, "a sender in Denmark gets Danish by default"
    assert len(PdfReader(tmp_path / "letters.pdf").pages) == 3


def test_inline_preview(client):
    response = client.post(PDF_URL + "?inline=1", data=METTE)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline; filename=")


def test_language_note_and_paper_reach_the_letters(client, tmp_path):
    response = client.post(PDF_URL, data={**METTE, "language": "en+da", "paper": "letter",
                                          "note": "I have two dogs.\r\n\r\nPlease act."})
    assert response.status_code == 200, response.text
    text = pdf_text(response.content, tmp_path)
    assert "Dear Mayor Mads Skau" in text and "Kære borgmester" in text
    assert "I have two dogs." in text and "Please act." in text
    width, height = PdfReader(tmp_path / "letters.pdf").pages[0].mediabox[2:]
    assert (round(float(width)), round(float(height))) == (612, 792), "US Letter"


def test_non_ascii_name_gets_an_rfc5987_file_name(client):
    response = client.post(PDF_URL, data={**METTE, "name": "Søren Ødegård"})
    assert response.headers["content-disposition"] == (
        'attachment; filename="letters-naju-haderslev-soren-odegard.pdf"; '
        "filename*=UTF-8''letters-naju-haderslev-s%C3%B8ren-%C3%B8deg%C3%A5rd.pdf")
    hangul = client.post(PDF_URL, data={**METTE, "name": "김민지"})
    assert hangul.status_code == 200, hangul.text
    assert hangul.headers["content-disposition"] == (
        'attachment; filename="letters-naju-haderslev-gimminji.pdf"; '
        "filename*=UTF-8''letters-naju-haderslev-%EA%B9%80%EB%AF%BC%EC%A7%80.pdf")


def test_a_right_to_left_name_and_street_reach_the_letters_shaped(client, tmp_path):
    name, street = "فاطمة الزهراء", "רחוב הרצל 12"
    response = client.post(PDF_URL, data={**METTE, "name": name, "street": street,
                                          "note": "أنا أدعم هذه الحملة"})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="letters-naju-haderslev-ftmh-lzhr.pdf"'), \
        response.headers["content-disposition"]
    lines = [without_bidi_marks(line)
             for line in pdf_text(response.content, tmp_path).splitlines()]
    assert name in lines and street in lines and "أنا أدعم هذه الحملة" in lines
    # The form keeps the direction of what is typed into it.
    page = client.get(PDF_URL.rsplit("/", 1)[0]).text
    assert page.count('dir="auto"') >= 4


@pytest.mark.parametrize("address", ["søren@example.com", "فاطمة@example.com"])
def test_an_e_mail_address_with_letters_beyond_ascii_makes_a_draft(client, address):
    """Found in review: such an address (RFC 6532) gave a 500 for the e-mail draft."""
    response = client.post(EML_URL, data={**METTE, "email": address})
    assert response.status_code == 200, response.text
    # Headers in UTF-8 (RFC 6532), the rest 7-bit: the file reads as UTF-8 text.
    message = email.message_from_string(response.content.decode("utf-8"),
                                        policy=email.policy.default)
    assert message["From"].addresses[0].addr_spec == address
    assert message.get_payload()[1].get_filename().endswith(".pdf")


def test_bad_field_reshows_the_form_with_the_cli_message_beside_it(client):
    response = client.post(PDF_URL, data={**METTE, "postal_code": "80000",
                                          "note": "Mine egne ord."})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    expected = cli_message(postal_code="80000")
    assert expected.field == "postal_code"
    assert error_beside(response.text, "postal_code") == f"Error: Postal code: {expected.message}"
    assert "'80000' is not a valid postcode for Denmark" in expected.message
    page = response.text
    assert 'id="f-postal_code" name="postal_code" aria-describedby="f-postal_code-error ' \
           'f-postal_code-hint" aria-invalid="true"' in page
    # Values kept.
    assert 'value="Mette Hansen"' in page and 'value="80000"' in page
    assert ">Mine egne ord.</textarea>" in page
    assert '<option value="DK" selected>' in page
    assert 'href="#f-postal_code"' in page, "the summary links to the field"


def test_bad_fields_as_json(client):
    response = client.post(PDF_URL, data={**METTE, "postal_code": "80000"}, headers=JSON)
    assert response.status_code == 400
    expected = cli_message(postal_code="80000")
    assert response.json() == {"errors": [{"field": "postal_code",
                                           "message": expected.message}]}


def test_several_problems_at_once(client):
    response = client.post(PDF_URL, data={"name": " ", "street": "", "city": "",
                                          "country": "Denmark", "language": "xx",
                                          "paper": "b5", "note": "x" * 1300}, headers=JSON)
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert list(errors) == ["name", "street", "city", "country", "language", "note", "paper"]
    assert errors["name"] == "is required and must not be blank"
    assert errors["street"] == "is required: give at least one street line"
    assert errors["country"] == cli_message(country="Denmark").message
    assert errors["language"].startswith("'xx' is not a language of campaign naju-haderslev")
    assert errors["note"].startswith("is 1300 characters long")
    assert errors["paper"] == "'b5' is not one of auto, a4, letter"


def test_too_long_fields_are_refused_in_the_cli_words(client):
    response = client.post(PDF_URL, data={**METTE, "name": "N" * 200,
                                          "street": "a\nb\nc\nd"}, headers=JSON)
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {"name": "is 200 characters long; at most 80 fit",
                      "street": "has 4 lines; at most 3 fit in an address"}


def test_unprintable_characters_are_refused_like_in_the_cli(client):
    response = client.post(PDF_URL, data={**METTE, "name": "Mette 🐶 Hansen",
                                          "city": "Aar\x07hus"}, headers=JSON)
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"name", "city"}
    assert "🐶" in errors["name"] or "U+1F436" in errors["name"]
    assert errors["city"] == "contains the control or unassigned character U+0007; remove it"


def test_markup_in_the_name_is_escaped_in_html_and_literal_in_the_pdf(client, tmp_path):
    name = '<b>Bo</b> & "Co" <script>alert(1)</script>'
    page = client.post(PDF_URL, data={**METTE, "name": name, "postal_code": "80000"}).text
    assert "<script>alert(1)</script>" not in page and "<b>Bo</b>" not in page
    assert "&lt;b&gt;Bo&lt;/b&gt; &amp; &#34;Co&#34; &lt;script&gt;" in page
    response = client.post(PDF_URL, data={**METTE, "name": name})
    assert response.status_code == 200, response.text
    assert name in pdf_text(response.content, tmp_path)


def test_email_draft_parses_back_with_the_pdf(client):
    response = client.post(EML_URL, data={**METTE, "email": "mette@example.org"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "message/rfc822"
    assert response.headers["content-disposition"] == \
        'attachment; filename="letters-naju-haderslev-mette-hansen.eml"'
    msg = email.message_from_bytes(response.content, policy=email.policy.default)
    assert msg["Subject"].startswith("Borgmester Mads Skau og medlemmer af Haderslev byråd")
    assert msg["To"] is None, "the bundled campaigns know no e-mail address"
    assert msg["X-Unsent"] == "1"
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("[Før du sender: ") and "tilføj selv modtagernes adresser" in body
    assert "Kære borgmester Mads Skau" in body and "Mette Hansen" in body
    (pdf,) = list(msg.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF-")


def test_email_draft_with_bad_fields_is_the_form_again(client):
    response = client.post(EML_URL, data={**METTE, "email": "not-an-address"}, headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "email", "message": "'not-an-address' is not an e-mail address"}]


# -- limits and ids -----------------------------------------------------------------------

@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_bodies_over_64_kb_are_refused(client, chunked):
    body = b"note=" + b"x" * 100_000
    if chunked:
        def chunks():
            for start in range(0, len(body), 4096):
                yield body[start:start + 4096]
        content = chunks()
    else:
        content = body
    headers = {"Content-Type": "application/x-www-form-urlencoded", **JSON}
    response = client.post(PDF_URL, content=content, headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"].startswith("The form is too large")
    if chunked:
        assert response.request.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.request.headers
    page = client.post(PDF_URL, content=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "at most 64 KB" in page.text


def test_a_body_just_under_the_limit_is_read(client):
    response = client.post(PDF_URL, data={**METTE, "region": "r" * 60_000}, headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "region"


class CountingReceive:
    """An ASGI receive channel of many small chunks that counts what was taken from it."""

    def __init__(self, chunks: int, size: int):
        self.left = chunks
        self.size = size
        self.taken = 0

    async def __call__(self):
        self.left -= 1
        self.taken += 1
        return {"type": "http.request", "body": b"x" * self.size, "more_body": self.left > 0}


def test_chunked_upload_is_not_read_past_the_limit(app):
    receive = CountingReceive(chunks=1000, size=1024)
    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": PDF_URL, "raw_path": PDF_URL.encode(),
             "query_string": b"", "root_path": "", "server": ("testserver", 80),
             "client": ("127.0.0.1", 1234), "app": app,
             "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked"),
                         (b"content-type", b"application/x-www-form-urlencoded")]}
    asyncio.run(app.middleware_stack(scope, receive, send) if app.middleware_stack
                else app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert receive.taken == 65, "reading stops at the first chunk past 64 KB"


@pytest.mark.parametrize("path", ["nope", "%2e%2e", "%2E%2E", "..%2Fetc", "%2e%2e%2fetc%2fpasswd",
                                  "naju-haderslev.yaml", "NAJU-HADERSLEV", "naju-haderslev%00"])
def test_unknown_and_path_like_ids_are_404(client, path):
    page = client.get(f"/campaigns/{path}")
    assert page.status_code == 404
    assert "There is no campaign" in page.text or "Not found" in page.text
    post = client.post(f"/campaigns/{path}/letters.pdf", data=METTE, headers=JSON)
    assert post.status_code == 404
    assert post.json()["errors"][0]["field"] is None


def test_dot_segments_never_leave_the_campaigns(client):
    for path in ("/campaigns/../etc/passwd", "/campaigns/../../campaigns/naju-haderslev.yaml",
                 "/campaigns/naju-haderslev/../../../etc/passwd"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text


def test_wrong_method(client):
    # A reload or bookmark of the letters' address leads back to the form, never a 405.
    response = client.get(PDF_URL, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/campaigns/naju-haderslev"
    response = client.put("/campaigns/naju-haderslev")
    assert response.status_code == 405
    assert "only takes the form's buttons" in html.unescape(response.text)


# -- off the event loop -------------------------------------------------------------------

@pytest.mark.slow  # kept out of the quick run (about a second)
def test_a_slow_render_does_not_stall_other_requests(monkeypatch):
    try:  # what Starlette's TestClient uses too
        import httpx2 as httpx
    except ImportError:  # pragma: no cover
        import httpx

    app = web.create_app(today=lambda: TODAY)
    real = web.app.produce_letters

    def slow(*args, **kwargs):
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(web.app, "produce_letters", slow)

    async def scenario() -> tuple[float, bool, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            slow_request = asyncio.ensure_future(client.post(PDF_URL, data=METTE))
            await asyncio.sleep(0.2)
            started = time.monotonic()
            health = await client.get("/healthz")
            elapsed = time.monotonic() - started
            was_pending = not slow_request.done()
            letters = await slow_request
            assert health.status_code == 200
            return elapsed, was_pending, letters.status_code

    elapsed, was_pending, status = asyncio.run(scenario())
    assert was_pending and status == 200
    assert elapsed < 0.5, f"/healthz waited {elapsed:.2f} s behind a PDF"


# -- an organizer's own folder ------------------------------------------------------------

@pytest.mark.slow  # kept out of the quick run (about a second)
def test_campaigns_folder_loads_good_files_and_skips_broken_ones(tmp_path, caplog):
    shutil.copy(campaign_file(), tmp_path / "naju-haderslev.yaml")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (tmp_path / "incomplete.yaml").write_text("id: incomplete\ntitle: Only a title\n",
                                              encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a campaign", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="campaign_letters.web"):
        app = web.create_app(tmp_path, today=lambda: TODAY)
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(skipped) == 2
    assert any("broken.yaml" in m for m in skipped)
    (incomplete,) = [m for m in skipped if "incomplete.yaml" in m]
    assert "summary" in incomplete, "the warning names the problems"
    with TestClient(app) as client:
        index = client.get("/").text
        assert 'href="/campaigns/naju-haderslev?lang=en"' in index
        assert "daegu-milan" not in index and "broken" not in index
        assert client.get("/campaigns/daegu-milan").status_code == 404
        assert client.get("/campaigns/broken").status_code == 404
        assert client.post(PDF_URL, data=METTE).status_code == 200


def test_campaign_emails_address_the_draft(tmp_path):
    text = campaign_text()
    with_mail = text.replace("    emails: []", "    emails: [borgmester@haderslev.dk]", 1)
    assert with_mail != text
    (tmp_path / "naju-haderslev.yaml").write_text(with_mail, encoding="utf-8")
    with TestClient(web.create_app(tmp_path, today=lambda: TODAY)) as client:
        page = html.unescape(client.get("/campaigns/naju-haderslev").text)
        assert "add the recipients' addresses yourself" not in page
        assert "mailto:borgmester@haderslev.dk?subject=" in page
        response = client.post(EML_URL, data=METTE)
    msg = email.message_from_bytes(response.content, policy=email.policy.default)
    assert msg["To"] == "borgmester@haderslev.dk"
    assert mailer.draft_line("da") not in msg.get_body(("plain",)).get_content()


def test_a_missing_campaigns_folder_is_an_error(tmp_path):
    with pytest.raises(web.CampaignError, match="is not a folder"):
        web.load_campaigns(tmp_path / "nowhere")


def test_the_language_links_stay_on_this_site(client):
    """Found in review: a path of "//other.example/x" made links to another site."""
    page = client.get("http://testserver//evil.example/x").text
    assert 'href="//evil.example' not in page
    assert 'href="/evil.example/x?lang=da"' in page
