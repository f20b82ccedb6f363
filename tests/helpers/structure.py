"""A tagged PDF's logical structure (PDF/UA-1) read back two ways, for the tests: a
letter must read in order, in its languages, with its links and QR codes said, and only
a reader's view shows that.

- ``structure_tree`` (pypdf): the /StructTreeRoot, each element's role (after /RoleMap),
  /Lang, /Alt, /ActualText, marked content (page index, MCID), OBJR and a Link's
  annotation; the catalog's /Lang, /MarkInfo, title, /DisplayDocTitle, XMP pdfuaid:part.
- ``struct_text``: poppler's ``pdfinfo -struct-text``, the same tree with the text of
  each marked-content sequence; ``struct_elements_text`` parses it into (role, text).

Standalone (pypdf and the standard library): bench/typst_tags.py loads it by path.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class Node:
    """A structure element. ``role``: the standard role (/S through /RoleMap); ``tag``:
    the /S as written (the same unless role-mapped)."""

    role: str
    tag: str
    lang: str | None = None  # its own /Lang only; see effective_langs
    alt: str | None = None
    actual_text: str | None = None
    contents: str | None = None  # Link: the annotation's /Contents
    uri: str | None = None  # Link: the annotation's /A /URI
    kids: tuple[Node, ...] = ()
    mcids: tuple[tuple[int, int], ...] = ()  # (page index, MCID); page -1 when unknown
    has_objr: bool = False


@dataclass(frozen=True)
class Tree:
    """The tree and the catalog. ``root`` stands for the /StructTreeRoot (role
    "StructTreeRoot"); its kids are the top elements (Document, usually)."""

    root: Node
    lang: str | None  # the catalog's /Lang
    marked: bool  # /MarkInfo /Marked
    title: str | None  # the document information /Title
    display_doc_title: bool  # /ViewerPreferences /DisplayDocTitle
    pdfua_part: int | None  # pdfuaid:part in the XMP metadata (1 for PDF/UA-1)


def _get(obj: object, key: str, default: object = None) -> object:
    """``obj[key]`` resolved (pypdf's ``get`` leaves indirect objects unresolved)."""
    value = obj.get(key, default) if isinstance(obj, DictionaryObject) else default
    return value.get_object() if isinstance(value, IndirectObject) else value


def _flag(value: object) -> bool:
    return bool(getattr(value, "value", value))  # bool(BooleanObject(False)) is True


def _text(value: object) -> str | None:
    if isinstance(value, bytes):  # a string pypdf could not decode as text
        return value.decode("latin-1")
    return None if value is None else str(value)


def structure_tree(pdf: bytes | Path) -> Tree:
    """The PDF's structure tree (a root without kids if it has none). /K may be an MCID,
    an MCR, an OBJR, an element or an array of them; /Pg is inherited from the parent
    element; an element met twice (a cycle, or two parents) is read the first time only."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else Path(pdf))
    catalog = reader.trailer["/Root"]
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)
             if page.indirect_reference is not None}
    tree_root = _get(catalog, "/StructTreeRoot")
    role_map = _get(tree_root, "/RoleMap") or {}
    seen: set[object] = {("ref", getattr(catalog.raw_get("/StructTreeRoot"), "idnum", -1))}

    def standard(tag: str) -> str:
        for _ in range(16):  # a chain of mappings, guarded against a loop
            tag = str(role_map.get("/" + tag, "/" + tag)).lstrip("/")
        return tag

    def page_of(obj: DictionaryObject, inherited: int) -> int:
        ref = obj.raw_get("/Pg") if "/Pg" in obj else None
        return pages.get(ref.idnum, -1) if isinstance(ref, IndirectObject) else inherited

    def element(obj: DictionaryObject, inherited_page: int) -> Node:
        page = page_of(obj, inherited_page)
        kids: list[Node] = []
        mcids: list[tuple[int, int]] = []
        objr, contents, uri = False, None, None
        raw = obj.raw_get("/K") if "/K" in obj else None
        resolved = raw.get_object() if isinstance(raw, IndirectObject) else raw
        items = resolved if isinstance(resolved, ArrayObject) else [] if raw is None else [raw]
        for item in items:
            kid = item.get_object() if isinstance(item, IndirectObject) else item
            key = ("ref", item.idnum) if isinstance(item, IndirectObject) else ("id", id(kid))
            if isinstance(kid, int):
                mcids.append((page, int(kid)))
            elif not isinstance(kid, DictionaryObject):
                continue
            elif _get(kid, "/Type") == "/OBJR" or "/Obj" in kid:
                annotation = _get(kid, "/Obj")
                if isinstance(annotation, DictionaryObject) and not objr:
                    action = _get(annotation, "/A")
                    contents = _text(_get(annotation, "/Contents"))
                    uri = _text(_get(action, "/URI"))
                objr = True
            elif "/MCID" in kid:  # an MCR (/Type /MCR), maybe with a /Pg of its own
                mcids.append((page_of(kid, page), int(kid["/MCID"])))
            elif "/S" in kid and key not in seen:
                seen.add(key)
                kids.append(element(kid, page))
        tag = str(_get(obj, "/S", "/StructTreeRoot")).lstrip("/")
        return Node(role=standard(tag), tag=tag, lang=_text(_get(obj, "/Lang")),
                    alt=_text(_get(obj, "/Alt")), actual_text=_text(_get(obj, "/ActualText")),
                    contents=contents, uri=uri, kids=tuple(kids), mcids=tuple(mcids),
                    has_objr=objr)

    root = Node("StructTreeRoot", "StructTreeRoot")
    if isinstance(tree_root, DictionaryObject):
        root = Node("StructTreeRoot", "StructTreeRoot", kids=element(tree_root, -1).kids)
    mark_info = _get(catalog, "/MarkInfo")
    preferences = _get(catalog, "/ViewerPreferences")
    metadata = _get(catalog, "/Metadata")
    xmp = metadata.get_data().decode("utf-8", "replace") if hasattr(metadata, "get_data") else ""
    part = re.search(r"pdfuaid:part(?:>|\s*=\s*[\"'])\s*(\d+)", xmp)
    return Tree(root=root, lang=_text(_get(catalog, "/Lang")),
                marked=_flag(_get(mark_info, "/Marked", False)),
                title=_text((reader.metadata or {}).get("/Title")),
                display_doc_title=_flag(_get(preferences, "/DisplayDocTitle", False)),
                pdfua_part=int(part.group(1)) if part else None)


def walk(node: Node, depth: int = 0) -> Iterator[tuple[Node, int]]:
    """Every element under ``node`` (itself first) with its depth, in the tree's order."""
    yield node, depth
    for kid in node.kids:
        yield from walk(kid, depth + 1)


def effective_langs(tree: Tree) -> list[tuple[str, str | None]]:
    """(role, language) of each leaf element (no element kids), in reading order: its own
    /Lang, else the nearest ancestor's, else the catalog's. A /Lang in a marked-content
    property list (where Typst puts a language change inside a paragraph) is not seen."""
    found: list[tuple[str, str | None]] = []
    langs = [tree.lang]  # the language in force, by depth
    for node, depth in list(walk(tree.root))[1:]:
        del langs[depth:]
        langs.append(node.lang or langs[-1])
        if not node.kids:
            found.append((node.role, langs[-1]))
    return found


def outline(node: Node | Tree) -> list[str]:
    """An indented dump of the roles, for readable test failures; a Tree's starts with a
    line for the catalog's /Lang and title."""
    if isinstance(node, Tree):
        return [f"catalog lang={node.lang!r} title={node.title!r}", *outline(node.root)]
    lines = []
    for element, depth in walk(node):
        line = element.role if element.tag == element.role else f"{element.tag}->{element.role}"
        for name in ("lang", "alt", "actual_text", "contents", "uri"):
            if getattr(element, name) is not None:
                line += f" {name}={getattr(element, name)!r}"
        line += " +OBJR" * element.has_objr + f" [{len(element.mcids)} MCID]" * bool(
            element.mcids)
        lines.append("  " * depth + line)
    return lines


# -- poppler's view ------------------------------------------------------------------------

def struct_text(path: Path | bytes) -> str:
    """``pdfinfo -struct-text``: two spaces a level; an element as ``Role[ <ID>][ "/T"]
    [ (block|inline)][:]``, the colon when attribute lines (``/Name value``, indented an
    odd number of spaces) follow; the text of each marked-content sequence as a quoted
    line a level deeper; an OBJR as ``Object num gen``. Roles after /RoleMap. stderr is
    not read: poppler 22.12 says "Suspects object is wrong type" for /Suspects false.
    Its /T is printed raw: a UTF-16 title (Typst's H1) shows as two bytes, U+FFFD."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:  # a skip under pytest (as pdf_text.tool does), else an error
        message = "pdfinfo is not installed (apt-get install poppler-utils)"
        if "pytest" in sys.modules:
            sys.modules["pytest"].skip(message)
        raise FileNotFoundError(message)
    data = path if isinstance(path, bytes) else None  # bytes: on stdin, as "-"
    result = subprocess.run([pdfinfo, "-enc", "UTF-8", "-struct-text",
                             "-" if data is not None else str(path)],
                            input=data, capture_output=True, check=False, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"pdfinfo -struct-text failed ({result.returncode}): "
                           f"{result.stderr.decode('utf-8', 'replace')}")
    return result.stdout.decode("utf-8", "replace")


@dataclass(frozen=True)
class Entry:
    """An element as ``pdfinfo -struct-text`` shows it: depth (0 at the top), role, its
    text and its descendants' in order, and whether it has no element kids."""

    depth: int
    role: str
    text: str
    leaf: bool


_ELEMENT = re.compile(r'(?P<role>[^\s"<(:]+)(?: <.*?>)?(?: ".*")?(?: r\d+)?'
                      r'(?: \((?:inline|block)\))?:?$')


def join_chunks(chunks: list[str]) -> str:
    """Consecutive marked-content texts: as they are where the boundary has a space or
    follows a hyphen, else with a space (a line break; but also inside a word split over
    two sequences, as at a font change)."""
    text = ""
    for chunk in chunks:
        if text and chunk and not (text[-1].isspace() or chunk[0].isspace()
                                   or text[-1] in "-\u2010\u00ad"):
            text += " "
        text += chunk
    return text


def struct_entries(path: Path | bytes) -> list[Entry]:
    """``pdfinfo -struct-text`` parsed: every structure element, in the tree's order."""
    lines = struct_text(path).splitlines()
    found: list[tuple[int, str, list[str], list[bool]]] = []  # depth, role, texts, has kids
    stack: list[int] = []  # the open elements, as indexes into found
    index = 0
    while index < len(lines):
        body = lines[index].lstrip(" ")
        indent = len(lines[index]) - len(body)
        index += 1
        if not body or indent % 2 or body == "(No content?)" or \
                re.fullmatch(r"Object \d+ \d+", body):
            continue  # attribute lines are indented an odd number of spaces
        while stack and found[stack[-1]][0] >= indent // 2:
            stack.pop()
        if body.startswith('"'):  # a marked-content sequence's text, maybe over lines
            while (len(body) < 2 or not body.endswith('"')) and index < len(lines):
                body, index = body + "\n" + lines[index], index + 1
            for open_element in stack:
                found[open_element][2].append(body[1:-1])
        elif match := _ELEMENT.match(body):
            if stack:
                found[stack[-1]][3][0] = True
            stack.append(len(found))
            found.append((indent // 2, match.group("role"), [], [False]))
    return [Entry(depth, role, join_chunks(chunks), not kids[0])
            for depth, role, chunks, kids in found]


def struct_elements_text(path: Path | bytes) -> list[tuple[str, str]]:
    """(role, text) of every element in reading order, as poppler reads them: the text of
    an element includes its descendants' (a P's inline Link too; Document's is all).
    Inside one marked-content sequence poppler joins lines with nothing ("Vestergade
    128000 Aarhus" for a block drawn as one MCID): compare such text without spaces."""
    return [(entry.role, entry.text) for entry in struct_entries(path)]
