"""What the pages show: campaigns, recipients, messages, choices, in the page's language.

Every word is in the page's language, or marked with its own: an office's title comes in
the page's language where the campaign gives one, otherwise in English inside
``<span lang="en">`` (``office_html``); addresses, phone labels and campaign texts carry
the language they are written in. What the campaign file says to organizers (a
recipient's ``missing``, ``adapted``) is not shown to volunteers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from babel import Locale
from markupsafe import Markup, escape

from campaign_letters import wording
from campaign_letters.compose import address, officials
from campaign_letters.compose.countries import country_name
from campaign_letters.compose.letters import LinkList, body_blocks, texts
from campaign_letters.mail import draft
from campaign_letters.model import Campaign, LinkItem, Recipient
from campaign_letters.web import hangul_font
from campaign_letters.wording import NO_ADDRESS, W_, web_text

# CLDR territories with two letters that are not countries one lives in.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


# -- words in the page's language, or marked with their own ---------------------------------

def office_html(recipient: Recipient, page: str, capitalized: bool = False) -> Markup:
    """The office's title in the page's language where the campaign gives one; otherwise
    the English title, marked as English.

    >>> from campaign_letters.model import Recipient
    >>> naju = Recipient("naju-mayor", "copy", (("en", "Mayor of Naju"),
    ...                                         ("da", "borgmester i Naju")))
    >>> office_html(naju, "da", capitalized=True)
    Markup('Borgmester i Naju')
    >>> office_html(naju, "fr")
    Markup('<span lang="en">Mayor of Naju</span>')
    """
    titles = dict(recipient.titles)
    title = titles.get(page) or recipient.office
    if capitalized:
        title = title[:1].upper() + title[1:]
    if page in titles or page == "en":
        return escape(title)
    return Markup('<span lang="en">%s</span>') % title


def with_office_marked(sentence: str, recipient: Recipient, page: str) -> Markup:
    """A sentence written with ``recipient.office_in(page)`` (compose's), the title
    marked as English where it is the English fallback."""
    title = recipient.office_in(page)
    marked = escape(sentence)
    for shown in {title, title[:1].upper() + title[1:]}:
        marked = marked.replace(escape(shown), office_html(recipient, page,
                                                           shown != title))
    return marked


def web_html(page: str, message: str, /, **values: object) -> Markup:
    """A web catalog message in the page's language, its values escaped unless they are
    markup already (an office marked as English)."""
    return escape(wording.gettext(page, message, "web")) % values


def address_language(recipient: Recipient, campaign: Campaign) -> str:
    """The language an address is written in: Korean script, the campaign's local
    language for the partner city's post, English otherwise (Korea Post's romanised
    addresses, Canada's)."""
    if recipient.address_ko is not None:
        return "ko"
    local = [code for code in campaign.languages if code != "en"]
    if local and recipient.address is not None and \
            recipient.address.country == campaign.partner_city.country:
        return local[0]
    return "en"


def label_language(label: str, campaign: Campaign, recipient: Recipient) -> str | None:
    """The language a phone label is most likely in (the campaign does not say): Korean
    for Hangul; otherwise the campaign language whose texts use most of its words, else
    the language of the recipient's address; None for a label without a word."""
    if hangul_font.HANGUL.search(label):
        return "ko"
    words = set(re.findall(r"\w+", label.lower()))
    if not words:
        return None
    scores = {}
    for code, message in campaign.messages.items():
        text = " ".join([message.subject, message.salutation, message.closing,
                         *(item for item in message.body if isinstance(item, str)),
                         *(f"{r.by_name} {r.by_office}" for r in message.references.values()),
                         *(title for language, title in
                           (t for r in campaign.recipients for t in r.titles)
                           if language == code)])
        scores[code] = len(words & set(re.findall(r"\w+", text.lower())))
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] else address_language(recipient, campaign)


# -- what the pages show ------------------------------------------------------------------

@cache
def country_choices(locale: str = "en") -> tuple[tuple[str, str], ...]:
    """(ISO code, name in ``locale``) for every country, sorted by name as people read it."""
    names = Locale.parse(locale).territories
    pairs = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES]

    def key(pair: tuple[str, str]) -> tuple[str, str]:
        folded = unicodedata.normalize("NFKD", pair[1]).encode("ascii", "ignore").decode()
        return (folded.lower() or pair[1], pair[1])  # Hangul sorts by its own order

    return tuple(sorted(pairs, key=key))


def language_choices(campaign: Campaign, page: str) -> list[tuple[str, str]]:
    """The language <select>: automatic, each language, each pair (letter + translation),
    named in the page's language (and each language in its own)."""
    names = Locale.parse(page).languages

    def name(code: str) -> str:
        own = wording.language_name(code, code)
        shown = names.get(code, code)
        return shown if own.lower() == shown.lower() else f"{shown} ({own})"

    choices = [("auto", web_text(page, W_("Automatic (recommended)")))]
    choices += [(code, name(code)) for code in campaign.languages]
    for first in campaign.languages:
        for second in campaign.languages:
            if first != second:
                choices.append((f"{first}+{second}", web_text(
                    page, W_("%(letter)s, with a translation into %(translation)s"),
                    letter=names.get(first, first), translation=names.get(second, second))))
    return choices


