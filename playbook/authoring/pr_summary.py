"""`playbook diff --base REF`: a Markdown summary of a change for the pull-request description."""

from __future__ import annotations

from collections.abc import Sequence

from playbook.authoring.against_base import Comparison
from playbook.content.errors import Diagnostic
from playbook.content.levels import LEVELS
from playbook.content.model import VERSIONED
from playbook.history.compare import StandardChange
from playbook.site.markup import fenced, text

_NONE = "—"


def _quiet(value: object) -> str:
    """Content text for a pull request, inert: on one line with every markup character escaped (an
    `<!--` in a requirement would hide the rest of the summary from the reviewer), and an `@name`
    notifying no one."""
    return text(value).replace("@", "@\u2060")  # a word joiner after @ stops GitHub's mention


def _cell(value: str) -> str:
    """A table cell made of inert parts, or a dash."""
    return value or _NONE


def _version(change: StandardChange) -> str:
    old, new = _quiet(change.old_version), _quiet(change.new_version)
    if change.old is None:
        return new or _NONE
    if change.new is None or not (old or new):
        return old or _NONE
    if old == new:
        return f"{new} (unchanged)"
    return f"{old} → {new}" + (f" ({change.bump_made})" if change.bump_made else " (lowered)")


def _status(change: StandardChange) -> str:
    if change.status_move:
        return "{} → {}".format(*map(_quiet, change.status_move))
    data = change.new or change.old or {}
    return _quiet(data.get("status", "")) or _NONE


def _what(change: StandardChange) -> str:
    if change.old is None:
        return "added"
    if change.new is None:
        return "removed"
    return "changed"


def _title(change: StandardChange) -> str:
    data = change.new or change.old or {}
    return f"{change.id} {data.get('title', '')}".strip()


def _details(change: StandardChange) -> list[str]:
    lines = _template_parts(change)
    for r in change.requirements:
        if r.kind == "added":
            lines.append(f"- **{_quiet(r.id)} added** ({_quiet(r.new_level)}): {_quiet(r.new_text)}")
        elif r.kind == "removed":
            lines.append(f"- **{_quiet(r.id)} removed** (was {_quiet(r.old_level)}): ~~{_quiet(r.old_text)}~~")
        elif r.kind == "reworded":
            lines.append(f"- **{_quiet(r.id)} reworded** ({_quiet(r.new_level)}): {_quiet(r.new_text)}")
        else:
            levels = f"{_quiet(r.old_level)} → {_quiet(r.new_level)}"
            lines.append(f"- **{_quiet(r.id)} {r.kind}** {levels}: {_quiet(r.new_text)}")
    if change.old is not None and change.new is not None:
        if change.fields:
            lines.append("- Fields changed: " + ", ".join(_field(change, f) for f in change.fields))
        if change.body_changed:
            old, new = change.old_body.strip().splitlines(), change.new_body.strip().splitlines()
            lines.append(f"- Guidance text changed ({len(old)} → {len(new)} lines)")
    return lines


def _template_parts(change: StandardChange) -> list[str]:
    """A template's columns (a table) or sections (a document), when they are new or changed."""
    old, new = change.old or {}, change.new or {}
    if new.get("kind") != "Template":
        return []
    lines = []
    columns = [c for c in new.get("columns") or [] if isinstance(c, dict)]
    if columns and new.get("columns") != old.get("columns"):
        named = ", ".join(f"{_quiet(c.get('name', ''))} ({_quiet(c.get('type', ''))})" for c in columns)
        lines.append(f"- Columns: {named}")
    sections = [x for x in new.get("sections") or [] if isinstance(x, dict)]
    if sections and new.get("sections") != old.get("sections"):
        lines.append("- Sections: " + ", ".join(_quiet(x.get("heading", "")) for x in sections))
    return lines


def _field(change: StandardChange, name: str) -> str:
    """`status (active → superseded)` for a short value, else the field's name."""
    old, new = (change.old or {}).get(name), (change.new or {}).get(name)
    if all(isinstance(v, str | int | float) or v is None for v in (old, new)) and len(f"{old}{new}") <= 80:
        return f"{_quiet(name)} ({_quiet(old) if old is not None else 'none'} → {_quiet(new) if new is not None else 'none'})"
    return _quiet(name)


def _by_level(changes: Sequence[StandardChange]) -> str:
    counts: dict[str, int] = {}
    for change in changes:
        for r in change.requirements:
            level = r.new_level or r.old_level
            counts[level] = counts.get(level, 0) + 1
    return ", ".join(f"{counts[level]} {level}" for level in LEVELS if level in counts)


def diff_markdown(comparison: Comparison, problems: Sequence[Diagnostic]) -> str:
    """The summary: a table of changed entities, requirement changes by level, then any problems."""
    changes = [comparison.change(i) for i in comparison.changed_ids()]
    out = [f"## Playbook changes against `{comparison.ref}`", ""]
    if not changes:
        out.append("No content changed.")
    else:
        out += [
            "| Entity | Change | Version | Bump needed | Status |",
            "|---|---|---|---|---|",
        ]
        for change in changes:
            versioned = (change.new or change.old or {}).get("kind") in VERSIONED  # others have no version to bump
            needed = change.bump_needed if versioned and change.old is not None and change.new is not None else None
            cells = (_quiet(_title(change)), _what(change), _version(change), needed or _NONE, _status(change))
            if change.id in comparison.unread:  # its file is here but does not load: not removed
                cells = (_quiet(_title(change)), "not readable: see the problems below", _NONE, _NONE, _NONE)
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        levels = _by_level([c for c in changes if c.id not in comparison.unread])  # not a slip's "removed"
        if levels:
            out += ["", f"Requirement changes by level: {levels}."]
        for change in changes:
            details = _details(change) if change.id not in comparison.unread else []
            if details:
                out += ["", f"### {_quiet(_title(change))}", "", *details]
    if problems:
        out += ["", f"### Problems ({len(problems)})", "", fenced("\n".join(map(str, problems)), "text").rstrip("\n")]
    else:
        out += ["", "`playbook validate --base` finds no problems."]
    return "\n".join(out) + "\n"
