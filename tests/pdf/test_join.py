"""The streaming joiner: pages, text, links and bookmarks survive; the file is valid; tagged
inputs give one tagged file (their structure trees joined, the parent tree rebuilt)."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from campaign_letters import load_campaign
from campaign_letters.layout.render import render_document
from campaign_letters.pdf.join import Bookmark, PdfJoiner, SourcePdf
from campaign_letters.pdf.shortcuts import plain_mode
from tests.helpers import sender
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import tool
from tests.helpers.structure import structure_tree

SENDERS = [sender(name) for name in ("Mette Hansen", "Søren Ødegård", "山田 はなこ")]


@pytest.fixture(scope="module")
def volunteer_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    campaign = load_campaign("naju-haderslev")
    paths = []
    for index, fields in enumerate(SENDERS):
        letters = make_letters(campaign, fields, language="da")
        path = folder / f"{index}.pdf"
        path.write_bytes(render_document(letters, "t").pdf)
        paths.append(path)
    return paths


def test_join_keeps_pages_text_and_bookmarks(tmp_path, volunteer_pdfs):
    out = tmp_path / "joined.pdf"
    bookmarks = []
    with PdfJoiner(out, title="Print pack", creator="test") as joiner:
        for index, path in enumerate(volunteer_pdfs):
            reader = PdfReader(path)
            mapping: dict[int, int] = {}
            first = joiner.add_pages(reader, 0, 1, mapping)
            joiner.add_pages(reader, 1, len(reader.pages) - 1, mapping)
            joiner.add_blank_page(595.28, 841.89)
            bookmarks.append(Bookmark(SENDERS[index]["name"], first,
                                      [Bookmark("first letter", first)]))
        joiner.close(bookmarks)
    joined = PdfReader(out)
    sources = [PdfReader(p) for p in volunteer_pdfs]
    assert len(joined.pages) == sum(len(r.pages) + 1 for r in sources)
    expected = [page.extract_text() if page is not None else None
                for r in sources for page in [*r.pages, None]]
    for page, text in zip(joined.pages, expected, strict=True):
        assert page.extract_text() == (text if text is not None else "")
    assert [b["/Title"] for b in joined.outline if not isinstance(b, list)] == \
        [s["name"] for s in SENDERS]
    assert joined.metadata["/Title"] == "Print pack"
    assert not list(tmp_path.glob(".*.tmp"))
    check = subprocess.run([tool("qpdf"), "--check", str(out)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    text = subprocess.run([tool("pdftotext"), str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "山田 はなこ" in text and "전남광주통합특별시 나주시 시청길 22" in text
    # The letters are tagged: so is the pack, a Part per volunteer (both calls on one
    # reader), reading each volunteer's letters in order; the blank pages are untagged.
    assert marked_texts(out) == [t for path in volunteer_pdfs for t in marked_texts(path)]
    check_structure(out)
    tree = structure_tree(out)
    assert [part.role for part in tree.root.kids[0].kids] == ["Part"] * len(SENDERS)
    assert tree.lang == structure_tree(volunteer_pdfs[0]).lang and tree.marked
    assert tree.pdfua_part == 1  # as every input claims: blank pages hold no content


def test_an_interrupted_join_leaves_nothing(tmp_path, volunteer_pdfs):
    out = tmp_path / "joined.pdf"
    with pytest.raises(RuntimeError), PdfJoiner(out) as joiner:
        joiner.add_pages(PdfReader(volunteer_pdfs[0]), 0, 1)
        raise RuntimeError("interrupted")
    assert not out.exists() and not list(tmp_path.iterdir())


def test_copy_document_matches_the_object_copy(tmp_path, volunteer_pdfs):
    """The fast byte-level copy of the project's files (an object stream, a cross-reference
    stream) gives the same pages and the same structure as the general one, and a valid
    file that claims PDF/UA-1 as its inputs do."""
    fast, general = tmp_path / "fast.pdf", tmp_path / "general.pdf"
    with PdfJoiner(fast) as joiner:
        for path in volunteer_pdfs:
            for number in joiner.copy_document(path.read_bytes()):
                joiner.append_page(number)
        joiner.add_blank_page(595.28, 841.89)
        joiner.close([Bookmark("first", 0)])
    with PdfJoiner(general) as joiner:
        for path in volunteer_pdfs:
            reader = PdfReader(path)
            joiner.add_pages(reader, 0, len(reader.pages))
        joiner.add_blank_page(595.28, 841.89)
        joiner.close([Bookmark("first", 0)])
    assert [p.extract_text() for p in PdfReader(fast).pages] == \
        [p.extract_text() for p in PdfReader(general).pages]
    qpdf_check(fast)
    assert marked_texts(fast) == marked_texts(general) == \
        [t for path in volunteer_pdfs for t in marked_texts(path)]
    assert structure_tree(fast) == structure_tree(general)
    assert structure_tree(fast).pdfua_part == 1
    fast_found, general_found = check_structure(fast), check_structure(general)
    assert {k: v for k, v in fast_found.items() if k != "elements"} == \
        {k: v for k, v in general_found.items() if k != "elements"}


def test_copy_document_refuses_what_it_cannot_read(tmp_path):
    with PdfJoiner(tmp_path / "x.pdf") as joiner, pytest.raises(ValueError):
        joiner.copy_document(b"%PDF-1.7\nnot really\ntrailer\n<< >>\n%%EOF\n")


def test_copy_keeps_a_link_whose_address_holds_pdf_keywords(tmp_path):
    """Found in review: "endobj" (or "stream") inside a link's address cut the object
    short when objects were found by searching for keywords; and what reads as a
    reference ("7 0 R") in a string is left as it is."""
    from reportlab.pdfgen.canvas import Canvas

    from campaign_letters.text import faces

    url = "https://example.org/livestream/endobj?x=endstream&at=7 0 R"
    buffer = io.BytesIO()
    faces.register_fonts()  # not Helvetica: every test PDF has its fonts embedded
    canvas = Canvas(buffer, pagesize=(595.27, 841.89), invariant=1,
                    initialFontName=faces.LATIN.name)
    canvas.linkURL(url, (72, 700, 300, 720))
    canvas.showPage()
    canvas.save()
    out = tmp_path / "joined.pdf"
    with PdfJoiner(out) as joiner:
        for number in joiner.copy_document(buffer.getvalue()):
            joiner.append_page(number)
        joiner.close()
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    page = PdfReader(out).pages[0]
    assert [a.get_object()["/A"]["/URI"] for a in page["/Annots"]] == [url]


# -- tagged inputs, made here (no Typst): ReportLab draws, the structure is written by hand --

NEXT_PAGE = "\f"  # among an element's kids: what follows is on the next page


@dataclass
class Tag:
    """A structure element of a test PDF. Its kids: texts (each drawn on a line of its own
    as one marked-content sequence), elements, NEXT_PAGE."""

    role: str
    kids: list = field(default_factory=list)
    link: str | None = None  # each of its texts is a link there (an annotation, an OBJR)
    id: str | None = None
    entries: str = ""  # more of its dictionary, as written


def tagged_pdf(title: str, lang: str, body: list, *, role: str = "Document",
               role_map: dict[str, str] | None = None, ua: bool = True) -> bytes:
    """A small tagged PDF, made as a tagged letter is: ReportLab draws the text (the
    project's font, embedded), each line one marked-content sequence; the structure tree,
    the parent tree (each page's key its index, the annotations' after), /StructParents,
    /Lang and XMP are then written into its bytes by hand, every object laid out as
    ReportLab lays them out, so that ``copy_document`` copies it byte for byte."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from campaign_letters.text import faces

    faces.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=faces.LATIN.name)
    canvas.setTitle(title)
    at = {"page": 0, "y": 780, "mcid": 0, "links": 0}
    content: dict[int, list[tuple]] = {}  # id(tag) -> ("mcid"|"objr", page, n), ("tag", tag)

    def draw(tag: Tag) -> None:
        items = content.setdefault(id(tag), [])
        for kid in tag.kids:
            if kid == NEXT_PAGE:
                canvas.showPage()
                at.update(page=at["page"] + 1, y=780, mcid=0, links=0)
            elif isinstance(kid, Tag):
                items.append(("tag", kid))
                draw(kid)
            else:
                canvas.addLiteral(f"/{tag.role} <</MCID {at['mcid']}>> BDC")
                canvas.setFont(faces.LATIN.name, 12)
                canvas.drawString(72, at["y"], kid)
                canvas.addLiteral("EMC")
                items.append(("mcid", at["page"], at["mcid"]))
                at["mcid"] += 1
                if tag.link:
                    canvas.linkURL(tag.link, (72, at["y"] - 3, 300, at["y"] + 12))
                    items.append(("objr", at["page"], at["links"]))
                    at["links"] += 1
                at["y"] -= 24

    root = Tag(role, body)
    draw(root)
    canvas.showPage()
    canvas.save()
    head, bodies, catalog, info = reportlab_objects(buffer.getvalue())

    def new(body: bytes = b"") -> int:
        bodies[len(bodies) + 1] = body
        return len(bodies)

    def add(number: int, entries: bytes) -> None:
        bodies[number] = bodies[number].replace(b"<<", b"<<\n" + entries + b" ", 1)

    pages_root = int(re.search(rb"/Pages (\d+) 0 R", bodies[catalog]).group(1))
    pages = [int(n) for n in re.findall(rb"(\d+) 0 R", bodies[pages_root])]
    annotations = [[int(n) for n in re.findall(rb"(\d+) 0 R", found.group(1))]
                   if (found := re.search(rb"/Annots \[([^\]]*)\]", bodies[page])) else []
                   for page in pages]
    numbers: dict[int, int] = {}

    def number(tag: Tag) -> None:
        numbers[id(tag)] = new()
        for item in content[id(tag)]:
            if item[0] == "tag":
                number(item[1])

    number(root)
    marked: dict[tuple[int, int], int] = {}  # (page, MCID) -> element
    linked: list[tuple[int, int]] = []  # (annotation, element)
    ids: list[tuple[str, int]] = []

    def write(tag: Tag, parent: int) -> None:
        mine = numbers[id(tag)]
        first = next((item[1] for item in content[id(tag)] if item[0] == "mcid"), None)
        kids = []
        for item in content[id(tag)]:
            if item[0] == "tag":
                kids.append(b"%d 0 R" % numbers[id(item[1])])
                write(item[1], mine)
            elif item[0] == "mcid":
                marked[item[1:]] = mine
                kids.append(b"%d" % item[2] if item[1] == first else
                            b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (pages[item[1]], item[2]))
            else:  # no /Pg: the joiner finds the annotation's page from the pages
                linked.append((annotations[item[1]][item[2]], mine))
                kids.append(b"<< /Type /OBJR /Obj %d 0 R >>" % linked[-1][0])
        entries = [b"/Type /StructElem /S /%s /P %d 0 R" % (tag.role.encode(), parent)]
        if first is not None:
            entries.append(b"/Pg %d 0 R" % pages[first])
        if tag.id:
            entries.append(b"/ID (%s)" % tag.id.encode())
            ids.append((tag.id, mine))
        entries += [tag.entries.encode(), b"/K [ " + b" ".join(kids) + b" ]"]
        bodies[mine] = b"<<\n" + b" ".join(entries) + b"\n>>\n"

    tree_root = new()
    write(root, tree_root)
    nums = []
    for index, page in enumerate(pages):
        by_mcid = {mcid: element for (on, mcid), element in marked.items() if on == index}
        entry = new(b"[ " + b" ".join(b"%d 0 R" % by_mcid[m] if m in by_mcid else b"null"
                                      for m in range(max(by_mcid, default=-1) + 1)) + b" ]\n")
        nums.append(b"%d %d 0 R" % (index, entry))
        add(page, b"/StructParents %d /Tabs /S" % index)
    for key, (annotation, element) in enumerate(linked, start=len(pages)):
        nums.append(b"%d %d 0 R" % (key, element))
        add(annotation, b"/StructParent %d /Contents (A link)" % key)
    parent_tree = new(b"<<\n/Nums [ " + b" ".join(nums) + b" ]\n>>\n")
    extra = b""
    if role_map:
        extra += b" /RoleMap << " + b" ".join(
            f"/{k} /{v}".encode() for k, v in role_map.items()) + b" >>"
    if ids:
        extra += b" /IDTree << /Names [ " + b" ".join(
            b"(%s) %d 0 R" % (i.encode(), n) for i, n in sorted(ids)) + b" ] >>"
    bodies[tree_root] = b"<<\n/Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R " \
        b"/ParentTreeNextKey %d%s\n>>\n" % (numbers[id(root)], parent_tree,
                                            len(pages) + len(linked), extra)
    xmp = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:'
           'meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><dc:title><rdf:Alt><rdf:li '
           f'xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
           + ("<pdfuaid:part>1</pdfuaid:part>" if ua else "")
           + '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()
    metadata = new(b"<<\n/Length %d /Subtype /XML /Type /Metadata\n>>\nstream\n%sendstream\n"
                   % (len(xmp), xmp))
    add(catalog, b"/Lang (%s) /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R "
                 b"/ViewerPreferences << /DisplayDocTitle true >> /Metadata %d 0 R"
        % (lang.encode(), tree_root, metadata))
    return reportlab_bytes(head, bodies, catalog, info)


