"""The volunteers' web page: pick a campaign, fill in a form, get the letters.

In: HTTP requests. Out: HTML pages, the letters' PDF, an e-mail draft. The work happens
elsewhere (``volunteer.check`` checks the fields, ``produce`` makes the letters,
``mail.draft`` the draft); this package reads forms, says what is wrong in the CLI's words
(every problem of a submission at once, each linked to its field) and picks the
response. Starlette app, served by uvicorn::

    GET  /                              the campaigns
    GET  /campaigns/{id}                recipients, the message, the form (?country=IT)
    POST /campaigns/{id}                the form's buttons: action=pdf, preview or eml;
                                        with errors, the form again at the same address
    POST /campaigns/{id}/letters.pdf    the letters (attachment; ?inline=1 to preview)
    POST /campaigns/{id}/letters.eml    an e-mail draft with the letters attached
    GET  /campaigns/{id}/letters.*      back to the campaign page (303), never a 405
    GET  /style-{hash}.css              the stylesheet, cached for a year (/style.css: current)
    GET  /fonts/hangul-{hash}.woff2     the Hangul web font, made from the bundled face and
                                        preloaded by every page, cached for a year
                                        (/fonts/hangul.woff2: the current one)
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

from campaign_letters.errors import CampaignError
from campaign_letters.web.app import (
    RENDER_THREADS,
    Settings,
    WebApp,
    app_from_environment,
    create_app,
    load_campaigns,
)
from campaign_letters.web.forms import check_fields
from campaign_letters.web.i18n import LANGUAGES, negotiate, page_language
from campaign_letters.web.middleware import MAX_BODY_BYTES, BodyLimitMiddleware

__all__ = ["LANGUAGES", "MAX_BODY_BYTES", "RENDER_THREADS", "BodyLimitMiddleware",
           "CampaignError", "Settings", "WebApp", "app_from_environment", "check_fields",
           "create_app", "load_campaigns", "negotiate", "page_language"]
