"""Tooltips that show text: the playbook's title guard, loaded before the theme's own script.

Material's `content.tooltips` shows an element's `title` as HTML: it writes `element.title` into
innerHTML (`mountInlineTooltip2`, the header's `mountTooltip`) and copies a truncated nav entry's
innerText into `title` (its ellipsis patch). The guard (assets/titles.js) makes the `title` property
give the attribute HTML-escaped, which closes every one of those paths, also the ones a page's
content or a later theme version could open; it must run before the bundle reads any title.
"""

from __future__ import annotations

import re

_BUNDLE = re.compile(r'<script src="([^"]*?)assets/javascripts/bundle\.[\w.]+\.js"></script>')
"""Material's bundle; its address starts with the page's way back to the site root."""


def guard_titles(page: str, script: str) -> str:
    """`page` with `<script src="…/{script}">` just before Material's bundle; unchanged without one.

    `script` is relative to the site root, and written with the bundle's own prefix, so it holds on
    pages at any depth and on 404.html, whose addresses are absolute.
    """
    bundle = _BUNDLE.search(page)
    if bundle is None:
        return page
    tag = f'<script src="{bundle.group(1)}{script}"></script>'
    return f"{page[: bundle.start()]}{tag}{page[bundle.start() :]}"