def reportlab_objects(pdf: bytes) -> tuple[bytes, dict[int, bytes], int, int]:
    """A ReportLab PDF's header, its objects' bodies by number, its catalog and info."""
    start = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    table = re.match(rb"xref\s+0 (\d+)\s+", pdf[start:])
    rows = pdf[start + table.end():]
    offsets = {n: int(rows[20 * n:20 * n + 10]) for n in range(1, int(table.group(1)))}
    ends = [*sorted(offsets.values()), start]
    bodies = {}
    for n, offset in offsets.items():
        chunk = pdf[offset:ends[ends.index(offset) + 1]]
        bodies[n] = chunk[len(b"%d 0 obj\n" % n):chunk.rindex(b"endobj")]
    trailer = pdf[start:]
    return (pdf[:min(offsets.values())], bodies,
            int(re.search(rb"/Root (\d+) 0 R", trailer).group(1)),
            int(re.search(rb"/Info (\d+) 0 R", trailer).group(1)))


def reportlab_bytes(head: bytes, bodies: dict[int, bytes], catalog: int, info: int) -> bytes:
    """Objects numbered 1 to n written back as ReportLab writes them."""
    out = bytearray(head)
    offsets = []
    for n in range(1, len(bodies) + 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + bodies[n] + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<<\n/Info %d 0 R /Root %d 0 R /Size %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (
        info, catalog, len(bodies) + 1, xref)
    return bytes(out)


def untagged_pdf(*lines: str) -> bytes:
    """A one-page PDF as ReportLab writes it, untagged."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from campaign_letters.text import faces

    faces.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=faces.LATIN.name)
    for index, line in enumerate(lines):
        canvas.drawString(72, 780 - 24 * index, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


LETTER_A = dict(title="Letter A", lang="en", body=[
    Tag("H1", ["Dear Mayor"]),
    Tag("P", ["Alpha first line", Tag("Link", ["our site"], link="https://example.org/a")]),
    Tag("P", ["Alpha runs over", NEXT_PAGE, "onto page two"]),
    Tag("P", ["Alpha last words"]),
])
TEXT_A = ["Dear Mayor", "Alpha first line", "our site", "Alpha runs over", "onto page two",
          "Alpha last words"]
LETTER_B = dict(title="Brev B", lang="da", body=[
    Tag("Table", [
        Tag("TR", [Tag("TH", ["Navn"], id="h1"), Tag("TH", ["By"], id="h2")]),
        Tag("TR", [Tag("TD", ["Ann"], entries="/A << /O /Table /Headers [ (h1) ] >>"),
                   Tag("TD", ["Oslo"], entries="/A << /O /Table /Headers [ (h2) ] >>")]),
    ]),
    Tag("P", ["Beta closing words"]),
])
TEXT_B = ["Navn", "By", "Ann", "Oslo", "Beta closing words"]


@pytest.fixture(scope="module")
def tagged():
    return tagged_pdf(**LETTER_A), tagged_pdf(**LETTER_B)


def _number_tree(node, into: dict) -> dict:
    node = node.get_object()
    for kid in node.get("/Kids", []):
        _number_tree(kid, into)
    entries = node.get("/Nums", node.get("/Names", []))
    for index in range(0, len(entries), 2):
        assert entries[index] not in into, f"key {entries[index]} twice"
        into[entries[index]] = entries[index + 1]
    return into


def check_structure(path) -> dict:
    """Everything that makes the joined structure tree sound, asserted: each element's /P
    is its parent, every /Pg (of elements, MCRs, OBJRs) is a page of the file, each piece
    of marked content belongs to one element, every parent tree key is unique and below
    /ParentTreeNextKey, and the parent tree maps every page's MCIDs and every linked
    annotation back to the element holding them (and nothing else). Returns the counts
    and the elements by object number."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    catalog = reader.trailer["/Root"]
    root = catalog["/StructTreeRoot"]
    parents = _number_tree(root["/ParentTree"], {})
    assert all(0 <= key < root["/ParentTreeNextKey"] for key in parents)
    marked: dict[tuple[int, int], int] = {}  # (page, MCID) -> element
    linked: dict[int, int] = {}  # annotation -> element
    elements: dict[int, DictionaryObject] = {}

    def walk(reference, parent: int) -> None:
        element = reference.get_object()
        assert reference.idnum not in elements, "an element twice in the tree"
        elements[reference.idnum] = element
        assert element.raw_get("/P").idnum == parent, (reference, element)
        page = element.raw_get("/Pg") if "/Pg" in element else None
        assert page is None or page.idnum in pages, element
        kids = element.get("/K", ArrayObject())
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject) and "/S" in kid.get_object():
                walk(kid, reference.idnum)
                continue
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, int):
                assert page is not None, element
                key = (page.idnum, int(kid))
            elif "/MCID" in kid:
                key = (kid.raw_get("/Pg").idnum if "/Pg" in kid else page.idnum,
                       int(kid["/MCID"]))
            else:
                target = kid.raw_get("/Obj").idnum
                assert target not in linked
                linked[target] = reference.idnum
                continue
            assert key[0] in pages, (element, kid)
            assert key not in marked, f"{key} in two elements"
            marked[key] = reference.idnum

    tops = root.raw_get("/K")
    for top in tops.get_object() if isinstance(tops.get_object(), ArrayObject) else [tops]:
        walk(top, root.indirect_reference.idnum)
    mapped: set = set()
    for page in reader.pages:
        number = page.indirect_reference.idnum
        if "/StructParents" in page:
            for mcid, element in enumerate(parents[page["/StructParents"]].get_object()):
                if isinstance(element, IndirectObject):
                    assert marked[(number, mcid)] == element.idnum, (number, mcid)
                    mapped.add((number, mcid))
        else:
            assert not any(on == number for on, _ in marked), "marked content, no key"
        for annotation in page.get("/Annots", []):
            if "/StructParent" in annotation.get_object():
                key = annotation.get_object()["/StructParent"]
                assert parents[key].idnum == linked[annotation.idnum]
                mapped.add(annotation.idnum)
    assert set(marked) | set(linked) == mapped, "content the parent tree does not map"
    return {"elements": elements, "marked": len(marked), "linked": len(linked),
            "keys": len(parents)}


