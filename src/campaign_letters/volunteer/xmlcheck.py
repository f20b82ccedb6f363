"""One XML member of a zipped workbook, checked piece by piece as it unpacks (``zipped``).

In: the member's bytes, as they come. Out: nothing, or a ``RosterError`` naming the limit
(``limits``), the member or the sheet, and the place in it. Only counts are kept.

Python's expat parses it, with handlers that refuse what would make it expand or grow:
a document type declaration where it starts, so no entity can be declared and none
expand (billion laughs, external entities; spreadsheet programs never write one);
nesting deeper than MAX_XML_DEPTH; more than MAX_XML_NAMES different element or attribute
names (expat keeps each one it meets); more than MAX_XML_TOKEN bytes between two '>'
(expat holds a whole tag before handing it over). That is what ``defusedxml`` does for
entities, in three handlers, without its SAX layer (2.5 times slower, measured). The
root element decides what else is checked, not the member's name (calamine finds the
sheets through the workbook's relationships):

- ``worksheet`` (.xlsx): the ``<dimension>`` it declares, each ``<row>`` and ``<c>`` where
  its ``r`` places it (or after the one before, as calamine does), the characters in each
  cell;
- ``sst`` (.xlsx's shared texts): how many it declares (calamine reserves room for that
  many before reading one) and each text's length;
- ``document-content`` (.ods): each table's rows and cells with their repeats
  (``number-rows-repeated``, ``number-columns-repeated``) up to the last one with content
  (LibreOffice repeats an empty row to the sheet's end; calamine builds nothing for it),
  each cell's characters, the spaces of ``<text:s text:c="...">`` included;
- ``workbook`` and its relationships: the sheets' names, for messages;
- any: ``encryption-data`` (the manifest of an encrypted .ods).

Elements and attributes are matched by their local name, whatever their prefix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from xml.parsers import expat

from campaign_letters.volunteer.limits import (
    AGAIN,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TEXTS,
    MAX_XML_DEPTH,
    MAX_XML_NAMES,
    MAX_XML_TOKEN,
    column_name,
    damaged,
    encrypted,
    one_line,
    refusal,
    too_long_cell,
    too_many_columns,
    too_many_rows,
)

_REFERENCE = re.compile(r"\$?([A-Za-z]{1,10})\$?([0-9]{1,10})")
Attributes = dict[str, str]
_UNKNOWN = object()


def cell_position(reference: str) -> tuple[int, int] | None:
    """(row, column), counted from 1, of a reference such as 'B7'; None for anything else.

    >>> cell_position("XFD1048576"), cell_position("$b$7"), cell_position("7B")
    ((1048576, 16384), (7, 2), None)
    """
    match = _REFERENCE.fullmatch(reference.strip())
    if match is None:
        return None
    column = 0
    for letter in match[1].upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]), column


_COLUMNS = {column_name(number): number for number in range(1, MAX_COLUMNS + 1)}


def _count(text: str | None) -> int | None:
    """A count an attribute gives ('1048576'); None if it is not one. Ten digits at most
    are read: a longer number is past every limit anyway."""
    if text is None or not text.isascii() or not text.isdigit():
        return None
    return int(text[:10]) if len(text) <= 10 else 10**10


def _attribute(attributes: Attributes, local: str, prefix: str = "") -> str | None:
    """An attribute by local name: ``prefix:local`` or ``local`` as usually written, else
    under any prefix."""
    value = attributes.get(f"{prefix}:{local}" if prefix else local)
    if value is None:
        for key, found in attributes.items():
            if key == local or key.endswith(":" + local):
                return found
    return value


class SheetNames:
    """A workbook's sheets by member, from ``workbook.xml`` and its relationships."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}  # relationship id -> sheet name
        self.members: dict[str, str] = {}  # relationship id -> member (lower case)

    def name_of(self, member: str) -> str | None:
        member = member.replace("\\", "/").lower()
        return next((self.by_id[key] for key, path in self.members.items()
                     if path == member and key in self.by_id), None)


