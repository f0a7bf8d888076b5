"""The forked child that writes downloads, exports and redirects while MkDocs renders pages."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from playbook.content.errors import PlaybookError
from playbook.mkdocs.background import Background


def test_the_child_writes_the_files_and_wait_finds_them(tmp_path: Path):
    def work() -> None:
        (tmp_path / "a.txt").write_text("from the child", encoding="utf-8")

    background = Background(work, [tmp_path / "a.txt"])
    background.start()
    assert background.pid != os.getpid()
    background.wait()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "from the child"
    assert background.pid == 0


def test_a_failure_in_the_child_is_reported_with_its_message(tmp_path: Path):
    def work() -> None:
        raise PlaybookError("template TPL-001: the Excel writer refused a sheet name")

    background = Background(work, [])
    background.start()
    with pytest.raises(PlaybookError, match="TPL-001: the Excel writer refused a sheet name"):
        background.wait()


def test_an_unexpected_error_carries_its_traceback_however_long(tmp_path: Path):
    def work() -> None:  # a report larger than a pipe's buffer must not deadlock the join
        raise ValueError("x" * 200_000)

    background = Background(work, [])
    background.start()
    with pytest.raises(PlaybookError, match=r"ValueError: x{1000}") as caught:
        background.wait()
    assert "Traceback" in str(caught.value)


def test_a_file_the_child_did_not_write_is_named(tmp_path: Path):
    background = Background(lambda: None, [tmp_path / "downloads" / "missing.docx"])
    background.start()
    with pytest.raises(PlaybookError, match=r"left out .*missing\.docx"):
        background.wait()


def test_a_child_killed_from_outside_fails_the_build(tmp_path: Path):
    def work() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    background = Background(work, [])
    background.start()
    with pytest.raises(PlaybookError, match="child exit status"):
        background.wait()


def test_discard_stops_a_child_that_still_runs(tmp_path: Path):
    def work() -> None:
        signal.pause()

    background = Background(work, [])
    background.start()
    pid = background.pid
    background.discard()
    assert background.pid == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no longer our child
