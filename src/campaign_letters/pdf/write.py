"""A drawn document -> PDF bytes: the project's own writer (ReportLab lays out and
draws; this writes the file, as WeasyPrint writes its own through pydyf).

In: the pages' operators (``PageContent``), form and image XObjects, the fonts the
document numbered (ReportLab's per-document font state, read in ``_reportlab``), the
structure recorded while drawing (``tags.Structure``), and what the document says about
itself (``Metadata``, the standard). Out: one PDF 1.7 file, tagged (PDF/UA-1: MarkInfo,
structure tree, parent tree, /Lang, /DisplayDocTitle, XMP declaring PDF/UA-1), and on
request PDF/A-2b as well (XMP declaring part 2 conformance B, beside PDF/UA's
identification; an sRGB output intent). What is the same in every letter (font subsets,
ToUnicode maps, the colour profile) is formatted and compressed once per process.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from xml.sax.saxutils import escape

from campaign_letters.pdf import serialize as s
from campaign_letters.pdf._reportlab import SubsetObjects, document_fonts
from campaign_letters.pdf.shortcuts import plain
from campaign_letters.pdf.tags import (
    Annotation,
    Element,
    Marked,
    Structure,
    lang_entry,
    role_name,
)

STANDARDS = ("ua-1", "a-2b")  # PDF/UA-1 always; "a-2b": PDF/A-2b too


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself: Info dictionary and XMP, kept equal."""

    title: str
    creator: str
    author: str = ""
    subject: str = ""
    lang: str = ""
    date: dt.date | None = None  # the letters' date; None: a fixed one (labels, tests)


@dataclass
class PageContent:
    width: float
    height: float
    operators: list[str]
    xobjects: tuple[str, ...] = ()  # names of the forms and images it shows


class PackedOperators(str):
    """A page's operators drawn once and replayed (blocks.py), which the writer gives a
    content stream of their own, compressed once however many pages show them. A
    string: wherever else operators go (a form), they are these operators."""

    def compressed(self) -> bytes:
        data: bytes | None = self.__dict__.get("_compressed")
        if data is None:
            data = self.__dict__["_compressed"] = zlib.compress(
                self.encode("latin-1") + b"\n", 9)
        return data


def _content_streams(out: s.Objects, operators: list[str]) -> list[int]:
    """A page's content streams: one for a page without packed operators; else its
    operators in order, each run of them compressed as one stream, packed ones
    (``PackedOperators``) as their own, each ending with a line end, so that streams
    read one after another never run two operators together."""
    if not any(type(op) is PackedOperators for op in operators):
        return [out.add_stream(b"", "\n".join(operators).encode("latin-1"))]
    streams: list[int] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            streams.append(out.add_stream(b"", ("\n".join(pending) + "\n")
                                          .encode("latin-1")))
            pending.clear()

    for op in operators:
        if type(op) is PackedOperators:
            flush()
            streams.append(out.add_stream(b"", op.compressed(), compressed=True))
        else:
            pending.append(op)
    flush()
    return streams


@dataclass
class Form:
    bbox: tuple[float, float, float, float]
    operators: list[str]
    xobjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageMask:
    """A one-bit image painted in the fill colour where its samples are 0 (a QR code)."""

    columns: int
    rows: int
    bits: bytes  # rows of ceil(columns / 8) bytes


@dataclass
class Drawn:
    """Everything one canvas drew."""

    pages: list[PageContent]
    structure: Structure
    forms: dict[str, Form] = field(default_factory=dict)
    images: dict[str, ImageMask] = field(default_factory=dict)


def xobject_name(name: str) -> str:
    return "X" + "".join(char if char.isalnum() else "_" for char in name)