def marked_texts(path) -> list[str]:
    """The text of each marked-content sequence, in the structure tree's order, as
    poppler's ``pdfinfo -struct-text`` reads it."""
    tool("pdfinfo")
    from tests.helpers.structure import struct_text

    return re.findall(r'^ *"(.*)"$', struct_text(path), re.M)


def qpdf_check(path) -> None:
    check = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def object_streams(pdf: bytes, tmp_path) -> bytes:
    """``pdf`` rewritten with object streams and a cross-reference stream (PDF 1.5)."""
    source, target = tmp_path / "classic.in", tmp_path / "streams.in"
    source.write_bytes(pdf)
    subprocess.run([tool("qpdf"), "--object-streams=generate", str(source), str(target)],
                   check=True)
    return target.read_bytes()


@pytest.mark.parametrize("how", ["copy_document", "add_pages", "object streams"])
def test_tagged_inputs_make_one_tagged_file(tmp_path, tagged, how):
    """Four tagged files (two kinds, twice each) joined: one structure tree, a Part per
    input titled with its title (in its language where that differs), reading each
    input's text in order; every reference resolves, the parent tree is rebuilt with
    unique keys, IDs stay unique with each table's /Headers pointing at its own cells."""
    a, b = tagged
    out = tmp_path / "joined.pdf"
    inputs = [a, b, a, b]
    with PdfJoiner(out, title="Pack", creator="test") as joiner:
        for data in inputs:
            if how == "copy_document":  # the byte copy takes tagged files, but IDs
                if data is b:  # to make unique: those go through pypdf
                    with pytest.raises(ValueError, match="IDs"):
                        joiner.copy_document(data)
                    joiner.add_document(data)
                    continue
                for number in joiner.copy_document(data):
                    joiner.append_page(number)
            elif how == "add_pages":
                reader = PdfReader(io.BytesIO(data))
                joiner.add_pages(reader, 0, len(reader.pages))
            else:  # not laid out as ReportLab writes: add_document falls back to pypdf
                streams = object_streams(data, tmp_path)
                with pytest.raises(ValueError):
                    joiner.copy_document(streams)
                joiner.add_document(streams)
        joiner.close([Bookmark("A", 0), Bookmark("B", 2)])
    qpdf_check(out)
    assert marked_texts(out) == TEXT_A + TEXT_B + TEXT_A + TEXT_B
    found = check_structure(out)
    assert (found["marked"], found["linked"]) == (22, 2)
    assert found["keys"] == 2 * (2 + 1) + 2 * 1  # a key per page and per link
    tree = structure_tree(out)
    assert (tree.lang, tree.marked, tree.display_doc_title, tree.pdfua_part, tree.title) == \
        ("en", True, True, 1, "Pack")
    [document] = tree.root.kids
    assert document.role == "Document"
    assert [(part.role, part.lang) for part in document.kids] == \
        [("Part", None), ("Part", "da")] * 2
    joined = PdfReader(out)
    parts = joined.trailer["/Root"]["/StructTreeRoot"]["/K"][0]["/K"]
    assert [part["/T"] for part in parts] == ["Letter A", "Brev B"] * 2
    assert [b["/Title"] for b in joined.outline] == ["A", "B"]
    # IDs: unique, in the ID tree, and each table's headers name its own header cells.
    elements = found["elements"]
    ids = {str(e["/ID"]): number for number, e in elements.items() if "/ID" in e}
    assert len(ids) == 4
    id_tree = _number_tree(joined.trailer["/Root"]["/StructTreeRoot"]["/IDTree"], {})
    assert {str(k): v.idnum for k, v in id_tree.items()} == ids
    for part in (parts[1], parts[3]):
        table = part["/K"][0]
        headers, cells = (row["/K"] for row in table["/K"])
        for header, cell in zip(headers, cells, strict=True):
            assert [str(h) for h in cell["/A"]["/Headers"]] == [str(header["/ID"])]


