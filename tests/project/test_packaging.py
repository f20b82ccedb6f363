"""An installed wheel (not an editable checkout) finds its campaigns and fonts."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                            check=False)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_wheel_install_runs_demo_in_an_empty_folder(tmp_path):
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", wheels, ROOT)
    (wheel,) = wheels.glob("campaign_letters-*.whl")
    # The venv borrows the dependencies this interpreter has (a .pth naming its package
    # folders: in an activated venv that is the venv's, which system_site_packages would
    # miss), so the test needs no network; the wheel's own copy comes first.
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    (own,) = (env_dir / "lib").glob("python*/site-packages")
    borrowed = dict.fromkeys([sysconfig.get_paths()["purelib"],
                              sysconfig.get_paths()["platlib"]])
    (own / "_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel)
    location = run(python, "-c", "import campaign_letters; print(campaign_letters.__file__)")
    assert str(env_dir) in location.stdout, "the test must exercise the wheel, not the checkout"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(env_dir / "bin" / "campaign-letters", "demo", "--date", "2026-11-23",
                 cwd=empty)
    made = sorted(p.name for p in (empty / "letters-demo").glob("*.pdf"))
    assert made == ["daegu-milan.pdf", "icheon-limoges.pdf", "naju-haderslev.pdf",
                    "paju-coquitlam.pdf"], result.stdout
    # The gettext catalogs travel in the wheel too: the Danish letter's copy line.
    from pypdf import PdfReader
    danish = PdfReader(empty / "letters-demo" / "naju-haderslev.pdf").pages[0].extract_text()
    assert "Kopi til:" in danish
    check = subprocess.run([env_dir / "bin" / "campaign-letters", "check"], cwd=empty,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
