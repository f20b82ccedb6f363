"""Typst's tag tree for the letter the benches share: an anchor for the project's PDF/UA-1.

Not a test. Builds the letter of typst_reference.py (naju-haderslev ``letters[1]``: Mette
Hansen, Aarhus, to the Mayor of Naju, in Danish, Hangul address, 2026-11-23) as a tagged
PDF/UA-1 with Typst, and prints its structure as tests/helpers/structure.py reads it (the
tree, /Lang, /Alt, links), the artifacts and marked-content /Lang of the page, the link
annotations, and ``pdfinfo -struct-text``. Two variants:

- ``bench`` (default): typst_reference.TEMPLATE unchanged, the letter as measured; written
  for looks, so its tags are what Typst infers from layout alone.
- ``semantic`` (``--semantic``): the same template with the parts said as what they are:
  the date a paragraph, the recipient in ``text(lang: "ko")``, the subject a level-1
  heading, each link item a ``list`` item with ``link`` (the label), the short address and
  the QR code as an ``image`` with ``alt`` (the project's QR code, as SVG): how Typst
  tags what the project's tree has (H1, L/LI/LBody, Link + OBJR, Figure /Alt, /Lang ko).

    python bench/typst_tags.py /tmp/typst-ua.pdf
    python bench/typst_tags.py /tmp/typst-ua.pdf --semantic
    python bench/typst_tags.py /tmp/typst-ua.pdf --json > tests/pdf/anchors/typst-naju-letter.json

``--json`` builds both variants (the PDF written is the chosen one) and prints the
catalog, the page's artifacts and annotations and, per variant, every element in reading
order: depth, role; for a leaf (or an element with text of its own) the first 40
characters of its text as poppler reads it and its language; /Lang where set, /Alt, a
Link's URI and /Contents. Deterministic (a fixed timestamp; sorted keys).
The reading is tests/helpers/structure.py itself, loaded by path rather than copied, so the
anchor is exactly what the tests' reader sees of Typst. Needs the bench extra
(``typst==0.15.2``, the Python binding; it bundles Typst 0.15.1, no ``typst`` CLI needed),
the project installed and poppler-utils.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "helpers"))

import _common  # noqa: E402
import structure  # noqa: E402  (tests/helpers/structure.py)
import typst_reference  # noqa: E402

TEXT_CHARS = 40

# (as in typst_reference.TEMPLATE, as in the semantic variant); each must occur once.
SEMANTIC_EDITS = [
    ("#set par(leading: 5.46pt, spacing: 10.5pt, justify: false)\n",
     "#set par(leading: 5.46pt, spacing: 10.5pt, justify: false)\n"
     "#show heading: set text(size: 10pt)\n"
     "#show heading: set block(above: 0pt, below: 0pt)\n"),
    ("par(leading: 4.66pt, lines(d.recipient_lines)))",
     "text(lang: d.recipient_lang, par(leading: 4.66pt, lines(d.recipient_lines))))"),
    ("dy: 239.606pt - 7.14pt - mt, d.place_date)",
     "dy: 239.606pt - 7.14pt - mt, par(d.place_date))"),
    ('block(below: 13.02pt, text(weight: "bold", d.subject))',
     "block(below: 13.02pt, heading(level: 1, d.subject))"),
    ("grid(columns: (6mm, 1fr), h(1.5mm) + [–], item.text))",
     "list(marker: [–], indent: 1.5mm, body-indent: 2.7mm, block(width: 100%, {"
     " link(item.url, item.text); linebreak(); text(size: 8.5pt, item.short);"
     " place(top + right, dx: 18mm, image(bytes(item.qr), width: 15mm, alt: item.alt)) })))"),
    # the address line under the label costs a line: taken from the room to sign, so
    # that the letter stays on one page (the QR code sits in the right margin)
    ("v(11mm + 0.1pt)", "v(11mm + 0.1pt - 12.6pt)"),
]


def semantic_template() -> bytes:
    text = typst_reference.TEMPLATE
    for old, new in SEMANTIC_EDITS:
        if text.count(old) != 1:
            raise SystemExit(f"typst_reference.TEMPLATE changed: {old!r} is not there once")
        text = text.replace(old, new)
    return text.encode()


def qr_svg(url: str) -> str:
    """``url``'s QR code as the project encodes it (ReportLab's, level M, four-module quiet
    zone), as SVG; drawn here, not taken from layout/, whose QR drawing changes."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    code = QrCodeWidget(url, barLevel="M")
    code.qr.make()
    modules, border = code.qr.modules, code.barBorder
    size = len(modules) + 2 * border
    rects = "".join(f'<rect x="{c + border}" y="{r + border}" width="1" height="1"/>'
                    for r, row in enumerate(modules) for c, dark in enumerate(row) if dark)
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">{rects}</svg>'


