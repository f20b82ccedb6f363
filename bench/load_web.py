"""How many letter PDFs per second does the web page serve? Prints figures; not a test.

Starts the real server (``campaign-letters serve``, uvicorn and its workers) on a free
port of 127.0.0.1 and nowhere else, sends N form posts to ``POST /campaigns/<id>/letters.pdf``
with at most C in flight, and prints requests per second, p50/p95/max latency and the
count of non-200 responses. Meanwhile it polls ``/healthz`` to show whether PDF rendering
holds up other requests. With several ``--workers`` counts, the same load runs on each
and the ratios to the first are printed; with ``--through-nginx``, each also runs through
Debian's nginx with the shipped deploy/nginx.conf (under /letters/), against direct. Every
run is bounded by ``--time-limit``; the servers are stopped at the end.

    python bench/load_web.py                        # 200 requests, 20 at a time, 1 worker
    python bench/load_web.py --workers 1,2 --through-nginx
    python bench/load_web.py -n 500 -c 50 --campaign daegu-milan
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/helpers/
from tests.helpers.servers import start_nginx

try:  # Starlette's test client prefers httpx2; either has the same AsyncClient.
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

HOST = "127.0.0.1"  # loopback only: this script never sends traffic anywhere else
FORM = {"name": "Mette Hansen", "street": "Vestergade 12", "postal_code": "8000",
        "city": "Aarhus", "country": "DK"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(port: int, workers: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """serve with ``workers`` processes, no rate limit (one client on purpose), under
    /letters for a proxy on this machine (direct requests work the same)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "campaign_letters", "serve", "--host", HOST, "--port",
             str(port), "--workers", str(workers), "--rate-limit", "0", "--root-path",
             "/letters", "--forwarded-allow-ips", HOST], stdout=out, stderr=out)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_until_up(client: httpx.AsyncClient, process: subprocess.Popen[bytes],
                        log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start:\n{log.read_text()}")
        await asyncio.sleep(0.1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(args: argparse.Namespace, base: str, process: subprocess.Popen[bytes],
                  log: Path, label: str) -> tuple[float, int]:
    """The load against ``base``; prints its figures, returns (requests/s, non-200)."""
    limits = httpx.Limits(max_connections=args.concurrency + 2,
                          max_keepalive_connections=args.concurrency + 2)
    async with httpx.AsyncClient(base_url=base, limits=limits,
                                 timeout=args.request_timeout) as client:
        await wait_until_up(client, process, log)
        url = f"/campaigns/{args.campaign}/letters.pdf"
        # A few requests first, so that every worker has loaded its fonts.
        for _ in range(4):
            warm = await client.post(url, data=FORM)
            if warm.status_code != 200:
                raise SystemExit(f"warm-up request failed: {warm.status_code} "
                                 f"{warm.text[:300]}")

        latencies: list[float] = []
        statuses: dict[str, int] = {}
        health: list[float] = []
        gate = asyncio.Semaphore(args.concurrency)
        done = asyncio.Event()

        async def one() -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    response = await client.post(url, data=FORM)
                    key = str(response.status_code)
                    if response.status_code == 200 and not response.content.startswith(
                            b"%PDF-"):
                        key = "200 without a PDF"
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                latencies.append(time.perf_counter() - started)
                statuses[key] = statuses.get(key, 0) + 1

        async def poll_health() -> None:
            while not done.is_set():
                started = time.perf_counter()
                with contextlib.suppress(httpx.HTTPError):
                    await client.get("/healthz")
                health.append(time.perf_counter() - started)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(done.wait(), 0.1)

        poller = asyncio.ensure_future(poll_health())
        started = time.perf_counter()
        tasks = [asyncio.ensure_future(one()) for _ in range(args.requests)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), args.time_limit)
        except asyncio.TimeoutError:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            statuses["not finished (time limit)"] = args.requests - len(latencies)
        elapsed = time.perf_counter() - started
        done.set()
        await poller

    finished = len(latencies)
    non_200 = sum(count for key, count in statuses.items() if key != "200")
    print(f"{label}: POST {base}{url}, {args.requests} requests, {args.concurrency} at a "
          f"time, campaign {args.campaign}")
    print(f"  finished    {finished} in {elapsed:.2f} s -> {finished / elapsed:.1f} requests/s")
    if latencies:
        ms = [t * 1000 for t in latencies]
        print(f"  latency     p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
              f"max {max(ms):.0f} ms, mean {statistics.mean(ms):.0f} ms")
    print(f"  non-200     {non_200}  {dict(sorted(statuses.items()))}")
    if health:
        ms = [t * 1000 for t in health]
        print(f"  /healthz    during load: {len(ms)} polls, p50 {percentile(ms, 0.5):.1f} ms, "
              f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms")
    return finished / elapsed, non_200


async def run(args: argparse.Namespace) -> int:
    rates: dict[str, float] = {}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="load-web-") as scratch:
        for workers in args.workers:
            port = free_port()
            log = Path(scratch) / f"server-{workers}.log"
            with running_server(port, workers, log) as process:
                label = f"{workers} worker{'s' * (workers != 1)}"
                rate, bad = await measure(args, f"http://{HOST}:{port}", process, log,
                                          f"{label}, direct")
                rates[f"{label}, direct"], failures = rate, failures + bad
                if args.through_nginx:
                    folder = Path(scratch) / f"nginx-{workers}"
                    folder.mkdir()
                    nginx = start_nginx(folder, port)
                    try:
                        rate, bad = await measure(args, f"{nginx.url}/letters", process, log,
                                                  f"{label}, through nginx")
                    finally:
                        nginx.stop()
                    rates[f"{label}, through nginx"], failures = rate, failures + bad
    if len(rates) > 1:
        first = next(iter(rates))
        print("ratios:")
        for label, rate in rates.items():
            print(f"  {label:<28} {rate:7.1f} requests/s  {rate / rates[first]:.2f}x {first}")
        for workers in args.workers:
            label = f"{workers} worker{'s' * (workers != 1)}"
            if f"{label}, through nginx" in rates:
                print(f"  {label}: through nginx / direct = "
                      f"{rates[f'{label}, through nginx'] / rates[f'{label}, direct']:.2f}")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=200)
    parser.add_argument("-c", "--concurrency", type=int, default=20)
    parser.add_argument("--campaign", default="naju-haderslev")
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="seconds for the whole load; unfinished requests are cancelled")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--workers", default="1", type=lambda text: [int(n) for n in
                                                                    text.split(",")],
                        help="server processes; several, comma-separated, to compare: 1,2")
    parser.add_argument("--through-nginx", action="store_true",
                        help="also send the load through nginx (deploy/nginx.conf)")
    args = parser.parse_args()
    if args.requests < 1 or not 1 <= args.concurrency <= 200:
        parser.error("--requests must be at least 1 and --concurrency between 1 and 200")
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
