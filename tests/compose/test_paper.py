"""Sheet sizes and where the envelope window is: the numbers behind the address position."""

from __future__ import annotations

import pytest

from campaign_letters.compose import paper


@pytest.mark.parametrize(("country", "paper_name", "envelope"), [
    ("US", "letter", "us-10"), ("CA", "letter", "us-10"), ("PH", "letter", "us-10"),
    ("DK", "a4", "din-5008-b"), ("KR", "a4", "din-5008-b"), ("GB", "a4", "din-5008-b"),
])
def test_auto_paper(country, paper_name, envelope):
    g = paper.resolve("auto", "auto", country)
    assert (g.paper, g.envelope) == (paper_name, envelope)


def test_explicit_paper_and_envelope():
    assert paper.resolve("a4", "din-5008-a", "US").address_field.top == pytest.approx(
        27 / 25.4 * 72)
    assert paper.resolve("auto", "us-10", "DK").paper == "letter"
    with pytest.raises(ValueError, match="use --envelope us-10 with --paper letter"):
        paper.resolve("letter", "din-5008-b", "DK")


def test_din_5008_b_numbers():
    g = paper.resolve("a4", "din-5008-b", "DK")
    mm = 72 / 25.4
    assert (g.address_field.left, g.address_field.top) == pytest.approx((20 * mm, 45 * mm))
    assert (g.address_field.width, g.address_field.height) == pytest.approx((85 * mm, 45 * mm))
    assert g.recipient_zone.top == pytest.approx(62.7 * mm)
    assert g.fold_marks == pytest.approx((105 * mm, 210 * mm))


def test_us_10_band():
    g = paper.resolve("letter", "us-10", "US")
    assert g.recipient_zone.top == pytest.approx(2.5 * 72)
    assert g.recipient_zone.bottom == pytest.approx(3.17 * 72)
    assert g.recipient_zone.left >= 0.875 * 72
    assert g.recipient_zone.right <= 4.375 * 72
    assert g.return_zone is None
