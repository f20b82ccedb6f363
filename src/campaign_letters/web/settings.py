"""The server's settings, as one typed object: what ``serve`` decides once and hands each
of its worker processes (started afresh by uvicorn, not forked) in one environment
variable, spelled here only."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

ENVIRONMENT_VARIABLE = "CAMPAIGN_LETTERS_SERVER"


@dataclass(frozen=True)
class Settings:
    """How the server protects itself when it is open to the public (``serve``)."""

    campaigns_dir: str | None = None  # a folder of campaign files; None: the bundled ones
    rate_limit: int = 0  # letter requests a minute per client, over all workers; 0: none
    rate_memory: str | None = None  # the shared block serve made for the rate limit
    max_queue: int = 32  # renders waiting or running in one worker; more: 503 at once
    request_timeout: float = 30.0  # seconds for any request
    pdf_standard: str = "ua-1"  # "a-2b": every PDF the page gives is PDF/A-2b too

    def to_environment(self) -> dict[str, str]:
        return {ENVIRONMENT_VARIABLE: json.dumps(asdict(self))}

    @classmethod
    def from_environment(cls) -> Settings:
        """What ``serve`` handed this worker; the defaults outside ``serve``."""
        return cls(**json.loads(os.environ.get(ENVIRONMENT_VARIABLE) or "{}"))
