"""What a clone and the wheel hold: every file of the engine, so `pip install pmo-playbook` runs as the tests do."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT

ENGINE = ROOT / "playbook"


def _engine_files() -> list[str]:
    return sorted(
        p.relative_to(ROOT).as_posix() for p in ENGINE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def test_git_ignores_no_file_of_the_engine():
    # an ignore rule such as `site/` once hid playbook/site/, and a clone of the repository lacked it
    done = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=ROOT, input="\n".join(_engine_files()),
                          capture_output=True, text=True)  # fmt: skip
    assert done.stdout.split() == []


def test_the_wheel_holds_every_file_of_the_engine(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), "."],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("pmo_playbook-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.startswith("playbook/")}
    assert sorted(set(_engine_files()) - packed) == []
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(next(n for n in archive.namelist() if n.endswith("entry_points.txt"))).decode()
    assert "playbook = playbook.mkdocs.plugin:PlaybookPlugin" in entry_points
