"""The command line as a user meets it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from pypdf import PdfReader

from campaign_letters.campaign.load import bundled_ids
from tests.helpers import CA_ARGS, DK_ARGS, TODAY, campaign_text, cli_process, with_sender
from tests.helpers.pdf_text import pdftotext


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_letter_writes_pdf(run_cli, tmp_path):
    out = tmp_path / "letters.pdf"
    result = run_cli("letter", "naju-haderslev", "--language", "da", *DK_ARGS,
                     "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"{out}: 3 letters" in result.output
    assert "23. november 2026" in text_of(out)
    assert out.stat().st_mode & 0o044, "the letter should be readable like any new file"


def test_language_defaults_to_local_for_local_senders(run_cli, tmp_path):
    out = tmp_path / "l.pdf"
    assert run_cli("letter", "naju-haderslev", *DK_ARGS, "--date", "2026-11-23",
                   "-o", str(out)).exit_code == 0
    assert "Kære borgmester" in text_of(out)
    assert run_cli("letter", "naju-haderslev", *CA_ARGS, "--date", "2026-11-23",
                   "-o", str(out)).exit_code == 0
    assert "Dear Mayor Mads Skau" in text_of(out)


def test_to_primary_and_address_by_office(run_cli, tmp_path):
    out = tmp_path / "l.pdf"
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "--to", "primary",
                     "--address-by", "office", "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 letter" in result.output
    text = text_of(out)
    assert "Borgmesteren" in text
    assert "Kære borgmester og medlemmer" in text
    assert "Mads Skau og" not in text


def test_missing_recipients_are_reported(run_cli, tmp_path):
    result = run_cli("letter", "paju-coquitlam", *CA_ARGS, "--date", "2026-12-02",
                     "-o", str(tmp_path / "p.pdf"))
    assert result.exit_code == 0, result.output
    assert "No letter goes to Paju City Council: the campaign has no postal address for " \
           "it." in result.output
    assert "2 letters" in result.output, "Paju City Hall gets its copy"
    assert ".yaml" not in result.output, "no organizer's file:line for a volunteer"


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "  "], "Error: --name: is required and must not be blank"),
    (["--postal-code", "80000"], "Error: --postal-code: '80000' is not a valid postcode for "
                                 "Denmark"),
    (["--country", "Denmark"], "Error: --country: 'Denmark' is not an ISO 3166 country code; "
                               "use DK for Denmark"),
    (["--name", "Ann 😀"], "Error: --name: U+1F600 (GRINNING FACE) cannot be printed"),
    (["--language", "de"], "Error: --language: 'de' is not a language of campaign "
                           "naju-haderslev; choose one of en, da"),
    (["--date", "23/11/2026"], "Error: --date: '23/11/2026' is not a date; write YYYY-MM-DD"),
    (["--paper", "a4", "--envelope", "us-10"], "Error: --envelope: a us-10 envelope does not "
                                               "go with a4 paper"),
    (["--name", "x" * 81], "Error: --name: is 81 characters long; at most 80 fit"),
])
def test_bad_sender_input(run_cli, tmp_path, args, message):
    sender = with_sender(**{flag.removeprefix("--").replace("-", "_"): value
                            for flag, value in zip(args[::2], args[1::2], strict=True)})
    result = run_cli("letter", "naju-haderslev", *sender, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_missing_street(run_cli, tmp_path):
    args = [a for a in DK_ARGS if a not in ("--street", "Vestergade 12")]
    result = run_cli("letter", "naju-haderslev", *args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: --street: is required" in result.output


def test_unknown_campaign_lists_available(run_cli):
    result = run_cli("letter", "nowhere", *DK_ARGS)
    assert result.exit_code == 1
    assert "Error: unknown campaign 'nowhere'" in result.output
    assert "daegu-milan, icheon-limoges, naju-haderslev, paju-coquitlam" in result.output


def test_check_bundled_exits_0(run_cli):
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_check_strict_fails_on_warnings(run_cli):
    assert run_cli("check", "--strict").exit_code == 1


def test_check_broken_copy(run_cli, tmp_path):
    broken = tmp_path / "naju-haderslev.yaml"
    text = campaign_text()
    broken.write_text(text.replace("\noffice: ", "\noffise: ").replace("city: Haderslev",
                                                                       "cty: Haderslev"),
                      encoding="utf-8")
    result = run_cli("check", str(broken))
    assert result.exit_code == 1
    assert f"{broken}:" in result.output
    assert "unknown key 'cty'; did you mean 'city'?" in result.output
    assert "Traceback" not in result.output


def test_letter_with_broken_campaign_file(run_cli, tmp_path):
    broken = tmp_path / "mine.yaml"
    broken.write_text("id: mine\n", encoding="utf-8")
    result = run_cli("letter", str(broken), *DK_ARGS, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "Error: the campaign file has errors:" in result.output
    assert f"{broken}:1: missing required field 'title'" in result.output


def test_unwritable_output_is_a_clear_error(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("letter", "naju-haderslev", *DK_ARGS, "-o", str(blocker / "x.pdf"))
    assert result.exit_code == 1
    assert f"Error: cannot write {blocker / 'x.pdf'}: File exists" in result.output
    assert "Traceback" not in result.output


def test_demo_writes_every_campaign(run_cli, tmp_path):
    result = run_cli("demo", "-o", str(tmp_path / "demo"), "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.name for p in (tmp_path / "demo").glob("*.pdf"))
    assert pdfs == ["daegu-milan.pdf", "icheon-limoges.pdf", "naju-haderslev.pdf",
                    "paju-coquitlam.pdf"]
    assert "Aarhus, 23. november 2026" in text_of(tmp_path / "demo" / "naju-haderslev.pdf")


def test_console_entry_point_without_traceback(tmp_path):
    """Through a real process, as a user runs it."""
    result = cli_process("letter", "naju-haderslev", "--name", "", "--street", "x", "--city",
                         "Aarhus", "--postal-code", "8000", "--country", "DK", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: --name: is required and must not be blank"


def test_an_address_line_too_wide_for_the_window_wraps(run_cli, tmp_path):
    """It was refused; it wraps at 10 pt and fits a DL window (see
    tests/layout/test_window_address.py for the rest of the rule)."""
    text = campaign_text()
    long_org = ("Haderslev Kommune, Borgmesterens Kontor og Sekretariat for Internationale "
                "Venskabsbyer")
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text.replace("organization: Haderslev Kommune",
                                 f"organization: {long_org}"), encoding="utf-8")
    result = run_cli("letter", str(path), *DK_ARGS, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert " ".join(long_org.split()) in " ".join(pdftotext(tmp_path / "x.pdf").split())


def test_long_sender_never_fails_a_letter(run_cli, tmp_path):
    name = "Maximiliane Alexandra Konstantina Bartholomäus-Wittgenstein von Hohenzollern"
    out = tmp_path / "long.pdf"
    result = run_cli("letter", "naju-haderslev", "--name", name,
                     "--street", "Very Long Street Name With Many Words 123",
                     "--street", "Building C, Staircase 4, 3rd Floor, Apartment 12",
                     "--street", "c/o Somebody With A Long Name Too",
                     "--postal-code", "8000", "--city", "Aarhus", "--country", "DK",
                     "-o", str(out))
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "Maximiliane" in text and "Hohenzollern" in text


def test_email_draft(run_cli, tmp_path):
    import email
    import email.policy

    out = tmp_path / "draft.eml"
    result = run_cli("email", "naju-haderslev", *DK_ARGS, "--email", "mette@example.org",
                     "--date", "2026-11-23", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "tilføj selv modtagernes adresser" in result.output
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("Borgmester Mads Skau og medlemmer")
    assert message["To"] is None and message["X-Unsent"] == "1"
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    result = run_cli("email", "naju-haderslev", *DK_ARGS, "--to-address", "mayor@example.dk",
                     "-o", str(out))
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["To"] == "mayor@example.dk"
    result = run_cli("email", "naju-haderslev", *DK_ARGS, "--to-address", "nope", "-o",
                     str(out))
    assert result.exit_code == 1
    assert "Error: --to-address: 'nope' is not an e-mail address" in result.output


def test_help_names_the_campaigns_shows_an_example_and_describes_every_option(run_cli):
    from campaign_letters.cli import main

    text = run_cli("letter", "--help").output
    for campaign_id in ("naju-haderslev", "daegu-milan", "icheon-limoges", "paju-coquitlam"):
        assert campaign_id in text
    assert "Example:\n  campaign-letters letter naju-haderslev --name" in text
    for option in ("--name", "--street", "--city", "--country"):
        line = text[text.index(f"  {option} "):]
        assert "[required]" in line[:line.index("\n  --", 3)], option
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts[0]} has no description"


def test_every_missing_field_in_one_run(run_cli, tmp_path):
    result = run_cli("letter", "naju-haderslev", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == \
        ["--name", "--street", "--city", "--country"]
    assert not (tmp_path / "x.pdf").exists()


def test_a_street_that_looks_like_a_placeholder_prints_as_typed(run_cli, tmp_path):
    """Found in review: the address formatter's own placeholders were "@@3@@"."""
    out = tmp_path / "l.pdf"
    result = run_cli("letter", "naju-haderslev", *with_sender(street="@@3@@ Vestergade"),
                     "--to", "primary", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "@@3@@ Vestergade" in text_of(out)
    assert "8000 Vestergade" not in text_of(out)


def test_officials_prints_every_recipient_with_holder_source_and_status(run_cli):
    result = run_cli("officials", "--date", "2026-12-02")
    assert result.exit_code == 0, result.output
    text = result.output
    for campaign_id in bundled_ids():
        # Each with the file it was read from: the copy an edit must go to.
        assert f"{campaign_id} (as of 2026-12-02): campaigns/{campaign_id}.yaml" in text
    block = text[text.index("naju-haderslev"):text.index("paju-coquitlam")]
    assert "Mayor of Haderslev (haderslev-mayor)\n    holder:    Mads Skau\n" \
           "    since:     2022-01-01\n    confirmed: 2025-11-19\n" in block
    assert "status:    confirmed: letters name the holder" in block
    assert "UNCONFIRMED since the 9th South Korean local elections of 2026-06-03" in block
    assert "Naju City Council (naju-council)\n    holder:    -" in block
    assert "no postal address: no letter" in text  # Paju City Council
    one = run_cli("officials", "daegu-milan", "--date", "2026-12-02").output
    assert "naju-haderslev" not in one
    # The acting mayor's term ended when the elected one took office (1 July 2026).
    assert "    holder:    -\n" in one[one.index("Mayor of Daegu"):]
    assert "by office (no holder recorded; Kim Jung-ki left on 2026-06-30): record one " \
           "with `confirm`" in one



@pytest.mark.slow  # kept out of the quick run (over a second)
def test_cli_output_does_not_depend_on_path(tmp_path):
    outputs = [tmp_path / "a.pdf", tmp_path / "sub" / "other-name.pdf"]
    for out in outputs:
        result = cli_process("letter", "naju-haderslev", "--language", "da", *DK_ARGS,
                             "--date", TODAY.isoformat(), "-o", out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{out}: 3 letters" in result.stdout
    first, second = (path.read_bytes() for path in outputs)
    assert first.startswith(b"%PDF-")
    assert first == second