def test_pages_copied_apart_keep_their_elements(tmp_path, tagged):
    """A tagged file's pages copied one at a time, a blank page after each (duplex), then
    an untagged file and another tagged one: the first file's pages stay in one Part,
    a paragraph running over its two pages is in each copy with what is there, the
    untagged page is in the file but not in the structure, and the file claims no PDF/UA."""
    a, b = tagged
    out = tmp_path / "joined.pdf"
    with PdfJoiner(out) as joiner:
        source = SourcePdf(a)
        for index in range(source.page_count):
            joiner.add_source_pages(source, index, 1)
            joiner.add_blank_page(*source.page_size(index))
        joiner.add_document(untagged_pdf("Untagged words"))
        joiner.add_source_pages(SourcePdf(b), 0, 1)
        joiner.close([Bookmark("A", 0), Bookmark("B", 5)])
    qpdf_check(out)
    assert marked_texts(out) == TEXT_A + TEXT_B
    found = check_structure(out)
    tree = structure_tree(out)
    assert tree.title == "Letter A"  # no title given: the first tagged input's
    assert tree.pdfua_part is None
    assert [part.role for part in tree.root.kids[0].kids] == ["Part", "Part"]
    first = tree.root.kids[0].kids[0]
    assert [kid.role for kid in first.kids] == ["H1", "P", "P", "P", "P"]  # split in two
    assert [kid.mcids for kid in first.kids[2:4]] == [((0, 3),), ((2, 0),)]
    reader = PdfReader(out)
    assert "/StructParents" not in reader.pages[4]  # the untagged page
    assert "Untagged words" in reader.pages[4].extract_text()
    assert found["keys"] == 2 + 1 + 1
    assert [b["/Title"] for b in reader.outline] == ["A", "B"]


