"""The real server under a bounded loopback load: a dozen clients, valid, malformed and
oversized requests mixed; every request answered, none with a server error, memory flat."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.helpers import METTE, form_fields
from tests.helpers.servers import start_server

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

CLIENTS = 12
REQUESTS = 1600  # a round; two rounds (warm-up, then measured): 3,200 requests
VALID = form_fields(METTE)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # One process, so its memory is the server's; no rate limit: this is one client
    # sending thousands of requests on purpose.
    server = start_server(tmp_path_factory.mktemp("load"), "--workers", "1",
                          "--rate-limit", "0")
    try:
        yield server.url, server.process
    finally:
        server.stop()


def request_for(i: int, url: str) -> tuple[str, str, dict]:
    """A mix: half valid letters, the rest malformed, oversized, odd or unknown."""
    pdf = f"{url}/campaigns/naju-haderslev/letters.pdf"
    kind = i % 8
    if kind in (0, 1, 2, 3):
        return "POST", pdf, {"data": {**VALID, "name": f"Volunteer {i}"}}
    if kind == 4:
        return "POST", pdf, {"data": {**VALID, "postal_code": "x" * 40, "name": "<b>"}}
    if kind == 5:
        return "POST", pdf, {"content": b"a" * 100_000,
                             "headers": {"content-type": "application/x-www-form-urlencoded"}}
    if kind == 6:
        return "POST", pdf, {"content": bytes(random.Random(i).randbytes(500)),
                             "headers": {"content-type": "multipart/form-data; boundary=x"}}
    return "GET", f"{url}/campaigns/{random.Random(i).choice(['nope', '..%2f..', '%00'])}", {}


def test_bounded_load_every_request_answered(server):
    url, process = server
    statuses: list[int] = []
    lost: list = []

    async def client(numbers: list[int]) -> None:
        # A connection per request: a kept-alive connection that the server closes just
        # as the next request goes out fails that request in the client (browsers retry
        # it); what is measured here is that the server answers every request it gets.
        async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(
                max_keepalive_connections=0)) as http:
            for i in numbers:
                method, target, options = request_for(i, url)
                try:
                    response = await http.request(method, target, **options)
                except httpx.TransportError as exc:
                    lost.append((i, i % 8, type(exc).__name__, str(exc)))
                    continue
                statuses.append(response.status_code)

    async def run() -> None:
        await asyncio.gather(*[client(list(range(c, REQUESTS, CLIENTS)))
                               for c in range(CLIENTS)])

    asyncio.run(run())  # warm-up round: fonts, caches, the thread pool
    assert not lost, lost[:10]
    before = rss_mib(process.pid)
    statuses.clear()
    asyncio.run(run())
    after = rss_mib(process.pid)
    assert not lost, lost[:10]
    assert len(statuses) == REQUESTS
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert statuses.count(200) == REQUESTS // 2
    assert {400, 404, 413} <= set(statuses)
    # The second round allocates nothing that stays.
    assert after - before < 25, (before, after)
