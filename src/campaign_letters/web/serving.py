"""``campaign-letters serve``: the web page as a production server, one or many processes.

Uvicorn runs the app; with ``--workers N`` above one, its own supervisor starts N worker
processes on the one listening socket, restarts one that dies, restarts them all on
SIGHUP, and on SIGTERM or Ctrl-C stops taking connections, lets the requests in flight
finish (up to ``GRACEFUL_SECONDS``) and exits. Rendering is CPU-bound and ReportLab keeps
per-process state, so processes, not threads, are how the server uses more cores.

This process makes what the workers share before starting them, and hands it to them in
the environment (they are started afresh, not forked): the rate limit's block of shared
memory, the folder where prometheus-client's workers write their counts (in /dev/shm,
memory, where there is one), the campaign folder and the settings; it removes both when
the server stops. Logging: one line per request without query strings or bodies (web's
AccessLogMiddleware), uvicorn's own access log off; ``--log-format json`` for log
collectors.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_letters.web.campaign_folder import CampaignFolder
from campaign_letters.web.ratelimit import RateLimiter
from campaign_letters.web.settings import Settings

GRACEFUL_SECONDS = 25  # within systemd's TimeoutStopSec=35 and the 30 s


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    campaigns_dir: Path | None = None
    workers: int = 1
    root_path: str = ""
    forwarded_allow_ips: str | None = None  # proxies whose X-Forwarded-For is believed
    rate_limit: int = 30  # letter requests a minute per client; 0 for none
    max_queue: int = 32
    timeout: float = 30.0
    log_format: str = "text"  # or "json"
    log_level: str = "info"
    pdf_standard: str = "ua-1"  # or "a-2b": every download PDF/A-2b too


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname.lower(), "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config(options: ServeOptions) -> dict[str, Any]:
    """Logging for this process and every worker (uvicorn applies it in each)."""
    formatter = {"()": f"{__name__}.JsonFormatter"} if options.log_format == "json" else \
        {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    level = options.log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "default",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "campaign_letters": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            # Uvicorn's access lines carry query strings: ours (web/middleware.py) do not.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }


def serve(options: ServeOptions) -> None:
    """Run until SIGTERM or Ctrl-C. Raises CampaignError for a campaign folder that is
    not one."""
    import uvicorn  # here, not at the top: the command line starts without it

    # Checked here, once, so a wrong folder is one clear error rather than N workers'.
    CampaignFolder(options.campaigns_dir)
    metrics_dir = tempfile.mkdtemp(prefix=f"campaign-letters-metrics-{os.getpid()}-",
                                   dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
    rate = RateLimiter.create(options.rate_limit) if options.rate_limit > 0 else None
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # prometheus-client's own
    os.environ.update(Settings(
        campaigns_dir=str(options.campaigns_dir) if options.campaigns_dir else None,
        rate_limit=options.rate_limit, rate_memory=rate.name if rate is not None else None,
        max_queue=options.max_queue, request_timeout=options.timeout,
        pdf_standard=options.pdf_standard).to_environment())
    if options.workers == 1:
        # Without workers there is nothing to restart: SIGHUP (systemctl reload) must not
        # stop the server, and the campaign folder is followed anyway.
        signal.signal(signal.SIGHUP, lambda signum, frame: logging.getLogger(
            "campaign_letters.web").info("SIGHUP: the campaign folder is followed already"))
    # Uvicorn shuts down gracefully on SIGTERM or SIGINT, then raises the signal again for
    # the handler it found: ours, an exit with status 0 that lets the clean-up below run.
    previous = {signum: signal.signal(signum, _stopped) for signum in STOP_SIGNALS}
    try:
        uvicorn.run("campaign_letters.web:app_from_environment", factory=True,
                    host=options.host, port=options.port, workers=options.workers,
                    root_path=options.root_path.rstrip("/"),
                    proxy_headers=options.forwarded_allow_ips is not None,
                    forwarded_allow_ips=options.forwarded_allow_ips or "127.0.0.1",
                    timeout_graceful_shutdown=GRACEFUL_SECONDS,
                    log_config=log_config(options), log_level=options.log_level,
                    access_log=False, server_header=False, date_header=True)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if rate is not None:
            rate.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _stopped(signum: int, frame: object) -> None:
    """Stopped as asked (SIGTERM, Ctrl-C): a clean exit, through ``finally`` blocks."""
    sys.exit(0)
