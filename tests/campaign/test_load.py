"""Campaign files: the bundled ones are valid; broken ones give positioned problems."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign_letters.campaign.load import (
    bundled_ids,
    check_campaign,
    load_campaign,
    resolve_campaign_path,
)
from campaign_letters.errors import CampaignValidationError, UnknownCampaignError
from tests.helpers import TODAY, campaign_text
from tests.helpers import check_text as problems_of

NAJU = campaign_text()


def test_bundled_campaigns_are_the_four_sources():
    assert bundled_ids() == ["daegu-milan", "icheon-limoges", "naju-haderslev",
                             "paju-coquitlam"]


@pytest.mark.parametrize("campaign_id", bundled_ids())
def test_bundled_campaign_has_no_errors(campaign_id):
    campaign, problems = check_campaign(resolve_campaign_path(campaign_id), TODAY)
    assert campaign is not None, problems
    assert all(p.is_warning for p in problems)
    # Nobody has confirmed the officials recently: every campaign says so.
    assert any("confirm" in p.message for p in problems)


def test_naju_recipients_in_order():
    campaign = load_campaign("naju-haderslev", TODAY)
    recipients = campaign.postal_recipients
    assert [r.id for r in recipients] == ["haderslev-mayor", "naju-mayor", "naju-council"]
    assert recipients[0].role == "primary"
    assert recipients[1].address_ko.street == "시청길 22"
    assert campaign.languages == ("en", "da")
    assert all(not r.emails for r in campaign.recipients)


def test_paju_city_hall_from_its_source_and_the_council_missing():
    campaign = load_campaign("paju-coquitlam", TODAY)
    assert [r.id for r in campaign.postal_recipients] == ["coquitlam-mayor-council",
                                                          "paju-mayor"]
    assert campaign.postal_recipients[0].address.postal_code == "V3B 7N2"
    paju = campaign.postal_recipients[1]
    assert (paju.address_ko.street, paju.address_ko.postal_code) == ("시청로 50", "10932")
    assert paju.address.street == ("50 Sicheong-ro",)
    assert [r.id for r in campaign.missing_recipients] == ["paju-council"]
    assert all(r.address is None and r.missing for r in campaign.missing_recipients)
    assert campaign.messages["en"].adapted


def test_daegu_province_corrected():
    campaign = load_campaign("daegu-milan", TODAY)
    korean = [r for r in campaign.recipients if r.address and r.address.country == "KR"]
    assert korean and all(r.address.region == "Daegu" for r in korean)


def test_unknown_key_suggests_close_match(tmp_path):
    _, problems = problems_of(tmp_path, NAJU.replace("\ntitle:", "\ntitel:", 1))
    line = NAJU.split("\n").index(next(x for x in NAJU.split("\n") if x.startswith("title:")))
    assert f"FILE:{line + 1}: titel: unknown key 'titel'; did you mean 'title'?" in problems
    assert any("missing required field 'title'" in p for p in problems)


def test_every_problem_reported_at_once(tmp_path):
    broken = (NAJU.replace('postal_code: "6100"', "postal_code: 61000")
              .replace("role: copy", "role: kopy", 1)
              .replace("      name: Mads Skau", "      name: Mads Skau\n      name: Mads", 1))
    campaign, problems = problems_of(tmp_path, broken)
    assert campaign is None
    text = "\n".join(problems)
    assert "recipients[0].holder.name: duplicate key 'name'" in text
    assert 'quote it: "61000"' in text
    assert "'kopy' is not one of primary, copy; did you mean 'copy'?" in text
    assert all(p.startswith("FILE:") for p in problems)


def test_invalid_postcode_for_country(tmp_path):
    _, problems = problems_of(tmp_path, NAJU.replace('postal_code: "6100"',
                                                     'postal_code: "61000"'))
    assert any("recipients[0].address.postal_code: '61000' is not a valid postcode for Denmark"
               in p for p in problems)


def test_korean_and_latin_postcodes_must_agree(tmp_path):
    text = NAJU.replace('        postal_code: "58263"\n        region: 전라남도',
                        '        postal_code: "58264"\n        region: 전라남도', 1)
    assert text != NAJU
    _, problems = problems_of(tmp_path, text)
    assert any("address_ko[0].postal_code: 58264 disagrees with the Latin address's postcode "
               "58263" in p for p in problems)


def test_wrong_province_is_caught(tmp_path):
    text = NAJU.replace("region: Jeollanam-do", "region: Gyeongsangbuk-do", 1)
    _, problems = problems_of(tmp_path, text)
    assert any("postcode for Gyeongsangbuk-do, South Korea" in p for p in problems)


def test_emoji_in_campaign_text_is_an_error(tmp_path):
    _, problems = problems_of(tmp_path, NAJU.replace("title: \"Friendship",
                                                     "title: \"📬 Friendship", 1))
    assert any("title: U+1F4EC (OPEN MAILBOX WITH RAISED FLAG) cannot be printed" in p
               for p in problems)


def test_placeholder_email_refused(tmp_path):
    text = NAJU.replace("    emails: []", '    emails: ["[email protected]"]', 1)
    _, problems = problems_of(tmp_path, text)
    assert any("placeholder" in p and "emails[0]" in p for p in problems)


def test_holders_confirmed_before_the_last_election_warn_with_its_date(tmp_path):
    campaign, problems = problems_of(tmp_path, NAJU)
    assert campaign is not None
    [warning] = [p for p in problems if "holder" in p]
    assert "warning: recipients[1].holder.confirmed: Mayor of Naju: Yoon Byung-tae was " \
           "confirmed on 2022-06-05, before the 9th South Korean local elections of " \
           "2026-06-03" in warning
    assert not any("Haderslev" in p for p in problems), "Mads Skau is confirmed since"
    confirmed = NAJU.replace('confirmed: "2022-06-05"', 'confirmed: "2026-06-05"')
    _, problems = problems_of(tmp_path, confirmed)
    assert not any("holder" in p for p in problems)


def test_a_holder_confirmed_over_two_years_ago_warns(tmp_path):
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(NAJU, encoding="utf-8")
    _, problems = check_campaign(path, dt.date(2027, 12, 1))  # no Danish election since
    assert any("recipients[0].holder.confirmed: Mayor of Haderslev: Mads Skau was last "
               "confirmed on 2025-11-19, over two years ago" in str(p) for p in problems)


@pytest.mark.parametrize(("content", "expected"), [
    ("", "FILE:1: the file is empty"),
    ("id: x\n\ttitle: y\n", "FILE:2: YAML syntax error: found character '\\t' that cannot "
                            "start any token (while scanning for the next token); indent "
                            "with spaces, not tabs"),
    ("id: !!python/object/apply:os.system ['echo hi']\n",
     "FILE:1: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
     "FILE:1: anchors and aliases (& and *) are not allowed"),
    ("- just\n- a list\n", "FILE:1: the file must be a mapping"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "FILE:1: lists and mappings are nested more "
                                              "than 20 levels deep"),
    ("id: naju\ntitle: 'unclosed\n", "FILE:3: YAML syntax error"),
])
def test_broken_files_one_clear_line(tmp_path, content, expected):
    campaign, problems = problems_of(tmp_path, content, "x.yaml")
    assert campaign is None
    assert any(p.startswith(expected) for p in problems), problems


def test_wrong_encoding(tmp_path):
    _, problems = problems_of(tmp_path, "id: x\ntitle: Zo\xeb\n".encode("latin-1"), "x.yaml")
    assert problems == ["FILE:2: byte 0xeb is not UTF-8; save the file as UTF-8 (most "
                        "editors: 'Save with encoding')"]


def test_huge_file_refused(tmp_path):
    _, problems = problems_of(tmp_path, "# " + "x" * 1_100_000 + "\n", "x.yaml")
    assert "campaign files are limited to 1,000,000 bytes" in problems[0]


def test_unknown_campaign_lists_ids():
    with pytest.raises(UnknownCampaignError, match=r"did you mean naju-haderslev\?.*Available: "
                                                   r"daegu-milan, icheon-limoges"):
        resolve_campaign_path("naju-hadreslev")


def test_campaign_id_cannot_name_a_path():
    with pytest.raises(UnknownCampaignError):
        resolve_campaign_path("../fonts/NotoSans-Regular")


def test_load_raises_with_all_problems(tmp_path):
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(NAJU.replace("role: primary", "role: main"), encoding="utf-8")
    with pytest.raises(CampaignValidationError) as info:
        load_campaign(path, TODAY)
    assert "'main' is not one of primary, copy" in str(info.value)
