"""How long does one letter take to render in process, fonts loaded? Against Typst, same run.

Not a test. The letter: naju-haderslev, Danish sender (Aarhus and 19 other towns), in Danish, dated
2026-11-23, the one to the Mayor of Naju (``letters[1]``: one page, Hangul address in the
window). Every timed letter has a different volunteer (name, street and town), so neither the
project's per-string caches nor Typst's memoization can replay a whole letter; letters
are composed before the clock starts (composition is timed separately).

    python bench/letter_speed.py                  # 5 rounds of 200 letters each, both
    python bench/letter_speed.py --rounds 3 --n 100 --skip-typst

What is timed:

  project  ``render_letters([letter], title)`` -> PDF bytes; fonts registered, and 20
           letters and 20 three-letter PDFs rendered before the first round (warm-up)
  typst    ``compiler.compile(...)`` of typst_reference.py's template with the same
           letter's data in ``sys_inputs`` (one compiler reused, as the anchors did),
           after the same warm-up

Rounds alternate (project, Typst, project, ...) so that a drift of the machine's speed
hits both; the ratio is the median of the per-round ratios. Then the volunteer's whole
PDF: all three letters in one ``render_letters`` call (and one Typst compile).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common
from _common import median, percentile

TARGET_MS = 2.5  # the target for one letter
TYPST_ANCHOR = "4.9-5.4 ms (anchors, reused compiler, their own letter)"


def compose_volunteers(start: int, count: int, campaign) -> list[list]:
    return [_common.compose_for(_common.volunteer_name(i), f"Vestergade {1 + i % 150}",
                                campaign, _common.town(i)) for i in range(start, start + count)]


def timed(render, items) -> tuple[list[float], list[float], list[int]]:
    """Wall and CPU seconds of render(item) for each item, and the PDF sizes."""
    walls, cpus, sizes = [], [], []
    gc.collect()
    for item in items:
        c0, t0 = time.process_time(), time.perf_counter()
        pdf = render(item)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        sizes.append(len(pdf))
    return walls, cpus, sizes


def describe(name: str, walls: list[float], cpus: list[float], sizes: list[int],
             per: int = 1) -> str:
    ms = [w * 1000 / per for w in walls]
    return (f"  {name:<8} median {median(ms):6.2f} ms  p95 {percentile(ms, 95):6.2f}  "
            f"min {min(ms):6.2f}  cpu {median(cpus) * 1000 / per:6.2f} ms  "
            f"{median(sizes):>7,.0f} B")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="letters per round (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds each (default 5)")
    parser.add_argument("--volunteers", type=int, default=100,
                        help="three-letter PDFs per round (default 100)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--skip-typst", action="store_true")
    parser.add_argument("--no-wait", action="store_true",
                        help="start at once, even while other processes keep the CPU busy")
    args = parser.parse_args(argv)

    print(_common.machine_header("letter_speed: one letter in process, fonts loaded"))
    if not args.no_wait:
        print("# " + _common.wait_for_quiet())
    import typst_reference as tr

    from campaign_letters import load_campaign, render_letters
    from campaign_letters.text import faces as fonts

    t0 = time.perf_counter()
    fonts.register_fonts()  # loading a campaign checks its glyphs, which registers them
    register_ms = (time.perf_counter() - t0) * 1000
    campaign = load_campaign(_common.CAMPAIGN)

    # Volunteers: 0..warmup-1 for the warm-up, then a fresh block for every round.
    t0 = time.perf_counter()
    total = args.warmup + args.n * args.rounds + args.volunteers * args.rounds
    volunteers = compose_volunteers(1, total, campaign)  # 0 is the reference Mette Hansen
    compose_ms = (time.perf_counter() - t0) * 1000 / total
    warm = volunteers[: args.warmup]
    rest = volunteers[args.warmup:]
    single_rounds = [[v[1] for v in rest[r * args.n:(r + 1) * args.n]]
                     for r in range(args.rounds)]
    rest = rest[args.n * args.rounds:]
    triple_rounds = [rest[r * args.volunteers:(r + 1) * args.volunteers]
                     for r in range(args.rounds)]
    title = "Naju – letters"

    def project_render(letters):
        return render_letters(letters if isinstance(letters, list) else [letters], title)

    typst_setup = ""
    if not args.skip_typst:
        t0 = time.perf_counter()
        compiler = tr.make_compiler()
        make_ms = (time.perf_counter() - t0) * 1000
        first = volunteers[0][1]
        t0 = time.perf_counter()
        tr.compile_letters(compiler, [tr.letter_data(first)], title)
        first_ms = (time.perf_counter() - t0) * 1000
        typst_setup = (f"; Typst Fonts+Compiler {make_ms:.1f} ms, first compile "
                       f"{first_ms:.1f} ms")

        # Letter data is made before the clock starts, as the letters are composed before.
        def typst_render(datas):
            return tr.compile_letters(compiler, datas, title)

        typst_single = [[[tr.letter_data(x)] for x in rnd] for rnd in single_rounds]
        typst_triple = [[[tr.letter_data(x) for x in v] for v in rnd] for rnd in triple_rounds]
        timed(typst_render, [[tr.letter_data(v[1])] for v in warm])
        timed(typst_render, [[tr.letter_data(x) for x in v] for v in warm])
    t0 = time.perf_counter()
    project_render(warm[0][1])
    first_project_ms = (time.perf_counter() - t0) * 1000
    timed(project_render, [v[1] for v in warm[1:]])
    timed(project_render, warm)
    print(f"# setup: project register_fonts {register_ms:.1f} ms, first letter "
          f"{first_project_ms:.1f} ms{typst_setup}; compose (3 letters of a volunteer, "
          f"not timed below) {compose_ms:.2f} ms a volunteer")

    print(f"\nOne letter (the Naju mayor's), {args.rounds} rounds of {args.n}, "
          "ms per letter:")
    p_medians, t_medians, ratios = [], [], []
    p_all, t_all = [], []
    meter = _common.OthersMeter()
    for r in range(args.rounds):
        round_meter = _common.OthersMeter()
        walls, cpus, sizes = timed(project_render, single_rounds[r])
        lines = [describe("project", walls, cpus, sizes)]
        p_medians.append(median(walls) * 1000)
        p_all += walls
        if not args.skip_typst:
            walls, cpus, sizes = timed(typst_render, typst_single[r])
            lines.append(describe("typst", walls, cpus, sizes))
            t_medians.append(median(walls) * 1000)
            t_all += walls
            ratios.append(p_medians[-1] / t_medians[-1])
        print(f" round {r + 1} (other processes: {round_meter.share():.0%} of the CPU)")
        print("\n".join(lines))
    print("\nSummary, one letter:")
    print(f"  project  round medians {', '.join(f'{m:.2f}' for m in p_medians)} ms -> "
          f"{median(p_medians):.2f} ms (p95 over all {percentile(p_all, 95) * 1000:.2f}); "
          f"target <= {TARGET_MS} ms: {median(p_medians) / TARGET_MS:.2f}x the target")
    if t_medians:
        print(f"  typst    round medians {', '.join(f'{m:.2f}' for m in t_medians)} ms -> "
              f"{median(t_medians):.2f} ms (p95 over all {percentile(t_all, 95) * 1000:.2f}); "
              f"anchor {TYPST_ANCHOR}")
        print(f"  project/typst per round {', '.join(f'{x:.2f}' for x in ratios)} -> "
              f"{median(ratios):.2f}")

    print(f"\nA volunteer's PDF (all three letters, one call), {args.rounds} rounds of "
          f"{args.volunteers}, ms per PDF:")
    p3, t3, r3 = [], [], []
    for r in range(args.rounds):
        round_meter = _common.OthersMeter()
        walls, cpus, sizes = timed(project_render, triple_rounds[r])
        lines = [describe("project", walls, cpus, sizes)]
        p3.append(median(walls) * 1000)
        if not args.skip_typst:
            walls, cpus, sizes = timed(typst_render, typst_triple[r])
            lines.append(describe("typst", walls, cpus, sizes))
            t3.append(median(walls) * 1000)
            r3.append(p3[-1] / t3[-1])
        print(f" round {r + 1} (other processes: {round_meter.share():.0%} of the CPU)")
        print("\n".join(lines))
    print("\nSummary, three-letter PDF:")
    print(f"  project  {median(p3):.2f} ms a PDF = {median(p3) / 3:.2f} ms a letter "
          f"(one core: {3000 / median(p3):.0f} letters/s before composing and writing)")
    if t3:
        print(f"  typst    {median(t3):.2f} ms a PDF = {median(t3) / 3:.2f} ms a letter "
              f"(one core: {3000 / median(t3):.0f} letters/s)")
        print(f"  project/typst per round {', '.join(f'{x:.2f}' for x in r3)} -> "
              f"{median(r3):.2f}")
    print(f"\n# other processes used {meter.share():.0%} of the CPU during the timed rounds "
          f"(this one uses one core: {1 / _common.nproc():.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
