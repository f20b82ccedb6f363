"""`campaign-letters mail`: each volunteer of a pack gets their letters, once, from a real
SMTP server on loopback (aiosmtpd, started here): refusals, retries and a server that
stops halfway included."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import shutil
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from campaign_letters.cli import main
from tests.helpers.servers import free_port

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

NAMES = ["Søren Ødegård", "Zoë Łukasz"]  # two names that are not ASCII


class Recorder:
    """An SMTP server's handler: keeps what it accepts; refuses or delays on request."""

    def __init__(self, refuse=(), temporary=None):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = set(refuse)
        self.temporary = dict(temporary or {})
        self.accepted = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        if self.temporary.get(recipient, 0) > 0:
            self.temporary[recipient] -= 1
            return "451 4.3.0 Busy, try again later"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        self.accepted.set()
        return "250 OK"


def start_smtp(handler: Recorder, port: int | None = None) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


def volunteers() -> list[list[str]]:
    rows = [["name", "street", "postal_code", "city", "country", "email"]]
    for i in range(50):
        name = NAMES[i % 2] + f" {i}" if i in (7, 8) else f"Volunteer {i}"
        rows.append([name, f"Vej {i}", "8000", "Aarhus", "DK",
                     "" if i % 10 == 9 else f"v{i}@example.org"])
    return rows


