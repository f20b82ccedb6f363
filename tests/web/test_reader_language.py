"""Every word a volunteer reads on the page is in the page's language, or marked with its
own (issue 22): no organizer's note, office titles in the page's language where the
campaign has them and marked English where it has not, addresses and labels marked with
their language, the country the form starts with, the mailto: text's own note. In
process (Starlette's TestClient)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from starlette.testclient import TestClient

from campaign_letters import web
from campaign_letters.mail import draft
from campaign_letters.wording import web_text
from tests.helpers import TODAY

CAMPAIGNS = ("naju-haderslev", "daegu-milan", "icheon-limoges", "paju-coquitlam")
# Words of the campaigns' English texts (titles, offices, organizers' notes) that no
# Danish, Italian, French or Korean sentence of the page uses.
ENGLISH = {"mayor", "council", "city", "campaign", "friendship", "sister", "source",
           "captured", "lost", "section", "address", "letters", "the", "of", "and", "no",
           "gives", "adapted", "copy", "south", "korea"}


@pytest.fixture(scope="module")
def client():
    with TestClient(web.create_app(today=lambda: TODAY)) as test_client:
        yield test_client


class Runs(HTMLParser):
    """The page's text runs, each with the language it is marked with (inherited)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.runs: list[tuple[str | None, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            inherited = self.stack[-1][1] if self.stack else None
            self.stack.append((tag, dict(attrs).get("lang") or inherited))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and self.stack and self.stack[-1][0] not in ("title", "option"):
            self.runs.append((self.stack[-1][1], " ".join(data.split())))


def runs(page: str) -> list[tuple[str | None, str]]:
    parser = Runs()
    parser.feed(page)
    return parser.runs


@pytest.mark.parametrize("language", ["da", "it", "fr", "ko"])
def test_no_unmarked_english_on_a_page_in_another_language(client, language):
    """Campaign texts are English (title, summary, messages): each is marked so. Every
    run of text the page gives in its own language holds none of their words."""
    for path in ("/", *(f"/campaigns/{c}" for c in CAMPAIGNS), "/campaigns/nowhere",
                 "/nowhere"):
        page = client.get(f"{path}?lang={language}").text
        stray = [text for lang, text in runs(page) if lang == language and
                 set(re.findall(r"[a-z]+", text.lower())) & ENGLISH]
        assert not stray, (path, stray)


def test_the_organizers_note_on_a_missing_address_is_not_shown(client):
    """paju-coquitlam's `missing:` text is English, for organizers: the page says in its
    own words (the letters' catalog, as the command line says it) that no address is
    known."""
    note = "No source gives Paju City Council's postal address"
    expected = {
        "en": "No letter goes to Paju City Council: the campaign has no postal address for it.",
        "da": 'Der sendes intet brev til <span lang="en">Paju City Council</span>: kampagnen '
              "har ingen postadresse.",
        "ko": "파주시의회에는 편지를 보내지 않습니다. 캠페인 자료에 우편 주소가 없습니다.",
    }
    for language, sentence in expected.items():
        page = client.get(f"/campaigns/paju-coquitlam?lang={language}").text
        assert note not in html.unescape(page)
        missing = re.search(r'<div class="missing">\s*<p>(.*?)</p>', page, re.S)
        assert missing and html.unescape(missing.group(1)) == sentence, language
    # Nor is a message's `adapted:` record: a sentence in the page's language instead.
    page = html.unescape(client.get("/campaigns/paju-coquitlam?lang=da").text)
    assert "Adapted from the message template" not in page
    assert '<p class="note" lang="da">Kampagnens side mistede sit eget forslag' in page


def test_office_titles_in_the_pages_language_or_marked_english(client):
    french = client.get("/campaigns/naju-haderslev?lang=fr").text
    # The campaign has no French title for Naju's or Haderslev's offices: English, marked.
    assert '<h3><span lang="en">Mayor of Haderslev</span>: Mads Skau</h3>' in french
    assert 'Personne n’a confirmé qui est <span lang="en">Mayor of Naju</span> depuis' \
        in html.unescape(french)
    assert 'la lettre au <span lang="en">Mayor of Haderslev</span> en danois' \
        in html.unescape(french)
    # Where it has them, the page's own: Limoges's mayor in French, Naju's in Korean.
    limoges = html.unescape(client.get("/campaigns/icheon-limoges?lang=fr").text)
    assert "<h3>Maire de Limoges" in limoges and "la lettre au maire de Limoges" in limoges
    assert "<h3><span lang=\"en\">" not in limoges
    korean = html.unescape(client.get("/campaigns/naju-haderslev?lang=ko").text)
    assert "<h3>나주시장 " in korean and "이후 나주시장이(가) 누구인지" in korean


