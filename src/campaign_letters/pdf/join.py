"""Join many small PDFs into one big one, streaming: memory stays flat however many.

pypdf's PdfWriter keeps every object in memory until it writes, which for a pack of
10,000 volunteers is gigabytes. This writer copies each input's page objects (and all they
refer to: contents, fonts, annotations) straight to the output file under new object
numbers (their byte offsets go to a temporary file, the bookmarks are written as they
come), and writes the page tree and the cross-reference table at the end. Stream data is
copied as stored, never decoded (``copy_document`` unpacks an input's object streams and
cross-reference stream, which hold no page content and are not copied as such).

Tagged inputs (a structure tree, as PDF/UA asks) make a tagged file. The joined tree is
one Document element with a Part per input: the input's document element made a Part
(or, when its tree has no single one, a new Part holding its top elements), titled with
the input's title and given its /Lang where that differs from the file's. Through pypdf
(``add_pages``), each input's structure elements are copied after its pages and written
as they come, their /P, /Pg and content references (MCIDs, MCR and OBJR dictionaries)
renumbered; when only some of an input's pages are copied, so are the elements with
content on them (an element running over pages copied apart is copied in each copy, with
what is there), and further pages of the same input (the same reader) join its Part. The
byte copy (``copy_document``, a whole file) copies the elements as it copies any object,
renumbered, reading only the tree's root, its parent tree and its document element; an
input whose elements would need rewriting (IDs, or a type or class name clashing with an
earlier input's) is left to pypdf's path.

Every /StructParents (pages, forms) and /StructParent (annotations) copied gets the joined
file's next key, in the order copied, so keys are unique, and its parent tree entry once
the copy's elements are written: rebuilt from them through pypdf (the array of elements
by MCID, written as an object, or the annotation's element), in the byte copy the input's
own entry for that key and that kind of owner, renumbered. What stays in memory until
``close`` is one number per key (as for pages: a page tree's worth) and one per Part; the
parent tree is written at close. Element IDs get a prefix per copy, so that two inputs'
IDs never clash (table cells' /Headers follow), into an ID tree whose entries wait in a
temporary file. The inputs' role maps and class maps are merged (a name one input maps
otherwise than another is renamed in its elements). The catalog gets /MarkInfo, /Lang
(the first tagged input's), /ViewerPreferences /DisplayDocTitle and XMP metadata with the
title (the joiner's, else the first tagged input's), which claims PDF/UA-1 only if every
tagged input claimed it and no input was untagged.

Untagged inputs are copied as before (a /StructParent or /StructParents key, which means
nothing without a structure tree, is dropped). Joined with tagged ones, their pages are
in the file but not in its structure tree: software that reads the tags (screen readers)
skips them. A file of untagged inputs only is untagged, as before.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shutil
import struct
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar, cast, overload
from xml.sax.saxutils import escape

from pypdf import PdfReader
from pypdf.filters import ASCII85Decode, FlateDecode
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    create_string_object,
    read_object,
)

from campaign_letters.pdf._reportlab import copy_stream
from campaign_letters.pdf.serialize import text_string
from campaign_letters.pdf.shortcuts import plain

# Object numbers fixed up front; everything else is numbered as it is written.
_CATALOG, _PAGES, _OUTLINES, _INFO = 1, 2, 3, 4
_FIRST_FREE = 5
# An information dictionary's /Title: a hex string, or a literal one (escaped parentheses
# only, as writers write them).
_TITLE = re.compile(rb"/Title\s*(<[0-9A-Fa-f]*>|\((?:\\.|[^\\()])*\))")
_FREE = b"0000000000 00000 f \n"  # an xref entry for a number not written (yet)
_XREF_CHUNK = 4096  # entries held in memory before they go to the temporary file

_STRUCT_PARENT_KEYS = ("/StructParent", "/StructParents")
_TREE_FANOUT = 256  # entries (or kids) per node of the parent tree and the ID tree
# The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), on which PDF/UA-1 rests:
# an input's role map may not remap one for the others (they use them as they are).
_STANDARD_TYPES = frozenset(f"/{name}" for name in [
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI",
    "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote",
    "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP",
    "Warichu", "WT", "WP", "Figure", "Formula", "Form"])
_T = TypeVar("_T")
_UA_CLAIM = re.compile(rb"pdfuaid:part(?:\s*=\s*[\"']\s*|\s*>\s*)1\b")


@dataclass
class Bookmark:
    title: str
    page: int  # index into the joined document
    children: list[Bookmark] = field(default_factory=list)


class _Ref(IndirectObject):
    """A reference to an object of the output file (no reader to resolve it against)."""

    def __init__(self, idnum: int):
        super().__init__(idnum, 0, None)


class SourcePdf:
    """One finished PDF to take pages from: read when opened, its shared objects (fonts)
    copied once however many of its pages are taken."""

    def __init__(self, source: Path | bytes):
        self.reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
        self.mapping: dict[int, int] = {}  # its object numbers -> the joined file's

    @property
    def page_count(self) -> int:
        return len(self.reader.pages)

    def page_size(self, index: int) -> tuple[float, float]:
        """(width, height) of page ``index``, in points."""
        box = self.reader.pages[index].mediabox
        return float(box.width), float(box.height)


# -- an input's structure tree, as read ------------------------------------------------------


class _Objects:
    """An input's objects, to read its structure: through pypdf's reader, or (for
    ``copy_document``, which has no reader) parsed one by one from the dictionaries in its
    bytes, only those the structure needs. For the latter this stands in for the reader
    pypdf's parser (``read_object``) wants: the references it parses keep it as their
    ``pdf`` and resolve through its ``get_object``, and it reads ``strict`` on a malformed
    entry; that is all of pypdf's reader protocol it uses (hence the cast)."""

    strict = False

    def __init__(self, reader: PdfReader | None = None,
                 parts: dict[int, tuple[bytes, bytes]] | None = None):
        self.reader, self.parts = reader, parts or {}
        self.parsed: dict[int, PdfObject] = {}

    def get_object(self, reference: int | IndirectObject) -> PdfObject:
        number = reference if isinstance(reference, int) else reference.idnum
        if self.reader is not None:
            found = self.reader.get_object(reference)
            return NullObject() if found is None else found
        if number not in self.parsed:
            head = self.parts.get(number, (b"null", b""))[0]
            self.parsed[number] = read_object(io.BytesIO(head), cast(Any, self))
        return self.parsed[number]

    def is_array(self, reference: Any) -> bool:
        """Whether ``reference`` is to an array, without parsing a dictionary to see it
        is not one (a parent tree's link entry names an element: parsing each one was
        most of a letter's copy)."""
        if self.reader is None and isinstance(reference, IndirectObject):
            head = self.parts.get(reference.idnum, (b"", b""))[0]
            return head.lstrip()[:1] == b"["
        return isinstance(self.resolve(reference), ArrayObject)

    def info_title(self, info: int | None) -> DictionaryObject | None:
        """The document information dictionary, or for ``copy_document`` its /Title
        alone: the rest (a letter's whole subject line, in UTF-16) is not read."""
        if info is None:
            return None
        if self.reader is not None:
            found = self.get_object(info)
            return found if isinstance(found, DictionaryObject) else None
        head = self.parts.get(info, (b"", b""))[0]
        match = _TITLE.search(head)
        if match is None:
            return DictionaryObject()
        title = match.group(1)
        if title.startswith(b"<"):  # hex: decoded here, pypdf's reader goes digit by digit
            value: PdfObject = create_string_object(bytes.fromhex(title[1:-1].decode()))
        else:
            value = read_object(io.BytesIO(title), cast(Any, self))
        return DictionaryObject({NameObject("/Title"): value})

    def resolve(self, value: Any) -> Any:
        for _ in range(16):  # a reference to a reference, at worst
            if not isinstance(value, IndirectObject):
                return value
            value = value.get_object()
        return NullObject()

    def data(self, reference: Any) -> bytes | None:
        """The decoded data of the stream ``reference``; None if that cannot be had."""
        if not isinstance(reference, IndirectObject):
            return None
        try:
            if self.reader is not None:
                stream = reference.get_object()
                return stream.get_data() if isinstance(stream, StreamObject) else None
            head = self.resolve(reference)
            _, stored = self.parts.get(reference.idnum, (b"", b""))
            length = _integer(self.resolve(head.get("/Length"))) \
                if isinstance(head, DictionaryObject) else None
            if length is None or not stored.startswith(b"stream\n"):
                return None
            data = stored[len(b"stream\n"):len(b"stream\n") + length]
            filters = self.resolve(head.get("/Filter"))
            for name in filters if isinstance(filters, ArrayObject) else \
                    [filters] if isinstance(filters, NameObject) else []:
                if name == "/FlateDecode":
                    data = FlateDecode.decode(data)
                elif name == "/ASCII85Decode":
                    data = ASCII85Decode.decode(data)
                else:
                    return None
            return data
        except Exception:  # damaged or unusual: as if there were none
            return None


@dataclass
class _Content:
    """A kid that is content: a marked-content sequence (a bare MCID, or an MCR
    dictionary) or an object (an OBJR dictionary: a link's annotation)."""

    item: PdfObject  # as read: the MCID, or the dictionary
    page: int | None  # the input's object number of the page it is on
    mcid: int | None = None
    stm: int | None = None  # an MCR in a form XObject's content: the form
    target: int | None = None  # an OBJR: the annotation (or XObject) it stands for
    key: int | None = None  # the /StructParent(s) of the form or of the target


@dataclass
class _Element:
    obj: DictionaryObject
    page: int | None  # the object number of its /Pg, its own or its parent's
    kids: list[int | _Content] = field(default_factory=list)  # an int: an element's key
    pages: frozenset[int] = frozenset()  # indices of the pages its content is on


