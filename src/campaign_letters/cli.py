"""Command line: argument parsing, messages and exit codes. The work happens elsewhere.

Exit codes: 0 done; 1 bad input (the message says what to fix); 2 bad usage (click).
Expected problems print as ``Error: ...`` without a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from campaign_letters.campaign.load import (
    bundled_ids,
    check_campaign,
    check_paths,
    resolve_campaign_path,
)
from campaign_letters.compose.paper import ENVELOPES, PAPERS
from campaign_letters.errors import (
    CampaignLettersError,
    CampaignValidationError,
    InputError,
    InputErrors,
)
from campaign_letters.files import write_atomically
from campaign_letters.model import AddressBy, Campaign, Sender, SendTo
from campaign_letters.produce import VolunteerLetters, produce_letters, recipient_notes
from campaign_letters.version import __version__
from campaign_letters.volunteer.check import check_volunteer
from campaign_letters.volunteer.sender import check_email, make_sender

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns

OPTION_NAMES = {"name": "--name", "street": "--street", "postal_code": "--postal-code",
                "city": "--city", "region": "--region", "country": "--country",
                "email": "--email", "language": "--language", "date": "--date",
                "envelope": "--envelope", "paper": "--paper", "note": "--note",
                "to_address": "--to-address", "root_path": "--root-path", "from": "--from",
                "reply_to": "--reply-to", "smtp": "--smtp"}


def _fail(message: str) -> None:
    raise click.ClickException(message)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the package's own errors into ``Error: ...`` and exit status 1."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            _fail(f"{OPTION_NAMES.get(exc.field, exc.field)}: {exc.message}")
        except InputErrors as exc:
            for error in exc.errors[:-1]:
                click.echo(f"Error: {OPTION_NAMES.get(error.field, error.field)}: "
                           f"{error.message}", err=True)
            last = exc.errors[-1]
            _fail(f"{OPTION_NAMES.get(last.field, last.field)}: {last.message}")
        except CampaignValidationError as exc:
            _fail("the campaign file has errors:\n" + str(exc))
        except CampaignLettersError as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    return wrapper


class CampaignCommand(click.Command):
    """A command whose help ends with the bundled campaigns (read when help is asked for,
    not on import) and an example."""

    example = ""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Bundled campaigns"):
            formatter.write_text(", ".join(bundled_ids()) +
                                 " (or give the path to a campaign .yaml file)")
        if self.example:
            with formatter.section("Example"):
                formatter.write_text("\b\n" + self.example)
        super().format_epilog(ctx, formatter)


def campaign_command(example: str, **kwargs: Any) -> Callable[..., Any]:
    def decorate(function: Callable[..., Any]) -> click.Command:
        command = main.command(cls=CampaignCommand, **kwargs)(function)
        command.example = example  # type: ignore[attr-defined]  # click types Group.command(cls=...) as Command, not cls
        return command
    return decorate


LETTER_EXAMPLE = ("campaign-letters letter naju-haderslev --name \"Mette Hansen\" \\\n"
                  "  --street \"Vestergade 12\" --postal-code 8000 --city Aarhus "
                  "--country DK -o my-letters.pdf")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="campaign-letters")
def main() -> None:
    """Turn a letter-writing campaign into ready-to-mail PDF letters."""


# -- check --------------------------------------------------------------------------------

@main.command()
@click.argument("paths", nargs=-1)
@click.option("--strict", is_flag=True, help="Fail on warnings too (e.g. stale data).")
@friendly_errors
def check(paths: Sequence[str], strict: bool) -> None:
    """Validate campaign files (default: all bundled campaigns).

    Prints every problem as path:line: field: problem. Exit 1 on errors
    (and with --strict on warnings).
    """
    targets = list(paths) or bundled_ids()
    problems = check_paths(targets)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(not p.is_warning for p in problems)
    warnings = len(problems) - errors
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
@friendly_errors
def officials_command(campaigns: Sequence[str], date_text: str | None) -> None:
    """Who each letter goes to: office, holder, since, confirmed, source and status, for
    CAMPAIGNS (default: every bundled campaign), so you know what to verify before a
    mailing. Letters name a holder only where the status says so."""
    from campaign_letters.compose.officials import official_rows

    on = parse_date(date_text)
    for ref in list(campaigns) or bundled_ids():
        campaign = load_for_letters(ref)
        click.echo(f"{campaign.id} (as of {on.isoformat()})")
        for row in official_rows(campaign, on):
            click.echo(f"  {row.office}")
            for label, value in (("holder", row.holder), ("since", row.since),
                                 ("confirmed", row.confirmed), ("source", row.source),
                                 ("status", row.status)):
                click.echo(f"    {label + ':':<11}{' '.join(value.split())}")
        click.echo("")


# -- letter -------------------------------------------------------------------------------

def sender_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--name", help="Your name, as you sign. [required]"),
        click.option("--street", multiple=True,
                     help="A street line; repeat for more lines. [required]"),
        click.option("--postal-code", "postal_code",
                     help="Your postcode (required where your country's post wants one)."),
        click.option("--city", help="Your city or town. [required]"),
        click.option("--region", help="State, province or region (MI, BC...), where your "
                                      "country's post wants one."),
        click.option("--country", help="Your country as an ISO 3166 code: DK, US, CA, "
                                       "KR... [required]"),
        click.option("--email", help="Your e-mail address (optional), printed under your address."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def letter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--language", help="Language of the letter, or two joined by '+' (da+en: "
                                        "Danish, then an English translation). Default: the "
                                        "local one for senders in the partner city's "
                                        "country, else English."),
        click.option("--note", help="A paragraph of your own words, placed before the "
                                    "closing (at most 1,200 characters)."),
        click.option("--date", "date_text", metavar="YYYY-MM-DD",
                     help="Date printed on the letter (default: today)."),
        click.option("--to", type=click.Choice(["all", "primary"]), default="all",
                     show_default=True, help="All postal recipients, or the primary only."),
        click.option("--paper", type=click.Choice(PAPERS), default="auto", show_default=True,
                     help="Paper size; auto: US Letter in the US, Canada and the other "
                          "Letter countries, A4 elsewhere."),
        click.option("--envelope", type=click.Choice(ENVELOPES), default="auto",
                     show_default=True, help="Window envelope the letters are folded into."),
        click.option("--address-by", "address_by",
                     type=click.Choice(["auto", "name", "office"]), default="auto",
                     show_default=True,
                     help="auto: name an official only where a source confirms them "
                          "since their office's last election, else address the office; "
                          "name: every recorded name; office: no names."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def parse_date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date", f"{text!r} is not a date; write YYYY-MM-DD, e.g. "
                                 "2026-11-23") from None


def load_for_letters(campaign_ref: str) -> Campaign:
    """Load a campaign for making letters. Its warnings are for organizers (``check``,
    ``officials``): the volunteer is told in words what matters to them (see notes)."""
    campaign, problems = check_campaign(resolve_campaign_path(campaign_ref))
    if campaign is None:
        raise CampaignValidationError(problems)
    return campaign


def echo_notes(notes: Sequence[str], indent: str = "") -> None:
    for note in notes:
        click.echo(f"{indent}{note}", err=True)


def volunteer_letters(campaign_ref: str, sender_fields: dict[str, Any], *,
                      language: str | None, note: str | None, date_text: str | None,
                      to: SendTo, paper: str, envelope: str, address_by: AddressBy
                      ) -> tuple[Campaign, Sender, VolunteerLetters]:
    """The shared steps of ``letter`` and ``email``: check, load, compose, render, warn."""
    resolve_campaign_path(campaign_ref)  # an unknown campaign is reported before the fields
    loaded = load_for_letters(campaign_ref)
    # Every problem of the volunteer's options at once, not one per run.
    asked, problems = check_volunteer(loaded, {**sender_fields, "language": language or "",
                                               "note": note or "", "paper": paper})
    date: dt.date | None = None
    try:
        date = parse_date(date_text)
    except InputError as exc:
        problems.append(exc)
    if problems or asked is None or date is None:
        raise InputErrors(problems)
    sender = asked.sender
    pack = produce_letters(loaded, sender, date=date, language=asked.language, to=to,
                           paper=paper, envelope=envelope, address_by=address_by,
                           note=asked.note)
    echo_notes(pack.notes)
    for warning in pack.warnings:
        click.echo(f"warning: {warning}", err=True)
    return loaded, sender, pack


@campaign_command(LETTER_EXAMPLE)
@click.argument("campaign")
@sender_options
@letter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write (default: letters-<campaign>.pdf).")
@friendly_errors
def letter(campaign: str, name: str | None, street: tuple[str, ...], postal_code: str | None,
           city: str | None, region: str | None, country: str | None, email: str | None,
           language: str | None, note: str | None, date_text: str | None, to: SendTo,
           paper: str, envelope: str, address_by: AddressBy, output: Path | None) -> None:
    """Write the letters of CAMPAIGN (a bundled id or a .yaml file) for one volunteer."""
    loaded, _, pack = volunteer_letters(
        campaign, dict(name=name, street=street, postal_code=postal_code, city=city,
                       region=region, country=country, email=email),
        language=language, note=note, date_text=date_text, to=to, paper=paper,
        envelope=envelope, address_by=address_by)
    target = output or Path(f"letters-{loaded.id}.pdf")
    write_atomically(target, pack.pdf)
    count = len(pack.letters)
    click.echo(f"{target}: {count} letter{'s' * (count != 1)}")


# -- email ---------------------------------------------------------------------------------

@campaign_command(LETTER_EXAMPLE.replace(" letter ", " email ")
                  .replace("my-letters.pdf", "draft.eml"))
@click.argument("campaign")
@sender_options
@letter_options
@click.option("--to-address", "to_addresses", multiple=True, metavar="EMAIL",
              help="Address the draft to EMAIL (repeatable) instead of the campaign's own.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .eml file to write (default: letters-<campaign>.eml).")
@friendly_errors
def email(campaign: str, name: str | None, street: tuple[str, ...], postal_code: str | None,
          city: str | None, region: str | None, country: str | None, email: str | None,
          language: str | None, note: str | None, date_text: str | None, to: SendTo,
          paper: str, envelope: str, address_by: AddressBy, to_addresses: tuple[str, ...],
          output: Path | None) -> None:
    """Write an e-mail draft (.eml) with the message filled in and the letters attached.

    Open it in a mail program, check it and send it. The bundled campaigns have no e-mail
    addresses (their sources lost them): the draft is then left for you to address.
    """
    from campaign_letters.mail.draft import draft_notes, make_draft

    for address in to_addresses:
        check_email("to_address", address.strip())
    loaded, sender, pack = volunteer_letters(
        campaign, dict(name=name, street=street, postal_code=postal_code, city=city,
                       region=region, country=country, email=email),
        language=language, note=note, date_text=date_text, to=to, paper=paper,
        envelope=envelope, address_by=address_by)
    target = output or Path(f"letters-{loaded.id}.eml")
    write_atomically(target, make_draft(loaded, sender, pack, list(to_addresses) or None))
    click.echo(f"{target}: e-mail draft with {len(pack.letters)} letters attached")
    if not to_addresses:
        for line in draft_notes(loaded):
            click.echo(f"note: {line}", err=True)


# -- serve ---------------------------------------------------------------------------------

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every network interface; behind a "
                   "proxy, keep 127.0.0.1).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--campaigns", "campaigns_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of campaign .yaml files (default: the bundled campaigns); "
                   "changes are picked up while the server runs.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Server processes (default: one per core).")
@click.option("--root-path", default="", metavar="PATH",
              help="The prefix a reverse proxy serves the page under, e.g. /letters.")
@click.option("--forwarded-allow-ips", metavar="IPS", default=None,
              help="Proxies (comma-separated addresses, or *) whose X-Forwarded-For gives "
                   "the client's address; others' is ignored.")
@click.option("--rate-limit", type=click.IntRange(0, 100_000), default=30, show_default=True,
              help="Letter requests (PDF, preview, e-mail draft) a minute per client, over "
                   "all workers; 0 for none.")
@click.option("--max-queue", type=click.IntRange(1, 10_000), default=32, show_default=True,
              help="Renders waiting or running in one worker; more get 503 at once.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True,
              help="Seconds any request may take.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Log lines as text, or as JSON objects.")
@friendly_errors
def serve(host: str, port: int, campaigns_dir: Path | None, workers: int | None,
          root_path: str, forwarded_allow_ips: str | None, rate_limit: int, max_queue: int,
          timeout: float, log_format: str) -> None:
    """Serve the volunteers' web page: pick a campaign, fill in, preview, download.

    SIGTERM or Ctrl-C: requests in flight finish, then the server stops. SIGHUP: the
    workers restart one by one. See README, "Hosting".
    """
    from campaign_letters.web.serving import ServeOptions
    from campaign_letters.web.serving import serve as run_server

    if root_path and not root_path.startswith("/"):
        raise InputError("root_path", f"{root_path!r} must start with /, e.g. /letters")
    options = ServeOptions(host=host, port=port, campaigns_dir=campaigns_dir,
                           workers=workers or os.cpu_count() or 1,
                           root_path=root_path, forwarded_allow_ips=forwarded_allow_ips,
                           rate_limit=rate_limit, max_queue=max_queue, timeout=timeout,
                           log_format=log_format)
    click.echo(f"Serving on http://{host}:{port}{root_path.rstrip('/')}/ with "
               f"{options.workers} worker{'s' * (options.workers != 1)} (Ctrl-C to stop)",
               err=True)
    run_server(options)


# -- pack ----------------------------------------------------------------------------------

@campaign_command("campaign-letters pack naju-haderslev --roster volunteers.csv -o pack/")
@click.argument("campaign")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The volunteers: a spreadsheet (.xlsx, .xls, .ods) or CSV, with a header "
                   "row: name, street, postal_code, city, region, country, email, language, "
                   "note.")
@click.option("--sheet", metavar="NAME", default=None,
              help="The spreadsheet's sheet to read (default: the first).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the pack (made if missing; a re-run resumes).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes to use (default: every core).")
@click.option("--duplex", is_flag=True, help="Start every letter on a front side.")
@click.option("--sort", type=click.Choice(["volunteer", "recipient"]), default="volunteer",
              show_default=True, help="Print pack order: by volunteer, or grouped by "
                                      "destination for the mail run.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD",
              help="Date on the letters (default: the first run's date, else today).")
@click.option("--to", type=click.Choice(["all", "primary"]), default="all", show_default=True,
              help="All postal recipients, or the primary only.")
@click.option("--paper", type=click.Choice(PAPERS), default="auto", show_default=True,
              help="Letters and label sheets (auto: each volunteer's own country; labels "
                   "for the roster's most common country).")
@click.option("--envelope", type=click.Choice(ENVELOPES), default="auto", show_default=True,
              help="Window envelope the letters are folded into.")
@click.option("--address-by", "address_by", type=click.Choice(["auto", "name", "office"]),
              default="auto", show_default=True,
              help="auto: name officials only where confirmed since their last election.")
@friendly_errors
def pack(campaign: str, roster: Path, sheet: str | None, output_dir: Path, jobs: int | None,
         duplex: bool, sort: str, date_text: str | None, to: SendTo, paper: str, envelope: str,
         address_by: AddressBy) -> None:
    """Letters for every volunteer of a roster: a PDF each, one print pack, address labels
    and a manifest. Bad rows are reported and skipped; exit 1 if any failed."""
    from campaign_letters.pack.build import PackOptions, build_pack
    from campaign_letters.volunteer.roster import read_roster

    campaign_path = resolve_campaign_path(campaign)
    loaded = load_for_letters(campaign)
    volunteers = read_roster(roster, sheet)
    for warning in volunteers.warnings:
        click.echo(f"warning: {warning}", err=True)
    options = PackOptions(date=parse_date(date_text) if date_text else None, to=to,
                          paper=paper, envelope=envelope, address_by=address_by,
                          duplex=duplex, sort=sort, jobs=jobs or os.cpu_count() or 1)
    with ProgressReporter(volunteers.count, "volunteers") as progress:
        result = build_pack(campaign_path, volunteers, output_dir, options, progress.update)
    for failed in result.failed:
        for field, problem in failed.problems:
            column = f", {field}" if field else ""
            click.echo(f"{roster}: row {failed.row}{column}: {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {roster}: {warning}", err=True)
    echo_notes(recipient_notes(loaded, result.date, "en", address_by, to))
    unchanged = result.unchanged
    click.echo(f"{output_dir}: {result.volunteers} volunteer{'s' * (result.volunteers != 1)} "
               f"({result.letters} letters, dated {result.date.isoformat()}"
               f"{f', {unchanged} unchanged from the last run' if unchanged else ''}), "
               f"{len(result.failed)} failed; see {output_dir / 'manifest.csv'}")
    if result.failed:
        sys.exit(1)


# -- mail ---------------------------------------------------------------------------------

@campaign_command("campaign-letters mail pack/ --smtp mail.example.org:587 --user campaigns "
                  "--from \"Campaign <campaigns@example.org>\"")
@click.argument("pack_dir", metavar="PACK_DIR",
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--from", "sender", required=True, metavar="ADDRESS",
              help="The sender of the messages, e.g. 'Campaign <campaigns@example.org>'. "
                   "[required]")
@click.option("--reply-to", metavar="ADDRESS", default=None,
              help="Where the volunteers' answers go, if not to --from.")
@click.option("--smtp", default="localhost", show_default=True, metavar="HOST[:PORT]",
              help="The mail server (port: 465 with --tls ssl, else 25).")
@click.option("--tls", type=click.Choice(["starttls", "ssl", "none"]), default="starttls",
              show_default=True, help="Encryption to the server; none only on this machine.")
@click.option("--user", default=None,
              help="Log in as USER; the password comes from CAMPAIGN_LETTERS_SMTP_PASSWORD "
                   "or is asked for (never an option).")
@click.option("--rate", type=click.FloatRange(0.1, 100_000), default=60, show_default=True,
              help="Messages a minute, over one connection.")
@click.option("--max-size", "max_mb", type=click.FloatRange(0.1, 100), default=10,
              show_default=True, help="Largest attachment, in MB; a larger one is refused.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Tries again after a temporary refusal (4xx) or a dropped connection.")
@click.option("--retry-after", type=click.FloatRange(0, 600), default=5, show_default=True,
              help="Seconds before the first retry, doubled for each next one.")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="A folder of message templates, <lang>.txt or "
                                 "<campaign>.<lang>.txt (README, Mailing).")
@click.option("--roster", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="The pack's roster, if it has moved since `pack`.")
@click.option("--sheet", default=None, help="The roster's sheet, if not the pack's.")
@click.option("--dry-run", is_flag=True,
              help="Write the messages as .eml files into PACK_DIR/mail/ instead of sending.")
@friendly_errors
def mail(pack_dir: Path, sender: str, reply_to: str | None, smtp: str, tls: str,
         user: str | None, rate: float, max_mb: float, retries: int, retry_after: float,
         templates: Path | None, roster: Path | None, sheet: str | None,
         dry_run: bool) -> None:
    """E-mail each volunteer of a pack their own letters (after `pack`).

    One message per volunteer with an e-mail address in the roster, to them alone, in
    their letters' language, the PDF attached, saying how to print, fold and post. A
    re-run sends only what the server has not accepted; exit 1 if any row failed.
    """
    from email.utils import parseaddr

    from campaign_letters.mail.send import MailOptions, mail_pack
    from campaign_letters.pack.folder import count_manifest_rows

    check_email("from", parseaddr(sender)[1] or sender)
    if reply_to:
        check_email("reply_to", parseaddr(reply_to)[1] or reply_to)
    match = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?|([^:\[\]]+)(?::(\d+))?", smtp.strip())
    if match is None:
        raise InputError("smtp", f"{smtp!r}: write HOST or HOST:PORT, e.g. "
                                 "mail.example.org:587 ([::1]:25 for an IPv6 address)")
    host = match.group(1) or match.group(3)
    port_text = match.group(2) or match.group(4) or ""
    if user and tls == "none" and host not in ("localhost", "127.0.0.1", "::1"):
        raise InputError("smtp", f"--tls none would send the password for {user!r} to "
                                 f"{host} unencrypted; use --tls starttls or ssl")
    password = None
    if user and not dry_run:
        password = os.environ.get("CAMPAIGN_LETTERS_SMTP_PASSWORD")
        if password is None:
            password = click.prompt(f"Password for {user} at {host}", hide_input=True,
                                    err=True)
    options = MailOptions(host=host, port=int(port_text) if port_text else None, tls=tls,
                          user=user, password=password, sender=sender, reply_to=reply_to,
                          rate=rate, max_bytes=int(max_mb * 1024 * 1024), retries=retries,
                          retry_after=retry_after, dry_run=dry_run, templates=templates,
                          roster=roster, sheet=sheet)
    with ProgressReporter(count_manifest_rows(pack_dir), "messages") as progress:
        result = mail_pack(pack_dir, options, progress.update)
    for outcome in result.failed:
        click.echo(f"{pack_dir}: row {outcome.row}: {outcome.status}", err=True)
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        key = outcome.status.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{count} {key}" for key, count in sorted(counts.items()))
    what = "written to mail/" if dry_run else f"{result.sent_now} sent now"
    click.echo(f"{pack_dir}: {what}; {summary}"
               f"{'' if dry_run else '; see manifest.csv (mail_status)'}")
    if result.failed:
        sys.exit(1)


class ProgressReporter:
    """A progress bar with count and time left on a terminal; plain periodic lines when
    the output goes to a file or a CI log."""

    def __init__(self, total: int, label: str, every_seconds: float = 5.0):
        self.total, self.label, self.every = total, label, every_seconds
        self.is_tty = sys.stderr.isatty()
        self.bar: ProgressBar[int] | None = None
        self.done = 0
        self.started = self.last = time.monotonic()

    def __enter__(self) -> ProgressReporter:
        if self.is_tty:
            self.bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr,
                                         show_pos=True, show_eta=True).__enter__()
        return self

    def update(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(done - self.done)
        elif time.monotonic() - self.last >= self.every or done == total:
            elapsed = time.monotonic() - self.started
            left = elapsed / done * (total - done) if done else 0
            click.echo(f"{self.label}: {done}/{total} done, {elapsed:.0f} s elapsed, "
                       f"about {left:.0f} s left", err=True)
            self.last = time.monotonic()
        self.done = done

    def __exit__(self, *exc: Any) -> None:  # (type, value, traceback), for the bar's own
        if self.bar is not None:
            self.bar.__exit__(*exc)


# -- demo ---------------------------------------------------------------------------------

# Sample volunteers, one in each partner city's country, so the demo shows local
# languages and both paper sizes. Street names are placeholders, postcodes real formats.
DEMO_SENDERS: dict[str, dict[str, Any]] = {
    "CA": dict(name="Sam Sample", street=["100 Example Street"], postal_code="V6B 1A1",
               city="Vancouver", region="BC", country="CA"),
    "DK": dict(name="Sofie Eksempel", street=["Eksempelvej 1"], postal_code="8000",
               city="Aarhus", country="DK"),
    "IT": dict(name="Giulia Esempio", street=["Via Esempio 1"], postal_code="20121",
               city="Milano", region="MI", country="IT"),
    "FR": dict(name="Camille Exemple", street=["1 rue de l’Exemple"], postal_code="87000",
               city="Limoges", country="FR"),
}
DEMO_FALLBACK = dict(name="Sam Sample", street=["1 Example Road"], postal_code="SW1A 1AA",
                     city="London", country="GB")


@main.command()
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("letters-demo"), show_default=True,
              help="Folder for the sample letters (made if missing).")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="Date on the letters.")
@friendly_errors
def demo(output_dir: Path, date_text: str | None) -> None:
    """Write every bundled campaign's letters for a sample volunteer."""
    date = parse_date(date_text)
    for campaign_id in bundled_ids():
        campaign = load_for_letters(campaign_id)
        fields = DEMO_SENDERS.get(campaign.partner_city.country, DEMO_FALLBACK)
        sender = make_sender(**fields)
        pack = produce_letters(campaign, sender, date=date)
        target = output_dir / f"{campaign_id}.pdf"
        write_atomically(target, pack.pdf)
        count = len(pack.letters)
        click.echo(f"{target}  ({count} letter{'s' * (count != 1)} from {sender.name}, "
                   f"{sender.city})")
        echo_notes(pack.notes, indent="  ")


if __name__ == "__main__":  # pragma: no cover
    main()
