"""Every PDF the tests make, kept for the every-PDF check (tests/project/test_every_pdf.py),
which reads each with two readers after all the other tests.

conftest.py wires this in: ``keep_made_pdfs`` when the session starts (every PDF ReportLab
writes in this process), ``running`` around each test (which test made it), ``keep_files``
after each test (the PDFs it left in its temporary folder: CLI runs in other processes,
packs), and ``put_last`` when the tests are collected. None of it depends on file names or
on the order or selection of the tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.helpers.samples import TESTS

CHECK_MODULE = TESTS / "project" / "test_every_pdf.py"
CHECK_NAME = "test_every_pdf_the_tests_made_reads_alike_in_two_readers"
# The property tests make PDFs by the thousand and compare both readers' text on each
# themselves: one in SAMPLE of theirs is checked in full.
SAMPLE = 25

# sha256 -> (the test that made it first, the PDF)
MADE_PDFS: dict[str, tuple[str, bytes]] = {}


class _Current:
    where = "(collection)"  # the test running now, or where we are between tests
    sampled = False  # a property test: only one PDF in SAMPLE is kept
    ignored = False  # the check's own examples of bad PDFs: none kept
    seen = 0  # PDFs the sampled tests made so far


current = _Current()


def keep(pdf: bytes, where: str | None = None) -> None:
    """Keep ``pdf`` (if it is one) for the check, under the test running now."""
    if not pdf.startswith(b"%PDF-") or current.ignored:
        return
    if current.sampled:
        current.seen += 1
        if current.seen % SAMPLE:
            return
    MADE_PDFS.setdefault(hashlib.sha256(pdf).hexdigest(), (where or current.where, pdf))


def keep_made_pdfs() -> None:
    """Keep every PDF made in this process, as made: by the project's own writer
    (letters, labels) or by ReportLab's (the tests' own examples)."""
    from reportlab.pdfbase import pdfdoc

    from campaign_letters.pdf.serialize import Objects

    finish = Objects.finish
    if not getattr(finish, "keeps_pdfs", False):
        def finish_and_keep(self: Objects, root: int, info: int) -> bytes:
            data = finish(self, root, info)
            keep(data)
            return data

        finish_and_keep.keeps_pdfs = True  # type: ignore[attr-defined]
        Objects.finish = finish_and_keep  # type: ignore[method-assign]

    make = pdfdoc.PDFDocument.GetPDFData
    if getattr(make, "keeps_pdfs", False):
        return

    def get_pdf_data(self, canvas):
        data = make(self, canvas)
        keep(data)
        return data

    get_pdf_data.keeps_pdfs = True  # type: ignore[attr-defined]
    pdfdoc.PDFDocument.GetPDFData = get_pdf_data


def running(item: pytest.Item | None) -> None:
    """From now on, PDFs are made by ``item`` (None: between tests). Set before its first
    fixture is set up, so PDFs its module- or session-wide fixtures make count as its."""
    if item is None:
        current.where, current.sampled, current.ignored = "(between tests)", False, False
        return
    current.where = item.nodeid
    # Hypothesis marks the tests it drives, whatever their file.
    current.sampled = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
    current.ignored = Path(item.path) == CHECK_MODULE


def keep_files(item: pytest.Item) -> None:
    """Keep the PDFs ``item`` left in its tmp_path (its own or its fixtures')."""
    tmp = (getattr(item, "funcargs", None) or {}).get("tmp_path")
    if isinstance(tmp, Path) and tmp.exists():
        for path in tmp.rglob("*.pdf"):
            if path.is_file():
                keep(path.read_bytes(), item.nodeid)


def put_last(session: pytest.Session, items: list[pytest.Item]) -> None:
    """The check runs after every other test, whatever their order (file names, -k,
    plugins that shuffle) and whichever of them were chosen: when only some folder or
    file is run, the check is added to them, to check what they made."""
    if not any(Path(item.path) == CHECK_MODULE and item.name == CHECK_NAME
               for item in items):
        module = pytest.Module.from_parent(session, path=CHECK_MODULE)
        items.extend(item for item in module.collect() if item.name == CHECK_NAME)
    last = [item for item in items if Path(item.path) == CHECK_MODULE
            and item.name == CHECK_NAME]
    items[:] = [item for item in items if item not in last] + last
