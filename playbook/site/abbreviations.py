"""Glossary terms as Markdown abbreviations, so every use of a term explains itself on hover."""

from __future__ import annotations

import re

from playbook.content.catalog import Catalog

_SPACE = re.compile(r"\s+")


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
            if "[" in name or "]" in name:
                continue  # cannot be written inside *[…]
            title = f"{term.term}: {definition}" if name != term.term else definition
            lines.append(f"*[{_plain(name)}]: {title}")
    return "\n\n" + "\n".join(sorted(lines)) + "\n" if lines else ""
