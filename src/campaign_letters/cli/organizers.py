"""The organizers' commands that use campaigns: ``pack``, ``mail`` and ``serve``."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from campaign_letters.campaign.load import resolve_campaign_path
from campaign_letters.cli.common import (
    ProgressReporter,
    campaign_command,
    campaigns_option,
    echo_notes,
    friendly_errors,
    load_for_letters,
    parse_date,
    pdf_standard_option,
)
from campaign_letters.compose.paper import ENVELOPES, PAPERS
from campaign_letters.errors import (
    InputError,
)
from campaign_letters.model import AddressBy, SendTo
from campaign_letters.produce import recipient_notes
from campaign_letters.volunteer.sender import check_email

# -- pack ----------------------------------------------------------------------------------

@campaign_command("campaign-letters pack naju-haderslev --roster volunteers.csv -o pack/")
@click.argument("campaign")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The volunteers: a spreadsheet (.xlsx, .xls, .ods) or CSV, with a header "
                   "row: name, street, postal_code, city, region, country, email, language, "
                   "note (or as people head them: E-mail, Postcode, Code postal, 우편번호...).")
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
@pdf_standard_option
@campaigns_option
@friendly_errors
def pack(campaign: str, roster: Path, sheet: str | None, output_dir: Path, jobs: int | None,
         duplex: bool, sort: str, date_text: str | None, to: SendTo, paper: str, envelope: str,
         address_by: AddressBy, pdf_standard: str, campaigns_dir: Path | None) -> None:
    """Letters for every volunteer of a roster: a PDF each, one print pack, address labels
    and a manifest. Bad rows are reported and skipped; exit 1 if any failed."""
    from campaign_letters.pack.build import PackOptions, build_pack
    from campaign_letters.volunteer.roster import read_roster

    campaign_path = resolve_campaign_path(campaign, campaigns_dir)
    loaded = load_for_letters(campaign, campaigns_dir)
    volunteers = read_roster(roster, sheet)
    for warning in volunteers.warnings:
        click.echo(f"warning: {warning}", err=True)
    options = PackOptions(date=parse_date(date_text) if date_text else None, to=to,
                          paper=paper, envelope=envelope, address_by=address_by,
                          duplex=duplex, sort=sort, jobs=jobs or os.cpu_count() or 1,
                          pdf_standard=pdf_standard)
    with ProgressReporter(volunteers.count, "volunteers") as progress:
        result = build_pack(campaign_path, volunteers, output_dir, options, progress.update)
    for failed in result.failed:
        for field, problem in failed.problems:
            column = f", {field}" if field else ""
            click.echo(f"{roster}: row {failed.row}{column}: {problem}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {roster}: {warning}", err=True)
    if len(result.print_files) > 1:
        # One file would go to one tray and print half its sheets on the wrong paper.
        files = " and ".join(each.describe() for each in result.print_files)
        click.echo(f"warning: {output_dir}: the letters are on {len(result.print_files)} "
                   f"paper sizes, so the print pack is one file per size, each for the "
                   f"printer tray with that paper: {files}", err=True)
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
              default=None, help="The pack's roster, if it has moved since `pack` (or a "
                                 "copy of it that holds the e-mail addresses).")
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
    their letters' language, the PDF attached, saying how to print, fold and post. Each
    row skipped or failed is listed with why. A re-run sends only what the server has not
    accepted; exit 1 if any row failed, or if the roster has no e-mail column.
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
    counts: dict[str, int] = {}
    for outcome in result.outcomes:
        key = outcome.status.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{count} {key}" for key, count in sorted(counts.items()))
    what = "written to mail/" if dry_run else f"{result.sent_now} sent now"
    click.echo(f"{pack_dir}: {what}; {summary}"
               f"{'' if dry_run else '; see manifest.csv (mail_status)'}")
    # Then every row not sent, and why: "31 skipped" alone leaves the organizer to guess.
    for outcome in result.not_sent:
        click.echo(f"{pack_dir}: row {outcome.row}: {outcome.status}", err=True)
    if result.failed:
        sys.exit(1)



# -- serve ---------------------------------------------------------------------------------

@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every network interface; behind a "
                   "proxy, keep 127.0.0.1).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@campaigns_option
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
@pdf_standard_option
@friendly_errors
def serve(host: str, port: int, campaigns_dir: Path | None, workers: int | None,
          root_path: str, forwarded_allow_ips: str | None, rate_limit: int, max_queue: int,
          timeout: float, log_format: str, pdf_standard: str) -> None:
    """Serve the volunteers' web page: pick a campaign, fill in, preview, download.

    SIGTERM or Ctrl-C: requests in flight finish, then the server stops. SIGHUP: the
    workers restart one by one. See README, "Hosting".
    """
    from campaign_letters.web.serving import ServeOptions
    from campaign_letters.web.serving import serve as run_server

    if root_path and not root_path.startswith("/"):
        raise InputError("root_path", f"{root_path!r} must start with /, e.g. /letters")
    from campaign_letters.web.campaign_folder import CampaignFolder

    options = ServeOptions(host=host, port=port, campaigns_dir=campaigns_dir,
                           workers=workers or os.cpu_count() or 1,
                           root_path=root_path, forwarded_allow_ips=forwarded_allow_ips,
                           rate_limit=rate_limit, max_queue=max_queue, timeout=timeout,
                           log_format=log_format, pdf_standard=pdf_standard)
    # The folder is checked before anything is announced: a service that cannot serve
    # says why and stops, rather than printing an address first.
    offered = CampaignFolder.check(campaigns_dir)
    where = f"from {campaigns_dir}" if campaigns_dir is not None else "(bundled)"
    click.echo(f"Serving {len(offered)} campaign{'s' * (len(offered) != 1)} {where} on "
               f"http://{host}:{port}{root_path.rstrip('/')}/ with {options.workers} "
               f"worker{'s' * (options.workers != 1)} (Ctrl-C to stop)", err=True)
    run_server(options)