def pdf_bytes(drawn: Drawn, doc: object, meta: Metadata, standard: str = "ua-1") -> bytes:
    """The PDF of ``drawn``; ``doc`` is ReportLab's document that numbered its fonts."""
    if standard not in STANDARDS:
        raise ValueError(f"unknown PDF standard {standard!r}: choose one of {STANDARDS}")
    out = s.Objects()
    catalog, pages_num, resources_num = out.reserve(), out.reserve(), out.reserve()
    page_nums = [out.reserve() for _ in drawn.pages]

    fonts = [(resource, _font(out, parts)) for resource, parts in document_fonts(doc)]
    xobjects = {name: out.reserve() for name in (*drawn.forms, *drawn.images)}
    for name, form in drawn.forms.items():
        x0, y0, x1, y1 = form.bbox
        out.put_stream(xobjects[name], b"/Type/XObject/Subtype/Form/BBox" + s.array(
            map(s.number, (x0, y0, x1, y1))) + b"/Resources " + s.ref(resources_num),
            "\n".join(form.operators).encode("latin-1"))
    for name, image in drawn.images.items():
        out.put_stream(xobjects[name], b"/Type/XObject/Subtype/Image/Width %d/Height %d"
                       b"/ImageMask true/BitsPerComponent 1" % (image.columns, image.rows),
                       image.bits)
    # One resource dictionary for every page and form: each names what the file holds.
    out.put(resources_num, s.dictionary([
        (b"/Font", s.dictionary((s.name(resource), s.ref(num)) for resource, num in fonts)),
        *([(b"/XObject", s.dictionary((s.name(xobject_name(name)), s.ref(num))
                                      for name, num in xobjects.items()))] if xobjects
          else []),
    ]))

    structure = drawn.structure
    annotation_keys = _write_annotations(out, structure.annotations, page_nums,
                                         len(drawn.pages))
    for index, (page, num) in enumerate(zip(drawn.pages, page_nums, strict=True)):
        streams = _content_streams(out, page.operators)
        contents = b"%d 0 R" % streams[0] if len(streams) == 1 else s.array(
            b"%d 0 R" % num for num in streams)
        annots = [s.ref(a_num) for a_num, annotation in annotation_keys.values()
                  if annotation.page == index]
        out.put(num, b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 %s %s]/Resources %d 0 R"
                     b"/Contents %s/StructParents %d/Tabs/S%s>>" % (
                         pages_num, s.number(page.width), s.number(page.height),
                         resources_num, contents, index,
                         b"/Annots" + s.array(annots) if annots else b""))
    out.put(pages_num, b"<</Type/Pages/Kids%s/Count %d>>" % (
        s.array(s.ref(num) for num in page_nums), len(page_nums)))

    tree = _write_structure(out, structure, page_nums, annotation_keys)
    info = out.add(_info(meta))
    metadata = out.add_stream(b"/Type/Metadata/Subtype/XML", _xmp(meta, standard),
                              compress=standard == "ua-1")
    entries = [(b"/Type", b"/Catalog"), (b"/Pages", s.ref(pages_num)),
               (b"/MarkInfo", b"<</Marked true>>"), (b"/StructTreeRoot", s.ref(tree)),
               (b"/ViewerPreferences", b"<</DisplayDocTitle true>>"),
               (b"/Metadata", s.ref(metadata))]
    if meta.lang:
        entries.append((b"/Lang", s.text_string(meta.lang)))
    if standard == "a-2b":
        entries.append((b"/OutputIntents", s.array([s.ref(_output_intent(out))])))
    out.put(catalog, s.dictionary(entries))
    return out.finish(catalog, info)


# -- fonts -----------------------------------------------------------------------------------

def _font(out: s.Objects, parts: SubsetObjects) -> int:
    """A font subset's four objects; their bytes formatted once per process (cached in
    ``parts``), or every time with the plain switch."""
    font_file = out.add_stream(b"/Length1 %d" % parts.font_file_length, parts.font_file,
                               compressed=True)
    cmap = out.add_stream(b"", parts.cmap, compressed=True)
    descriptor = out.add(parts.descriptor % font_file)
    return out.add(parts.font_dict % (descriptor, cmap))


# -- links -----------------------------------------------------------------------------------

def _write_annotations(out: s.Objects, annotations: Sequence[Annotation],
                       page_nums: Sequence[int], first_key: int
                       ) -> dict[int, tuple[int, Annotation]]:
    """Each link annotation (/StructParent key -> (object, annotation)): a URI action,
    no border, printable (PDF/A), described by /Contents (PDF/UA 7.18.5)."""
    keys = {}
    for offset, annotation in enumerate(annotations):
        key = first_key + offset
        num = out.add(b"<</Type/Annot/Subtype/Link/Rect%s/Border[0 0 0]/F 4/P %d 0 R"
                      b"/Contents%s/A<</S/URI/URI%s>>/StructParent %d>>" % (
                          s.array(map(s.number, annotation.rect)),
                          page_nums[annotation.page], s.text_string(annotation.contents),
                          s.ascii_string(s.ascii_uri(annotation.url)), key))
        keys[key] = (num, annotation)
    return keys


# -- structure -------------------------------------------------------------------------------

def _with_content(element: Element, found: set[int]) -> bool:
    """Whether ``element`` has content (marked content, an annotation, or a kid that
    has); the ids of those that have are added to ``found``."""
    has = False
    for kid in element.kids:
        # Every kid visited: the ids of those below with content are wanted too.
        has = (_with_content(kid, found) if isinstance(kid, Element) else True) or has
    if has:
        found.add(id(element))
    return has