@dataclass
class _Tags:
    """An input's structure tree, read once (small: one input's worth)."""

    objects: _Objects
    page_index: dict[int, int]  # its pages' object numbers -> their indices
    # Its elements by key: their object numbers, or negative for direct dictionaries.
    elements: dict[int, _Element] = field(default_factory=dict)
    top: list[int | _Content] = field(default_factory=list)  # what its Part holds
    document: int | None = None  # the key of its document element, made its Part
    page_keys: dict[int, int] = field(default_factory=dict)  # page -> /StructParents
    # Its structure's own objects (the root, its maps, the parent and ID trees' nodes and
    # arrays; and, once read by _TreeReader, the elements): never copied as plain objects.
    struct: set[int] = field(default_factory=set)
    role_map: dict[str, str] = field(default_factory=dict)  # flattened: type -> final type
    class_map: dict[str, PdfObject] = field(default_factory=dict)
    lang: str | None = None
    title: str = ""
    ua: bool = False  # its XMP metadata claims PDF/UA-1
    # The names given to its types and classes in the joined file, where they differ.
    roles: dict[str, str] | None = None  # None: not merged into the joined maps yet
    classes: dict[str, str] = field(default_factory=dict)


def _number_of(value: Any) -> int | None:
    return value.idnum if isinstance(value, IndirectObject) else None


