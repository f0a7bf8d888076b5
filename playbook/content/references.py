"""Which fields of which kind name other entities: one table for validation and backlinks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playbook.content.load import Document, per_document
from playbook.content.yaml_reader import Path_

ANY = "any"
PHASE = "phase"
"""Targets that are not a kind: any entity, or a lifecycle phase id."""

REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("*", ("owner",), "Role"),
    ("Organisation", ("pmo_model",), "PmoModel"),
    ("Organisation", ("contacts", "*", "role"), "Role"),
    ("Principle", ("standards", "*"), "Standard"),
    ("Principle", ("related", "*"), ANY),
    ("Standard", ("applies_to", "models", "*"), "PmoModel"),
    ("Standard", ("applies_to", "phases", "*"), PHASE),
    ("Standard", ("applies_to", "roles", "*"), "Role"),
    ("Standard", ("supersedes", "*"), "Standard"),
    ("Standard", ("related", "*"), ANY),
    ("Standard", ("requirements", "*", "evidence", "*"), ANY),
    ("Template", ("phases", "*"), PHASE),
    ("Template", ("fill", "agenda"), "Ceremony"),
    ("Template", ("fill", "activities"), "Lifecycle"),
    ("Template", ("fill", "letters", "*"), "Role"),
    ("Template", ("sections", "*", "fill", "agenda"), "Ceremony"),
    ("Template", ("sections", "*", "fill", "activities"), "Lifecycle"),
    ("Template", ("sections", "*", "fill", "letters", "*"), "Role"),
    ("Lifecycle", ("phases", "*", "deliverables", "*"), "Template"),
    ("Lifecycle", ("phases", "*", "alongside"), PHASE),
    ("Lifecycle", ("phases", "*", "activities", "*", "raci", "R", "*"), "Role"),
    ("Lifecycle", ("phases", "*", "activities", "*", "raci", "A"), "Role"),
    ("Lifecycle", ("phases", "*", "activities", "*", "raci", "A", "*"), "Role"),
    ("Lifecycle", ("phases", "*", "activities", "*", "raci", "C", "*"), "Role"),
    ("Lifecycle", ("phases", "*", "activities", "*", "raci", "I", "*"), "Role"),
    ("Role", ("reports_to",), "Role"),
    ("Kpi", ("related", "*"), ANY),
    ("Ceremony", ("facilitator",), "Role"),
    ("Ceremony", ("attendees", "*"), "Role"),
    ("Ceremony", ("inputs", "*"), "Template"),
    ("Ceremony", ("outputs", "*"), "Template"),
    ("Ceremony", ("phases", "*"), PHASE),
    ("Glossary", ("terms", "*", "see", "*"), ANY),
    ("Guide", ("audience", "*"), "Role"),
    ("Guide", ("steps", "*", "read", "*"), ANY),
)
"""(kind that refers, field pattern with `*` for any list item or mapping value, kind referred to)."""


def _walk(value: Any, pattern: tuple[str, ...], path: Path_, found: list[tuple[Path_, str]]) -> None:
    """Add to `found` each text at `pattern` below `value` (a function, not a generator: it runs for
    every field pattern of every document)."""
    if not pattern:
        if isinstance(value, str):
            found.append((path, value))
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":  # every item of a list, or every value of a mapping
        if isinstance(value, list):
            for i, item in enumerate(value):
                _walk(item, rest, (*path, i), found)
        elif isinstance(value, dict):
            for key, item in value.items():
                _walk(item, rest, (*path, key), found)
    elif isinstance(value, dict) and head in value:
        _walk(value[head], rest, (*path, head), found)


def references(data: dict[str, Any]) -> Iterator[tuple[Path_, str, str]]:
    """Every (field path, id named, expected target) in one document's data."""
    kind = data.get("kind")
    for pattern, target in _PATTERNS.get(kind if isinstance(kind, str) else "*", _PATTERNS["*"]):
        found: list[tuple[Path_, str]] = []
        _walk(data, pattern, (), found)
        for path, value in found:
            yield path, value, target


_PATTERNS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    kind: [(pattern, target) for source, pattern, target in REFERENCES if source in ("*", kind)]
    for kind in {"*", *(source for source, _, _ in REFERENCES)}
}
"""REFERENCES by the kind that refers: its own patterns and those of every kind (`*`)."""


@per_document
def document_references(doc: Document) -> tuple[tuple[Path_, str, str], ...]:
    """`references` of one document's data, found once per document (`serve` keeps unedited ones)."""
    return tuple(references(doc.data))
