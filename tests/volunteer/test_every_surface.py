"""One check of what a volunteer typed (volunteer/check.py), the same problems on every
surface, all at once: the command line, the page (HTML and JSON, in the page's language,
each problem linked to its field) and a pack's roster row.

The input is the one a new user tried: an Italian sender with an empty city, the
postcode 1012 and the region "Lombardia", which once took three round trips on the page.
"""

from __future__ import annotations

import csv
import html
import re

import pytest
from starlette.testclient import TestClient

from campaign_letters import check_volunteer, load_campaign, web
from tests.helpers import TODAY
from tests.helpers.commands import cli_process

ITALIAN = {"name": "Giulia Rossi", "street": "Via Roma 1", "postal_code": "1012",
           "city": "", "region": "Lombardia", "country": "IT"}
PROBLEM_FIELDS = ["postal_code", "city", "region"]


def test_the_check_finds_every_problem_at_once():
    asked, problems = check_volunteer(load_campaign("daegu-milan"), ITALIAN)
    assert asked is None
    assert [p.field for p in problems] == PROBLEM_FIELDS
    assert "1012" in problems[0].message
    assert "Milano (MI)" in problems[2].message  # Lombardy's provinces, named


def test_the_check_passes_a_valid_request_through():
    asked, problems = check_volunteer(load_campaign("daegu-milan"),
                                      {**ITALIAN, "postal_code": "20121", "city": "Milano",
                                       "region": "MI", "language": "it+en", "note": "Ciao",
                                       "paper": "letter"})
    assert problems == []
    assert asked is not None
    assert (asked.sender.city, asked.language, asked.note, asked.paper) == \
        ("Milano", "it+en", "Ciao", "letter")


def test_the_command_line_reports_all_three_in_one_run(tmp_path):
    result = cli_process("letter", "daegu-milan", "--name", "Giulia Rossi", "--street",
                         "Via Roma 1", "--postal-code", "1012", "--city", "",
                         "--region", "Lombardia", "--country", "IT", "-o",
                         tmp_path / "l.pdf")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == \
        ["--postal-code", "--city", "--region"], result.stderr
    assert not (tmp_path / "l.pdf").exists()


@pytest.fixture(scope="module")
def client():
    with TestClient(web.create_app(today=lambda: TODAY)) as test_client:
        yield test_client


@pytest.mark.slow  # kept out of the quick run (about a second)
def test_the_page_reports_all_three_in_one_response_in_its_language(client):
    response = client.post("/campaigns/daegu-milan?lang=it", data={**ITALIAN,
                                                                    "action": "pdf"})
    assert response.status_code == 400
    page = response.text
    summary = page[page.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    # Each problem in the summary links to its field, and the field shows it beside it.
    for field in PROBLEM_FIELDS:
        assert f'href="#f-{field}"' in summary, field
        beside = re.search(rf'id="f-{field}-error">(.*?)</p>', page, re.S)
        assert beside and html.unescape(beside.group(1)).strip(), field
    assert "è obbligatorio e non può essere vuoto" in html.unescape(page)  # in Italian


def test_the_page_as_json_reports_all_three(client):
    response = client.post("/campaigns/daegu-milan/letters.pdf",
                           data={**ITALIAN}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == PROBLEM_FIELDS


@pytest.mark.slow  # kept out of the quick run (about a second)
def test_a_pack_row_reports_all_its_problems(tmp_path):
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "street", "postal_code", "city", "region", "country"])
        writer.writerow(["Giulia Rossi", "Via Roma 1", "1012x", "", "Lombardia", "IT"])
    result = cli_process("pack", "daegu-milan", "--roster", roster, "-o", tmp_path / "p",
                         "--date", TODAY.isoformat(), "--jobs", "1")
    assert result.returncode == 1
    for field in PROBLEM_FIELDS:
        assert f"{roster}: row 2, {field}: " in result.stderr, result.stderr
    with (tmp_path / "p" / "manifest.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert [part.split(":")[0] for part in row["problem"].split("; ")] == PROBLEM_FIELDS
