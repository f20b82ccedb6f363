"""The Starlette app: routes, handlers and the state behind them."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
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
from starlette.types import Scope

from campaign_letters import wording
from campaign_letters.compose import officials
from campaign_letters.compose.letters import choose_language
from campaign_letters.errors import CampaignLettersError, InputError
from campaign_letters.mail import draft
from campaign_letters.model import Campaign
from campaign_letters.produce import produce_letters
from campaign_letters.volunteer.check import FIELDS
from campaign_letters.web import hangul_font, metrics
from campaign_letters.web.address_form import address_fields
from campaign_letters.web.campaign_folder import CampaignFolder
from campaign_letters.web.forms import (
    LABELS,
    MAXLENGTH,
    PAPER_CHOICES,
    PAPER_HINT,
    check_fields,
    content_disposition,
    default_values,
    read_fields,
    wants_json,
)
from campaign_letters.web.i18n import LANGUAGES, TEMPLATES_DIR, make_environment, page_language
from campaign_letters.web.middleware import (
    MAX_BODY_BYTES,
    AccessLogMiddleware,
    BodyLimitMiddleware,
    BodyTooLarge,
    SecurityHeadersMiddleware,
)
from campaign_letters.web.ratelimit import RateLimiter
from campaign_letters.web.settings import Settings
from campaign_letters.web.views import (
    cities_line,
    country_choices,
    language_choices,
    language_hint,
    messages_view,
    missing_view,
    phone_script_view,
    recipients_view,
)
from campaign_letters.wording import W_, web_text

logger = logging.getLogger("campaign_letters.web")
# PDF renders at once: CPU-bound, so a few threads are enough on a small machine, and the
# rest of the thread pool stays free for everything else.
RENDER_THREADS = 4

# The letters are the volunteer's own: never stored on the way. The connection closes
# after them: worker processes take connections as they come, so a kept-alive connection
# would pin all of one client's renders to one process; a new one goes to whichever is free.
LETTERS_HEADERS = {"Cache-Control": "no-store", "Connection": "close"}
# The stylesheet and the Hangul font live under addresses that carry a hash of their bytes:
# a browser keeps each for a year and never asks again; a change is a new address.
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
# Their plain addresses (/style.css, /fonts/hangul.woff2) always give the current version.
REVALIDATE = {"Cache-Control": "no-cache"}
DIGEST = re.compile(r"[0-9a-f]{16}")
KEPT_VERSIONS = 8  # earlier versions still served, for pages made before a campaign edit
NOTHING_HERE = W_("There is nothing at this address; see the list of campaigns.")


@dataclass(frozen=True)
class Assets:
    """What every page loads besides itself, for the campaigns being served: the Hangul
    font cut to their Hangul and the stylesheet that declares it, each with the hash of
    its bytes that its address carries."""

    font: hangul_font.WebFont
    stylesheet: bytes
    stylesheet_digest: str

    @classmethod
    def make(cls, campaigns: dict[str, Campaign], css: bytes) -> Assets:
        font = hangul_font.web_font(hangul_font.page_hangul(campaigns))
        stylesheet = hangul_font.stylesheet_for(css, font)
        return cls(font, stylesheet, hangul_font.content_digest(stylesheet))


# -- campaigns ----------------------------------------------------------------------------

def load_campaigns(directory: str | Path | None = None) -> dict[str, Campaign]:
    """Every campaign to offer, by id: the bundled ones, or every DIR/*.yaml that loads.

    A file with errors is skipped with a logged warning naming its problems.
    """
    return CampaignFolder(Path(directory) if directory is not None else None).current()


@dataclass
class WebApp:
    """The campaigns, settings and shared state behind one Starlette app."""

    source: CampaignFolder | dict[str, Campaign]
    stylesheet: bytes
    today: Callable[[], dt.date] = dt.date.today
    settings: Settings = field(default_factory=Settings)
    limiter: anyio.CapacityLimiter | None = None
    rate: RateLimiter | None = None
    rendering: int = 0  # renders waiting or running in this process
    # The campaigns the assets were last made for, and the assets: made again only when
    # the campaign folder changed (campaign_folder gives a new dict then).
    _assets: tuple[object, Assets] | None = None
    _assets_lock: threading.Lock = field(default_factory=threading.Lock)
    # The versions served lately, by the digest in their address (bounded).
    _fonts: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _stylesheets: OrderedDict[str, bytes] = field(default_factory=OrderedDict)

    @property
    def campaigns(self) -> dict[str, Campaign]:
        if isinstance(self.source, CampaignFolder):
            return self.source.current()
        return self.source

    def assets(self, campaigns: dict[str, Campaign] | None = None) -> Assets:
        """The stylesheet and font for ``campaigns`` (default: the ones served now), made
        once per version of the campaigns: cutting the font takes most of a second, so
        the server does it when it starts (``ready``) and after a campaign edit."""
        if campaigns is None:
            campaigns = self.campaigns
        known = self._assets
        if known is not None and known[0] is campaigns:
            return known[1]
        with self._assets_lock:
            known = self._assets
            if known is not None and known[0] is campaigns:
                return known[1]
            assets = Assets.make(campaigns, self.stylesheet)
            for kept, digest, data in ((self._fonts, assets.font.digest, assets.font.data),
                                       (self._stylesheets, assets.stylesheet_digest,
                                        assets.stylesheet)):
                kept[digest] = data
                kept.move_to_end(digest)
                while len(kept) > KEPT_VERSIONS:
                    kept.popitem(last=False)
            self._assets = (campaigns, assets)
            return assets

    async def ready(self) -> Assets:
        """The assets, made in a worker thread where they are not made yet, so that the
        event loop goes on serving meanwhile."""
        campaigns = self.campaigns
        known = self._assets
        if known is not None and known[0] is campaigns:
            return known[1]
        return await anyio.to_thread.run_sync(self.assets, campaigns)

    def page(self, request: Request, template: str, status_code: int = 200,
             headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
        language = page_language(request)
        root = request.scope.get("root_path", "")
        path = request.url.path[len(root):] if request.url.path.startswith(root) else "/"
        # Always a path of this site: "//other.example/x" would be a link to another one.
        path = "/" + path.lstrip("/")

        def link(target: str, **params: str) -> str:
            """An address on this site that keeps the page's language."""
            query = "&".join(f"{k}={quote(v, safe='')}" for k, v in
                             {"lang": language, **params}.items() if v)
            return f"{root}{target}?{query}" if query else f"{root}{target}"

        # The same page in each language (a form with errors: the empty form again).
        kept = {"country": request.query_params["country"]} \
            if "country" in request.query_params else {}
        switch = [{"code": code, "name": wording.language_name(code, code),
                   "href": link(path, lang=code, **kept), "current": code == language}
                  for code in LANGUAGES]
        assets = self.assets()
        html = make_environment(language).get_template(template).render(
            root=root, lang=language, link=link, languages=switch,
            stylesheet_href=f"{root}/style-{assets.stylesheet_digest}.css",
            font_href=f"{root}/fonts/{assets.font.filename}",
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
        await self.ready()
        language = page_language(request)
        items = [{"campaign": c, "cities": cities_line(c, language)}
                 for c in self.campaigns.values()]
        return self.page(request, "index.html", items=items)

    async def campaign_page(self, request: Request) -> Response:
        await self.ready()
        campaign = self.campaign_or_404(request)
        values = default_values(campaign, page_language(request))
        country = request.query_params.get("country", "").strip().upper()
        if country in dict(country_choices("en")):
            values["country"] = country
        return self.campaign_form(request, campaign, values, {})

    def campaign_form(self, request: Request, campaign: Campaign, values: dict[str, str],
                      errors: dict[str | None, str], status: int = 200) -> HTMLResponse:
        language = page_language(request)
        campaign = campaign.on(self.today())  # the addresses the letters print today
        to, cc = draft.recipient_emails(campaign)
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
            missing=missing_view(campaign, language),
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
            no_emails_note=web_text(language, draft.NO_EMAILS_NOTE))

    async def healthz(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    async def metrics_text(self, request: Request) -> Response:
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type.split(";")[0],
                        headers={"Cache-Control": "no-store"})

    async def stylesheet_file(self, request: Request) -> Response:
        """/style.css: the current stylesheet, checked again on each use."""
        return Response((await self.ready()).stylesheet, media_type="text/css",
                        headers=REVALIDATE)

    async def hangul_font_file(self, request: Request) -> Response:
        """/fonts/hangul.woff2: the current font, checked again on each use."""
        return Response((await self.ready()).font.data, media_type="font/woff2",
                        headers=REVALIDATE)

    async def hashed_stylesheet(self, request: Request) -> Response:
        return await self.hashed(request, self._stylesheets, "text/css",
                                 lambda a: f"style-{a.stylesheet_digest}.css")

    async def hashed_font(self, request: Request) -> Response:
        return await self.hashed(request, self._fonts, "font/woff2",
                                 lambda a: f"fonts/{a.font.filename}")

    async def hashed(self, request: Request, kept: Mapping[str, bytes], media_type: str,
                     current: Callable[[Assets], str]) -> Response:
        """A version by the hash in its address, kept for a year by the browser. A hash
        this process does not know (a page made before a restart, or by another worker
        a moment after a campaign edit) leads to the current version, uncached."""
        assets = await self.ready()
        digest = request.path_params["digest"]
        if not DIGEST.fullmatch(digest):
            raise HTTPException(404, web_text(page_language(request), NOTHING_HERE))
        data = kept.get(digest)
        if data is not None:
            return Response(data, media_type=media_type, headers=IMMUTABLE)
        return RedirectResponse(f"{request.scope.get('root_path', '')}/{current(assets)}",
                                status_code=307, headers={"Cache-Control": "no-store"})

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
        eml, sender_name = made
        metrics.PDFS.labels(campaign.id, "eml").inc()
        return Response(eml, media_type="message/rfc822", headers={
            "Content-Disposition": content_disposition("attachment", campaign.id,
                                                       sender_name, "eml"),
            **LETTERS_HEADERS})

    async def make_letters(self, request: Request, campaign: Campaign, values: dict[str, str],
                           for_email: bool = False) -> Response | tuple[Any, str]:
        """The pack (or the draft's bytes) and the sender's name, or the form with errors."""
        language_of_page = page_language(request)
        asked, errors = check_fields(campaign, values, language_of_page)
        if asked is not None:
            if self.rendering >= self.settings.max_queue:
                metrics.ERRORS.labels("queue_full").inc()
                return self.error_response(request, 503, web_text(language_of_page, W_(
                    "Many volunteers are making letters right now. Please try again in a "
                    "few seconds.")), {"Retry-After": "5"})
            sender = asked.sender
            try:
                def work() -> Any:
                    started = time.perf_counter()
                    pack = produce_letters(campaign, sender, date=self.today(),
                                           language=asked.language, paper=asked.paper,
                                           note=asked.note,
                                           pdf_standard=self.settings.pdf_standard)
                    metrics.RENDER_SECONDS.observe(time.perf_counter() - started)
                    metrics.LETTERS.labels(campaign.id).inc(len(pack.letters))
                    return draft.make_draft(campaign, sender, pack) if for_email else pack

                self.rendering += 1
                metrics.QUEUE.inc()
                try:
                    # Not abandoned on a timeout: a render holds its thread and its place
                    # in the queue until it ends (they take milliseconds), so the limits
                    # hold; the request's own time limit is AccessLogMiddleware's.
                    result = await anyio.to_thread.run_sync(work, limiter=self.limiter)
                finally:
                    self.rendering -= 1
                    metrics.QUEUE.dec()
                return result, sender.name
            except InputError as exc:
                errors[exc.field if exc.field in FIELDS else None] = \
                    exc.localized(language_of_page)
            except CampaignLettersError as exc:  # LayoutError and the like: no field
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
        if exc.status_code == 404 and detail == "Not Found":  # Starlette's own, in English
            detail = web_text(page_language(request), NOTHING_HERE)
        if exc.status_code == 405:
            detail = web_text(page_language(request), W_(
                "This address only takes the form's buttons; go back to the campaign page."))
        return self.error_response(request, exc.status_code, detail, exc.headers)

    def error_response(self, request: Request, status: int, message: str,
                       headers: Mapping[str, str] | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"errors": [{"field": None, "message": message}]},
                                status_code=status, headers=headers)
        return self.page(request, "error.html", status, headers, status=status,
                         message=message)


def create_app(campaigns_dir: str | Path | None = None, *,
               campaigns: dict[str, Campaign] | None = None,
               today: Callable[[], dt.date] = dt.date.today,
               render_threads: int = RENDER_THREADS,
               settings: Settings | None = None) -> Starlette:
    """The web app, with its campaigns loaded now (from ``campaigns_dir``, else bundled).

    One piece: it is the app's table of contents (state, lifespan, routes, middleware in
    their order, error handlers), read top to bottom.

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
        # The font cut before the first page: that page preloads it, and gets it at once.
        await web.ready()
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
        Route("/style-{digest}.css", web.hashed_stylesheet, name="hashed_stylesheet"),
        Route("/fonts/hangul.woff2", web.hangul_font_file, name="hangul_font"),
        Route("/fonts/hangul-{digest}.woff2", web.hashed_font, name="hashed_font"),
    ]
    app = Starlette(
        routes=routes,
        # Security headers outermost: the time limit's own 503 carries them too.
        middleware=[Middleware(SecurityHeadersMiddleware),
                    Middleware(AccessLogMiddleware, timeout=settings.request_timeout),
                    Middleware(BodyLimitMiddleware, limit=MAX_BODY_BYTES, on_reject=reject)],
        exception_handlers={HTTPException: web.http_error},
        lifespan=lifespan,
    )
    app.state.web = web
    return app


def app_from_environment() -> Starlette:
    """The app each worker process of ``serve`` makes (uvicorn's factory): its campaign
    folder and settings come from the environment ``serve`` set for them."""
    settings = Settings.from_environment()
    return create_app(settings.campaigns_dir, settings=settings)


__all__ = ["MAX_BODY_BYTES", "BodyLimitMiddleware", "Settings", "app_from_environment",
           "create_app", "load_campaigns"]
