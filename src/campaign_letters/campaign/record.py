"""Record who holds an office in a campaign file, keeping the file as its author wrote it.

In: a campaign file, a recipient's id and a dated, sourced confirmation (``confirm``).
Out: the file's new text, with only the holder's lines changed, and what changed in words.

The file is edited through ruamel.yaml's round-trip mode, which keeps comments, key order,
quotes and folded text; the indentation is the file's own (found by trying the usual
ones until a dump without changes gives the file back). The text is parsed by the safe
reader (``yamlfile``) first, so ruamel never sees what campaign files refuse (tags,
aliases, oversized files), and the new text is checked in memory before it is written.

The rules: a different holder needs ``since`` (the day they took office), and the one
before moves to ``former`` with the day before as ``until``; the same holder is
re-confirmed (source and date replaced); an older confirmation than the recorded one
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from campaign_letters.errors import InputError, InputErrors

# (mapping, sequence, offset) indentations tried, most common in campaign files first.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))
WIDTH = 88  # where folded source texts are wrapped; the bundled files' own width
MAX_NAME = 120  # an official's name longer than this is a paste gone wrong


@dataclass(frozen=True)
class Confirmation:
    """What ``campaign-letters confirm`` is told: who holds the office, and who says so."""

    name: str
    confirmed: dt.date
    source: str
    url: str | None = None
    since: dt.date | None = None
    name_ko: str | None = None
    acting: bool = False


@dataclass(frozen=True)
class Recorded:
    text: str  # the file's new text ("" when nothing changed)
    changes: list[str]  # what changed, one sentence each


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML()  # round-trip; only ever given text the safe reader accepted
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap what the author wrapped
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    yaml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def load_round_trip(text: str) -> tuple[YAML, Any]:
    """The file's data for editing, and the YAML that writes it back as it was."""
    for indent in INDENTS:
        yaml = _yaml(indent)
        data = yaml.load(text)
        if _dump(yaml, data) == text:
            return yaml, data
    yaml = _yaml(INDENTS[0])  # an unusual layout: kept as nearly as ruamel can
    return yaml, yaml.load(text)


def folded(text: str, indent: int) -> str | FoldedScalarString:
    """Long text as a folded block (``>-``) wrapped like the bundled files; short as is."""
    text = " ".join(text.split())
    if len(text) + indent + 10 <= WIDTH:
        return text
    value = FoldedScalarString(text)
    lines = textwrap.wrap(text, WIDTH - indent - 2, break_long_words=False,
                          break_on_hyphens=False)
    positions, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        positions.append(at)  # the space after each line, where the block folds
        at += 1
    value.fold_pos = positions  # ruamel's way to keep a folded block's lines
    return value


def _date(day: dt.date) -> DoubleQuotedScalarString:
    """A date as campaign files write it: quoted, so YAML keeps it text."""
    return DoubleQuotedScalarString(day.isoformat())


def _same_person(holder: Any, new: Confirmation) -> bool:
    """The same name as letters write it. A Korean name alone is not enough: many share
    one (김), and a different Latin spelling is a different record to check by hand."""
    def norm(value: Any) -> str:
        return " ".join(str(value or "").split()).casefold()
    return norm(holder.get("name")) == norm(new.name)


def _names_a_person(recipient: Any) -> bool:
    versions = [version for key in ("address", "address_ko")
                for version in (recipient.get(key) if isinstance(recipient.get(key), list)
                                else [recipient.get(key)]) if isinstance(version, dict)]
    return "holder" in recipient or any("{name" in str(v.get("addressee") or "")
                                        for v in versions)


def _uses_name_ko(recipient: Any) -> bool:
    value = recipient.get("address_ko")
    versions = value if isinstance(value, list) else [value]
    return any(isinstance(v, dict) and "{name_ko}" in str(v.get("addressee") or "")
               for v in versions)


def check_confirmation(new: Confirmation, today: dt.date) -> list[InputError]:
    """Every problem of what ``confirm`` was told, at once."""
    problems = []
    if not new.name.strip() or "\n" in new.name or len(new.name) > MAX_NAME:
        problems.append(InputError("name", "give the holder's name on one line, as letters "
                                           "write it, e.g. --name \"Yoon Byung-tae\""))
    if not new.source.strip():
        problems.append(InputError("source", "say who says so: the publisher, title and "
                                             "date of the news or official page"))
    if new.confirmed > today:
        problems.append(InputError("confirmed", f"{new.confirmed.isoformat()} is after today "
                                                f"({today.isoformat()}): give the date of "
                                                "the source"))
    if new.url is not None and not new.url.startswith(("https://", "http://")):
        problems.append(InputError("url", f"{new.url!r} is not a web address; give the "
                                          "source's address starting with https://"))
    if new.since is not None and new.since > new.confirmed + dt.timedelta(days=366):
        problems.append(InputError("since", "a holder confirmed more than a year before "
                                            "taking office: check --since and --confirmed"))
    return problems