def test_role_maps_are_merged_and_a_clash_renamed(tmp_path):
    """Two inputs mapping the same custom type to different standard ones (and one
    remapping a standard type): the joined role map keeps both meanings, renaming the
    second input's names in its elements; a custom document element becomes the Part."""
    first = tagged_pdf("One", "en", [Tag("Para", ["First para"]), Tag("Note", ["A note"])],
                       role="Letter", role_map={"Letter": "Document", "Para": "P"})
    second = tagged_pdf("Two", "en", [Tag("P", [Tag("Para", ["Second para"])]),
                                      Tag("Note", ["Not a note"])],
                        role_map={"Para": "Span", "Note": "P"})
    out = tmp_path / "joined.pdf"
    with PdfJoiner(out, title="Roles") as joiner:
        for number in joiner.copy_document(first):  # nothing to rename yet: as it is
            joiner.append_page(number)
        with pytest.raises(ValueError, match="rename"):
            joiner.copy_document(second)
        joiner.add_document(second)  # through pypdf, which renames
        joiner.close()
    with PdfJoiner(tmp_path / "standard.pdf") as joiner, pytest.raises(ValueError):
        joiner.copy_document(second)  # remaps a standard type, which the next may use
    qpdf_check(out)
    check_structure(out)
    root = PdfReader(out).trailer["/Root"]["/StructTreeRoot"]
    assert dict(root["/RoleMap"]) == {"/Letter": "/Document", "/Para": "/P",
                                      "/Para-2": "/Span", "/Note-2": "/P"}
    tree = structure_tree(out)
    assert [(e.tag, e.role) for part in tree.root.kids[0].kids for e in part.kids] == [
        ("Para", "P"), ("Note", "Note"), ("P", "P"), ("Note-2", "P")]
    assert tree.root.kids[0].kids[1].kids[0].kids[0].tag == "Para-2"
    assert marked_texts(out) == ["First para", "A note", "Second para", "Not a note"]