def _integer(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _read_tags(objects: _Objects, catalog: Any, pages: Sequence[int],
               info: Any) -> _Tags | None:
    """The structure tree of the input whose catalog is ``catalog``; None if untagged."""
    if not isinstance(catalog, DictionaryObject):
        return None
    root = objects.resolve(catalog.get("/StructTreeRoot"))
    if not isinstance(root, DictionaryObject):
        return None
    return _TreeReader(objects, pages).read(catalog, root, info)


class _TreeReader:
    """Reads an input's structure tree into ``_Tags``, in reading order. (Methods, not
    nested functions: recursive closures would hold the tree in reference cycles.)"""

    def __init__(self, objects: _Objects, pages: Sequence[int]):
        self.objects, self.resolve = objects, objects.resolve
        self.tags = _Tags(objects, {number: index for index, number in enumerate(pages)})
        self.on_page: dict[int, int] = {}  # annotation -> its page
        self.last = 0  # the index of the page of the content met last, in reading order
        self.direct = itertools.count(-1, -1)  # keys for elements that are not objects
        for number in pages:
            page = self.resolve(objects.get_object(number)) if number >= 0 else None
            if not isinstance(page, DictionaryObject):
                continue
            key = _integer(self.resolve(page.get("/StructParents")))
            if key is not None:
                self.tags.page_keys[number] = key
            annotations = self.resolve(page.get("/Annots"))
            for annotation in annotations if isinstance(annotations, ArrayObject) else []:
                if isinstance(annotation, IndirectObject):
                    self.on_page[annotation.idnum] = number

    def read(self, catalog: DictionaryObject, root: DictionaryObject, info: Any) -> _Tags:
        tags = self.tags
        _describe(tags, catalog, root, info)
        self.kids(root.get("/K"), None, tags.top)
        first = tags.top[0] if len(tags.top) == 1 else None
        if isinstance(first, int):
            kind = str(tags.elements[first].obj.get("/S"))
            if tags.role_map.get(kind, kind) == "/Document":
                tags.document = first
                tags.top = list(tags.elements[first].kids)
        return tags

    def key_of(self, number: int | None, name: str) -> int | None:
        """The /StructParent(s) ``name`` of object ``number`` (a form, an annotation)."""
        target = self.resolve(self.objects.get_object(number)) if number is not None else None
        return _integer(self.resolve(target.get(name))) \
            if isinstance(target, DictionaryObject) else None

    def kids(self, value: Any, page: int | None, into: list[int | _Content]) -> None:
        """The kids in /K ``value`` of an element whose page is ``page``, into ``into``."""
        tags, resolve = self.tags, self.resolve
        items = resolve(value)
        for item in items if isinstance(items, ArrayObject) else [value]:
            kid = resolve(item)
            content: _Content | None = None
            if _integer(kid) is not None:
                content = _Content(NumberObject(kid), page, mcid=int(kid))
            elif not isinstance(kid, DictionaryObject):
                continue
            elif "/S" in kid:
                key = item.idnum if isinstance(item, IndirectObject) else next(self.direct)
                if key not in tags.elements:  # else a loop, or a second parent: once
                    self.element(key, kid, page)
                    into.append(key)
                continue
            elif _integer(resolve(kid.get("/MCID"))) is not None:
                own = _number_of(kid.get("/Pg"))
                stm = _number_of(kid.get("/Stm"))
                content = _Content(kid, own if own is not None else page,
                                   mcid=int(resolve(kid.get("/MCID"))), stm=stm,
                                   key=self.key_of(stm, "/StructParents"))
            elif "/Obj" in kid:
                target = _number_of(kid.get("/Obj"))
                own = _number_of(kid.get("/Pg"))
                where = self.on_page.get(target) if target is not None else None
                where = where if where is not None else own if own is not None else page
                content = _Content(kid, where, target=target,
                                   key=self.key_of(target, "/StructParent"))
            else:
                continue
            if isinstance(item, IndirectObject):
                tags.struct.add(item.idnum)  # copied into its element, not on its own
            into.append(content)
            if content.page is not None and content.page in tags.page_index:
                self.last = tags.page_index[content.page]

    def element(self, key: int, obj: DictionaryObject, page: int | None) -> None:
        tags = self.tags
        own = _number_of(obj.get("/Pg"))
        element = tags.elements[key] = _Element(obj, own if own is not None else page)
        if key >= 0:
            tags.struct.add(key)
        self.kids(obj.get("/K"), element.page, element.kids)
        found: set[int] = set()
        for kid in element.kids:
            if isinstance(kid, int):
                found |= tags.elements[kid].pages
            elif kid.page is not None and kid.page in tags.page_index:
                found.add(tags.page_index[kid.page])
        # An element without content goes with the content before it.
        element.pages = frozenset(found or {self.last})


def _describe(tags: _Tags, catalog: DictionaryObject, root: DictionaryObject,
              info: Any, flat: _FlatTree | None = None) -> None:
    """What an input's tree root and catalog say, into ``tags``: the objects of the
    structure's own (the root, its maps, the parent and ID trees), the role and class
    maps, /Lang, the title, whether its XMP claims PDF/UA-1. ``flat``: the parent tree
    as ``_flat_number_tree`` read it, if it did."""
    resolve = tags.objects.resolve
    tags.struct.update(n for n in [_number_of(catalog.get("/StructTreeRoot")),
                                   _number_of(root.get("/RoleMap")),
                                   _number_of(root.get("/ClassMap"))] if n is not None)
    for tree in ("/ParentTree", "/IDTree"):
        node = root.get(tree)
        if tree == "/ParentTree" and flat is not None:
            tags.struct.add(cast(IndirectObject, node).idnum)  # a flat tree is one
            tags.struct.update(flat.arrays)
            continue
        _tree_objects(tags.objects, node, tags.struct, 0)
    role_map = resolve(root.get("/RoleMap"))
    if isinstance(role_map, DictionaryObject):
        for name in role_map:
            tags.role_map[name] = _role(name, role_map, resolve)
    class_map = resolve(root.get("/ClassMap"))
    if isinstance(class_map, DictionaryObject):
        tags.class_map = {name: cast(PdfObject, class_map.get(name)) for name in class_map}
    lang = resolve(catalog.get("/Lang"))
    tags.lang = str(lang) if isinstance(lang, str) and lang else None
    title = resolve(info.get("/Title")) if isinstance(info, DictionaryObject) else None
    tags.title = str(title) if isinstance(title, str) else ""
    metadata = tags.objects.data(catalog.get("/Metadata"))
    tags.ua = metadata is not None and _UA_CLAIM.search(metadata) is not None


def _number_tree(objects: _Objects, node: Any, into: dict[int, list[Any]],
                 depth: int = 0) -> dict[int, list[Any]]:
    """A number tree's entries: key -> its values as stored (a key may be there twice,
    as the project's writer gives a page's key to an annotation too)."""
    node = objects.resolve(node)
    if not isinstance(node, DictionaryObject) or depth > 32:
        return into
    kids = objects.resolve(node.get("/Kids"))
    for kid in kids if isinstance(kids, ArrayObject) else []:
        _number_tree(objects, kid, into, depth + 1)
    entries = objects.resolve(node.get("/Nums"))
    if isinstance(entries, ArrayObject):
        for key, value in zip(entries[::2], entries[1::2], strict=False):
            if _integer(key) is not None:
                into.setdefault(int(key), []).append(value)
    return into


_FLAT_NUMBER_TREE = re.compile(rb"\s*<<\s*/Nums\s*\[(.*)\]\s*>>\s*", re.DOTALL)
_NUMBER_TREE_ENTRY = re.compile(rb"\s*(\d+)\s*(\[[\d\sR]*\]|\d+ 0 R)")
_NUMBER_TREE_ENTRIES = re.compile(rb"(?:\s*\d+\s*(?:\[[\d\sR]*\]|\d+ 0 R))*\s*")


# The project's writer (write.py): its catalog, tree root and document element.
_OWN_CATALOG = re.compile(rb"\A<</Type /Catalog/Pages \d+ 0 R/MarkInfo <</Marked true>>"
                          rb"/StructTreeRoot \d+ 0 R(?:(?!/RoleMap|/ClassMap).)*?"
                          rb"(?:/Lang (?P<lang>\([\x20-\x7e]*\)|<[0-9A-F]*>))?"
                          rb"(?:/OutputIntents ?\[[^\]]*\])?>>\s*\Z", re.DOTALL)
_OWN_TREE_ROOT = re.compile(rb"<</Type/StructTreeRoot/K (\d+) 0 R/ParentTree (\d+) 0 R"
                            rb"/ParentTreeNextKey \d+>>\s*")
_OWN_DOCUMENT = re.compile(rb"<</Type/StructElem/S/Document/P (\d+) 0 R"
                           rb"((?:/Lang(?:\([\x20-\x7e]*\)|<[0-9A-F]*>))?/K\[[\d\sR]*\])>>\s*")


def _own_text(written: bytes) -> str | None:
    """A text string as the project's writer writes it (serialize.text_string): printable
    ASCII with ``\\``, ``\\(`` and ``\\)`` escaped, or UTF-16BE hex with a BOM."""
    if written.startswith(b"<"):
        data = bytes.fromhex(written[1:-1].decode())
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else None
    body = written[1:-1]
    if re.search(rb"\\[^\\()]", body):
        return None
    return re.sub(rb"\\(.)", rb"\1", body).decode("ascii")


def _own_stream(objects: _Objects, number: int) -> bytes | None:
    """A stream's data as the project's writer stores it (Flate, or not compressed)."""
    head, stored = objects.parts.get(number, (b"", b""))
    length = _match(rb"/Length (\d+)", head, False)
    if length is None or not stored.startswith(b"stream\n"):
        return None
    data = stored[len(b"stream\n"):len(b"stream\n") + int(length)]
    if b"/Filter" not in head:
        return data
    if not re.search(rb"/Filter\s*/FlateDecode\s*(?:/|>>)", head) or b"/DecodeParms" in head:
        return None
    try:
        return zlib.decompress(data)
    except zlib.error:
        return None


_ARRAY_OF_REFERENCES = re.compile(rb"\s*(\[[\d\sR]*\])\s*")


@dataclass
class _FlatTree:
    """A parent tree read from its bytes (``_flat_number_tree``)."""

    entries: dict[int, list[bytes]]  # key -> values: an array of references, or one
    arrays: set[int]  # the arrays that are objects of their own (the tree's own objects)


def _flat_number_tree(objects: _Objects, node: Any) -> _FlatTree | None:
    """A number tree written as the project's writer writes a parent tree (one node, its
    values references or arrays of references), read from its bytes: key -> values as
    written, an array that is an object of its own given as its bytes. None for any
    other (then pypdf's parser reads it: ``_number_tree``)."""
    if objects.reader is not None or not isinstance(node, IndirectObject):
        return None
    found = _FLAT_NUMBER_TREE.fullmatch(objects.parts.get(node.idnum, (b"", b""))[0])
    if found is None:
        return None
    tree, body = _FlatTree({}, set()), found.group(1)
    if _NUMBER_TREE_ENTRIES.fullmatch(body) is None:
        return None
    for key, value in _NUMBER_TREE_ENTRY.findall(body):
        if not value.startswith(b"["):
            number = int(value.split()[0])
            head, stream = objects.parts.get(number, (b"", b""))
            if head.lstrip().startswith(b"["):
                array = _ARRAY_OF_REFERENCES.fullmatch(head)
                if array is None or stream:
                    return None
                value = array.group(1)
                tree.arrays.add(number)
        tree.entries.setdefault(int(key), []).append(value)
    return tree


def _role(name: str, role_map: DictionaryObject, resolve: Callable[[Any], Any]) -> str:
    """The type ``name`` stands for in the end, following ``role_map``."""
    seen = {name}
    while name in role_map:
        mapped = resolve(role_map.get(name))
        if not isinstance(mapped, NameObject) or mapped in seen:
            break
        name = str(mapped)
        seen.add(name)
    return name


def _tree_objects(objects: _Objects, node: Any, found: set[int], depth: int) -> None:
    """The object numbers of the number or name tree at ``node``: its nodes, and the
    values that are arrays of their own (a page's elements; not the elements)."""
    if isinstance(node, IndirectObject):
        found.add(node.idnum)
    node = objects.resolve(node)
    if not isinstance(node, DictionaryObject) or depth > 32:
        return
    kids = objects.resolve(node.get("/Kids"))
    for kid in kids if isinstance(kids, ArrayObject) else []:
        _tree_objects(objects, kid, found, depth + 1)
    for name in ("/Nums", "/Names"):
        entries = objects.resolve(node.get(name))
        if isinstance(entries, ArrayObject):
            found.update(v.idnum for v in entries[1::2] if isinstance(v, IndirectObject)
                         and objects.is_array(v))


@dataclass
class _WholeTree:
    """A tagged input that ``copy_document`` copies whole: its elements are copied as
    they are, like any object; only its root, parent tree and document element are read
    (parsed from its bytes), to put it under the joined file's tree."""

    tags: _Tags  # the catalog-level part only: no elements read
    root: int | None  # the object number of its StructTreeRoot
    document: int | None  # of its document element, which its Part replaces
    kids: Any  # the root's /K, when there is no document element
    # Its parent tree: values parsed, or as written (bytes: see _flat_number_tree).
    parents: dict[int, list[Any]]
    # Its document element's entries but /Type, /S and /P, as written, when it was read
    # from the bytes of the project's own layout (``read_own``).
    document_entries: bytes | None = None

    @classmethod
    def read(cls, objects: _Objects, root: int, info: int | None,
             pages: Sequence[int]) -> _WholeTree | None:
        own = cls.read_own(objects, root, info, pages)
        if own is not None:
            return own
        catalog = objects.resolve(objects.get_object(root))
        tree_root = objects.resolve(catalog.get("/StructTreeRoot")) \
            if isinstance(catalog, DictionaryObject) else None
        if not isinstance(tree_root, DictionaryObject):
            return None
        if "/IDTree" in tree_root:  # IDs to make unique: pypdf's path prefixes them
            raise ValueError("element IDs: the general path")
        tags = _Tags(objects, {number: index for index, number in enumerate(pages)})
        flat = _flat_number_tree(objects, tree_root.get("/ParentTree"))
        _describe(tags, catalog, tree_root, objects.info_title(info), flat)
        kids = tree_root.get("/K")
        found = objects.resolve(kids)
        first = found[0] if isinstance(found, ArrayObject) and len(found) == 1 else kids
        element = objects.resolve(first)
        document = None
        if isinstance(first, IndirectObject) and isinstance(element, DictionaryObject):
            kind = str(element.get("/S"))
            if tags.role_map.get(kind, kind) == "/Document":
                document = first.idnum
        return cls(tags, _number_of(catalog.get("/StructTreeRoot")), document, kids,
                   dict(flat.entries) if flat is not None else
                   _number_tree(objects, tree_root.get("/ParentTree"), {}))

    @classmethod
    def read_own(cls, objects: _Objects, root: int, info: int | None,
                 pages: Sequence[int]) -> _WholeTree | None:
        """``read`` for a file as the project's writer lays it out (write.py: the tree
        root, a one-node parent tree, one Document element, no role, class or ID maps),
        read from its bytes without pypdf's parser; None for anything else."""
        if objects.reader is not None:
            return None
        catalog = objects.parts.get(root, (b"", b""))[0]
        found = _OWN_CATALOG.search(catalog)
        tree_ref = _match(rb"/StructTreeRoot (\d+) 0 R", catalog, False)
        if found is None or tree_ref is None:
            return None
        tree_at = int(tree_ref)
        tree_root = _OWN_TREE_ROOT.fullmatch(objects.parts.get(tree_at, (b"", b""))[0])
        if tree_root is None:
            return None
        document, parent_tree = int(tree_root.group(1)), int(tree_root.group(2))
        element = _OWN_DOCUMENT.fullmatch(objects.parts.get(document, (b"", b""))[0])
        flat = _flat_number_tree(objects, IndirectObject(parent_tree, 0, cast(Any, objects)))
        lang = _own_text(found.group("lang")) if found.group("lang") else None
        if element is None or element.group(1) != b"%d" % tree_at or flat is None or \
                (found.group("lang") and lang is None):
            return None
        tags = _Tags(objects, {number: index for index, number in enumerate(pages)})
        tags.struct.update((tree_at, parent_tree, *flat.arrays))
        tags.lang = lang or None
        title = objects.info_title(info)
        value = title.get("/Title") if title is not None else None
        tags.title = str(value) if isinstance(value, str) else ""
        metadata = _match(rb"/Metadata (\d+) 0 R", catalog, False)
        xmp = _own_stream(objects, int(metadata)) if metadata else None
        tags.ua = xmp is not None and _UA_CLAIM.search(xmp) is not None
        return cls(tags, tree_at, document, None, dict(flat.entries), element.group(2))


# -- the joined file's structure tree ---------------------------------------------------------


@dataclass
class _Tree:
    """What the joined structure tree needs at ``close``: small numbers only."""

    root: int  # the StructTreeRoot's object number
    document: int  # the Document element's
    parts: array[int] = field(default_factory=lambda: array("q"))  # its kids, in order
    # The parent tree, by key: the object number of its entry (0: none).
    parents: array[int] = field(default_factory=lambda: array("q"))
    role_map: dict[str, str] = field(default_factory=dict)
    class_map: dict[str, PdfObject] = field(default_factory=dict)
    class_serials: dict[str, bytes] = field(default_factory=dict)  # to tell them apart
    # The ID tree's entries, in order: (prefixed ID, element) records.
    ids: BinaryIO | None = None
    copies_with_ids: int = 0  # for the prefix of each copy's IDs
    lang: str | None = None
    title: str = ""
    ua: bool = True  # every tagged input claimed PDF/UA-1


@dataclass
class _Part:
    """The Part of the input being copied: written when another input comes (or at
    close), since further pages of the same input add to it."""

    source: object  # the input: its reader
    number: int
    head: DictionaryObject  # all but /K
    kids: ArrayObject


@dataclass
class _Job:
    """One copy of pages (``add_pages`` or ``copy_document``): how it renumbers, what it
    found."""

    mapping: dict[int, int]  # the input's object numbers -> the joined file's
    # A tagged input's /StructParent(s) keys -> the joined file's; None: keys dropped.
    keys: dict[int, int] | None = None
    struct: set[int] = field(default_factory=set)  # the input's structure's own objects
    copy_new: bool = True  # False (copy_document): what is not in ``mapping`` is null
    pending: list[tuple[int, Any]] = field(default_factory=list)
    numbers: dict[int, int] = field(default_factory=dict)  # element key -> number
    # Where marked content is (a page, or a form XObject) -> its MCID -> its element.
    marked: dict[int, dict[int, int]] = field(default_factory=dict)
    forms: dict[int, int] = field(default_factory=dict)  # form XObject -> its key
    targets: dict[int, tuple[int, int]] = field(default_factory=dict)  # -> (key, element)
    ids: list[tuple[bytes, int]] = field(default_factory=list)
    prefix: bytes | None = None  # this copy's prefix for element IDs
    # copy_document: the input's keys given out -> /StructParent or /StructParents.
    kinds: dict[int, str] = field(default_factory=dict)
    part: _Part | None = None  # the Part its elements go in, if any


class PdfJoiner:
    """``with PdfJoiner(path) as joiner: joiner.add_pages(reader, 0, 3); ...``"""

    def __init__(self, path: Path, title: str = "", creator: str = ""):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.out: BinaryIO = open(self.tmp, "wb")  # noqa: SIM115 - closed in close()
        # The cross-reference table, an entry of 20 bytes per object number, is kept in a
        # temporary file and copied after the objects: no memory per object.
        self.xref: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        # The entries of the latest numbers, held until a chunk is full and then written
        # at once (an entry for a number given out earlier is written in its place).
        self._rows = bytearray(20 * _XREF_CHUNK)  # of a fixed size: memory stays flat
        self._rows_from = 0  # the number of the first entry held
        self._rows_held = 0
        self.size = 0  # object numbers given out, 0 included
        for _ in range(_FIRST_FREE):
            self._new_number()
        self.pages = array("q")  # object numbers of the pages, in order
        # The outline is written as it comes: each top-level entry once the next is known.
        self._held: tuple[int, Bookmark, int | None] | None = None  # number, entry, prev
        self._outline_first: int | None = None
        self._outline_count = 0
        self.title, self.creator = title, creator
        # Tagged PDF: the joined tree once a tagged input comes, the Part being filled,
        # the last reader's structure tree as read, pages from untagged inputs.
        self._tree: _Tree | None = None
        self._part: _Part | None = None
        self._read: tuple[PdfReader, _Tags | None] | None = None
        self._untagged_pages = 0
        self.out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def __enter__(self) -> PdfJoiner:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        # Left without close() (an error, or on purpose): nothing half-made stays.
        if not self.out.closed:
            with contextlib.suppress(OSError):  # e.g. a full disk refusing the last bytes
                self.out.close()
            self.tmp.unlink(missing_ok=True)
        self.xref.close()
        if self._tree is not None and self._tree.ids is not None:
            self._tree.ids.close()
        self._read = None  # the last input's reader

    # -- writing objects -------------------------------------------------------------------

    def _new_number(self) -> int:
        number = self.size
        self.size += 1
        if self._rows_held == _XREF_CHUNK:
            self._flush_rows()
        at = 20 * self._rows_held
        self._rows[at:at + 20] = _FREE  # until the object is written
        self._rows_held += 1
        return number

    def _mark(self, number: int, offset: int | None = None) -> None:
        """The object ``number`` starts here (or at ``offset``)."""
        row = b"%010d 00000 n \n" % (self.out.tell() if offset is None else offset)
        at = 20 * (number - self._rows_from)
        if at >= 0:  # held (numbers are given out in order)
            self._rows[at:at + 20] = row
        else:
            self.xref.seek(20 * number)
            self.xref.write(row)

    def _flush_rows(self) -> None:
        self.xref.seek(20 * self._rows_from)
        self.xref.write(memoryview(self._rows)[:20 * self._rows_held])
        self._rows_from += self._rows_held
        self._rows_held = 0

    def _write(self, number: int, obj: PdfObject) -> None:
        self._mark(number)
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def _copy(self, obj: Any, job: _Job) -> Any:
        """``obj`` with its references renumbered; referenced objects queued for writing."""
        if isinstance(obj, IndirectObject):
            number = job.mapping.get(obj.idnum)
            if number is None:
                if obj.idnum in job.struct:  # the structure's own: an element's copy, if
                    made = job.numbers.get(obj.idnum)  # made here; else nothing
                    return NullObject() if made is None else _Ref(made)
                if not job.copy_new:
                    return NullObject()
                number = job.mapping[obj.idnum] = self._new_number()
                job.pending.append((number, obj))
            return _Ref(number)
        if isinstance(obj, StreamObject):
            copy = copy_stream(obj)  # as stored: compressed data is never decoded
            self._copy_entries(obj, copy, job)
            return copy
        if isinstance(obj, DictionaryObject):
            return self._copy_entries(obj, DictionaryObject(), job)
        if isinstance(obj, ArrayObject):
            return ArrayObject(self._copy(v, job) for v in obj)
        return obj

    def _copy_entries(self, obj: DictionaryObject, copy: DictionaryObject, job: _Job,
                      leave: str = "") -> DictionaryObject:
        """``obj``'s entries (but ``leave``) copied into ``copy``: a /StructParent(s) key
        given the joined file's key for it, or dropped from an untagged input."""
        for key, value in obj.items():
            if key == leave:
                continue
            if key in _STRUCT_PARENT_KEYS:
                old = _integer(value)
                if job.keys is not None and old is not None:
                    copy[NameObject(key)] = NumberObject(self._key(job, old))
                continue
            copy[NameObject(key)] = self._copy(value, job)
        return copy

    def _drain(self, job: _Job) -> None:
        while job.pending:
            number, ref = job.pending.pop()
            self._write(number, self._copy(ref.get_object(), job))

    # -- the public part -------------------------------------------------------------------

    def add_pages(self, reader: PdfReader, start: int, count: int,
                  mapping: dict[int, int] | None = None) -> int:
        """Copy ``count`` pages of ``reader`` from ``start``; return the first's index.

        Pass the same ``mapping`` for several calls on one reader to share its fonts.
        A tagged reader's structure elements with content on these pages come along
        (the module's docstring says how).
        """
        first = len(self.pages)
        tags = self._tags_of(reader)
        job = self._job({} if mapping is None else mapping, tags)
        pages = [reader.pages[index] for index in range(start, start + count)]
        numbers = [self._new_number() for _ in pages]
        # Annotations point back at their page: make them point at the copy.
        sources = [page.indirect_reference.idnum for page in pages
                   if page.indirect_reference is not None]
        for page, number in zip(pages, numbers, strict=True):
            if page.indirect_reference is not None:
                job.mapping[page.indirect_reference.idnum] = number
        if tags is not None:
            self._select(tags, sources, job, reader)
        for page, number in zip(pages, numbers, strict=True):
            copy = self._copy_entries(page, DictionaryObject(), job, leave="/Parent")
            copy[NameObject("/Parent")] = _Ref(_PAGES)
            self._write(number, copy)
            self.pages.append(number)
        self._drain(job)
        if tags is not None:
            self._copy_tags(tags, sources, job)
        else:
            self._untagged_pages += count
        return first

    def add_source_pages(self, source: SourcePdf, start: int, count: int) -> int:
        """``add_pages`` for a ``SourcePdf``: its fonts are copied once."""
        return self.add_pages(source.reader, start, count, source.mapping)

    def add_document(self, data: bytes) -> None:
        """Every page of the PDF ``data``, next: copied as written (``copy_document``)
        where it is laid out as ReportLab writes, else object by object."""
        try:
            numbers = self.copy_document(data)
        except ValueError:  # not laid out as expected: the general path
            source = SourcePdf(data)
            self.add_source_pages(source, 0, source.page_count)
            return
        for number in numbers:
            self.append_page(number)

    def copy_document(self, data: bytes) -> list[int]:
        """Copy a whole PDF as ReportLab writes it (classic xref table, no object streams)
        or as the project's writer does (pdf/serialize.py: the small objects in one object
        stream, a cross-reference stream) byte for byte, renumbered: no object model, so it
        is several times faster than ``add_pages``. Returns its pages' new numbers in
        order, for ``append_page``. Anything unexpected raises ValueError (before anything
        is written): then use ``add_pages``. Plain (shortcuts.py): always ValueError, so
        pypdf copies every file.

        Tagged: its elements are copied like any object; its tree's root, parent tree and
        document element are parsed (pypdf's parser, no reader) to make its Part and its
        parent tree entries; its pages' and annotations' /StructParent(s) keys are
        rewritten in their bytes. IDs, or type and class names clashing with earlier
        inputs', raise ValueError (pypdf's path rewrites them)."""
        if plain():
            raise ValueError("plain: the shortcuts are off")
        objects, root, info = _split_objects(data)
        catalog = objects[root][0]
        pages_root = int(_match(rb"/Pages (\d+) 0 R", catalog))
        kids = [int(k) for k in re.findall(rb"(\d+) 0 R", _match(
            rb"/Kids\s*\[([^\]]*)\]", objects[pages_root][0]))]
        skip = {root, pages_root, *([info] if info else [])}
        for entry in (rb"/Outlines (\d+) 0 R", rb"/Metadata (\d+) 0 R"):
            found = _match(entry, catalog, required=False)
            if found:
                skip.add(int(found))
        parsed = _Objects(parts=objects)
        try:
            return self._copy_objects(objects, parsed, root, info, pages_root, kids, skip)
        finally:
            # Parsed references point back at their parser: a cycle, left to the cycle
            # collector if not broken here (memory then rises until it runs).
            parsed.parsed.clear()

    def _copy_objects(self, objects: dict[int, tuple[bytes, bytes]], parsed: _Objects,
                      root: int, info: int | None, pages_root: int, kids: list[int],
                      skip: set[int]) -> list[int]:
        """``copy_document``'s copy, once the objects are split."""
        whole = None
        if b"/StructTreeRoot" in objects[root][0]:
            try:
                whole = _WholeTree.read(parsed, root, info, kids)
            except ValueError:
                raise
            except Exception as error:  # anything pypdf's parser refuses: the general path
                raise ValueError(f"a structure tree not read: {error!r}") from error
        if whole is not None:
            self._can_take_as_is(whole.tags)
            skip |= whole.tags.struct
            if whole.document is not None:
                skip.add(whole.document)
        copied = [n for n in objects if n not in skip]
        mapping = {n: self._new_number() for n in copied}
        job = self._job(mapping, whole.tags if whole is not None else None)
        job.copy_new = False  # no object model to copy more from: only what is mapped
        if whole is not None:  # its Part stands in for its document element (or root)
            self._close_part()
            part = self._new_number()
            mapping.update({n: part for n in (whole.root, whole.document) if n is not None})

        # Each reference's new form, made once: a file refers to most objects often.
        targets = {old: b"%d 0 R" % new for old, new in mapping.items()}
        targets[pages_root] = b"%d 0 R" % _PAGES

        def renumber(match: re.Match[bytes]) -> bytes:
            number = match.group(1)
            if number is None:  # a literal string: as it is
                return match.group(0)
            return targets.get(int(number), match.group(0))


        def rekey(match: re.Match[bytes]) -> bytes:
            if job.keys is None:  # untagged: the key means nothing, dropped
                return b""
            old = int(match.group(2))
            job.kinds[old] = match.group(1).decode()
            return b"%s %d" % (match.group(1), self._key(job, old))

        # The input's objects assembled, then written at once (one input: tens of KB).
        at, chunk = self.out.tell(), bytearray()
        for old in copied:
            head, stream = objects[old]
            # Without a literal string, no reference can hide in one: each " 0 R" is one.
            head = _REFERENCE.sub(renumber, head) if b"(" in head else \
                _references_renumbered(head, targets)
            if b"/StructParent" in head:
                head = _STRUCT_PARENT.sub(rekey, head)
            self._mark(mapping[old], at + len(chunk))
            chunk += b"%d 0 obj\n" % mapping[old]
            chunk += head
            chunk += stream
            chunk += b"endobj\n"
        self.out.write(chunk)
        if whole is not None:
            self._write_whole_tags(whole, part, job)
        else:
            self._untagged_pages += len(kids)
        return [mapping[kid] for kid in kids]

    def append_page(self, number: int) -> None:
        """Put a page written by ``copy_document`` next in the joined document."""
        self.pages.append(number)

    def add_blank_page(self, width: float, height: float) -> None:
        number = self._new_number()
        page = DictionaryObject({
            NameObject("/Type"): NameObject("/Page"),
            NameObject("/Parent"): _Ref(_PAGES),
            NameObject("/MediaBox"): ArrayObject([NumberObject(0), NumberObject(0),
                                                  _number(width), _number(height)]),
            NameObject("/Resources"): DictionaryObject(),
        })
        self._write(number, page)
        self.pages.append(number)

    def add_bookmark(self, bookmark: Bookmark) -> None:
        """A top-level bookmark, with its children, after those added before.

        Written as soon as the next one is known (it must name it), so an outline of any
        length takes no memory. Its pages must have been added."""
        number = self._new_number()
        if self._held is None:
            self._outline_first = number
        else:
            self._write_entry(*self._held, parent=_OUTLINES, following=number)
        previous = self._held[0] if self._held else None
        self._held = (number, bookmark, previous)
        self._outline_count += 1

    def close(self, bookmarks: Sequence[Bookmark] = ()) -> None:
        """Write ``bookmarks`` (after any added), the page tree, the structure tree (if
        tagged), info and trailer; rename into place."""
        for bookmark in bookmarks:
            self.add_bookmark(bookmark)
        # The page tree by hand, in pieces: flat memory however many pages.
        self._mark(_PAGES)
        self.out.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (_PAGES, len(self.pages)))
        self._write_numbers(self.pages)
        self.out.write(b" ] >>\nendobj\n")
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog"),
                                    NameObject("/Pages"): _Ref(_PAGES)})
        outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        if self._held is not None:
            last = self._held[0]
            self._write_entry(*self._held, parent=_OUTLINES, following=None)
            assert self._outline_first is not None  # set with the first bookmark held
            outlines[NameObject("/First")] = _Ref(self._outline_first)
            outlines[NameObject("/Last")] = _Ref(last)
            outlines[NameObject("/Count")] = NumberObject(self._outline_count)
            catalog[NameObject("/Outlines")] = _Ref(_OUTLINES)
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        self._write(_OUTLINES, outlines)
        self._read = None  # the last input's reader: no more pages from it
        title = self.title
        if self._tree is not None:
            title = title or self._tree.title or self.path.stem
            self._write_structure(catalog, title)
        self._write(_CATALOG, catalog)
        self._write(_INFO, DictionaryObject({
            NameObject("/Title"): TextStringObject(title),
            NameObject("/Creator"): TextStringObject(self.creator)}))
        xref = self.out.tell()
        self.out.write(f"xref\n0 {self.size}\n".encode())
        self._flush_rows()
        self.xref.seek(0)
        self.xref.write(b"0000000000 65535 f \n")
        self.xref.seek(0)
        shutil.copyfileobj(self.xref, self.out)
        self.xref.close()
        self.out.write(f"trailer\n<< /Size {self.size} /Root {_CATALOG} 0 R "
                       f"/Info {_INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
        self.out.close()
        os.replace(self.tmp, self.path)

    def _write_numbers(self, numbers: array[int]) -> None:
        """`` n 0 R`` for each of ``numbers``, in pieces: flat memory however many."""
        for chunk in range(0, len(numbers), 4096):
            self.out.write(b"".join(b" %d 0 R" % n for n in numbers[chunk:chunk + 4096]))

    def _write_entry(self, number: int, item: Bookmark, previous: int | None, parent: int,
                     following: int | None) -> None:
        """One outline entry, and its children (closed: a pack of 800 volunteers opens
        as 800 lines, not 3,200), written as bytes (the title a text string: data)."""
        entry = [b"<< /Title ", text_string(item.title),
                 b" /Parent %d 0 R /Dest [ %d 0 R /Fit ]" % (parent, self.pages[item.page])]
        if previous is not None:
            entry.append(b" /Prev %d 0 R" % previous)
        if following is not None:
            entry.append(b" /Next %d 0 R" % following)
        if item.children:
            numbers = [self._new_number() for _ in item.children]
            for position, (child, child_number) in enumerate(zip(item.children, numbers,
                                                                 strict=True)):
                self._write_entry(
                    child_number, child, numbers[position - 1] if position else None,
                    parent=number,
                    following=numbers[position + 1] if position + 1 < len(numbers) else None)
            entry.append(b" /First %d 0 R /Last %d 0 R /Count %d" % (
                numbers[0], numbers[-1], -len(numbers)))
        entry.append(b" >>")
        self._mark(number)
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (number, b"".join(entry)))

    # -- tagged PDF ------------------------------------------------------------------------

    def _tags_of(self, reader: PdfReader) -> _Tags | None:
        """``reader``'s structure tree, read once while its pages are copied."""
        if self._read is None or self._read[0] is not reader:
            objects = _Objects(reader=reader)
            catalog = objects.resolve(reader.trailer.get("/Root"))
            tags = None
            if isinstance(catalog, DictionaryObject) and "/StructTreeRoot" in catalog:
                tags = _read_tags(objects, catalog, [
                    -1 if page.indirect_reference is None else page.indirect_reference.idnum
                    for page in reader.pages], objects.resolve(reader.trailer.get("/Info")))
            self._read = (reader, tags)
        return self._read[1]

    def _job(self, mapping: dict[int, int], tags: _Tags | None) -> _Job:
        if tags is None:
            return _Job(mapping)
        if self._tree is None:
            self._tree = _Tree(self._new_number(), self._new_number(), lang=tags.lang,
                               title=tags.title)
        return _Job(mapping, keys={}, struct=tags.struct)

    def _key(self, job: _Job, old: int) -> int:
        """The joined file's key for the input's /StructParent(s) ``old``: the next free
        one, the first time in this copy."""
        assert job.keys is not None and self._tree is not None  # a tagged input's job
        new = job.keys.get(old)
        if new is None:
            new = job.keys[old] = len(self._tree.parents)
            self._tree.parents.append(0)  # its entry, once its elements are written
        return new

    def _select(self, tags: _Tags, pages: Sequence[int], job: _Job, source: object) -> None:
        """Number the elements with content on ``pages`` (before the pages are copied, so
        that anything on them referring to an element gets its copy), and open the Part
        they go in."""
        selected = {tags.page_index[n] for n in pages if n in tags.page_index}
        self._number_elements(tags, tags.top, selected, job)
        if job.numbers or any(isinstance(kid, _Content) and self._on(kid, tags, selected)
                              for kid in tags.top):
            self._open_part(tags, source, job)

    def _number_elements(self, tags: _Tags, kids: list[int | _Content], selected: set[int],
                         job: _Job) -> None:
        for kid in kids:
            if isinstance(kid, int) and kid not in job.numbers \
                    and tags.elements[kid].pages & selected:
                job.numbers[kid] = self._new_number()
                self._number_elements(tags, tags.elements[kid].kids, selected, job)

    def _open_part(self, tags: _Tags, source: object, job: _Job) -> None:
        tree = self._tree
        assert tree is not None  # made by _job for the tagged input
        self._merge_maps(tags, job)
        if self._part is None or self._part.source is not source:
            self._close_part()
            number = self._new_number()
            head = DictionaryObject()
            if tags.document is not None:
                head = self._element_entries(tags, tags.elements[tags.document], number, job)
            head.update({key: value for key, value in self._part_entries(tags).items()
                         if key not in head or key not in ("/T", "/Lang")})
            self._part = _Part(source, number, head, ArrayObject())
            tree.parts.append(number)
        job.part = self._part
        if tags.document is not None:  # its own content and references are the Part's
            job.numbers[tags.document] = self._part.number

    def _close_part(self) -> None:
        if self._part is not None:
            self._part.head[NameObject("/K")] = self._part.kids
            self._write(self._part.number, self._part.head)
            self._part = None

    def _can_take_as_is(self, tags: _Tags) -> None:
        """ValueError unless ``copy_document`` can copy the input's elements as they are:
        a standard type it remaps, or a type or class name the joined file maps otherwise,
        needs a new name in its elements (pypdf's path, ``add_pages``, gives it; IDs, which
        need a prefix, are refused by ``_WholeTree.read``)."""
        tree = self._tree
        for name, final in tags.role_map.items():
            if name != final and (name in _STANDARD_TYPES or (
                    tree is not None and tree.role_map.get(name, final) != final)):
                raise ValueError(f"role {name} to rename: the general path")
        if tree is None:
            return
        for name, value in tags.class_map.items():
            serial = _serial(tags.objects.resolve(value))
            if tree.class_serials.get(name, serial) != serial:
                raise ValueError(f"class {name} to rename: the general path")

    def _write_whole_tags(self, whole: _WholeTree, part: int, job: _Job) -> None:
        """After ``copy_document`` copied a tagged input's objects (its elements among
        them, as they are): its Part (its document element, retyped, or a new one over
        the root's kids), and the parent tree's entries for the keys it gave out, the
        input's own entries renumbered (for each key the entry of its owner's kind: an
        array for a page or form, an element for an annotation)."""
        tree, tags = self._tree, whole.tags
        assert tree is not None and job.keys is not None  # a tagged input's job
        self._merge_maps(tags, job)
        resolve = tags.objects.resolve
        if whole.document_entries is not None:  # read from the bytes (read_own)
            self._write_own_part(whole, part, job)
        else:
            self._write_part(whole, part, job)
        tree.parts.append(part)
        for old, new in job.keys.items():
            wanted = job.kinds.get(old) == "/StructParents"
            values = whole.parents.get(old, [])
            if values and isinstance(values[0], bytes):  # as written (_flat_number_tree)
                any(self._copy_flat_entry(value, wanted, new, job) for value in values)
                continue
            for value in values:
                found = resolve(value)
                if isinstance(found, ArrayObject) == wanted:
                    break
            else:
                continue
            if wanted:
                number = self._new_number()
                self._write(number, ArrayObject(self._copy(item, job) for item in found))
                tree.parents[new] = number
            elif isinstance(value, IndirectObject) and value.idnum in job.mapping:
                tree.parents[new] = job.mapping[value.idnum]

    def _write_part(self, whole: _WholeTree, part: int, job: _Job) -> None:
        """The input's Part: its document element, retyped, or a new one over the root's
        kids (through pypdf's objects)."""
        tags = whole.tags
        resolve = tags.objects.resolve
        head = DictionaryObject()
        if whole.document is not None:
            element = resolve(tags.objects.get_object(whole.document))
            for key, value in element.items():
                if key not in ("/P", "/S", "/Type"):
                    head[NameObject(key)] = self._copy(value, job)
        else:
            head[NameObject("/K")] = self._copy(whole.kids, job)
        head.update({key: value for key, value in self._part_entries(tags).items()
                     if key not in head or key not in ("/T", "/Lang")})
        self._write(part, head)

    def _write_own_part(self, whole: _WholeTree, part: int, job: _Job) -> None:
        """``_write_part`` for a document element read from its bytes (its /Lang, if
        any, and /K, references renumbered), written as bytes."""
        tree = self._tree
        assert tree is not None and whole.document_entries is not None
        entries = whole.document_entries
        targets = {old: b"%d 0 R" % new for old, new in job.mapping.items()}

        def renumber(match: re.Match[bytes]) -> bytes:
            old = int(match.group(1))
            if old in targets:
                return targets[old]
            made = job.numbers.get(old) if old in job.struct else None
            return b"null" if made is None else b"%d 0 R" % made

        head = [b"<</Type/StructElem/S/Part/P %d 0 R" % tree.document]
        if whole.tags.title:
            head.append(b"/T" + text_string(whole.tags.title))
        if not entries.startswith(b"/Lang") and whole.tags.lang is not None and \
                whole.tags.lang != tree.lang:
            head.append(b"/Lang" + text_string(whole.tags.lang))
        head += [_BARE_REFERENCE.sub(renumber, entries), b">>"]
        self._mark(part)
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (part, b"".join(head)))

    def _copy_flat_entry(self, value: bytes, wanted: bool, key: int, job: _Job) -> bool:
        """A parent tree entry as written (an array of references, or one), copied for
        ``key`` if it is the kind ``wanted`` (an array); whether it was."""
        tree = self._tree
        assert tree is not None
        if value.startswith(b"[") != wanted:
            return False
        if not wanted:
            old = int(value.split()[0])
            if old in job.mapping:
                tree.parents[key] = job.mapping[old]
            return True

        def renumber(match: re.Match[bytes]) -> bytes:
            old = int(match.group(1))
            if old in job.mapping:
                return b"%d 0 R" % job.mapping[old]
            made = job.numbers.get(old) if old in job.struct else None
            return b"null" if made is None else b"%d 0 R" % made

        number = self._new_number()
        self._mark(number)
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (number, _BARE_REFERENCE.sub(renumber,
                                                                                 value)))
        tree.parents[key] = number
        return True

    def _part_entries(self, tags: _Tags) -> DictionaryObject:
        """A Part's own entries: its type, parent (the Document), the input's title as /T
        and its language where that differs from the file's."""
        tree = self._tree
        assert tree is not None
        head = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Part"),
                                 NameObject("/P"): _Ref(tree.document)})
        if tags.title:
            head[NameObject("/T")] = TextStringObject(tags.title)
        if tags.lang is not None and tags.lang != tree.lang:
            head[NameObject("/Lang")] = TextStringObject(tags.lang)
        return head

    def _merge_maps(self, tags: _Tags, job: _Job) -> None:
        """The input's role and class maps into the joined file's, once: a name the
        joined file maps otherwise (or a standard type, which the other inputs use as it
        is) is renamed in this input's elements."""
        tree = self._tree
        if tags.roles is not None or tree is None:
            return
        tree.ua = tree.ua and tags.ua
        tags.roles = {}
        for name, final in tags.role_map.items():
            if name == final:
                continue
            new = _free_name(name, tree.role_map, final)
            tree.role_map[new] = final
            if new != name:
                tags.roles[name] = new
        for name, value in tags.class_map.items():
            serial = _serial(tags.objects.resolve(value))
            new = _free_name(name, tree.class_serials, serial, reserved=frozenset())
            if new not in tree.class_map:
                tree.class_serials[new] = serial
                tree.class_map[new] = self._copy(value, job)
            if new != name:
                tags.classes[name] = new

    def _on(self, kid: _Content, tags: _Tags, selected: set[int]) -> bool:
        """Whether ``kid`` is on one of the pages being copied."""
        return kid.page is not None and tags.page_index.get(kid.page, -1) in selected

    def _copy_tags(self, tags: _Tags, pages: Sequence[int], job: _Job) -> None:
        """After the pages: the elements numbered by ``_select``, written as they come,
        then the parent tree's entries for the keys this copy gave out."""
        part = job.part
        if part is not None:
            selected = {tags.page_index[n] for n in pages if n in tags.page_index}
            for kid in tags.top:
                if isinstance(kid, int):
                    if kid in job.numbers:
                        part.kids.append(_Ref(job.numbers[kid]))
                        self._write_element(tags, kid, part.number, selected, job)
                elif self._on(kid, tags, selected):
                    part.kids.append(self._content(kid, part.number, job, explicit=True))
            self._drain(job)
        self._write_parents(tags, pages, job)
        if job.ids:
            self._keep_ids(job.ids)

    def _write_element(self, tags: _Tags, key: int, parent: int, selected: set[int],
                       job: _Job) -> None:
        """Element ``key`` with the kids on ``selected`` pages, then those kids."""
        element = tags.elements[key]
        number = job.numbers[key]
        copy = self._element_entries(tags, element, number, job)
        copy[NameObject("/P")] = _Ref(parent)
        if element.page is not None and tags.page_index.get(element.page, -1) in selected:
            copy[NameObject("/Pg")] = _Ref(job.mapping[element.page])
        kids = ArrayObject()
        for kid in element.kids:
            if isinstance(kid, int):
                if kid in job.numbers:
                    kids.append(_Ref(job.numbers[kid]))
            elif self._on(kid, tags, selected):
                kids.append(self._content(kid, number, job, explicit=False))
        copy[NameObject("/K")] = kids
        self._write(number, copy)
        for kid in element.kids:
            if isinstance(kid, int) and kid in job.numbers:
                self._write_element(tags, kid, number, selected, job)

    def _element_entries(self, tags: _Tags, element: _Element, number: int,
                         job: _Job) -> DictionaryObject:
        """An element's entries but /P, /K and /Pg: its type and classes as named in the
        joined file, its ID prefixed, its attributes' /Headers too."""
        assert tags.roles is not None  # merged when its Part was opened
        copy = DictionaryObject()
        for key, value in element.obj.items():
            if key in ("/P", "/K", "/Pg"):
                continue
            if key == "/S":
                copy[NameObject(key)] = NameObject(tags.roles.get(str(value), str(value)))
            elif key == "/C":
                copy[NameObject(key)] = self._classes(tags.objects.resolve(value), tags)
            elif key == "/ID":
                new = self._prefixed(tags.objects.resolve(value), job)
                job.ids.append((new, number))
                copy[NameObject(key)] = _string(new)
            elif key == "/A":
                copy[NameObject(key)] = self._attributes(value, tags, job)
            elif key == "/Ref":  # PDF 2.0: other elements, where copied here
                found = tags.objects.resolve(value)
                copy[NameObject(key)] = ArrayObject(
                    _Ref(job.numbers[ref.idnum]) for ref in
                    (found if isinstance(found, ArrayObject) else [])
                    if isinstance(ref, IndirectObject) and ref.idnum in job.numbers)
            else:
                copy[NameObject(key)] = self._copy(value, job)
        return copy

    def _classes(self, value: Any, tags: _Tags) -> Any:
        if isinstance(value, NameObject):
            return NameObject(tags.classes.get(str(value), str(value)))
        if isinstance(value, ArrayObject):  # names, each maybe followed by a revision
            return ArrayObject(self._classes(item, tags) for item in value)
        return value

    def _attributes(self, value: Any, tags: _Tags, job: _Job) -> Any:
        """Attribute objects (/A): copied, with table cells' /Headers, which name other
        cells' IDs, prefixed as those IDs are."""
        found = tags.objects.resolve(value)
        if isinstance(found, ArrayObject):  # objects, each maybe followed by a revision
            return ArrayObject(self._attributes(item, tags, job) for item in found)
        if not isinstance(found, DictionaryObject) or "/Headers" not in found:
            return self._copy(value, job)
        copy = self._copy_entries(found, DictionaryObject(), job, leave="/Headers")
        headers = tags.objects.resolve(found.get("/Headers"))
        copy[NameObject("/Headers")] = ArrayObject(
            _string(self._prefixed(tags.objects.resolve(header), job))
            for header in (headers if isinstance(headers, ArrayObject) else []))
        return copy

    def _prefixed(self, value: Any, job: _Job) -> bytes:
        """An element ID with this copy's prefix: the copy's rank, written so that byte
        order is number order (its digit count, then it: "13:", "212:"), as the ID tree's
        keys must come in byte order."""
        if job.prefix is None:
            assert self._tree is not None  # a tagged input's job
            self._tree.copies_with_ids += 1
            rank = str(self._tree.copies_with_ids)
            job.prefix = f"{len(rank)}{rank}:".encode()
        raw = value.original_bytes if isinstance(value, TextStringObject | ByteStringObject) \
            else str(value).encode()
        return job.prefix + raw

    def _content(self, kid: _Content, owner: int, job: _Job, explicit: bool) -> PdfObject:
        """A content kid of element ``owner``, renumbered, noted for the parent tree.
        ``explicit``: always as a dictionary naming its page (a Part's content, since a
        Part gathers content of several pages)."""
        if kid.target is not None:
            if kid.key is not None:
                job.targets[kid.target] = (kid.key, owner)
        elif kid.mcid is not None:
            where = kid.stm if kid.stm is not None else kid.page
            if where is not None:
                job.marked.setdefault(where, {})[kid.mcid] = owner
            if kid.stm is not None and kid.key is not None:
                job.forms[kid.stm] = kid.key
        assert kid.page is not None  # it is on a page being copied
        page = _Ref(job.mapping[kid.page])
        if isinstance(kid.item, DictionaryObject):
            copy = self._copy_entries(kid.item, DictionaryObject(), job, leave="/Pg")
            if explicit or "/Pg" in kid.item:
                copy[NameObject("/Pg")] = page
            return copy
        if explicit:
            return DictionaryObject({NameObject("/Type"): NameObject("/MCR"),
                                     NameObject("/Pg"): page,
                                     NameObject("/MCID"): NumberObject(kid.mcid)})
        return NumberObject(kid.mcid)

    def _write_parents(self, tags: _Tags, pages: Sequence[int], job: _Job) -> None:
        """The parent tree's entries for the keys this copy gave out: a page's (or a
        form's) array of elements by MCID, written now; an annotation's element."""
        tree = self._tree
        if tree is None or job.keys is None:
            return
        holders = [(n, tags.page_keys.get(n)) for n in pages] + list(job.forms.items())
        for where, old in holders:
            if old is None or old not in job.keys:
                continue
            by_mcid = job.marked.get(where, {})
            entry = ArrayObject(_Ref(by_mcid[mcid]) if mcid in by_mcid else NullObject()
                                for mcid in range(max(by_mcid, default=-1) + 1))
            number = self._new_number()
            self._write(number, entry)
            tree.parents[job.keys[old]] = number
        for old, element in job.targets.values():
            if old in job.keys:
                tree.parents[job.keys[old]] = element

    def _keep_ids(self, ids: list[tuple[bytes, int]]) -> None:
        """A copy's element IDs, in byte order, into the ID tree's temporary file: after
        every earlier copy's, whose prefixes sort before."""
        tree = self._tree
        assert tree is not None
        if tree.ids is None:
            tree.ids = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close/__exit__
        for key, number in sorted(ids):
            tree.ids.write(struct.pack("<qI", number, len(key)) + key)

    def _ids(self) -> Iterator[tuple[PdfObject, PdfObject]]:
        tree = self._tree
        assert tree is not None and tree.ids is not None
        tree.ids.seek(0)
        while head := tree.ids.read(12):
            number, length = struct.unpack("<qI", head)
            yield _string(tree.ids.read(length)), _Ref(number)

    def _write_tree(self, entries: Iterable[tuple[PdfObject, PdfObject]], kind: str) -> int:
        """A number tree (``kind`` /Nums) or name tree (/Names) of ``entries``, in key
        order, written as they come, _TREE_FANOUT to a node; its root's number."""
        level: list[tuple[int, PdfObject, PdfObject]] = []  # nodes: number, first, last key
        batch: list[tuple[PdfObject, PdfObject]] = []

        def node(items: Sequence[tuple[PdfObject, PdfObject]] | None,
                 kids: Sequence[tuple[int, PdfObject, PdfObject]] | None = None
                 ) -> tuple[int, PdfObject, PdfObject]:
            number = self._new_number()
            if items is not None:
                first, last = items[0][0], items[-1][0]
                body = DictionaryObject({NameObject(kind): ArrayObject(
                    part for pair in items for part in pair)})
            else:
                assert kids is not None
                first, last = kids[0][1], kids[-1][2]
                body = DictionaryObject({NameObject("/Kids"): ArrayObject(
                    _Ref(kid[0]) for kid in kids)})
            body[NameObject("/Limits")] = ArrayObject([first, last])
            self._write(number, body)
            return number, first, last

        for entry in entries:
            if len(batch) == _TREE_FANOUT:
                level.append(node(batch))
                batch = []
            batch.append(entry)
        root = self._new_number()
        if not level:  # one node: the root holds the entries
            self._write(root, DictionaryObject({NameObject(kind): ArrayObject(
                part for pair in batch for part in pair)}))
            return root
        level.append(node(batch))
        while len(level) > _TREE_FANOUT:
            level = [node(None, level[at:at + _TREE_FANOUT])
                     for at in range(0, len(level), _TREE_FANOUT)]
        self._write(root, DictionaryObject({NameObject("/Kids"): ArrayObject(
            _Ref(kid[0]) for kid in level)}))
        return root

    def _write_structure(self, catalog: DictionaryObject, title: str) -> None:
        """The structure tree's root, its Document element, the parent tree (and ID
        tree), the XMP metadata; the catalog's entries for them."""
        tree = self._tree
        assert tree is not None
        self._close_part()
        parent_tree = self._write_tree(
            ((NumberObject(key), _Ref(number)) for key, number in enumerate(tree.parents)
             if number), "/Nums")
        root = DictionaryObject({
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): ArrayObject([_Ref(tree.document)]),
            NameObject("/ParentTree"): _Ref(parent_tree),
            NameObject("/ParentTreeNextKey"): NumberObject(len(tree.parents)),
        })
        if tree.role_map:
            root[NameObject("/RoleMap")] = DictionaryObject(
                {NameObject(k): NameObject(v) for k, v in tree.role_map.items()})
        if tree.class_map:
            root[NameObject("/ClassMap")] = DictionaryObject(
                {NameObject(k): v for k, v in tree.class_map.items()})
        if tree.ids is not None:
            root[NameObject("/IDTree")] = _Ref(self._write_tree(self._ids(), "/Names"))
            tree.ids.close()
        self._write(tree.root, root)
        # The Document element by hand, its Parts in pieces: flat memory however many.
        self._mark(tree.document)
        self.out.write(b"%d 0 obj\n<< /Type /StructElem /S /Document /P %d 0 R /K ["
                       % (tree.document, tree.root))
        self._write_numbers(tree.parts)
        self.out.write(b" ] >>\nendobj\n")
        metadata = self._new_number()
        self._write(metadata, _xmp(title, self.creator, tree.lang,
                                   ua=tree.ua and not self._untagged_pages))
        catalog[NameObject("/StructTreeRoot")] = _Ref(tree.root)
        catalog[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)})
        if tree.lang:
            catalog[NameObject("/Lang")] = TextStringObject(tree.lang)
        catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)})
        catalog[NameObject("/Metadata")] = _Ref(metadata)
        # The header says 1.4, written before any input was seen; tagged inputs bring
        # PDF 1.5 and later entries (/Tabs), and PDF/UA-1 rests on PDF 1.7.
        catalog[NameObject("/Version")] = NameObject("/1.7")


