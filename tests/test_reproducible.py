"""Two builds of one commit give the same bytes; only the files engine-docs/builds.md lists carry the build date."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playbook.content.dates import build_date

from .conftest import ROOT

LATER_CLOCK = """
import datetime, sys
_now = datetime.datetime.now
class Later(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        t = _now(tz) + datetime.timedelta(days=40)
        return cls(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, t.tzinfo)
datetime.datetime = Later  # before MkDocs and the playbook import it
from mkdocs.__main__ import cli
sys.exit(cli())
"""
"""`python -c LATER_CLOCK build …`: MkDocs on a clock 40 days ahead, as a build of this commit next month."""


def documented_date_stamped() -> set[str]:
    doc = (ROOT / "engine-docs" / "builds.md").read_text()
    listed = doc.split("<!-- date-stamped:start -->")[1].split("<!-- date-stamped:end -->")[0]
    return set(re.findall(r"^- `([^`]+)`", listed, re.MULTILINE))


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> set[str]:
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter playbook as committed: a clone, so commits made meanwhile change nothing."""
    target = tmp_path_factory.mktemp("starter") / "repo"
    if (ROOT / ".git").exists():
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
        shutil.rmtree(target / "playbook")  # build with the code under test, not the committed copy
    else:  # a tarball: no history, so no archived versions either
        for part in ("docs", "macros", "standards"):
            shutil.copytree(ROOT / part, target / part, symlinks=True)
        shutil.copy(ROOT / "mkdocs.yml", target)
    return target


def run_builds(project: Path, builds: dict[str, tuple[list[str], dict[str, str]]]) -> dict[str, dict[str, bytes]]:
    """Run the builds side by side, each started 1.5 s after the last; the bytes of each site."""
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ")}
    running = {}
    for name, (command, env) in builds.items():
        site = project.parent / name
        running[name] = subprocess.Popen(
            [sys.executable, *command, "-d", str(site)],
            cwd=project,
            env={**base, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        time.sleep(1.5)
    for name, process in running.items():
        output = process.communicate(timeout=600)[0].decode()
        assert process.returncode == 0, f"{name}:\n{output}"
    return {name: snapshot(project.parent / name) for name in builds}


def utc_day() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


@pytest.fixture(scope="module")
def sites(starter: Path) -> dict[str, dict[str, bytes]]:
    """Plain `mkdocs build`s without SOURCE_DATE_EPOCH: two today, far apart in time zone, and one next month."""
    first_day = utc_day()
    built = run_builds(
        starter,
        {
            "west": (["-m", "mkdocs", "build", "--strict"], {"TZ": "Etc/GMT+12"}),
            "east": (["-m", "mkdocs", "build", "--strict"], {"TZ": "Etc/GMT-14"}),
            "later": (["-c", LATER_CLOCK, "build", "--strict"], {"TZ": "Etc/GMT+12"}),
        },
    )
    built["midnight"] = {"straddled": b"yes"} if utc_day() != first_day else {}
    return built


def test_two_builds_of_one_commit_on_one_day_are_byte_identical(sites):
    west, east = sites["west"], sites["east"]
    assert len(west) > 200
    if not sites["midnight"]:
        assert differing(west, east) == set()
    else:  # a new UTC day began between the builds: the build date differs, and nothing else may
        assert differing(west, east) <= documented_date_stamped()


def test_only_the_documented_files_carry_the_build_date(sites):
    # a build next month differs in these files only; `playbook build` pins the date to the last commit
    assert differing(sites["west"], sites["later"]) == documented_date_stamped()


def test_the_build_date_is_a_utc_day_whatever_the_time_zone(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    days = set()
    for zone in ("Etc/GMT+12", "Etc/GMT-14"):  # 26 hours apart: their local dates always differ
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        days.add(build_date())
    monkeypatch.delenv("TZ")
    time.tzset()
    assert days == {datetime.datetime.now(datetime.timezone.utc).date().isoformat()}


def test_source_date_epoch_names_the_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225599")  # 2025-12-31 23:59:59 UTC
    assert build_date() == "2025-12-31"


def test_playbook_build_dates_the_build_by_the_last_commit(good_catalog, make_site, tmp_path):
    project = make_site(good_catalog)
    git = ["git", "-c", "user.name=PMO", "-c", "user.email=pmo@example.org", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    dated = {**os.environ, "GIT_COMMITTER_DATE": "2001-02-03T12:00:00Z", "GIT_AUTHOR_DATE": "2001-02-03T12:00:00Z"}
    subprocess.run([*git, "commit", "--quiet", "-m", "Starter"], check=True, env=dated)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = [sys.executable, "-m", "playbook", "build", "--content", str(good_catalog)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "The state of the standards on 2001-02-03" in (project / "site" / "health" / "index.html").read_text()
