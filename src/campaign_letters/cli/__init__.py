"""cli: the command line. Options in, calls to the stages, messages and exit codes out;
the work happens elsewhere.

Exit codes: 0 done; 1 bad input (the message says what to fix); 2 bad usage (click).
Expected problems print as ``Error: ...`` without a traceback, every problem of an input
at once. ``common`` holds what the commands share; ``letters`` the volunteers' commands,
``organizers`` the organizers'.
"""

from __future__ import annotations

import click

from campaign_letters.cli.campaigns import check, confirm, init, new, officials_command
from campaign_letters.cli.letters import DEMO_SENDERS, demo, email, letter
from campaign_letters.cli.organizers import mail, pack, serve
from campaign_letters.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaign-letters")
def main() -> None:
    """Turn a letter-writing campaign into ready-to-mail PDF letters."""


for command in (letter, email, demo, pack, mail, serve, init, new, check, confirm,
                officials_command):
    main.add_command(command)

__all__ = ["DEMO_SENDERS", "main"]
