"""Build into a staging folder beside the site folder, then swap it into place.

A build that fails, aborts in strict mode or is interrupted leaves the previous site exactly as it
was. The staging folder (`.site.tmp-<pid>`) sits next to the site folder, so publishing is two
renames on one filesystem; folders left behind by a build that was killed are removed by the next
build once the process that made them is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from playbook.content.errors import PlaybookError


def staging_dir(site_dir: Path) -> Path:
    """The empty folder this process builds into instead of `site_dir`, leftovers of dead builds cleared."""
    site_dir = site_dir.resolve()  # a symlinked site folder: stage beside its target, on its filesystem
    clear_leftovers(site_dir)
    staging = _sibling(site_dir, "tmp")
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Put the finished build in `staging` where `site_dir` is, replacing the old site."""
    site_dir = site_dir.resolve()
    backup = _sibling(site_dir, "old")
    with _signals_held():
        if site_dir.exists():
            try:
                site_dir.rename(backup)
            except OSError:  # a mount point or otherwise pinned: replace what it holds instead
                _replace_contents(site_dir, staging)
                return
        staging.rename(site_dir)
    discard(backup)


def write_files(site_dir: Path, files: Iterable[tuple[str, str | bytes]]) -> None:
    """Write (site path, content) pairs into the folder being built; a path may not leave it."""
    for path, content in files:
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts:
            raise PlaybookError(f"refusing to write {path!r} outside the site folder")
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)


def discard(staging: Path) -> None:
    """Remove a staging (or backup) folder and everything in it."""
    shutil.rmtree(staging, ignore_errors=True)


def clear_leftovers(site_dir: Path) -> None:
    """Remove staging and backup folders of builds no longer running; put back a site a killed swap left out."""
    if not site_dir.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.(tmp|old)-(\d+)")
    for path in sorted(site_dir.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_dir() or _running(int(match[2])):
            continue
        if match[1] == "old" and not site_dir.exists():
            path.rename(site_dir)  # killed between the two renames of publish(): the old site is whole
        else:
            discard(path)


def _sibling(site_dir: Path, what: str) -> Path:
    return site_dir.parent / f".{site_dir.name}.{what}-{os.getpid()}"


def _running(pid: int) -> bool:
    """Whether another live process has this id (this process's own leftovers are stale)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill would end the process there; keep its folders rather than guess
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until both renames are done: stopping between them would leave no site."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _replace_contents(site_dir: Path, staging: Path) -> None:
    for old in site_dir.iterdir():
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()
    for new in staging.iterdir():
        shutil.move(str(new), str(site_dir / new.name))
    discard(staging)
