"""Rosters and packs: a roster file of sample volunteers, `campaign-letters pack` run on it,
and the manifest it writes."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from tests.helpers.commands import cli_process

HEADER = ["name", "street", "postal_code", "city", "country", "language", "note"]


def write_roster(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False,
                 header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows([header, *rows])
    return path


def volunteers(count: int) -> list[list[str]]:
    """``count`` roster rows (HEADER's columns) of volunteers in Aarhus, two street lines
    each."""
    return [[f"Volunteer {i}", f"Vestergade {i}\n{i % 3 + 1}. sal", "8000", "Aarhus", "DK", "",
             ""] for i in range(count)]


def read_manifest(out: Path) -> list[dict[str, str]]:
    text = (out / "manifest.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def run_pack(tmp_path: Path, roster: Path, out: Path, *extra: str
             ) -> subprocess.CompletedProcess[str]:
    """``campaign-letters pack naju-haderslev`` with two jobs, in a process of its own."""
    return cli_process("pack", "naju-haderslev", "--roster", roster, "-o", out, "--jobs", "2",
                       *extra, cwd=tmp_path)
