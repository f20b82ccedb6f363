"""The server's settings reach its worker processes as one typed object, spelled once
(web/settings.py)."""

from __future__ import annotations

import json

from campaign_letters.web.settings import ENVIRONMENT_VARIABLE, Settings
from tests.helpers.commands import python


def test_settings_travel_whole_to_a_fresh_process():
    settings = Settings(campaigns_dir="/etc/campaign-letters/campaigns", rate_limit=12,
                        rate_memory="campaign-letters-rate-1", max_queue=7,
                        request_timeout=12.5)
    result = python("from campaign_letters.web.settings import Settings\n"
                    "import dataclasses, json\n"
                    "print(json.dumps(dataclasses.asdict(Settings.from_environment())))",
                    env={**settings.to_environment(), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert Settings(**json.loads(result.stdout)) == settings


def test_one_environment_variable_and_defaults_without_it(monkeypatch):
    assert list(Settings().to_environment()) == [ENVIRONMENT_VARIABLE]
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    assert Settings.from_environment() == Settings()
