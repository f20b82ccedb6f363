"""Prove that a change to the package's internals changes none of its outputs.

A *snapshot* runs one checkout's ``src`` folder (``PYTHONPATH=SRC_DIR``, this Python)
through the public surfaces only, so it works whatever the internal module layout is:

- the command line: ``letter`` for every bundled campaign and a matrix of senders and
  options, ``email`` drafts, ``pack`` for a small roster (written here, one bad row) and
  ``mail --dry-run`` on each pack, ``demo``, ``officials``, ``check``, ``--help`` and
  ``--version``; each run's exit code, stdout and stderr are kept too;
- the web page: ``serve`` as a subprocess, then its pages in every language, and the
  form posted with valid senders (PDF, preview, .eml; the letters endpoints too).

Every artifact is a file under ``OUT_DIR/artifacts/`` with a stable name, and
``OUT_DIR/index.json`` maps each name to its SHA-256. ``compare`` then says which differ.

What is normalised, at snapshot time (nothing else is):

- e-mail: the ``Date:`` and ``Message-ID:`` headers, and MIME boundaries of Python's
  random form (``===============<digits>==``), renamed in order of appearance;
- absolute paths into OUT_DIR or into the checkout (``pack.json`` names the roster and
  the campaign file; error messages may name files), as ``<OUT_DIR>`` and ``<CHECKOUT>``;
- the elapsed and remaining seconds in the progress lines of ``pack`` and ``mail``;
- HTTP ``Date`` response headers are left out, and the server's port reads ``<HOST>``;
- the Hangul web font (``/fonts/hangul.woff2``): fontTools writes the time it saves a
  font into its ``head`` table, so the font is kept as its decoded tables' lengths and
  SHA-256 with ``head.modified`` and ``head.checkSumAdjustment`` zeroed, and its
  Content-Length is left out (the raw file stays in ``OUT_DIR/work/web/``).

The web server prints and judges officials by today's date and has no option for
another, and ``check`` judges stale data by today: both run with ``datetime.date.today()``
pinned to ``DATE`` (a subclass of ``datetime.date`` put in place before the package is
imported, see PINNED_CLOCK). Every other command gets ``--date DATE``.

Usage::

    python tools/compare_outputs.py snapshot --src SRC_DIR --out OUT_DIR
    python tools/compare_outputs.py compare A_DIR B_DIR          # exit 1 if any differ
    python tools/compare_outputs.py run --before REV --after SRC_DIR [--keep]

``run`` checks REV out with ``git worktree add`` into a temporary folder, snapshots it
and SRC_DIR, compares them and removes the worktree. Standard library, plus fontTools (a
dependency of the project) to read the web font; ``pdftotext`` (poppler), where
installed, shows how the text of two differing PDFs differs. A snapshot takes about a
minute on two cores (``--jobs 1``: about 80 s).
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from output_snapshot import snapshot  # beside this script

# -- comparing --------------------------------------------------------------------------------

def pdf_text(path: Path) -> list[str] | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").splitlines()


def text_lines(path: Path) -> list[str] | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None


def show_difference(name: str, a: Path, b: Path, max_lines: int) -> None:
    if name.endswith(".pdf"):
        lines_a, lines_b, kind = pdf_text(a), pdf_text(b), "pdftotext"
    else:
        lines_a, lines_b, kind = text_lines(a), text_lines(b), "text"
    sizes = f"{a.stat().st_size:,} -> {b.stat().st_size:,} bytes"
    if lines_a is None or lines_b is None:
        print(f"    binary, {sizes}")
        return
    diff = list(difflib.unified_diff(lines_a, lines_b, f"A/{name}", f"B/{name}", n=1,
                                     lineterm=""))
    if not diff:
        print(f"    {kind} identical; the bytes differ ({sizes})")
        return
    print(f"    {kind} differs ({sizes}):")
    for line in diff[:max_lines]:
        print(f"    {line}")
    if len(diff) > max_lines:
        print(f"    ... {len(diff) - max_lines} more diff lines")


def compare(a_dir: Path, b_dir: Path, max_lines: int = 30) -> int:
    indexes = []
    for folder in (a_dir, b_dir):
        try:
            indexes.append(json.loads((folder / "index.json").read_text(encoding="utf-8")))
        except OSError as exc:
            raise SystemExit(f"error: {folder}: no index.json ({exc.strerror})") from None
    a, b = indexes
    names = sorted(set(a) | set(b))
    differ = 0
    for name in names:
        if a.get(name) == b.get(name):
            continue
        differ += 1
        if name not in b:
            print(f"ONLY IN A  {name}")
            continue
        if name not in a:
            print(f"ONLY IN B  {name}")
            continue
        print(f"DIFFERS    {name}")
        show_difference(name, a_dir / "artifacts" / name, b_dir / "artifacts" / name,
                        max_lines)
    print(f"{len(names)} artifacts compared, {differ} differ")
    return 1 if differ else 0


# -- run: a revision against a folder ----------------------------------------------------------

def run_before_after(before: str, after: Path, keep: bool, jobs: int | None) -> int:
    repo = Path(__file__).resolve().parents[1]
    after = after.resolve()
    temp = Path(tempfile.mkdtemp(prefix="compare-outputs-"))
    tree = temp / "before-tree"
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", str(tree), before],
                   check=True)
    try:
        snapshot(tree / "src", temp / "before", jobs)
        snapshot(after, temp / "after", jobs)
        print(f"A = {before} ({tree / 'src'}), B = {after}")
        result = compare(temp / "before", temp / "after")
    finally:
        subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
                       check=False)
        if keep:
            print(f"snapshots kept in {temp}", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("snapshot", help="record every output of one src folder")
    one.add_argument("--src", type=Path, required=True, help="a checkout's src folder")
    one.add_argument("--out", type=Path, required=True, help="a new or empty folder")
    one.add_argument("--jobs", type=int, default=None,
                     help="commands run at once (default: one per core)")
    two = commands.add_parser("compare", help="compare two snapshots; exit 1 if any differ")
    two.add_argument("a_dir", type=Path)
    two.add_argument("b_dir", type=Path)
    two.add_argument("--max-lines", type=int, default=30, help="diff lines shown per artifact")
    both = commands.add_parser("run", help="snapshot a git revision and a src folder, compare")
    both.add_argument("--before", required=True, help="a git revision of this repository")
    both.add_argument("--after", type=Path, required=True, help="a checkout's src folder")
    both.add_argument("--keep", action="store_true", help="keep the two snapshots")
    both.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        return snapshot(args.src, args.out, args.jobs)
    if args.command == "compare":
        return compare(args.a_dir, args.b_dir, args.max_lines)
    return run_before_after(args.before, args.after, args.keep, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
