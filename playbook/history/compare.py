"""What changed in a standard between two of its states: requirements, other fields, the body.

Works on raw YAML data, because an older state need not fit today's schema. The history pages,
`playbook validate --base`, `playbook diff` and `playbook bump` all read changes, and the version
bump each change needs, from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from playbook.content.levels import STRENGTH, STRONG
from playbook.content.versions import BUMPS, bump_made
from playbook.site.markup import fenced, text


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
    old_guidance: str = ""
    new_guidance: str = ""

    @property
    def bump(self) -> str:
        """The least version bump this change needs."""
        if self.kind == "reworded":
            return "patch"
        if self.old_level in STRONG or self.new_level in STRONG:
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
        guidance = (str(was.get("guidance") or ""), str(req.get("guidance") or ""))
        changes.append(RequirementChange(rid, kind, was["level"], req["level"], was["text"], req["text"], *guidance))
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


NO_BUMP_FIELDS = frozenset(
    {
        "status",
        "status_reason",
        "effective",
        "last_reviewed",
        "review_every",
        "maintainers",
        "owner",
        "tags",
        "aliases",
        "imported_from",
    }
)
"""Lifecycle and stewardship fields: changing them alone does not change what the standard requires."""

_OWN_SECTIONS = frozenset({"requirements", "changelog", "version"})


@dataclass(frozen=True)
class StandardChange:
    """One standard compared between an old state and a new one (either may be absent)."""

    id: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    old_body: str = ""
    new_body: str = ""

    @property
    def requirements(self) -> list[RequirementChange]:
        return requirement_changes(_reqs(self.old), _reqs(self.new))

    @property
    def fields(self) -> list[str]:
        """Top-level fields that differ, besides requirements, changelog and version."""
        old, new = self.old or {}, self.new or {}
        keys = dict.fromkeys([*old, *new])
        return [k for k in keys if k not in _OWN_SECTIONS and old.get(k) != new.get(k)]

    @property
    def body_changed(self) -> bool:
        return self.old_body.strip() != self.new_body.strip()

    @property
    def changed(self) -> bool:
        return self.old != self.new or self.body_changed

    @property
    def bump_needed(self) -> str | None:
        """The least version bump the change needs (None: none needed)."""
        content = self.body_changed or any(f not in NO_BUMP_FIELDS for f in self.fields)
        return bump_needed(self.requirements, content)

    @property
    def old_version(self) -> str:
        return str((self.old or {}).get("version", ""))

    @property
    def new_version(self) -> str:
        return str((self.new or {}).get("version", ""))

    @property
    def bump_made(self) -> str | None:
        try:
            return bump_made(self.old_version, self.new_version)
        except ValueError:
            return None  # not a version at all; the schema check reports it

    @property
    def status_move(self) -> tuple[str, str] | None:
        old, new = (self.old or {}).get("status"), (self.new or {}).get("status")
        return (str(old), str(new)) if self.old and self.new and old != new else None


def entries(data: Mapping[str, Any] | None, key: str) -> list[Mapping[str, Any]]:
    """The mappings listed under `key` (requirements, changelog); none where raw data has no list there."""
    value = (data or {}).get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _reqs(data: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """Requirements that can be compared: an old commit or a file being edited may hold anything."""
    return [r for r in entries(data, "requirements") if all(isinstance(r.get(k), str) for k in ("id", "level", "text"))]


def changelog_entry(data: Mapping[str, Any], version: str) -> Mapping[str, Any] | None:
    """The changelog entry for `version`, if the file has one."""
    return next((e for e in entries(data, "changelog") if str(e.get("version")) == version), None)


def word_diff(old: str, new: str) -> str:
    """Markdown showing `old` turned into `new`, word by word, with <del> and <ins>."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(text(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{text(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{text(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def body_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A unified diff of two Markdown bodies, as a fenced block no body text can close."""
    lines = difflib.unified_diff(
        old.strip().splitlines(), new.strip().splitlines(), old_name, new_name, n=2, lineterm=""
    )
    diff = "\n".join(lines)
    return fenced(diff, "diff")


def show(value: Any) -> str:
    """A field value on one line of escaped Markdown, for before/after tables."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{text(k)}: {show(v)}" for k, v in value.items())
    return text(value)
