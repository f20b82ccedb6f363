"""Campaign YAML -> Campaign model, reporting every problem at once with its line.

Three passes over one parsed document (``yamlfile`` parses it safely; ``checks`` runs them):
1. shape: the published JSON Schema (campaign.schema.json), errors rewritten for people;
2. facts: postcodes valid for their country, Korean and Latin addresses agreeing, links
   and recipients consistent, every character printable by the bundled fonts;
3. officials: one warning per office holder that no source has confirmed since the
   office's latest election (letters then address the office; see compose/officials.py).
A file with errors never becomes a Campaign; warnings never stop one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path

from campaign_letters.campaign.build import build_campaign
from campaign_letters.campaign.checks import CampaignChecker
from campaign_letters.campaign.yamlfile import (
    read_yaml,
)
from campaign_letters.errors import (
    CampaignValidationError,
    Problem,
    UnknownCampaignError,
    YamlFileError,
)
from campaign_letters.model import (
    Campaign,
)
from campaign_letters.resources import campaigns_dir


def bundled_ids() -> list[str]:
    return sorted(path.stem for path in campaigns_dir().glob("*.yaml"))


def resolve_campaign_path(ref: str) -> Path:
    """A bundled id or a path to a YAML file -> the file's path."""
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        if not candidate.is_file():
            raise UnknownCampaignError(f"campaign file {ref} does not exist")
        return candidate
    bundled = campaigns_dir() / f"{ref}.yaml"
    # Only plain ids name bundled files: nothing typed can reach outside campaigns/.
    if ref in bundled_ids() and bundled.is_file():
        return bundled
    ids = bundled_ids()
    close = get_close_matches(ref, ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise UnknownCampaignError(
        f"unknown campaign {ref!r}{hint} Available: {', '.join(ids)} (or give a path to a "
        ".yaml file)")


def load_campaign(ref: str | Path, today: dt.date | None = None) -> Campaign:
    """Load a bundled id or a file; raise CampaignValidationError if it has errors."""
    campaign, problems = check_campaign(ref, today)
    if campaign is None:
        raise CampaignValidationError(problems)
    return campaign


def check_campaign(ref: str | Path, today: dt.date | None = None
                   ) -> tuple[Campaign | None, list[Problem]]:
    """Validate a campaign; return it (None if it has errors) and every problem found."""
    path = ref if isinstance(ref, Path) else resolve_campaign_path(ref)
    try:
        doc = read_yaml(path, display_path=_display(path))
    except YamlFileError as exc:
        return None, exc.problems
    checker = CampaignChecker(doc, path, today or dt.date.today())
    problems = checker.run()
    if any(not p.is_warning for p in problems):
        return None, problems
    return build_campaign(doc.data, str(path)), problems


def _display(path: Path) -> str:
    """Bundled files show as campaigns/<id>.yaml; others as the user gave them."""
    bundled = campaigns_dir().resolve()
    if path.resolve().parent == bundled:
        return f"campaigns/{path.name}"
    return str(path)


def check_paths(paths: Iterable[str | Path], today: dt.date | None = None
                ) -> list[Problem]:
    """All problems of many campaigns, in order."""
    problems: list[Problem] = []
    for ref in paths:
        try:
            problems.extend(check_campaign(ref if isinstance(ref, Path) else
                                           resolve_campaign_path(str(ref)), today)[1])
        except UnknownCampaignError as exc:
            problems.append(Problem(str(ref), None, "", str(exc)))
    return problems

