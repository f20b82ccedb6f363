"""How fast does ``campaign-letters pack`` make a roster's letters, and how much memory does
it take? Against Typst on as many processes, same run. Prints figures; not a test.

A roster of N Danish volunteers in 20 towns (unique names; header
name,street,postal_code,city,country) is written to a temporary folder and run through the
real command line, in a fresh output folder each time (a re-run would resume):

    campaign-letters pack naju-haderslev --roster R -o OUT --date 2026-11-23 --jobs J

Three letters a volunteer (the mayors of Haderslev and Naju, Naju City Council): a PDF
per volunteer, the print pack (every letter merged, with bookmarks), address labels and
the manifest. Wall clock from start to exit; letters/s = 3 N / wall. Peak memory: GNU time
(``/usr/bin/time``, Debian package ``time``) gives the largest process's peak RSS; /proc is
polled every 20 ms for each process's VmHWM, so the main process and the workers are
reported apart, and the moments the workers exit and the print pack appears split the
wall time into phases.

Then the same roster through Typst (typst_reference.py's template) on J processes: a
``multiprocessing`` Pool (spawn; start-up counted), one reused compiler per worker; each
volunteer's row is checked and composed by the project's API, the three letters compiled
into one PDF per volunteer and written as pack does (temporary name, rename). Typst makes
no print pack, labels or manifest: compare it with the whole pack and with the pack's
letter phase.

    python bench/pack_speed.py                        # 1,000 volunteers, --jobs nproc, x2
    python bench/pack_speed.py --volunteers 300 --jobs 1 --skip-typst --repeat 1
    python bench/pack_speed.py --memory               # 1,000 / 5,000 / 10,000: flat?
    python bench/pack_speed.py --memory 1000 2000 --jobs 2
    python bench/pack_speed.py --profile 200          # cProfile of pack in one process
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common
from _common import mib

TARGET_LPS = 600  # letters/s, the target for the pack
TARGET_MIB = 200  # peak memory per process
TYPST_ANCHOR = "317-340 letters/s (anchors: Pool(2), one letter a file)"
LETTERS_PER_VOLUNTEER = 3
TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("time")


@dataclass
class Run:
    what: str
    volunteers: int
    letters: int
    wall: float
    main_mib: float = 0.0  # the project's main process (0 for Typst)
    main_by_phase: list[tuple[str, float]] = field(default_factory=list)  # peak at its end
    worker_mib: list[float] = field(default_factory=list)
    gnu_time: dict[str, str] = field(default_factory=dict)
    phases: list[tuple[str, float]] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    others: float = 0.0  # share of the machine other processes used meanwhile

    @property
    def lps(self) -> float:
        return self.letters / self.wall

    @property
    def letter_phase(self) -> float | None:
        return next((s for name, s in self.phases if name == "letters"), None)


# -- the project ----------------------------------------------------------------------------

def fresh(out: Path) -> None:
    """``out`` removed, and the disk given the time to finish removing it: the last
    run's files (tens of MB) are freed and written back by the kernel after ``rmtree``
    returns, which would slow whichever run comes next (each side removes its own)."""
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    time.sleep(1.0)


def run_pack(roster: Path, out: Path, jobs: int, volunteers: int) -> Run:
    fresh(out)  # a fresh pack, not a resumed one
    exe = shutil.which("campaign-letters")
    if not exe:
        sys.exit("campaign-letters is not on PATH: pip install -e .")
    cmd = [exe, "pack", _common.CAMPAIGN, "--roster", str(roster), "-o", str(out),
           "--date", _common.DATE.isoformat(), "--jobs", str(jobs)]
    time_file = out.parent / f".{out.name}.time"
    depth = 0
    if TIME_BIN:
        cmd = [TIME_BIN, "-f", "%e %U %S %P %M", "-o", str(time_file), *cmd]
        depth = 1  # GNU time is the root of the tree; the CLI its child
    watch = tuple(out / name for name in ("print-pack.pdf", "labels.pdf", "manifest.csv"))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = _common.TreeSampler(proc.pid, watch=watch)
    sampler.t0 = t0
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    if proc.returncode:
        sys.exit(f"pack failed ({proc.returncode}):\n{stderr.decode()[-2000:]}")
    letters = _count_letters(out / "manifest.csv")
    if letters != LETTERS_PER_VOLUNTEER * volunteers:
        print(f"  ! {letters} letters made, expected {LETTERS_PER_VOLUNTEER * volunteers}")
    mains = sampler.at_depth(depth)
    workers = sampler.at_depth(depth + 1)
    run = Run("project", volunteers, letters, wall,
              main_mib=mib(max((p.hwm_kib for p in mains), default=0)),
              worker_mib=sorted((mib(p.hwm_kib) for p in workers), reverse=True))
    if TIME_BIN and time_file.exists():
        e, u, s, p, m = time_file.read_text().split()[-5:]
        run.gnu_time = dict(wall=e, user=u, sys=s, cpu=p, max_rss_mib=f"{int(m) / 1024:.0f}")
        time_file.unlink()
    if workers:
        marks = [("start-up (CLI, roster, campaign)", 0.0),
                 ("letters", min(p.first_seen for p in workers)),
                 ("print pack", max(p.last_seen for p in workers))]
    else:  # --jobs 1: everything in the main process, no boundary to see
        marks = [("start-up, letters and print pack", 0.0)]
    appeared = sampler.appeared
    if watch[0] in appeared:
        marks.append(("labels", appeared[watch[0]]))
    if watch[1] in appeared:
        marks.append(("manifest + exit", appeared[watch[1]]))
    marks.append(("end", wall))
    run.phases = [(name, nxt - at) for (name, at), (_, nxt) in pairwise(marks)]
    if mains:
        run.main_by_phase = [(name, mib(mains[0].hwm_at(nxt)))
                             for (name, _), (_, nxt) in pairwise(marks)]
    run.sizes = {"print-pack.pdf": _size(out / "print-pack.pdf"),
                 "letters/": sum(f.stat().st_size for f in (out / "letters").iterdir())}
    return run


def _count_letters(manifest: Path) -> int:
    with open(manifest, newline="", encoding="utf-8") as handle:
        return sum(len(row["recipients"].split("; ")) for row in csv.DictReader(handle)
                   if row["status"] == "ok")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


# -- Typst on J processes -------------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _typst_init(font_folder: str) -> None:
    import typst_reference as tr

    from campaign_letters import load_campaign

    _WORKER["campaign"] = load_campaign(_common.CAMPAIGN)
    _WORKER["compiler"] = tr.make_compiler(font_folder)


def _typst_job(job: tuple[list[tuple[int, dict[str, str]]], str]) -> int:
    """Check and compose each volunteer with the project's API; three letters, one PDF."""
    import typst_reference as tr

    from campaign_letters import LetterOptions, compose_letters, make_sender
    from campaign_letters.pack.build import slug, write_atomically

    rows, out_dir = job
    campaign, compiler = _WORKER["campaign"], _WORKER["compiler"]
    made = 0
    for number, row in rows:
        sender = make_sender(name=row["name"], street=[row["street"]],
                             postal_code=row["postal_code"], city=row["city"],
                             country=row["country"])
        # The languages the project's pack chooses: local, copies abroad in English.
        options = LetterOptions(language=None, date=_common.DATE)
        letters = compose_letters(campaign, sender, options)
        pdf = tr.compile_letters(compiler, [tr.letter_data(x) for x in letters],
                                 f"{campaign.title} – letters from {sender.name}")
        write_atomically(Path(out_dir) / f"{number:04d}-{slug(sender.name)}.pdf", pdf)
        made += len(letters)
    return made


