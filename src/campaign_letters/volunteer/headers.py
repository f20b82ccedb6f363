"""A roster's header row: which column holds which field. The one table of the headings a
column may have (``HEADINGS``) is here, and only here.

Organizers head their columns as people write, in the languages of the volunteers' page:
"E-mail", "Postcode", "Code postal", "CAP", "우편번호". A heading is matched by its key
(``heading_key``): case folded; accents folded (NFKD, combining marks dropped, then NFC
again, so that a Hangul syllable stays one letter); everything but letters and digits
(spaces, hyphens, underscores, dots, slashes) dropped. "E-mail address", "e_mail  ADDRESS"
and "Email-Address" are one heading; "Città" is "Citta"; "시/군/구" is "시군구".

To accept one more heading, add it to ``HEADINGS`` under its field and language, written
as people write it (messages quote the table): a heading whose key is another field's
stops the import of this module, so one heading can never mean two fields.

What the header may not do, and why:

- two columns for one field ("Email" and "E-mail"): which one is meant is a guess, so it
  is an error naming both;
- parts of a name ("First name", "Nom de famille", "Cognome", "성"): the letters are
  signed with the volunteer's whole name as they write it, and joining parts would guess
  their order (family name first in Korean, and without a space: 김민준), so it is an
  error saying how to make one column headed name;
- a heading the table does not know: a warning (with the closest known one), the column
  is ignored, as before.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import get_close_matches

from campaign_letters.errors import RosterError

FIELDS = ("name", "street", "postal_code", "city", "region", "country", "email", "language",
          "note")
REQUIRED = ("name", "street", "city", "country")

# Each field's headings, by language of the volunteers' page. The field's own name comes
# first (it is what the messages suggest); a heading may repeat across languages.
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "name": {
        "en": ("name", "Full name"),
        "da": ("Navn", "Fulde navn", "Fuldt navn"),
        "it": ("Nome", "Nome e cognome", "Cognome e nome", "Nome completo"),
        "fr": ("Nom", "Nom complet", "Prénom et nom", "Nom et prénom"),
        "ko": ("이름", "성명", "성함"),
    },
    "street": {
        "en": ("street", "Address", "Street address"),
        "da": ("Adresse", "Vej", "Gade"),
        "it": ("Indirizzo", "Via"),
        "fr": ("Adresse", "Rue", "Adresse postale"),
        "ko": ("주소", "도로명주소"),
    },
    "postal_code": {
        "en": ("postal_code", "Postcode", "Post code", "ZIP", "ZIP code"),
        "da": ("Postnummer", "Postnr."),
        "it": ("CAP", "Codice postale"),
        "fr": ("Code postal", "CP"),
        "ko": ("우편번호",),
    },
    "city": {
        "en": ("city", "Town", "Town/City"),
        "da": ("By", "Bynavn", "Postdistrikt"),
        "it": ("Città", "Comune", "Località"),
        "fr": ("Ville", "Commune", "Localité"),
        "ko": ("도시", "시/군/구"),
    },
    # A county is the address's region in Ireland and Britain; in the US the state is,
    # and a roster with both is the two-columns error, which names them.
    "region": {
        "en": ("region", "State", "Province", "County", "State/Province"),
        "da": ("Region",),
        "it": ("Provincia", "Regione", "Sigla provincia"),
        "fr": ("Région", "Province"),
        "ko": ("시도", "시/도", "도"),
    },
    "country": {
        "en": ("country", "Country code"),
        "da": ("Land", "Landekode"),
        "it": ("Paese", "Nazione"),
        "fr": ("Pays", "Code pays"),
        "ko": ("국가", "나라", "국가 코드"),
    },
    "email": {
        "en": ("email", "E-mail", "Email address", "E-mail address", "Mail"),
        "da": ("E-mail", "Mail", "E-mailadresse", "Mailadresse"),
        "it": ("Email", "Indirizzo email", "Indirizzo e-mail", "Posta elettronica"),
        "fr": ("Courriel", "Adresse e-mail", "Adresse courriel", "Adresse mail",
               "Adresse électronique", "Mél"),
        "ko": ("이메일", "전자우편", "이메일 주소", "메일"),
    },
    "language": {
        "en": ("language", "Lang"),
        "da": ("Sprog",),
        "it": ("Lingua",),
        "fr": ("Langue",),
        "ko": ("언어",),
    },
    "note": {
        "en": ("note", "Message", "Personal note"),
        "da": ("Note", "Besked"),
        "it": ("Nota", "Messaggio"),
        "fr": ("Note", "Message"),
        "ko": ("메모", "메시지"),
    },
}

# Headings of part of a name: refused (see above). German too, where rosters often come
# from.
NAME_PARTS: dict[str, tuple[str, ...]] = {
    "en": ("First name", "Given name", "Forename", "Middle name", "Last name", "Surname",
           "Family name"),
    "da": ("Fornavn", "Mellemnavn", "Efternavn"),
    "it": ("Cognome",),
    "fr": ("Prénom", "Nom de famille"),
    "ko": ("성",),
    "de": ("Vorname", "Nachname", "Familienname"),
}

NAME_PART = "(part of a name)"  # a column's "field" when it holds part of a name


def heading_key(cell: str) -> str:
    """What a heading is matched by: case, accents, spaces and punctuation folded.

    >>> heading_key(" E-Mail Address "), heading_key("Città"), heading_key("시/군/구")
    ('emailaddress', 'citta', '시군구')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", cell)
                    if not unicodedata.combining(c))
    return "".join(c for c in unicodedata.normalize("NFC", plain).casefold() if c.isalnum())


