"""The snapshot half of tools/compare_outputs.py: every output of one checkout's ``src``
folder, made through the public surfaces only (see compare_outputs.py for what is made
and what is normalised)."""

from __future__ import annotations

import concurrent.futures
import hashlib
import http.client
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from output_inputs import (  # beside this script
    CAMPAIGNS,
    DATE,
    LOCAL_LANGUAGE,
    LOCAL_SENDER,
    PAGE_LANGUAGES,
    PINNED_CLOCK,
    ROSTER_CSV,
    RUN_TIMEOUT,
    SENDERS,
    SERVER_START_TIMEOUT,
)

BOUNDARY = re.compile(r"={15}\d+==(?:\.\d+)?")
PROGRESS = re.compile(r"(\d+/\d+ done, )\d+ s elapsed, about \d+ s left")
BINARY_SUFFIXES = (".pdf", ".woff2", ".png")


# -- normalising ----------------------------------------------------------------------------

def normalise_email(data: bytes) -> bytes:
    """Blank the top-level Date: and Message-ID: headers (folded lines too) and rename
    Python's random MIME boundaries in order of appearance."""
    text = data.decode("utf-8", "surrogateescape")
    head, sep, body = text.partition("\n\n")
    head = re.sub(r"(?im)^(Date|Message-ID):[^\n]*(?:\n[ \t][^\n]*)*",
                  lambda m: f"{m.group(1)}: <normalised>", head)
    text = head + sep + body
    names: dict[str, str] = {}
    for found in BOUNDARY.findall(text):
        names.setdefault(found, f"=====BOUNDARY-{len(names) + 1}=====")
    for found in sorted(names, key=len, reverse=True):
        text = text.replace(found, names[found])
    return text.encode("utf-8", "surrogateescape")


class Normaliser:
    """Absolute paths into OUT_DIR and the checkout, written as placeholders."""

    def __init__(self, out_dir: Path, checkout: Path):
        pairs: dict[str, str] = {}
        for path, label in ((checkout, "<CHECKOUT>"), (out_dir, "<OUT_DIR>")):
            for form in {str(path), str(path.resolve()), os.path.realpath(path)}:
                pairs[form] = label
        # Longest first: one of the folders may lie inside the other.
        self.pairs = sorted(pairs.items(), key=lambda item: len(item[0]), reverse=True)

    def text(self, text: str) -> str:
        for path, label in self.pairs:
            text = text.replace(path, label)
        return PROGRESS.sub(r"\1N s elapsed, about N s left", text)

    def data(self, name: str, data: bytes) -> bytes:
        if name.endswith(BINARY_SUFFIXES):
            return data
        if name.endswith(".eml"):
            data = normalise_email(data)
        return self.text(data.decode("utf-8", "surrogateescape")).encode(
            "utf-8", "surrogateescape")


# -- a snapshot -------------------------------------------------------------------------------

def cli_args(sender: dict[str, object]) -> list[str]:
    args: list[str] = []
    for key, value in sender.items():
        option = "--" + key.replace("_", "-")
        for item in value if isinstance(value, list) else [value]:
            args += [option, str(item)]
    return args


