"""What the web server counts, for ``GET /metrics`` in the Prometheus text format.

prometheus-client in its multi-process mode: every worker writes its counts to files in
``PROMETHEUS_MULTIPROC_DIR`` (made by ``serve`` in memory-backed /dev/shm where there is
one, removed when it stops), and whichever worker answers /metrics adds them up. Without
that variable (one process, the tests' in-process app) the counts stay in this process.
Labels are campaign ids and kinds of error, never anything a volunteer typed.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _multiprocess

LETTERS = Counter("campaign_letters_letters_total", "Letters made, by campaign", ["campaign"])
PDFS = Counter("campaign_letters_pdfs_total", "PDFs and e-mail drafts served, by campaign",
               ["campaign", "kind"])
ERRORS = Counter("campaign_letters_errors_total",
                 "Requests refused or failed, by kind (invalid, too_large, rate_limited, "
                 "queue_full, timeout, not_found, server)", ["kind"])
RENDER_SECONDS = Histogram("campaign_letters_render_seconds",
                           "Time to make one volunteer's PDF",
                           buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
QUEUE = Gauge("campaign_letters_render_queue", "Renders waiting or running",
              multiprocess_mode="livesum")
RATE_LIMITED = Counter("campaign_letters_rate_limited_total",
                       "Requests refused by the per-client rate limit")


def exposition() -> tuple[bytes, str]:
    """The metrics of every worker (or of this process alone), and their content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus-client is py.typed but leaves this __init__ unannotated
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

