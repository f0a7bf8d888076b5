"""Links from a body or a requirement's guidance to places in the site, checked against the pages it will have.

A link to `other.md`, `/standards/x.md#r3` or `#r2` must lead to a page and requirement the site has:
the build (MkDocs, strict) stops at one that does not, but names the page it generated rather than
the line to fix, and only after validation said all was well. The folders of the catalog's pages
(`standards/`, `templates/`…) are known here; links into pages under docs/ are left to the build.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import PurePosixPath

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Entity, Standard
from playbook.site.urls import page_url

SECTIONS = frozenset(cls.section for cls in KINDS.values() if cls.section)
"""The folders the catalog's pages are made in."""
_REQUIREMENT = re.compile(r"r(\d+)", re.IGNORECASE)
_ID_PREFIX = re.compile(r"^[A-Za-z]+-\d+-")


class SitePages:
    """The pages the catalog makes, by source path, to check links against.

    A file with problems is not in the catalog, yet its page will be once it is fixed: a link to a
    page that may be its (`status-reporting.md` for `STD-001-status-reporting.yaml`) is not reported,
    so the one mistake is reported once, at its cause.
    """

    def __init__(self, catalog: Catalog, failed: Iterable[str] = ()) -> None:
        self.by_uri = {e.src_uri: e for e in catalog.entities}
        self.maybe = {
            name.lower() for file in failed for name in _slugs(PurePosixPath(file).stem) if file.endswith(".yaml")
        }

    def dead_end(self, page: str, address: str) -> str | None:
        """Why `address`, a link in the page `page` (`standards/x.md`), leads nowhere in the site; None when it
        leads somewhere, or to a page under docs/ that the build checks."""
        path, _, anchor = address.partition("#")
        path = urllib.parse.unquote(path.split("?", 1)[0])
        if not path:
            return _no_requirement(self.by_uri.get(page), anchor)
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
        resolved = posixpath.normpath(joined)
        if resolved == ".." or resolved.startswith("../"):
            return f"'{address}' leads out of the site"
        as_address = posixpath.normpath(posixpath.join(page_url(page), path)) if not path.startswith("/") else ""
        if (
            posixpath.splitext(path.rstrip("/"))[1] == ""
            and as_address + ".md" in self.by_uri
            and page != as_address + ".md"
        ):
            # `../weekly-status/`: right in the browser, which is at the page's address, not for the build
            return f"'{address}' is a page's address; link to its file: /{as_address}.md"
        folder, _, name = resolved.partition("/")
        if folder not in SECTIONS or "@" in name or posixpath.splitext(name)[1] not in ("", ".md"):
            return None  # a page under docs/, a past version's page or an attached file: the build checks it
        if resolved in self.by_uri:
            return _no_requirement(self.by_uri[resolved], anchor)
        if resolved == f"{folder}/index.md":
            return None
        if posixpath.splitext(name)[0].lower() in self.maybe:
            return None  # perhaps the page of a file with problems of its own
        if resolved + ".md" in self.by_uri:  # `../other/`: the page's address rather than its file
            return f"'{address}' is a page's address; link to its file: /{resolved}.md"
        named = next((e.src_uri for e in self.by_uri.values() if e.id.lower() in name.lower()), None)  # STD-007-…md
        example = named or next((uri for uri in self.by_uri if uri.startswith(folder + "/")), f"{folder}/index.md")
        return f"there is no page {resolved!r}; link to an entity's page such as /{example}"


def _no_requirement(entity: Entity | None, anchor: str) -> str | None:
    """Why `#anchor` names no requirement of `entity`'s page (`#r9` of a standard with three); None otherwise."""
    found = _REQUIREMENT.fullmatch(anchor)
    if entity is None or found is None or not isinstance(entity, Standard):
        return None
    if not any(r.id.lower() == anchor.lower() for r in entity.requirements):
        return f"{entity.id} has no requirement R{found.group(1)} (#{anchor})"
    if anchor != anchor.lower():  # ids on the page are lower case, and browsers match them exactly
        return f"'#{anchor}' is written '#{anchor.lower()}' on the page"
    return None


def _slugs(stem: str) -> tuple[str, str]:
    """The names a file's page may have: its stem, or the stem without an id such as `STD-001-`."""
    return stem, _ID_PREFIX.sub("", stem)