def test_addresses_and_labels_carry_their_language(client):
    danish = client.get("/campaigns/paju-coquitlam?lang=da").text
    assert '<address lang="en">\nMAYOR AND COUNCIL<br>' in danish
    assert re.search(r'<address lang="ko">\s*파주시장님<br>\(10932\) 경기도 파주시 시청로 50'
                     r'<br><span lang="en">SOUTH KOREA</span>', danish)
    assert '(<span lang="ko">대표전화</span>)' in danish
    assert 'Med latinske bogstaver: <span lang="en">Mayor of Paju, City of Paju,' in danish
    french = client.get("/campaigns/naju-haderslev?lang=fr").text
    assert '<address lang="da">' in french and '(<span lang="da">Mobil</span>)' in french
    italian = client.get("/campaigns/icheon-limoges?lang=it").text
    assert '(<span lang="en">Mayor’s office</span>)' in italian
    # The Danish message's link to an English page keeps the page's English title, marked.
    assert '<li lang="en"><a href="https://koreandogs.org/friendship-city-naju-haderslev/"' \
        in client.get("/campaigns/naju-haderslev?lang=da").text


@pytest.mark.parametrize(("language", "campaign", "country"), [
    ("ko", "naju-haderslev", "KR"), ("ko", "daegu-milan", "KR"),
    ("da", "naju-haderslev", "DK"), ("da", "daegu-milan", "DK"),
    ("fr", "naju-haderslev", "DK"), ("fr", "icheon-limoges", "FR"),
    ("it", "icheon-limoges", "FR"), ("en", "paju-coquitlam", "CA")])
def test_the_form_starts_with_the_page_languages_own_country(client, language, campaign,
                                                             country):
    """Korean and Danish are one country's own: their pages start there. English, French
    and Italian are several countries' languages: the campaign's partner country."""
    page = client.get(f"/campaigns/{campaign}?lang={language}").text
    assert re.findall(r'<option value="([A-Z]{2})" selected>', page) == [country]
    assert f'<input type="hidden" name="country" value="{country}">' in page
    browser = client.get(f"/campaigns/{campaign}",
                         headers={"Accept-Language": f"{language};q=0.9"}).text
    assert re.findall(r'<option value="([A-Z]{2})" selected>', browser) == [country]


def test_the_korean_page_asks_for_a_korean_address(client):
    page = client.get("/campaigns/naju-haderslev?lang=ko").text
    assert "보내는 사람: 대한민국 주소" in page
    assert '<option value="KR" selected>대한민국</option>' in page
    assert '<option value="en" selected>' not in page  # automatic: English, for Korea
    # A chosen country still wins.
    chosen = client.get("/campaigns/naju-haderslev?lang=ko&country=DK").text
    assert '<option value="DK" selected>덴마크</option>' in chosen


def test_the_mailto_text_cut_to_fit_ends_in_its_own_language(client):
    page = client.get("/campaigns/naju-haderslev?lang=en").text
    links = dict(re.findall(r'<details class="message" lang="(\w+)".*?href="(mailto:[^"]*)"',
                            page, re.S))
    danish = unquote(html.unescape(links["da"]))
    assert danish.endswith(web_text("da", draft.MAILTO_CUT_NOTE))
    assert danish.endswith("hele teksten står i PDF’en.)")
    assert "The message is cut here" not in danish
    assert unquote(html.unescape(links["en"])).endswith(draft.MAILTO_CUT_NOTE)


@pytest.mark.parametrize("path", ["/nowhere", "/fonts/nothing.woff2",
                                  "/fonts/hangul-NOT-A-HASH.woff2"])
def test_an_unknown_address_is_answered_in_the_pages_language(client, path):
    page = client.get(f"{path}?lang=da")
    assert page.status_code == 404
    assert "Der er intet på denne adresse" in page.text and "Not Found" not in page.text
