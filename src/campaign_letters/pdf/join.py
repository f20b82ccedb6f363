"""Join many small PDFs into one big one, streaming: memory stays flat however many.

pypdf's PdfWriter keeps every object in memory until it writes, which for a pack of
10,000 volunteers is gigabytes. This writer copies each input's page objects (and all they
refer to: contents, fonts, annotations) straight to the output file under new object
numbers (their byte offsets go to a temporary file, the bookmarks are written as they
come), and writes the page tree and the cross-reference table at the end. Stream data is
copied as stored, never decoded.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, overload

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from campaign_letters.pdf._reportlab import copy_stream
from campaign_letters.pdf.shortcuts import plain

# Object numbers fixed up front; everything else is numbered as it is written.
_CATALOG, _PAGES, _OUTLINES, _INFO = 1, 2, 3, 4
_FIRST_FREE = 5
_FREE = b"0000000000 00000 f \n"  # an xref entry for a number not written (yet)


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


class PdfJoiner:
    """``with PdfJoiner(path) as joiner: joiner.add_pages(reader, 0, 3); ...``"""

    def __init__(self, path: Path, title: str = "", creator: str = ""):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.out: BinaryIO = open(self.tmp, "wb")  # noqa: SIM115 - closed in close()
        # The cross-reference table, an entry of 20 bytes per object number, is kept in a
        # temporary file and copied after the objects: no memory per object.
        self.xref: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.size = 0  # object numbers given out, 0 included
        for _ in range(_FIRST_FREE):
            self._new_number()
        self.pages = array("q")  # object numbers of the pages, in order
        # The outline is written as it comes: each top-level entry once the next is known.
        self._held: tuple[int, Bookmark, int | None] | None = None  # number, entry, prev
        self._outline_first: int | None = None
        self._outline_count = 0
        self.title, self.creator = title, creator
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

    # -- writing objects -------------------------------------------------------------------

    def _new_number(self) -> int:
        number = self.size
        self.size += 1
        self.xref.seek(20 * number)
        self.xref.write(_FREE)  # until the object is written
        return number

    def _mark(self, number: int) -> None:
        """The object ``number`` starts here."""
        self.xref.seek(20 * number)
        self.xref.write(b"%010d 00000 n \n" % self.out.tell())

    def _write(self, number: int, obj: PdfObject) -> None:
        self._mark(number)
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def _copy(self, obj: Any, mapping: dict[int, int], pending: list[tuple[int, Any]]) -> Any:
        """``obj`` with its references renumbered; referenced objects queued for writing."""
        if isinstance(obj, IndirectObject):
            if obj.idnum not in mapping:
                mapping[obj.idnum] = self._new_number()
                pending.append((mapping[obj.idnum], obj))
            return _Ref(mapping[obj.idnum])
        if isinstance(obj, StreamObject):
            copy = copy_stream(obj)  # as stored: compressed data is never decoded
            for key, value in obj.items():
                copy[NameObject(key)] = self._copy(value, mapping, pending)
            return copy
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({NameObject(k): self._copy(v, mapping, pending)
                                     for k, v in obj.items()})
        if isinstance(obj, ArrayObject):
            return ArrayObject(self._copy(v, mapping, pending) for v in obj)
        return obj

    def _drain(self, mapping: dict[int, int], pending: list[tuple[int, Any]]) -> None:
        while pending:
            number, ref = pending.pop()
            self._write(number, self._copy(ref.get_object(), mapping, pending))

    # -- the public part -------------------------------------------------------------------

    def add_pages(self, reader: PdfReader, start: int, count: int,
                  mapping: dict[int, int] | None = None) -> int:
        """Copy ``count`` pages of ``reader`` from ``start``; return the first's index.

        Pass the same ``mapping`` for several calls on one reader to share its fonts.
        """
        first = len(self.pages)
        mapping = {} if mapping is None else mapping
        pending: list[tuple[int, Any]] = []
        for index in range(start, start + count):
            page = reader.pages[index]
            number = self._new_number()
            # Annotations point back at their page: make them point at the copy.
            if page.indirect_reference is not None:
                mapping[page.indirect_reference.idnum] = number
            copy = DictionaryObject({NameObject(k): self._copy(v, mapping, pending)
                                     for k, v in page.items() if k != "/Parent"})
            copy[NameObject("/Parent")] = _Ref(_PAGES)
            self._write(number, copy)
            self.pages.append(number)
        self._drain(mapping, pending)
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
        byte for byte, renumbered: no object model, so it is several times faster than
        ``add_pages``. Returns its pages' new numbers in order, for ``append_page``.
        Anything unexpected raises ValueError: then use ``add_pages``. Plain
        (shortcuts.py): always ValueError, so pypdf copies every file."""
        if plain():
            raise ValueError("plain: the shortcuts are off")
        trailer = data[data.rindex(b"trailer"):]
        root = int(_match(rb"/Root (\d+) 0 R", trailer))
        info = _match(rb"/Info (\d+) 0 R", trailer, required=False)
        start = int(_match(rb"startxref\s+(\d+)", trailer))
        table = re.match(rb"xref\s+0 (\d+)\s+", data[start:])
        if table is None:
            raise ValueError("no classic cross-reference table")
        count = int(table.group(1))
        rows = data[start + table.end(): start + table.end() + 20 * count]
        offsets = {n: int(rows[20 * n: 20 * n + 10]) for n in range(1, count)
                   if rows[20 * n + 17: 20 * n + 18] == b"n"}
        # Each object runs to where the next begins: found by offsets, never by searching
        # for keywords, which a string (a link's address) may hold too.
        ends = dict(zip(sorted(offsets.values()), [*sorted(offsets.values())[1:], start],
                        strict=True))
        objects = {n: _object_parts(data[offset:ends[offset]], n)
                   for n, offset in offsets.items()}
        catalog = objects[root][0]
        pages_root = int(_match(rb"/Pages (\d+) 0 R", catalog))
        kids = [int(k) for k in re.findall(rb"(\d+) 0 R", _match(
            rb"/Kids \[([^\]]*)\]", objects[pages_root][0]))]
        skip = {root, pages_root, *([int(info)] if info else [])}
        outlines = _match(rb"/Outlines (\d+) 0 R", catalog, required=False)
        if outlines:
            skip.add(int(outlines))
        mapping = {n: self._new_number() for n in objects if n not in skip}

        def renumber(match: re.Match[bytes]) -> bytes:
            old = int(match.group(1))
            if old == pages_root:
                return b"%d 0 R" % _PAGES
            return b"%d 0 R" % mapping[old] if old in mapping else match.group(0)

        for old, new in mapping.items():
            head, stream = objects[old]
            self._mark(new)
            self.out.write(b"%d 0 obj\n" % new)
            self.out.write(_REFERENCE.sub(renumber, head))
            self.out.write(stream)
            self.out.write(b"endobj\n")
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
        """Write ``bookmarks`` (after any added), the page tree, info and trailer; rename
        into place."""
        for bookmark in bookmarks:
            self.add_bookmark(bookmark)
        # The page tree by hand, in pieces: flat memory however many pages.
        self._mark(_PAGES)
        self.out.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (_PAGES, len(self.pages)))
        for chunk in range(0, len(self.pages), 4096):
            self.out.write(b"".join(b" %d 0 R" % n for n in self.pages[chunk:chunk + 4096]))
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
        self._write(_CATALOG, catalog)
        self._write(_INFO, DictionaryObject({
            NameObject("/Title"): TextStringObject(self.title),
            NameObject("/Creator"): TextStringObject(self.creator)}))
        xref = self.out.tell()
        self.out.write(f"xref\n0 {self.size}\n".encode())
        self.xref.seek(0)
        self.xref.write(b"0000000000 65535 f \n")
        self.xref.seek(0)
        shutil.copyfileobj(self.xref, self.out)
        self.xref.close()
        self.out.write(f"trailer\n<< /Size {self.size} /Root {_CATALOG} 0 R "
                       f"/Info {_INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
        self.out.close()
        os.replace(self.tmp, self.path)

    def _write_entry(self, number: int, item: Bookmark, previous: int | None, parent: int,
                     following: int | None) -> None:
        """One outline entry, and its children (closed: a pack of 800 volunteers opens
        as 800 lines, not 3,200)."""
        entry = DictionaryObject({
            NameObject("/Title"): TextStringObject(item.title),
            NameObject("/Parent"): _Ref(parent),
            NameObject("/Dest"): ArrayObject([_Ref(self.pages[item.page]),
                                              NameObject("/Fit")]),
        })
        if previous is not None:
            entry[NameObject("/Prev")] = _Ref(previous)
        if following is not None:
            entry[NameObject("/Next")] = _Ref(following)
        if item.children:
            numbers = [self._new_number() for _ in item.children]
            for position, (child, child_number) in enumerate(zip(item.children, numbers,
                                                                 strict=True)):
                self._write_entry(
                    child_number, child, numbers[position - 1] if position else None,
                    parent=number,
                    following=numbers[position + 1] if position + 1 < len(numbers) else None)
            entry[NameObject("/First")] = _Ref(numbers[0])
            entry[NameObject("/Last")] = _Ref(numbers[-1])
            entry[NameObject("/Count")] = NumberObject(-len(numbers))
        self._write(number, entry)


_REFERENCE = re.compile(rb"(\d+) 0 R")


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


def _object_parts(chunk: bytes, number: int) -> tuple[bytes, bytes]:
    """Object ``number``, all of ``chunk``: its dictionary (to renumber) and, verbatim, its
    stream with the keywords around it (never renumbered: it is binary). ValueError for
    anything not laid out as ReportLab writes it."""
    header = b"%d 0 obj" % number
    body = chunk.rstrip()
    if not body.startswith(header) or not body.endswith(b"endobj"):
        raise ValueError(f"object {number} is not where the table puts it")
    body = body[len(header):-len(b"endobj")]
    if not body.rstrip().endswith(b"endstream"):
        return body.lstrip(b"\r\n") + b"\n", b""
    # ReportLab writes "<<...>>\nstream\n" + data + "endstream\n": the dictionary ends
    # where "stream" starts, /Length bytes before "endstream".
    endstream = body.rstrip().rindex(b"endstream")
    length = int(_match(rb"/Length (\d+)", body))
    stream_at = endstream - length - len(b"stream\n")
    if stream_at < 0 or body[stream_at:stream_at + 7] != b"stream\n":
        raise ValueError(f"object {number}: its stream is not laid out as expected")
    return body[:stream_at].lstrip(b"\r\n"), body[stream_at:]


def _number(value: float) -> PdfObject:
    from pypdf.generic import FloatObject

    return NumberObject(int(value)) if float(value).is_integer() else FloatObject(value)
