"""Reading content from git: commits that touched the content folder, and file blobs at any commit.

A handful of subprocesses per build, whatever the size of the history: one `git log` for the
commits, one `git cat-file --batch` for every blob.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PlaybookError


class NoHistory(PlaybookError):
    """Git history cannot be read here; the message says why and what to do."""


@dataclass(frozen=True)
class Commit:
    """One commit that touched the content folder."""

    sha: str
    time: int
    """Commit time, seconds since the epoch."""
    paths: tuple[str, ...]
    """Files it touched, relative to the repository root."""


class Repository:
    """The git repository holding a content folder."""

    def __init__(self, folder: Path):
        if shutil.which("git") is None:
            raise NoHistory("git is not installed")
        self.folder = folder.resolve()
        try:
            top = self._git("rev-parse", "--show-toplevel", cwd=self.folder).strip()
        except NoHistory as exc:
            reason = str(exc.format_message())
            if "not a git repository" in reason:
                reason = f"{folder} is not inside a git repository (a tarball or an export?)"
            raise NoHistory(reason) from None  # else git's own words, such as "dubious ownership"
        self.root = Path(top).resolve()
        self.prefix = PurePosixPath(self.folder.relative_to(self.root).as_posix())
        """The content folder relative to the repository root."""

    def _git(self, *args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd or self.root,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise NoHistory(f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout.decode("utf-8", errors="replace")

    @property
    def shallow(self) -> bool:
        """Whether this is a shallow clone, so older versions are missing."""
        return self._git("rev-parse", "--is-shallow-repository").strip() == "true"

    def resolve(self, ref: str) -> str:
        """The commit a ref names; a clear error for an unknown ref."""
        try:
            return self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
        except NoHistory:
            raise NoHistory(
                f"unknown git ref '{ref}'; fetch it first (git fetch origin, or fetch-depth: 0 in CI)"
            ) from None

    def commits(self, ref: str = "HEAD") -> list[Commit]:
        """Commits on the first-parent line of `ref` that touched the content folder, oldest first.

        First parents only: the states a branch had as changes were merged into it, not the work in
        progress on the branches merged.
        """
        out = self._git(
            "log",
            "--first-parent",
            "--reverse",
            "--no-renames",
            "-z",
            "--format=\x01%H %ct",
            "--name-only",
            ref,
            "--",
            str(self.prefix),
        )  # -z: names as they are, not quoted
        commits = []
        for chunk in out.split("\x01")[1:]:
            head, _, names = chunk.partition("\0")
            sha, time = head.split()
            commits.append(Commit(sha, int(time), tuple(n for n in names.removeprefix("\n").split("\0") if n)))
        return commits

    def files(self, ref: str) -> list[str]:
        """Every file under the content folder at `ref`, relative to the repository root."""
        out = self._git("ls-tree", "-r", "--name-only", "-z", ref, "--", str(self.prefix))
        return [p for p in out.split("\0") if p]

    def blobs(self, specs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes | None]:
        """The bytes of each (commit, path); None where the path does not exist at that commit."""
        found: dict[tuple[str, str], bytes | None] = {}
        wanted = []
        for spec in dict.fromkeys(specs):
            if "\n" in spec[1]:
                found[spec] = None  # `git cat-file --batch` reads one name a line
            else:
                wanted.append(spec)
        if not wanted:
            return found
        request = "".join(f"{sha}:{path}\n" for sha, path in wanted).encode()
        done = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=self.root, input=request, capture_output=True, check=False
        )
        if done.returncode != 0:
            raise NoHistory(f"git cat-file failed: {done.stderr.decode(errors='replace').strip()}")
        out, at = done.stdout, 0
        for spec in wanted:
            end = out.index(b"\n", at)
            header = out[at:end]
            at = end + 1
            if header.endswith((b" missing", b" ambiguous")):  # `<spec> missing`, and a spec may hold spaces
                found[spec] = None
                continue
            _, kind, size_text = header.split()
            size = int(size_text)
            found[spec] = out[at : at + size] if kind == b"blob" else None
            at += size + 1  # the object is followed by a newline
        return found
