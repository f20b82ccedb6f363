"""The tool's own words, translated through gettext catalogs.

Campaign text comes from the campaign file; these are the tool's own labels. Two
catalogs (gettext domains) live in ``locale/<lang>/LC_MESSAGES/``, managed with Babel
(see README, "Translating"): ``messages.po``, what the letters print and what a volunteer
is told about them; ``web.po``, the volunteers' web page and its messages (marked ``W_``
in Python, ``_()`` and ``{% trans %}`` in templates). They are read with Babel at first
use, once per language and process. A language without a catalog prints English, and
``check`` warns.
"""

from __future__ import annotations

from functools import cache
from gettext import c2py
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Mark a message of the letters' catalog for extraction, not translating it here."""
    return message


def W_(message: str) -> str:
    """Mark a message of the web page's catalog for extraction, not translating it here."""
    return message


COPY_TO = N_("Copy to:")
# Above the salutation of each letter to someone other than the main addressee.
COPY_OF = N_("Copy of the letter sent to: %(recipient)s")
# The Korean word for "copy", put before the heading of copies posted to South Korea.
COPY_MARK = N_("Copy")
PAGE_OF = N_("Page %(page)s of %(pages)s")
TRANSLATION = N_("Translation (%(language)s)")

# What a volunteer is told when the letters address an office rather than a person.
# %(office)s is the office's title in the volunteer's language ("Mayor of Naju").
BY_OFFICE_UNCONFIRMED = N_("Nobody has confirmed who is %(office)s since the election of "
                           "%(date)s, so the letters address the office, not a name.")
BY_OFFICE_STALE = N_("Nobody has confirmed who is %(office)s since %(date)s, over %(years)s years "
                     "ago, so the letters address the office, not a name.")
BY_OFFICE_ACTING = N_("%(office)s is held by an acting official, so the letters address the "
                      "office, not a name.")
BY_OFFICE_NOT_YET = N_("The holder the campaign names for %(office)s takes office on "
                       "%(date)s, so the letters address the office, not a name.")
BY_OFFICE_NO_HOLDER = N_("The campaign does not say who is %(office)s, so the letters "
                         "address the office, not a name.")
NO_ADDRESS = N_("No letter goes to %(office)s: the campaign has no postal address for it.")

# A --language (or the page's language field) the campaign has no message in: what to
# choose, and why no other. %(value)s is the code as given ('ko'), %(codes)s the
# campaign's codes ("en, da"), %(pair)s a pair of them ("da+en"), %(languages)s the
# languages by name in the message's language ("English and Danish").
LANGUAGE_NOT_IN_CAMPAIGN = N_("%(value)s is not a language of campaign %(campaign)s; choose "
                              "one of %(codes)s (or a pair such as %(pair)s): the "
                              "campaign's message is written in %(languages)s only, and "
                              "the letters print it as written.")
# The same for a campaign with one language.
LANGUAGE_NOT_IN_CAMPAIGN_ONE = N_("%(value)s is not a language of campaign %(campaign)s; it "
                                  "has only %(codes)s: the campaign's message is written in "
                                  "%(languages)s only, and the letters print it as written.")
# Added when the language asked for is that of recipients abroad (Korean, for the copies
# to South Korea): what the letters to them are in without a choice.
COPIES_IN_ENGLISH = N_("By default the copies to %(country)s go in English, which their "
                       "city halls read.")


@cache
def _messages_catalog(language: str, domain: str = "messages") -> Catalog | None:
    if not language.isalpha():
        return None
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=domain)


def has_labels(language: str) -> bool:
    return language == "en" or _messages_catalog(language) is not None


def gettext(language: str, message: str, domain: str = "messages") -> str:
    """``message`` in ``language``, English when there is no translation."""
    catalog = _messages_catalog(language, domain)
    entry = catalog.get(message) if catalog is not None else None
    if entry is None or entry.fuzzy or not entry.string:
        return message
    return entry.string if isinstance(entry.string, str) else entry.string[0]


def ngettext(language: str, singular: str, plural: str, count: int,
             domain: str = "messages") -> str:
    catalog = _messages_catalog(language, domain)
    entry = catalog.get((singular, plural)) if catalog is not None else None
    if entry is None or entry.fuzzy or not isinstance(entry.string, tuple) or \
            not all(entry.string):
        return singular if count == 1 else plural
    assert catalog is not None  # an entry was found in it
    # The catalog's plural rule (CLDR's, as Babel writes it in the .po header) picks the form.
    index = c2py(catalog.plural_expr)(count)
    return entry.string[min(index, len(entry.string) - 1)]


def translate(language: str, message: str, /, **values: object) -> str:
    """``message`` in ``language`` (English when there is no translation), filled in.

    >>> translate("da", PAGE_OF, page=2, pages=3)
    'Side 2 af 3'
    >>> translate("xx", COPY_TO)
    'Copy to:'
    """
    text = gettext(language, message)
    return text % values if values else text


def web_text(language: str, message: str, /, **values: object) -> str:
    """A web page message (the ``web`` catalog) in ``language``, filled in."""
    text = gettext(language, message, "web")
    return text % values if values else text


def language_name(code: str, in_language: str) -> str:
    """
    >>> language_name("en", "da")
    'engelsk'
    """
    return Locale.parse(in_language).languages.get(code, code)
