"""Letter packs for organizers: a roster in, a file per volunteer, one print-ready file
(one per paper size when the volunteers' letters are on two), address labels and a
manifest out.

The work is resumable and safe to interrupt: every file is written under a temporary name
and renamed, and each finished volunteer is appended to a journal (``.pack-journal``) with
a hash of everything that went into their letters. A second run with the same inputs
skips those volunteers, keeps the letter date of the first run (unless ``--date`` is
given) and only rebuilds the combined files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from campaign_letters.campaign.load import load_campaign
from campaign_letters.compose.address import recipient_lines
from campaign_letters.compose.officials import Addressing, decide_all
from campaign_letters.compose.paper import default_paper
from campaign_letters.errors import CampaignLettersError, InputError, OutputError, RosterError
from campaign_letters.files import ascii_slug, write_atomically
from campaign_letters.layout.labels import label_font_size, render_labels, sheet_for_paper
from campaign_letters.layout.pages import window_warnings
from campaign_letters.model import AddressBy, Campaign, SendTo
from campaign_letters.pack.folder import (
    LABELS,
    LETTERS_DIR,
    PAPER_NAMES,
    ManifestWriter,
    PackInfo,
    open_pack_journal,
    print_pack_for,
    print_pack_names,
    read_pack_journal,
    remove_stale_print_packs,
)
from campaign_letters.pdf import Bookmark, PdfJoiner, SourcePdf
from campaign_letters.produce import produce_letters
from campaign_letters.text import faces
from campaign_letters.version import __version__
from campaign_letters.volunteer.check import check_volunteer
from campaign_letters.volunteer.postcodes import restore_leading_zeros
from campaign_letters.volunteer.roster import Roster, RosterRow


@dataclass(frozen=True)
class PackOptions:
    date: dt.date | None = None  # None: the first run's date, or today
    to: SendTo = "all"
    paper: str = "auto"
    envelope: str = "auto"
    address_by: AddressBy = "auto"
    duplex: bool = False
    sort: str = "volunteer"  # or "recipient"
    jobs: int = 1
    pdf_standard: str = "ua-1"  # or "a-2b": each volunteer's PDF is PDF/A-2b too


@dataclass(slots=True)
class VolunteerResult:
    row: int
    name: str
    status: str  # "made", "unchanged" or "failed"
    file: str = ""  # relative to the pack folder
    recipients: list[str] = field(default_factory=list)  # office of each letter, in order
    recipient_ids: list[str] = field(default_factory=list)  # the same recipients' ids
    pages: list[int] = field(default_factory=list)  # pages of each letter
    sha256: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field or "", what)
    input_hash: str = ""
    warnings: list[str] = field(default_factory=list)  # e.g. too many sheets to post
    country: str = ""  # the volunteer's, as typed in upper case: labels follow its format
    # What pack decided, for mail to reuse: the letters' language, and whom they address
    # as the letters name them (the holder's name or the office), in that language.
    language: str = ""
    addressed: list[str] = field(default_factory=list)
    paper: str = ""  # the letters' paper size ("a4", "letter"): their print file


@dataclass(frozen=True)
class PrintFile:
    """One print file of a pack: its name, paper size and pages."""

    name: str
    paper: str
    pages: int

    def describe(self) -> str:
        """'print-pack-a4.pdf (A4, 12 pages)'"""
        return (f"{self.name} ({PAPER_NAMES.get(self.paper, self.paper)}, {self.pages} "
                f"page{'s' * (self.pages != 1)})")


@dataclass
class PackResult:
    """What a pack run made, counted as it went: a roster of any size keeps only its
    failures and warnings."""

    out_dir: Path
    date: dt.date
    volunteers: int = 0  # with letters, made now or unchanged from an earlier run
    unchanged: int = 0
    letters: int = 0
    failed: list[VolunteerResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    print_files: list[PrintFile] = field(default_factory=list)  # one per paper size

    def count(self, result: VolunteerResult) -> None:
        if result.status == "failed":
            self.failed.append(result)
            return
        self.volunteers += 1
        self.unchanged += result.status == "unchanged"
        self.letters += len(result.pages)
        self.warnings += [f"row {result.row}: {warning}" for warning in result.warnings]


def slug(name: str, limit: int = 40) -> str:
    """A file-name-safe ASCII form of a name (filenames.ascii_slug), never empty.

    >>> slug("Søren Ødegård-Ñúñez")
    'soren-odegard-nunez'
    >>> slug("山田")
    'shantian'
    >>> slug("&&")
    'volunteer'
    """
    return ascii_slug(name, limit) or "volunteer"


# -- one volunteer (runs in a worker process) ----------------------------------------------

_WORKER: dict[str, object] = {}
_T = TypeVar("_T")


def _init_worker(campaign_path: str) -> None:
    """Once per worker process: the campaign parsed and the fonts registered. A worker
    forked from the process that loaded it (``_share_campaign``) has both already."""
    if _WORKER.get("path") != campaign_path:
        _WORKER["campaign"] = load_campaign(Path(campaign_path))
        _WORKER["path"] = campaign_path
    faces.register_fonts()


def _share_campaign(campaign_path: Path, campaign: Campaign) -> None:
    """The campaign as this process loaded it, for workers forked from it (and for
    making letters in this process): loaded, checked and its fonts registered once."""
    _WORKER["campaign"], _WORKER["path"] = campaign, str(campaign_path)


def _input_hash(campaign_bytes_hash: str, row: RosterRow, options: PackOptions,
                date: dt.date) -> str:
    payload = json.dumps([__version__, campaign_bytes_hash, sorted(row.values.items()),
                          options.to, options.paper, options.envelope, options.address_by,
                          date.isoformat(), options.pdf_standard], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _make_volunteer(job: tuple[RosterRow, str, str, PackOptions, dt.date]
                    ) -> VolunteerResult:
    row, out_dir, input_hash, options, date = job
    campaign = _WORKER["campaign"]
    assert isinstance(campaign, Campaign)
    result = VolunteerResult(row=row.row, name=row.name, status="failed",
                             input_hash=input_hash,
                             country=(row.values.get("country") or "").strip().upper())
    if row.problem:
        result.problems = [("", row.problem)]
        return result
    values = dict(row.values)
    restored_warning = None
    restored = restore_leading_zeros(values.get("country") or "", values.get("region") or "",
                                     values.get("postal_code") or "")
    if restored is not None:
        restored_warning = (f"postal_code: {values['postal_code'].strip()!r} read as "
                            f"{restored!r}: the spreadsheet had dropped its leading zeros "
                            "(format the column as text to keep them)")
        values["postal_code"] = restored
    asked, problems = check_volunteer(campaign, {**values, "paper": options.paper})
    if asked is None:
        code = (values.get("postal_code") or "").strip()
        result.problems = [(problem.field, problem.message + (
            "; if a spreadsheet dropped its leading zeros, format the column as text and "
            "type them again" if problem.field == "postal_code" and code.isdigit() else ""))
            for problem in problems]
        return result
    try:
        made = produce_letters(campaign, asked.sender, date=date, language=asked.language,
                               to=options.to, paper=options.paper, envelope=options.envelope,
                               address_by=options.address_by, note=asked.note,
                               pdf_standard=options.pdf_standard)
    except InputError as exc:
        result.problems = [(exc.field, exc.message)]
        return result
    except CampaignLettersError as exc:
        result.problems = [("", str(exc))]
        return result
    name = f"{row.row:04d}-{slug(asked.sender.name)}.pdf"
    write_atomically(Path(out_dir) / LETTERS_DIR / name, made.pdf)
    result.status = "made"
    result.file = f"{LETTERS_DIR}/{name}"
    result.recipients = [letter.recipient.office for letter in made.letters]
    result.recipient_ids = [letter.recipient.id for letter in made.letters]
    result.pages = list(made.pages)
    result.sha256 = hashlib.sha256(made.pdf).hexdigest()
    # The window's warnings (an address the window may not show whole) are said where
    # produce_letters's are; those it does not give already are added here.
    window = [warning for warning in window_warnings(made.letters)
              if warning not in made.warnings]
    result.warnings = [*([restored_warning] if restored_warning else []), *made.warnings,
                       *window]
    result.language = made.language
    result.addressed = list(made.addressed)
    result.paper = made.letters[0].geometry.paper
    return result


# -- the journal ----------------------------------------------------------------------------

def _earlier_results(out_dir: Path) -> tuple[dt.date | None, dict[int, VolunteerResult]]:
    """What an earlier run made, from the pack journal (pack/folder.py)."""
    date, entries = read_pack_journal(out_dir)
    known = set(VolunteerResult.__dataclass_fields__)
    return date, {row: VolunteerResult(**{k: v for k, v in entry.items() if k in known})
                  for row, entry in entries.items()}


def _still_valid(out_dir: Path, previous: VolunteerResult, input_hash: str) -> bool:
    # A volunteer recorded without the decisions mail reads or the paper the print files
    # are sorted by (an older pack) is made again.
    if previous.status != "made" or previous.input_hash != input_hash or \
            not previous.language or not previous.paper:
        return False
    path = out_dir / previous.file
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == previous.sha256
    except OSError:
        return False


# -- the whole pack -------------------------------------------------------------------------

def build_pack(campaign_path: Path, roster: Roster, out_dir: Path, options: PackOptions,
               on_progress: Callable[[int, int], None] | None = None) -> PackResult:
    """Make every volunteer's letters, then the print pack, the labels and the manifest.

    One piece because it is one transaction over the folder: the journal, the results
    coming back from the workers in roster order and the combined files are opened,
    fed and closed (or discarded on a failure) together, and a reader should see the
    whole of what a crash at any line leaves behind."""
    try:
        (out_dir / LETTERS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    # A run killed outright (kill -9) leaves its temporary files: never a finished file,
    # so they go.
    for stale in [*out_dir.glob(".*.tmp"), *(out_dir / LETTERS_DIR).glob(".*.tmp")]:
        stale.unlink(missing_ok=True)
    campaign = load_campaign(campaign_path)
    _share_campaign(campaign_path, campaign)
    earlier_date, earlier = _earlier_results(out_dir)
    date = options.date or earlier_date or dt.date.today()
    # What `campaign-letters mail` needs to find the volunteers again: where the campaign
    # and the roster are, and how the letters were made (no volunteer's details).
    PackInfo(campaign=str(campaign_path.resolve()), roster=str(Path(roster.shown).resolve()),
             sheet=roster.sheet, date=date, to=options.to,
             address_by=options.address_by).write(out_dir)
    campaign_hash = hashlib.sha256(campaign_path.read_bytes()).hexdigest()
    if earlier_date != date:
        earlier = {}
    unchanged: dict[int, VolunteerResult] = {}
    for row in roster.rows() if earlier else ():
        previous = earlier.get(row.row)
        if previous is not None and _still_valid(
                out_dir, previous, _input_hash(campaign_hash, row, options, date)):
            previous.status = "unchanged"
            # From the row, not the journal: a journal written before countries were kept
            # has none (the country is part of the input hash, so it is the same).
            previous.country = (row.values.get("country") or "").strip().upper()
            unchanged[row.row] = previous
    del earlier
    # Fixed now: the loop below takes rows out of ``unchanged`` while this generator, read
    # lazily and ahead of it, still has to skip them.
    skip = frozenset(unchanged)
    jobs = ((row, str(out_dir), _input_hash(campaign_hash, row, options, date), options, date)
            for row in roster.rows() if row.row not in skip)
    made_results = _run(jobs, roster.count - len(unchanged), str(campaign_path),
                        options.jobs)
    pack = PackResult(out_dir, date)
    # `mail` writes to the roster's email column: a roster that gives it no one is said
    # now, while the organizer is at the roster, not found out when mailing.
    no_emails = roster.missing_emails()
    if no_emails:
        hint = roster.email_hint()
        pack.warnings.append(f"{no_emails}: `mail` will have no one to write to; letters "
                             f"are made anyway{f'; {hint}' if hint else ''}")
    total = roster.count
    # In roster order (--sort volunteer) the print pack, the labels and the manifest are
    # written as the results come back (in order): memory stays flat however long the
    # roster, and no long single-core tail follows the letters. By recipient, the order is
    # known only at the end, so a small record of each volunteer is kept until then.
    by_volunteer = options.sort == "volunteer"
    outputs: _Outputs | None = None
    later: list[VolunteerResult] = []
    try:
        next(made_results)  # the workers start on the letters while the files open
        outputs = _Outputs(out_dir, options, campaign, roster)
        outputs.labels.set_date(date, campaign)
        with open_pack_journal(out_dir, date, fresh=earlier_date != date) as journal:
            for done, row in enumerate(roster.rows(), start=1):
                result = unchanged.pop(row.row, None) or next(made_results)
                assert result is not None  # only the first item is None
                if result.row != row.row:  # the file changed between two of its readings
                    raise RosterError(f"{roster.path}: the roster changed while the pack was "
                                      "being made; run the command again")
                if result.status == "made":
                    journal.record(_journal_entry(result))
                pack.count(result)
                outputs.manifest_row(result)
                if result.status != "failed":
                    if by_volunteer:
                        outputs.add_volunteer(result)
                    else:
                        later.append(_kept(result))
                if on_progress:
                    on_progress(done, total)
        if not by_volunteer:
            for volunteer, index in _letter_order(later, options.sort):
                outputs.add_letter(later[volunteer], index)
        pack.print_files = outputs.close(any_letters=pack.volunteers > 0)
    except (OSError, OutputError) as exc:  # e.g. the disk is full
        _discard(outputs)
        raise _write_failure(exc, out_dir, pack.volunteers) from None
    except BaseException:
        _discard(outputs)
        raise
    finally:
        made_results.close()  # the workers exit now, not when the pack is finished
    return pack


_RESULT_FIELDS = tuple(VolunteerResult.__dataclass_fields__)


def _journal_entry(result: VolunteerResult) -> dict[str, object]:
    """``asdict(result)`` without its deep copy: the journal only reads it."""
    return {name: getattr(result, name) for name in _RESULT_FIELDS}


def _discard(outputs: _Outputs | None) -> None:
    if outputs is not None:
        outputs.discard()


def _kept(result: VolunteerResult) -> VolunteerResult:
    """What the print pack and the labels need of a volunteer, kept until the end."""
    return VolunteerResult(row=result.row, name=result.name, status=result.status,
                           file=result.file, pages=result.pages, country=result.country,
                           recipients=[sys.intern(office) for office in result.recipients],
                           recipient_ids=[sys.intern(i) for i in result.recipient_ids],
                           paper=result.paper)


def _write_failure(exc: OSError | OutputError, out_dir: Path, kept: int) -> OutputError:
    """A write refused (a full disk, a read-only folder): what, and how to go on."""
    what = str(exc).split("; ")[0] if isinstance(exc, OutputError) else \
        f"cannot write in {out_dir}: {exc.strerror or exc}"
    return OutputError(f"{what}; make room or choose another folder, then run the same "
                         f"command again: the {kept} volunteers' letters already made are "
                         "kept")


def _run(jobs: Iterator[tuple[RosterRow, str, str, PackOptions, dt.date]], count: int,
         campaign_path: str, workers: int) -> Generator[VolunteerResult | None, None, None]:
    """Results in job order, after a first None: advanced once, the workers are started
    and given their first jobs, and make letters while the caller opens the pack's files.
    At most a window of jobs is in flight, so a roster of any size keeps the same few in
    memory."""
    if workers <= 1 or count < 4:
        yield None
        if count:
            _init_worker(campaign_path)
        for job in jobs:
            yield _make_volunteer(job)
        return
    window = workers * 8  # tasks of JOBS_PER_TASK volunteers
    with ProcessPoolExecutor(workers, initializer=_init_worker,
                             initargs=(campaign_path,)) as pool:
        in_flight: deque[Future[list[VolunteerResult]]] = deque()
        tasks = _batched(jobs, JOBS_PER_TASK)
        for task in itertools.islice(tasks, window):
            in_flight.append(pool.submit(_make_volunteers, task))
        yield None
        while in_flight:
            results = in_flight.popleft().result()
            for task in itertools.islice(tasks, 1):
                in_flight.append(pool.submit(_make_volunteers, task))
            yield from results


# Volunteers a worker makes per task: a task's round trip (the job sent, the results
# sent back, the main process woken) costs the main process as much as copying a
# volunteer's letters into the print pack; four to a task, it is a quarter of that.
JOBS_PER_TASK = 4


def _batched(items: Iterator[_T], size: int) -> Iterator[list[_T]]:
    while True:
        batch = list(itertools.islice(items, size))
        if not batch:
            return
        yield batch


def _make_volunteers(jobs: list[tuple[RosterRow, str, str, PackOptions, dt.date]]
                     ) -> list[VolunteerResult]:
    return [_make_volunteer(job) for job in jobs]


def _letter_order(made: list[VolunteerResult], sort: str) -> list[tuple[int, int]]:
    """(volunteer index, letter index) in print order."""
    pairs = [(v, i) for v, result in enumerate(made) for i in range(len(result.pages))]
    if sort == "recipient":
        # Destinations in the order they first appear; sorting is stable, so within one
        # destination the volunteers keep their roster order.
        order: dict[str, int] = {}
        for v, i in pairs:
            order.setdefault(made[v].recipients[i], len(order))
        pairs.sort(key=lambda pair: order[made[pair[0]].recipients[pair[1]]])
    return pairs


class _Outputs:
    """The pack's combined files, fed one volunteer (or letter) at a time in print order:
    the print pack, the address labels and the manifest. Each is written under a temporary
    name and renamed by ``close``; ``discard`` leaves none of them half-made."""

    def __init__(self, out_dir: Path, options: PackOptions, campaign: Campaign,
                 roster: Roster):
        self.labels = LabelWriter(out_dir, options, campaign, roster)  # checks every label
        self.print_pack = PrintPack(out_dir, options)
        try:
            self.manifest = ManifestWriter(out_dir)
        except BaseException:
            self.print_pack.discard()
            raise

    def manifest_row(self, r: VolunteerResult) -> None:
        self.manifest.add(r.row, r.name, r.file, r.recipients, sum(r.pages), r.sha256,
                          r.status != "failed", r.problems)

    def add_volunteer(self, result: VolunteerResult) -> None:
        self.print_pack.add_volunteer(result)
        for index in range(len(result.pages)):
            self.labels.add(result, index)

    def add_letter(self, result: VolunteerResult, index: int) -> None:
        self.print_pack.add_letter(result, index)
        self.labels.add(result, index)

    def close(self, any_letters: bool) -> list[PrintFile]:
        """Rename every file into place; the print files written."""
        self.manifest.close()  # the record of what was made comes first
        if not any_letters:
            self.print_pack.discard()
            self.labels.discard()
            return []
        written = self.print_pack.close()
        self.labels.close()
        return written

    def discard(self) -> None:
        self.print_pack.discard()
        self.labels.discard()
        self.manifest.discard()


class PrintPack:
    """Every letter in one file for the office printer, streamed (memory stays flat), with
    bookmarks per volunteer and, nested, per letter (per destination and volunteer with
    ``--sort recipient``). Letters on two paper sizes go to one file per size, so that
    no tray is sent the other's sheets (``folder.print_pack_names``); the files are named
    at ``close``, when the sizes used are known."""

    def __init__(self, out_dir: Path, options: PackOptions):
        self.out_dir, self.options = out_dir, options
        self.joiners: dict[str, PdfJoiner] = {}  # by paper size, in order of first use
        self.tops: dict[str, dict[str, Bookmark]] = {}  # by paper, then by recipient
        self._open: tuple[int, SourcePdf] | None = None

    def _joiner(self, paper: str) -> PdfJoiner:
        joiner = self.joiners.get(paper)
        if joiner is None:
            # Under the per-size name until close: a temporary file of its own.
            joiner = self.joiners[paper] = PdfJoiner(
                self.out_dir / print_pack_for(paper), title="Print pack",
                creator=f"campaign-letters {__version__}")
        return joiner

    def _source(self, result: VolunteerResult) -> SourcePdf:
        """One volunteer's file open at a time, its fonts copied once."""
        if self._open is None or self._open[0] != result.row:
            self._open = (result.row, SourcePdf(self.out_dir / result.file))
        return self._open[1]

    def add_volunteer(self, result: VolunteerResult) -> None:
        """All of a volunteer's letters, in order: the whole file copied at once, its
        bookmarks written at once."""
        joiner = self._joiner(result.paper)
        try:
            pages = joiner.copy_document((self.out_dir / result.file).read_bytes())
        except ValueError:  # not laid out as ReportLab writes: the general path
            pages = None
        top = Bookmark(f"{result.row:04d} {result.name}", len(joiner.pages))
        start = 0
        for index, count in enumerate(result.pages):
            top.children.append(Bookmark(result.recipients[index], len(joiner.pages)))
            if pages is None:
                self._add_pages(result, index)
                continue
            for number in pages[start:start + count]:
                joiner.append_page(number)
            if self.options.duplex and count % 2:
                joiner.add_blank_page(*self._source(result).page_size(0))
            start += count
        joiner.add_bookmark(top)

    def add_letter(self, result: VolunteerResult, index: int) -> None:
        """One letter, for --sort recipient: bookmarked under its destination."""
        first = len(self._joiner(result.paper).pages)
        self._add_pages(result, index)
        recipient = result.recipients[index]
        tops = self.tops.setdefault(result.paper, {})
        tops.setdefault(recipient, Bookmark(recipient, first)).children.append(
            Bookmark(f"{result.row:04d} {result.name}", first))

    def _add_pages(self, result: VolunteerResult, index: int) -> None:
        joiner = self._joiner(result.paper)
        source = self._source(result)
        start = sum(result.pages[:index])
        joiner.add_source_pages(source, start, result.pages[index])
        if self.options.duplex and result.pages[index] % 2:
            joiner.add_blank_page(*source.page_size(start))

    def close(self) -> list[PrintFile]:
        """Each file renamed into place under its name (print-pack.pdf for one paper size),
        then the print files of an earlier run on other sizes removed."""
        names = print_pack_names(list(self.joiners))
        written = []
        for paper, joiner in self.joiners.items():
            joiner.path = self.out_dir / names[paper]
            joiner.close(list(self.tops.get(paper, {}).values()))
            written.append(PrintFile(names[paper], paper, len(joiner.pages)))
        remove_stale_print_packs(self.out_dir, keep=set(names.values()))
        return written

    def discard(self) -> None:
        for joiner in self.joiners.values():
            joiner.__exit__(None)


