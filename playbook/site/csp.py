"""The Content-Security-Policy of every built page: a `<meta http-equiv>` at the top of its `<head>`.

Pure functions on HTML strings, for whatever renders the pages. Scripts run only from the site
itself, plus the theme's inline scripts, allowed by their SHA-256: Material writes each page's
relative paths into them, so the hashes are computed per page, and never for a script inside the
page's content, which is how content could otherwise bring one in.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'{hashes}; "
    "style-src 'self' 'unsafe-inline'; "  # Mermaid's drawings and Material's tooltips set styles
    "img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; "  # the search index, api/in-force.json
    "worker-src 'self'; "  # Material's search worker
    "object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'"
)
KEEP_FRAGMENT = 'location.replace(document.querySelector("link[rel=canonical]").href + location.hash)'
"""A redirect page's one script: on to the page it names, keeping `#r3` (a refresh drops it)."""

_QUOTED = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
"""The inside of a tag, its quoted attribute values whole: a `>` or `<script>` in one is text."""
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    rf"|<(?P<raw>title|textarea|style|xmp|iframe|noembed|noframes|noscript)\b{_QUOTED}>.*?(?:</(?P=raw)\s*>|\Z)"
    rf"|<script\b(?P<attributes>{_QUOTED})>(?P<text>.*?)(?:</script\s*>|\Z)"
    rf"|<(?P<tag>[a-zA-Z][\w-]*){_QUOTED}>",
    re.IGNORECASE | re.DOTALL,
)
"""What an HTML parser sees of a page, as far as scripts go: comments and elements whose text is no
markup (`<title>` may well hold `<script>` as text) are passed over whole, scripts found, tags skipped."""
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_DATA_TYPES = ("application/json", "application/ld+json")
"""Script types a browser never runs: they need no hash."""
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset\s*=[^>]*>", re.IGNORECASE)


def script_hash(text: str) -> str:
    """The CSP source that allows an inline script with this text: `'sha256-…'`.

    Browsers hash the text as parsed, where every CR LF and lone CR has become LF.
    """
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normal.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


REDIRECT_POLICY = f"default-src 'none'; script-src {script_hash(KEEP_FRAGMENT)}; base-uri 'none'; form-action 'none'"
"""A redirect page runs KEEP_FRAGMENT, and nothing else; its `<meta http-equiv="refresh">`, for browsers
without script, is governed by no directive."""


def inline_scripts(page: str, content: str) -> list[str]:
    """The text of each inline script a browser would run in `page`, outside the first copy of `content`.

    The content is left out before the page is read, so nothing in it can hide or fake a script
    around it. When it cannot be found, only the scripts of the `<head>` count.
    """
    start = page.find(content)
    if start < 0:
        return list(_scripts(page, head_only=True))
    return [*_scripts(page[:start]), *_scripts(page[start + len(content) :])]


def _scripts(markup: str, head_only: bool = False) -> Iterator[str]:
    for token in _TOKEN.finditer(markup):
        if token.group("text") is not None and _runs(token.group("attributes")):
            yield token.group("text")
        elif head_only and (token.group("tag") or "").lower() == "body":
            return


def _runs(attributes: str) -> bool:
    """Whether a script with these attributes is inline code: no `src`, no data type."""
    kind = _TYPE.search(attributes)
    return not _SRC.search(attributes) and not (kind and kind.group(1).lower() in _DATA_TYPES)


def page_policy(page: str, content: str) -> str:
    """The policy of one page: PAGE_POLICY with the hashes of its theme's inline scripts."""
    hashes = "".join(f" {h}" for h in dict.fromkeys(script_hash(s) for s in inline_scripts(page, content)))
    return PAGE_POLICY.format(hashes=hashes)


def meta(policy: str) -> str:
    """`policy` as the `<meta>` element that sets it."""
    value = html.escape(policy, quote=False).replace('"', "&quot;")  # its quotes are single: keep them legible
    return f'<meta http-equiv="Content-Security-Policy" content="{value}">'


def with_policy(page: str, policy: str) -> str:
    """`page` with `policy` in a `<meta>` right after `<head>` (and its `<meta charset>`), before any script."""
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("the page has no <head> to put its Content-Security-Policy in")
    at = head.end()
    charset = _CHARSET.match(page, at)
    if charset is not None:
        at = charset.end()
    return f"{page[:at]}\n{meta(policy)}{page[at:]}"


def protect_page(page: str, content: str) -> str:
    """A rendered page with its policy; `content` is the HTML of its body, as written into the page."""
    return with_policy(page, page_policy(page, content))
