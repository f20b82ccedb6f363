"""Rendered pages against reference images (tests/helpers/visual.py): every page of two
fixed letter packs, compared with tests/cases/<case>-<page>.png. After an intended visual
change, regenerate with

    CAMPAIGN_LETTERS_REGENERATE=1 python -m pytest tests/layout -m visual

and look at the new images before committing them.
"""

from __future__ import annotations

import pytest

from tests.helpers.letters import letters_pdf
from tests.helpers.samples import CHRIS, METTE, TODAY
from tests.helpers.visual import assert_pages_match

CASES = {
    # case: (campaign, sender, language)
    "naju-haderslev-dk-da": ("naju-haderslev", METTE, "da"),
    "naju-haderslev-ca-en": ("naju-haderslev", CHRIS, "en"),
}


def render_case(case: str) -> bytes:
    campaign_id, sender_fields, language = CASES[case]
    return letters_pdf(campaign_id, sender_fields, language=language, date=TODAY, title=case)


@pytest.mark.visual
@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_match_references(case, tmp_path):
    pdf = tmp_path / f"{case}.pdf"
    pdf.write_bytes(render_case(case))
    assert_pages_match(pdf, case, tmp_path)
