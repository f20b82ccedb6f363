"""Make the bundled fonts in ``fonts/``: de-hinted copies of Debian's TrueType files.

Why: ReportLab copies a font's hinting tables (``fpgm``, ``prep``, ``cvt``) whole into every
subset it embeds, plus each glyph's instructions; for the bundled fonts that is most of a
small letter's PDF. Hinting does nothing for print or for PDF viewers that scale outlines.

What changes (and nothing else):

* every glyph's TrueType instructions are removed (outline bytes are kept as they are);
* the tables ``fpgm``, ``prep``, ``cvt ``, ``hdmx``, ``LTSH``, ``VDMX`` (hinting), ``TSI0``
  to ``TSI5`` (VTT hinting sources) and ``DSIG`` (a signature the edit would invalidate) go;
* ``gasp`` says "smooth, no grid-fitting" at every size; ``maxp``'s instruction limits are
  zeroed (``maxZones`` 1);
* the name table: Macintosh-platform records are dropped (the Windows records say the same;
  ReportLab reads either), the description (name ID 10) records the modification, and
  NanumGothic, whose licence reserves its names, is renamed "Campaign Gothic"
  (PostScript ``CampaignGothic-Regular``) with its Korean-language records dropped.

All glyphs, the glyph order, ``cmap``, metrics, ``kern``/``GSUB``/``GPOS``, ``OS/2``, ``post``
and ``head`` (including its ``modified`` timestamp, so the output is byte-for-byte
reproducible) are kept. The script checks its output (same code points, same glyphs and
outlines, no instructions left; and the same ``charToGlyph`` and widths through ReportLab) and
prints sizes.

The originals come from Debian's packages (``apt-get install fonts-noto-core fonts-nanum``).
Droid Sans Fallback (``fonts-droid-fallback``) has almost no hinting and is bundled as it is.

Usage (from the repository root; fontTools is a dev-only tool: ``pip install fonttools``)::

    python tools/slim_fonts.py            # writes fonts/*.ttf
    python tools/slim_fonts.py --check    # only checks that fonts/ is up to date
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_a_s_p import GASP_DOGRAY, GASP_SYMMETRIC_SMOOTHING

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
DEBIAN = Path("/usr/share/fonts/truetype")

NOTE = "Modified: hinting removed (campaign-letters, tools/slim_fonts.py)."
OFL = "This Font Software is licensed under the SIL Open Font License, Version 1.1."
OFL_URL = "https://openfontlicense.org"


@dataclass(frozen=True)
class Job:
    source: Path  # Debian's original
    target: str  # in fonts/
    ps_name: str  # expected PostScript name (name ID 6) of the result
    licences: tuple[str, ...]  # notice files in fonts/ that cover it
    rename: dict[int, str] | None = None  # name ID -> new English (Windows) name


JOBS = (
    Job(DEBIAN / "noto/NotoSans-Regular.ttf", "NotoSans-Regular.ttf", "NotoSans-Regular",
        ("LICENSE-Noto.txt",)),
    Job(DEBIAN / "noto/NotoSans-Bold.ttf", "NotoSans-Bold.ttf", "NotoSans-Bold",
        ("LICENSE-Noto.txt",)),
    # SIL OFL 1.1 with Reserved Font Names "Nanum", "NanumGothic", ... (LICENSE-Nanum.txt):
    # a Modified Version must not be presented under them.
    Job(DEBIAN / "nanum/NanumGothic.ttf", "CampaignGothic-Regular.ttf",
        "CampaignGothic-Regular",
        ("LICENSE-Nanum.txt",),
        rename={
            1: "Campaign Gothic",
            3: "3.021;CampaignGothic-Regular;hinting removed",
            4: "Campaign Gothic Regular",
            6: "CampaignGothic-Regular",
            10: "Derived from NanumGothic (c) 2010 NAVER Corporation, SIL OFL 1.1; "
                "hinting removed by campaign-letters (tools/slim_fonts.py).",
            13: OFL,  # the original has "NHN Corporation" here
            14: OFL_URL,
            16: "Campaign Gothic",
        }),
    # Scripts shaped with HarfBuzz (shaping.py): right to left, and complex left to right.
    # Regular weights only: bold text in these scripts uses them too (fonts.py).
    *(Job(DEBIAN / f"noto/NotoSans{script}-Regular.ttf", f"NotoSans{script}-Regular.ttf",
          f"NotoSans{script}-Regular", ("LICENSE-Noto.txt",))
      for script in ("Arabic", "Hebrew", "Devanagari", "Bengali", "Tamil", "Thai", "Khmer",
                     "Armenian", "Georgian", "Ethiopic")),
)

HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX",
                  "TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "DSIG")
# Windows, Unicode BMP, US English: the records everything (ReportLab included) reads.
WIN_EN = (3, 1, 0x409)


def _open(data: bytes) -> TTFont:
    # No recalculation of bounding boxes or timestamp: outlines and head stay the original's.
    return TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)


def slim(data: bytes, job: Job) -> bytes:
    font = _open(data)
    glyf = font["glyf"]
    # Works on the packed glyph data: instructions are spliced out, outline bytes untouched.
    glyf.removeHinting()

    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]

    if "gasp" in font:
        font["gasp"].gaspRange = {0xFFFF: GASP_DOGRAY | GASP_SYMMETRIC_SMOOTHING}

    maxp = font["maxp"]
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, field, 0)

    name = font["name"]
    name.names = [rec for rec in name.names if rec.platformID == 3]
    if job.rename:
        # Only the English records survive; localised ones would still carry the old name.
        name.names = [rec for rec in name.names if rec.langID == WIN_EN[2]]
        for name_id, text in job.rename.items():
            name.setName(text, name_id, *WIN_EN)
    else:
        description = name.getName(10, *WIN_EN)
        text = f"{description.toUnicode()} {NOTE}" if description else NOTE
        name.setName(text, 10, *WIN_EN)

    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


# --- checks -----------------------------------------------------------------------------


def _outline(glyph, glyf) -> tuple:
    """What a glyph looks like, independent of how it is encoded and of its instructions."""
    glyph.expand(glyf)
    bbox = tuple(getattr(glyph, k, 0) for k in ("xMin", "yMin", "xMax", "yMax"))
    if glyph.numberOfContours == 0:
        return (0, bbox)
    if glyph.isComposite():
        # Flags minus WE_HAVE_INSTRUCTIONS (0x100).
        return ("c", bbox, tuple(
            (c.glyphName, c.x, c.y, c.flags & ~0x100, getattr(c, "transform", None) and
             tuple(map(tuple, c.transform))) for c in glyph.components))
    return (glyph.numberOfContours, bbox, tuple(glyph.endPtsOfContours),
            tuple(glyph.coordinates), tuple(f & 0x41 for f in glyph.flags))  # on-curve, overlap


def _instruction_bytes(font: TTFont) -> int:
    total = 0
    glyf = font["glyf"]
    for glyph_name in font.getGlyphOrder():
        program = getattr(glyf[glyph_name], "program", None)
        total += len(program.getBytecode()) if program is not None else 0
    return total


def check(original: bytes, result: bytes, job: Job) -> list[str]:
    """Problems with ``result`` as a de-hinted copy of ``original`` (empty if none)."""
    problems: list[str] = []
    old, new = _open(original), _open(result)
    if old.getGlyphOrder() != new.getGlyphOrder():
        problems.append("glyph order differs")
    old_cmaps = {(t.platformID, t.platEncID, t.format): t.cmap for t in old["cmap"].tables}
    new_cmaps = {(t.platformID, t.platEncID, t.format): t.cmap for t in new["cmap"].tables}
    if old_cmaps != new_cmaps:
        problems.append("cmap differs")
    if old["hmtx"].metrics != new["hmtx"].metrics:
        problems.append("hmtx differs")
    for tag in ("hhea", "OS/2", "post", "kern", "GSUB", "GPOS", "GDEF", "vhea", "vmtx"):
        if (tag in old) != (tag in new) or (tag in old and old.getTableData(tag)
                                            != new.getTableData(tag)):
            problems.append(f"{tag} differs")
    if old["head"].modified != new["head"].modified:
        problems.append("head.modified differs")
    old_glyf, new_glyf = old["glyf"], new["glyf"]
    changed = [g for g in old.getGlyphOrder()
               if _outline(old_glyf[g], old_glyf) != _outline(new_glyf[g], new_glyf)]
    if changed:
        problems.append(f"{len(changed)} outlines differ, e.g. {changed[:5]}")
    if _instruction_bytes(new):
        problems.append("glyph instructions left")
    left = [tag for tag in HINTING_TABLES if tag in new]
    if left:
        problems.append(f"tables left: {left}")
    ps_name = new["name"].getName(6, *WIN_EN)
    if ps_name is None or ps_name.toUnicode() != job.ps_name:
        problems.append(f"PostScript name is {ps_name}, expected {job.ps_name}")
    if job.rename:
        for rec in new["name"].names:
            text = rec.toUnicode()
            if rec.nameID in (1, 4, 6, 16, 17, 18, 21, 22, 25) and (
                    "nanum" in text.lower() or "나눔" in text):
                problems.append(f"name ID {rec.nameID} still says {text!r}")
    problems += _check_reportlab(original, result, job)
    return problems


def _check_reportlab(original: bytes, result: bytes, job: Job) -> list[str]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    old = TTFontFile(io.BytesIO(original), validate=1)
    new = TTFontFile(io.BytesIO(result), validate=1)
    problems = []
    if old.charToGlyph != new.charToGlyph:
        problems.append("ReportLab charToGlyph differs")
    if old.charWidths != new.charWidths or old.defaultWidth != new.defaultWidth:
        problems.append("ReportLab widths differ")
    if new.name.decode() != job.ps_name:
        problems.append(f"ReportLab sees the name {new.name!r}")
    for tag in ("cvt ", "fpgm", "prep"):
        if tag in new.table:
            problems.append(f"ReportLab would still embed {tag!r}")
    return problems


# --- main -------------------------------------------------------------------------------


def _table_sizes(data: bytes, tags: tuple[str, ...]) -> int:
    font = TTFont(io.BytesIO(data), lazy=True)
    return sum(font.reader.tables[t].length for t in tags if t in font.reader.tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail if fonts/ is missing or out of date")
    args = parser.parse_args(argv)
    failed = False
    # "Copied into every subset" = what ReportLab puts in each embedded subset whatever the
    # text: name, OS/2, cvt, fpgm, prep (plus small fixed headers).
    per_subset = ("name", "OS/2", "cvt ", "fpgm", "prep")
    print(f"{'font':<28} {'file before':>12} {'file after':>12} "
          f"{'per-subset before':>18} {'after':>6}  sha256 (12)")
    for job in JOBS:
        original = job.source.read_bytes()
        result = slim(original, job)
        if slim(original, job) != result:
            print(f"{job.target}: output is not deterministic", file=sys.stderr)
            failed = True
        problems = check(original, result, job)
        for problem in problems:
            print(f"{job.target}: {problem}", file=sys.stderr)
        failed |= bool(problems)
        target = FONTS / job.target
        if args.check:
            if not target.exists() or target.read_bytes() != result:
                print(f"{target.relative_to(ROOT)} is missing or out of date", file=sys.stderr)
                failed = True
        elif not problems:
            target.write_bytes(result)
        print(f"{job.target:<28} {len(original):>12,} {len(result):>12,} "
              f"{_table_sizes(original, per_subset):>18,} "
              f"{_table_sizes(result, per_subset):>6,}  "
              f"{hashlib.sha256(result).hexdigest()[:12]}")
    for licence in sorted({name for job in JOBS for name in job.licences}):
        if not (FONTS / licence).exists():
            print(f"fonts/{licence} is missing", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
