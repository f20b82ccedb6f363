"""The campaigns a web server offers, kept in step with their folder while it runs.

An organizer edits, adds or removes ``*.yaml`` files in the folder given to ``serve
--campaigns``; each worker looks at the files' sizes and times at most every few seconds
(on a request, so an idle server does nothing) and reloads what changed. A file that now
has errors keeps its last good version serving, and its problems are logged once with
their file:line; a removed file's campaign goes. The bundled campaigns (no folder) are
package files and are loaded once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from campaign_letters.campaign.load import campaign_paths, check_campaign
from campaign_letters.errors import CampaignError, CampaignLettersError
from campaign_letters.model import Campaign

logger = logging.getLogger("campaign_letters.web")

CHECK_EVERY = 2.0  # seconds between two looks at the folder


@dataclass
class _Loaded:
    stamp: tuple[int, int]  # (mtime_ns, size) of the file as read
    campaign: Campaign | None  # the last good version, if any


@dataclass
class CampaignFolder:
    directory: Path | None
    check_every: float = CHECK_EVERY
    _files: dict[Path, _Loaded] = field(default_factory=dict)
    _campaigns: dict[str, Campaign] = field(default_factory=dict)
    _checked: float = -1e9

    def __post_init__(self) -> None:
        if self.directory is not None and not Path(self.directory).is_dir():
            raise CampaignError(f"--campaigns: {self.directory} is not a folder; make it "
                                f"with `campaign-letters init {self.directory}`")
        self.refresh(force=True)

    @classmethod
    def check(cls, directory: Path | None) -> dict[str, Campaign]:
        """The campaigns a server started now would offer; CampaignError when there would
        be none (a missing or empty folder, or one whose every file has errors)."""
        offered = cls(directory).current()
        if not offered and directory is not None:
            files = sorted(Path(directory).glob("*.yaml"))
            why = ("every campaign file in it has errors (`campaign-letters check "
                   f"--campaigns {directory}` lists them)") if files else \
                f"it holds no campaign files (.yaml); `campaign-letters init {directory}` " \
                "copies the bundled ones there"
            raise CampaignError(f"--campaigns: nothing to serve from {directory}: {why}")
        return offered

    def current(self) -> dict[str, Campaign]:
        """The campaigns to offer now, by id."""
        self.refresh()
        return self._campaigns

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and (self.directory is None or now - self._checked < self.check_every):
            return
        self._checked = now
        paths = campaign_paths(self.directory)
        changed = force
        for gone in set(self._files) - set(paths):
            logger.info("campaign file %s was removed", gone)
            del self._files[gone]
            changed = True
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_mtime_ns, stat.st_size)
            known = self._files.get(path)
            if known is not None and known.stamp == stamp:
                continue
            self._files[path] = _Loaded(stamp, self._load(path, known))
            changed = True
        if changed:
            self._rebuild()

    def _load(self, path: Path, known: _Loaded | None) -> Campaign | None:
        """The file's campaign, or its last good version (logging why) when it has errors."""
        previous = known.campaign if known is not None else None
        try:
            campaign, problems = check_campaign(path)
        except (CampaignLettersError, OSError) as exc:
            campaign, problems = None, []
            logger.warning("%s: %s", path, exc)
        if campaign is None:
            errors = [str(p) for p in problems if not p.is_warning]
            keeping = "; still serving its last good version" if previous else \
                "; skipped"
            if errors:
                logger.warning("%s has %d error%s%s:\n  %s", path, len(errors),
                               "s" * (len(errors) != 1), keeping, "\n  ".join(errors))
            return previous
        if known is not None:
            logger.info("reloaded %s", path)
        return campaign

    def _rebuild(self) -> None:
        campaigns: dict[str, Campaign] = {}
        for path, loaded in self._files.items():
            campaign = loaded.campaign
            if campaign is None:
                continue
            if campaign.id in campaigns:
                logger.warning("skipping %s: campaign id %s is already loaded from %s", path,
                               campaign.id, campaigns[campaign.id].path)
                continue
            campaigns[campaign.id] = campaign
        if set(campaigns) != set(self._campaigns) or not self._campaigns:
            logger.info("serving %d campaign%s: %s", len(campaigns),
                        "s" * (len(campaigns) != 1), ", ".join(campaigns) or "none")
        self._campaigns = campaigns
