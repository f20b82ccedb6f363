"""Rendered pages against reference images (tests/cases/): catches what text checks cannot
(overlaps, lost glyphs, a block drawn in the wrong place, a missing mark).

Each page is rasterised with pdftoppm at 50 dpi in grey and compared with
tests/cases/<case>-<page>.png. A page fails when more than 0.02 % of its pixels differ by
more than 40 grey levels: enough slack for another poppler's anti-aliasing, not for a
moved line. After an intended visual change, regenerate with

    CAMPAIGN_LETTERS_REGENERATE=1 python -m pytest tests/layout -m visual

and look at the new images before committing them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.helpers.samples import TESTS

REFERENCES = TESTS / "cases"
DPI = 50
GREY_LEVELS = 40  # a pixel differs when its grey level moved by more than this
MAX_FRACTION = 0.0002  # of a page's pixels (~50 at 50 dpi): an extra line fails


def page_pngs(folder: Path, prefix: str) -> dict[int, Path]:
    """``prefix-<n>.png`` files by page number (pdftoppm pads n when there are 10+ pages)."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)\.png")
    return {int(m.group(1)): path for path in folder.glob("*.png")
            if (m := pattern.fullmatch(path.name))}


def numbered_pngs(folder: Path, prefix: str) -> list[Path]:
    """``prefix-<n>.png`` files in page order, numbered 1, 2, ... without gaps."""
    found = page_pngs(folder, prefix)
    assert sorted(found) == list(range(1, len(found) + 1)), \
        f"{folder}/{prefix}-*.png: pages {sorted(found)}"
    return [found[n] for n in sorted(found)]


def rasterise(pdf: Path, folder: Path, prefix: str) -> list[Path]:
    folder.mkdir()
    result = subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf),
                             str(folder / prefix)], capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    pages = numbered_pngs(folder, prefix)
    assert pages, "pdftoppm wrote no page"
    return pages


def compare(actual_path: Path, reference_path: Path, out: Path) -> str | None:
    """None if the page matches its reference, else what differs and where to look."""
    with Image.open(actual_path) as opened:
        actual = opened.convert("L")
    with Image.open(reference_path) as opened:
        reference = opened.convert("L")
    name = reference_path.stem
    actual_copy = out / f"{name}-actual.png"
    if actual.size != reference.size:
        actual.save(actual_copy)
        return (f"{name}: page is {actual.size} px, reference {reference.size} px; "
                f"actual: {actual_copy}, reference: {reference_path}")
    diff = ImageChops.difference(actual, reference)
    differing = sum(diff.histogram()[GREY_LEVELS + 1:])
    total = actual.width * actual.height
    if differing <= MAX_FRACTION * total:
        return None
    actual.save(actual_copy)
    # The reference faded, differing pixels in red.
    mask = diff.point(lambda v: 255 if v > GREY_LEVELS else 0)
    picture = reference.point(lambda v: 160 + v * 95 // 255).convert("RGB")
    picture.paste((255, 0, 0), mask=mask)
    diff_path = out / f"{name}-diff.png"
    picture.save(diff_path)
    return (f"{name}: {differing} of {total} pixels ({differing / total:.2%}) differ by more "
            f"than {GREY_LEVELS} grey levels (allowed {MAX_FRACTION:.2%}); "
            f"actual: {actual_copy}, diff: {diff_path}, reference: {reference_path}")


def assert_pages_match(pdf: Path, case: str, tmp_path: Path) -> None:
    """Rasterise ``pdf`` and compare each page with tests/cases/<case>-<n>.png; with
    CAMPAIGN_LETTERS_REGENERATE=1, write the references instead and skip."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    pages = rasterise(pdf, tmp_path / "pages", case)
    if os.environ.get("CAMPAIGN_LETTERS_REGENERATE") == "1":
        REFERENCES.mkdir(exist_ok=True)
        for stale in page_pngs(REFERENCES, case).values():
            stale.unlink()
        for number, page in enumerate(pages, 1):
            shutil.copyfile(page, REFERENCES / f"{case}-{number}.png")
        pytest.skip(f"CAMPAIGN_LETTERS_REGENERATE=1: wrote {len(pages)} reference pages "
                    f"{REFERENCES}/{case}-*.png; look at them, then run without the variable")
    references = numbered_pngs(REFERENCES, case) if REFERENCES.is_dir() else []
    assert references, (f"no reference images {REFERENCES}/{case}-*.png; create them with "
                        "CAMPAIGN_LETTERS_REGENERATE=1")
    assert len(pages) == len(references), (
        f"{case}: {len(pages)} pages rendered, {len(references)} reference pages; pages "
        f"are in {pages[0].parent}")
    out = tmp_path / "failed"
    out.mkdir()
    problems = [problem for page, reference in zip(pages, references, strict=True)
                if (problem := compare(page, reference, out))]
    assert not problems, "\n".join(problems)
