"""`playbook import`, step 1: one catalogue file read as front matter, requirements and the prose around them.

A requirement is a list item or a heading that states an RFC 2119 keyword (MUST, MUST NOT, SHOULD,
SHOULD NOT, MAY; SHALL as MUST). Its guidance is the Markdown after it: up to the next requirement,
or for a heading, the next heading of the same or a higher level; for a list item, the next heading.
Everything else (the intro, sections such as "Principles") is the body. Every line keeps its number
in the source, so what cannot be carried over is reported where it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from playbook.authoring.import_text import (
    FENCE,
    Stated,
    anchors_in,
    fence_after,
    github_slug,
    has_link,
    has_tag,
    plain,
    stated,
    toc_slug,
)
from playbook.content.yaml_reader import Refused, read

Line = tuple[int, str]
"""A line of the source file: its 1-based number and its text."""

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
RELATED = re.compile(r"(?:further reading|related(?: \w+)?|see also|references|useful links|links)", re.IGNORECASE)
"""Headings of sections whose links become the standard's `related` list."""
_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+)(\S.*)$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_RFC = re.compile(r"\bRFC[ \t]?(?:2119|8174)\b", re.IGNORECASE)
"""The line that says how to read the keywords, which states none itself."""


class Unimportable(Exception):
    """A file that cannot be imported at all: the line and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


@dataclass(frozen=True)
class Statement:
    """One requirement as the source states it."""

    line: int
    level: str
    text: str
    """One line, markup removed, the level keyword in capitals."""
    guidance: tuple[Line, ...]
    anchors: tuple[str, ...]
    """The ids the source gave it (a heading's slug, an explicit `{#id}` or `<a id>`)."""


@dataclass(frozen=True)
class Parsed:
    """A catalogue file taken apart; `notes` are (line, message) pairs for what did not carry over."""

    front: dict[str, Any]
    key_lines: dict[str, int]
    """The line of each front-matter key."""
    first_heading: str
    """The text of a level-1 heading opening the body ('' if none): the title when the front matter has none."""
    statements: tuple[Statement, ...]
    body: tuple[Line, ...]
    sections: tuple[tuple[int, int, str], ...]
    """(line, level, text) of each heading in the body."""
    notes: tuple[tuple[int, str], ...]


def parse(text: str) -> Parsed:
    """`text` (a whole catalogue file) as front matter, requirements and body; Unimportable if it has no front
    matter that reads as data."""
    lines = text.replace("\r\n", "\n").split("\n")
    front, key_lines, start = _front_matter(lines)
    reader = _Reader()
    numbered = list(enumerate(lines[start:], start=start + 1))
    first_heading = _first_heading(numbered)
    if first_heading:
        numbered = numbered[first_heading[0] :]
    reader.read(numbered)
    sections = tuple((number, level, words) for number, level, required, words in reader.headings if not required)
    return Parsed(
        front, key_lines, first_heading[1] if first_heading else "", tuple(reader.statements), tuple(reader.body),
        sections, tuple(sorted(reader.notes)),
    )  # fmt: skip


def _front_matter(lines: list[str]) -> tuple[dict[str, Any], dict[str, int], int]:
    """The front matter's data, the line of each key, and the index of the first body line."""
    if lines[0].rstrip() != "---":
        return {}, {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise Unimportable(1, "the front matter opened on line 1 is never closed with '---'")
    try:
        node, data = read("\n".join(lines[1:end]))
    except Refused as refused:
        if refused.message == "file is empty":
            return {}, {}, end + 1
        raise Unimportable(refused.line + 1, f"front matter: {refused.message}") from None
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise Unimportable(2, "the front matter is not a set of 'key: value' lines")
    key_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return data, key_lines, end + 1


def _first_heading(numbered: list[Line]) -> tuple[int, str] | None:
    """(lines to skip, text) of a level-1 heading before any other text: the page shows the title itself."""
    for i, (_, line) in enumerate(numbered):
        if line.strip():
            found = HEADING.match(line)
            return (i + 1, plain(found.group(2))) if found and len(found.group(1)) == 1 else None
    return None


@dataclass
class _Open:
    """The requirement being read."""

    line: int
    heading: int
    """Its heading level; 0 for a list item, whose guidance any heading ends."""
    level: str
    text: str
    anchors: list[str]
    indent: int = 0
    """Columns of a list item's marker: its continuation lines are written this far in."""
    guidance: list[Line] = field(default_factory=list)


@dataclass
class _Reader:
    """Reads body lines in order, sending each to the body or to the guidance of the open requirement."""

    statements: list[Statement] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    open: _Open | None = None
    headings: list[tuple[int, int, bool, str]] = field(default_factory=list)
    """(line, level, is a requirement, text) of every heading outside guidance."""
    column: int = 0
    """Where the text of the current list's items starts: an item written this far in is nested."""
    plain_items: list[int] = field(default_factory=list)
    """Lines of list items without a keyword in the current section, outside any requirement."""
    listed: bool = False
    """Whether the current section holds list-item requirements."""

    def read(self, numbered: list[Line]) -> None:
        fence = ""
        i = 0
        while i < len(numbered):
            number, line = numbered[i]
            i += 1
            after = fence_after(fence, line)
            code, fence = bool(fence or after), after
            if code:
                self._keep(number, line)
                continue
            heading = HEADING.match(line)
            if heading:
                self._heading(number, line, len(heading.group(1)), heading.group(2))
                continue
            item = _ITEM.match(line)
            if item and not _BREAK.match(line) and not (self.open and self.open.heading):
                if not (self.column and len(item.group(1)) >= self.column):  # else a nested item: kept as written
                    i = self._item(numbered, i, item)
                    continue
            elif line.strip() and len(line) - len(line.lstrip()) < max(self.column, 1):
                self.column = 0  # a paragraph outside the list: the list has ended
            if line.strip() and self.open is None and not _RFC.search(line) and stated(plain(line), capitals_only=True):
                self.notes.append((number, "states a requirement level outside a list item or heading; kept as text"))
            self._keep(number, line)
        self._close()
        self._end_section()
        self._note_plain_headings()

    def _keep(self, number: int, line: str) -> None:
        (self.open.guidance if self.open else self.body).append((number, line))

    def _heading(self, number: int, line: str, level: int, words: str) -> None:
        words, explicit = self._anchors(number, words)
        found = stated(plain(words))
        if self.open and self.open.heading and level > self.open.heading and found is None:
            self.open.guidance.append((number, line))  # a sub-heading of the requirement's guidance
            return
        self._close()
        self._end_section()
        self.column = 0
        self.headings.append((number, level, found is not None, plain(words)))
        if found is None:
            self.body.append((number, line))
            return
        self._noted(number, found)
        self._markup_dropped(number, words)
        slugs = [*explicit] if explicit else [toc_slug(plain(words)), github_slug(plain(words))]
        self.open = _Open(number, level, found.level, found.text, slugs)

    def _item(self, numbered: list[Line], i: int, item: re.Match[str]) -> int:
        """Read the list item starting at `numbered[i - 1]`; the index of the next line to read."""
        start = i - 1
        number = numbered[start][0]
        marker = len(item.group(1)) + len(item.group(2)) + len(item.group(3).expandtabs(4))
        self.column = marker
        words = [item.group(4)]
        while i < len(numbered) and _continues(numbered[i][1]):
            words.append(numbered[i][1].strip())
            i += 1
        statement, explicit = self._anchors(number, " ".join(words))
        found = stated(plain(statement))
        if found is None:
            if self.open is not None:
                self.notes.append(
                    (
                        number,
                        f"list item states no MUST, SHOULD or MAY; kept in the guidance of R{len(self.statements) + 1}",
                    )
                )
            else:
                self.plain_items.append(number)
            for row in numbered[start:i]:
                self._keep(*row)
            return i
        self._close()
        self._noted(number, found)
        self.listed = True
        self._markup_dropped(number, statement)
        self.open = _Open(number, 0, found.level, found.text, explicit, indent=marker)
        return i

    def _anchors(self, number: int, words: str) -> tuple[str, list[str]]:
        words, kept, dropped = anchors_in(words)
        for bad in dropped:
            self.notes.append(
                (number, f"anchor '{bad}' dropped: an anchor starts with a letter and has letters, digits, - and _")
            )
        return words, kept

    def _markup_dropped(self, number: int, statement: str) -> None:
        """Notes on what a requirement's text loses by being plain text: links and HTML, their words kept."""
        for what, present in (("links", has_link(statement)), ("HTML tags", has_tag(statement))):
            if present:
                self.notes.append(
                    (number, f"{what} in a requirement's text are dropped (the text is plain); their words kept")
                )

    def _noted(self, number: int, found: Stated) -> None:
        if found.note:
            self.notes.append((number, found.note))

    def _close(self) -> None:
        if self.open is None:
            return
        req, self.open = self.open, None
        guidance = [(n, _dedent(text, req.indent)) for n, text in req.guidance]
        self.statements.append(Statement(req.line, req.level, req.text, tuple(guidance), tuple(req.anchors)))

    def _end_section(self) -> None:
        if self.listed:
            for number in self.plain_items:
                self.notes.append(
                    (number, "list item states no MUST, SHOULD or MAY, so it is not a requirement; kept in the body")
                )
        self.plain_items, self.listed = [], False

    def _note_plain_headings(self) -> None:
        """Headings without a keyword beside requirement headings (same level, same parent): likely requirements
        whose keyword is missing."""
        parents: list[int] = []
        open_headings: list[int] = []
        for n, (_, level, _, _) in enumerate(self.headings):
            while open_headings and self.headings[open_headings[-1]][1] >= level:
                open_headings.pop()
            parents.append(open_headings[-1] if open_headings else -1)
            open_headings.append(n)
        beside = {(parents[n], heading[1]) for n, heading in enumerate(self.headings) if heading[2]}
        for n, (number, level, required, words) in enumerate(self.headings):
            if not required and not RELATED.fullmatch(words) and (parents[n], level) in beside:
                self.notes.append(
                    (number, "heading states no MUST, SHOULD or MAY, so it is not a requirement; kept in the body")
                )


def _continues(line: str) -> bool:
    """Whether `line` carries on the first paragraph of a list item (rather than starting a block)."""
    stripped = line.strip()
    return (
        bool(stripped)
        and not (
            FENCE.match(line.lstrip())
            or HEADING.match(line.lstrip())
            or _ITEM.match(line.lstrip())
            or _BREAK.match(line)
        )
        and not stripped.startswith((">", "|"))
    )


def _dedent(text: str, columns: int) -> str:
    """`text` with up to `columns` leading spaces removed: a list item's continuation, as a block of its own."""
    expanded = text.expandtabs(4) if text.startswith("\t") else text
    spaces = len(expanded) - len(expanded.lstrip(" "))
    return expanded[min(spaces, columns) :]