def _index() -> dict[str, str]:
    """Each heading's key -> its field (or NAME_PART); a key claimed twice is a bug in the
    table, found when the module is imported."""
    index: dict[str, str] = {}
    claims = [(field, heading) for field, languages in HEADINGS.items()
              for headings in languages.values() for heading in headings]
    claims += [(NAME_PART, heading) for headings in NAME_PARTS.values()
               for heading in headings]
    for field, heading in claims:
        key = heading_key(heading)
        if index.setdefault(key, field) != field:
            raise ValueError(f"the heading {heading!r} is both {index[key]} and {field}")
    return index


FIELD_OF = _index()


def examples(field: str, count: int = 6) -> list[str]:
    """Headings of ``field`` for a message: its name, another English heading, the first of
    each other language, then more; none twice ("email" and "Email" are one)."""
    english, *others = HEADINGS[field].values()
    ordered = [field, *english[1:2], *(headings[0] for headings in others),
               *(heading for headings in HEADINGS[field].values() for heading in headings)]
    shown: dict[str, str] = {}
    for heading in ordered:
        shown.setdefault(heading.casefold(), heading)
    return list(shown.values())[:count]


def column_letter(index: int) -> str:
    """A column's letters as spreadsheets show them: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Header:
    """A roster's header row, read: the field of each column ("" for a column ignored),
    the headings as typed, and the warnings about it."""

    fields: tuple[str, ...]
    cells: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    row: int = 1  # as the spreadsheet shows it

    def column(self, field: str) -> int | None:
        """The index of ``field``'s column, or None."""
        return self.fields.index(field) if field in self.fields else None

    def describe(self, index: int) -> str:
        """How messages name a column: "column 3 'E-mail'"."""
        heading = self.cells[index]
        return f"column {index + 1} {heading!r}" if heading else \
            f"column {index + 1} (no heading)"


def read_header(cells: list[str], shown: str, row: int = 1) -> Header:
    """The header row ``cells`` (row ``row`` of the sheet) read with the table; RosterError
    for a header that cannot be used (two columns for a field, parts of a name, a required
    field missing), each naming the row, the columns and what to do."""
    cells = [cell.strip() for cell in cells]
    found = [FIELD_OF.get(heading_key(cell), "") if cell else "" for cell in cells]
    warnings = [_unknown(shown, row, index, cell) for index, cell in enumerate(cells)
                if cell and not found[index]]
    header = Header(tuple(f if f != NAME_PART else "" for f in found), tuple(cells),
                    tuple(warnings), row)
    _refuse_name_parts(header, [i for i, field in enumerate(found) if field == NAME_PART],
                       shown, row)
    _refuse_twice(header, shown, row)
    missing = [field for field in REQUIRED if field not in header.fields]
    if missing:
        heads = "; ".join(f"{field}: {', '.join(examples(field))}" for field in missing)
        raise RosterError(
            f"{shown}: row {row}: the header has no {', '.join(map(repr, missing))} "
            f"column{'s' * (len(missing) > 1)}; the header row must name the columns "
            f"({', '.join(FIELDS)}), in any order, in English, Danish, Italian, French or "
            f"Korean (e.g. {heads})")
    return header


def _unknown(shown: str, row: int, index: int, cell: str) -> str:
    close = get_close_matches(heading_key(cell), FIELD_OF, n=1, cutoff=0.75)
    field = FIELD_OF[close[0]] if close else ""
    hint = f"; did you mean {field!r}?" if field and field != NAME_PART else \
        f"; known columns: {', '.join(FIELDS)}"
    return f"{shown}: row {row}, column {index + 1}: unknown column {cell!r} is ignored{hint}"


def _refuse_twice(header: Header, shown: str, row: int) -> None:
    for field in FIELDS:
        columns = [i for i, f in enumerate(header.fields) if f == field]
        if len(columns) > 1:
            named = ", ".join(header.describe(i) for i in columns[:-1])
            named += f" and {header.describe(columns[-1])}"
            both = "both" if len(columns) == 2 else "all"
            raise RosterError(f"{shown}: row {row}: {named} are {both} headed as the "
                              f"{field} column, and which one is meant is not guessed: "
                              "keep one, and delete or rename the other"
                              f"{'s' * (len(columns) > 2)}")


def _refuse_name_parts(header: Header, parts: list[int], shown: str, row: int
                       ) -> None:
    if not parts:
        return
    name = header.column("name")
    held = " and ".join(header.describe(i) for i in parts)
    together = sorted([*parts, *([name] if name is not None else [])])
    formula = '&" "&'.join(f"{column_letter(i)}{row + 1}" for i in together)
    rest = f", so {header.describe(name)} may hold only the rest of it" \
        if name is not None else ""
    parts_of = "holds part" if len(parts) == 1 else "hold parts"
    raise RosterError(
        f"{shown}: row {row}: {held} {parts_of} of a name{rest}; the letters are signed "
        "with the volunteer's whole name as they write it, and the order of its parts is "
        "not guessed: put each whole name in one column headed name (in the spreadsheet, a "
        f'new column with e.g. ={formula}, the parts in the order the volunteer signs), '
        f"then delete or rename {held}")
