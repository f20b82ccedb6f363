"""The real servers the tests talk to: ``campaign-letters serve`` (uvicorn, its workers)
and nginx from Debian in front of it, as deploy/nginx.conf says, on loopback ports only."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.commands import cli_command
from tests.helpers.samples import ROOT

NGINX_SITE = ROOT / "deploy" / "nginx.conf"
HOST = "127.0.0.1"


def missing(reason: str) -> None:
    """Skip for want of a program or package, saying which; in CI (CI=true), fail."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this test to run: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)


@dataclass
class Server:
    url: str  # without a trailing slash
    port: int
    process: subprocess.Popen
    log: Path
    tmp: Path  # the server's TMPDIR

    def stop(self, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_server(folder: Path, *args: str) -> Server:
    """``campaign-letters serve ARGS`` on a free loopback port, logging to folder/server.log,
    with its own empty TMPDIR (folder/tmp), running until ``stop``."""
    port = free_port()
    log = folder / "server.log"
    tmp = folder / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp)}
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*cli_command(), "serve", "--host", HOST, "--port", str(port), *args],
            stdout=out, stderr=out, env=env)
    server = Server(f"http://{HOST}:{port}", port, process, log, tmp)
    try:
        wait_for(f"{server.url}/healthz", process, log)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass
class Nginx:
    url: str  # the site's root, e.g. http://127.0.0.1:PORT (the page is under /letters/)
    process: subprocess.Popen
    folder: Path

    @property
    def logs(self) -> list[Path]:
        return sorted(self.folder.glob("*.log"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_nginx(folder: Path, upstream_port: int) -> Nginx:
    """nginx in the foreground with the shipped site (deploy/nginx.conf): its port and
    upstream moved to free loopback ports, its logs into ``folder``."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        missing("nginx is not installed: apt-get install nginx (see .ci/run)")
    port = free_port()
    site = NGINX_SITE.read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen {HOST}:{port};")
    site = site.replace("http://127.0.0.1:8000/", f"http://{HOST}:{upstream_port}/")
    site = site.replace("/var/log/nginx/", f"{folder}/")
    assert str(upstream_port) in site and str(port) in site, "deploy/nginx.conf changed shape"
    (folder / "site.conf").write_text(site, encoding="utf-8")
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(exist_ok=True)
    (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 256; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""", encoding="utf-8")
    check = subprocess.run([binary, "-t", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with (folder / "nginx.out").open("ab") as out:
        process = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-p",
                                    str(folder), "-g", "daemon off;"], stdout=out, stderr=out)
    nginx = Nginx(f"http://{HOST}:{port}", process, folder)
    try:
        wait_for(f"{nginx.url}/letters/healthz", process, folder / "error.log")
    except BaseException:
        nginx.stop()
        raise
    return nginx


def every_text_file(*roots: Path) -> list[Path]:
    return [path for root in roots if root.exists()
            for path in ([root] if root.is_file() else root.rglob("*")) if path.is_file()]


def names_in(value: str) -> list[str]:
    """The ways a name can be written into a log: as typed, URL-encoded, with + for spaces."""
    from urllib.parse import quote, quote_plus

    return sorted({value, quote(value), quote_plus(value), re.sub(r"\s+", "+", value)})


class AcceptingSmtp:
    """A real SMTP server's handler (aiosmtpd) that accepts every message."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


class RecordingSmtp(AcceptingSmtp):
    """An accepting handler that keeps each message's recipients, in order."""

    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.recipients += envelope.rcpt_tos
        return "250 OK"


@contextlib.contextmanager
def smtp_server(handler: object, **options: Any) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on a free loopback port, for the ``with`` block."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname=HOST, port=free_port(), **options)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def mail_pack_to_a_real_server(pack: Path) -> Any:
    """``mail_pack`` of ``pack`` to an SMTP server on loopback that accepts everything."""
    from aiosmtpd.controller import Controller

    from campaign_letters.mail.send import MailOptions, mail_pack

    controller = Controller(AcceptingSmtp(), hostname=HOST, port=free_port())
    controller.start()
    try:
        return mail_pack(pack, MailOptions(sender="c@example.org", host=HOST,
                                           port=controller.port, tls="none", rate=100_000))
    finally:
        controller.stop()
