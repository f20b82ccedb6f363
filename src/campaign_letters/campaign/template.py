"""The template ``campaign-letters new`` writes, and the schema line of copied files.

``new-campaign.yaml`` beside this module is a campaign with every field present or shown
in a comment; each value to write starts with ``FILL IN`` (``PLACEHOLDER``), which
``checks`` reports, with its line, as still to fill.
"""

from __future__ import annotations

from pathlib import Path

from campaign_letters.resources import SCHEMA_PATH

TEMPLATE = Path(__file__).with_name("new-campaign.yaml")
PLACEHOLDER = "FILL IN"
SCHEMA_LINE = "# yaml-language-server: $schema="


def new_campaign_text(campaign_id: str) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    return with_schema_line(text.replace("CAMPAIGN_ID", campaign_id, 1))


def with_schema_line(text: str) -> str:
    """``text`` whose first line points editors at the installed schema (the bundled
    files' relative path only holds inside a checkout)."""
    first, newline, rest = text.partition("\n")
    if not first.startswith(SCHEMA_LINE):
        return text
    return f"{SCHEMA_LINE}{SCHEMA_PATH.as_uri()}{newline}{rest}"
