"""The four roster formats as LibreOffice saved them, mutated by Hypothesis: whatever the
bytes, reading the roster (``read_roster``, then every row) gives rows or one RosterError
line, in a process limited in memory and time (``RosterReader``): never a traceback, an
abort or a run past its time limit (issue 20, "Hostile files").

A mutation changes the file's own bytes (a zip's compressed data, an OLE2 file's sectors,
CSV text) or, in a zipped workbook, one XML member's unpacked text before it is zipped
again, so the XML checks and calamine's parser meet broken markup, not only broken
checksums. Examples: a fifth of the profile's (tests/helpers/strategies.py), each format."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.spreadsheets import RosterReader, saved_rosters

pytestmark = pytest.mark.slow

KINDS = ["xlsx", "xls", "ods", "csv"]
# Bytes that mean something to one of the readers, besides random ones.
TOKENS = [b"<", b">", b"/>", b'"', b"&", b"&lt;", b"&x;", b"]]>", b"<!DOCTYPE x []>",
          b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b' r="XFD1048576"', b' ref="A1:XFD1048576"',
          b' table:number-rows-repeated="1048576"', b' table:number-columns-repeated="16384"',
          b'<text:s text:c="99999999"/>', b' uniqueCount="99999999999"', b"<row>", b"<c>",
          b"<v>", b'<c t="s"><v>99999</v></c>', b"9" * 12, b"-1", b";", b",", b"\n", b"\r",
          b'"\n"', b"PK\x03\x04", bytes.fromhex("d0cf11e0a1b11ae1")]
POSITION = st.integers(min_value=0, max_value=1 << 24)
MUTATION = st.one_of(
    st.tuples(st.just("set"), POSITION, st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("insert"), POSITION,
              st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=16))),
    st.tuples(st.just("delete"), POSITION, st.integers(min_value=1, max_value=64)),
    st.tuples(st.just("repeat"), POSITION, st.integers(min_value=1, max_value=64),
              st.integers(min_value=2, max_value=1000)),
    st.tuples(st.just("cut"), POSITION))
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=4)
numbers = itertools.count()


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    for kind, position, *args in mutations:
        at = position % (len(data) + 1)
        if kind == "set":
            data = data[:at] + args[0] + data[at + len(args[0]):]
        elif kind == "insert":
            data = data[:at] + args[0] + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + args[0]:]
        elif kind == "repeat":
            data = data[:at] + data[at: at + args[0]] * args[1] + data[at + args[0]:]
        else:
            data = data[:at]
    return data


def with_member(data: bytes, member: str, mutations: list[tuple]) -> bytes:
    """The zipped workbook ``data`` with ``member`` mutated, the others as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = mutate(content, mutations)
            target.writestr(info.filename, content, compress_type=zipfile.ZIP_STORED
                            if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, bytes]:
    return {kind: path.read_bytes()
            for kind, path in saved_rosters(tmp_path_factory.mktemp("saved")).items()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mutated")


@pytest.fixture(scope="module")
def reader():
    started = RosterReader(seconds=20)
    yield started
    started.close()


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=max(10, settings.default.max_examples // 5))
@given(choice=st.data(), mutations=MUTATIONS)
def test_a_mutated_roster_gives_rows_or_one_line(kind, saved, folder, reader, choice,
                                                 mutations):
    data = saved[kind]
    members = [""]
    if kind in ("xlsx", "ods"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members += [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
    member = choice.draw(st.sampled_from(members), label="member")
    mutated = with_member(data, member, mutations) if member else mutate(data, mutations)
    path = folder / f"roster-{next(numbers)}.{kind}"
    path.write_bytes(mutated)
    answer = reader.read(path)
    path.unlink()
    assert "crash" not in answer, answer["crash"]
    if "refused" in answer:
        line = str(answer["refused"])
        assert line.startswith(f"{path}: ") and "\n" not in line, line
        assert "Traceback" not in line and "panicked" not in line, line
    else:
        assert answer["rows"] == answer["count"]