def language_hint(campaign: Campaign, page: str) -> Markup:
    """What "automatic" means for this campaign, in a sentence."""
    local = [code for code in campaign.languages if code != "en"]
    names = Locale.parse(page).languages
    if not local:
        return web_html(page, W_("The letters are in English."))
    return web_html(page, W_("Automatic: the letter to %(mayor)s in %(local)s if you live in "
                             "%(country)s, otherwise in English; copies to South Korea in "
                             "English. A pair gives each letter in the first language and a "
                             "translation into the second after it."),
                    mayor=office_html(campaign.primary, page),
                    local=names.get(local[0], local[0]),
                    country=country_name(campaign.partner_city.country, page))


def cities_line(campaign: Campaign, page: str) -> dict[str, Any]:
    korean, partner = campaign.korean_city, campaign.partner_city
    tie = W_("sister cities since %(year)s") if campaign.tie_kind == "sister" else \
        W_("friendship cities since %(year)s")
    return {"korean": korean.name, "korean_ko": korean.name_ko,
            "korean_country": country_name(korean.country, page),
            "partner": partner.name,
            "partner_country": country_name(partner.country, page),
            "tie": web_text(page, tie, year=campaign.tie_year)}


def recipients_view(campaign: Campaign, decisions: dict[str, officials.Addressing],
                    page: str, sender_country: str) -> list[dict[str, Any]]:
    """Who gets a letter, named as the letters name them, with the address lines as the
    envelope window will show them and, where the office is addressed, why."""
    shown = []
    for recipient in campaign.postal_recipients:
        decision = decisions[recipient.id]
        lines = address.recipient_lines(recipient, sender_country, decision)
        # The country line of mail abroad is in English, as the post writes it.
        abroad = recipient.country.upper() != sender_country.upper()
        latin = None
        if recipient.address_ko is not None and recipient.address is not None:
            latin = address.latin_lines(recipient.address, decision)
        holder = decision.holder
        reason = officials.reason_sentence(decision, page)
        shown.append({"office": office_html(recipient, page, capitalized=True),
                      "name": holder.name if holder else None,
                      "lines": lines[:-1] if abroad else lines,
                      "country_line": lines[-1] if abroad else None,
                      "lang": address_language(recipient, campaign),
                      "latin": latin, "emails": recipient.emails, "role": recipient.role,
                      # Korea Post's romanised address, in English.
                      "latin_html": Markup('<span lang="en">%s</span>') % ", ".join(latin)
                      if latin else None,
                      "reason": with_office_marked(reason, recipient, page)
                      if reason else None,
                      "phones": [{"number": p.number, "label": p.label,
                                  "label_lang": label_language(p.label, campaign, recipient)
                                  if p.label else None,
                                  "href": "tel:" + p.number.replace(" ", "")}
                                 for p in recipient.phones]})
    return shown


def missing_view(campaign: Campaign, page: str) -> list[Markup]:
    """A sentence for each recipient who gets no letter: the letters' own words for it
    (wording.NO_ADDRESS, as the command line says it), in the page's language. The
    campaign file's ``missing`` text is the organizers' note and stays in the file."""
    sentences = []
    for recipient in campaign.missing_recipients:
        template = escape(wording.gettext(page, NO_ADDRESS))
        sentences.append(template % {"office": office_html(recipient, page)})
    return sentences


def phone_script_view(campaign: Campaign, page: str) -> dict[str, Any] | None:
    """The campaign's phone script in the page's language where it has one, else in
    English; None without a script or a number to call."""
    if not campaign.phone_script or not any(r.phones for r in campaign.recipients):
        return None
    language = page if page in campaign.phone_script else \
        "en" if "en" in campaign.phone_script else next(iter(campaign.phone_script))
    return {"language": language, "paragraphs": campaign.phone_script[language]}


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


def messages_view(campaign: Campaign, decisions: dict[str, officials.Addressing],
                  page: str) -> list[dict[str, Any]]:
    """Each language's message as the letters will word it (officials named or not)."""
    to, _ = draft.recipient_emails(campaign)
    names = Locale.parse(page).languages
    # A link's title as the English message gives it (a page's own title, often English
    # in every message): where another message gives the same, it is marked English.
    english = {item.link.id: item.label for item in campaign.messages["en"].body
               if isinstance(item, LinkItem)} if "en" in campaign.messages else {}
    views = []
    for code in campaign.languages:
        message, _ = texts(campaign, code, decisions)
        grouped: list[dict[str, Any]] = [
            {"links": [{"label": item.label or item.link.url, "url": _safe_url(item.link.url),
                        "kind": item.link.kind,
                        "lang": "en" if code != "en" and item.label and
                        (item.label == english.get(item.link.id) or
                         item.label == campaign.title) else None}
                       for item in block.links]}
            if isinstance(block, LinkList) else {"text": block}
            for block in body_blocks(message.body)]
        text = draft.message_text(message)
        views.append({"code": code, "name": names.get(code, code),
                      "subject": message.subject, "salutation": message.salutation,
                      "body": grouped, "closing": message.closing,
                      "adapted": campaign.messages[code].adapted,
                      "mailto": draft.mailto_url(message.subject, text, to,
                                                 language=code)})
    return views
