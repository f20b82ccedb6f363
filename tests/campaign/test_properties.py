"""Property-based: whatever a campaign's subject, salutation, paragraph or closing holds,
it prints exactly, or the check refuses it at its line; never a traceback.

(Strategies, the example counts and the comparisons: tests/helpers/strategies.py.)
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from campaign_letters import load_campaign, make_sender, produce_letters
from campaign_letters.errors import CampaignLettersError, CampaignValidationError
from tests.helpers import METTE, TODAY, campaign_file
from tests.helpers.pdf_text import pdfium_text, pdftotext
from tests.helpers.strategies import LONG_TEXT, MARKUP, TEXT, comparable

pytestmark = pytest.mark.slow  # thousands of cases

BASE_CAMPAIGN = campaign_file()


@given(subject=st.one_of(TEXT, LONG_TEXT), salutation=TEXT, paragraph=LONG_TEXT,
       closing=st.one_of(TEXT, MARKUP))
def test_any_campaign_text_prints_exactly_or_is_refused_at_its_line(subject, salutation,
                                                                     paragraph, closing):
    data = yaml.safe_load(BASE_CAMPAIGN.read_text(encoding="utf-8"))
    data["messages"]["en"].update(subject=subject, salutation=salutation, body=[paragraph],
                                  closing=closing)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "campaign.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        try:
            campaign = load_campaign(path, today=TODAY)
        except CampaignValidationError as exc:
            for problem in exc.problems:
                assert re.match(r".*campaign\.yaml:\d+: ", str(problem)), str(problem)
                assert "\n" not in str(problem) and "Traceback" not in str(problem)
            first = next(p for p in exc.problems if not p.is_warning)
            event("refused: " + str(first).split(": ", 2)[1])
            return
    sender = make_sender(**METTE)
    try:
        pack = produce_letters(campaign, sender, date=TODAY, to="primary",
                               language="en")
    except CampaignLettersError as exc:  # e.g. an address that no longer fits: one line
        assert "\n" not in str(exc) and "Traceback" not in str(exc)
        event("refused when rendering")
        return
    event("printed")
    message = campaign.messages["en"]
    for text in (pdftotext(pack.pdf), pdfium_text(pack.pdf)):
        for part in (message.subject, message.salutation, message.body[0], message.closing):
            assert comparable(part) in comparable(text)
