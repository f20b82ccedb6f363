"""One rule for an e-mail address (volunteer.sender.check_email, on the standard
library's parser), shared by the page, `email`, `pack` and `mail`: whatever one accepts,
all of them can use, and `mail` reports a bad row and goes on."""

from __future__ import annotations

import email
import email.policy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_letters import InputError
from campaign_letters.mail.draft import mail_address, message_policy
from campaign_letters.pack.folder import read_manifest
from campaign_letters.volunteer.sender import check_email
from tests.helpers import TODAY
from tests.helpers.commands import cli_process
from tests.helpers.packs import write_roster
from tests.helpers.servers import RecordingSmtp, smtp_server

HEADER = ["name", "street", "postal_code", "city", "country", "email"]


@pytest.mark.parametrize("address", ["eve@example.org", "søren@example.dk",
                                     "فاطمة@example.org", "eve@пример.рф",
                                     "eve+campaign@mail.example.co.uk"])
def test_addresses_the_rule_accepts(address):
    assert check_email("email", address) == address


@pytest.mark.parametrize("address", ["<eve@example.org>", "Eve <eve@example.org>",
                                     "eve@example.org>", "eve@localhost", "eve@@x.org",
                                     "@example.org", "eve@", "a b@example.org",
                                     "eve@exa mple.org", "a@b.c,d@e.f", "eve.@example.org",
                                     "eve@example..org", "eve@example.org\nBcc: x@y.z",
                                     '"eve x"@example.org'])
def test_addresses_the_rule_refuses(address):
    with pytest.raises(InputError, match="is not an e-mail address"):
        check_email("email", address)


def usable(address: str) -> bytes:
    """A message to and from ``address``, as mail and the drafts write it."""
    message = email.message.EmailMessage(policy=message_policy(address))
    message["From"] = mail_address("Campaign", address)
    message["To"] = mail_address("Volunteer", address)
    message["Subject"] = "Your letters"
    message.set_content("Hello")
    return message.as_bytes(policy=message.policy)


@given(st.one_of(st.emails(), st.text(max_size=40),
                 st.builds(lambda local, domain: f"{local}@{domain}",
                           st.text(min_size=1, max_size=12), st.sampled_from(
                               ["example.org", "example..org", "x", "пример.рф"]))))
@pytest.mark.slow  # kept out of the quick run (over a second)
def test_whatever_the_rule_accepts_a_message_can_carry(address):
    try:
        check_email("email", address)
    except InputError:
        return
    # Read back as a mail program reads a UTF-8 message (RFC 6532).
    parsed = email.message_from_string(usable(address).decode("utf-8"),
                                       policy=email.policy.SMTPUTF8)
    assert parsed["To"].addresses[0].domain == address.rpartition("@")[2]


@pytest.mark.slow
@pytest.mark.parametrize("dry_run", [False, True])
def test_mail_reports_a_bad_row_and_goes_on(tmp_path, dry_run):
    rows = [["Søren Ødegård", "Nytorv 2", "1450", "København", "DK", "søren@example.dk"],
            ["Eve", "Vej 1", "8000", "Aarhus", "DK", "eve@example.org"],
            ["Bo", "Vej 2", "8000", "Aarhus", "DK", "bo@example.org"]]
    roster = write_roster(tmp_path / "roster.csv", rows, header=HEADER)
    out = tmp_path / "pack"
    made = cli_process("pack", "naju-haderslev", "--roster", roster, "-o", out, "--date",
                       TODAY.isoformat(), "--jobs", "1")
    assert made.returncode == 0, made.stderr
    # Edited after the pack, as a spreadsheet might: an address no header can hold.
    roster.write_text(roster.read_text(encoding="utf-8").replace(
        "eve@example.org", "<eve@example.org>"), encoding="utf-8")
    recorder = RecordingSmtp()
    with smtp_server(recorder, enable_SMTPUTF8=True) as controller:
        result = cli_process("mail", out, "--from", "Campaign <c@example.org>", "--smtp",
                             f"127.0.0.1:{controller.port}", "--tls", "none", "--rate",
                             "100000", *(["--dry-run"] if dry_run else []))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "row 3: failed: '<eve@example.org>' is not an e-mail address" in result.stderr
    if dry_run:
        assert sorted(p.name for p in (out / "mail").glob("*.eml")) == \
            ["0002-soren-odegard.eml", "0004-bo.eml"]
    else:
        assert recorder.recipients == ["søren@example.dk", "bo@example.org"]
        statuses = {row.row: row.mail_status for row in read_manifest(out)}
        assert statuses[2] == "sent" and statuses[4] == "sent"
        assert statuses[3].startswith("failed: '<eve@example.org>'")
