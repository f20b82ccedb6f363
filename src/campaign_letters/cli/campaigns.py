"""The organizers' commands that keep campaign files true: ``init`` (a folder of their
own), ``new`` (a template), ``confirm`` (who holds an office), ``check`` and
``officials``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from campaign_letters.campaign.load import (
    campaign_ids,
    campaign_paths,
    check_campaign,
    check_text,
    is_installed_copy,
    resolve_campaign_path,
    shown_path,
)
from campaign_letters.campaign.record import Confirmation, check_confirmation, record_holder
from campaign_letters.campaign.template import new_campaign_text, with_schema_line
from campaign_letters.campaign.yamlfile import read_yaml
from campaign_letters.cli.common import (
    CAMPAIGNS_ENV,
    campaign_command,
    campaigns_option,
    friendly_errors,
    load_for_letters,
    parse_date,
)
from campaign_letters.errors import InputError, InputErrors, Problem, UnknownCampaignError
from campaign_letters.files import write_atomically

# -- init ---------------------------------------------------------------------------------


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@friendly_errors
def init(folder: Path) -> None:
    """Copy the bundled campaigns into FOLDER, yours to edit and keep true.

    Every command then reads them with --campaigns FOLDER (or with
    CAMPAIGN_LETTERS_CAMPAIGNS=FOLDER in the environment). Files already in FOLDER are
    kept as they are. For hosting: /etc/campaign-letters/campaigns (README, Hosting).
    """
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    # Campaign data is public, and a hosted server runs as a user of its own (systemd's
    # DynamicUser): what init makes is readable by everyone, whatever the umask.
    if created:
        folder.chmod(0o755)
    copied, kept = [], []
    for source in campaign_paths(None):
        target = folder / source.name
        if target.exists():
            kept.append(target.name)
            continue
        text = with_schema_line(source.read_text(encoding="utf-8"))
        write_atomically(target, text.encode("utf-8"))
        target.chmod(0o644)
        copied.append(target.name)
    for name in kept:
        click.echo(f"{folder / name}: already there, kept as it is", err=True)
    click.echo(f"{folder}: {len(copied)} campaign{'s' * (len(copied) != 1)} copied"
               f"{': ' + ', '.join(copied) if copied else ''}")
    click.echo(f"Use them with --campaigns {folder}, or for a whole session: "
               f"export {CAMPAIGNS_ENV}={folder}")


# -- new ----------------------------------------------------------------------------------

@click.command()
@click.argument("campaign_id", metavar="ID")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The file to write: <folder>/<ID>.yaml.")
@friendly_errors
def new(campaign_id: str, output: Path) -> None:
    """Start a campaign: a commented template of every field, to fill in.

    `campaign-letters check FILE` then lists, with file:line, every field still to fill,
    and passes once the campaign is complete (README, "Writing a campaign").
    """
    import re

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", campaign_id):
        raise InputError("id", f"{campaign_id!r}: an id is lower-case words joined by "
                               "hyphens, e.g. gimhae-lyon")
    if output.suffix not in (".yaml", ".yml"):
        raise InputError("output", f"{output}: a campaign file ends in .yaml, e.g. "
                                   f"{campaign_id}.yaml")
    if output.stem != campaign_id:
        raise InputError("output", f"{output}: the file is named after its id: "
                                   f"{output.with_name(campaign_id + '.yaml')}")
    if output.exists():
        raise InputError("output", f"{output} exists already; it is left as it is")
    write_atomically(output, new_campaign_text(campaign_id).encode("utf-8"))
    click.echo(f"{output}: template written. Fill in every field marked FILL IN, then "
               f"run: campaign-letters check {output}")


# -- confirm ------------------------------------------------------------------------------

def _date(field: str, text: str | None, problems: list[InputError]) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        problems.append(InputError(field, f"{text!r} is not a date; write YYYY-MM-DD"))
        return None


@click.command()
@click.argument("campaign")
@click.argument("recipient")
@click.option("--name", required=True, help="The holder's name in Latin script, as letters "
                                            "write it. [required]")
@click.option("--confirmed", "confirmed_text", required=True, metavar="YYYY-MM-DD",
              help="The date of the source that says they hold the office. [required]")
@click.option("--source", required=True,
              help="Who says so: publisher, title and date, with a short quote. [required]")
@click.option("--url", default=None, help="The source's web address.")
@click.option("--since", "since_text", metavar="YYYY-MM-DD", default=None,
              help="The day they took office (needed when the holder changes).")
@click.option("--name-ko", "name_ko", default=None, help="The name in Korean script.")
@click.option("--acting", is_flag=True, help="An acting holder (권한대행): letters address "
                                             "the office.")
@campaigns_option
@friendly_errors
def confirm(campaign: str, recipient: str, name: str, confirmed_text: str, source: str,
            url: str | None, since_text: str | None, name_ko: str | None, acting: bool,
            campaigns_dir: Path | None) -> None:
    """Record who holds RECIPIENT's office (e.g. naju-mayor) in CAMPAIGN's file.

    CAMPAIGN is a campaign file or an id in --campaigns DIR. The file keeps its comments
    and layout; a different holder moves the previous one to `former`; then the file is
    checked. The next letters name the holder where the rule allows (README, "The
    campaigns").
    """
    path = resolve_campaign_path(campaign, campaigns_dir)
    given_by_id = Path(campaign).suffix not in (".yaml", ".yml") and not Path(campaign).is_file()
    if (given_by_id and campaigns_dir is None) or is_installed_copy(path):
        raise UnknownCampaignError(
            f"{campaign} is a bundled campaign, part of the program: a change there would "
            "be lost at the next update. Copy the campaigns into a folder of yours with "
            "`campaign-letters init DIR`, then run this again with --campaigns DIR")
    problems: list[InputError] = []
    confirmed = _date("confirmed", confirmed_text, problems)
    since = _date("since", since_text, problems)
    told = Confirmation(name=name, confirmed=confirmed or dt.date.today(), source=source,
                        url=url, since=since, name_ko=name_ko, acting=acting)
    problems += check_confirmation(told, dt.date.today())  # every problem at once
    if problems or confirmed is None:
        raise InputErrors(problems)
    read_yaml(path, shown_path(path))  # the safe reader first: tags, aliases, size
    text = path.read_text(encoding="utf-8-sig")
    recorded = record_holder(text, recipient, told, dt.date.today())
    if not recorded.changes:
        click.echo(f"{shown_path(path)}: nothing changed: {recipient}'s holder is already "
                   f"confirmed on a later date")
        return
    campaign_after, found = check_text(recorded.text, path)
    if campaign_after is None:
        _echo_problems(found)
        raise UnknownCampaignError(f"{shown_path(path)} was not changed: with this holder it "
                                   "would have the errors above")
    write_atomically(path, recorded.text.encode("utf-8"))
    for change in recorded.changes:
        click.echo(f"{shown_path(path)}: {change}")
    _report(path, found)


# -- check --------------------------------------------------------------------------------

def _echo_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem))


def _report(path: Path, problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(not p.is_warning for p in problems)
    warnings = len(problems) - errors
    _echo_problems(problems)
    click.echo(f"checked {shown_path(path)}: {errors} error{'s' * (errors != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}", err=True)
    return errors, warnings


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. stale data).")
@campaigns_option
@friendly_errors
def check(paths: Sequence[str], strict: bool, campaigns_dir: Path | None) -> None:
    """Validate campaign files (default: every campaign in --campaigns DIR, else the
    bundled ones).

    Prints every problem as path:line: field: problem, and the path of each file read.
    Exit 1 on errors (and with --strict on warnings).
    """
    targets = list(paths) or campaign_ids(campaigns_dir)
    errors = warnings = 0
    for ref in targets:
        try:
            path = resolve_campaign_path(ref, campaigns_dir)
        except UnknownCampaignError as exc:
            click.echo(f"{ref}: {exc}")
            errors += 1
            continue
        more_errors, more_warnings = _report(path, check_campaign(path)[1])
        errors, warnings = errors + more_errors, warnings + more_warnings
    click.echo(f"{len(targets)} campaign file{'s' * (len(targets) != 1)} checked: "
               f"{errors} error{'s' * (errors != 1)}, "
               f"{warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


# -- officials ----------------------------------------------------------------------------

@campaign_command("campaign-letters officials naju-haderslev --date 2026-12-02", name="officials")
@click.argument("campaigns", nargs=-1)
@click.option("--date", "date_text", metavar="YYYY-MM-DD",
              help="The date to judge on (default: today).")
@campaigns_option
@friendly_errors
def officials_command(campaigns: Sequence[str], date_text: str | None,
                      campaigns_dir: Path | None) -> None:
    """Who each letter goes to: office, holder, since, confirmed, source and status, for
    CAMPAIGNS (default: every campaign in --campaigns DIR, else the bundled ones), so you
    know what to verify before a mailing. Letters name a holder only where the status
    says so; `campaign-letters confirm` records a holder."""
    from campaign_letters.compose.officials import official_rows

    on = parse_date(date_text)
    for ref in list(campaigns) or campaign_ids(campaigns_dir):
        path = resolve_campaign_path(ref, campaigns_dir)
        campaign = load_for_letters(ref, campaigns_dir)
        click.echo(f"{campaign.id} (as of {on.isoformat()}): {shown_path(path)}")
        for row in official_rows(campaign, on):
            click.echo(f"  {row.office} ({row.recipient})")
            for label, value in (("holder", row.holder), ("since", row.since),
                                 ("confirmed", row.confirmed), ("source", row.source),
                                 ("status", row.status)):
                click.echo(f"    {label + ':':<11}{' '.join(value.split())}")
        click.echo("")
