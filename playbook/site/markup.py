"""Safe building blocks for generated Markdown: escaped text, links, tables, lists, code blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

# Characters that start Markdown, Jinja or HTML syntax; written as character references
# they show as themselves and mean nothing.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>#+!|~^=$&"})
_SPACE = re.compile(r"\s+")
_PLAIN = re.compile(r"[A-Za-z0-9.,:;'/@%?-]+(?: [A-Za-z0-9.,:;'/@%?-]+)*")
"""Text with no markup character, no leading or trailing space and no run of spaces: `text` keeps it as it is."""


def text(value: object) -> str:
    """YAML text as inert Markdown: on one line, every markup character escaped."""
    value = str(value)
    if _PLAIN.fullmatch(value):  # most titles and ids: nothing to escape or join (0.1 s at 1,000 standards)
        return value
    return _SPACE.sub(" ", value).strip().translate(_MARKUP)


def attr(value: object) -> str:
    """Text for an HTML attribute value."""
    return html.escape(_SPACE.sub(" ", str(value)).strip(), quote=True)


def link(label: str, target: str) -> str:
    """A Markdown link; `label` is escaped, `target` is a docs-absolute path we built."""
    return f"[{text(label)}]({target})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be escaped Markdown."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def fenced(body: str, info: str = "") -> str:
    """`body` as a fenced code block that nothing inside it can close: the fence is longer than
    any run of backticks in the body."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}\n"


def bullets(items: Iterable[str]) -> str:
    """A Markdown list of escaped items."""
    return "".join(f"- {text(item)}\n" for item in items)


def bullets_md(items: Iterable[str]) -> str:
    """A Markdown list of items that are already Markdown."""
    return "".join(f"- {item}\n" for item in items)
