"""Rosters as spreadsheet programs save them, and roster readers run as a stranger's file
would meet them: LibreOffice's own "Save as" (``save_with_libreoffice``, ``saved_rosters``),
the command line under a memory limit and a timeout (``limited_cli``), and a reader process
that reads many files in a row under the same limits (``RosterReader``, for the fuzz test).
"""

from __future__ import annotations

import csv
import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers.commands import cli_process
from tests.helpers.samples import ROOT
from tests.helpers.servers import missing

MEMORY = 1536 << 20  # address space for the command under test: far below the machine's
SECONDS = 120  # for the command under test; the reader's own limit is READER_SECONDS

ROWS = [
    ["name", "street", "postal_code", "city", "region", "country", "email"],
    ["Anne Hansen", "Hovedgaden 1", "0800", "Høje Taastrup", "", "DK", "anne@example.org"],
    ["Bo Berg", "Vestergade 12", "8000", "Aarhus", "", "DK", "bo@example.org"],
]


def soffice() -> str:
    binary = shutil.which("soffice")
    if binary is None:
        missing("LibreOffice is missing: apt-get install libreoffice-calc-nogui")
    return binary


def save_with_libreoffice(source: Path, target_format: str, folder: Path,
                          infilter: str | None = None) -> Path:
    """LibreOffice's own conversion, as an organizer's "Save as" would write the file."""
    command = [soffice(), f"-env:UserInstallation=file://{folder / 'profile'}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target_format, "--outdir", str(folder), str(source)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    made = folder / f"{source.stem}.{target_format.split(':')[0]}"
    assert result.returncode == 0 and made.exists(), result.stderr + result.stdout
    return made


def saved_rosters(folder: Path) -> dict[str, Path]:
    """A small roster (ROWS) as LibreOffice Calc saves it: .xlsx, .xls, .ods and .csv."""
    typed = folder / "typed.csv"
    with typed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS)
    semicolons = "CSV:59,34,76,1"
    made = {kind: save_with_libreoffice(typed, target, folder, semicolons)
            for kind, target in (("xlsx", "xlsx"), ("ods", "ods"),
                                 ("xls", "xls:MS Excel 97"))}
    out = folder / "saved"
    out.mkdir()
    made["csv"] = save_with_libreoffice(made["ods"], "csv:Text - txt - csv (StarCalc):44,34,76,1",
                                        out)
    return made


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def limited_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``campaign-letters ARGS`` in a process of its own limited to MEMORY bytes of address
    space and SECONDS (TimeoutExpired past them)."""
    return cli_process(*args, timeout=SECONDS, preexec_fn=_limit_memory, cwd=cwd)


WORKER = """
import json, sys, traceback
from pathlib import Path
from campaign_letters.errors import RosterError
from campaign_letters.volunteer import spreadsheets
from campaign_letters.volunteer.roster import read_roster
spreadsheets.READER_SECONDS = int(sys.argv[1])
for line in sys.stdin:
    try:
        roster = read_roster(Path(line.rstrip("\\n")))
        answer = {"rows": sum(1 for _ in roster.rows()), "count": roster.count}
    except RosterError as exc:
        answer = {"refused": str(exc)}
    except BaseException:
        answer = {"crash": traceback.format_exc()}
    print(json.dumps(answer), flush=True)
"""


class RosterReader:
    """``read_roster`` and ``rows()`` in a process of its own limited to MEMORY, reading
    one file after another (starting Python for each would take most of a fuzz test's
    time); calamine's own process is limited to ``seconds``."""

    def __init__(self, seconds: int = 20):
        self.seconds = seconds
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, str(seconds)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                        preexec_fn=_limit_memory)

    def read(self, path: Path) -> dict[str, object]:
        """{'rows': n, 'count': n}, {'refused': message} or {'crash': traceback}; an
        AssertionError if the process died or took longer than its limits allow."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{path}\n")
        self.process.stdin.flush()
        line = self._line(timeout=3 * self.seconds + 30)
        assert line, f"the reader died on {path}: {self.process.wait()} " \
                     f"{self.process.stderr.read() if self.process.stderr else ''}"
        answer: dict[str, object] = json.loads(line)
        return answer

    def _line(self, timeout: float) -> str:
        import selectors

        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                self.process.kill()
                raise AssertionError(f"no answer in {timeout} s")
        return self.process.stdout.readline()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