def _write_structure(out: s.Objects, structure: Structure, page_nums: Sequence[int],
                     annotations: dict[int, tuple[int, Annotation]]) -> int:
    """The structure tree (elements without content left out) and the parent tree that
    maps each page's MCIDs and each annotation back to its element."""
    root = out.reserve()
    with_content: set[int] = set()
    _with_content(structure.root, with_content)
    numbers: dict[int, int] = {id(structure.root): out.reserve()}  # id -> object number
    annotation_num = {id(annotation): num for num, annotation in annotations.values()}

    def write(element: Element, parent: int) -> None:
        num = numbers[id(element)]
        first_page = None
        for kid in element.kids:
            if type(kid) is Marked:
                first_page = kid.page
                break
        kids: list[bytes] = []
        below: list[Element] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                if id(kid) in with_content:
                    kid_num = numbers[id(kid)] = out.reserve()
                    kids.append(b"%d 0 R" % kid_num)
                    below.append(kid)
            elif isinstance(kid, Marked):
                kids.append(b"%d" % kid.mcid if kid.page == first_page else
                            b"<</Type/MCR/Pg %d 0 R/MCID %d>>" % (page_nums[kid.page],
                                                                   kid.mcid))
            else:
                kids.append(b"<</Type/OBJR/Obj %d 0 R/Pg %d 0 R>>" % (
                    annotation_num[id(kid)], page_nums[kid.page]))
        out.put(num, b"<</Type/StructElem/S%s/P %d 0 R%s%s%s%s/K[%s]>>" % (
            role_name(element.role).encode(), parent,
            b"/Pg %d 0 R" % page_nums[first_page] if first_page is not None else b"",
            lang_entry(element.lang),
            b"/Alt" + s.text_string(element.alt) if element.alt else b"",
            b"/ActualText" + s.text_string(element.actual_text) if element.actual_text
            else b"",
            b" ".join(kids)))
        for kid in below:
            write(kid, num)

    write(structure.root, root)
    nums: list[bytes] = []
    # The canvas starts a page after the last one, which is never written: not in the
    # tree (its key would be the first annotation's).
    for page, elements in enumerate(structure.by_page[:len(page_nums)]):
        nums.append(b"%d%s" % (page, s.array(s.ref(numbers[id(e)]) for e in elements)))
    for key, (_, annotation) in sorted(annotations.items()):
        if annotation.element is not None and id(annotation.element) in numbers:
            nums.append(b"%d %d 0 R" % (key, numbers[id(annotation.element)]))
    parent_tree = out.add(b"<</Nums" + s.array(nums) + b">>")
    next_key = len(page_nums) + len(annotations)
    out.put(root, b"<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R"
                  b"/ParentTreeNextKey %d>>" % (numbers[id(structure.root)], parent_tree,
                                                next_key))
    return root


# -- what the document says about itself ----------------------------------------------------

_FIXED_DATE = dt.date(2000, 1, 1)  # when no date is given: the same bytes every time
PRODUCER = "campaign-letters (ReportLab layout)"


def _date(meta: Metadata) -> dt.date:
    return meta.date or _FIXED_DATE


def _info(meta: Metadata) -> bytes:
    stamp = s.text_string(_date(meta).strftime("D:%Y%m%d000000Z"))
    entries = [(b"/Title", s.text_string(meta.title)),
               (b"/Creator", s.text_string(meta.creator)),
               (b"/Producer", s.text_string(PRODUCER)),
               (b"/CreationDate", stamp), (b"/ModDate", stamp)]
    if meta.author:
        entries.append((b"/Author", s.text_string(meta.author)))
    if meta.subject:
        entries.append((b"/Subject", s.text_string(meta.subject)))
    return s.dictionary(entries)


_PDFUA_EXTENSION = """
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>"""


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    """``text`` as XML character data: escaped, and without the characters XML cannot
    hold (a control character would make the metadata, and so PDF/A, invalid)."""
    return escape(_NOT_IN_XML.sub("", text))


def _xmp(meta: Metadata, standard: str) -> bytes:
    """XMP metadata equal to the Info dictionary, declaring PDF/UA-1 (and PDF/A-2b, with
    the extension schema PDF/A requires for PDF/UA's identification)."""
    date = _date(meta).strftime("%Y-%m-%dT00:00:00Z")
    lang = _xml_text(meta.lang) if meta.lang else "x-default"
    author = f"<dc:creator><rdf:Seq><rdf:li>{_xml_text(meta.author)}</rdf:li></rdf:Seq>" \
             "</dc:creator>" if meta.author else ""
    subject = f"<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" \
              f"{_xml_text(meta.subject)}</rdf:li></rdf:Alt></dc:description>" \
        if meta.subject else ""
    pdfa = standard == "a-2b"
    ids = "<pdfuaid:part>1</pdfuaid:part>" + (
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        if pdfa else "")
    extension = _PDFUA_EXTENSION if pdfa else ""
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml_text(meta.title)}</rdf:li>\
</rdf:Alt></dc:title>{author}{subject}
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>{_xml_text(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   {ids}{extension}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


@cache
def _srgb_profile() -> bytes:
    """sRGB IEC 61966-2.1 as LittleCMS builds it (588 bytes; see fonts/README.md)."""
    return (resources.files("campaign_letters.pdf") / "sRGB.icc").read_bytes()


@cache
def _srgb_compressed() -> bytes:
    return zlib.compress(_srgb_profile(), 9)


def _output_intent(out: s.Objects) -> int:
    profile = out.add_stream(b"/N 3", _srgb_compressed() if not plain() else
                             zlib.compress(_srgb_profile(), 9), compressed=True)
    return out.add(b"<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier"
                   b"(sRGB IEC61966-2.1)/Info(sRGB IEC61966-2.1)/DestOutputProfile %d 0 R>>"
                   % profile)
