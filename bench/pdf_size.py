"""How big is a one-page letter's PDF, and where do its bytes go? Prints figures; not a test.

The letters: the letter to the Korean mayor (``letters[1]``: one page, Hangul address in
the window) of naju-haderslev from a Danish sender in Danish, and of daegu-milan from an
Italian sender in Italian, rendered with the public API (``render_letters``) and compared
with peer anchors and with the 20 KB target; and the Naju letter from a volunteer in Paris
named "Fatima الزهراء Khan" at "Rue de la Paix 12, דירה 3" (Arabic and Hebrew subsets).

    python bench/pdf_size.py                          # both letters, both configurations
    python bench/pdf_size.py --letter daegu-it        # one letter, stream by stream
    python bench/pdf_size.py --save /tmp/letter.pdf

Configurations (applied before any font is registered, each in its own process):

  project        as the project renders (render.py sets ttfAsciiReadable=0, useA85=0)
  rl-defaults    ReportLab's own stream settings put back: ttfAsciiReadable=1, useA85=1
                 (the bundled fonts stay de-hinted; see fonts/README.md for that lever)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Peer anchors: a different one-page letter (Danish body, Latin address, Hangul cc block)
# measured by /work/shared/bench-anchors, RESULTS-2026-11-23.md (PDF bytes, 1 page).
ANCHORS = {
    "RL default": 54_945,  # fresh-process rl_1p
    "RL tuned": 30_298,  # fresh-process rl_1p_accel_tuned (ttfAsciiReadable=0, useA85=0)
    "Typst": 35_367,  # fresh-process typst_1p
    "WeasyPrint": 16_869,  # fresh-process weasy_1p (harfbuzz subsetter)
}
TARGET = 20_000  # bytes: "at most 20 KB"

CONFIGURATIONS = {  # name -> command-line switches
    "project": [],
    "rl-defaults": ["--rl-defaults"],
}

# One-page letters with a Hangul address in the window (the one checked: a Naju letter).
LETTERS = {
    "naju-da": ("naju-haderslev", "da", dict(name="Mette Hansen", street=["Vestergade 12"],
                                             postal_code="8000", city="Aarhus", country="DK")),
    "daegu-it": ("daegu-milan", "it", dict(name="Giulia Esempio", street=["Via Esempio 1"],
                                           postal_code="20121", city="Milano", region="MI",
                                           country="IT")),
    # A volunteer whose name and street are shaped (shaping.py): what right to left costs.
    "naju-rtl": ("naju-haderslev", "da", dict(name="Fatima الزهراء Khan",
                                              street=["Rue de la Paix 12, דירה 3"],
                                              postal_code="75002", city="Paris",
                                              country="FR")),
}


def make_letter(key: str):
    """The letter to the Korean mayor (letters[1]) of one of LETTERS."""
    from campaign_letters import LetterOptions, compose_letters, load_campaign, make_sender

    campaign_id, language, sender = LETTERS[key]
    letters = compose_letters(load_campaign(campaign_id), make_sender(**sender),
                              LetterOptions(language=language, date=dt.date(2026, 11, 23)))
    return letters[1]


@dataclass
class Stream:
    kind: str  # font file / content / ToUnicode / other
    label: str
    raw: int  # bytes in the file (after compression)
    inflated: int
    data: bytes = field(repr=False, default=b"")


@dataclass
class Measurement:
    size: int
    pages: int
    hangul: bool
    streams: list[Stream]
    fonts: list[str]  # /BaseFont names
    settings: str = ""

    def total(self, kind: str, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.streams if s.kind == kind)

    def count(self, kind: str) -> int:
        return sum(1 for s in self.streams if s.kind == kind)


def measure(pdf: bytes) -> Measurement:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, IndirectObject, StreamObject

    reader = PdfReader(io.BytesIO(pdf))
    kinds: dict[int, tuple[str, str]] = {}  # object number -> (kind, label)
    base_fonts: list[str] = []

    def number(ref) -> int | None:
        return ref.idnum if isinstance(ref, IndirectObject) else None

    for page in reader.pages:
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        refs = contents.get_object() if contents is not None else []
        if not isinstance(refs, ArrayObject):
            refs = [contents]
        for ref in refs:
            n = number(ref)
            if n is not None:
                kinds[n] = ("content", f"page {page.page_number + 1}")
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            base = str(font.get("/BaseFont", "?")).lstrip("/")
            if base not in base_fonts:
                base_fonts.append(base)
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    n = number(descriptor.raw_get(key)) if key in descriptor else None
                    if n is not None:
                        kinds[n] = ("font file", base)
            n = number(font.raw_get("/ToUnicode")) if "/ToUnicode" in font else None
            if n is not None:
                kinds[n] = ("ToUnicode", base)

    streams = []
    for generation in reader.xref.values():
        for num in sorted(generation):
            obj = reader.get_object(num)
            if not isinstance(obj, StreamObject):
                continue
            kind, label = kinds.get(num, ("other", str(obj.get("/Type", obj.get("/Subtype", "")))))
            data = obj.get_data()
            streams.append(Stream(kind, label, len(obj._data), len(data), data))  # _data: as stored
    text = "".join(page.extract_text() or "" for page in reader.pages)
    hangul = any(0xAC00 <= ord(c) <= 0xD7A3 for c in text)
    return Measurement(len(pdf), len(reader.pages), hangul, streams, base_fonts)


def font_tables(data: bytes) -> str:
    """The biggest tables of an embedded font subset (needs fontTools; optional)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    font = TTFont(io.BytesIO(data), lazy=True)
    sizes = sorted(((t.length, tag.strip()) for tag, t in font.reader.tables.items()),
                   reverse=True)
    return " ".join(f"{tag} {size}" for size, tag in sizes if size >= 100)


