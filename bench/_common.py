"""Shared by the speed benches (letter_speed.py, pack_speed.py, typst_reference.py).

Not a test and not part of the package: the machine description, the reference letter
(naju-haderslev, Danish sender, in Danish, 2026-11-23), unique Danish volunteer names, a
roster writer, percentiles, and a sampler of the peak memory of a process tree.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import platform
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
CAMPAIGN = "naju-haderslev"
DATE = dt.date(2026, 11, 23)
SENDER = dict(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000", city="Aarhus",
              country="DK")
LANGUAGE = "da"


# -- the machine ----------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: other work on the machine skews figures."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over ``seconds`` (0..1), whoever uses them."""
    busy0, total0 = _cpu_times()
    time.sleep(seconds)
    busy1, total1 = _cpu_times()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_quiet(threshold: float = 0.15, max_wait: float = 600.0) -> str:
    """Wait until the machine is nearly idle (other work skews timings); say how it went."""
    t0 = time.perf_counter()
    busy = cpu_busy()
    while busy > threshold and time.perf_counter() - t0 < max_wait:
        busy = cpu_busy(2.0)
    waited = time.perf_counter() - t0
    state = "quiet" if busy <= threshold else "STILL BUSY"
    return f"CPU {busy:.0%} busy before the run ({state}, waited {waited:.0f} s)"


class OthersMeter:
    """How much of the machine other processes used between start() and share(): all
    cores' busy time from /proc/stat minus this process's and its waited-for children's
    CPU time (os.times)."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.busy0, self.total0 = _cpu_times()
        self.ours0 = self._ours()

    @staticmethod
    def _ours() -> float:
        t = os.times()
        return (t.user + t.system + t.children_user + t.children_system) \
            * os.sysconf("SC_CLK_TCK")

    def share(self) -> float:
        busy, total = _cpu_times()
        others = (busy - self.busy0) - (self._ours() - self.ours0)
        return max(0.0, others) / max(1, total - self.total0)


def versions() -> dict[str, str]:
    import reportlab

    out = {"python": sys.version.split()[0], "reportlab": reportlab.Version}
    try:
        import _rl_accel  # noqa: F401

        out["rl_accel"] = "yes"
    except ImportError:
        out["rl_accel"] = "NO"
    try:
        import pypdf

        out["pypdf"] = pypdf.__version__
    except ImportError:
        out["pypdf"] = "-"
    try:
        import typst

        out["typst"] = getattr(typst, "__version__", "?")
    except ImportError:
        out["typst"] = "not installed (pip install 'typst==0.15.2')"
    try:
        import campaign_letters

        out["campaign-letters"] = campaign_letters.__version__
    except ImportError:
        out["campaign-letters"] = "?"
    return out


def git_state() -> str:
    """The project's commit, and whether the working tree differs from it."""
    import subprocess

    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + (" (+ uncommitted changes)" if dirty else "")


def machine_header(title: str) -> str:
    v = versions()
    return "\n".join([
        f"# {title}",
        f"# {dt.datetime.now().astimezone().isoformat(timespec='seconds')}  "
        f"{platform.node()}  {platform.system()} {platform.release()}",
        f"# nproc {nproc()}  CPU {cpu_model()}  RAM {memory_total()}  "
        f"load average {load_average()} (before the run)",
        "# " + "  ".join(f"{k} {val}" for k, val in v.items()),
        f"# project at {git_state()}",
    ])


# -- letters --------------------------------------------------------------------------------

FIRST = ["Mette", "Søren", "Kirsten", "Bjørn", "Åse", "Jens", "Lærke", "Niels", "Birthe",
         "Rasmus", "Ørnulf", "Hanne", "Mikkel", "Sofie", "Kåre", "Ida", "Anders", "Freja",
         "Thorbjørn", "Signe", "Mads", "Astrid", "Esben", "Karen"]
MIDDLE = ["", "Marie ", "Holm ", "Bach ", "Lykke ", "Bøgh ", "Friis ", "Juul ", "Kærgaard ",
          "Damgaard ", "Vestergaard ", "Brøndum ", "Ravn ", "Mølgaard ", "Storm ", "Hjort ",
          "Krogh ", "Thygesen ", "Bak ", "Lind "]
LAST = ["Hansen", "Jensen", "Sørensen", "Møller", "Kjær", "Østergaard", "Nielsen", "Dahl",
        "Ærbø", "Lund", "Frølund", "Skov", "Pedersen", "Andersen", "Christensen", "Larsen",
        "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
        "Knudsen"]


def volunteer_name(i: int) -> str:
    """A different Danish name for every i >= 0 (11,520 without a double surname); 0 is
    the reference letter's Mette Hansen."""
    a, rest = i % len(FIRST), i // len(FIRST)
    m, rest = rest % len(MIDDLE), rest // len(MIDDLE)
    c, rest = rest % len(LAST), rest // len(LAST)
    name = f"{FIRST[a]} {MIDDLE[m]}{LAST[c]}"
    while rest:  # beyond 11,520: a double surname per further digit
        d, rest = rest % len(LAST), rest // len(LAST)
        name += f"-{LAST[d]}"
    return name


