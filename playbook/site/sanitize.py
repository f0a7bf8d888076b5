"""Page HTML cleaned of what content must not carry: scripts, event handlers, embeds, foreign links.

Runs on every page's HTML after Markdown has made it, so raw HTML in a body or a docs page, and
whatever an extension makes of it, passes through one allow-list (nh3, a Rust HTML sanitizer).
"""

from __future__ import annotations

from typing import Any

import nh3

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
    "a": {"href", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "details": {"open"},
    "div": {"data-search-exclude"},  # the facts tables and changelogs: kept out of the search index
    "ol": {"start"},
}


_THEME_PREFIX = "__"
"""How the ids Material's scripts look up begin (`__config`, `__drawer`, `__search`, `__md_scope`…): the
first match in the page wins, so content claiming one would replace, say, the theme's configuration."""


def _attribute(tag: str, name: str, value: str) -> str | None:
    return None if name in ("id", "for") and value.startswith(_THEME_PREFIX) else value


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