def test_untagged_inputs_give_an_untagged_file(tmp_path):
    """As before tags: no structure tree, no /MarkInfo, no /Lang; a /StructParents key a
    page carries without a structure tree (it means nothing) is dropped."""
    head, bodies, catalog, info = reportlab_objects(untagged_pdf("Plain words"))
    page = next(n for n, body in bodies.items() if b"/Type /Page\n" in body)
    bodies[page] = bodies[page].replace(b"<<", b"<<\n/StructParents 0", 1)
    stray = reportlab_bytes(head, bodies, catalog, info)
    for how in ("copy_document", "add_pages"):
        out = tmp_path / f"{how}.pdf"
        with PdfJoiner(out, title="Plain") as joiner:
            joiner.add_document(untagged_pdf("Other words"))
            if how == "copy_document":
                for number in joiner.copy_document(stray):
                    joiner.append_page(number)
            else:
                joiner.add_pages(PdfReader(io.BytesIO(stray)), 0, 1)
            joiner.close()
        qpdf_check(out)
        reader = PdfReader(out)
        catalog_dict = reader.trailer["/Root"]
        assert not {"/StructTreeRoot", "/MarkInfo", "/Lang", "/Metadata"} & set(catalog_dict)
        assert [("/StructParents" in p, p.extract_text().strip()) for p in reader.pages] == \
            [(False, "Other words"), (False, "Plain words")]


