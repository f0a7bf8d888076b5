"""`playbook import`, step 2: a catalogue's Markdown made fit for a playbook page, each change reported.

A page may not hold what `site/markdown_checks.py` refuses, so what a catalogue commonly has of it is
taken out here, with a note at its line: images (they are not imported, and one from another host
would be fetched by every reader's browser), links other than http, https and mailto, abbreviations
of its own, HTML that links or loads those, and control characters. Links to other files being
imported lead to their pages; links to files that are not imported keep their words only. A body is
rendered as a template, so its `{{`, `{%` and `{#` are escaped to show as written. What the checks
still refuse after that is returned, for the file to be refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playbook.authoring.import_markdown import Line
from playbook.authoring.import_text import LABEL, TARGET, fence_after
from playbook.content.characters import NEVER, character_name
from playbook.site.markdown_checks import ALLOWED_SCHEMES, markdown_problems, scheme

Resolve = Callable[[str], "tuple[str, str] | None"]
"""A relative link target as written → (id of the imported standard it leads to, the link to its page), or None."""

_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_ABBREVIATION = re.compile(r"^ {0,3}\*\[([^\]\n]*)\]:")
_IMAGE = re.compile(r"!" + LABEL + r"(?:\(\s*" + TARGET + r"\)|\[[^\[\]\n]*\])")
_LINK = re.compile(LABEL + r"\(\s*" + TARGET + r"\)")
_REF_DEFINITION = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*)<?(\S*?)>?((?:\s.*)?)$")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_TAG = re.compile(r"<[A-Za-z][^<>\n]*>")
_HTML_LINK = re.compile(r"(<a\b[^<>\n]*>)([^<]*)</a\s*>", re.IGNORECASE)
_TEMPLATE = re.compile(r"\{[{%#]")


@dataclass
class Cleaned:
    """Markdown made fit for a page, what was changed, and what is still refused."""

    lines: list[Line] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    """Ids of the imported standards it links to."""
    refused: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of what the page checks refuse even now."""


def clean(lines: list[Line], resolve: Resolve, *, template: bool) -> Cleaned:
    """`lines` fit for a page; `template` for a body, which is rendered as a template (guidance is not)."""
    out = Cleaned()
    fence = ""
    for number, line in lines:
        line = _characters(number, line, out)
        after = fence_after(fence, line)
        code, fence = bool(fence or after), after
        if not code:
            abbreviation = _ABBREVIATION.match(line)
            if abbreviation:
                out.notes.append(
                    (number, f"abbreviation '{abbreviation.group(1)}' dropped: add the term to the glossary instead")
                )
                continue
            line = _Links(number, resolve, out).line(line)
        if template and _TEMPLATE.search(line):
            out.notes.append((number, "template markup ('{{', '{%', '{#') escaped, so the page shows it as written"))
            line = _TEMPLATE.sub(lambda found: "{{ '" + found.group() + "' }}", line)
        out.lines.append((number, line))
    text = "\n".join(line for _, line in out.lines)
    for problem in markdown_problems(text, macros=template):
        out.refused.append((out.lines[problem.line - 1][0], f"{problem.code} {problem.message}"))
    return out


def _characters(number: int, line: str, out: Cleaned) -> str:
    for found in NEVER.finditer(line.removesuffix("\r")):
        out.notes.append((number, f"{character_name(found.group())} removed"))
    return NEVER.sub("", line)


@dataclass
class _Links:
    """The links, images and tags of one line, outside its code spans, rewritten or dropped."""

    number: int
    resolve: Resolve
    out: Cleaned

    def line(self, line: str) -> str:
        definition = _REF_DEFINITION.match(line)
        if definition:
            target = self.target(definition.group(2), "")
            return "" if target is None else definition.group(1) + target + definition.group(3)
        parts = []
        last = 0
        for span in _CODE_SPAN.finditer(line):
            parts += [self.text(line[last : span.start()]), span.group()]
            last = span.end()
        return "".join([*parts, self.text(line[last:])])

    def text(self, text: str) -> str:
        text = _IMAGE.sub(self.image, text)
        text = _LINK.sub(self.link, text)
        text = _AUTOLINK.sub(lambda found: found.group() if self.target(found.group(1), "") else "", text)
        text = _HTML_LINK.sub(lambda found: found.group() if self.tag(found.group(1)) else found.group(2), text)
        return _TAG.sub(lambda found: found.group() if self.tag(found.group()) else "", text)

    def image(self, found: re.Match[str]) -> str:
        where = f" '{found.group(2)}'" if found.group(2) else ""
        self.out.notes.append(
            (self.number, f"image{where} dropped: images are not imported; attach the file to the standard and link it")
        )
        return ""

    def link(self, found: re.Match[str]) -> str:
        words, target = found.group(1), self.target(found.group(2), found.group(1))
        return words if target is None else f"[{words}]({target})"

    def target(self, target: str, words: str) -> str | None:
        """The link target to write for `target`, or None to keep only the words."""
        used = scheme(target)
        if target.startswith("#") or used in ALLOWED_SCHEMES:
            return target
        if used:
            self.out.notes.append((self.number, f"'{used}:' link removed; its words kept"))
            return None
        found = self.resolve(target)
        if found is None:
            self.out.notes.append(
                (self.number, f"link to '{target}' dropped: no file imported with it is there; its words kept")
            )
            return None
        self.out.linked.append(found[0])
        return found[1]

    def tag(self, tag: str) -> bool:
        """Whether an HTML tag may stay: not an image, nor one that links or loads what a page may not."""
        if tag.lower().startswith("<img") or any(markdown_problems(tag)):
            self.out.notes.append((self.number, f"HTML {tag[:60]!r} dropped: it loads or links what a page may not"))
            return False
        return True
