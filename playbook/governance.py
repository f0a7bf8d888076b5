"""The rules of change: legal status moves and the version bump a requirement change needs.

One table each, shared by `playbook validate --base`, `playbook status`, `playbook bump` and the
history pages, so the command that makes a change and the check that judges it never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .validate import semver

STATUS_MOVES: Mapping[str, frozenset[str]] = {
    "draft": frozenset({"proposed", "withdrawn"}),
    "proposed": frozenset({"trial", "active", "rejected", "withdrawn", "draft"}),
    "trial": frozenset({"active", "rejected", "withdrawn"}),
    "active": frozenset({"deprecated"}),
    "deprecated": frozenset({"superseded", "retired", "active"}),
    "superseded": frozenset(),
    "retired": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
"""Where a standard may go from each status: draft → proposed → (trial →) active → deprecated →
superseded | retired; rejected and withdrawn are side exits; a deprecation may be taken back."""

NEW_STATUSES = frozenset({"draft", "proposed"})
"""A standard that did not exist on the base branch starts here."""

BUMPS = ("patch", "minor", "major")
"""Version parts, least to most significant."""

STRONG_LEVELS = frozenset({"MUST", "MUST NOT"})
"""Levels whose change breaks compliance, so the change needs a major bump."""

STRENGTH = {"MAY": 0, "SHOULD NOT": 1, "SHOULD": 1, "MUST NOT": 2, "MUST": 2}
"""How binding each level is; a move up is strengthening, a move down weakening."""


def move_allowed(old: str, new: str) -> bool:
    """True when a standard may go from status `old` to `new` in one change."""
    return old == new or new in STATUS_MOVES.get(old, frozenset())


def parse_version(version: str) -> tuple[int, int, int, int]:
    """`1.2.3` read as E-SEMVER reads it (validate.semver: a pre-release sorts before its release);
    ValueError when it is not a version."""
    found = semver(version)
    if found is None:
        raise ValueError(f"not a semantic version: {version!r}")
    return found


def bump_version(version: str, part: str) -> str:
    """The next version after `version` when bumping `part` (patch, minor or major)."""
    major, minor, patch, _ = parse_version(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def bump_made(old: str, new: str) -> str | None:
    """Which part went up from `old` to `new` (`major`, `minor`, `patch`), or None when it did not rise."""
    before, after = parse_version(old), parse_version(new)
    if after <= before:
        return None
    if after[0] > before[0]:
        return "major"
    if after[1] > before[1]:
        return "minor"
    return "patch"


@dataclass(frozen=True)
class RequirementChange:
    """One requirement added, removed, re-levelled or re-worded between two versions."""

    id: str
    kind: str
    """`added`, `removed`, `strengthened`, `weakened`, `relevelled` (same strength), or `reworded` (same
    level; text, rationale or evidence changed)."""
    old_level: str = ""
    new_level: str = ""
    old_text: str = ""
    new_text: str = ""

    @property
    def bump(self) -> str:
        """The least version bump this change needs."""
        if self.kind == "reworded":
            return "patch"
        if self.old_level in STRONG_LEVELS or self.new_level in STRONG_LEVELS:
            return "major"
        return "minor"


def requirement_changes(old: Iterable[Mapping], new: Iterable[Mapping]) -> list[RequirementChange]:
    """Compare two `requirements` lists (raw YAML mappings) by requirement id."""
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    changes = []
    for rid, req in after.items():
        if rid not in before:
            changes.append(RequirementChange(rid, "added", new_level=req["level"], new_text=req["text"]))
            continue
        was = before[rid]
        if was["level"] != req["level"]:
            delta = STRENGTH.get(req["level"], 0) - STRENGTH.get(was["level"], 0)  # unknown: E-SCHEMA's
            kind = "strengthened" if delta > 0 else "weakened" if delta < 0 else "relevelled"
        elif was != req:  # text, rationale, evidence: anything else the requirement says
            kind = "reworded"
        else:
            continue
        changes.append(RequirementChange(rid, kind, was["level"], req["level"], was["text"], req["text"]))
    for rid, was in before.items():
        if rid not in after:
            changes.append(RequirementChange(rid, "removed", old_level=was["level"], old_text=was["text"]))
    return sorted(changes, key=lambda c: int(c.id[1:]) if c.id[1:].isdecimal() else 0)


def bump_needed(changes: Iterable[RequirementChange], body_changed: bool = False) -> str | None:
    """The least bump a set of changes needs; `patch` for wording alone, None when nothing changed."""
    needed = [BUMPS.index(c.bump) for c in changes]
    if body_changed:
        needed.append(0)
    return BUMPS[max(needed)] if needed else None
