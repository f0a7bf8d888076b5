"""Short URLs (`/STD-004/`) and old addresses (`aliases`) as static redirect pages."""

from __future__ import annotations

import html
from collections.abc import Iterator

from playbook.content.catalog import Catalog
from playbook.site.csp import KEEP_FRAGMENT, REDIRECT_POLICY, meta
from playbook.site.urls import page_url


def redirect_html(from_url: str, to_url: str, title: str) -> str:
    """A tiny page that sends the browser (and search engines) on to `to_url`, keeping the fragment
    (`/STD-004/#r3` lands on R3) where script runs; a refresh takes the others to the page's top."""
    target = html.escape(relative_url(to_url, from_url), quote=True)
    name = html.escape(title)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">{meta(REDIRECT_POLICY)}'
        f'<title>{name}</title><link rel="canonical" href="{target}"><script>{KEEP_FRAGMENT}</script>'
        f'<meta http-equiv="refresh" content="0; url={target}">'
        '<meta name="robots" content="noindex"></head>'
        f'<body><p>This page has moved to <a href="{target}">{name}</a>.</p></body></html>\n'
    )


def relative_url(target: str, start: str) -> str:
    """The address of the folder `target` seen from the folder `start` (`../standards/x/`), as
    posixpath.relpath gives it, in strings alone: relpath asks the disk for the working directory."""
    to, here = [p for p in target.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + to[common:]
    return "/".join(parts) + "/" if parts else "./"


def redirects(catalog: Catalog, taken: set[str]) -> Iterator[tuple[str, str]]:
    """(path of the redirect file, its HTML) for every id and alias whose URL is free.

    `taken` holds the URLs of real pages; an id such as `lifecycle` that is already a page
    address needs no redirect.
    """
    below = _pages_below(taken)
    for entity in catalog.entities:
        target = page_url(entity.src_uri)
        title = entity.label
        for url in (f"{entity.id}/", *(a.strip("/") + "/" for a in entity.aliases)):
            if url not in taken:
                taken.add(url)
                yield f"{url}index.html", redirect_html(url, target, title)
        for alias in entity.aliases:  # an old address's archived versions and history moved with it
            old = alias.strip("/") + "/"
            for page in below.get(target, ()):
                moved = old + page.removeprefix(target)
                if moved not in taken:
                    taken.add(moved)
                    yield f"{moved}index.html", redirect_html(moved, page, title)


def _pages_below(urls: set[str]) -> dict[str, list[str]]:
    """Each page address → the addresses under it (`standards/x/` → `standards/x/v1.0.0/`, `…/changes/`)."""
    found: dict[str, list[str]] = {}
    for url in sorted(urls):
        parts = url.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            found.setdefault("/".join(parts[:depth]) + "/", []).append(url)
    return found
