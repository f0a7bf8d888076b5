"""Glossary terms as Markdown abbreviations, so every use of a term explains itself on hover.

A term that Python-Markdown's own placeholders contain (`wzxhzdk`, `amp`, a number) gets no hover:
marking it up would mark up the placeholders too and corrupt headings and anchors on every page.
The glossary page still lists it.
"""

from __future__ import annotations

import re

from playbook.content.catalog import Catalog

_SPACE = re.compile(r"\s+")
PLACEHOLDER_WORDS = frozenset({"klzzwxh", "wzxhzdk", "hzzhzkh", "amp"})
"""Words in Python-Markdown's placeholders (markdown/util.py: INLINE_PLACEHOLDER, HTML_PLACEHOLDER,
TAG_PLACEHOLDER, AMP_SUBSTITUTE); escaped characters become their number between STX and ETX."""


def marks_placeholders(name: str) -> bool:
    """Whether marking up `name` would also mark up text inside Python-Markdown's placeholders."""
    return (
        name.isdigit() or any(word in name for word in PLACEHOLDER_WORDS if len(word) > 3) or name in PLACEHOLDER_WORDS
    )


def _plain(text: str) -> str:
    # the abbr extension puts the definition in a title attribute, which it escapes itself
    return _SPACE.sub(" ", text).strip()


def abbreviations(catalog: Catalog) -> str:
    """`*[RAID]: …` lines for every glossary term and abbreviation, to append to each page."""
    if catalog.glossary is None:
        return ""
    lines = []
    for term in catalog.glossary.terms:
        definition = _plain(term.definition)
        names = [term.term] + ([term.abbr] if term.abbr else [])
        for name in names:
            if "[" in name or "]" in name or marks_placeholders(name):
                continue  # cannot be written inside *[…], or would corrupt pages
            title = f"{term.term}: {definition}" if name != term.term else definition
            lines.append(f"*[{_plain(name)}]: {title}")
    return "\n\n" + "\n".join(sorted(lines)) + "\n" if lines else ""
