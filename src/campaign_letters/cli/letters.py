"""The volunteers' commands: ``letter``, ``email`` and ``demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from campaign_letters.campaign.load import campaign_ids
from campaign_letters.cli.common import (
    LETTER_EXAMPLE,
    campaign_command,
    campaigns_option,
    echo_notes,
    friendly_errors,
    letter_options,
    load_for_letters,
    parse_date,
    pdf_standard_option,
    sender_options,
    volunteer_letters,
)
from campaign_letters.files import write_atomically
from campaign_letters.model import AddressBy, SendTo
from campaign_letters.produce import produce_letters
from campaign_letters.volunteer.sender import check_email, make_sender


@campaign_command(LETTER_EXAMPLE)
@click.argument("campaign")
@sender_options
@letter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF file to write (default: letters-<campaign>.pdf).")
@pdf_standard_option
@campaigns_option
@friendly_errors
def letter(campaign: str, name: str | None, street: tuple[str, ...], postal_code: str | None,
           city: str | None, region: str | None, country: str | None, email: str | None,
           language: str | None, note: str | None, date_text: str | None, to: SendTo,
           paper: str, envelope: str, address_by: AddressBy, output: Path | None,
           pdf_standard: str, campaigns_dir: Path | None) -> None:
    """Write the letters of CAMPAIGN (an id or a .yaml file) for one volunteer."""
    loaded, _, pack = volunteer_letters(
        campaign, dict(name=name, street=street, postal_code=postal_code, city=city,
                       region=region, country=country, email=email),
        language=language, note=note, date_text=date_text, to=to, paper=paper,
        envelope=envelope, address_by=address_by, folder=campaigns_dir,
        pdf_standard=pdf_standard)
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
@pdf_standard_option
@campaigns_option
@friendly_errors
def email(campaign: str, name: str | None, street: tuple[str, ...], postal_code: str | None,
          city: str | None, region: str | None, country: str | None, email: str | None,
          language: str | None, note: str | None, date_text: str | None, to: SendTo,
          paper: str, envelope: str, address_by: AddressBy, to_addresses: tuple[str, ...],
          output: Path | None, pdf_standard: str, campaigns_dir: Path | None) -> None:
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
        envelope=envelope, address_by=address_by, folder=campaigns_dir,
        pdf_standard=pdf_standard)
    target = output or Path(f"letters-{loaded.id}.eml")
    write_atomically(target, make_draft(loaded, sender, pack, list(to_addresses) or None))
    click.echo(f"{target}: e-mail draft with {len(pack.letters)} letters attached")
    if not to_addresses:
        for line in draft_notes(loaded, pack.letters[0].language):
            click.echo(f"note: {line}", err=True)



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


@click.command()
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("letters-demo"), show_default=True,
              help="Folder for the sample letters (made if missing).")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", help="Date on the letters.")
@campaigns_option
@friendly_errors
def demo(output_dir: Path, date_text: str | None, campaigns_dir: Path | None) -> None:
    """Write every campaign's letters (bundled, or in --campaigns) for a sample volunteer."""
    date = parse_date(date_text)
    for campaign_id in campaign_ids(campaigns_dir):
        campaign = load_for_letters(campaign_id, campaigns_dir)
        fields = DEMO_SENDERS.get(campaign.partner_city.country, DEMO_FALLBACK)
        sender = make_sender(**fields)
        pack = produce_letters(campaign, sender, date=date)
        target = output_dir / f"{campaign_id}.pdf"
        write_atomically(target, pack.pdf)
        count = len(pack.letters)
        click.echo(f"{target}  ({count} letter{'s' * (count != 1)} from {sender.name}, "
                   f"{sender.city})")
        echo_notes(pack.notes, indent="  ")


