"""Faults of the machine, not of the input: a full disk and a read-only output folder.

Each case runs the real CLI inside a mount namespace of its own (``unshare``) on a small
tmpfs, so the disk really fills and a read-only mount really refuses, even for root
(which ignores file permissions, and which CI runs as).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import DK_ARGS, cli_command
from tests.helpers.packs import read_manifest, volunteers, write_roster


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not _can_unshare(),
    reason="needs unshare with user and mount namespaces (util-linux); required in CI")

CLI = shlex.join(cli_command())


def in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root of a new user and mount namespace: its mounts vanish
    with it."""
    return subprocess.run(["unshare", "-rm", "sh", "-euc", script], capture_output=True,
                          text=True, cwd=cwd, check=False, timeout=300)


def assert_clear_error(stderr: str, *expected: str) -> None:
    assert "Traceback" not in stderr, stderr
    for part in expected:
        assert part in stderr, stderr


def test_letter_onto_a_full_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "letters.pdf"
    result = in_namespace(
        f"mount -t tmpfs -o size=12k tmpfs {disk}\n"
        f"set +e; {CLI} letter naju-haderslev {shlex.join(DK_ARGS)} --date 2026-11-23 "
        f"-o {out}; echo \"exit $?\"; ls -A {disk}", tmp_path)
    assert result.stdout.splitlines()[-1:] == ["exit 1"], result.stdout + result.stderr
    assert_clear_error(result.stderr, f"cannot write {out}: No space left on device",
                       "choose another output path")


@pytest.mark.parametrize("command", ["letter", "pack"])
def test_read_only_folder(tmp_path, command):
    disk = tmp_path / "disk"
    disk.mkdir()
    if command == "letter":
        args, refused = f"{shlex.join(DK_ARGS)} -o {disk}/letters.pdf", \
            f"cannot write {disk}/letters.pdf"
    else:
        roster = write_roster(tmp_path / "roster.csv", volunteers(3))
        args, refused = f"--roster {roster} -o {disk}/pack", f"cannot create {disk}/pack"
    result = in_namespace(
        f"mount -t tmpfs -o ro tmpfs {disk}\n"
        f"set +e; {CLI} {command} naju-haderslev {args}; echo \"exit $?\"", tmp_path)
    assert result.stdout.splitlines()[-1:] == ["exit 1"], result.stdout + result.stderr
    assert_clear_error(result.stderr, f"{refused}: Read-only file system")


@pytest.mark.slow
def test_pack_that_fills_the_disk_then_finishes_with_room(tmp_path):
    """The disk fills halfway through: a clear error, every file already written is whole
    and what the journal says; with room again, the same command finishes the pack."""
    roster = write_roster(tmp_path / "roster.csv", volunteers(30))
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "pack"
    first = tmp_path / "after-full"
    command = (f"{CLI} pack naju-haderslev --roster {roster} -o {out} --jobs 2 "
               "--date 2026-11-23")
    result = in_namespace(
        f"mount -t tmpfs -o size=400k tmpfs {disk}\n"
        f"set +e; {command} > {tmp_path}/1.out 2> {tmp_path}/1.err; echo $? > "
        f"{tmp_path}/1.rc; set -e\n"
        f"cp -a {out} {first}\n"
        f"mount -o remount,size=64m {disk}\n"
        f"set +e; {command} > {tmp_path}/2.out 2> {tmp_path}/2.err; echo $? > "
        f"{tmp_path}/2.rc; set -e\n"
        f"cp -a {out} {tmp_path}/finished", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    first_err = (tmp_path / "1.err").read_text()
    assert (tmp_path / "1.rc").read_text().strip() == "1", first_err
    assert_clear_error(first_err, "No space left on device", "run the same command again",
                       "letters already made are kept")
    assert f"cannot write {out}" in first_err or f"cannot write in {out}" in first_err
    assert len(first_err.strip().splitlines()) <= 3, first_err  # one error, not one a row
    # Whatever the full disk let through is whole and as journaled.
    journal = [json.loads(line) for line in
               (first / ".pack-journal").read_text().splitlines() if '"row"' in line]
    assert journal, "some letters should have fitted before the disk was full"
    for entry in journal:
        data = (first / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    for path in (first / "letters").iterdir():
        assert not path.name.startswith("."), f"temporary file left: {path.name}"
        assert len(PdfReader(path).pages) == 3
    # With room, the same command completes the pack from where it stopped.
    second_err = (tmp_path / "2.err").read_text()
    assert (tmp_path / "2.rc").read_text().strip() == "0", second_err
    assert f"{len(journal)} unchanged from the last run" in (tmp_path / "2.out").read_text()
    finished = tmp_path / "finished"
    manifest = read_manifest(finished)
    assert [(m["row"], m["name"], m["status"]) for m in manifest] == \
        [(str(i + 2), f"Volunteer {i}", "ok") for i in range(30)]
    for row in manifest:
        data = (finished / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]
    assert len(PdfReader(finished / "print-pack.pdf").pages) == 90
    assert sorted(p.name for p in finished.iterdir() if not p.name.startswith(".")) == [
        "labels.pdf", "letters", "manifest.csv", "pack.json", "print-pack.pdf"]