# A reference, or a literal string (with a level of balanced parentheses inside), which is
# matched so as to be left as it is: a link's address or an alternative text may hold
# "12 0 R" too.
_REFERENCE = re.compile(rb"\((?:[^()\\]|\\[\s\S]|\((?:[^()\\]|\\[\s\S])*\))*\)|(\d+) 0 R")
_STRUCT_PARENT = re.compile(rb"(/StructParents?)\s+(\d+)")
_BARE_REFERENCE = re.compile(rb"(\d+) 0 R")  # where no string can be (an array of references)


@overload
def _match(pattern: bytes, data: bytes, required: Literal[True] = ...) -> bytes: ...
@overload
def _match(pattern: bytes, data: bytes, required: bool) -> bytes | None: ...
def _match(pattern: bytes, data: bytes, required: bool = True) -> bytes | None:
    found = re.search(pattern, data)
    if found is None:
        if required:
            raise ValueError(f"no {pattern!r} in the PDF")
        return None
    return found.group(1)


_DIGITS = b"0123456789"


def _references_renumbered(head: bytes, targets: dict[int, bytes]) -> bytes:
    """``head`` (a dictionary or array with no literal string) with each reference
    ``n 0 R`` whose ``n`` is in ``targets`` replaced by its target: what
    ``_REFERENCE.sub`` gives, found by splitting at " 0 R" (five times faster than the
    pattern, whose digits match every number of a font's widths)."""
    pieces = head.split(b" 0 R")
    if len(pieces) == 1:
        return head
    out: list[bytes] = []
    for piece in pieces[:-1]:
        number = piece.rstrip(_DIGITS)
        new = targets.get(int(piece[len(number):])) if len(number) < len(piece) else None
        if new is None:
            out += (piece, b" 0 R")
        else:
            out += (number, new)
    out.append(pieces[-1])
    return b"".join(out)