def ratios(size: int) -> str:
    parts = [f"{size / anchor:.2f}x {name}" for name, anchor in ANCHORS.items()]
    parts.append(f"{size / TARGET:.2f}x target")
    return ", ".join(parts)


def one_line(name: str, m: Measurement) -> str:
    return (f"{name:<11} {m.size:>7,} B  {m.pages} page{'s' if m.pages != 1 else ''}"
            f"{'' if m.hangul else ' NO HANGUL'}  "
            f"fonts {m.count('font file')}x {m.total('font file', 'raw'):>6,} "
            f"(inflated {m.total('font file', 'inflated'):>6,})  "
            f"content {m.total('content', 'raw'):>5,} ({m.total('content', 'inflated'):>6,})  "
            f"other {m.total('ToUnicode', 'raw') + m.total('other', 'raw'):>5,}  "
            f"| {ratios(m.size)}")


def run_one(args: argparse.Namespace) -> Measurement:
    from reportlab import rl_config

    import campaign_letters  # noqa: F401 - its render module sets rl_config at import

    if args.tuned:
        rl_config.ttfAsciiReadable, rl_config.useA85 = 0, 0
    elif args.rl_defaults:
        rl_config.ttfAsciiReadable, rl_config.useA85 = 1, 1
    from campaign_letters import render_letters

    pdf = render_letters([make_letter(args.letter)], "title")
    if args.save:
        Path(args.save).write_bytes(pdf)
    m = measure(pdf)
    m.settings = f"ttfAsciiReadable={rl_config.ttfAsciiReadable} useA85={rl_config.useA85}"
    return m


def print_detail(name: str, m: Measurement) -> None:
    print(one_line(name, m))
    print(f"  {m.settings}; fonts: {', '.join(m.fonts)}")
    print(f"  {'kind':<10} {'raw':>7} {'inflated':>9} {'zlib-9':>7}  what")
    for s in sorted(m.streams, key=lambda s: (-s.raw)):
        tables = f"  [{font_tables(s.data)}]" if s.kind == "font file" else ""
        print(f"  {s.kind:<10} {s.raw:>7,} {s.inflated:>9,} "
              f"{len(zlib.compress(s.data, 9)):>7,}  {s.label}{tables}")
    streams = sum(s.raw for s in m.streams)
    print(f"  {'streams':<10} {streams:>7,}; the rest (objects, xref, trailer) "
          f"{m.size - streams:,} B")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letter", choices=sorted(LETTERS), default="naju-da",
                        help="which one-page letter (default: naju-da)")
    tuning = parser.add_mutually_exclusive_group()
    tuning.add_argument("--tuned", action="store_true",
                        help="rl_config.ttfAsciiReadable = 0 and useA85 = 0")
    tuning.add_argument("--rl-defaults", action="store_true",
                        help="rl_config.ttfAsciiReadable = 1 and useA85 = 1")
    parser.add_argument("--save", help="also write the PDF here")
    parser.add_argument("--line", metavar="NAME", help=argparse.SUPPRESS)  # for the matrix
    args = parser.parse_args(argv)

    if args.line:
        print(one_line(args.line, run_one(args)))
        return 0
    if args.tuned or args.rl_defaults or args.save:
        print_detail("this run", run_one(args))
        return 0
    # Every configuration, each in a fresh process (fonts register once per process).
    print("anchors: " + ", ".join(f"{k} {v:,} B" for k, v in ANCHORS.items())
          + f"; target {TARGET:,} B")
    failed = 0
    for letter in LETTERS:
        print(f"{letter}: the letter to the Korean mayor, Hangul in the window")
        for name, switches in CONFIGURATIONS.items():
            result = subprocess.run([sys.executable, __file__, "--line", name, "--letter",
                                     letter, *switches],
                                    capture_output=True, text=True, check=False)
            print(result.stdout.rstrip() or f"{name:<11} failed:\n{result.stderr}")
            failed |= result.returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())
