"""Read a YAML file safely into plain data, remembering the line of every key.

Campaign files are written by hand, so every problem must point at a line. PyYAML's
``safe_load`` forgets positions and silently keeps the last of two duplicate keys, so this
module composes the node tree itself (still with the safe loader: no object tags) and
refuses what campaign files never need: anchors and aliases (alias bombs), and tags other
than the plain YAML types.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from campaign_letters.errors import Problem, YamlFileError

MAX_FILE_BYTES = 1_000_000  # the largest bundled campaign is ~15 KB

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass
class YamlDocument:
    """Plain data (dicts, lists, str, int, float, bool, None) plus where each part stands."""

    path: str
    data: Any
    lines: dict[Path_, int]
    problems: list[Problem]  # non-fatal: duplicate or non-text keys (the first one is kept)

    def line_of(self, where: Path_) -> int | None:
        """The line of ``where``, or of its nearest ancestor that has one."""
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)


def format_path(where: Path_) -> str:
    """``('recipients', 0, 'address')`` -> ``recipients[0].address``."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, display_path: str | None = None) -> YamlDocument:
    """Read and parse ``path``; raise YamlFileError with positioned problems."""
    shown = display_path or str(path)

    def fail(line: int | None, message: str) -> YamlFileError:
        return YamlFileError([Problem(shown, line, "", message)])

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(None, f"file is {size:,} bytes; campaign files are limited to "
                             f"{MAX_FILE_BYTES:,} bytes. Is this the right file?")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(None, f"cannot read the file: {exc.strerror or exc}") from None
    if not raw.strip():
        raise fail(1, "the file is empty; a campaign needs at least id, title and recipients")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(line, f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as "
                         "UTF-8 (most editors: 'Save with encoding')") from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> YamlDocument:
    loader = yaml.SafeLoader(text)
    try:
        _refuse_unsafe_events(text, shown)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError([_syntax_problem(exc, shown)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error we know is marked
        raise YamlFileError([Problem(shown, None, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlFileError([Problem(shown, 1, "", "the file holds no YAML data")])
    lines: dict[Path_, int] = {(): root.start_mark.line + 1}
    problems: list[Problem] = []
    data = _to_plain(root, (), lines, problems, shown, loader)
    return YamlDocument(shown, data, lines, problems)


MAX_DEPTH = 20  # campaign files nest 6 deep; far deeper is an attack or an accident


def _refuse_unsafe_events(text: str, shown: str) -> None:
    """Anchors, aliases, non-plain tags and absurd nesting are refused before anything is
    built (building is recursive: 5,000 nested lists would overflow Python's stack)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        assert event.start_mark is not None  # the parser marks every event it makes
        line = event.start_mark.line + 1
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlFileError([Problem(
                    shown, line, "", f"lists and mappings are nested more than {MAX_DEPTH} "
                    "levels deep here; a campaign file never needs that")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlFileError([Problem(
                shown, line, "", "anchors and aliases (& and *) are not allowed in campaign "
                "files; write the value out in full")])
        tag = getattr(event, "tag", None)
        if tag and tag not in _PLAIN_TAGS and tag != "!":
            raise YamlFileError([Problem(
                shown, line, "", f"the tag {tag!r} is not allowed; campaign files hold "
                "plain text, numbers, lists and mappings only")])


def _syntax_problem(exc: yaml.MarkedYAMLError, shown: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or "invalid YAML"
    hint = ""
    if "\\t" in problem or "'\\t'" in problem or "tab" in problem:
        hint = "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "; a value containing ': ' must be quoted"
    elif "could not find expected ':'" in problem:
        hint = "; check the indentation and that every key ends with ':'"
    context = f" ({exc.context})" if exc.context else ""
    return Problem(shown, line, "", f"YAML syntax error: {problem}{context}{hint}")


def _to_plain(node: yaml.Node, where: Path_, lines: dict[Path_, int], problems: list[Problem],
              shown: str, loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                problems.append(Problem(shown, line, format_path(where),
                                        f"key {key!r} must be text"))
                continue
            if key in out:
                first = lines.get((*where, key))
                problems.append(Problem(
                    shown, line, format_path((*where, key)),
                    f"duplicate key {key!r} (first given on line {first}); keep one of them"))
                continue
            key_path = (*where, key)  # named: mypy takes [(*a, b)] for 3.11-only syntax
            lines[key_path] = line
            out[key] = _to_plain(value_node, (*where, key), lines, problems, shown, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            item_path = (*where, index)  # named: as key_path above
            lines[item_path] = item.start_mark.line + 1
            items.append(_to_plain(item, (*where, index), lines, problems, shown, loader))
        return items
    value = loader.construct_object(node)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value