def short_url(url: str) -> str:
    """As layout/flow.py shows an address: no scheme, no "www.", no final slash."""
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def semantic_data(letter) -> dict:
    """typst_reference.letter_data plus what the semantic variant says: the recipient's
    language, each link item's address, short address, QR code (SVG) and its text."""
    from campaign_letters.model import LinkItem

    data = typst_reference.letter_data(letter)
    links = [x.link.url for x in letter.text.body if isinstance(x, LinkItem) and x.label]
    items = [x for x in data["body"] if x["kind"] == "link"]
    for item, url in zip(items, links, strict=True):
        item.update(url=url or "", short=short_url(url) if url else "",
                    qr=qr_svg(url) if url else "", alt=f"QR code: {url}")
    hangul = any("\uac00" <= c <= "\ud7a3" for c in "".join(data["recipient_lines"]))
    data["recipient_lang"] = "ko" if hangul else letter.language
    return data


def build(semantic: bool) -> bytes:
    from campaign_letters import load_campaign

    letter = _common.reference_letter()
    campaign = load_campaign(_common.CAMPAIGN)
    title = f"{campaign.title} – letters from {letter.sender.name}"  # as produce.py does
    data = semantic_data(letter) if semantic else typst_reference.letter_data(letter)
    compiler = typst_reference.make_compiler()
    noon = dt.datetime(*_common.DATE.timetuple()[:3], 12, tzinfo=dt.timezone.utc)
    pdf, warnings = compiler.compile_with_warnings(
        input=semantic_template() if semantic else typst_reference.TEMPLATE_BYTES,
        sys_inputs=typst_reference.inputs_for([data], title), pdf_standards="ua-1",
        timestamp=noon)
    for warning in warnings:
        print(f"typst warning: {warning.message}", file=sys.stderr)
    return pdf


