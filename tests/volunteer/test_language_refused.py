"""A language the campaign has no message in (issue 22): refused with which languages
the campaign has and why no other, in the letters' catalog, so the page says it in its
own language; for Korean, also what the copies to South Korea are in."""

from __future__ import annotations

import dataclasses
import html

import pytest
from starlette.testclient import TestClient

from campaign_letters import check_volunteer, load_campaign, web
from tests.helpers import DK_ARGS, METTE, TODAY

NAJU = load_campaign("naju-haderslev")

ENGLISH = ("'ko' is not a language of campaign naju-haderslev; choose one of en, da (or a "
           "pair such as da+en): the campaign's message is written in English and Danish "
           "only, and the letters print it as written. By default the copies to South "
           "Korea go in English, which their city halls read.")
DANISH = ("'ko' er ikke et sprog i kampagnen naju-haderslev; vælg et af en, da (eller et "
          "par som da+en): kampagnens tekst er kun skrevet på engelsk og dansk, og brevene "
          "gengiver den, som den er skrevet. Som standard sendes kopierne til Sydkorea på "
          "engelsk, som rådhusene dér læser.")


def test_the_command_line_says_which_languages_and_why_not_korean(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--language", "ko",
                     "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"Error: --language: {ENGLISH}"
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("language", "words"), [
    ("da", ["engelsk og dansk", "Sydkorea"]),
    ("it", ["inglese e danese", "Corea del Sud"]),
    ("fr", ["anglais et danois", "Corée du Sud"]),
    ("ko", ["영어 및 덴마크어", "대한민국"]),
    ("de", ["Englisch und Dänisch", "Südkorea"]),
])
def test_the_reason_in_each_language_of_the_catalogs(language, words):
    _, problems = check_volunteer(NAJU, {**METTE, "language": "da+ko"})
    (problem,) = problems
    text = problem.localized(language)
    assert problem.field == "language" and problem.message == ENGLISH
    for word in ["'ko'", "naju-haderslev", "en, da", "da+en", *words]:
        assert word in text, (word, text)
    assert language != "da" or text == DANISH


@pytest.mark.slow  # the app starts (two seconds); the words are checked above
def test_the_page_says_it_in_danish():
    with TestClient(web.create_app(today=lambda: TODAY)) as client:
        response = client.post("/campaigns/naju-haderslev?lang=da",
                               data={**METTE, "street": METTE["street"][0],
                                     "language": "ko", "action": "pdf"})
    assert response.status_code == 400
    assert DANISH in html.unescape(response.text)


def test_another_language_gets_the_reason_without_the_korean_copies():
    _, (problem,) = check_volunteer(NAJU, {**METTE, "language": "it"})
    assert problem.message.startswith("'it' is not a language of campaign naju-haderslev; "
                                      "choose one of en, da (or a pair such as da+en): ")
    assert "South Korea" not in problem.message


def test_a_campaign_in_english_alone():
    english_only = dataclasses.replace(NAJU, messages={"en": NAJU.messages["en"]})
    _, (problem,) = check_volunteer(english_only, {**METTE, "language": "da"})
    assert problem.message == (
        "'da' is not a language of campaign naju-haderslev; it has only en: the campaign's "
        "message is written in English only, and the letters print it as written.")
    assert "kun skrevet på engelsk" in problem.localized("da")