def test_plain_joins_tagged_files_through_pypdf_alike(tmp_path, tagged):
    """The plain switch: no byte copy (copy_document refuses), add_document copies every
    file through pypdf; the structure reads the same."""
    a, b = tagged
    outs = []
    for on in (False, True):
        out = tmp_path / f"plain-{on}.pdf"
        with plain_mode(on), PdfJoiner(out, title="Pack") as joiner:
            if on:
                with pytest.raises(ValueError, match="plain"):
                    joiner.copy_document(a)
            joiner.add_document(a)
            joiner.add_document(b)
            joiner.close()
        outs.append(out)
    assert marked_texts(outs[0]) == marked_texts(outs[1]) == TEXT_A + TEXT_B
    assert structure_tree(outs[0]) == structure_tree(outs[1])
    check_structure(outs[1])


@pytest.mark.slow
def test_a_long_pack_splits_its_trees_and_stays_flat(tmp_path, tagged):
    """Hundreds of tagged inputs: the parent tree and the ID tree are written as trees of
    nodes (not one array of thousands), still sound. While joining, what memory keeps
    grows by a few numbers an input (pages, Parts, parent tree keys), no input's tree is
    kept, and the byte copy leaves no reference cycles for the collector (pypdf's reader,
    used for the inputs with IDs, makes its own)."""
    import gc
    import tracemalloc

    a, b = tagged
    kept = {}
    for count in (40, 160):
        out = tmp_path / f"long-{count}.pdf"
        tracemalloc.start()
        with PdfJoiner(out, title="Long") as joiner:
            for _ in range(count):
                joiner.add_document(a)
                joiner.add_document(b)
            gc.collect()
            kept[count] = tracemalloc.get_traced_memory()[0]
            joiner.close()
        tracemalloc.stop()
    assert kept[160] - kept[40] < 120 * 100, kept  # 120 more pairs: < 100 bytes each
    qpdf_check(out)
    found = check_structure(out)
    assert found["keys"] == 160 * 4
    root = PdfReader(out).trailer["/Root"]["/StructTreeRoot"]
    assert "/Kids" in root["/ParentTree"] and "/Kids" in root["/IDTree"]
    assert len(_number_tree(root["/IDTree"], {})) == 160 * 2
    assert marked_texts(out) == (TEXT_A + TEXT_B) * 160
    gc.collect()
    gc.disable()
    try:
        with PdfJoiner(tmp_path / "cycles.pdf") as joiner:
            for _ in range(20):
                for number in joiner.copy_document(a):
                    joiner.append_page(number)
            assert gc.collect() == 0
            joiner.close()
    finally:
        gc.enable()


@pytest.mark.slow
def test_joined_letters_pass_pdf_ua_1(tmp_path, volunteer_pdfs):
    """veraPDF's PDF/UA-1 profile passes the joined project letters: copied whole (the
    byte copy), and letter by letter through pypdf with a blank page after each page."""
    from tests.helpers import validator

    if not validator.available():
        pytest.skip("veraPDF not installed here: bash .ci/install-validator")
    whole, apart = tmp_path / "whole.pdf", tmp_path / "apart.pdf"
    with PdfJoiner(whole, title="Print pack") as joiner:
        for path in volunteer_pdfs:
            joiner.add_document(path.read_bytes())
        joiner.close([Bookmark("first", 0)])
    with PdfJoiner(apart, title="Print pack") as joiner:
        for path in volunteer_pdfs:
            source = SourcePdf(path)
            for index in range(source.page_count):
                joiner.add_source_pages(source, index, 1)
                joiner.add_blank_page(*source.page_size(index))
        joiner.close([Bookmark("first", 0)])
    assert validator.validate_many([whole, apart], "ua-1") == {whole: [], apart: []}
