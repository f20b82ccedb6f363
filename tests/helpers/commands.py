"""Running the command line: in this process (click's runner), or as a user does in a
process of its own. Python is always this interpreter (``sys.executable``): the suite
passes outside an activated venv too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.samples import ROOT


def run_cli(*args: str, **kwargs: Any):
    """``campaign-letters ARGS`` in-process; the click Result. Exceptions propagate."""
    from click.testing import CliRunner

    from campaign_letters.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def cli_process(*args: str | Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``python -m campaign_letters ARGS`` in a process of its own; text output captured,
    never raising for a non-zero exit (``kwargs`` go to subprocess.run: cwd, env...)."""
    return subprocess.run([sys.executable, "-m", "campaign_letters", *map(str, args)],
                          capture_output=True, text=True, check=False, **kwargs)


def cli_command() -> list[str]:
    """The command that runs campaign-letters, for Popen or a shell line."""
    return [sys.executable, "-m", "campaign_letters"]


def python(code: str, *args: str | Path, text: bool = True, **kwargs: Any
           ) -> subprocess.CompletedProcess:
    """``python -c CODE ARGS`` in a fresh process, from the repository's root (so the
    script can import ``tests.helpers``); output captured, never raising."""
    kwargs.setdefault("cwd", ROOT)
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=text, check=False, **kwargs)
