"""Letters made through the public API (campaign, sender, options -> PDF), and read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.helpers.pdf_text import pdftotext
from tests.helpers.samples import METTE, TODAY


def make_letters(campaign: Any = "naju-haderslev", sender: dict[str, Any] = METTE, *,
                 language: str | None = None, date: dt.date = TODAY, **options: Any) -> list:
    """compose_letters for a campaign (an id, a path or a loaded Campaign) and a sender's
    fields; ``options`` are LetterOptions' others (to, paper, note...)."""
    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender

    if isinstance(campaign, str | Path):
        campaign = load_campaign(campaign, today=date)
    return compose_letters(campaign, make_sender(**sender),
                           LetterOptions(language=language, date=date, **options))


def letters_pdf(campaign: Any = "naju-haderslev", sender: dict[str, Any] = METTE, *,
                title: str = "title", **options: Any) -> bytes:
    """The PDF of make_letters(...), as render_letters writes it."""
    from campaign_letters import render_letters

    return render_letters(make_letters(campaign, sender, **options), title)


def letters_text(campaign: Any = "naju-haderslev", sender: dict[str, Any] = METTE,
                 **options: Any) -> str:
    """The text of letters_pdf(...), as poppler reads it."""
    return pdftotext(letters_pdf(campaign, sender, **options))