class XmlCheck:
    """Feed it a member's bytes in pieces; ``final=True`` with the last."""

    def __init__(self, member: str, shown: str, names: SheetNames):
        self.member, self.shown, self.names = member, shown, names
        self.place = member  # what messages call where the problem is
        self.depth = 0
        self.starts: dict[str, Callable[[Attributes], None]] = {
            "encryption-data": self._encrypted}
        self.ends: dict[str, Callable[[], None]] = {}
        # The same handlers by the names as written (with their prefix), found once each;
        # they are all the names met, and so are counted (MAX_XML_NAMES).
        self.start_of: dict[str, object] = {}
        self.end_of: dict[str, object] = {}
        self.attribute_names: set[str] = set()
        self.since_tag = 0  # bytes since the last '>' (MAX_XML_TOKEN)
        self.counting = False  # inside a cell (or a shared text): its characters count
        self.chars = 0
        self.where: Callable[[], str] = lambda: self.place
        # Rows and cells as calamine places them (xlsx: by ``r``; ods: with repeats).
        self.rows = self.row = self.cells = self.column = self.repeat = 0
        self.content = self.row_content = False
        # No interning of names (the default keeps each new one for good: a file of
        # millions of different names would fill memory).
        parser = expat.ParserCreate(intern=None)
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype  # only inside a DTD: never reached
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        self.parser = parser

    def feed(self, piece: bytes, final: bool = False) -> None:
        # expat holds a whole tag (and its attributes) before handing it over: a tag, or
        # text, longer than MAX_XML_TOKEN is refused before expat has it.
        last = piece.rfind(b">")
        reach = self.since_tag + (len(piece) if last < 0 else piece.find(b">"))
        self.since_tag = self.since_tag + len(piece) if last < 0 else len(piece) - last - 1
        if reach > MAX_XML_TOKEN:
            raise refusal(self.shown, f"{self.member} has more than {MAX_XML_TOKEN:,} bytes "
                                      "in one tag or text",
                          f"a workbook's XML has at most {MAX_XML_TOKEN:,}", AGAIN)
        try:
            self.parser.Parse(piece, final)
        except expat.ExpatError as exc:
            raise damaged(self.shown, f"{self.member} is not well-formed XML: {exc}") \
                from None
        except (LookupError, ValueError) as exc:  # an encoding expat cannot read
            raise damaged(self.shown, f"{self.member} is not XML that can be read: {exc}") \
                from None

    def _count_names(self, names: dict[str, object] | set[str]) -> None:
        if len(names) > MAX_XML_NAMES:
            raise refusal(self.shown, f"{self.member} uses more than {MAX_XML_NAMES:,} "
                                      "different XML names",
                          f"a workbook's part uses at most {MAX_XML_NAMES:,}", AGAIN)

    def _doctype(self, *_: object) -> None:
        raise refusal(self.shown, f"{self.member} has a document type declaration "
                                  "(<!DOCTYPE>), whose entities can expand without end",
                      "a roster's XML can have none", AGAIN)

    def _encrypted(self, _: Attributes) -> None:
        raise encrypted(self.shown)

    def _start(self, name: str, attributes: Attributes) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise refusal(self.shown, f"{self.member} nests its XML more than "
                                      f"{MAX_XML_DEPTH} deep",
                          f"a workbook nests at most {MAX_XML_DEPTH}", AGAIN)
        handler = self.start_of.get(name, _UNKNOWN)
        if handler is _UNKNOWN:
            local = name[name.rfind(":") + 1:]
            if self.depth == 1:
                self._root(local)
            handler = self.start_of[name] = self.starts.get(local)
            self._count_names(self.start_of)
        if not self.attribute_names.issuperset(attributes):
            self.attribute_names.update(attributes)
            self._count_names(self.attribute_names)
        if handler is not None:
            handler(attributes)  # type: ignore[operator]

    def _end(self, name: str) -> None:
        self.depth -= 1
        handler = self.end_of.get(name, _UNKNOWN)
        if handler is _UNKNOWN:
            handler = self.end_of[name] = self.ends.get(name[name.rfind(":") + 1:])
        if handler is not None:
            handler()  # type: ignore[operator]

    def _text(self, text: str) -> None:
        if self.counting:
            self.chars += len(text)
            if self.chars > MAX_CELL:
                raise too_long_cell(self.shown, self.where())

    def _lengthen(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_CELL:
            raise too_long_cell(self.shown, self.where())

    def _stop(self) -> None:
        self.counting = False

    def _root(self, local: str) -> None:
        if local in ("worksheet", "dialogsheet", "macrosheet"):
            name = self.names.name_of(self.member)
            self.place = f"sheet {one_line(name, 60)!r}" if name is not None else self.member
            self.starts.update(dimension=self._dimension, row=self._xlsx_row,
                               c=self._xlsx_cell)
            self.ends["c"] = self._stop
            self.where = lambda: f"{self.place}, cell {column_name(self.column)}{self.row}"
        elif local == "sst":
            self.starts.update(sst=self._texts_declared, si=self._shared_text)
            self.ends["si"] = self._stop
            self.where = lambda: f"text {self.rows:,} of {self.member}"
        elif local in ("document-content", "document"):
            self.starts.update({"table": self._table, "table-row": self._ods_row,
                                "table-cell": self._ods_cell,
                                "covered-table-cell": self._ods_cell,
                                "s": self._spaces, "tab": self._one_char,
                                "line-break": self._one_char})
            self.ends.update({"table-row": self._ods_row_end, "table-cell": self._ods_cell_end,
                              "covered-table-cell": self._ods_cell_end})
            self.where = lambda: (f"{self.place}, cell {column_name(self.column)}"
                                  f"{self.row + 1}")
        elif local == "workbook":
            self.starts["sheet"] = self._sheet_name
        elif local == "Relationships" and self.member.lower().endswith("workbook.xml.rels"):
            self.starts["Relationship"] = self._relationship

    # -- .xlsx -------------------------------------------------------------------------------

    def _dimension(self, attributes: Attributes) -> None:
        declared = _attribute(attributes, "ref") or ""
        corner = cell_position(declared.rpartition(":")[2])
        if corner is None:
            return
        rows, columns = corner
        if rows > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} declares {rows:,} rows "
                                            f"({one_line(declared, 40)})")
        if columns > MAX_COLUMNS:
            raise too_many_columns(self.shown, f"{self.place} declares {columns:,} columns "
                                               f"({one_line(declared, 40)})")

    def _xlsx_row(self, attributes: Attributes) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} holds more than {MAX_ROWS:,} rows")
        number = _count(_attribute(attributes, "r"))
        self.row = number if number is not None else self.row + 1
        if self.row > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} has a row {self.row:,}")
        self.cells = self.column = 0

    def _xlsx_cell(self, attributes: Attributes) -> None:
        self.cells += 1
        reference = attributes.get("r")
        if reference is None:
            reference = _attribute(attributes, "r")
        if reference:
            # 'B7', as written by every program, quickly; anything else the long way.
            letters = reference.rstrip("0123456789")
            column = _COLUMNS.get(letters)
            digits = reference[len(letters):]
            if column is not None and digits and len(digits) < 10:
                self.column, self.row = column, int(digits)
            elif (position := cell_position(reference)) is not None:
                self.row, self.column = position
            else:
                self.column += 1
        else:
            self.column += 1
        if self.row > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} has a cell in row {self.row:,} "
                                            f"({column_name(self.column)}{self.row})")
        if self.column > MAX_COLUMNS or self.cells > MAX_COLUMNS:
            raise too_many_columns(self.shown, f"{self.place} has a cell in column "
                                               f"{max(self.column, self.cells):,} "
                                               f"({column_name(self.column)}{self.row})")
        self.counting, self.chars = True, 0

    def _texts_declared(self, attributes: Attributes) -> None:
        declared = _count(_attribute(attributes, "uniqueCount"))
        if declared is not None and declared > MAX_TEXTS:
            raise refusal(self.shown, f"{self.member} declares {declared:,} different texts",
                          f"a roster can have at most {MAX_TEXTS:,} (one per cell)", AGAIN)

    def _shared_text(self, _: Attributes) -> None:
        self.rows += 1
        if self.rows > MAX_TEXTS:
            raise refusal(self.shown, f"{self.member} holds more than {MAX_TEXTS:,} texts",
                          f"a roster can have at most {MAX_TEXTS:,} (one per cell)", AGAIN)
        self.counting, self.chars = True, 0

    def _sheet_name(self, attributes: Attributes) -> None:
        key, name = _attribute(attributes, "id", "r"), _attribute(attributes, "name")
        if key is not None and name is not None:
            self.names.by_id[key] = name

    def _relationship(self, attributes: Attributes) -> None:
        key, target = _attribute(attributes, "Id"), _attribute(attributes, "Target")
        if key is None or target is None:
            return
        member = self.member.replace("\\", "/").lower()
        folder = posixpath.dirname(posixpath.dirname(member))  # xl/_rels/.. -> xl
        target = target.replace("\\", "/").lower()
        self.names.members[key] = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))

    # -- .ods ---------------------------------------------------------------------------------

    def _table(self, attributes: Attributes) -> None:
        self.place = f"sheet {one_line(_attribute(attributes, 'name', 'table') or '', 60)!r}"
        self.rows = self.row = 0

    def _ods_row(self, attributes: Attributes) -> None:
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} holds more than {MAX_ROWS:,} rows")
        self.repeat = _count(_attribute(attributes, "number-rows-repeated", "table")) or 1
        self.column, self.row_content = 0, False

    def _ods_cell(self, attributes: Attributes) -> None:
        self.column += _count(_attribute(attributes, "number-columns-repeated",
                                         "table")) or 1
        self.content = _attribute(attributes, "value-type", "office") is not None
        self.counting, self.chars = True, 0
        for key, value in attributes.items():
            if key.endswith("value") and len(value) > self.chars:  # office:string-value...
                self._lengthen(len(value) - self.chars)

    def _spaces(self, attributes: Attributes) -> None:
        if self.counting:
            self._lengthen(_count(_attribute(attributes, "c", "text")) or 1)

    def _one_char(self, _: Attributes) -> None:
        if self.counting:
            self._lengthen(1)

    def _ods_cell_end(self) -> None:
        self.counting = False
        if self.content or self.chars:
            self.row_content = True
            if self.column > MAX_COLUMNS:
                raise too_many_columns(self.shown, f"{self.place} has a cell in column "
                                                   f"{self.column:,} (row {self.row + 1:,})")

    def _ods_row_end(self) -> None:
        self.row += self.repeat
        if self.row_content and self.row > MAX_ROWS:
            raise too_many_rows(self.shown, f"{self.place} has content in row {self.row:,}")
