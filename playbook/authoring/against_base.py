"""Checks of a change against the base branch: version bumps, status moves, ids that must stay.

`playbook validate --base main` runs these after the usual checks; each problem is an ordinary
Diagnostic on the changed file, so CI annotates the pull request line by line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from playbook.authoring import starter
from playbook.content.checks import copy_last
from playbook.content.errors import Diagnostic, PlaybookError
from playbook.content.load import Document, content_paths, display_path, load_tree
from playbook.content.memory import gc_paused
from playbook.content.model import KINDS, SINGLETONS, VERSIONED, page_slug
from playbook.content.status import IN_FORCE, MOVES, NEW, Status, move_allowed
from playbook.content.validate import Result, validate_documents
from playbook.content.versions import BUMPS, bump_version, parse_version
from playbook.content.yaml_reader import parse_data
from playbook.history.compare import NO_BUMP_FIELDS, StandardChange, entries
from playbook.history.git import NoHistory, Repository
from playbook.history.snapshots import standard_snapshots
from playbook.site.bodies import check_bodies

_SAME_TEXT = 0.9
"""How alike two requirement texts must be to count as the same requirement moved to a new id."""


class BadBase(PlaybookError):
    """The base ref cannot be read: a usage error (exit 2), not a content problem."""

    exit_code = 2


@dataclass(frozen=True)
class BaseEntity:
    """An entity as the base branch has it."""

    path: str
    """Its YAML file, relative to the working directory."""
    data: Mapping[str, Any]
    body: str


@dataclass(frozen=True)
class Comparison:
    """The working tree next to the base branch, entity by entity."""

    ref: str
    base: Mapping[str, BaseEntity]
    head: Mapping[str, Document]
    retired_requirements: Mapping[str, Mapping[str, str]]
    """Standard id → requirement ids it had in some earlier version but not on the base branch → their text."""
    unread: frozenset[str] = frozenset()
    """Ids of the base whose file is still here but does not load (a YAML slip): changed, not removed."""

    def change(self, entity_id: str) -> StandardChange:
        before, after = self.base.get(entity_id), self.head.get(entity_id)
        return StandardChange(
            entity_id,
            before.data if before else None,
            after.data if after else None,
            before.body if before else "",
            (after.body or "") if after else "",
        )

    def changed_ids(self) -> list[str]:
        """Ids added, removed or modified, in id order."""
        ids = sorted(set(self.base) | set(self.head))
        return [i for i in ids if self.change(i).changed]


def default_base(content_dir: Path) -> str | None:
    """The branch a change goes into, for `bump` and `status`: the current branch's upstream when it
    tracks another branch (`git checkout -b fix origin/main`), else the remote's default branch,
    origin/main, origin/master, main or master; None outside git or when none of them exists."""
    try:
        repo = Repository(content_dir)
    except NoHistory:
        return None
    branch = repo.quiet("rev-parse", "--abbrev-ref", "HEAD")
    upstream = repo.quiet("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    candidates = [
        upstream if upstream and upstream.rpartition("/")[2] != branch else "",  # not the branch's own copy
        repo.quiet("rev-parse", "--abbrev-ref", "origin/HEAD"),
        "origin/main",
        "origin/master",
        *(name for name in ("main", "master") if name != branch),  # `git init` names the first branch either
    ]
    return next((ref for ref in candidates if ref and repo.quiet("rev-parse", "--verify", "--quiet", ref)), None)


def base_entity(content_dir: Path, doc: Document, ref: str) -> BaseEntity | None:
    """The entity of `doc` as `ref` has it, wherever its file was then; None when it is new since."""
    try:
        repo = Repository(content_dir)
        tree = repo.files(repo.resolve(ref))
    except NoHistory as exc:
        raise BadBase(f"--base {ref}: {exc.format_message()}") from None
    entity_id = doc.data["id"]
    here = str(repo.prefix / PurePosixPath(doc.path.resolve().relative_to(repo.folder).as_posix()))
    named = [
        p for p in tree if p.endswith(".yaml") and PurePosixPath(p).name.startswith((f"{entity_id}-", f"{entity_id}."))
    ]
    for path in dict.fromkeys([here, *named]):
        if path not in tree:
            continue
        body_blob = tree.get(path.removesuffix(".yaml") + ".md")
        blobs = repo.blobs([tree[path], *([body_blob] if body_blob else [])])
        data = parse_data(blobs.get(tree[path]) or b"")
        if isinstance(data, dict) and data.get("id") == entity_id:
            body = (blobs.get(body_blob or "") or b"").decode("utf-8", "replace")
            return BaseEntity(display_path(repo.root / PurePosixPath(path)), data, body)
    return None


def read_base(content_dir: Path, ref: str, documents: list[Document]) -> Comparison:
    """Load the content folder as `ref` has it, to compare with the loaded working-tree `documents`."""
    try:
        repo = Repository(content_dir)
        sha = repo.resolve(ref)
        tree = repo.files(sha)
        inside = [str(PurePosixPath(p).relative_to(repo.prefix)) for p in tree]
        paths = [str(repo.prefix / p) for p in content_paths(inside)]  # the files load_tree would read
        stems = [p.removesuffix(".yaml") for p in paths]
        blobs = repo.blobs(tree[p] for stem in stems for p in (f"{stem}.yaml", f"{stem}.md") if p in tree)
        parsed = {}
        base = {}
        for stem in stems:
            raw = blobs.get(tree.get(f"{stem}.yaml", "")) or b""
            data = parsed[raw] = parse_data(raw)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                body = (blobs.get(tree.get(f"{stem}.md", "")) or b"").decode("utf-8", errors="replace")
                base[data["id"]] = BaseEntity(display_path(repo.root / PurePosixPath(f"{stem}.yaml")), data, body)
        past = standard_snapshots(repo, sha, parsed)  # the base's own files are not parsed twice
    except NoHistory as exc:
        raise BadBase(f"--base {ref}: {exc.format_message()}") from None
    head: dict[str, Document] = {}
    named = [d for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)]
    for doc in sorted(named, key=copy_last):  # of two files with one id, the one that owns it (not the copy)
        head.setdefault(doc.data["id"], doc)
    retired: dict[str, dict[str, str]] = {}
    for sid, snaps in past.items():
        now = {str(r.get("id")) for r in entries(base[sid].data, "requirements")} if sid in base else set()
        for snap in snaps:
            for r in entries(snap.data, "requirements"):
                if str(r.get("id")) not in now:
                    retired.setdefault(sid, {})[str(r.get("id"))] = str(r.get("text", ""))
    loaded = {doc.display for doc in head.values()}
    unread = frozenset(
        i for i, was in base.items() if i not in head and was.path not in loaded and Path(was.path).exists()
    )
    return Comparison(ref, base, head, retired, unread)


class _Rules:
    """The rules of change, applied to one comparison; collects diagnostics."""

    def __init__(self, comparison: Comparison):
        self.c = comparison
        self.found: list[Diagnostic] = []

    def report(self, doc: Document, path: tuple, code: str, message: str) -> None:
        self.found.append(doc.diagnostic(path, code, message))

    def run(self) -> list[Diagnostic]:
        ref = self.c.ref
        for entity_id, was in self.c.base.items():
            gone = entity_id not in self.c.head and entity_id not in self.c.unread  # unread: its id is unknown
            # a starter entity never adapted is still the engine's, not the organisation's: it may go
            if gone and not starter.unchanged(entity_id, was.data, was.body):
                self.found.append(
                    Diagnostic(
                        was.path, 1, 1, "E-GONE",
                        f"{entity_id} exists on {ref} but is gone here; ids are never removed or renamed: "
                        "restore the file and set its status to retired or withdrawn",
                    )
                )  # fmt: skip
        for entity_id, doc in self.c.head.items():
            if entity_id in self.c.base:
                self.check_address(doc, self.c.base[entity_id])
            if doc.data.get("kind") not in VERSIONED:
                continue
            change = self.c.change(entity_id)
            if change.old is None:
                self.check_new(doc)
                continue
            if change.changed:
                self.check_bump(doc, change)
                self.check_changelog(doc, change)
                self.check_effective(doc, change)
            if doc.data["kind"] == "Standard":
                self.check_status(doc, change)
                self.check_requirement_ids(doc, change)
        return self.found

    def check_address(self, doc: Document, was: BaseEntity) -> None:
        """A page whose address changed (its file renamed) keeps the old one as an alias: links,
        bookmarks and the archived versions under it still lead somewhere."""
        kind = KINDS.get(str(doc.data.get("kind")))
        if kind is None or doc.data["kind"] in SINGLETONS:
            return
        old = f"{kind.section}/{page_slug(PurePosixPath(was.path).stem, doc.data['id'])}"
        new = f"{kind.section}/{page_slug(doc.path.stem, doc.data['id'])}"
        aliases = doc.data.get("aliases") or []
        if old != new and isinstance(aliases, list) and old not in (str(a).strip("/") for a in aliases):
            self.report(
                doc, ("id",), "E-RENAME",
                f"the page moved from /{old}/ to /{new}/ (the file was renamed since {self.c.ref}); keep the old "
                f"address working: aliases: [{', '.join([*map(str, aliases), old])}]",
            )  # fmt: skip

    def check_new(self, doc: Document) -> None:
        status = str(doc.data.get("status"))  # any YAML value: the schema check says what is wrong with it
        if "imported_from" in doc.data:
            return  # a catalogue brought in by `playbook import` keeps its statuses; the field shows on the page
        if doc.data["kind"] == "Standard" and status not in NEW:
            self.report(
                doc, ("status",), "E-STATUS-MOVE",
                f"a new standard starts as draft or proposed, not {status}; it becomes {status} in a later change",
            )  # fmt: skip

    def check_bump(self, doc: Document, change: StandardChange) -> None:
        old, new = change.old_version, change.new_version
        if _lower(new, old):
            self.report(
                doc,
                ("version",),
                "E-BUMP",
                f"version went back from {old} on {self.c.ref} to {new}; versions only rise",
            )
            return
        if (change.old or {}).get("status") == Status.DRAFT:
            return  # a draft may change freely until it is proposed
        needed = change.bump_needed
        if needed is None:
            return
        made = change.bump_made
        why = change_reasons(change)
        try:
            wanted = bump_version(old, needed)
        except ValueError:
            return  # the base had no usable version; nothing to compare against
        fix = f'playbook bump {doc.data["id"]} --{needed} -m "…"'
        if made is None:
            self.report(
                doc, ("version",), "E-BUMP",
                f"{doc.data['id']} changed since {self.c.ref} ({why}) but its version is still {new}; "
                f"a {needed} change needs version {wanted}: {fix}",
            )  # fmt: skip
        elif BUMPS.index(made) < BUMPS.index(needed):
            self.report(
                doc, ("version",), "E-BUMP",
                f"{why} needs a {needed} bump, but {old} → {new} is {made}; use {wanted}: {fix} "
                f"(it replaces the {new} entry)",
            )  # fmt: skip

    def check_effective(self, doc: Document, change: StandardChange) -> None:
        """A new version of a standard in force takes effect when it is approved, not when the last one did."""
        old, new = change.old or {}, change.new or {}
        if not _lower(change.old_version, change.new_version) or "effective" not in new:
            return
        if new.get("status") in IN_FORCE and new.get("effective") == old.get("effective"):
            self.report(
                doc, ("effective",), "E-EFFECTIVE",
                f"version {change.new_version} is new since {self.c.ref}, but effective is still {new['effective']}, "
                f"when {change.old_version} took effect: set it to the day {change.new_version} is approved "
                "(playbook bump sets it)",
            )  # fmt: skip

    def check_changelog(self, doc: Document, change: StandardChange) -> None:
        new_data = change.new or {}
        # a new version without its own entry is already E-CHANGELOG in the file's own checks
        kept = {str(e.get("version")) for e in entries(new_data, "changelog")}
        released = {str(e.get("version")) for e in entries(change.old, "changelog")}
        unreleased = [
            str(e.get("version")) for e in entries(new_data, "changelog") if str(e.get("version")) not in released
        ]
        if len(unreleased) > 1:
            self.report(
                doc, ("changelog",), "E-CHANGELOG",
                f"{' and '.join(reversed(unreleased))} are new since {self.c.ref}, but one change releases one "
                f"version: keep one entry, for {unreleased[0]}, saying everything that changed "
                f"(playbook bump replaces an unreleased entry rather than adding one)",
            )  # fmt: skip
        for entry in entries(change.old, "changelog"):
            if str(entry.get("version")) not in kept:
                self.report(
                    doc, ("changelog",), "E-CHANGELOG",
                    f"the changelog entry for {entry.get('version')} on {self.c.ref} was removed; "
                    "the changelog only grows",
                )  # fmt: skip

    def check_status(self, doc: Document, change: StandardChange) -> None:
        move = change.status_move
        if move is None or move_allowed(*move):
            return
        old, new = move
        allowed = sorted(MOVES.get(old, ()))
        options = f"from {old} it may go to {', '.join(allowed)}" if allowed else f"{old} is final"
        if allowed:
            options += f": playbook status {doc.data['id']} {allowed[0]}"
        self.report(
            doc, ("status",), "E-STATUS-MOVE",
            f"status cannot go from {old} to {new} (on {self.c.ref} it is {old}); {options}",
        )  # fmt: skip

    def check_requirement_ids(self, doc: Document, change: StandardChange) -> None:
        retired = self.c.retired_requirements.get(doc.data["id"], {})
        before = {str(r.get("id")): str(r.get("text", "")) for r in entries(change.old, "requirements")}
        for i, r in enumerate(entries(doc.data, "requirements")):
            rid, words = str(r.get("id")), str(r.get("text", ""))
            if rid in retired and rid not in before and not _alike(retired[rid], words):
                self.report(
                    doc, ("requirements", i, "id"), "E-REQ-REUSE",
                    f"{rid} was a different requirement in an earlier version (\"{_short(retired[rid])}\"); "
                    "requirement ids are never reused: give this one a new id",
                )  # fmt: skip
                continue
            moved = next(
                (old_id for old_id, old_text in before.items() if old_id != rid and _alike(old_text, words)), None
            )
            if moved and rid in before and not _alike(before[rid], words):
                self.report(
                    doc, ("requirements", i, "id"), "E-REQ-REUSE",
                    f"{rid} now holds the text of {moved} on {self.c.ref}; requirement ids are never renumbered: "
                    f"keep it as {moved}",
                )  # fmt: skip


def _lower(new: str, old: str) -> bool:
    try:
        return parse_version(new) < parse_version(old)
    except ValueError:
        return False  # not a version; the schema check says so


def _alike(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= _SAME_TEXT


def _short(words: str, limit: int = 60) -> str:
    return words if len(words) <= limit else words[: limit - 1] + "…"


def change_reasons(change: StandardChange) -> str:
    """`R3 strengthened MAY → MUST, guidance text`: what in a change calls for a bump."""
    parts = []
    for r in change.requirements:
        levels = f" {r.old_level} → {r.new_level}" if r.kind in ("strengthened", "weakened", "relevelled") else ""
        parts.append(f"{r.id} {r.kind}{levels}")
    parts += [f for f in change.fields if f not in NO_BUMP_FIELDS]
    if change.body_changed:
        parts.append("guidance text")
    return ", ".join(parts) or "content"


def validate_against_base(root: Path, ref: str) -> tuple[Result, Comparison]:
    """Validate `root` as usual, then check every change against `ref`; one result holding both."""
    if not root.is_dir():
        raise PlaybookError(f"content folder not found: {root}")
    with gc_paused():
        documents, problems = load_tree(root)
        result = check_bodies(validate_documents(documents, problems))
    comparison = read_base(root, ref, documents)
    extra = _Rules(comparison).run()  # on invalid files too: every mistake at once
    return replace(result, diagnostics=tuple(sorted({*result.diagnostics, *extra}))), comparison
