"""A build that fails or is interrupted leaves the previous site as it was; a good build replaces it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from playbook.mkdocs import staging

from .conftest import build, build_error

SLOW_HOOK = """
import os, pathlib, time

def on_post_build(config, **kwargs):
    # every file is written; the playbook plugin has not swapped the site in yet
    pathlib.Path(os.environ["PLAYBOOK_TEST_READY"]).write_text(config.site_dir)
    time.sleep(120)
"""
FAILING_HOOK = """
def on_post_build(config, **kwargs):
    raise RuntimeError("a plugin failed after every file was written")
"""


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def built(good_catalog, make_site) -> tuple[Path, dict[str, bytes]]:
    """A project built once: its folder and the bytes of its site."""
    project = make_site(good_catalog)
    site = build(project)
    assert leftovers(project) == []
    return project, snapshot(site)


def add_hook(project: Path, source: str) -> None:
    (project / "hook.py").write_text(source)
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text())
    config["hooks"] = ["hook.py"]
    config_file.write_text(yaml.safe_dump(config))


def test_failed_validation_keeps_the_old_site(built, good_catalog, caplog):
    project, before = built
    (good_catalog / "roles" / "team-member.yaml").write_text("kind: Role\nid: [\n")
    assert "E-" in build_error(project, caplog)
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_sandbox_error_in_a_page_keeps_the_old_site(built, caplog):
    project, before = built
    (project / "docs" / "index.md").write_text("# Home\n\n{{ config }}\n")
    assert "docs/index.md:3" in build_error(project, caplog)
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_strict_warning_after_every_file_was_written_keeps_the_old_site(built, caplog):
    project, before = built
    (project / "docs" / "index.md").write_text("# Home\n\n[broken](missing.md)\n")
    with pytest.raises(Exception, match="strict mode"):
        build(project)
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_plugin_failing_after_the_pages_keeps_the_old_site(built):
    project, before = built
    (project / "docs" / "index.md").write_text("# Home, never published\n")
    add_hook(project, FAILING_HOOK)
    with pytest.raises(RuntimeError, match="after every file"):
        build(project)
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_good_build_replaces_the_site_and_its_stale_files(built):
    project, before = built
    (project / "site" / "stale.html").write_text("from an older build")
    (project / "docs" / "index.md").write_text("# Home again\n")
    after = snapshot(build(project))
    assert "stale.html" not in after  # a clean build, as MkDocs' own
    assert b"Home again" in after["index.html"] and after["index.html"] != before["index.html"]
    assert leftovers(project) == []


def start_slow_build(project: Path, *command: str) -> tuple[subprocess.Popen[bytes], Path]:
    """Start `command` in `project` with a hook that waits once the site is written; returns when it waits."""
    add_hook(project, SLOW_HOOK)
    ready = project / "ready"
    env = {**os.environ, "PLAYBOOK_TEST_READY": str(ready)}
    process = subprocess.Popen(
        command,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        # a job started in the background (`make test &`) inherits SIGINT ignored, and Python then
        # installs no KeyboardInterrupt handler: give the build Ctrl-C back, as a terminal would
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None, process.communicate()[0].decode()
        assert time.monotonic() < deadline, "the build never reached on_post_build"
        time.sleep(0.1)
    assert Path(ready.read_text()).name.startswith(".site.tmp-")  # it was building beside the site
    return process, ready


MKDOCS = (sys.executable, "-m", "mkdocs", "build", "--strict")
PLAYBOOK = (sys.executable, "-m", "playbook", "build", "--content", "CONTENT")


@pytest.mark.parametrize(
    ("command", "signum"),
    [(MKDOCS, signal.SIGINT), (MKDOCS, signal.SIGTERM), (PLAYBOOK, signal.SIGTERM)],
    ids=["mkdocs-ctrl-c", "mkdocs-sigterm", "playbook-sigterm"],
)
def test_interrupted_build_keeps_the_old_site(built, good_catalog, command, signum):
    project, before = built
    command = tuple(str(good_catalog) if part == "CONTENT" else part for part in command)
    (project / "docs" / "index.md").write_text("# Home, never published\n")
    process, _ = start_slow_build(project, *command)
    process.send_signal(signum)
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode != 0
    assert "Traceback" not in output
    assert snapshot(project / "site") == before
    if signum == signal.SIGINT:
        assert leftovers(project) == []  # MkDocs ran on_shutdown, which removed the staging folder
    # A killed build cannot clean up; the next build removes what it left, and replaces the site.
    (project / "hook.py").write_text("")
    (project / "docs" / "index.md").write_text("# Home again\n")
    assert b"Home again" in snapshot(build(project))["index.html"]
    assert leftovers(project) == []


def test_a_swap_killed_between_its_renames_is_undone_by_the_next_build(tmp_path):
    site = tmp_path / "site"
    (tmp_path / ".site.old-999999999").mkdir()  # no such process: what a build killed mid-swap leaves
    (tmp_path / ".site.old-999999999" / "index.html").write_text("old")
    (tmp_path / ".site.tmp-999999999").mkdir()
    staging.clear_leftovers(site)
    assert (site / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_running_build_keeps_its_staging_folder(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / f".site.tmp-{other.pid}").mkdir()
        staging.clear_leftovers(tmp_path / "site")
        assert (tmp_path / f".site.tmp-{other.pid}").is_dir()
    finally:
        other.kill()
        other.wait()


def test_symlinked_site_folder_stays_a_link(built, tmp_path):
    project, _ = built
    target = tmp_path / "www"
    (project / "site").rename(target)
    (project / "site").symlink_to(target)
    build(project)
    assert (project / "site").is_symlink() and (target / "index.html").is_file()
    assert leftovers(project) == [] and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_no_room_beside_the_site_builds_in_place(built, monkeypatch):
    project, _ = built

    def refuse(site_dir: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(site_dir.parent))

    monkeypatch.setattr(staging, "staging_dir", refuse)
    (project / "docs" / "index.md").write_text("# Home again\n")
    assert b"Home again" in snapshot(build(project))["index.html"]
    assert leftovers(project) == []


def test_files_written_into_the_site_stay_inside_it(tmp_path: Path):
    from playbook.content.errors import PlaybookError

    site = tmp_path / "site"
    staging.write_files(site, [("STD-004/index.html", "<p>moved</p>"), ("downloads/a.xlsx", b"PK\x03\x04")])
    assert (site / "STD-004" / "index.html").read_text(encoding="utf-8") == "<p>moved</p>"
    assert (site / "downloads" / "a.xlsx").read_bytes() == b"PK\x03\x04"
    for bad in ("../outside.html", "/etc/passwd", "downloads/../../outside.html"):
        with pytest.raises(PlaybookError, match="outside the site folder"):
            staging.write_files(site, [(bad, "x")])
    assert not (tmp_path / "outside.html").exists()
