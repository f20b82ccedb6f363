"""Zipped workbooks (.xlsx, .xlsm, .ods) looked through before calamine opens them.

In: the file's bytes (at most ``limits.MAX_FILE_BYTES``, already in memory) and its name
for messages. Out: nothing, or a ``RosterError`` naming the limit the file goes past
(``limits``), the member and the sheet where it does.

Nothing here trusts what the archive says of itself. The table of contents is sized before
Python's ``zipfile`` reads it (MAX_MEMBERS); each member's compressed bytes are inflated
here, from its local header, until the compressed stream itself ends, counting what comes
out against MAX_UNPACKED across the whole file: a 2 MB member can unpack to 2 GB, and its
header can say 2 KB. A member that is XML (whatever its name) is parsed as it unpacks, by
``xmlcheck``: no document type declaration, so no entity at all; nesting, rows, columns
and cells counted as calamine would build them. Only counts are kept, never the text.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator

from campaign_letters.volunteer.limits import (
    AGAIN,
    MAX_MEMBERS,
    MAX_UNPACKED,
    RIGHT_FILE,
    damaged,
    encrypted,
    refusal,
)
from campaign_letters.volunteer.xmlcheck import SheetNames, XmlCheck

CHUNK = 1 << 16
# The central directory's entries are at least 46 bytes and rarely more than a few hundred:
# one larger than this lists more members than MAX_MEMBERS, or is not a workbook's.
MAX_DIRECTORY_BYTES = MAX_MEMBERS * 512


def check_zipped(data: bytes, shown: str) -> None:
    """RosterError if the zipped workbook ``data`` is damaged, encrypted, or goes past a
    limit once unpacked. Every member is unpacked in full; those calamine could read as
    XML are parsed as they unpack: any named .xml or .rels (calamine finds its parts by
    name, in any case, with either slash) and any the workbook names as a sheet. The
    relationships and the workbook go first, for the sheets' members and names."""
    unpacked = 0
    names = SheetNames()
    for info in sorted(members(data, shown), key=_relationships_first):
        member = normal(info.filename)
        xml = member.endswith((".xml", ".rels")) or member in names.members.values()
        check: XmlCheck | None = None
        for piece in _inflate(data, info, shown):
            unpacked += len(piece)
            if unpacked > MAX_UNPACKED:
                raise refusal(shown, f"it unpacks to more than {MAX_UNPACKED:,} bytes (at "
                                     f"{info.filename})",
                              f"a roster can unpack to at most {MAX_UNPACKED:,}",
                              RIGHT_FILE)
            if xml:
                if check is None:  # not before a first byte: an empty member is no XML
                    check = XmlCheck(info.filename, shown, names)
                check.feed(piece)
        if check is not None:
            check.feed(b"", final=True)


def normal(name: str) -> str:
    """A member's name as calamine looks it up: lower case, forward slashes."""
    return name.replace("\\", "/").lower()


def members(data: bytes, shown: str) -> list[zipfile.ZipInfo]:
    """The archive's members, refused if too many, encrypted, or packed in a way no
    spreadsheet program writes (only stored and deflated members)."""
    count, directory_bytes = _directory_size(data)
    if count > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise refusal(shown, f"it holds more than {MAX_MEMBERS:,} files",
                      f"a workbook holds at most {MAX_MEMBERS:,}", RIGHT_FILE)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # BadZipFile, or what a hostile directory makes zipfile raise
        # (NotImplementedError for a version it does not know, ValueError, EOFError...)
        raise damaged(shown, f"not a complete zip archive: {exc}") from None
    if len(infos) > MAX_MEMBERS:
        raise refusal(shown, f"it holds {len(infos):,} files",
                      f"a workbook holds at most {MAX_MEMBERS:,}", AGAIN)
    for info in infos:
        if info.flag_bits & 0x1:
            raise encrypted(shown)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(shown, f"{info.filename} is packed with method "
                                 f"{info.compress_type}, which spreadsheet programs do not use")
    return infos


def _directory_size(data: bytes) -> tuple[int, int]:
    """Members and bytes the central directory declares (its end record, or the ZIP64 one
    when they do not fit), before ``zipfile`` builds an object for each; (0, 0) without an
    end record (``zipfile`` then says what is wrong)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - (1 << 16) - 22))
    if end < 0 or len(data) < end + 22:
        return 0, 0
    count = int.from_bytes(data[end + 10: end + 12], "little")
    size = int.from_bytes(data[end + 12: end + 16], "little")
    locator = end - 20
    if (count == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 \
            and data[locator: locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8: locator + 16], "little")
        if data[record: record + 4] == b"PK\x06\x06":
            count = int.from_bytes(data[record + 32: record + 40], "little")
            size = int.from_bytes(data[record + 40: record + 48], "little")
    return count, size


def _relationships_first(info: zipfile.ZipInfo) -> int:
    name = normal(info.filename)
    return 0 if name.endswith(".rels") else 1 if posixpath.basename(name) == "workbook.xml" \
        else 2


def _inflate(data: bytes, info: zipfile.ZipInfo, shown: str) -> Iterator[bytes]:
    """A member's bytes, unpacked CHUNK at a time from its compressed stream (the sizes
    its headers declare are not trusted for what comes out)."""
    offset = info.header_offset
    header = data[offset: offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise damaged(shown, f"{info.filename} is not where the archive says")
    start = offset + 30 + int.from_bytes(header[26:28], "little") \
        + int.from_bytes(header[28:30], "little")
    packed = memoryview(data)[start: start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(packed), CHUNK):
            yield bytes(packed[at: at + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for at in range(0, len(packed), CHUNK):
            pending: bytes | memoryview = packed[at: at + CHUNK]
            while not inflater.eof:
                piece = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if piece:
                    yield piece
                if not pending and len(piece) < CHUNK:  # this input is used up
                    break
            if inflater.eof:
                break
    except zlib.error as exc:
        raise damaged(shown, f"{info.filename} does not unpack: {exc}") from None
    if not inflater.eof and info.file_size:
        raise damaged(shown, f"{info.filename} is cut short")


def zip_kind(data: bytes, shown: str) -> str:
    """'xlsx', 'ods' or 'zip' (another kind of archive), from the members: an OpenDocument
    file says what it is in its first member, ``mimetype``; an Office Open XML workbook
    keeps its parts under ``xl/``."""
    infos = members(data, shown)
    for info in infos:
        if info.filename == "mimetype":
            first = next(_inflate(data, info, shown), b"")
            if first.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                return "ods"
    if any(info.filename.startswith("xl/") for info in infos):
        return "xlsx"
    return "zip"