def _split_objects(data: bytes) -> tuple[dict[int, tuple[bytes, bytes]], int, int | None]:
    """A PDF's objects (number -> ``_object_parts``), its catalog's and info's numbers.
    Two layouts are read: ReportLab's (a classic cross-reference table) and the project
    writer's (pdf/serialize.py: streams as objects of their own, the rest in object
    streams, a cross-reference stream; Flate without predictors). ValueError for anything
    else, or anything not where the table puts it."""
    start = int(_match(rb"startxref\s+(\d+)\s+%%EOF\s*$", data[-64:]))
    table = re.match(rb"xref\s+0 (\d+)\s+", data[start:start + 32])
    offsets: dict[int, int] = {}
    packed: dict[int, tuple[int, int]] = {}  # number -> (its object stream, index there)
    if table is not None:
        trailer = data[data.rindex(b"trailer"):]
        count = int(table.group(1))
        rows = data[start + table.end(): start + table.end() + 20 * count]
        offsets = {n: int(rows[20 * n: 20 * n + 10]) for n in range(1, count)
                   if rows[20 * n + 17: 20 * n + 18] == b"n"}
        end = start
    else:  # a cross-reference stream, as the last object
        xref = int(_match(rb"^(\d+) 0 obj", data[start:start + 32]))
        head, stream = _object_parts(data[start:data.rindex(b"startxref")], xref)
        if not re.search(rb"/Type\s*/XRef", head):
            raise ValueError("no cross-reference table or stream")
        widths = [int(w) for w in _match(rb"/W\s*\[([\d\s]*)\]", head).split()]
        size = int(_match(rb"/Size\s+(\d+)", head))
        found = _match(rb"/Index\s*\[([\d\s]*)\]", head, required=False)
        index = [int(n) for n in found.split()] if found else [0, size]
        rows = _inflate(head, stream)
        width = sum(widths)
        if len(widths) != 3 or len(rows) != width * sum(index[1::2]):
            raise ValueError("a cross-reference stream not as expected")
        w1, w2 = widths[0], widths[0] + widths[1]
        listed = (number for first, count in zip(index[::2], index[1::2], strict=True)
                  for number in range(first, first + count))
        if widths == [1, 4, 4]:  # as the project's writer writes them: unpacked in C
            entries: Iterable[tuple[int, int, int]] = struct.iter_unpack(">BII", rows)
        else:
            entries = ((int.from_bytes(rows[at:at + w1], "big") if w1 else 1,
                        int.from_bytes(rows[at + w1:at + w2], "big"),
                        int.from_bytes(rows[at + w2:at + width], "big"))
                       for at in range(0, len(rows), width))
        for number, (kind, field2, field3) in zip(listed, entries, strict=True):
            if kind == 1 and number and number != xref:
                if field3:
                    raise ValueError(f"object {number} has generation {field3}")
                offsets[number] = field2
            elif kind == 2:
                packed[number] = (field2, field3)
        trailer, end = head, start
    # Each object runs to where the next begins: found by offsets, never by searching
    # for keywords, which a string (a link's address) may hold too.
    ends = dict(zip(sorted(offsets.values()), [*sorted(offsets.values())[1:], end],
                    strict=True))
    objects = {n: _object_parts(data[offset:ends[offset]], n) for n, offset in offsets.items()}
    containers = {container for container, _ in packed.values()}
    for container in containers:
        if container not in objects:
            raise ValueError(f"object stream {container} is not in the file")
        head, stream = objects.pop(container)
        body = _inflate(head, stream)
        first = int(_match(rb"/First\s+(\d+)", head))
        pairs = [int(n) for n in body[:first].split()]
        numbers, starts = pairs[::2], [first + at for at in pairs[1::2]]
        for position, (number, begin) in enumerate(zip(numbers, starts, strict=True)):
            stop = starts[position + 1] if position + 1 < len(starts) else len(body)
            if packed.get(number) != (container, position):
                raise ValueError(f"object {number} is not where the table puts it")
            objects[number] = body[begin:stop].strip() + b"\n", b""
    if set(packed) - set(objects):
        raise ValueError("objects missing from their object streams")
    info = _match(rb"/Info\s+(\d+)\s+0\s+R", trailer, required=False)
    return (objects, int(_match(rb"/Root\s+(\d+)\s+0\s+R", trailer)),
            int(info) if info else None)


