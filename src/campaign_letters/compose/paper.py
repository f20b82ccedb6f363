"""Sheet sizes and where the envelope window is: the numbers behind the address position.

All positions are measured from the sheet's top-left corner, in PostScript points.

Sources:
- DIN 5008:2020 (German letter standard, used across Europe for window envelopes):
  address field 85 x 45 mm, 20 mm from the left edge; its top 45 mm from the top edge
  (form B) or 27 mm (form A); the top 17.7 mm of the field is the return-address and
  note zone, the lower 27.3 mm the recipient's address. Text starts 5 mm inside the field
  (the 25 mm left margin). Fold marks at 105/210 mm (B) and 87/192 mm (A); the punch mark
  halves the sheet at 148.5 mm. A DL window envelope (ISO 269, DIN 680) shows this field.
- US #10 window envelope (4 1/8 x 9 1/2 in): window 4 1/2 x 1 1/8 in, 7/8 in from the
  left and 1/2 in from the bottom (the envelope makers' standard, e.g. USPS Publication
  25 and vendors' #10 window specs). A Letter sheet folded in thirds shows its top panel
  in the window. Allowing 0.46 in of play up and down and 1 in sideways, the band that
  stays visible however the sheet slides is 2.5-3.17 in from the top and 0.875-4.375 in
  from the left (the project's arithmetic, issue 2). Only the recipient goes there.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

# CLDR supplemental measurementData, paperSize "US-Letter": every other territory uses A4.
LETTER_COUNTRIES = frozenset(
    {"US", "CA", "MX", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV", "VE"}
)


@dataclass(frozen=True)
class Box:
    """A rectangle measured from the sheet's top-left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Geometry:
    """Everything the layout needs to know about one paper-and-envelope pairing."""

    paper: str
    envelope: str
    width: float
    height: float
    address_field: Box  # the whole field the window shows
    recipient_zone: Box  # where the recipient's lines go, inside the field
    return_zone: Box | None  # the one-line return address, None where the window has none
    fold_marks: tuple[float, ...]  # from the top
    punch_mark: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    date_top: float  # the place-and-date line's top when it goes below the address field
    # Where the date goes when it fits beside the address field instead (the DIN 5008
    # information block; on Letter, right of where the window can ever reach): the
    # line's top, the leftmost its text may start, and where the text then begins.
    beside_date_top: float
    beside_date_min_left: float
    body_top_after_beside: float
    # The lowest a line above the address field may reach (left of the sender block)
    # and stay hidden by the envelope: where a copy says it is a copy.
    letterhead_bottom: float
    envelope_name: str  # for messages
    # Sheets of 80 g/m2 paper, folded in thirds, that the envelope takes: about five for
    # a DL or a #10 (envelope makers' fill guidance; heavier paper, fewer).
    envelope_sheets: int = 5

    @property
    def text_width(self) -> float:
        return self.width - self.margin_left - self.margin_right


def _din_5008(form: str) -> Geometry:
    field_top = 45 * mm if form == "b" else 27 * mm
    field = Box(20 * mm, field_top, 85 * mm, 45 * mm)
    return_zone_height = 17.7 * mm
    inset = 5 * mm
    return Geometry(
        paper="a4",
        envelope=f"din-5008-{form}",
        width=A4[0],
        height=A4[1],
        address_field=field,
        recipient_zone=Box(field.left + inset, field.top + return_zone_height,
                           field.width - inset, field.height - return_zone_height),
        # The return line sits in the lowest 5 mm of the 17.7 mm zone, right above the
        # recipient, as DIN 5008 places the "Rücksendeangabe".
        return_zone=Box(field.left + inset, field.top + return_zone_height - 5 * mm,
                        field.width - inset, 5 * mm),
        fold_marks=(105 * mm, 210 * mm) if form == "b" else (87 * mm, 192 * mm),
        punch_mark=148.5 * mm,
        margin_left=25 * mm,
        margin_right=20 * mm,
        margin_top=15 * mm,
        margin_bottom=13 * mm,
        date_top=field.bottom + 8.46 * mm,
        beside_date_top=field.bottom - 9 * mm,
        beside_date_min_left=field.right + 5 * mm,
        # DIN 5008: the subject two blank lines (8.46 mm) below the address field.
        body_top_after_beside=field.bottom + 8.46 * mm,
        letterhead_bottom=field.top - 3 * mm,
        envelope_name="DL window envelope",
    )


def _us_10() -> Geometry:
    visible_band = Box(0.875 * inch, 2.5 * inch, 3.5 * inch, 0.67 * inch)
    return Geometry(
        paper="letter",
        envelope="us-10",
        width=LETTER[0],
        height=LETTER[1],
        address_field=visible_band,
        # Text starts at the 0.9 in margin, just inside the always-visible band.
        recipient_zone=Box(0.9 * inch, visible_band.top, 3.475 * inch, visible_band.height),
        return_zone=None,
        fold_marks=(LETTER[1] / 3, 2 * LETTER[1] / 3),
        punch_mark=LETTER[1] / 2,
        # 0.9 in sides and 0.5 in at the foot keep a ~400-word message on one sheet.
        margin_left=0.9 * inch,
        margin_right=0.9 * inch,
        margin_top=0.5 * inch,
        margin_bottom=0.5 * inch,
        # Below the lowest point the window can reach (3.17 + 0.46 in), so a long
        # place name never shows through it.
        date_top=3.75 * inch,
        beside_date_top=2.95 * inch,
        # The window's right edge never passes 4.375 + 1 in of sideways play.
        beside_date_min_left=5.45 * inch,
        body_top_after_beside=3.66 * inch,
        # The window's top edge can slide up to 0.46 in above the visible band.
        letterhead_bottom=visible_band.top - 0.5 * inch,
        envelope_name="#10 window envelope",
    )


GEOMETRIES = {
    ("a4", "din-5008-b"): _din_5008("b"),
    ("a4", "din-5008-a"): _din_5008("a"),
    ("letter", "us-10"): _us_10(),
}

PAPERS = ("auto", "a4", "letter")
ENVELOPES = ("auto", "din-5008-b", "din-5008-a", "us-10")


def default_paper(sender_country: str) -> str:
    """
    >>> default_paper("CA"), default_paper("DK")
    ('letter', 'a4')
    """
    return "letter" if sender_country.upper() in LETTER_COUNTRIES else "a4"


def resolve(paper: str, envelope: str, sender_country: str) -> Geometry:
    """Pick the geometry for ``--paper``/``--envelope`` (either may be ``auto``).

    Raises ValueError with a message naming the options when the pair cannot work.
    """
    if paper == "auto":
        if envelope == "auto":
            paper = default_paper(sender_country)
        else:
            paper = "letter" if envelope == "us-10" else "a4"
    if envelope == "auto":
        envelope = "us-10" if paper == "letter" else "din-5008-b"
    try:
        return GEOMETRIES[(paper, envelope)]
    except KeyError:
        fits = "din-5008-b or din-5008-a" if paper == "a4" else "us-10"
        raise ValueError(
            f"a {envelope} envelope does not go with {paper} paper; use --envelope {fits} "
            f"with --paper {paper}, or leave both on auto"
        ) from None
