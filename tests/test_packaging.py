"""What a clone and the wheel hold: every file of the engine, so `pip install pmo-playbook` runs as the tests do."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .history_repo import commit, git

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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(folder), "."],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (built,) = folder.glob("pmo_playbook-*.whl")
    return built


def test_the_wheel_holds_every_file_of_the_engine_and_the_starter(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.startswith("playbook/")}
    assert sorted(set(_engine_files()) - packed) == []
    starter = {f"playbook/starter/{p.relative_to(ROOT).as_posix()}" for part in ("standards", "docs")
               for p in (ROOT / part).rglob("*") if p.is_file()}  # fmt: skip
    assert sorted(starter - packed) == [] and len(starter) > 80


def test_the_wheel_installed_alone_makes_a_playbook_that_builds_strict(wheel: Path, tmp_path: Path):
    """As an organisation starts: pip install the engine into a new environment, init, build."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_ = venv / "bin"
    done = subprocess.run([bin_ / "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    for args in (["--empty", "blank"], ["acme"]):
        repo = tmp_path / args[-1]
        done = subprocess.run([bin_ / "playbook", "init", *args], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        git(repo, "init", "-q")
        commit(repo, "2026-12-01", "Start the playbook")
        done = subprocess.run([bin_ / "playbook", "build", "--site-dir", "site"], cwd=repo, capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert (repo / "site" / "editors" / "cli" / "index.html").is_file()
    assert (tmp_path / "acme" / "site" / "standards" / "project-intake" / "index.html").is_file()
    assert not (tmp_path / "blank" / "site" / "standards").exists()


def test_the_wheel_declares_the_cli_and_the_plugin(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(next(n for n in archive.namelist() if n.endswith("entry_points.txt"))).decode()
    assert "playbook = playbook.mkdocs.plugin:PlaybookPlugin" in entry_points
