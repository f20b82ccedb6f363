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
from campaign_letters.campaign.yamlfile import YamlDocument, parse_yaml, read_yaml
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
    return campaign_ids(None)


def campaign_ids(folder: Path | None) -> list[str]:
    """The ids of the campaigns in ``folder`` (None: the bundled ones)."""
    return sorted(path.stem for path in (folder or campaigns_dir()).glob("*.yaml"))


def campaign_paths(folder: Path | None) -> list[Path]:
    """Each campaign file of ``folder`` (None: the bundled ones), by id."""
    return sorted((folder or campaigns_dir()).glob("*.yaml"))


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is one of the package's own campaign files."""
    return path.resolve().parent == campaigns_dir().resolve()


def is_installed_copy(path: Path) -> bool:
    """Whether ``path`` is a campaign file inside an installed package (site-packages),
    where an edit would be lost at the next install; a checkout's campaigns/ is not."""
    return is_bundled(path) and campaigns_dir().parent.name == "data"


def resolve_campaign_path(ref: str, folder: Path | None = None) -> Path:
    """A campaign id (in ``folder``, else bundled) or a path to a YAML file -> its path."""
    candidate = Path(ref)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        if not candidate.is_file():
            raise UnknownCampaignError(f"campaign file {ref} does not exist")
        return candidate
    if folder is not None and not folder.is_dir():
        raise UnknownCampaignError(
            f"--campaigns: {folder} is not a folder; make it with `campaign-letters init "
            f"{folder}`")
    ids = campaign_ids(folder)
    # Only plain ids name files of the folder: nothing typed can reach outside it.
    if ref in ids:
        return (folder or campaigns_dir()) / f"{ref}.yaml"
    if candidate.is_dir():
        raise UnknownCampaignError(
            f"{ref} is a folder: give a campaign id or a .yaml file, or name the folder "
            f"with --campaigns {ref}")
    close = get_close_matches(ref, ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    where = f" in {folder}" if folder is not None else ""
    available = f"Available: {', '.join(ids)}" if ids else \
        f"{folder} has no campaign files (make them with `campaign-letters init {folder}`)"
    raise UnknownCampaignError(
        f"unknown campaign {ref!r}{where}{hint} {available} (or give a path to a .yaml "
        "file)")


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
        doc = read_yaml(path, display_path=shown_path(path))
    except YamlFileError as exc:
        return None, exc.problems
    return _checked(doc, path, today)


def check_text(text: str, path: Path, today: dt.date | None = None
               ) -> tuple[Campaign | None, list[Problem]]:
    """``check_campaign`` of a file's new text before it is written (``confirm``)."""
    try:
        doc = parse_yaml(text, shown_path(path))
    except YamlFileError as exc:
        return None, exc.problems
    return _checked(doc, path, today)


def _checked(doc: YamlDocument, path: Path, today: dt.date | None
             ) -> tuple[Campaign | None, list[Problem]]:
    checker = CampaignChecker(doc, path, today or dt.date.today())
    problems = checker.run()
    if any(not p.is_warning for p in problems):
        return None, problems
    return build_campaign(doc.data, str(path)), problems


def shown_path(path: Path) -> str:
    """A file as its problems name it: as given, except a bundled file found by its id,
    shown relative to the working folder when inside it, else in full, so that an
    organizer sees which copy was read (an installed package's lives in site-packages,
    not in a checkout's campaigns/)."""
    if not is_bundled(path):
        return str(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def check_paths(paths: Iterable[str | Path], today: dt.date | None = None,
                folder: Path | None = None) -> list[Problem]:
    """All problems of many campaigns, in order."""
    problems: list[Problem] = []
    for ref in paths:
        try:
            problems.extend(check_campaign(ref if isinstance(ref, Path) else
                                           resolve_campaign_path(str(ref), folder), today)[1])
        except UnknownCampaignError as exc:
            problems.append(Problem(str(ref), None, "", str(exc)))
    return problems

