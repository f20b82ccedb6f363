"""The project's one-page letter set in Typst: the reference the speed benches compare with.

Not a test. The texts come from the project's API (``compose_letters``; the letter to the
Mayor of Naju is ``letters[1]``), the fonts from ``fonts/`` (Noto Sans Regular and Bold,
Campaign Gothic for Hangul), and the page follows ``layout.py`` and ``paper.py``: A4, DIN
5008 form B window (return line, recipient in the window), sender block top right, date
beside the address field, fold and punch marks, subject, salutation, body with the video
titles as dash items, closing, room to sign, name, copy line. Same sizes and leading
(10/12.6 pt body, 10 pt address, 7 pt return line, 11/9 pt sender block), positions
within about a point. Not reproduced: the project's fit-to-window shrinking of the
address and return line (this letter needs none), the page numbering of longer letters,
links with QR codes (no campaign link has an address).

As in ../shared/bench-anchors/typst_letter.py the template is constant and each letter
comes in through ``sys_inputs`` as JSON, so one ``typst.Compiler`` is built per process
and reused (Typst memoizes across compiles); every letter differs (the volunteer's name
and street), so whole-letter results cannot be replayed from the cache.

    python bench/typst_reference.py /tmp/typst.pdf                 # the letter to the Naju mayor
    python bench/typst_reference.py /tmp/typst.pdf --all --project /tmp/project.pdf
        # all three letters of the volunteer, and the project's PDF of the same letters

Needs ``pip install 'typst==0.15.2'`` (the version the anchors measured).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "CampaignGothic-Regular.ttf")

# Page coordinates below are from the top-left corner of the A4 page, in pt, as paper.py
# computes them (Geometry of an A4 DIN 5008 form B letter); `place` is relative to the
# text area, so each is given as (page position - margin). Typst's line boxes run from
# cap height (0.714 em in Noto Sans) to the baseline: leading = ReportLab leading -
# 0.714 x size, spacing = the gap between baselines - 0.714 x size.
TEMPLATE = r"""
#let letters = json(bytes(sys.inputs.data))
#let gray = rgb(45%, 45%, 45%)
#let ml = 70.866pt
#let mt = 42.520pt
#set document(title: sys.inputs.title, author: letters.first().sender_name)
#set page(width: 595.276pt, height: 841.890pt,
  margin: (left: ml, right: 56.693pt, top: mt, bottom: 36.850pt),
  background: {
    for y in (297.638pt, 595.276pt) {
      place(top + left, dx: 5mm, dy: y, line(length: 4mm, stroke: 0.4pt + gray))
    }
    place(top + left, dx: 5mm, dy: 420.945pt, line(length: 6mm, stroke: 0.4pt + gray))
  })
#set text(font: ("Noto Sans", "Campaign Gothic"), size: 10pt, lang: "da")
#set par(leading: 5.46pt, spacing: 10.5pt, justify: false)

#let lines(xs) = xs.join(linebreak())

#let letter(d) = {
  // sender block, top right, 70 mm wide: name 11/13.2 bold, lines 9/11.25
  place(top + right, dy: 3.2pt, block(width: 70mm, align(right, {
    block(below: 6.7pt, par(leading: 5.35pt, text(size: 11pt, weight: "bold", d.sender_name)))
    par(leading: 4.82pt, text(size: 9pt, lines(d.sender_lines)))
  })))
  // return line, 7 pt, underlined, baseline 1.5 mm above the bottom of its zone
  place(top + left, dy: 173.483pt - 5pt - mt,
    underline(stroke: 0.3pt + gray, offset: 1.2pt, text(size: 7pt, d.return_line)))
  // recipient, 10 pt, first baseline 0.9 em below the top of the window zone
  place(top + left, dy: 186.732pt - 7.14pt - mt,
    par(leading: 4.66pt, lines(d.recipient_lines)))
  // place and date beside the address field, right-aligned
  place(top + right, dy: 239.606pt - 7.14pt - mt, d.place_date)
  v(279.099pt - mt + 2.9pt)
  block(below: 13.02pt, text(weight: "bold", d.subject))
  par(d.salutation)
  for (i, item) in d.body.enumerate() {
    if item.kind == "link" {
      let first = i == 0 or d.body.at(i - 1).kind != "link"
      let last = i + 1 == d.body.len() or d.body.at(i + 1).kind != "link"
      block(above: if first { 10.44pt } else { 7.98pt }, below: if last { 10.5pt } else { 7.98pt },
        grid(columns: (6mm, 1fr), h(1.5mm) + [–], item.text))
    } else {
      par(item.text)
    }
  }
  block(breakable: false, above: 13.02pt, {
    par(d.closing)
    v(11mm + 0.1pt)
    par(d.sender_name)
  })
  if d.copy_line != none {
    block(above: 14pt, par(leading: 5.57pt, text(size: 9pt, d.copy_line)))
  }
}