# Volunteers live in different towns, as on a real roster: the town is in the date line
# and the sender block, so a bench in one town would flatter any per-text caching.
TOWNS = [("8000", "Aarhus"), ("1050", "København K"), ("5000", "Odense C"), ("9000", "Aalborg"),
         ("6700", "Esbjerg"), ("8900", "Randers C"), ("6000", "Kolding"), ("8700", "Horsens"),
         ("7100", "Vejle"), ("4000", "Roskilde"), ("6100", "Haderslev"), ("2970", "Hørsholm"),
         ("7400", "Herning"), ("3400", "Hillerød"), ("4700", "Næstved"), ("6400", "Sønderborg"),
         ("9800", "Hjørring"), ("7500", "Holstebro"), ("5700", "Svendborg"), ("4200", "Slagelse")]


def town(i: int) -> tuple[str, str]:
    return TOWNS[i % len(TOWNS)]


def volunteer(i: int) -> dict[str, str]:
    postal_code, city = town(i)
    return dict(name=volunteer_name(i), street=f"Vestergade {1 + i % 150}",
                postal_code=postal_code, city=city, country="DK")


def write_roster(path: Path, count: int) -> Path:
    """A roster CSV as the CLI reads it: name,street,postal_code,city,country."""
    names = set()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "street", "postal_code", "city", "country"])
        for i in range(count):
            row = volunteer(i)
            names.add(row["name"])
            writer.writerow([row["name"], row["street"], row["postal_code"], row["city"],
                             row["country"]])
    assert len(names) == count, "volunteer names must be unique"
    return path


def compose_for(name: str = SENDER["name"], street: str = "Vestergade 12", campaign=None,
                where: tuple[str, str] = TOWNS[0]):
    """The three letters of one Danish volunteer (Haderslev mayor, Naju mayor, Naju
    council), composed by the project's public API; by default in Aarhus."""
    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender

    campaign = campaign or load_campaign(CAMPAIGN)
    sender = make_sender(**dict(SENDER, name=name, street=[street], postal_code=where[0],
                                city=where[1]))
    return compose_letters(campaign, sender, LetterOptions(language=LANGUAGE, date=DATE))


def reference_letter():
    """The one-page letter the benches share: to the Mayor of Naju (``letters[1]``)."""
    return compose_for()[1]


# -- figures --------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- memory of a process tree ---------------------------------------------------------------

def _status_kib(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as handle:
                    kids += [int(k) for k in handle.read().split()]
            except OSError:
                continue
    except OSError:
        pass
    return kids


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


@dataclass
class ProcPeak:
    pid: int
    depth: int  # 0: the process started; 1: its children; ...
    cmd: str
    hwm_kib: int = 0  # VmHWM, the kernel's peak-RSS mark, as last read
    first_seen: float = 0.0
    last_seen: float = 0.0
    rises: list[tuple[float, int]] = field(default_factory=list)  # (s, VmHWM) when it grew

    def hwm_at(self, t: float) -> int:
        """The peak as it stood at time ``t`` (as sampled)."""
        return max((kib for at, kib in self.rises if at <= t), default=0)


@dataclass
class TreeSampler:
    """Polls /proc every ``interval`` s: each descendant's VmHWM (peak RSS) and when it was
    seen. VmHWM never goes down, so only a peak in the last interval before a process
    exits can be missed; GNU time's max RSS is the cross-check."""

    root: int
    interval: float = 0.02
    watch: tuple[Path, ...] = ()  # files whose first appearance is timed
    procs: dict[int, ProcPeak] = field(default_factory=dict)
    appeared: dict[Path, float] = field(default_factory=dict)
    t0: float = field(default_factory=time.perf_counter)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        now = time.perf_counter() - self.t0
        for path in self.watch:
            if path not in self.appeared and path.exists():
                self.appeared[path] = now
        stack = [(self.root, 0)]
        while stack:
            pid, depth = stack.pop()
            status = _status_kib(pid)
            if not status:
                continue
            proc = self.procs.get(pid)
            cmd = _cmdline(pid)
            if proc is None or proc.cmd != cmd:
                # new, or it has exec'd (spawn): a forked child counts its parent's pages
                # until then, so its peak starts afresh
                first = proc.first_seen if proc else now
                proc = self.procs[pid] = ProcPeak(pid, depth, cmd, first_seen=first)
            hwm = status.get("VmHWM", 0)
            if hwm > proc.hwm_kib:
                proc.hwm_kib = hwm
                proc.rises.append((now, hwm))
            proc.last_seen = now
            stack += [(kid, depth + 1) for kid in _children(pid)]

    def at_depth(self, depth: int) -> list[ProcPeak]:
        return [p for p in self.procs.values() if p.depth == depth]


def mib(kib: float) -> float:
    return kib / 1024
