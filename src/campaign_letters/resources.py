"""Where the bundled campaigns and fonts live.

An installed wheel carries them as package data (``campaign_letters/data/``, see
pyproject.toml); a source checkout or editable install finds them at the top of the repo.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "data" / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {name}/ folder not found beside {_PACKAGE_DIR}")


def campaigns_dir() -> Path:
    return _data_dir("campaigns")


def fonts_dir() -> Path:
    return _data_dir("fonts")


SCHEMA_PATH = _PACKAGE_DIR / "campaign" / "campaign.schema.json"