def run_typst(roster: Path, out: Path, jobs: int, volunteers: int, chunk: int = 25) -> Run:
    import multiprocessing as mp

    import typst_reference as tr

    fresh(out)
    out.mkdir(parents=True)
    with open(roster, newline="", encoding="utf-8") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))
    work = [(rows[i:i + chunk], str(out)) for i in range(0, len(rows), chunk)]
    folder = tr.font_dir()
    ctx = mp.get_context("spawn")  # no fork of a multi-threaded Rust runtime (anchors too)
    sampler = _common.TreeSampler(os.getpid()).start()
    t0 = time.perf_counter()
    with ctx.Pool(jobs, initializer=_typst_init, initargs=(folder,)) as pool:
        letters = sum(pool.imap_unordered(_typst_job, work))
    wall = time.perf_counter() - t0
    sampler.stop()
    workers = [p for p in sampler.at_depth(1) if "resource_tracker" not in p.cmd]
    return Run("typst", volunteers, letters, wall,
               worker_mib=sorted((mib(p.hwm_kib) for p in workers), reverse=True),
               sizes={"letters/": sum(f.stat().st_size for f in out.iterdir())})


# -- printing -------------------------------------------------------------------------------

def print_run(run: Run, jobs: int) -> None:
    print(f"{run.what}: {run.volunteers:,} volunteers, {run.letters:,} letters, "
          f"{jobs} process{'es' * (jobs != 1)} (load average after: "
          f"{_common.load_average()})")
    target = f"; target >= {TARGET_LPS}: {run.lps / TARGET_LPS:.2f}x" \
        if run.what == "project" else f"; anchor {TYPST_ANCHOR}"
    print(f"  wall {run.wall:.2f} s = {run.lps:.0f} letters/s{target}; other processes "
          f"used {run.others:.0%} of the CPU meanwhile")
    if run.gnu_time:
        g = run.gnu_time
        print(f"  GNU time: {g['wall']} s, CPU {g['cpu']} (user {g['user']} s, sys "
              f"{g['sys']} s), max RSS {g['max_rss_mib']} MiB")
    if run.phases:
        letters = run.letter_phase
        parts = [f"{name} {s:.2f} s" for name, s in run.phases]
        print("  phases: " + "; ".join(parts))
        if letters:
            print(f"  letter phase alone: {run.letters / letters:.0f} letters/s")
    peak = f"main {run.main_mib:.0f} MiB, " if run.what == "project" else ""
    if run.main_by_phase:
        print("  main's peak RSS as each phase ends: " + "; ".join(
            f"{name.split(' (')[0]} {m:.0f}" for name, m in run.main_by_phase) + " MiB")
    workers = ", ".join(f"{m:.0f}" for m in run.worker_mib) or "-"
    print(f"  peak RSS: {peak}workers {workers} MiB")
    print("  output: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in run.sizes.items()))


def compare(project: list[Run], typst: list[Run]) -> None:
    print("\nSummary:")
    p_lps = [r.lps for r in project]
    print(f"  project pack  {', '.join(f'{x:.0f}' for x in p_lps)} letters/s -> "
          f"{_common.median(p_lps):.0f} (target >= {TARGET_LPS}); peak main "
          f"{max(r.main_mib for r in project):.0f} MiB, workers "
          f"{max(max(r.worker_mib, default=0) for r in project):.0f} MiB "
          f"(target <= {TARGET_MIB})")
    phase = [r.letters / r.letter_phase for r in project if r.letter_phase]
    if phase:
        print(f"  project letter phase {', '.join(f'{x:.0f}' for x in phase)} letters/s")
    if typst:
        t_lps = [r.lps for r in typst]
        print(f"  typst files   {', '.join(f'{x:.0f}' for x in t_lps)} letters/s -> "
              f"{_common.median(t_lps):.0f}; peak workers "
              f"{max(max(r.worker_mib, default=0) for r in typst):.0f} MiB")
        ratios = [p.lps / t.lps for p, t in zip(project, typst, strict=True)]
        print(f"  project pack / typst files per run {', '.join(f'{x:.2f}' for x in ratios)}"
              f" -> {_common.median(ratios):.2f}")
        if phase:
            ratios = [x / t.lps for x, t in zip(phase, typst, strict=False)]
            print(f"  project letter phase / typst files per run "
                  f"{', '.join(f'{x:.2f}' for x in ratios)} -> {_common.median(ratios):.2f}")


# -- modes ----------------------------------------------------------------------------------

def measured(args, fn, *fn_args) -> Run:
    """fn(*fn_args) once the machine is quiet, with the others' share of the CPU."""
    if not args.no_wait:
        print("  " + _common.wait_for_quiet())
    meter = _common.OthersMeter()
    run = fn(*fn_args)
    run.others = meter.share()
    return run


def speed(args, tmp: Path) -> None:
    roster = _common.write_roster(tmp / "roster.csv", args.volunteers)
    project: list[Run] = []
    typst: list[Run] = []
    for r in range(args.repeat):  # alternate, so a drift of the machine hits both
        print(f"\n== run {r + 1} of {args.repeat}")
        project.append(measured(args, run_pack, roster, tmp / "pack", args.jobs,
                                args.volunteers))
        print_run(project[-1], args.jobs)
        if not args.skip_typst:
            typst.append(measured(args, run_typst, roster, tmp / "typst", args.jobs,
                                  args.volunteers))
            print_run(typst[-1], args.jobs)
    compare(project, typst)


def memory(args, tmp: Path) -> None:
    sizes = args.memory or [1000, 5000, 10000]
    rows = []
    for n in sizes:
        roster = _common.write_roster(tmp / f"roster-{n}.csv", n)
        print(f"\n== {n:,} volunteers")
        run = measured(args, run_pack, roster, tmp / "pack", args.jobs, n)
        print_run(run, args.jobs)
        rows.append(run)
        shutil.rmtree(tmp / "pack", ignore_errors=True)
    print(f"\nPeak RSS by roster size (--jobs {args.jobs}; target <= {TARGET_MIB} MiB a "
          "process, flat):")
    print(f"  {'volunteers':>10} {'letters':>8} {'wall s':>8} {'letters/s':>9} "
          f"{'main MiB':>9} {'worker MiB':>10} {'GNU time':>8} {'print pack s':>12} "
          f"{'print-pack.pdf':>14}")
    for run in rows:
        merge = sum(s for name, s in run.phases if name == "print pack")
        print(f"  {run.volunteers:>10,} {run.letters:>8,} {run.wall:>8.1f} {run.lps:>9.0f} "
              f"{run.main_mib:>9.0f} {max(run.worker_mib, default=0):>10.0f} "
              f"{run.gnu_time.get('max_rss_mib', '-'):>8} {merge:>12.1f} "
              f"{run.sizes['print-pack.pdf'] / 1e6:>12.1f} MB")


def profile(args, tmp: Path) -> None:
    """build_pack in this process (--jobs 1), under cProfile: where does the time go?"""
    import cProfile
    import io
    import pstats

    from campaign_letters.pack.build import PackOptions, build_pack
    from campaign_letters.resources import campaigns_dir
    from campaign_letters.volunteer.roster import read_roster

    roster = read_roster(_common.write_roster(tmp / "roster.csv", args.profile))
    options = PackOptions(date=_common.DATE, jobs=1)
    campaign_path = campaigns_dir() / f"{_common.CAMPAIGN}.yaml"
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    build_pack(campaign_path, roster, tmp / "pack", options)
    profiler.disable()
    wall = time.perf_counter() - t0
    print(f"\nbuild_pack of {args.profile:,} volunteers in one process, under cProfile: "
          f"{wall:.2f} s (profiling slows it)")
    stats = pstats.Stats(profiler)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
        r"campaign_letters|pypdf/_writer|pypdf/_reader|doctemplate|canvas\.py|ttfonts|"
        r"pdfdoc|paragraph")
    print("\n".join(stream.getvalue().splitlines()[:60]))
    stream = io.StringIO()
    stats.stream = stream
    stats.sort_stats("tottime").print_stats(25)
    print("\n".join(stream.getvalue().splitlines()[:45]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=_common.nproc(),
                        help="processes, for pack and Typst (default: nproc)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, alternating (default 2)")
    parser.add_argument("--skip-typst", action="store_true")
    parser.add_argument("--memory", type=int, nargs="*", metavar="N",
                        help="peak memory of pack for these roster sizes "
                             "(default 1000 5000 10000); no Typst")
    parser.add_argument("--profile", type=int, nargs="?", const=200, metavar="N",
                        help="cProfile of pack in one process for N volunteers (200)")
    parser.add_argument("--no-wait", action="store_true",
                        help="start each run at once, even while other processes keep the "
                             "CPU busy (default: wait up to 10 min for a quiet machine)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep the rosters and packs")
    args = parser.parse_args(argv)

    print(_common.machine_header("pack_speed: campaign-letters pack, 3 letters a volunteer"))
    if not TIME_BIN:
        print("# GNU time not found (apt-get install time): peaks from /proc polling only")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        tmp_ctx = None
        tmp = args.keep
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="pack-speed-")
        tmp = Path(tmp_ctx.name)
    try:
        if args.profile:
            profile(args, tmp)
        elif args.memory is not None:
            memory(args, tmp)
        else:
            speed(args, tmp)
    finally:
        if tmp_ctx:
            tmp_ctx.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
