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


def abbreviations(catalog: Catalog) -> dict[str, str]:
    """Every glossary term and abbreviation with its hover text, for the `abbr` extension's glossary.

    Given once to the extension rather than as `*[RAID]: …` lines appended to each page, which
    Python-Markdown's block processors tested again line after line: with a large glossary, every
    page took seconds. The extension marks up all of them with one expression.
    """
    if catalog.glossary is None:
        return {}
    found = []
    for term in catalog.glossary.terms:
        definition = _plain(term.definition)
        for name in [term.term] + ([term.abbr] if term.abbr else []):
            if "[" in name or "]" in name or marks_placeholders(name):
                continue  # kept out as when they were written as *[…] lines, or would corrupt pages
            found.append((_plain(name), f"{term.term}: {definition}" if name != term.term else definition))
    return dict(sorted(found))  # of a name given twice, the last in this order wins, as before


class HoverText:
    """The glossary's hover text cut down, for each page, to the terms that page uses.

    Python-Markdown's `abbr` extension walks every element of a page with one expression of all
    the terms it is given, and skips the walk when it is given none; most pages use a few terms
    or none, so each page gets only those (0.6 s of a 1,000-standard build).
    """

    def __init__(self, glossary: dict[str, str]) -> None:
        self.glossary = glossary
        names = sorted(glossary, key=len, reverse=True)  # as the extension orders them: longest first
        self._pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, names))})\b") if names else None
        self._within: dict[str, list[str]] = {}

    def for_page(self, markdown: str) -> dict[str, str]:
        """The terms found in `markdown`, and every term inside one found (where a page's markup
        splits "RAID log", the extension marks up "RAID")."""
        if self._pattern is None:
            return {}
        found = set()
        for name in set(self._pattern.findall(markdown)):
            if name not in self._within:
                self._within[name] = [other for other in self.glossary if other in name]
            found.update(self._within[name])
        return {name: self.glossary[name] for name in sorted(found)}
