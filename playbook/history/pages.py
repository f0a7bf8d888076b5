"""Pages from a standard's git history: each past version archived, what changed in each version,
and a history page per standard (when each version was in force: `in_force.py`).

Archived and "what changed" pages stay out of the nav and the search index: a search for a rule
should find the rule that applies now. Their text comes from old commits, so they never fail the
build: references to ids that no longer exist are shown as plain ids, links to pages that no
longer exist as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.errors import PlaybookError
from playbook.content.model import Standard
from playbook.history.compare import StandardChange, body_diff, changelog_entry, entries, show, word_diff
from playbook.history.snapshots import History, StandardHistory, Version
from playbook.site.context import requirement_block
from playbook.site.markup import fenced, link, table, text
from playbook.site.urls import VersionLinks, archived_uri, changes_uri, history_uri, link_target

NOT_SEARCHED = "---\nsearch:\n  exclude: true\n---\n"
_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class HistoryPage:
    """A generated page: where its Markdown source sits and the folder URL it is published at."""

    src_uri: str
    url: str
    markdown: str


_Row = tuple[str, "Version | None", "StandardChange | None"]
"""(version, its past Version or None for the current text, change from the version before)."""


def _compared(s: Standard, h: StandardHistory) -> list[_Row]:
    """One row per version git knows of `s`, oldest first, the current text last."""
    rows: list[_Row] = []
    previous: tuple[Mapping[str, Any], str] | None = None
    for v in h.versions:
        if v.version == s.version:
            continue  # the current version is compared with the working tree below
        rows.append((v.version, v, _change(s.id, previous, (v.last.data, v.last.body))))
        previous = (v.last.data, v.last.body)
    current = (s.doc.data, s.doc.body or "")
    rows.append((s.version, None, _change(s.id, previous, current)))
    return rows


def _versioned(catalog: Catalog, history: History) -> Iterator[tuple[Standard, StandardHistory, list[_Row]]]:
    """Each standard git knows in more than one version, with its compared version rows.

    One version has nothing archived and nothing changed: its page and changelog say all a history
    page would.
    """
    for s in catalog.of_kind(Standard):
        h = history.of(s.id)
        if h.snapshots:
            rows = _compared(s, h)
            if len(rows) > 1:
                yield s, h, rows


def _change(
    sid: str, old: tuple[Mapping[str, Any], str] | None, new: tuple[Mapping[str, Any], str]
) -> StandardChange | None:
    if old is None:
        return None
    return StandardChange(sid, old[0], new[0], old[1], new[1])


def version_links(catalog: Catalog, history: History) -> dict[str, VersionLinks]:
    """For each standard git knows, links to its history, archived versions and change pages."""
    links = {}
    for s, _, rows in _versioned(catalog, history):
        links[s.id] = VersionLinks(
            "/" + history_uri(s)[0],
            {version: "/" + archived_uri(s, version)[0] for version, past, _ in rows if past},
            {version: "/" + changes_uri(s, version)[0] for version, _, change in rows if change},
        )
    return links


class _Writer:
    """Renders the history pages of one catalog; `render_body` expands macros in old bodies."""

    def __init__(self, catalog: Catalog, render_body: Callable[[str, str], str], known: set[str]):
        self.catalog = catalog
        self.render_body = render_body
        self.known = known

    def ref(self, target: Any) -> str:
        target = str(target)
        try:
            return link(
                self.catalog.by_id[target].label if target in self.catalog.by_id else target,
                link_target(self.catalog, target),
            )
        except KeyError:
            return f"`{text(target)}`" if target.isprintable() else text(target)

    def refs(self, targets: Any) -> str:
        return ", ".join(self.ref(t) for t in targets) if isinstance(targets, list) and targets else "—"

    def body(self, body: str, source: str) -> str:
        if not body.strip():
            return ""
        try:
            rendered = self.render_body(body, source)
        except PlaybookError:
            note = "## Guidance\n\n*Shown as written: it calls macros that no longer resolve.*\n\n"
            return note + fenced(body.strip("\n"), "text") + "\n"
        return f"## Guidance\n\n{self.drop_dead_links(rendered).strip()}\n\n"

    def drop_dead_links(self, markdown: str) -> str:
        """Links to pages that no longer exist become their plain label (old text cannot be fixed)."""

        def keep_or_drop(match: re.Match[str]) -> str:
            label, target = match.groups()
            path = target.split("#", 1)[0]
            if not path.endswith(".md") or "://" in path:
                return match.group(0)
            resolved = path.lstrip("/") if path.startswith("/") else _join("standards", path)
            return match.group(0) if resolved in self.known else label

        return _LINK.sub(keep_or_drop, markdown)

    def requirements(self, data: Mapping[str, Any]) -> str:
        out = "## Requirements\n\n"
        for r in entries(data, "requirements"):
            out += requirement_block(str(r.get("id", "")), str(r.get("level", "")), str(r.get("text", "")))
        return out

    def changelog(self, data: Mapping[str, Any]) -> str:
        rows = [
            (text(e.get("version", "")), text(e.get("date", "")), text(e.get("summary", "")))
            for e in entries(data, "changelog")
        ]
        return "## Changelog\n\n" + table(("Version", "Date", "Summary"), rows) if rows else ""

    def archived(self, s: Standard, v: Version, change: StandardChange | None) -> str:
        data = v.last.data
        more = [f"[What changed in {text(v.version)}](/{changes_uri(s, v.version)[0]})"] if change else []
        more.append(f"[All versions](/{history_uri(s)[0]})")
        out = NOT_SEARCHED + f"# {text(s.id)} · {text(data.get('title', s.title))} (v{text(v.version)})\n\n"
        out += (
            '!!! warning "Archived version"\n\n'
            f"    This is version {text(v.version)} as committed on {v.last.date} ({v.last.sha[:7]}). "
            f"It no longer applies: the current version is {link(s.version, '/' + s.src_uri)}. "
            + " · ".join(more)
            + "\n\n"
        )
        out += text(data.get("summary", "")) + "\n\n"
        applies: Mapping[str, Any] = data["applies_to"] if isinstance(data.get("applies_to"), dict) else {}
        rows = [
            ("Status", text(data.get("status", ""))),
            ("Version", text(v.version)),
            ("Effective", text(data.get("effective", ""))),
            ("Last reviewed", text(data.get("last_reviewed", ""))),
            ("Owner", self.ref(data["owner"]) if data.get("owner") else ""),
            ("Phases", self.refs(applies.get("phases"))),
            ("Roles", self.refs(applies.get("roles"))),
            ("First committed", v.first.date),
        ]
        out += table(("Field", "Value"), [(f"**{k}**", val) for k, val in rows if val and val != "—"]) + "\n"
        out += self.requirements(data)
        out += self.body(v.last.body, f"{s.doc.body_display} at {v.last.sha[:7]}")
        return out + self.changelog(data)

    def changes(self, s: Standard, version: str, change: StandardChange, before: str) -> str:
        old, new = change.old or {}, change.new or {}
        title = text(new.get("title", s.title))
        out = NOT_SEARCHED + f"# {text(s.id)} · {title}: what changed in v{text(version)}\n\n"
        entry = changelog_entry(new, version)
        if entry:
            out += f"> **{text(version)}** ({text(entry.get('date', ''))}): {text(entry.get('summary', ''))}\n\n"
        target = f"/{archived_uri(s, version)[0]}" if version != s.version else f"/{s.src_uri}"
        out += (
            f"Compared with {link('v' + before, '/' + archived_uri(s, before)[0])}. "
            f"See {link('v' + version, target)} in full, or [all versions](/{history_uri(s)[0]}).\n\n"
        )
        needed = change.bump_needed
        out += table(
            ("", f"v{text(before)}", f"v{text(version)}"),
            [
                ("**Status**", text(old.get("status", "")), text(new.get("status", ""))),
                ("**Version bump**", f"needed: {needed or 'none'}", f"made: {change.bump_made or 'none'}"),
            ],
        )
        out += "\n## Requirements\n\n" + (_requirement_changes(change) or "No requirement changed.\n") + "\n"
        fields = change.fields
        if fields:
            rows = [(text(f), show(old.get(f)), show(new.get(f))) for f in fields]
            out += "## Other fields\n\n" + table(("Field", "Before", "After"), rows) + "\n"
        out += "## Guidance text\n\n"
        if change.body_changed:
            out += body_diff(change.old_body, change.new_body, f"v{before}", f"v{version}") + "\n"
        else:
            out += "Unchanged.\n"
        return out

    def history(self, s: Standard, history: StandardHistory, rows: list[_Row], shallow: bool) -> str:
        out = NOT_SEARCHED + f"# {text(s.id)} · {text(s.title)}: history\n\n"
        out += f"Every version of {link(s.label, '/' + s.src_uri)} that git records, newest first.\n\n"
        if shallow:
            out += '!!! warning "Partial history"\n\n    Built from a shallow clone: older versions may be missing.\n\n'
        lines = []
        for version, past, change in reversed(rows):
            data = past.last.data if past else s.doc.data
            entry = changelog_entry(data, version) or {}
            page = link("archived", "/" + archived_uri(s, version)[0]) if past else link("current", "/" + s.src_uri)
            diff = link("what changed", "/" + changes_uri(s, version)[0]) if change else "first version"
            known = past or history.version(version)
            committed = known.first.date if known else "not committed yet"
            lines.append(
                (f"**{text(version)}**", text(data.get("status", "")), text(data.get("effective", "")),
                 committed, text(entry.get("summary", "")), f"{page} · {diff}")
            )  # fmt: skip
        out += table(("Version", "Status", "Effective", "Committed", "Summary", "Pages"), lines) + "\n"
        recorded = {version for version, _, _ in rows}
        older = [e for e in s.changelog if e.version not in recorded]
        if older:
            out += "## Before the git history\n\nThe changelog records these versions; their text is not in git.\n\n"
            out += table(
                ("Version", "Date", "Summary"), [(text(e.version), text(e.date), text(e.summary)) for e in older]
            )
        return out


def _join(base: str, path: str) -> str:
    parts: list[str] = base.split("/")
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


_KIND_WORDS = {
    "added": "Added",
    "removed": "Removed",
    "strengthened": "Strengthened",
    "weakened": "Weakened",
    "relevelled": "Level changed",
    "reworded": "Reworded",
}


def _requirement_changes(change: StandardChange) -> str:
    out = ""
    for r in change.requirements:
        levels = text(r.new_level or r.old_level)
        if r.kind in ("strengthened", "weakened", "relevelled"):
            levels = f"{text(r.old_level)} → {text(r.new_level)}"
        if r.kind == "added":
            words = f"<ins>{text(r.new_text)}</ins>"
        elif r.kind == "removed":
            words = f"<del>{text(r.old_text)}</del>"
        else:
            words = word_diff(r.old_text, r.new_text)
        out += f"- **{_KIND_WORDS[r.kind]}** {text(r.id)} ({levels}, needs a {r.bump} bump): {words}\n"
        if r.old_guidance.strip() != r.new_guidance.strip():
            diff = body_diff(r.old_guidance, r.new_guidance, "guidance before", "guidance after")
            out += (
                "\n    Guidance:\n\n" + "".join(f"    {line}\n" if line else "\n" for line in diff.split("\n")) + "\n"
            )
    return out


def history_pages(
    catalog: Catalog, history: History, render_body: Callable[[str, str], str], known: set[str]
) -> Iterator[HistoryPage]:
    """Archived, "what changed" and history pages for every standard git knows.

    `known` holds the source paths of the site's pages, so links in old text that would now be
    dead are dropped instead of failing a strict build.
    """
    writer = _Writer(catalog, render_body, known)
    for s, h, rows in _versioned(catalog, history):
        before = None
        for version, past, change in rows:
            if past is not None:
                yield HistoryPage(*archived_uri(s, version), writer.archived(s, past, change))
            if change is not None and before is not None:
                yield HistoryPage(*changes_uri(s, version), writer.changes(s, version, change, before))
            before = version
        yield HistoryPage(*history_uri(s), writer.history(s, h, rows, history.shallow))
