"""The switch that turns the speed shortcuts off (shortcuts.py) gives the same letters:
the same words at the same places and the same page images, for every bundled campaign
and language and names in every script the fonts cover."""

from __future__ import annotations

import itertools
import os
import re
import subprocess

import pytest

from campaign_letters import bundled_ids, load_campaign, make_sender, produce_letters
from tests.helpers import ADDRESSES, AFTER_ELECTIONS, cli_process
from tests.helpers.pdf_text import tool

pytestmark = pytest.mark.slow  # 400 letters' PDFs read back

GIVEN = ["Mette", "Søren", "Zoë", "Łukasz", "Ελένη", "Дмитрий", "민지", "さくら", "Ngọc",
         "François", "Ærbø", "Ἀθηνᾶ", "Юлия", "José-María", "Şükrü", "Ólafur", "Þóra",
         "Владимир", "서연", "美咲"]
FAMILY = ["Hansen", "Ødegård", "Wójcik", "Παπαδοπούλου", "Иванов", "김", "山田", "Nguyễn",
          "Dupont", "Qvist"]
NAMES = [f"{g} {f}" for g, f in itertools.islice(itertools.product(GIVEN, FAMILY), 200)] + [
    # Shaped by HarfBuzz and drawn glyph by glyph, shortcuts or not.
    "فاطمة الزهراء", "Fatima الزهراء Khan", "प्रिया शर्मा", "דוד לוי", "สมศักดิ์ ใจดี"]
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: bytes) -> list[tuple[str, ...]]:
    """Each word with its box, to a thousandth of a point: a shared drawing sums the
    same heights in another order, which changes the last digits and nothing a reader
    could see."""
    out = subprocess.run([tool("pdftotext"), "-bbox", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode()
    return [(*(f"{float(n):.3f}" for n in found[:-1]), found[-1])
            for found in WORD.findall(out)]


def cases():
    campaigns = [load_campaign(c, today=AFTER_ELECTIONS) for c in bundled_ids()]
    options = [(c, language) for c in campaigns
               for language in (None, *c.languages,
                                *(f"{a}+{b}" for a in c.languages for b in c.languages
                                  if a != b))]
    for name, (campaign, language) in zip(NAMES, itertools.cycle(options), strict=False):
        country = campaign.partner_city.country
        yield campaign, language, make_sender(name=name, **ADDRESSES[country])


def test_plain_and_quick_letters_read_the_same_at_the_same_places(tmp_path):
    images = 0
    for number, (campaign, language, sender) in enumerate(cases()):
        quick = produce_letters(campaign, sender, date=AFTER_ELECTIONS,
                                language=language)
        plain = produce_letters(campaign, sender, date=AFTER_ELECTIONS,
                                language=language, plain=True)
        assert quick.pages == plain.pages, (campaign.id, language, sender.name)
        assert words(quick.pdf) == words(plain.pdf), (campaign.id, language, sender.name)
        if number % 25 == 0 or number == len(NAMES) - 1:  # and the pages look the same
            images += 1
            for kind, pdf in (("quick", quick.pdf), ("plain", plain.pdf)):
                (tmp_path / f"{number}-{kind}.pdf").write_bytes(pdf)
                subprocess.run([tool("pdftoppm"), "-r", "60", "-png",
                                str(tmp_path / f"{number}-{kind}.pdf"),
                                str(tmp_path / f"{number}-{kind}")], check=True)
            quick_pages = sorted(tmp_path.glob(f"{number}-quick-*.png"))
            plain_pages = sorted(tmp_path.glob(f"{number}-plain-*.png"))
            assert len(quick_pages) == len(plain_pages)
            for a, b in zip(quick_pages, plain_pages, strict=True):
                assert a.read_bytes() == b.read_bytes(), (a.name, campaign.id, language)
    assert images == 10


def test_the_environment_switch_reaches_packs_too(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,street,postal_code,city,country\n" + "".join(
        f"{name},Vej {i},8000,Aarhus,DK\n" for i, name in enumerate(NAMES[:12])),
        encoding="utf-8")
    made = {}
    for mode in ("0", "1"):
        out = tmp_path / f"pack-{mode}"
        result = cli_process("pack", "naju-haderslev", "--roster", roster, "-o", out,
                             "--date", "2026-12-02",
                             env={**os.environ, "CAMPAIGN_LETTERS_PLAIN": mode})
        assert result.returncode == 0, result.stderr
        made[mode] = (out / "print-pack.pdf").read_bytes()
    assert made["0"] != made["1"], "the switch changed nothing"
    assert words(made["0"]) == words(made["1"])
