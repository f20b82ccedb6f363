"""The page hosted for the public, as the README's Hosting section sets it up: two worker
processes behind Debian's nginx under /letters/, a rate limit shared by the workers,
graceful shutdown, campaign changes while serving, /metrics, and nothing of a volunteer's
in any log or temporary file. Real servers on loopback ports only
(tests/helpers/servers.py)."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.helpers import METTE, ROOT, campaign_file, form_fields
from tests.helpers.servers import every_text_file, missing, names_in, start_nginx, start_server

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

try:  # what Starlette's test client uses too
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx  # type: ignore[no-redef]

FORM = {**form_fields(METTE), "action": "pdf"}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """serve --workers 2 behind nginx, with the default rate limit (30 a minute)."""
    folder = tmp_path_factory.mktemp("hosted")
    server = start_server(folder, "--workers", "2", "--root-path", "/letters",
                          "--forwarded-allow-ips", "127.0.0.1")
    try:
        nginx = start_nginx(folder, server.port)
        try:
            yield server, nginx
        finally:
            nginx.stop()
    finally:
        server.stop()


def post(url: str, data: dict, headers: dict | None = None) -> httpx.Response:
    with httpx.Client(timeout=30) as client:
        return client.post(url, data=data, headers=headers or {})


def test_the_page_and_its_letters_through_the_proxy_under_a_prefix(hosted):
    _, nginx = hosted
    with httpx.Client(timeout=30) as client:
        index = client.get(f"{nginx.url}/letters/")
        assert index.status_code == 200
        assert 'href="/letters/campaigns/naju-haderslev?lang=en"' in index.text
        # The stylesheet and the preloaded font under the prefix, by their hashed names.
        (stylesheet,) = re.findall(r'<link rel="stylesheet" href="(/letters/style-[0-9a-f]+'
                                   r'\.css)">', index.text)
        (font_path,) = re.findall(r'<link rel="preload" href="(/letters/fonts/hangul-'
                                  r'[0-9a-f]+\.woff2)" as="font"', index.text)
        page = client.get(f"{nginx.url}/letters/campaigns/naju-haderslev")
        assert 'action="/letters/campaigns/naju-haderslev' in page.text
        css = client.get(f"{nginx.url}{stylesheet}")
        assert css.status_code == 200 and "immutable" in css.headers["cache-control"]
        # The stylesheet's font address, relative to its own, is the preloaded one.
        assert f'url("fonts/{font_path.rsplit("/", 1)[1]}")' in css.text
        assert client.get(f"{nginx.url}/letters/style.css").status_code == 200
        for path in (font_path, "/letters/fonts/hangul.woff2"):
            font = client.get(f"{nginx.url}{path}")
            assert font.status_code == 200 and font.content.startswith(b"wOF2")
        pdf = client.post(f"{nginx.url}/letters/campaigns/naju-haderslev", data=FORM,
                          headers={"X-Forwarded-For": "198.51.100.1"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        # A reload of a letters address: back to the page, under the prefix.
        back = client.get(f"{nginx.url}/letters/campaigns/naju-haderslev/letters.pdf")
        assert back.status_code == 303
        assert back.headers["location"] == "/letters/campaigns/naju-haderslev"
        # The metrics are for the machine: the shipped proxy does not pass them on.
        assert client.get(f"{nginx.url}/letters/metrics").status_code == 404


def test_thirty_one_quick_requests_from_one_client_get_a_429(hosted):
    server, nginx = hosted
    client_address = "203.0.113.31"  # as the proxy reports it; the limit is per client
    statuses = []
    started = time.monotonic()
    with httpx.Client(timeout=30) as client:
        while 429 not in statuses and len(statuses) < 60:
            # Invalid forms: quick to answer, and they count all the same.
            response = client.post(f"{nginx.url}/letters/campaigns/naju-haderslev",
                                   data={"name": "", "action": "pdf"},
                                   headers={"X-Forwarded-For": client_address})
            statuses.append(response.status_code)
        # 30 at once, then one more for every two seconds they took (30 a minute):
        # quick requests get the 429 at the 31st.
        allowed = statuses.index(429)
        assert statuses[:allowed] == [400] * allowed, "both workers count in one limit"
        assert 30 <= allowed <= 30 + int((time.monotonic() - started) / 2) + 1, allowed
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert "Please wait" in response.text
        # Another client is not held up; an untrusted X-Forwarded-For is not believed.
        other = client.post(f"{nginx.url}/letters/campaigns/naju-haderslev",
                            data={"name": "", "action": "pdf"},
                            headers={"X-Forwarded-For": "203.0.113.32"})
        assert other.status_code == 400
    # From an address that is not the trusted proxy (127.0.0.2, loopback too), a claimed
    # X-Forwarded-For is not believed: that address is the client, and it is not limited.
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(timeout=30, transport=transport) as untrusted:
        direct = untrusted.post(f"{server.url}/campaigns/naju-haderslev",
                                data={"name": "", "action": "pdf"},
                                headers={"X-Forwarded-For": client_address})
    assert direct.status_code == 400


def test_metrics_parse_and_count_the_letters(hosted):
    from prometheus_client.parser import text_string_to_metric_families

    server, nginx = hosted
    response = post(f"{nginx.url}/letters/campaigns/daegu-milan",
                    {**FORM, "postal_code": "20121", "city": "Milano", "region": "MI",
                     "country": "IT"}, {"X-Forwarded-For": "198.51.100.2"})
    assert response.status_code == 200
    with httpx.Client(timeout=30) as client:
        text = client.get(f"{server.url}/metrics").text
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    assert samples[("campaign_letters_letters_total", (("campaign", "daegu-milan"),))] >= 2
    assert any(name == "campaign_letters_render_seconds_count" and value >= 1
               for (name, _), value in samples.items())
    assert ("campaign_letters_render_queue", ()) in samples


def test_no_volunteers_details_in_any_log_or_temporary_file(hosted, tmp_path):
    server, nginx = hosted
    marker = f"Privacy Probe {uuid.uuid4().hex[:12]}"
    street = f"Hemmeligvej {uuid.uuid4().hex[:8]}"
    email = f"probe-{uuid.uuid4().hex[:8]}@example.org"
    details = {**FORM, "name": marker, "street": street, "email": email,
               "note": f"{marker} note"}
    headers = {"X-Forwarded-For": "198.51.100.3"}
    assert post(f"{nginx.url}/letters/campaigns/naju-haderslev", details,
                headers).status_code == 200
    assert post(f"{nginx.url}/letters/campaigns/naju-haderslev",
                {**details, "action": "eml"}, headers).status_code == 200
    # Errors, too: a bad postcode, re-shown to the volunteer, logged nowhere.
    assert post(f"{nginx.url}/letters/campaigns/naju-haderslev",
                {**details, "postal_code": "80000"}, headers).status_code == 400
    # Even in the query string, where nothing of theirs belongs.
    with httpx.Client(timeout=30) as client:
        client.get(f"{nginx.url}/letters/campaigns/naju-haderslev",
                   params={"lang": marker})
    time.sleep(0.5)  # nginx writes its access log line after the answer
    files = every_text_file(server.log, server.tmp, *nginx.logs)
    assert any(path.stat().st_size for path in files), "the logs should hold something"
    for path in files:
        content = path.read_bytes().decode("utf-8", errors="replace")
        for secret in (marker, street, email):
            for written in names_in(secret):
                assert written not in content, f"{written!r} in {path}"
    assert not any(server.tmp.iterdir()), "the server wrote temporary files"


def shared_memory_of(pid: int) -> list[str]:
    """What a server process keeps in /dev/shm: its metrics folder and rate-limit block,
    both named after its process id."""
    return sorted(path.name for path in Path("/dev/shm").glob(f"campaign-letters-*-{pid}-*"))


@pytest.mark.parametrize(("workers", "stop"), [("1", signal.SIGTERM), ("2", signal.SIGTERM),
                                               ("1", signal.SIGINT), ("2", signal.SIGINT)],
                         ids=["1-worker-SIGTERM", "2-workers-SIGTERM", "1-worker-SIGINT",
                              "2-workers-SIGINT"])
def test_a_stop_lets_twenty_requests_in_flight_finish_and_cleans_up(tmp_path, workers, stop):
    """SIGTERM (systemd) or Ctrl-C: the requests in flight are answered, the server exits
    0, and nothing it made is left: no metrics folder, no rate-limit memory, no file."""
    server = start_server(tmp_path, "--workers", workers, "--rate-limit", "30")
    assert len(shared_memory_of(server.process.pid)) == 2  # the probe sees them
    try:
        async def twenty() -> list[int]:
            async with httpx.AsyncClient(timeout=60) as client:
                async def one(i: int) -> int:
                    response = await client.post(
                        f"{server.url}/campaigns/naju-haderslev",
                        data={**FORM, "name": f"Volunteer {i}"})
                    # A whole PDF, not a cut one: the worker finished it before it stopped.
                    if response.status_code == 200:
                        assert response.content.startswith(b"%PDF-")
                        assert response.content.rstrip().endswith(b"%%EOF")
                    return response.status_code

                tasks = [asyncio.create_task(one(i)) for i in range(20)]
                await asyncio.sleep(0.3)  # all sent and taken in by the workers
                server.process.send_signal(stop)
                return await asyncio.gather(*tasks)

        started = time.monotonic()
        statuses = asyncio.run(twenty())
        assert statuses == [200] * 20
        server.process.wait(timeout=30)
        assert time.monotonic() - started < 30
        assert server.process.returncode == 0, server.log.read_text()
        assert "Traceback" not in server.log.read_text()
        with pytest.raises(urllib.error.URLError):  # refused: nothing listens any more
            urllib.request.urlopen(f"{server.url}/healthz", timeout=2)
        assert shared_memory_of(server.process.pid) == []
        assert list(server.tmp.iterdir()) == []
    finally:
        server.stop()


def test_campaign_changes_are_served_without_a_restart(tmp_path):
    folder = tmp_path / "campaigns"
    folder.mkdir()
    source = campaign_file()
    target = folder / "naju-haderslev.yaml"
    shutil.copy(source, target)
    server = start_server(tmp_path, "--workers", "2", "--campaigns", str(folder))
    try:
        def page_title() -> str | int:
            with httpx.Client(timeout=30) as client:
                response = client.get(f"{server.url}/campaigns/naju-haderslev")
                if response.status_code != 200:
                    return response.status_code
                text = response.text
                return text[text.index("<h1"):text.index("</h1>")]

        def eventually(expected, seconds: float = 10) -> None:
            deadline = time.monotonic() + seconds
            # Both workers: several requests, spread by the kernel over them.
            while True:
                seen = [page_title() for _ in range(6)]
                if all(value == expected or (isinstance(expected, str) and
                                             isinstance(value, str) and expected in value)
                       for value in seen):
                    return
                assert time.monotonic() < deadline, seen
                time.sleep(0.5)

        text = source.read_text(encoding="utf-8")
        target.write_text(text.replace('title: "Friendship City Campaign',
                                       'title: "Edited Friendship City Campaign'),
                          encoding="utf-8")
        eventually("Edited Friendship City Campaign")
        # A broken edit: the last good version keeps serving, the log says where.
        target.write_text(text.replace('title: "Friendship City Campaign',
                                       'title: "Broken"\nbogus: [').replace(
                                           "Edited ", ""), encoding="utf-8")
        time.sleep(3)
        eventually("Edited Friendship City Campaign")
        log = server.log.read_text()
        assert "naju-haderslev.yaml has 1 error; still serving its last good version" in log
        assert "naju-haderslev.yaml:" in log.split("still serving")[1]
        target.unlink()
        eventually(404)
    finally:
        server.stop()


def test_the_systemd_unit_verifies():
    unit = (ROOT / "deploy" / "campaign-letters.service").read_text(encoding="utf-8")
    for hardening in ("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes"):
        assert hardening in unit
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        missing("systemd-analyze is missing: apt-get install systemd")
    program = shutil.which("campaign-letters")
    assert program, "the project is installed (pip install -e .)"
    copy = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True,
                               check=True).stdout.strip()) / "campaign-letters.service"
    copy.write_text(unit.replace("/opt/campaign-letters/bin/campaign-letters", program),
                    encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
    shutil.rmtree(copy.parent)
    assert result.returncode == 0, result.stderr
    assert "campaign-letters.service" not in result.stderr, result.stderr


def test_a_full_render_queue_answers_503_at_once_and_logs_can_be_json(tmp_path):
    import json

    server = start_server(tmp_path, "--workers", "1", "--max-queue", "1", "--rate-limit",
                          "0", "--log-format", "json")
    try:
        async def many() -> list[httpx.Response]:
            async with httpx.AsyncClient(timeout=60) as client:
                return await asyncio.gather(*(client.post(
                    f"{server.url}/campaigns/naju-haderslev",
                    data={**FORM, "name": f"Volunteer {i}"}) for i in range(12)))

        responses = asyncio.run(many())
        statuses = sorted(r.status_code for r in responses)
        assert 200 in statuses and 503 in statuses, statuses
        assert set(statuses) == {200, 503}
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.headers["retry-after"] == "5"
    finally:
        server.stop()
    lines = [line for line in server.log.read_text().splitlines()
             if not line.startswith("Serving ")]  # the command's own announcement
    entries = [json.loads(line) for line in lines]  # every log line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    assert any(e["logger"] == "campaign_letters.access" and "POST /campaigns/naju-haderslev"
               in e["message"] for e in entries)


def test_a_request_that_takes_too_long_is_answered_503(tmp_path):
    """--timeout holds for every request: here a body that stops arriving."""
    import socket

    server = start_server(tmp_path, "--workers", "1", "--timeout", "1")
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /campaigns/naju-haderslev HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 100\r\n\r\nname=Slow")
            started = time.monotonic()
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
        assert b"retry-after: 10" in answer.lower()
        assert time.monotonic() - started < 5
    finally:
        server.stop()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sighup_keeps_serving(tmp_path, workers):
    """systemctl reload: with workers they restart one by one; alone, nothing stops."""
    server = start_server(tmp_path, "--workers", workers)
    try:
        server.process.send_signal(signal.SIGHUP)
        time.sleep(2 if workers == "2" else 0.5)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                    assert response.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline and server.process.poll() is None
                time.sleep(0.2)
        assert server.process.poll() is None
    finally:
        server.stop()


def test_the_readme_hosting_steps_give_a_service_that_starts(tmp_path):
    """The README's Hosting commands, followed literally against a temporary root: no
    sudo, /opt and /etc under the root, systemctl's start done by running the unit's
    ExecStart as written (with a free port). The one change: pip installs the checkout
    without fetching its dependencies, which it borrows from this interpreter (no
    network in tests), as tests/project/test_packaging.py does."""
    import os
    import shlex
    import sysconfig

    from tests.helpers.servers import free_port, wait_for

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Hosting"):]
    start = section.index("```sh\n") + len("```sh\n")
    block = section[start:section.index("```", start)]
    root = tmp_path / "root"

    def rooted(text: str) -> str:
        return text.replace(" /opt/", f" {root}/opt/").replace(" /etc/", f" {root}/etc/")

    ran: list[str] = []
    for line in block.splitlines():
        line = line.split("  #")[0].strip()
        for command in (c.strip() for c in line.split("&&")):
            command = rooted(" " + command.removeprefix("sudo ")).strip()
            if command.startswith(("systemctl", "cp deploy/nginx.conf")):
                continue  # the service is started below; nginx has tests of its own
            words = shlex.split(command)
            if words[1:3] == ["-m", "venv"]:
                (root / "opt").mkdir(parents=True, exist_ok=True)
            if words[-2:] == ["install", "."]:
                site = next((Path(words[0]).parent.parent / "lib").glob("python*/site-"
                                                                         "packages"))
                (site / "_borrowed.pth").write_text("\n".join(dict.fromkeys([
                    sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])))
                words[-1:] = ["--no-deps", "--no-build-isolation", "-q", "."]
            if words[0] == "cp":
                Path(words[-1]).mkdir(parents=True, exist_ok=True)
            result = subprocess.run(words, cwd=ROOT, capture_output=True, text=True,
                                    check=False)
            assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
            ran.append(words[0].rsplit("/", 1)[-1])
    assert ran == ["python3", "pip", "campaign-letters", "cp"], ran
    campaigns = root / "etc" / "campaign-letters" / "campaigns"
    assert sorted(p.name for p in campaigns.glob("*.yaml")) == [
        "daegu-milan.yaml", "icheon-limoges.yaml", "naju-haderslev.yaml",
        "paju-coquitlam.yaml"]
    unit = (root / "etc" / "systemd" / "system" / "campaign-letters.service").read_text()
    exec_start = unit.split("ExecStart=", 1)[1].split("\nExecReload")[0].replace("\\\n", " ")
    port = free_port()
    words = [word.replace("8000", str(port)) for word in shlex.split(rooted(" " + exec_start))]
    assert words[0] == f"{root}/opt/campaign-letters/bin/campaign-letters"
    log = tmp_path / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(words, stdout=out, stderr=out,
                                   env={**os.environ, "TMPDIR": str(tmp_path)})
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode("utf-8")
        for title in ("Naju", "Daegu", "Icheon", "Paju"):
            assert title in page
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=40) == 0, log.read_text()
    assert f"Serving 4 campaigns from {campaigns} on http://127.0.0.1:{port}/letters/" in \
        log.read_text()