# Labels are rendered this many sheets at a time and joined: ReportLab keeps a document's
# pages in memory until it is saved, and 30,000 labels would be 1,400 of them.
LABEL_SHEETS_PER_PART = 40


class LabelWriter:
    """One address label per letter, in print-pack order, for plain envelopes: rendered a
    part at a time and streamed into one file (a single part is written as it is)."""

    def __init__(self, out_dir: Path, options: PackOptions, campaign: Campaign,
                 roster: Roster):
        self.path = out_dir / LABELS
        self.options = options
        countries = roster.countries
        paper = options.paper if options.paper != "auto" else \
            default_paper(countries.most_common(1)[0][0] if countries else "")
        self.sheet = sheet_for_paper(paper)
        self.by_id = {r.id: r for r in campaign.postal_recipients}
        self.decisions: dict[str, Addressing] = {}
        self.pending: list[list[str]] = []
        # (recipient id, sender's country) -> the label's lines
        self._lines: dict[tuple[str, str], list[str]] = {}
        self.done = 0  # labels in earlier parts, for their numbers in messages
        self.joiner: PdfJoiner | None = None
        # Every label the pack can need, checked before any letter is made: one that
        # cannot fit is found now, not after an hour of letters.
        for recipient in self.by_id.values():
            for country in countries or [""]:
                for by_name in (False, True):
                    label_font_size(recipient_lines(recipient, country,
                                                    Addressing(recipient, by_name, "requested")
                                                    if by_name else None),
                                    self.sheet, 0)

    def set_date(self, date: dt.date, campaign: Campaign) -> None:
        """The letters' date decides who they name; the labels name the same."""
        self.decisions = decide_all(campaign, date, self.options.address_by)
        self._lines.clear()

    def add(self, result: VolunteerResult, index: int) -> None:
        key = (result.recipient_ids[index], result.country)
        lines = self._lines.get(key)
        if lines is None:  # a few recipients, a few countries: each set once
            recipient = self.by_id[key[0]]
            lines = self._lines[key] = recipient_lines(recipient, result.country,
                                                       self.decisions.get(recipient.id))
        self.pending.append(lines)
        if len(self.pending) == self.sheet.per_sheet * LABEL_SHEETS_PER_PART:
            self._flush()

    def _flush(self) -> None:
        part = render_labels(self.pending, self.sheet, title="Address labels",
                             first_number=self.done + 1)
        self.done += len(self.pending)
        self.pending = []
        if self.joiner is None:
            self.joiner = PdfJoiner(self.path, title="Address labels",
                                    creator=f"campaign-letters {__version__}")
        self.joiner.add_document(part)

    def close(self) -> None:
        if self.joiner is None:  # one part: as rendered
            write_atomically(self.path, render_labels(self.pending, self.sheet,
                                                      title="Address labels",
                                                      first_number=self.done + 1))
            return
        if self.pending:
            self._flush()
        self.joiner.close()

    def discard(self) -> None:
        if self.joiner is not None:
            self.joiner.__exit__(None)


