"""Untrusted Markdown (a body, a docs page) checked before any converter reads it.

What a page may not do, each refused with its line and column:

- link to an address other than http(s) or mailto (`javascript:`, `data:`…), however it is spelled
  (entities, case, spaces, control characters): E-LINK;
- load anything from another host, which would call that host from every reader's browser: E-EXTERNAL;
- define abbreviations of its own (`*[RAID]: …`): hover text comes from the glossary: E-ABBR;
- hold control characters or text-direction overrides: E-CHAR;
- hold structures Python-Markdown takes superlinear time or deep recursion over (thousands of
  unmatched brackets, deep nesting, huge tables): E-SIZE.

A rough reading, line by line, that errs towards refusing: fenced code is skipped, so a page can
still show such text as code, and so are code spans and template expressions
(`{{ ref("STD-004", "…") }}`), whose output the macros make safe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from playbook.content.characters import NEVER, character_name

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_UNMATCHED = 200
"""Unmatched `[`, `(` or `<` in one page: each makes Python-Markdown scan the rest of the page again
(`<a ` 8,000 times took it 5 s)."""
MAX_DEPTH = 32
"""Nesting of lists, block quotes and HTML elements (2,000 nested divs exhaust Python's stack)."""
MAX_HEADINGS = 1_000
"""Headings in one page: the table of contents makes each id unique by trying _1, _2, … in turn, so
22,000 headings alike took minutes."""
MAX_TABLE_CELLS = 50_000
MAX_TABLE_COLUMNS = 200

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_TARGET = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]*)")
_REF_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*<?(\S*?)>?(?:\s|$)")
_REF_IMAGE = re.compile(r"!\[[^\]\[\n]*\]\[([^\]\n]*)\]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_ATTRIBUTE = re.compile(
    r"""\b(href|src|srcset|xlink:href|action|formaction|poster|data|background|cite|longdesc)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
    re.IGNORECASE,
)
_LOADS = frozenset({"src", "srcset", "poster", "data", "background"})
"""Attributes whose address the browser fetches by itself, without a click."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?(/?)>")
"""An HTML tag; it never spans another `<`, so a line of `<a <a <a …` is read once, not once per `<`."""
_UNNESTED = frozenset({
    "br", "hr", "img", "input", "wbr", "col", "source", "track", "area", "meta", "link", "embed",  # void
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "option", "optgroup", "rt", "rp",
})  # fmt: skip
"""Elements that are empty, or whose end tag may be left out: they do not count towards nesting."""
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]*\]:")
_TEMPLATES = tuple(
    (re.compile(re.escape(o) + ".*?" + re.escape(c)), c) for o, c in (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
)
_BACKTICKS = re.compile(r"`+")
_QUOTES = re.compile(r"[ >]*")
_CLOSERS = {"[": "]", "(": ")", "<": ">"}
_TEMPLATE_OPENER = re.compile(r"\{[{%]")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


@dataclass(frozen=True)
class Problem:
    """One problem in a page: 1-based line and column, a code and a message."""

    line: int
    col: int
    code: str
    message: str


def address(target: str) -> str:
    """A link target as a browser reads it: entities decoded, spaces and control characters gone, lower case."""
    return _INVISIBLE.sub("", html.unescape(target)).lower()


def scheme(target: str) -> str:
    """`javascript` for `JaVa&#x09;Script:alert(1)`; '' for a relative address."""
    found = _SCHEME.match(address(target))
    return found.group(1) if found else ""


def other_host(target: str) -> bool:
    """Whether the browser would fetch `target` from another host (`https://…`, `//…`)."""
    where = address(target)
    return where.startswith("//") or scheme(target) in ("http", "https")


@dataclass(frozen=True)
class Target:
    """A link to a place in the site (`other.md#r2`, `/standards/x.md`, `#r3`): 1-based line and column, address."""

    line: int
    col: int
    address: str


def markdown_problems(text: str, *, macros: bool = True, targets: list[Target] | None = None) -> Iterator[Problem]:
    """Every problem in `text`, in the order of the lines; with `targets`, its links into the site added to it.

    Without `macros` (Markdown that is never rendered as a template, such as a requirement's
    guidance), `{{ … }}` is not blanked: a link inside it reaches the page as written.
    """
    lines = text.split("\n")
    image_refs = {ref.casefold() for ref in _REF_IMAGE.findall(text)}
    fence = ""
    depth: list[str] = []  # open HTML elements
    # a page with no more of an opener than the limit cannot leave more unclosed: most pages skip the count
    unmatched = {char: 0 for char in "[(<" if text.count(char) > MAX_UNMATCHED}
    table_cells = 0
    headings = 0
    said: set[str] = set()  # limits over a whole page are reported once
    refused = NEVER.search(text) is not None  # most pages have none: no search line by line
    for number, line in enumerate(lines, start=1):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
            continue
        if opener:
            fence = opener.group(1)
            continue
        bad = NEVER.search(line.removesuffix("\r")) if refused else None  # CR LF line ends are fine
        if bad:
            yield Problem(number, bad.start() + 1, "E-CHAR", f"{character_name(bad.group())}; remove it")
        # template expressions and code spans show as written: blanked, columns staying where they were
        if macros and "{" in line:
            line = _templates_blanked(line)
        if "`" in line:
            line = _code_blanked(line)
        if not macros and (opener := _TEMPLATE_OPENER.search(line)):
            yield Problem(
                number, opener.start() + 1, "E-TEMPLATE",
                "this Markdown is not a template, so macros show as written; "
                "link instead, as [STD-004 R2](/standards/x.md#r2), or put the text in `code`",
            )  # fmt: skip
        if _HEADING.match(line):
            headings += 1
            if headings > MAX_HEADINGS and "headings" not in said:
                said.add("headings")
                yield Problem(number, 1, "E-SIZE", f"over {MAX_HEADINGS:,} headings in one page; split it")
        if _ABBREVIATION.match(line):
            yield Problem(
                number, 1, "E-ABBR", "a page may not define abbreviations; add the term to the glossary instead"
            )
        if "](" in line or "]:" in line or "<" in line or "=" in line:  # the only lines that can link
            yield from _links(number, line, image_refs, targets)
        if "<" in line or line[:1] in " \t>":
            yield from _nesting(number, line, depth, said)
        for char in unmatched:
            unmatched[char] = max(0, unmatched[char] + line.count(char) - line.count(_CLOSERS[char]))
            if unmatched[char] > MAX_UNMATCHED and char not in said:
                said.add(char)
                yield Problem(
                    number, 1, "E-SIZE", f"over {MAX_UNMATCHED} unmatched '{char}'; close them or escape them"
                )
        if line.lstrip().startswith("|"):
            cells = line.count("|") - 1
            table_cells += max(cells, 1)
            if cells > MAX_TABLE_COLUMNS:
                yield Problem(number, 1, "E-SIZE", f"a table row of {cells} columns; the limit is {MAX_TABLE_COLUMNS}")
            if table_cells > MAX_TABLE_CELLS and "table" not in said:
                said.add("table")
                yield Problem(number, 1, "E-SIZE", f"over {MAX_TABLE_CELLS:,} table cells in one page; split it")


def _blank(found: re.Match[str]) -> str:
    return "_" * len(found.group())


def _templates_blanked(line: str) -> str:
    """`line` with `{{ … }}`, `{% … %}` and `{# … #}` blanked, in time linear in the line.

    A pattern alone retries from every unclosed opener to the line's end: `{{` 10,000 times took
    seconds. So each kind is looked for only up to the last of its closers.
    """
    for pattern, closer in _TEMPLATES:
        last = line.rfind(closer)
        if last >= 0:
            line = pattern.sub(_blank, line[: last + 2]) + line[last + 2 :]
    return line


def _code_blanked(line: str) -> str:
    """`line` with its code spans blanked, in time linear in the line (CommonMark: a run of backticks
    opens a span that the next run of the same length closes; an unclosed run is text)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    later: dict[int, list[int]] = {}  # run length → indexes of the runs of that length, last first
    for i in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[i][1] - runs[i][0], []).append(i)
    out, i = list(line), 0
    while i < len(runs):
        length = runs[i][1] - runs[i][0]
        same = later[length]
        while same and same[-1] <= i:
            same.pop()
        if not same:
            i += 1  # no closer: the run is text
            continue
        close = same.pop()
        out[runs[i][0] : runs[close][1]] = "_" * (runs[close][1] - runs[i][0])
        i = close + 1
    return "".join(out)


def _links(number: int, line: str, image_refs: set[str], inside: list[Target] | None) -> Iterator[Problem]:
    targets: list[tuple[int, str, bool]] = [
        (m.start(2), m.group(2), bool(m.group(1))) for m in _LINK_TARGET.finditer(line)
    ]
    definition = _REF_DEFINITION.match(line)
    if definition:
        targets.append((definition.start(2), definition.group(2), definition.group(1).casefold() in image_refs))
    built = {col for col, _, _ in targets}  # the builder resolves Markdown's links; the browser those in HTML
    targets += [(m.start(1), m.group(1), False) for m in _AUTOLINK.finditer(line)]
    for m in _ATTRIBUTE.finditer(line):
        loads = m.group(1).lower() in _LOADS
        parts = r"[^,\s\"']+" if m.group(1).lower() == "srcset" else r"[^\"']+"  # a srcset lists addresses
        for part in re.finditer(parts, m.group(2)):
            if not re.fullmatch(r"\d+(\.\d+)?[wx]", part.group()):  # `2x`, `640w`: sizes, not addresses
                targets.append((m.start(2) + part.start(), part.group().strip(), loads))
    seen: set[int] = set()
    for col, target, loads in sorted(targets):
        if col in seen:
            continue  # a target that two patterns match (`[x](<javascript:…>)`)
        seen.add(col)
        used = scheme(target)
        if used and used not in ALLOWED_SCHEMES:
            yield Problem(
                number, col + 1, "E-LINK", f"'{used}:' addresses are not allowed; link with http, https or mailto"
            )
        elif loads and other_host(target):
            yield Problem(
                number, col + 1, "E-EXTERNAL",
                "an image or file from another host would be fetched by every reader's browser; "
                "attach the file to the entity and link it instead",
            )  # fmt: skip
        elif inside is not None and col in built and not used and target and not other_host(target):
            inside.append(Target(number, col + 1, target))  # a place in the site, for `site_links` to find


def _nesting(number: int, line: str, open_tags: list[str], said: set[str]) -> Iterator[Problem]:
    spaces = line.expandtabs(4) if "\t" in line else line
    indent = len(spaces) - len(spaces.lstrip(" "))
    quotes = _QUOTES.match(line, len(line) - len(line.lstrip(" ")))
    levels = max(indent // 4, quotes.group().count(">") if quotes else 0)
    if levels > MAX_DEPTH and "levels" not in said:
        said.add("levels")
        yield Problem(number, 1, "E-SIZE", f"lists or quotes nested over {MAX_DEPTH} deep")
    for m in _TAG.finditer(line):
        name = m.group(2).lower()
        if m.group(1):  # a closing tag closes up to the last of its name
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
        elif name not in _UNNESTED and not m.group(3):
            open_tags.append(name)
            if len(open_tags) > MAX_DEPTH and "tags" not in said:
                said.add("tags")
                yield Problem(number, m.start() + 1, "E-SIZE", f"HTML elements nested over {MAX_DEPTH} deep")
