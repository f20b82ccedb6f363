"""What the pages show: campaigns, recipients, messages, choices, in the page's language."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from babel import Locale

from campaign_letters import wording
from campaign_letters.compose import address, officials
from campaign_letters.compose.countries import country_name
from campaign_letters.compose.letters import LinkList, body_blocks, texts
from campaign_letters.mail import draft
from campaign_letters.model import Campaign
from campaign_letters.wording import W_, web_text

# CLDR territories with two letters that are not countries one lives in.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


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


def language_hint(campaign: Campaign, page: str) -> str:
    """What "automatic" means for this campaign, in a sentence."""
    local = [code for code in campaign.languages if code != "en"]
    names = Locale.parse(page).languages
    if not local:
        return web_text(page, W_("The letters are in English."))
    return web_text(page, W_("Automatic: the letter to %(mayor)s in %(local)s if you live in "
                             "%(country)s, otherwise in English; copies to South Korea in "
                             "English. A pair gives each letter in the first language and a "
                             "translation into the second after it."),
                    mayor=campaign.primary.office_in(page),
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
        latin = None
        if recipient.address_ko is not None and recipient.address is not None:
            latin = address.latin_lines(recipient.address, decision)
        holder = decision.holder
        office = recipient.office_in(page)
        shown.append({"office": office[:1].upper() + office[1:],
                      "name": holder.name if holder else None,
                      "lines": lines, "is_korean": recipient.address_ko is not None,
                      "latin": latin, "emails": recipient.emails, "role": recipient.role,
                      "reason": officials.reason_sentence(decision, page),
                      "phones": [{"number": p.number, "label": p.label,
                                  "href": "tel:" + p.number.replace(" ", "")}
                                 for p in recipient.phones]})
    return shown


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
    views = []
    for code in campaign.languages:
        message, _ = texts(campaign, code, decisions)
        grouped: list[dict[str, Any]] = [
            {"links": [{"label": item.label or item.link.url, "url": _safe_url(item.link.url),
                        "kind": item.link.kind} for item in block.links]}
            if isinstance(block, LinkList) else {"text": block}
            for block in body_blocks(message.body)]
        text = draft.message_text(message)
        views.append({"code": code, "name": names.get(code, code),
                      "subject": message.subject, "salutation": message.salutation,
                      "body": grouped, "closing": message.closing,
                      "adapted": campaign.messages[code].adapted,
                      "mailto": draft.mailto_url(message.subject, text, to)})
    return views