def _inflate(head: bytes, stream: bytes) -> bytes:
    """The data of a stream compressed with Flate only (no predictor): object and
    cross-reference streams as the project's writer makes them."""
    if not re.search(rb"/Filter\s*/FlateDecode", head) or b"/DecodeParms" in head:
        raise ValueError("a stream not compressed as expected")
    length = int(_match(rb"/Length\s+(\d+)", head))
    try:
        return zlib.decompress(stream[len(b"stream\n"):len(b"stream\n") + length])
    except zlib.error as error:
        raise ValueError(f"a stream not inflated: {error}") from error


def _object_parts(chunk: bytes, number: int) -> tuple[bytes, bytes]:
    """Object ``number``, all of ``chunk``: its dictionary (to renumber) and, verbatim, its
    stream with the keywords around it (never renumbered: it is binary). ValueError for
    anything not laid out as ReportLab or the project's writer writes it."""
    header = b"%d 0 obj" % number
    body = chunk.rstrip()
    if not body.startswith(header) or not body.endswith(b"endobj"):
        raise ValueError(f"object {number} is not where the table puts it")
    body = body[len(header):-len(b"endobj")]
    if not body.rstrip().endswith(b"endstream"):
        return body.lstrip(b"\r\n") + b"\n", b""
    # ReportLab writes "<<...>>\nstream\n" + data + "endstream\n", the project's writer
    # "<<...>>stream\n" + data + "\nendstream": the dictionary ends where "stream"
    # starts, /Length bytes (and the end of line, if any) before "endstream".
    endstream = body.rstrip().rindex(b"endstream")
    length = int(_match(rb"/Length (\d+)", body))
    for eol in (b"", b"\n", b"\r\n"):
        stream_at = endstream - len(eol) - length - len(b"stream\n")
        if stream_at >= 0 and body[stream_at:stream_at + 7] == b"stream\n" and \
                body[endstream - len(eol):endstream] == eol:
            return body[:stream_at].lstrip(b"\r\n"), body[stream_at:]
    raise ValueError(f"object {number}: its stream is not laid out as expected")


