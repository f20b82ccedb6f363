"""PDF objects as bytes: the low level of the project's own PDF writer (``write.py``).

Every object is written once, as bytes, by code that knows what it is writing: no generic
object model to walk (ReportLab's ``pdfdoc.format`` spent a third of a letter's time in
one). Dictionaries and arrays are assembled from already formatted parts; streams are
compressed once; the small objects go into one compressed object stream and the file
ends with a cross-reference stream (PDF 1.5), which keeps a one-page letter small.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

_NAME_SAFE = frozenset(b"!\"$&'*+,-.0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`"
                       b"abcdefghijklmnopqrstuvwxyz|~") - frozenset(b"\"'")


def name(text: str) -> bytes:
    """A PDF name (``/Span``), any character outside the safe set as ``#xx``."""
    raw = text.encode("utf-8")
    if all(byte in _NAME_SAFE for byte in raw):
        return b"/" + raw
    return b"/" + b"".join(bytes([byte]) if byte in _NAME_SAFE else b"#%02X" % byte
                           for byte in raw)


def number(value: float) -> bytes:
    """A real number as PDF writes it: no exponent, at most four decimals."""
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")


def text_string(text: str) -> bytes:
    """A PDF text string: literal when it is printable ASCII, else UTF-16BE with a BOM
    (hex). The text is data: parentheses and backslashes are escaped, never markup."""
    if all(32 <= ord(char) < 127 for char in text):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def ascii_uri(url: str) -> str:
    """``url`` in the 7-bit form a PDF URI action holds (PDF 12.6.4.7): the host in IDNA
    (www.sønderborg.dk -> www.xn--snderborg-l8a.dk), the rest percent-encoded as UTF-8."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    userinfo, _, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.partition(":") if not hostport.startswith("[") \
        else (hostport, "", "")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = (quote(userinfo, safe=":%") + "@" if userinfo else "") + host + colon + port
    safe = "/%:@!$&'()*+,;=?~-._"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe),
                       quote(parts.query, safe=safe), quote(parts.fragment, safe=safe)))


def ascii_string(text: str) -> bytes:
    """A byte string of ASCII (a URI: 7-bit by PDF's definition, see ``ascii_uri``),
    escaped."""
    escaped = text.encode("ascii", "backslashreplace").replace(b"\\", b"\\\\")
    return b"(" + escaped.replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def ref(num: int) -> bytes:
    return b"%d 0 R" % num


def array(items: Iterable[bytes]) -> bytes:
    return b"[" + b" ".join(items) + b"]"


def dictionary(entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """``<</Key value ...>>`` from (name, formatted value) pairs; a None-free iterable."""
    return b"<<" + b"".join(key + b" " + value for key, value in entries) + b">>"


class Objects:
    """The objects of one PDF, numbered as they are reserved, written by ``finish``."""

    def __init__(self) -> None:
        self._small: dict[int, bytes] = {}  # go into the object stream
        self._streams: dict[int, bytes] = {}  # whole "<<...>>stream...endstream"
        self._count = 0

    def reserve(self) -> int:
        self._count += 1
        return self._count

    def put(self, num: int, body: bytes) -> int:
        self._small[num] = body
        return num

    def add(self, body: bytes) -> int:
        return self.put(self.reserve(), body)

    def put_stream(self, num: int, entries: bytes, data: bytes, *,
                   compress: bool = True, compressed: bool = False) -> int:
        """A stream object: ``entries`` (formatted dictionary entries, without /Length
        or /Filter), ``data`` compressed here unless ``compressed`` (already) or not
        ``compress`` (XMP metadata, which PDF/A wants readable)."""
        if compress and not compressed:
            data = zlib.compress(data, 6)
        flate = b"/Filter/FlateDecode" if compress or compressed else b""
        self._streams[num] = b"<<%s%s/Length %d>>stream\n%s\nendstream" % (
            entries, flate, len(data), data)
        return num

    def add_stream(self, entries: bytes, data: bytes, **how: bool) -> int:
        return self.put_stream(self.reserve(), entries, data, **how)

    def finish(self, root: int, info: int) -> bytes:
        """The file: header, streams, one object stream of the small objects, and a
        cross-reference stream. The document ID is a digest of the content, so the same
        document gives the same bytes."""
        out = bytearray(HEADER)
        offsets: dict[int, int] = {}
        for num, body in sorted(self._streams.items()):
            offsets[num] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
        packed = sorted(self._small.items())
        objstm = self._count + 1
        index, parts, position = [], [], 0
        for num, body in packed:
            index.append(b"%d %d" % (num, position))
            parts.append(body)
            position += len(body) + 1
        head = b" ".join(index) + b"\n"
        data = zlib.compress(head + b"\n".join(parts), 6)
        offsets[objstm] = len(out)
        out += b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>" \
               b"stream\n%s\nendstream\nendobj\n" % (objstm, len(packed), len(head),
                                                     len(data), data)
        in_stream = {num: position for position, (num, _) in enumerate(packed)}
        xref = objstm + 1
        offsets[xref] = len(out)
        rows = bytearray(b"\x00\x00\x00\x00\x00\x00\x00\xff\xff")  # object 0: free
        for num in range(1, xref + 1):
            if num in offsets:
                rows += b"\x01" + offsets[num].to_bytes(4, "big") + b"\x00\x00\x00\x00"
            elif num in in_stream:
                rows += b"\x02" + objstm.to_bytes(4, "big") + in_stream[num].to_bytes(4, "big")
            else:
                raise ValueError(f"object {num} was reserved and never written")
        digest = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
        ids = b"[<%s><%s>]" % (digest, digest)
        table = zlib.compress(bytes(rows), 6)
        out += b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 4]/Root %d 0 R/Info %d 0 R/ID%s" \
               b"/Filter/FlateDecode/Length %d>>stream\n%s\nendstream\nendobj\n" % (
                   xref, xref + 1, root, info, ids, len(table), table)
        out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref]
        return bytes(out)