def record_holder(text: str, recipient_id: str, new: Confirmation, today: dt.date
                  ) -> Recorded:
    """The campaign file ``text`` with ``new`` recorded as ``recipient_id``'s holder.

    Raises InputErrors for everything that stops the change, all at once."""
    problems = check_confirmation(new, today)
    yaml, data = load_round_trip(text)
    recipients = data.get("recipients") if isinstance(data, CommentedMap) else None
    found = [r for r in recipients or () if isinstance(r, CommentedMap) and
             r.get("id") == recipient_id]
    if not found:
        ids = [str(r.get("id")) for r in recipients or () if isinstance(r, CommentedMap)]
        problems.append(InputError("recipient", f"no recipient {recipient_id!r} in this "
                                                f"campaign; its recipients: {', '.join(ids)}"))
    elif not _names_a_person(found[0]):
        problems.append(InputError("recipient", f"{recipient_id} is a body, not a person's "
                                                "office: its address names no holder"))
    if problems:
        raise InputErrors(problems)
    recipient = found[0]
    holder = recipient.get("holder")
    replaced = not (isinstance(holder, CommentedMap) and _same_person(holder, new))
    if replaced and not new.name_ko and _uses_name_ko(recipient):
        problems.append(InputError(
            "name_ko", f"{recipient_id}'s Korean address names the holder in Korean script "
                       "({name_ko}): give the name in Hangul with --name-ko"))
    if replaced and isinstance(holder, CommentedMap) and new.since is None:
        problems.append(InputError(
            "since", f"{new.name} replaces {holder.get('name')}: give the day {new.name} "
                     f"took office with --since YYYY-MM-DD, so that {holder.get('name')}'s "
                     "term is recorded as ended the day before"))
    if problems:
        raise InputErrors(problems)
    changes: list[str] = []
    if isinstance(holder, CommentedMap) and _same_person(holder, new):
        changes = _reconfirm(holder, new, recipient_id)
        if not changes:
            return Recorded("", [])
    else:
        if isinstance(holder, CommentedMap):
            assert new.since is not None  # refused above
            changes.append(_retire(recipient, holder, new.since, recipient_id))
        recipient["holder"] = _new_holder(new, recipient, holder)
        changes.insert(0, f"{recipient_id}: holder is now {new.name}"
                          f"{' (acting)' if new.acting else ''}"
                          f"{f', since {new.since.isoformat()}' if new.since else ''}, "
                          f"confirmed {new.confirmed.isoformat()}")
    return Recorded(_dump(yaml, data), changes)


def _reconfirm(holder: CommentedMap, new: Confirmation, recipient_id: str) -> list[str]:
    recorded = holder.get("confirmed")
    if recorded is not None and str(recorded) > new.confirmed.isoformat():
        return []  # a later confirmation stands
    indent = _indent_of(holder)
    wanted: dict[str, Any] = {"confirmed": _date(new.confirmed),
                              "source": folded(new.source, indent + 2)}
    if new.since is not None:
        wanted["since"] = _date(new.since)
    if new.name_ko:
        wanted["name_ko"] = new.name_ko
    changes = []
    before = {key: holder.get(key) for key in ("since", "confirmed", "name_ko")}
    for key, value in wanted.items():
        holder[key] = value
    # The address belongs to the old source: it goes with it.
    if new.url:
        holder["url"] = new.url
    elif "url" in holder:
        del holder["url"]
    if new.acting:
        holder["acting"] = True
    elif "acting" in holder:
        del holder["acting"]
        changes.append(f"{recipient_id}: {new.name} no longer recorded as acting")
    for key in ("since", "name_ko"):
        if key in wanted and str(before[key]) != str(wanted[key]):
            changes.append(f"{recipient_id}: {key} {before[key] or '-'} -> {wanted[key]}")
    changes.insert(0, f"{recipient_id}: {holder.get('name')} re-confirmed on "
                      f"{new.confirmed.isoformat()} (was {before['confirmed'] or '-'})")
    return changes


def _retire(recipient: CommentedMap, holder: CommentedMap, since: dt.date,
            recipient_id: str) -> str:
    """Move ``holder`` to the top of ``former``, ended the day before ``since``."""
    until = _date(since - dt.timedelta(days=1))
    entry = CommentedMap()
    entry["name"] = holder.get("name")
    if holder.get("name_ko"):
        entry["name_ko"] = holder.get("name_ko")
    entry["until"] = until
    entry["source"] = folded(" ".join(str(holder.get("source") or "").split()) +
                             (f" <{holder['url']}>" if holder.get("url") else ""),
                             _indent_of(holder) + 4)
    former = recipient.get("former")
    if not isinstance(former, CommentedSeq):
        former = CommentedSeq()
        keys = list(recipient)
        at = keys.index("holder") + 1 if "holder" in keys else len(keys)
        recipient.insert(at, "former", former)
    former.insert(0, entry)
    return f"{recipient_id}: {holder.get('name')} moved to former, until {until}"


def _new_holder(new: Confirmation, recipient: CommentedMap, old: Any) -> CommentedMap:
    holder = CommentedMap()
    holder["name"] = " ".join(new.name.split())
    if new.name_ko:
        holder["name_ko"] = new.name_ko.strip()
    if new.acting:
        holder["acting"] = True
    if new.since is not None:
        holder["since"] = _date(new.since)
    holder["confirmed"] = _date(new.confirmed)
    holder["source"] = folded(new.source, _indent_of(recipient) + 4)
    if new.url:
        holder["url"] = new.url
    return holder


def _indent_of(node: CommentedMap) -> int:
    """The column of ``node``'s keys in the file (ruamel records where it was read)."""
    line_col = getattr(node, "lc", None)
    return int(line_col.col) if line_col is not None and line_col.col is not None else 4