class Snapshot:
    def __init__(self, src: Path, out: Path, jobs: int | None = None):
        self.src = src.resolve()
        self.out = out.resolve()
        self.artifacts_dir = self.out / "artifacts"
        self.work = self.out / "work"
        self.normaliser = Normaliser(self.out, self.src.parent)
        self.jobs = jobs or os.cpu_count() or 1
        self.index: dict[str, str] = {}
        self.lock = threading.Lock()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("CAMPAIGN_LETTERS_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        self.env.update(PYTHONPATH=str(self.src), PYTHONIOENCODING="utf-8", COLUMNS="100",
                        PYTHONDONTWRITEBYTECODE="1")

    # -- storing --------------------------------------------------------------------------

    def store(self, name: str, data: bytes, normalise: bool = True) -> None:
        if normalise:
            data = self.normaliser.data(name, data)
        target = self.artifacts_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        with self.lock:
            if name in self.index:
                raise RuntimeError(f"artifact {name} recorded twice")
            self.index[name] = hashlib.sha256(data).hexdigest()

    def store_tree(self, prefix: str, folder: Path, skip: Iterable[str] = ()) -> None:
        """Every file under folder, as prefix/<its path in folder>."""
        skipped = set(skip)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if relative.split("/")[0] not in skipped:
                self.store(f"{prefix}/{relative}", path.read_bytes())

    # -- running ------------------------------------------------------------------------

    def run(self, name: str, args: list[str], cwd: Path, extra_env: dict[str, str] | None = None,
            pinned_clock: bool = False) -> int:
        """Run the CLI; keep argv, exit code, stdout and stderr as ``name.run.txt``."""
        cwd.mkdir(parents=True, exist_ok=True)
        if pinned_clock:
            command = [sys.executable, "-c", PINNED_CLOCK, DATE, *args]
        else:
            command = [sys.executable, "-m", "campaign_letters", *args]
        env = {**self.env, **(extra_env or {})}
        try:
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True,
                                  timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
            code, stdout, stderr = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            code, stdout, stderr = "timeout", exc.stdout or b"", exc.stderr or b""
        shown = " ".join(shlex.quote(a) for a in args)
        prefix = "".join(f"{k}={shlex.quote(v)} " for k, v in sorted((extra_env or {}).items()))
        clock = f" (today pinned to {DATE})" if pinned_clock else ""
        report = (f"$ {prefix}python -m campaign_letters {shown}{clock}\n"
                  f"exit: {code}\n--- stdout ---\n"
                  f"{stdout.decode('utf-8', 'surrogateescape')}"
                  f"--- stderr ---\n{stderr.decode('utf-8', 'surrogateescape')}")
        self.store(f"{name}.run.txt", report.encode("utf-8", "surrogateescape"))
        return code if isinstance(code, int) else -1

    def run_and_keep(self, name: str, args: list[str], output: str,
                     extra_env: dict[str, str] | None = None) -> None:
        """Run with ``-o <file>`` in a folder of its own; keep the file if one was made."""
        cwd = self.work / name
        self.run(name, [*args, "-o", output], cwd, extra_env)
        made = cwd / output
        if made.is_file():
            self.store(f"{name}{Path(output).suffix}", made.read_bytes())

    def parallel(self, tasks: list[Callable[[], None]]) -> None:
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            for future in [pool.submit(task) for task in tasks]:
                future.result()

    # -- the surfaces -----------------------------------------------------------------------

    def check_import(self) -> None:
        done = subprocess.run(
            [sys.executable, "-c", "import campaign_letters; print(campaign_letters.__file__)"],
            cwd=self.work, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"warning: campaign_letters does not import from {self.src}:\n"
                  f"{done.stderr.strip()}", file=sys.stderr)
            return
        where = Path(done.stdout.strip()).resolve()
        if not where.is_relative_to(self.src):
            raise SystemExit(f"error: with PYTHONPATH={self.src}, campaign_letters is "
                             f"imported from {where}, not from SRC_DIR")

    def letter_tasks(self) -> list[Callable[[], None]]:
        """(name, arguments, extra environment) of every ``letter`` run."""
        runs: list[tuple[str, list[str], dict[str, str] | None]] = []
        for campaign in CAMPAIGNS:
            for key, sender in SENDERS.items():
                runs.append((f"{campaign}/{key}", [campaign, *cli_args(sender)], None))
            local_key = LOCAL_SENDER[campaign]
            local = cli_args(SENDERS[local_key])
            language = LOCAL_LANGUAGE[campaign]
            variants: list[tuple[str, list[str]]] = [("lang-en", ["--language", "en"])]
            if language:
                variants += [(f"lang-{language}", ["--language", language]),
                             (f"lang-{language}+en", ["--language", f"{language}+en"]),
                             (f"lang-en+{language}", ["--language", f"en+{language}"])]
            else:
                variants.append(("lang-en+ko-refused", ["--language", "en+ko"]))
            variants += [
                ("to-primary", ["--to", "primary"]),
                ("address-by-name", ["--address-by", "name"]),
                ("address-by-office", ["--address-by", "office"]),
                ("paper-letter", ["--paper", "letter"]),
                ("paper-a4-din-5008-a", ["--paper", "a4", "--envelope", "din-5008-a"]),
                ("envelope-us-10", ["--envelope", "us-10"]),
                ("email", ["--email", "volunteer@example.org"]),
                ("note", ["--note", "Et afsnit med mine egne ord: jeg har besøgt byen."]),
            ]
            for label, extra in variants:
                runs.append((f"{campaign}/{local_key}--{label}", [campaign, *local, *extra],
                             None))
            korean = cli_args(SENDERS["kr-seoul"])
            runs.append((f"{campaign}/kr-seoul--address-by-name",
                         [campaign, *korean, "--address-by", "name"], None))
            runs.append((f"{campaign}/ca-coquitlam--paper-a4",
                         [campaign, *cli_args(SENDERS["ca-coquitlam"]), "--paper", "a4"], None))
            runs.append((f"{campaign}/{local_key}--plain", [campaign, *local],
                         {"CAMPAIGN_LETTERS_PLAIN": "1"}))
        # Refusals: the message and the exit code are outputs too.
        dk = cli_args(SENDERS["dk-aarhus"])
        bad = {
            "bad-postcode": ["naju-haderslev", *cli_args({**SENDERS["dk-aarhus"],
                                                          "postal_code": "80000"})],
            "bad-language": ["naju-haderslev", *dk, "--language", "it"],
            "bad-date": ["naju-haderslev", *dk, "--date", "2026-13-01"],
            "missing-fields": ["naju-haderslev", "--name", "Mette Hansen", "--country", "DK"],
            "unknown-campaign": ["no-such-campaign", *dk],
            "emoji-name": ["naju-haderslev", *cli_args({**SENDERS["dk-aarhus"],
                                                        "name": "Mette 😀 Hansen"})],
            "note-too-long": ["naju-haderslev", *dk, "--note", "Ord. " * 300],
            "bad-paper-usage": ["naju-haderslev", *dk, "--paper", "a5"],
        }
        for label, args in bad.items():
            runs.append((f"refused/{label}", args, None))

        def task(name: str, args: list[str], env: dict[str, str] | None) -> Callable[[], None]:
            if "--date" not in args:
                args = [*args, "--date", DATE]
            return lambda: self.run_and_keep(f"letter/{name}", ["letter", *args],
                                             "letters.pdf", env)
        return [task(*run) for run in runs]

    def email_tasks(self) -> list[Callable[[], None]]:
        runs = [
            ("naju-haderslev/dk-aarhus", ["naju-haderslev", *cli_args(SENDERS["dk-aarhus"])]),
            ("daegu-milan/it-milano--lang-it+en",
             ["daegu-milan", *cli_args(SENDERS["it-milano"]), "--language", "it+en"]),
            ("icheon-limoges/fr-paris-arabic",
             ["icheon-limoges", *cli_args(SENDERS["fr-paris-arabic"])]),
            ("paju-coquitlam/kr-seoul", ["paju-coquitlam", *cli_args(SENDERS["kr-seoul"])]),
            ("paju-coquitlam/ca-coquitlam--email",
             ["paju-coquitlam", *cli_args(SENDERS["ca-coquitlam"]),
              "--email", "sam@example.org"]),
            ("naju-haderslev/gb-london-note--to-address",
             ["naju-haderslev", *cli_args(SENDERS["gb-london-note"]),
              "--to-address", "mayor@example.org", "--to-address", "council@example.org"]),
        ]
        return [lambda n=name, a=args: self.run_and_keep(
                    f"email/{n}", ["email", *a, "--date", DATE], "draft.eml")
                for name, args in runs]

    def other_cli_tasks(self) -> list[Callable[[], None]]:
        cwd = self.work / "cli"
        tasks: list[Callable[[], None]] = [
            lambda: self.run("cli/version", ["--version"], cwd),
            lambda: self.run("cli/help", ["--help"], cwd),
            lambda: self.run("cli/officials", ["officials", "--date", DATE], cwd),
            lambda: self.run("cli/officials-naju", ["officials", "naju-haderslev", "--date",
                                                    "2025-01-15"], cwd),
            lambda: self.run("cli/check", ["check"], cwd, pinned_clock=True),
            lambda: self.run("cli/check-strict", ["check", "--strict"], cwd, pinned_clock=True),
            self.demo,
        ]
        for command in ("check", "officials", "letter", "email", "pack", "mail", "demo",
                        "serve"):
            tasks.append(lambda c=command: self.run(f"cli/help-{c}", [c, "--help"], cwd))
        return tasks

    def demo(self) -> None:
        cwd = self.work / "demo"
        self.run("demo/demo", ["demo", "--date", DATE, "-o", "letters-demo"], cwd)
        if (cwd / "letters-demo").is_dir():
            self.store_tree("demo/letters-demo", cwd / "letters-demo")

    def pack_tasks(self) -> list[Callable[[], None]]:
        roster = self.work / "roster.csv"
        roster.write_text(ROSTER_CSV, encoding="utf-8")

        def pack(campaign: str, extra: list[str]) -> None:
            cwd = self.work / "pack" / campaign
            self.run(f"pack/{campaign}/pack", ["pack", campaign, "--roster", str(roster),
                                               "-o", "out", "--jobs", "1", "--date", DATE,
                                               *extra], cwd)
            if not (cwd / "out").is_dir():
                return
            self.store_tree(f"pack/{campaign}/out", cwd / "out")
            self.run(f"pack/{campaign}/mail-dry-run",
                     ["mail", "out", "--dry-run", "--from", "Campaign <c@example.org>"], cwd)
            if (cwd / "out" / "mail").is_dir():
                self.store_tree(f"pack/{campaign}/after-mail/mail", cwd / "out" / "mail")
            for name in ("manifest.csv", ".mail-journal"):
                if (cwd / "out" / name).is_file():
                    self.store(f"pack/{campaign}/after-mail/{name}",
                               (cwd / "out" / name).read_bytes())

        return [lambda: pack("naju-haderslev", []),
                lambda: pack("paju-coquitlam", ["--sort", "recipient"])]

    # -- the web page -------------------------------------------------------------------

    def web(self) -> None:
        cwd = self.work / "web"
        cwd.mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = (cwd / "server.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-c", PINNED_CLOCK, DATE, "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "1", "--rate-limit", "0"],
            cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            if not self.wait_for_server(server, base):
                log.flush()
                self.store("web/server-start.txt",
                           b"the server did not answer /healthz; its log:\n" +
                           (cwd / "server.log").read_bytes())
                return
            self.web_requests(base, port)
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    code: int | str = server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
                    code = "did not stop within 60 s of SIGTERM"
            else:
                code = f"exited early with {server.returncode}"
            log.close()
            self.store("web/server-exit.txt", f"after SIGTERM: {code}\n".encode())

    @staticmethod
    def wait_for_server(server: subprocess.Popen, base: str) -> bool:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
                pass
            time.sleep(0.3)
        return False

    def web_requests(self, base: str, port: int) -> None:
        opener = urllib.request.build_opener(NoRedirect)
        host = f"127.0.0.1:{port}"

        def fetch(name: str, path: str, data: bytes | None = None,
                  headers: dict[str, str] | None = None) -> None:
            request = urllib.request.Request(base + path, data=data, headers=headers or {})
            try:
                with opener.open(request, timeout=120) as answer:
                    status, reply_headers, body = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                status, reply_headers, body = error.code, error.headers, error.read()
            kept = sorted((k.lower(), v) for k, v in reply_headers.items()
                          if k.lower() != "date")
            content_type = reply_headers.get("content-type", "").split(";")[0].strip()
            suffix = {"text/html": ".html", "application/pdf": ".pdf",
                      "message/rfc822": ".eml", "text/css": ".css", "font/woff2": ".woff2",
                      "application/json": ".json"}.get(content_type, ".txt")
            if suffix == ".woff2" and status == 200:
                # fontTools stamps the save time into the font (head.modified).
                (self.work / "web" / f"{name.replace('/', '--')}.raw.woff2").write_bytes(body)
                body, suffix = woff2_tables(body), ".woff2-tables.txt"
                kept = [(k, "<normalised: the WOFF2 holds a timestamp>"
                         if k == "content-length" else v) for k, v in kept]
            elif suffix not in BINARY_SUFFIXES:
                body = body.replace(host.encode(), b"<HOST>")
            self.store(f"web/{name}.body{suffix}", body)
            method = "POST" if data is not None else "GET"
            meta = [f"{method} {path}", *(f"> {k}: {v}" for k, v in sorted(
                (headers or {}).items())), f"status: {status}",
                *(f"{k}: {v}" for k, v in kept)]
            text = "\n".join(meta).replace(host, "<HOST>") + "\n"
            self.store(f"web/{name}.http.txt", text.encode("utf-8"))

        fetch("healthz", "/healthz")
        fetch("style", "/style.css")
        fetch("hangul-font", "/fonts/hangul.woff2")
        fetch("index", "/")
        for language in PAGE_LANGUAGES:
            fetch(f"index--lang-{language}", f"/?lang={language}")
        for campaign in CAMPAIGNS:
            fetch(f"{campaign}/page", f"/campaigns/{campaign}")
            for language in PAGE_LANGUAGES:
                fetch(f"{campaign}/page--lang-{language}",
                      f"/campaigns/{campaign}?lang={language}")
        fetch("daegu-milan/page--country-IT", "/campaigns/daegu-milan?country=IT")
        fetch("naju-haderslev/page--country-IT--lang-it",
              "/campaigns/naju-haderslev?country=IT&lang=it")
        fetch("paju-coquitlam/page--country-KR--lang-ko",
              "/campaigns/paju-coquitlam?country=KR&lang=ko")
        fetch("naju-haderslev/page--accept-language-da", "/campaigns/naju-haderslev",
              headers={"Accept-Language": "da, en;q=0.5"})
        fetch("not-found", "/campaigns/no-such-campaign")
        fetch("naju-haderslev/letters-pdf-get", "/campaigns/naju-haderslev/letters.pdf?lang=da")

        def form(sender_key: str, **extra: str) -> dict[str, str]:
            sender = SENDERS[sender_key]
            fields = {key: "\n".join(map(str, value)) if isinstance(value, list) else str(value)
                      for key, value in sender.items()}
            return {"language": "auto", "paper": "auto", **fields, **extra}

        def post(name: str, path: str, fields: dict[str, str], multipart: bool = False) -> None:
            if multipart:
                data, content_type = multipart_body(fields)
            else:
                data = urllib.parse.urlencode(fields).encode()
                content_type = "application/x-www-form-urlencoded"
            fetch(name, path, data, {"Content-Type": content_type})

        for campaign in CAMPAIGNS:
            local = LOCAL_SENDER[campaign]
            for action in ("pdf", "preview", "eml"):
                post(f"{campaign}/post-{action}--{local}", f"/campaigns/{campaign}",
                     form(local, action=action))
        post("naju-haderslev/letters-pdf--gb-london-note", "/campaigns/naju-haderslev/letters.pdf",
             form("gb-london-note"))
        post("naju-haderslev/letters-pdf-inline--dk-aarhus--da+en",
             "/campaigns/naju-haderslev/letters.pdf?inline=1",
             form("dk-aarhus", language="da+en"))
        post("naju-haderslev/letters-eml--dk-aarhus--email",
             "/campaigns/naju-haderslev/letters.eml",
             form("dk-aarhus", email="mette@example.org"))
        post("daegu-milan/post-pdf--it-milano--it+en--paper-letter--lang-it",
             "/campaigns/daegu-milan?lang=it", form("it-milano", language="it+en",
                                                    paper="letter", action="pdf"))
        post("icheon-limoges/post-pdf--fr-paris-arabic--lang-fr",
             "/campaigns/icheon-limoges?lang=fr", form("fr-paris-arabic", action="pdf"))
        post("icheon-limoges/letters-eml--fr-paris-arabic",
             "/campaigns/icheon-limoges/letters.eml", form("fr-paris-arabic"))
        post("paju-coquitlam/post-pdf--kr-seoul--lang-ko", "/campaigns/paju-coquitlam?lang=ko",
             form("kr-seoul", action="pdf"))
        post("paju-coquitlam/post-pdf--us-boston--multipart", "/campaigns/paju-coquitlam",
             form("us-boston", action="pdf", note="Written from Boston."), multipart=True)
        post("daegu-milan/letters-pdf--ca-coquitlam--paper-a4",
             "/campaigns/daegu-milan/letters.pdf", form("ca-coquitlam", paper="a4"))


def woff2_tables(data: bytes) -> bytes:
    """A WOFF2 font as text: each decoded table's tag, length and SHA-256, the ``head``
    table's two time-dependent fields (checkSumAdjustment, modified) zeroed first. Needs
    fontTools (a dependency of the project); without it, the SHA-256 of the whole file."""
    try:
        from fontTools.ttLib import TTFont
        font = TTFont(io.BytesIO(data))
    except Exception as exc:  # no fontTools, or not a font: keep what can be kept
        return (f"not decoded ({type(exc).__name__}: {exc}); whole file "
                f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}\n").encode()
    lines = [f"flavor: {font.flavor}"]
    for tag in sorted(font.reader.keys()):
        table = bytes(font.reader[tag])
        if tag == "head" and len(table) >= 36:
            table = table[:8] + bytes(4) + table[12:28] + bytes(8) + table[36:]
        lines.append(f"{tag:<4} {len(table):>8} {hashlib.sha256(table).hexdigest()}")
    return ("\n".join(lines) + "\n").encode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Record a redirect as it is (303 and its Location), not where it leads."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def multipart_body(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "compare-outputs-boundary-7d1f0c"
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n"
                  .encode())
        out.write(value.encode("utf-8") + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def snapshot(src: Path, out: Path, jobs: int | None = None) -> int:
    src, out = src.resolve(), out.resolve()
    if not (src / "campaign_letters").is_dir():
        raise SystemExit(f"error: {src} has no campaign_letters/ (give a checkout's src folder)")
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} is not empty; give a new folder")
    started = time.monotonic()
    shot = Snapshot(src, out, jobs)
    shot.work.mkdir(parents=True)
    shot.artifacts_dir.mkdir(parents=True)
    shot.check_import()
    print(f"snapshot of {src} into {out}", file=sys.stderr)
    # The web server first, on its own: its timings and the CLI's do not mix.
    shot.web()
    shot.parallel([*shot.pack_tasks(), *shot.other_cli_tasks(), *shot.letter_tasks(),
                   *shot.email_tasks()])
    index = dict(sorted(shot.index.items()))
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    seconds = time.monotonic() - started
    surfaces: dict[str, int] = {}
    for name in index:
        surfaces[name.split("/")[0]] = surfaces.get(name.split("/")[0], 0) + 1
    (out / "snapshot-info.json").write_text(json.dumps({
        "src": str(src), "python": sys.version, "date": DATE, "seconds": round(seconds, 1),
        "artifacts": len(index), "by_surface": surfaces}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(index)} artifacts ({', '.join(f'{k} {v}' for k, v in surfaces.items())}) "
          f"in {seconds:.0f} s; {out / 'index.json'}", file=sys.stderr)
    return 0
