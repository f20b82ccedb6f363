"""What the commands share: their errors as ``Error: ...`` lines and exit codes, the
options of a volunteer's letters, the check of what a volunteer asked for, progress."""

from __future__ import annotations

import datetime as dt
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
    resolve_campaign_path,
)
from campaign_letters.compose.paper import ENVELOPES, PAPERS
from campaign_letters.errors import (
    CampaignLettersError,
    CampaignValidationError,
    InputError,
    InputErrors,
)
from campaign_letters.model import AddressBy, Campaign, Sender, SendTo
from campaign_letters.pdf import STANDARDS
from campaign_letters.produce import VolunteerLetters, produce_letters
from campaign_letters.volunteer.check import check_volunteer

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # what click.progressbar returns


OPTION_NAMES = {"name": "--name", "street": "--street", "postal_code": "--postal-code",
                "city": "--city", "region": "--region", "country": "--country",
                "email": "--email", "language": "--language", "date": "--date",
                "envelope": "--envelope", "paper": "--paper", "note": "--note",
                "to_address": "--to-address", "root_path": "--root-path", "from": "--from",
                "reply_to": "--reply-to", "smtp": "--smtp", "since": "--since",
                "confirmed": "--confirmed", "source": "--source", "url": "--url",
                "output": "--output", "recipient": "RECIPIENT", "id": "ID",
                "name_ko": "--name-ko"}


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


def campaign_command(example: str, **kwargs: Any) -> Callable[..., CampaignCommand]:
    """``click.command`` for a command that takes a campaign, with ``example`` in its help."""
    def decorate(function: Callable[..., Any]) -> CampaignCommand:
        command = click.command(cls=CampaignCommand, **kwargs)(function)
        assert isinstance(command, CampaignCommand)
        command.example = example
        return command
    return decorate


LETTER_EXAMPLE = ("campaign-letters letter naju-haderslev --name \"Mette Hansen\" \\\n"
                  "  --street \"Vestergade 12\" --postal-code 8000 --city Aarhus "
                  "--country DK -o my-letters.pdf")



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


def pdf_standard_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--pdf-standard``: every PDF is tagged for screen readers (PDF/UA-1); a-2b also
    makes it PDF/A-2b, the archival PDF a city hall can file."""
    return click.option(
        "--pdf-standard", "pdf_standard", type=click.Choice(STANDARDS), default="ua-1",
        show_default=True,
        help="ua-1: tagged and accessible (PDF/UA-1), always; a-2b: also PDF/A-2b, for "
             "archiving.")(command)


def parse_date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("date", f"{text!r} is not a date; write YYYY-MM-DD, e.g. "
                                 "2026-11-23") from None


CAMPAIGNS_ENV = "CAMPAIGN_LETTERS_CAMPAIGNS"


def campaigns_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--campaigns DIR``: the organizer's folder of campaign files (``init`` makes it),
    where campaign ids are looked up; also from the environment, for a whole session."""
    return click.option(
        "--campaigns", "campaigns_dir", envvar=CAMPAIGNS_ENV, metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help=f"Your folder of campaign files (made by `campaign-letters init DIR`), where "
             f"campaign ids are looked up. Default: ${CAMPAIGNS_ENV}, else the bundled "
             "campaigns.")(command)


def load_for_letters(campaign_ref: str, folder: Path | None = None) -> Campaign:
    """Load a campaign for making letters. Its warnings are for organizers (``check``,
    ``officials``): the volunteer is told in words what matters to them (see notes)."""
    campaign, problems = check_campaign(resolve_campaign_path(campaign_ref, folder))
    if campaign is None:
        raise CampaignValidationError(problems)
    return campaign


def echo_notes(notes: Sequence[str], indent: str = "") -> None:
    for note in notes:
        click.echo(f"{indent}{note}", err=True)


def volunteer_letters(campaign_ref: str, sender_fields: dict[str, Any], *,
                      language: str | None, note: str | None, date_text: str | None,
                      to: SendTo, paper: str, envelope: str, address_by: AddressBy,
                      folder: Path | None = None, pdf_standard: str = "ua-1"
                      ) -> tuple[Campaign, Sender, VolunteerLetters]:
    """The shared steps of ``letter`` and ``email``: check, load, compose, render, warn."""
    # An unknown campaign is reported before the fields.
    resolve_campaign_path(campaign_ref, folder)
    loaded = load_for_letters(campaign_ref, folder)
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
                           note=asked.note, pdf_standard=pdf_standard)
    echo_notes(pack.notes)
    for warning in pack.warnings:
        click.echo(f"warning: {warning}", err=True)
    return loaded, sender, pack




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