def page_facts(pdf: bytes) -> dict:
    """What the tree does not show: the marked content outside it (artifacts, by /Type),
    the /Lang of marked-content property lists, the link annotations, the pages' /Tabs."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    artifacts: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    annotations, tabs = [], []
    for page in reader.pages:
        tabs.append(str(page.get("/Tabs")))
        properties = page["/Resources"].get_object().get("/Properties", {})
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator not in (b"BDC", b"BMC"):
                continue
            props = operands[1] if len(operands) > 1 else DictionaryObject()
            if isinstance(props, NameObject):
                props = properties.get(props, DictionaryObject()).get_object()
            if operands[0] == "/Artifact":
                artifacts[str(props.get("/Type", "(no /Type)")).lstrip("/")] += 1
            if "/Lang" in props:
                langs[str(props["/Lang"])] += 1
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            action = annot.get("/A", {})
            annotations.append({"subtype": str(annot.get("/Subtype")).lstrip("/"),
                                "contents": annot.get("/Contents"), "uri": action.get("/URI"),
                                "struct_parent": "/StructParent" in annot})
    return {"artifacts": dict(sorted(artifacts.items())),
            "marked_content_lang": dict(sorted(langs.items())),
            "annotations": annotations, "tabs": tabs}


def catalog_facts(pdf: bytes) -> dict:
    import io

    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    tree = structure.structure_tree(pdf)
    suspects = catalog["/MarkInfo"].get("/Suspects", False) if "/MarkInfo" in catalog else False
    role_map = catalog["/StructTreeRoot"].get("/RoleMap", {})
    outlines = catalog["/Outlines"].get("/Count", 0) if "/Outlines" in catalog else None
    return {"lang": tree.lang, "title": tree.title, "marked": tree.marked,
            "suspects": bool(getattr(suspects, "value", suspects)),
            "display_doc_title": tree.display_doc_title, "pdfua_part": tree.pdfua_part,
            "role_map": {str(k).lstrip("/"): str(v).lstrip("/") for k, v in role_map.items()},
            "outline_items": outlines}


def elements(pdf: bytes) -> list[dict]:
    """Every element in reading order: pypdf's tree for roles and attributes, poppler's
    text (the two are walked side by side and must agree on the roles). A leaf, or an
    element with marked content of its own (a P around a Link), gets its language (own
    /Lang, else its nearest ancestor's, else the catalog's) and its text's start."""
    tree = structure.structure_tree(pdf)
    nodes = list(structure.walk(tree.root))[1:]
    entries = structure.struct_entries(pdf)
    if [n.role for n, _ in nodes] != [e.role for e in entries]:
        raise SystemExit("pypdf and poppler disagree on the roles:\n"
                         + "\n".join(structure.outline(tree)))
    langs = [tree.lang]  # by depth: the language in force
    out = []
    for (node, depth), entry in zip(nodes, entries, strict=True):
        del langs[depth:]
        langs.append(node.lang or langs[-1])
        row: dict = {"depth": depth - 1, "role": node.role}
        if node.tag != node.role:
            row["tag"] = node.tag
        if node.lang:
            row["own_lang"] = node.lang
        if not node.kids or node.mcids:
            row.update(lang=langs[-1], text=entry.text[:TEXT_CHARS])
        for name in ("alt", "actual_text", "contents", "uri"):
            if getattr(node, name) is not None:
                row[name] = getattr(node, name)
        if node.has_objr:
            row["objr"] = True
        out.append(row)
    return out


def versions() -> dict[str, str]:
    import pypdf
    import typst

    poppler = subprocess.run(["pdfinfo", "-v"], capture_output=True, text=True, check=False)
    return {"typst_py": typst.__version__, "pypdf": pypdf.__version__,
            "poppler": (poppler.stderr or poppler.stdout).split("\n")[0].split()[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="where to write the Typst PDF/UA-1")
    parser.add_argument("--semantic", action="store_true",
                        help="the template with the letter's parts as Typst elements")
    parser.add_argument("--json", action="store_true",
                        help="print both variants' elements as JSON (the anchor)")
    args = parser.parse_args(argv)

    names = ["bench", "semantic"] if args.json else ["semantic" if args.semantic else "bench"]
    pdfs = {name: build(name == "semantic") for name in names}
    chosen = pdfs["semantic" if args.semantic else "bench"]
    args.out.write_bytes(chosen)
    if args.json:
        import io

        from pypdf import PdfReader

        creator = str(PdfReader(io.BytesIO(chosen)).metadata.get("/Creator", ""))
        anchor = {
            "generated_by": "python bench/typst_tags.py OUT.pdf --json",
            "letter": "naju-haderslev letters[1]: Mette Hansen, 8000 Aarhus, to the Mayor "
                      "of Naju; Danish, 2026-11-23 (bench/_common.py)",
            "pdf_standard": "ua-1",
            "typst": creator.removeprefix("Typst "),
            **versions(),
            "variants": {
                name: {"template": "typst_reference.TEMPLATE" + (
                           " with SEMANTIC_EDITS (bench/typst_tags.py)"
                           if name == "semantic" else ", unchanged"),
                       "catalog": catalog_facts(pdf), "page": page_facts(pdf),
                       "elements": elements(pdf)}
                for name, pdf in pdfs.items()},
        }
        print(json.dumps(anchor, ensure_ascii=False, indent=1, sort_keys=True))
        return 0
    tree = structure.structure_tree(chosen)
    print(f"{args.out}: Typst PDF/UA-1, "
          f"{'semantic' if args.semantic else 'bench'} variant, {len(chosen):,} bytes")
    print(json.dumps(catalog_facts(chosen), ensure_ascii=False))
    print(json.dumps(page_facts(chosen), ensure_ascii=False))
    print("\n".join(structure.outline(tree)))
    print("\n-- pdfinfo -struct-text\n" + structure.struct_text(args.out), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
