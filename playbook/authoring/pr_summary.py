"""`playbook diff --base REF`: a Markdown summary of a change for the pull-request description."""

from __future__ import annotations

from collections.abc import Sequence

from playbook.authoring.against_base import Comparison
from playbook.content.errors import Diagnostic
from playbook.content.levels import LEVELS
from playbook.history.compare import StandardChange
from playbook.site.markup import fenced

_NONE = "—"


def _quiet(value: object) -> str:
    """Content text for a pull request: an `@name` in a requirement must not notify anyone."""
    return str(value).replace("@", "@\u2060")  # a word joiner after @ stops GitHub's mention


def _cell(value: object) -> str:
    """A table cell: pipes and newlines would break the table."""
    return _quiet(value).replace("|", "\\|").replace("\n", " ") or _NONE


def _version(change: StandardChange) -> str:
    old, new = change.old_version, change.new_version
    if change.old is None:
        return new or _NONE
    if change.new is None or not (old or new):
        return old or _NONE
    if old == new:
        return f"{new} (unchanged)"
    return f"{old} → {new}" + (f" ({change.bump_made})" if change.bump_made else " (lowered)")


def _status(change: StandardChange) -> str:
    if change.status_move:
        return "{} → {}".format(*change.status_move)
    data = change.new or change.old or {}
    return str(data.get("status", "")) or _NONE


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
    lines = []
    for r in change.requirements:
        if r.kind == "added":
            lines.append(f"- **{r.id} added** ({r.new_level}): {_quiet(r.new_text)}")
        elif r.kind == "removed":
            lines.append(f"- **{r.id} removed** (was {r.old_level}): ~~{_quiet(r.old_text)}~~")
        elif r.kind == "reworded":
            lines.append(f"- **{r.id} reworded** ({r.new_level}): {_quiet(r.new_text)}")
        else:
            lines.append(f"- **{r.id} {r.kind}** {r.old_level} → {r.new_level}: {_quiet(r.new_text)}")
    if change.old is not None and change.new is not None:
        if change.fields:
            lines.append("- Fields changed: " + ", ".join(f"`{f}`" for f in change.fields))
        if change.body_changed:
            old, new = change.old_body.strip().splitlines(), change.new_body.strip().splitlines()
            lines.append(f"- Guidance text changed ({len(old)} → {len(new)} lines)")
    return lines


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
            needed = change.bump_needed if change.old is not None and change.new is not None else None
            cells = (_title(change), _what(change), _version(change), needed or _NONE, _status(change))
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        levels = _by_level(changes)
        if levels:
            out += ["", f"Requirement changes by level: {levels}."]
        for change in changes:
            details = _details(change)
            if details:
                out += ["", f"### {_quiet(_title(change))}", "", *details]
    if problems:
        out += ["", f"### Problems ({len(problems)})", "", fenced("\n".join(map(str, problems)), "text").rstrip("\n")]
    else:
        out += ["", "`playbook validate --base` finds no problems."]
    return "\n".join(out) + "\n"
