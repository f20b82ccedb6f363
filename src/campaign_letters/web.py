"""The volunteers' web page: pick a campaign, fill in a form, get the letters.

In: HTTP requests. Out: HTML pages, the letters' PDF, an e-mail draft. The work happens
elsewhere (``sender`` checks the fields, ``produce`` makes the letters, ``mailer`` the
draft); this module reads forms, says what is wrong in the CLI's words and picks the
response. Starlette app, served by uvicorn::

    GET  /                              the campaigns
    GET  /campaigns/{id}                recipients, the message, the form (?country=IT)
    POST /campaigns/{id}                the form's buttons: action=pdf, preview or eml;
                                        with errors, the form again at the same address
    POST /campaigns/{id}/letters.pdf    the letters (attachment; ?inline=1 to preview)
    POST /campaigns/{id}/letters.eml    an e-mail draft with the letters attached
    GET  /campaigns/{id}/letters.*      back to the campaign page (303), never a 405
    GET  /fonts/hangul.woff2            the Hangul web font, made from the bundled face
    GET  /healthz                       "ok"
    GET  /metrics                       Prometheus text (not through the shipped proxy)

Every page is in the volunteer's language (en, da, it, fr, ko): ``?lang=`` when given,
else the browser's Accept-Language, else English; links and forms carry it on.

Campaigns load when the app is made and follow their folder's changes (campaign_folder).
A campaign id is looked up in the loaded dict and nowhere else, so no URL can name a
file. Request bodies are capped at 64 KB as they arrive; PDF rendering runs in worker
threads behind a bounded limiter. For the public (``Settings``): a per-client rate limit
on the letters shared by all worker processes (ratelimit), a bounded render queue that
answers 503 at once when full, a time limit on every request, access lines without
query strings or bodies, and counts for /metrics (metrics).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sys
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import jinja2
from babel import Locale
from babel.numbers import format_decimal
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import address, labels, mailer, metrics, officials, web_fonts
from .campaign_folder import CampaignFolder
from .compose import LinkList, body_blocks, choose_language, parse_languages, texts
from .errors import CampaignError, InputError
from .filenames import letters_filename
from .labels import W_, web_text
from .model import Campaign, Sender
from .paper import PAPERS
from .produce import produce_letters
from .ratelimit import RateLimiter
from .sender import (
    MAX_LENGTH,
    MAX_NOTE_CHARS,
    MAX_STREET_LINES,
    SENDER_FIELDS,
    check_sender,
    clean_note,
)
from .web_form import address_fields

logger = logging.getLogger("campaign_letters.web")
access_logger = logging.getLogger("campaign_letters.access")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
MAX_BODY_BYTES = 64 * 1024
DRAIN_BYTES = 1024 * 1024  # a refused body up to this size is read to its end first
# PDF renders at once: CPU-bound, so a few threads are enough on a small machine, and the
# rest of the thread pool stays free for everything else.
RENDER_THREADS = 4

# The form's fields, named like the CLI's options (--postal-code -> postal_code).
FIELDS = ("name", "street", "postal_code", "city", "region", "country", "email", "language",
          "note", "paper")
# Labels of the fields that do not depend on the country (web_form words the others).
LABELS = {"name": W_("Name"), "street": W_("Street address"),
          "postal_code": W_("Postal code"), "city": W_("City"), "region": W_("Region"),
          "country": W_("Country"), "email": W_("E-mail"), "language": W_("Language"),
          "note": W_("Personal paragraph"), "paper": W_("Paper")}
# The pages' languages: each has a web catalog (locale/<lang>/LC_MESSAGES/web.po).
LANGUAGES = ("en", "da", "it", "fr", "ko")
# The letters are the volunteer's own: never stored on the way. The connection closes
# after them: worker processes take connections as they come, so a kept-alive connection
# would pin all of one client's renders to one process; a new one goes to whichever is free.
LETTERS_HEADERS = {"Cache-Control": "no-store", "Connection": "close"}
ACTIONS = ("pdf", "preview", "eml")
# What the browser lets a person type; the server checks the real limits (sender.py).
MAXLENGTH = {**MAX_LENGTH, "street": MAX_STREET_LINES * (MAX_LENGTH["street"] + 1),
             "note": MAX_NOTE_CHARS}
PAPER_CHOICES = {"auto": W_("Automatic: the usual size where you live"),
                 "a4": W_("A4, for a DL window envelope"),
                 "letter": W_("US Letter, for a #10 window envelope")}
PAPER_HINT = W_("Automatic gives US Letter in the US, Canada, Mexico, Central America, "
                "Colombia, Venezuela, Chile and the Philippines, and A4 everywhere else.")
# CLDR territories with two letters that are not countries one lives in.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
HTML_SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
     b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
]


# -- campaigns ----------------------------------------------------------------------------

def load_campaigns(directory: str | Path | None = None) -> dict[str, Campaign]:
    """Every campaign to offer, by id: the bundled ones, or every DIR/*.yaml that loads.

    A file with errors is skipped with a logged warning naming its problems.
    """
    return CampaignFolder(Path(directory) if directory is not None else None).current()


@dataclass(frozen=True)
class Settings:
    """How the server protects itself when it is open to the public (``serve``)."""

    rate_limit: int = 0  # letter requests a minute per client, over all workers; 0: none
    rate_memory: str | None = None  # the shared block serve made for the rate limit
    max_queue: int = 32  # renders waiting or running in one worker; more: 503 at once
    request_timeout: float = 30.0  # seconds for any request
    json_logs: bool = False

    @classmethod
    def from_environment(cls) -> Settings:
        """What ``serve`` hands its worker processes (CAMPAIGN_LETTERS_*)."""
        env = os.environ
        return cls(rate_limit=int(env.get("CAMPAIGN_LETTERS_RATE_LIMIT", "0")),
                   rate_memory=env.get("CAMPAIGN_LETTERS_RATE_MEMORY") or None,
                   max_queue=int(env.get("CAMPAIGN_LETTERS_MAX_QUEUE", "32")),
                   request_timeout=float(env.get("CAMPAIGN_LETTERS_TIMEOUT", "30")),
                   json_logs=env.get("CAMPAIGN_LETTERS_LOG_FORMAT") == "json")


# -- the page's language --------------------------------------------------------------------

def page_language(request: Request) -> str:
    """``?lang=`` when it names a page language, else the browser's first choice that
    does (Accept-Language, by quality), else English."""
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return negotiate(request.headers.get("accept-language", ""))


def negotiate(header: str) -> str:
    """
    >>> negotiate("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")
    'fr'
    >>> negotiate("de-DE,de;q=0.9,da;q=0.4")
    'da'
    >>> negotiate("")
    'en'
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else "en"


class _Translations:
    """What Jinja2's i18n extension calls: the web catalog of one language."""

    def __init__(self, language: str):
        self.language = language

    def gettext(self, message: str) -> str:
        return labels.gettext(self.language, message, "web")

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return labels.ngettext(self.language, singular, plural, count, "web")


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
        own = labels.language_name(code, code)
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
                    country=address.country_name(campaign.partner_city.country, page))


def cities_line(campaign: Campaign, page: str) -> dict[str, Any]:
    korean, partner = campaign.korean_city, campaign.partner_city
    tie = W_("sister cities since %(year)s") if campaign.tie_kind == "sister" else \
        W_("friendship cities since %(year)s")
    return {"korean": korean.name, "korean_ko": korean.name_ko,
            "korean_country": address.country_name(korean.country, page),
            "partner": partner.name,
            "partner_country": address.country_name(partner.country, page),
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
    to, _ = mailer.recipient_emails(campaign)
    names = Locale.parse(page).languages
    views = []
    for code in campaign.languages:
        message, _ = texts(campaign, code, decisions)
        grouped: list[dict[str, Any]] = [
            {"links": [{"label": item.label or item.link.url, "url": _safe_url(item.link.url),
                        "kind": item.link.kind} for item in block.links]}
            if isinstance(block, LinkList) else {"text": block}
            for block in body_blocks(message.body)]
        text = mailer.message_text(message)
        views.append({"code": code, "name": names.get(code, code),
                      "subject": message.subject, "salutation": message.salutation,
                      "body": grouped, "closing": message.closing,
                      "adapted": campaign.messages[code].adapted,
                      "mailto": mailer.mailto_url(message.subject, text, to)})
    return views


# -- templates ----------------------------------------------------------------------------

@cache
def make_environment(language: str = "en") -> jinja2.Environment:
    """The templates, with ``_()`` and ``{% trans %}`` in ``language`` (one per language:
    the environment's translations are global to it)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(_Translations(language),  # type: ignore[attr-defined]
                                     newstyle=True)
    env.filters["format_number"] = lambda number, locale: format_decimal(number, locale=locale)
    return env


@dataclass
class WebApp:
    """The campaigns, settings and shared state behind one Starlette app."""

    source: CampaignFolder | dict[str, Campaign]
    stylesheet: bytes
    today: Callable[[], dt.date] = dt.date.today
    settings: Settings = Settings()
    limiter: anyio.CapacityLimiter | None = None
    rate: RateLimiter | None = None
    rendering: int = 0  # renders waiting or running in this process

    @property
    def campaigns(self) -> dict[str, Campaign]:
        if isinstance(self.source, CampaignFolder):
            return self.source.current()
        return self.source

    def page(self, request: Request, template: str, status_code: int = 200,
             headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        language = page_language(request)
        root = request.scope.get("root_path", "")
        path = request.url.path[len(root):] if request.url.path.startswith(root) else "/"

        def link(target: str, **params: str) -> str:
            """An address on this site that keeps the page's language."""
            query = "&".join(f"{k}={quote(v, safe='')}" for k, v in
                             {"lang": language, **params}.items() if v)
            return f"{root}{target}?{query}" if query else f"{root}{target}"

        # The same page in each language (a form with errors: the empty form again).
        kept = {"country": request.query_params["country"]} \
            if "country" in request.query_params else {}
        switch = [{"code": code, "name": labels.language_name(code, code),
                   "href": link(path, lang=code, **kept), "current": code == language}
                  for code in LANGUAGES]
        html = make_environment(language).get_template(template).render(
            root=root, lang=language, link=link, languages=switch,
            label=lambda field: web_text(language, LABELS[field]), **context)
        return HTMLResponse(html, status_code=status_code, headers=headers)

    def campaign_or_404(self, request: Request) -> Campaign:
        campaign = self.campaigns.get(request.path_params["campaign_id"])
        if campaign is None:
            metrics.ERRORS.labels("not_found").inc()
            language = page_language(request)
            raise HTTPException(404, web_text(language, W_(
                "There is no campaign %(id)s here; see the list of campaigns."),
                id=repr(request.path_params["campaign_id"])))
        return campaign

    # -- pages --------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        language = page_language(request)
        items = [{"campaign": c, "cities": cities_line(c, language)}
                 for c in self.campaigns.values()]
        return self.page(request, "index.html", items=items)

    async def campaign_page(self, request: Request) -> Response:
        campaign = self.campaign_or_404(request)
        values = default_values(campaign)
        country = request.query_params.get("country", "").strip().upper()
        if country in dict(country_choices("en")):
            values["country"] = country
        return self.campaign_form(request, campaign, values, {})

    def campaign_form(self, request: Request, campaign: Campaign, values: dict[str, str],
                      errors: dict[str | None, str], status: int = 200) -> HTMLResponse:
        language = page_language(request)
        to, cc = mailer.recipient_emails(campaign)
        decisions = officials.decide_all(campaign, self.today())
        countries = dict(country_choices(language))
        country = values["country"].strip().upper()
        if country not in countries:
            country = campaign.partner_city.country
        fields = {f.name: f for f in address_fields(country, language)}
        requested = values["language"].strip()
        try:
            letter_language = choose_language(
                campaign, country, None if requested in ("", "auto") else requested)
        except InputError:
            letter_language = choose_language(campaign, country, None)
        letter_language = letter_language.split("+")[0]
        return self.page(
            request, "campaign.html", status,
            campaign=campaign, cities=cities_line(campaign, language),
            recipients=recipients_view(campaign, decisions, language, country),
            missing=[{"office": web_text(language, W_("No letter can be made for %(office)s:"),
                                         office=r.office_in(language)),
                      "reason": r.missing}
                     for r in campaign.missing_recipients],
            messages=messages_view(campaign, decisions, language),
            open_message=letter_language, values=values, errors=errors,
            error_labels={f: (fields[f].label if f in fields else
                              web_text(language, LABELS[f])) for f in errors if f},
            country=country, country_name=countries[country],
            countries=tuple(countries.items()), address_fields=list(fields.values()),
            languages_choice=language_choices(campaign, language),
            language_hint=language_hint(campaign, language),
            papers={k: web_text(language, v) for k, v in PAPER_CHOICES.items()},
            paper_hint=web_text(language, PAPER_HINT), maxlength=MAXLENGTH,
            email_to=to + cc, phone_script=phone_script_view(campaign, language),
            no_emails_note=web_text(language, mailer.NO_EMAILS_NOTE))

    async def healthz(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    async def metrics_text(self, request: Request) -> Response:
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type.split(";")[0],
                        headers={"Cache-Control": "no-store"})

    async def stylesheet_file(self, request: Request) -> Response:
        return Response(self.stylesheet, media_type="text/css",
                        headers={"Cache-Control": "public, max-age=3600"})

    async def hangul_font(self, request: Request) -> Response:
        data = await anyio.to_thread.run_sync(web_fonts.hangul_woff2,
                                              web_fonts.page_hangul(self.campaigns))
        return Response(data, media_type="font/woff2",
                        headers={"Cache-Control": "public, max-age=86400"})

    # -- letters ------------------------------------------------------------------------

    async def submit(self, request: Request) -> Response:
        """The form's buttons post here, so that after an error the address is still
        the campaign page: reloading it shows the form again, never a 405."""
        campaign = self.campaign_or_404(request)
        refused = await self.refuse_if_over_limit(request)
        if refused is not None:
            return refused
        values = await read_fields(request)
        action = values.pop("action", "") or "pdf"
        if action == "eml":
            return await self.deliver_eml(request, campaign, values)
        return await self.deliver_pdf(request, campaign, values, inline=action == "preview")

    async def letters_pdf(self, request: Request) -> Response:
        campaign = self.campaign_or_404(request)
        refused = await self.refuse_if_over_limit(request)
        if refused is not None:
            return refused
        values = await read_fields(request)
        return await self.deliver_pdf(request, campaign, values,
                                      inline=request.query_params.get("inline") == "1")

    async def letters_eml(self, request: Request) -> Response:
        campaign = self.campaign_or_404(request)
        refused = await self.refuse_if_over_limit(request)
        if refused is not None:
            return refused
        return await self.deliver_eml(request, campaign, await read_fields(request))

    async def refuse_if_over_limit(self, request: Request) -> Response | None:
        """429 with Retry-After when this client has asked for too many letters in the
        last minute (the body is read first, so the answer is not lost to a reset)."""
        if self.rate is None:
            return None
        client = request.client.host if request.client else "unknown"
        verdict = self.rate.check(client)
        if verdict.allowed:
            return None
        await request.body()
        metrics.RATE_LIMITED.inc()
        metrics.ERRORS.labels("rate_limited").inc()
        language = page_language(request)
        message = web_text(language, W_(
            "You have asked for many letters in a short time. Please wait %(seconds)s "
            "seconds, then try again."), seconds=verdict.retry_after)
        return self.error_response(request, 429, message,
                                   {"Retry-After": str(verdict.retry_after)})

    async def back_to_form(self, request: Request) -> Response:
        """A GET of a letters address (a reload, a bookmark): the campaign page."""
        campaign = self.campaign_or_404(request)
        target = f"{request.scope.get('root_path', '')}/campaigns/{campaign.id}"
        if "lang" in request.query_params:
            target += f"?lang={quote(page_language(request))}"
        return RedirectResponse(target, status_code=303)

    async def deliver_pdf(self, request: Request, campaign: Campaign, values: dict[str, str],
                          inline: bool) -> Response:
        made = await self.make_letters(request, campaign, values)
        if isinstance(made, Response):
            return made
        pack, sender_name = made
        metrics.PDFS.labels(campaign.id, "preview" if inline else "pdf").inc()
        kind = "inline" if inline else "attachment"
        return Response(pack.pdf, media_type="application/pdf", headers={
            "Content-Disposition": content_disposition(kind, campaign.id, sender_name, "pdf"),
            **LETTERS_HEADERS})

    async def deliver_eml(self, request: Request, campaign: Campaign,
                          values: dict[str, str]) -> Response:
        made = await self.make_letters(request, campaign, values, for_email=True)
        if isinstance(made, Response):
            return made
        draft, sender_name = made
        metrics.PDFS.labels(campaign.id, "eml").inc()
        return Response(draft, media_type="message/rfc822", headers={
            "Content-Disposition": content_disposition("attachment", campaign.id,
                                                       sender_name, "eml"),
            **LETTERS_HEADERS})

    async def make_letters(self, request: Request, campaign: Campaign, values: dict[str, str],
                           for_email: bool = False) -> Response | tuple[Any, str]:
        """The pack (or the draft's bytes) and the sender's name, or the form with errors."""
        language_of_page = page_language(request)
        sender, errors = check_fields(campaign, values, language_of_page)
        if sender is not None and not errors:
            if self.rendering >= self.settings.max_queue:
                metrics.ERRORS.labels("queue_full").inc()
                return self.error_response(request, 503, web_text(language_of_page, W_(
                    "Many volunteers are making letters right now. Please try again in a "
                    "few seconds.")), {"Retry-After": "5"})
            try:
                note = clean_note(values["note"])
                language: str | None = values["language"].strip()
                if language in ("", "auto"):
                    language = None

                def work() -> Any:
                    started = time.perf_counter()
                    pack = produce_letters(campaign, sender, date=self.today(),
                                           language=language, paper=values["paper"] or "auto",
                                           note=note)
                    metrics.RENDER_SECONDS.observe(time.perf_counter() - started)
                    metrics.LETTERS.labels(campaign.id).inc(len(pack.letters))
                    return mailer.make_draft(campaign, sender, pack) if for_email else pack

                self.rendering += 1
                metrics.QUEUE.inc()
                try:
                    with anyio.fail_after(self.settings.request_timeout):
                        result = await anyio.to_thread.run_sync(work, limiter=self.limiter,
                                                                abandon_on_cancel=True)
                finally:
                    self.rendering -= 1
                    metrics.QUEUE.dec()
                return result, sender.name
            except TimeoutError:
                metrics.ERRORS.labels("timeout").inc()
                return self.error_response(request, 503, web_text(language_of_page, W_(
                    "Making your letters took too long. Please try again in a moment.")),
                    {"Retry-After": "10"})
            except InputError as exc:
                errors[exc.field if exc.field in FIELDS else None] = \
                    exc.localized(language_of_page)
            except CampaignError as exc:  # LayoutError and the like: no single field
                errors[None] = str(exc)
        metrics.ERRORS.labels("invalid").inc()
        if wants_json(request):
            return JSONResponse({"errors": [{"field": field, "message": message}
                                            for field, message in errors.items()]},
                                status_code=400)
        return self.campaign_form(request, campaign, values, errors, status=400)

    # -- errors -------------------------------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        detail = exc.detail
        if exc.status_code == 405:
            detail = web_text(page_language(request), W_(
                "This address only takes the form's buttons; go back to the campaign page."))
        return self.error_response(request, exc.status_code, detail, exc.headers)

    def error_response(self, request: Request, status: int, message: str,
                       headers: dict[str, str] | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"errors": [{"field": None, "message": message}]},
                                status_code=status, headers=headers)
        return self.page(request, "error.html", status, headers, status=status,
                         message=message)


def default_values(campaign: Campaign) -> dict[str, str]:
    values = dict.fromkeys(FIELDS, "")
    values.update(country=campaign.partner_city.country, language="auto", paper="auto")
    return values


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def read_fields(request: Request) -> dict[str, str]:
    """The form's text fields (missing ones empty) and its button's ``action``; files and
    other fields are ignored."""
    values = dict.fromkeys(FIELDS, "")
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded",
                                    "multipart/form-data")):
        return values
    form: FormData
    async with request.form(max_files=0, max_fields=4 * len(FIELDS),
                            max_part_size=MAX_BODY_BYTES) as form:
        for field in FIELDS:
            value = form.get(field)
            values[field] = value if isinstance(value, str) else ""
        action = form.get("action")
        if isinstance(action, str) and action in ACTIONS:
            values["action"] = action
    return values


def check_fields(campaign: Campaign, values: dict[str, str], language: str = "en"
                 ) -> tuple[Sender | None, dict[str | None, str]]:
    """The sender, and every problem of the form at once, in the page's language (the
    CLI's words, translated): the sender's fields (``sender.check_sender``), then the
    note, the language and the paper."""
    sender, found = check_sender({field: values[field] for field in SENDER_FIELDS})
    errors: dict[str | None, str] = {field: exc.localized(language)
                                     for field, exc in found.items()}
    try:
        clean_note(values["note"])
    except InputError as exc:
        errors["note"] = exc.localized(language)
    requested = values["language"].strip()
    if requested not in ("", "auto"):
        try:
            parse_languages(campaign, requested)
        except InputError as exc:
            errors["language"] = exc.localized(language)
    if values["paper"] not in ("", *PAPERS):
        errors["paper"] = web_text(language, W_("%(value)r is not one of %(choices)s"),
                                   value=values["paper"], choices=", ".join(PAPERS))
    if errors:
        sender = None
    return sender, {field: errors[field] for field in FIELDS if field in errors}


def content_disposition(kind: str, campaign_id: str, sender_name: str, extension: str) -> str:
    """``attachment; filename="letters-….pdf"``, plus ``filename*`` (RFC 5987) for a name
    that ASCII cannot spell."""
    plain = letters_filename(campaign_id, sender_name, extension)
    full = letters_filename(campaign_id, sender_name, extension, ascii_only=False)
    value = f'{kind}; filename="{plain}"'
    if full != plain:
        value += f"; filename*=UTF-8''{quote(full, safe='')}"
    return value


# -- middleware ---------------------------------------------------------------------------

TOO_LARGE = W_("The form is too large: at most %(size)s KB can be sent. Shorten your "
               "personal paragraph.")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, language: str = "en"):
        super().__init__(413, web_text(language, TOO_LARGE, size=limit // 1024))


class BodyLimitMiddleware:
    """413 for request bodies over ``limit`` bytes, declared or not.

    A declared Content-Length over the limit is refused before reading; otherwise the
    receive channel counts the bytes as they arrive and raises ``BodyTooLarge`` (an
    HTTPException the app turns into a 413 page) as soon as they pass the limit, so a
    chunked upload is never read past it.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES,
                 on_reject: Callable[[Scope, int], Response] | None = None):
        self.app = app
        self.limit = limit
        self.on_reject = on_reject

    def reject(self, scope: Scope) -> Response:
        if self.on_reject is not None:
            return self.on_reject(scope, self.limit)
        return PlainTextResponse(BodyTooLarge(self.limit).detail, status_code=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        try:
            too_long = declared is not None and int(declared) > self.limit
        except ValueError:
            too_long = False  # the server refuses a malformed length itself
        if too_long:
            if int(declared) <= DRAIN_BYTES:
                await _drain(receive, DRAIN_BYTES)
            await self.reject(scope)(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await _drain(receive, DRAIN_BYTES - received)
            await self.reject(scope)(scope, receive, send)


async def _drain(receive: Receive, most: int) -> None:
    """Read and drop what is left of a refused body, up to ``most`` bytes.

    A server that answers and closes while the client is still sending leaves unread
    bytes, and the kernel then resets the connection: the client may lose the 413 page
    itself (seen under load). Reading a bounded rest first lets the answer arrive; a
    bigger body is cut off as before."""
    while most > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        most -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class SecurityHeadersMiddleware:
    """nosniff and no referrer on every response; a strict CSP on HTML pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                content_type = dict(headers).get(b"content-type", b"")
                extra = list(SECURITY_HEADERS)
                if content_type.startswith(b"text/html"):
                    extra += HTML_SECURITY_HEADERS
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- the app ------------------------------------------------------------------------------

class AccessLogMiddleware:
    """A time limit on every request (503 if nothing was answered in time), and one access
    line per request: method, path, status, duration. Never the query string or the body,
    where volunteers' details travel."""

    def __init__(self, app: ASGIApp, timeout: float = 30.0):
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [0]

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            with anyio.fail_after(self.timeout):
                await self.app(scope, receive, send_noting_status)
        except TimeoutError:
            metrics.ERRORS.labels("timeout").inc()
            if not status[0]:
                status[0] = 503
                await send_noting_status({"type": "http.response.start", "status": 503,
                                          "headers": [(b"content-type",
                                                       b"text/plain; charset=utf-8"),
                                                      (b"retry-after", b"10")]})
                await send({"type": "http.response.body",
                            "body": b"The request took too long; please try again."})
        finally:
            if status[0] >= 500:
                metrics.ERRORS.labels("server" if status[0] == 500 else "unavailable").inc()
            access_logger.info("%s %s %s %.0f ms", scope.get("method", ""),
                               scope.get("path", ""), status[0] or "-",
                               (time.perf_counter() - started) * 1000)


def create_app(campaigns_dir: str | Path | None = None, *,
               campaigns: dict[str, Campaign] | None = None,
               today: Callable[[], dt.date] = dt.date.today,
               render_threads: int = RENDER_THREADS,
               settings: Settings | None = None) -> Starlette:
    """The web app, with its campaigns loaded now (from ``campaigns_dir``, else bundled).

    Args:
        campaigns_dir: a folder of ``*.yaml`` campaign files, followed while the app runs;
            None for the bundled ones.
        campaigns: campaigns already loaded (tests); overrides ``campaigns_dir``.
        today: the date printed on the letters.
        render_threads: how many PDFs render at once.
        settings: the public server's limits (``serve``); none by default.
    """
    settings = settings or Settings()
    source: CampaignFolder | dict[str, Campaign] = campaigns if campaigns is not None \
        else CampaignFolder(Path(campaigns_dir) if campaigns_dir is not None else None)
    web = WebApp(source=source, stylesheet=(TEMPLATES_DIR / "style.css").read_bytes(),
                 today=today, settings=settings)
    if settings.rate_limit > 0:
        web.rate = RateLimiter.attach(settings.rate_memory, settings.rate_limit) \
            if settings.rate_memory else RateLimiter.create(settings.rate_limit)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Made inside the event loop that will use it.
        web.limiter = anyio.CapacityLimiter(render_threads)
        try:
            yield
        finally:
            if web.rate is not None:
                web.rate.close()
                web.rate = None

    def reject(scope: Scope, limit: int) -> Response:
        request = Request(scope)
        metrics.ERRORS.labels("too_large").inc()
        return web.error_response(request, 413,
                                  BodyTooLarge(limit, page_language(request)).detail)

    routes = [
        Route("/", web.index, name="index"),
        Route("/campaigns/{campaign_id}", web.campaign_page, name="campaign"),
        Route("/campaigns/{campaign_id}", web.submit, methods=["POST"], name="submit"),
        Route("/campaigns/{campaign_id}/letters.pdf", web.letters_pdf, methods=["POST"],
              name="letters_pdf"),
        Route("/campaigns/{campaign_id}/letters.eml", web.letters_eml, methods=["POST"],
              name="letters_eml"),
        Route("/campaigns/{campaign_id}/letters.pdf", web.back_to_form, name="pdf_get"),
        Route("/campaigns/{campaign_id}/letters.eml", web.back_to_form, name="eml_get"),
        Route("/healthz", web.healthz, name="healthz"),
        Route("/metrics", web.metrics_text, name="metrics"),
        Route("/style.css", web.stylesheet_file, name="stylesheet"),
        Route("/fonts/hangul.woff2", web.hangul_font, name="hangul_font"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(AccessLogMiddleware, timeout=settings.request_timeout),
                    Middleware(SecurityHeadersMiddleware),
                    Middleware(BodyLimitMiddleware, limit=MAX_BODY_BYTES, on_reject=reject)],
        exception_handlers={HTTPException: web.http_error},
        lifespan=lifespan,
    )
    app.state.web = web
    return app


def app_from_environment() -> Starlette:
    """The app each worker process of ``serve`` makes (uvicorn's factory): its campaign
    folder and settings come from the environment ``serve`` set for them."""
    return create_app(os.environ.get("CAMPAIGN_LETTERS_CAMPAIGNS") or None,
                      settings=Settings.from_environment())


def main(argv: list[str] | None = None) -> None:
    """``python -m campaign_letters.web [--host H] [--port N] [--campaigns DIR]``: the
    same as ``campaign-letters serve``, with its options."""
    from .cli import main as cli_main

    cli_main(["serve", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["MAX_BODY_BYTES", "BodyLimitMiddleware", "Settings", "app_from_environment",
           "create_app", "load_campaigns", "main"]
