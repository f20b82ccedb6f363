"""What wraps every request: the body limit, security headers, the time limit, the access
line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    PlainTextResponse,
    Response,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from campaign_letters.web import metrics
from campaign_letters.web.i18n import page_language
from campaign_letters.wording import W_, web_text

access_logger = logging.getLogger("campaign_letters.access")
MAX_BODY_BYTES = 64 * 1024
DRAIN_BYTES = 1024 * 1024  # a refused body up to this size is read to its end first

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
            assert declared is not None  # too_long needs a declared length
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
                language = page_language(Request(scope))
                text = web_text(language, W_("Making your letters took too long. Please "
                                             "try again in a moment."))
                await send_noting_status({"type": "http.response.start", "status": 503,
                                          "headers": [(b"content-type",
                                                       b"text/plain; charset=utf-8"),
                                                      (b"retry-after", b"10")]})
                await send({"type": "http.response.body", "body": text.encode()})
        finally:
            if status[0] == 500:  # 503s are counted where they are decided
                metrics.ERRORS.labels("server").inc()
            access_logger.info("%s %s %s %.0f ms", scope.get("method", ""),
                               scope.get("path", ""), status[0] or "-",
                               (time.perf_counter() - started) * 1000)