def _number(value: float) -> PdfObject:
    from pypdf.generic import FloatObject

    return NumberObject(int(value)) if float(value).is_integer() else FloatObject(value)


def _string(value: bytes) -> PdfObject:
    """A string object of ``value``'s bytes: literal when plain ASCII, else hex."""
    if value.isascii() and value.decode().isprintable():
        return TextStringObject(value.decode())
    return ByteStringObject(value)


def _serial(value: Any) -> bytes:
    buffer = io.BytesIO()
    if isinstance(value, PdfObject):
        value.write_to_stream(buffer)
    return buffer.getvalue()


def _free_name(name: str, taken: dict[str, _T], value: _T,
               reserved: frozenset[str] = _STANDARD_TYPES) -> str:
    """``name``, or the first of ``name``-2, ``name``-3... not ``reserved`` that ``taken``
    has not, or has for ``value``."""
    candidates = itertools.chain([name], (f"{name}-{n}" for n in itertools.count(2)))
    return next(c for c in candidates if c not in reserved and taken.get(c, value) == value)


def _xmp(title: str, creator: str, lang: str | None, ua: bool) -> StreamObject:
    """The XMP metadata PDF/UA asks for: the title (dc:title); the claim if ``ua``."""
    fields = [f"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(title)}"
              "</rdf:li></rdf:Alt></dc:title>"]
    if lang:
        fields.append(f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag>"
                      "</dc:language>")
    if creator:
        fields.append(f"<xmp:CreatorTool>{escape(creator)}</xmp:CreatorTool>")
    if ua:
        fields.append("<pdfuaid:part>1</pdfuaid:part>")
    packet = (
        "<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" "
        "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">"
        + "".join(fields) +
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>")
    stream = DecodedStreamObject()
    stream.set_data(packet.encode())
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream
