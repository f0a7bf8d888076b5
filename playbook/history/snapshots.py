"""Every committed state of every standard, recovered from git.

A standard's file records only its current text; git gives back the rest. For each standard
this module finds each commit that changed it (a snapshot) and groups snapshots by `version`,
so the site can publish each past version and what changed between them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from playbook.content.load import Document
from playbook.content.versions import parse
from playbook.content.yaml_reader import parse_data
from playbook.history.git import Commit, NoHistory, Repository

STANDARD_FILE = re.compile(r"^STD-\d{3,}[^/]*\.(yaml|md)$")
"""Standards' file names start with their id (E-FILENAME), so other kinds' files are never read."""


def day(epoch: int) -> str:
    """`2026-03-01`: the UTC date of a commit time."""
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()


@dataclass(frozen=True)
class Snapshot:
    """A standard as one commit left it."""

    sha: str
    time: int
    """Commit time, seconds since the epoch."""
    data: Mapping[str, Any]
    """The YAML file's data at that commit."""
    body: str
    """Its Markdown body at that commit ('' when it had none)."""

    @property
    def date(self) -> str:
        return day(self.time)

    @property
    def version(self) -> str:
        return str(self.data.get("version", ""))

    @property
    def status(self) -> str:
        return str(self.data.get("status", ""))


@dataclass(frozen=True)
class Version:
    """One value a standard's `version` took, with the commits that carried it."""

    version: str
    first: Snapshot
    """The commit where `version` took this value."""
    last: Snapshot
    """The last commit with this value: the text the version ended with, shown on its archived page."""


@dataclass(frozen=True)
class StandardHistory:
    """The committed past of one standard, oldest first."""

    id: str
    snapshots: tuple[Snapshot, ...]
    versions: tuple[Version, ...] = field(init=False)

    def __post_init__(self) -> None:
        runs: dict[str, Version] = {}
        for snap in self.snapshots:
            if parse(snap.version) is None:
                continue  # an unchecked commit's version names pages and folders: '../..' must not
            known = runs.pop(snap.version, None)
            runs[snap.version] = Version(snap.version, known.first if known else snap, snap)
        object.__setattr__(self, "versions", tuple(runs.values()))

    def version(self, version: str) -> Version | None:
        return next((v for v in self.versions if v.version == version), None)


@dataclass(frozen=True)
class History:
    """What git knows of the catalog's standards; empty, with a reason, when it knows nothing."""

    standards: Mapping[str, StandardHistory]
    missing: str = ""
    """Why there is no history ('' when there is)."""
    shallow: bool = False
    """Read from a shallow clone: older versions may be missing."""

    def of(self, standard_id: str) -> StandardHistory:
        return self.standards.get(standard_id) or StandardHistory(standard_id, ())


def _stems(commit: Commit) -> set[str]:
    """The standard files a commit touched, as paths without suffix."""
    return {str(PurePosixPath(p).with_suffix("")) for p in commit.paths if STANDARD_FILE.match(PurePosixPath(p).name)}


def standard_snapshots(
    repo: Repository, ref: str = "HEAD", parsed: Mapping[bytes, Any] | None = None
) -> dict[str, list[Snapshot]]:
    """Every committed state of every standard reachable from `ref`, by id, oldest first.

    `parsed` maps file bytes to their data where they are already known: such files are not parsed again.
    """
    tree: dict[str, str | None] = {}  # path → blob id, as the commits so far left the folder
    wanted = []
    for commit in repo.commits(ref):
        tree.update(commit.blobs)
        for stem in sorted(_stems(commit)):
            wanted.append((commit, tree.get(f"{stem}.yaml"), tree.get(f"{stem}.md")))
    blobs = repo.blobs(blob for _, yaml_blob, md_blob in wanted for blob in (yaml_blob, md_blob) if blob)
    known = dict(parsed or {})
    found: dict[str, list[Snapshot]] = {}
    for commit, yaml_blob, md_blob in wanted:
        raw = blobs.get(yaml_blob) if yaml_blob else None
        if raw is None:
            data = None
        elif raw in known:
            data = known[raw]
        else:
            data = known[raw] = parse_data(raw)
        if not isinstance(data, dict) or data.get("kind") != "Standard" or not isinstance(data.get("id"), str):
            continue  # deleted here, or not a readable standard at this commit
        body = (blobs.get(md_blob) if md_blob else None) or b""
        snaps = found.setdefault(data["id"], [])
        snap = Snapshot(commit.sha, commit.time, data, body.decode("utf-8", errors="replace"))
        if snaps and snaps[-1].data == snap.data and snaps[-1].body == snap.body:
            continue  # touched but unchanged (a rename, a comment)
        snaps.append(snap)
    return found


_CACHE: dict[tuple[Path, str], History] = {}


def read_history(content_dir: Path, loaded: Iterable[Document] = ()) -> History:
    """The history of every standard under `content_dir`, or an empty one saying why there is none.

    `loaded` are documents already read from the working tree: a commit that left a file exactly as
    it is now (usually the last one to touch it) takes its data instead of parsing the file again.
    Cached by HEAD, so `mkdocs serve` rebuilds do not read git again until a commit is made.
    """
    try:
        repo = Repository(content_dir)
    except NoHistory as exc:
        return History({}, missing=exc.format_message())
    try:
        head = repo.resolve("HEAD")
    except NoHistory:
        return History({}, missing="the git repository has no commits yet")
    key = (repo.folder, head)
    if key not in _CACHE:
        snapshots = standard_snapshots(repo, head, _by_bytes(loaded))
        _CACHE.clear()
        _CACHE[key] = History(
            {sid: StandardHistory(sid, tuple(snaps)) for sid, snaps in snapshots.items()}, shallow=repo.shallow
        )
    return _CACHE[key]


def _by_bytes(documents: Iterable[Document]) -> dict[bytes, Any]:
    known = {}
    for doc in documents:
        try:
            known[doc.path.read_bytes()] = doc.data
        except OSError:
            continue  # gone since it was loaded: git's copy is parsed instead
    return known
