"""Safe building blocks for generated Markdown: escaped text, links, tables, HTML cleaning."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import nh3

# Characters that start Markdown, Jinja or HTML syntax; written as character references
# they show as themselves and mean nothing.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>#+!|~^=$&"})
_SPACE = re.compile(r"\s+")


def text(value: object) -> str:
    """YAML text as inert Markdown: on one line, every markup character escaped."""
    return _SPACE.sub(" ", str(value)).strip().translate(_MARKUP)


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


_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
    "ol": {"start"},
}


_THEME_IDS = frozenset({"__config", "__drawer", "__search", "__toc", "__consent"})
"""Element ids Material's scripts look up with querySelector; the first match in the page wins,
so content claiming one would replace, say, the theme's configuration (`#__config`)."""


def _attribute(tag: str, name: str, value: str) -> str | None:
    return None if name in ("id", "for") and value in _THEME_IDS else value


_OPTIONS: dict[str, Any] = {
    "tags": _TAGS,
    "attributes": _ATTRIBUTES,
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": None,
    "strip_comments": True,
    "filter_style_properties": {"text-align"},
}
_CLEANER = nh3.Cleaner(**_OPTIONS)
_THEME_ID_CLEANER = nh3.Cleaner(**_OPTIONS, attribute_filter=_attribute)
"""Also drops the theme's ids; its Python callback for every attribute makes it a third slower."""


def clean_html(fragment: str) -> str:
    """Page HTML with scripts, event handlers, raw embeds, non-http(s) links and the theme's ids removed."""
    cleaned = _CLEANER.clean(fragment)
    return _THEME_ID_CLEANER.clean(fragment) if "__" in cleaned else cleaned
