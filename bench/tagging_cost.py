"""What tagging costs: the same letters rendered tagged (as the project always does) and
with the tags left out, alternating, in one process; time and size of each.

Not a test, and "untagged" is not a mode of the project: for this measure only, the
canvas's tagging calls are made to find no structure (``pdf.canvas._structure`` returns
None), so nothing is marked, grouped or described and the structure tree is empty;
everything else (the writer, the XMP, the fonts) is as always.

    python bench/tagging_cost.py                 # 5 rounds of 200 letters each way
    python bench/tagging_cost.py --rounds 3 --n 100
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common
from _common import median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-wait", action="store_true")
    args = parser.parse_args(argv)
    print(_common.machine_header("tagging_cost: one letter tagged and not, in process"))
    if not args.no_wait:
        print("# " + _common.wait_for_quiet())

    from campaign_letters import load_campaign, render_letters
    from campaign_letters.pdf import canvas as canvas_module
    from campaign_letters.text import faces

    faces.register_fonts()
    campaign = load_campaign(_common.CAMPAIGN)
    total = 20 + 2 * args.n * args.rounds
    letters = [_common.compose_for(_common.volunteer_name(i), f"Vestergade {1 + i % 150}",
                                   campaign, _common.town(i))[1] for i in range(1, total + 1)]
    tagged_structure = canvas_module._structure

    def untagged(canvas):  # every canvas: no structure to find
        return None

    def run(batch, tags: bool) -> tuple[list[float], list[int]]:
        canvas_module._structure = tagged_structure if tags else untagged
        times, sizes = [], []
        gc.collect()
        for letter in batch:
            t0 = time.perf_counter()
            pdf = render_letters([letter], "Naju – letters")
            times.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(pdf))
        canvas_module._structure = tagged_structure
        return times, sizes

    run(letters[:10], True)
    run(letters[10:20], False)
    rest = letters[20:]
    ratios, tagged_ms, plain_ms = [], [], []
    for r in range(args.rounds):
        batch = rest[2 * r * args.n:(2 * r + 2) * args.n]
        t_times, t_sizes = run(batch[:args.n], True)
        u_times, u_sizes = run(batch[args.n:], False)
        tagged_ms.append(median(t_times))
        plain_ms.append(median(u_times))
        ratios.append(median(t_times) / median(u_times))
        print(f" round {r + 1}: tagged {median(t_times):6.2f} ms {median(t_sizes):>7,.0f} B   "
              f"untagged {median(u_times):6.2f} ms {median(u_sizes):>7,.0f} B")
    print(f"\nSummary: tagged {median(tagged_ms):.2f} ms, untagged {median(plain_ms):.2f} ms a "
          f"letter: tagging costs {(median(ratios) - 1) * 100:+.0f}% of the time, "
          f"{median(t_sizes) - median(u_sizes):+,.0f} bytes "
          f"({(median(t_sizes) / median(u_sizes) - 1) * 100:+.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