@pytest.fixture(scope="module")
def made_pack(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mailpack")
    roster = folder / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(volunteers())
    result = CliRunner().invoke(main, ["pack", "naju-haderslev", "--roster", str(roster),
                                       "-o", str(folder / "pack"), "--date", "2026-12-02",
                                       "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def pack(made_pack, tmp_path) -> Path:
    """A fresh copy of the pack (the roster where pack.json says it is)."""
    target = tmp_path / "pack"
    shutil.copytree(made_pack / "pack", target)
    return target


def mail(pack: Path, port: int, *extra: str):
    return CliRunner().invoke(main, ["mail", str(pack), "--smtp", f"127.0.0.1:{port}",
                                     "--tls", "none", "--from",
                                     "Kampagnen <kampagne@example.org>", "--rate", "100000",
                                     "--retry-after", "0.05", *extra],
                              catch_exceptions=False)


def manifest(pack: Path) -> dict[int, dict[str, str]]:
    with (pack / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["row"]): row for row in csv.DictReader(handle)}


def test_each_volunteer_gets_their_own_letters_once(pack):
    handler = Recorder()
    controller = start_smtp(handler)
    try:
        result = mail(pack, controller.port)
        assert result.exit_code == 0, result.output
        assert len(handler.messages) == 45
        rows = manifest(pack)
        by_address = {f"v{int(r['file'].split('/')[1][:4]) - 2}@example.org": r
                      for r in rows.values()}
        for recipients, raw in handler.messages:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert recipients == [message["To"].addresses[0].addr_spec]
            row = by_address[recipients[0]]
            assert message["To"].addresses[0].display_name == row["name"]
            assert message["From"].addresses[0].addr_spec == "kampagne@example.org"
            assert message["Message-ID"] and message["Date"]
            assert message["Subject"] == "Dine breve til Haderslev og Naju"
            body = message.get_body(("plain",)).get_content()
            assert f"Kære {row['name']}" in body and "Borgmester i Naju" in body
            (pdf,) = list(message.iter_attachments())
            assert hashlib.sha256(pdf.get_content()).hexdigest() == row["sha256"]
        assert {m for m in (email.message_from_bytes(raw, policy=email.policy.default)["To"]
                            .addresses[0].display_name for _, raw in handler.messages)} >= {
            "Zoë Łukasz 7", "Søren Ødegård 8"}
        assert all(raw.isascii() for _, raw in handler.messages), "headers encoded"
        statuses = [row["mail_status"] for row in rows.values()]
        no_address = "skipped: no e-mail address in the roster's email column (column 6 " \
            "'email')"
        assert statuses.count("sent") == 45 and statuses.count(no_address) == 5
        # The summary counts them; a line for each says which row, and why.
        assert "45 sent, 5 skipped" in result.stdout
        assert [line for line in result.stderr.splitlines() if "skipped" in line] == \
            [f"{pack}: row {row}: {no_address}" for row in (11, 21, 31, 41, 51)]
        # Again: nothing is sent twice.
        again = mail(pack, controller.port)
        assert again.exit_code == 0 and len(handler.messages) == 45
        assert "0 sent now" in again.output
    finally:
        controller.stop()


def test_refused_addresses_are_named_and_temporary_refusals_retried(pack):
    handler = Recorder(refuse={"v3@example.org", "v14@example.org", "v25@example.org"},
                       temporary={"v1@example.org": 2, "v2@example.org": 1})
    controller = start_smtp(handler)
    try:
        result = mail(pack, controller.port)
        assert result.exit_code == 1
        for row in (5, 16, 27):  # roster rows of v3, v14, v25 (the header is row 1)
            assert f"row {row}: failed: 550 5.1.1 No such mailbox here" in result.output
            assert manifest(pack)[row]["mail_status"] == \
                "failed: 550 5.1.1 No such mailbox here"
        assert len(handler.messages) == 42, "the 451s were tried again and accepted"
        assert manifest(pack)[3]["mail_status"] == "sent"
    finally:
        controller.stop()


def test_a_server_that_stops_halfway_then_the_rest_exactly_once(pack):
    handler = Recorder()
    port = free_port()
    controller = start_smtp(handler, port)

    def stop_after_twenty() -> None:
        while len(handler.messages) < 20:
            time.sleep(0.005)
        controller.stop()

    stopper = threading.Thread(target=stop_after_twenty)
    stopper.start()
    result = CliRunner().invoke(main, ["mail", str(pack), "--smtp", f"127.0.0.1:{port}",
                                       "--tls", "none", "--from", "k@example.org",
                                       "--rate", "600", "--retries", "2",
                                       "--retry-after", "0.05"])
    stopper.join()
    assert result.exit_code == 1
    assert "the mail server stopped answering" in result.output
    first = [recipients[0] for recipients, _ in handler.messages]
    handler2 = Recorder()
    controller2 = start_smtp(handler2, port)
    try:
        again = mail(pack, port)
        assert again.exit_code == 0, again.output
        second = [recipients[0] for recipients, _ in handler2.messages]
        assert len(first) + len(second) == 45
        assert not set(first) & set(second), "nobody got their letters twice"
    finally:
        controller2.stop()


def test_dry_run_writes_the_messages_and_sends_none(pack):
    result = CliRunner().invoke(main, ["mail", str(pack), "--from", "k@example.org",
                                       "--dry-run", "--smtp", "127.0.0.1:1"])
    assert result.exit_code == 0, result.output
    written = sorted((pack / "mail").glob("*.eml"))
    assert len(written) == 45
    message = email.message_from_bytes(written[0].read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "v0@example.org"
    assert "mail_status" not in (pack / "manifest.csv").read_text(), "nothing sent"


def test_a_password_comes_from_the_environment_never_an_option(pack, monkeypatch):
    options = {p.name for p in main.commands["mail"].params}
    assert "password" not in options
    monkeypatch.delenv("CAMPAIGN_LETTERS_SMTP_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["mail", str(pack), "--from", "k@example.org",
                                       "--smtp", "127.0.0.1:1", "--tls", "none", "--user",
                                       "organizer"], input="secret\n")
    assert "Password for organizer at 127.0.0.1" in result.output
    assert "secret" not in result.output


def test_a_roster_changed_since_the_pack_sends_nobody_the_wrong_letters(pack):
    """Found in review: rows were matched by number alone."""
    import json

    roster = Path(json.loads((pack / "pack.json").read_text())["roster"])
    copy = pack.parent / "changed.csv"
    rows = volunteers()
    rows.insert(1, ["Carl New", "Vej 99", "8000", "Aarhus", "DK", "carl@example.org"])
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    assert roster.exists()
    result = CliRunner().invoke(main, ["mail", str(pack), "--from", "k@example.org",
                                       "--dry-run", "--roster", str(copy)])
    assert result.exit_code == 1
    assert "row 2: failed: the roster's row 2 holds 'Carl New', not 'Volunteer 0'" in \
        result.output
    assert not list((pack / "mail").glob("*.eml")), "no message to the wrong person"


def test_one_mail_run_at_a_time(pack):
    import fcntl

    with (pack / ".mail-journal").open("a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = CliRunner().invoke(main, ["mail", str(pack), "--from", "k@example.org",
                                           "--smtp", "127.0.0.1:1", "--tls", "none"])
    assert result.exit_code == 1
    assert "another `campaign-letters mail` is sending this pack" in result.output


def test_a_password_never_goes_unencrypted_to_another_machine(pack):
    result = CliRunner().invoke(main, ["mail", str(pack), "--from", "k@example.org",
                                       "--smtp", "mail.example.org:25", "--tls", "none",
                                       "--user", "organizer"])
    assert result.exit_code == 1
    assert "would send the password for 'organizer' to mail.example.org unencrypted" in \
        result.output