#for (i, d) in letters.enumerate() {
  if i > 0 { pagebreak() }
  letter(d)
}
"""
TEMPLATE_BYTES = TEMPLATE.encode()


def letter_data(letter) -> dict:
    """A composed ``campaign_letters.Letter`` as the template's plain data.

    Does what layout.py does with the words: the return line joined with " · ", link
    items by their title (a link with neither title nor address is left out, and the
    sentence that announced it ends with a full stop instead of a colon)."""
    from campaign_letters.model import LinkItem

    text = letter.text
    body: list[dict] = []
    items = list(text.body)
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        if isinstance(item, LinkItem):
            if item.label:
                body.append({"kind": "link", "text": item.label})
            continue
        if isinstance(following, LinkItem) and not (following.label or following.link.url) \
                and item.rstrip().endswith(":"):
            item = item.rstrip()[:-1] + "."
        body.append({"kind": "p", "text": item})
    for paragraph in (text.note or "").split("\n\n"):
        if paragraph.strip():
            body.append({"kind": "p", "text": paragraph.strip()})
    return {
        "sender_name": letter.sender.name,
        "sender_lines": list(letter.sender_lines),
        "return_line": " · ".join(letter.return_parts),
        "recipient_lines": list(letter.recipient_lines),
        "place_date": letter.place_date,
        "subject": text.subject,
        "salutation": text.salutation,
        "body": body,
        "closing": text.closing,
        "copy_line": letter.copy_line,
    }


@functools.cache
def font_dir() -> str:
    """A folder holding exactly the three faces the letter uses (symlinks into fonts/):
    Typst takes folders, and fonts/ also holds Droid Sans Fallback, which this letter
    does not need. Removed when the process that made it exits."""
    folder = Path(tempfile.mkdtemp(prefix="typst-fonts-"))
    atexit.register(shutil.rmtree, folder, True)
    for name in FONT_FILES:
        (folder / name).symlink_to(_common.FONTS / name)
    return str(folder)


def make_compiler(folder: str | None = None):
    """One compiler per process: fonts read once, the template parsed once. ``folder``:
    a font_dir() made by another process (pool workers get their parent's)."""
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[folder or font_dir()])
    return typst.Compiler(TEMPLATE_BYTES, font_paths=fonts, ignore_system_fonts=True)


def inputs_for(datas: list[dict], title: str) -> dict[str, str]:
    return {"data": json.dumps(datas, ensure_ascii=False), "title": title}


def compile_letters(compiler, datas: list[dict], title: str = "letters") -> bytes:
    """One PDF with ``datas`` (letter_data dicts), each letter on a new sheet."""
    return compiler.compile(input=TEMPLATE_BYTES, sys_inputs=inputs_for(datas, title))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the Typst PDF")
    parser.add_argument("--all", action="store_true",
                        help="all three letters of the volunteer (default: the one to the "
                             "Mayor of Naju)")
    parser.add_argument("--project", type=Path, metavar="PDF",
                        help="also write the project's PDF of the same letter(s)")
    args = parser.parse_args(argv)

    letters = _common.compose_for()
    chosen = letters if args.all else [letters[1]]
    compiler = make_compiler()
    pdf = compile_letters(compiler, [letter_data(x) for x in chosen], "Typst reference")
    args.out.write_bytes(pdf)
    print(f"{args.out}: Typst, {len(chosen)} letter(s), {len(pdf):,} bytes, "
          f"{_pages(pdf)} page(s)")
    if args.project:
        from campaign_letters import render_document

        rendered = render_document(chosen, "project")
        args.project.write_bytes(rendered.pdf)
        print(f"{args.project}: project, pages per letter {list(rendered.pages)}, "
              f"{len(rendered.pdf):,} bytes")
    return 0


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


if __name__ == "__main__":
    sys.exit(main())
