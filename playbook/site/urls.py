"""Where things sit in the site, and how generated Markdown links to them.

Links are written docs-absolute (`/standards/x.md#r3`): the builder turns them into relative URLs and
checks that each one resolves, so a moved page can never leave a dead link behind. Pages are published
at folder URLs (`standards/x/`), so every address here ends in a slash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from playbook.content.catalog import Catalog
from playbook.content.model import Standard, Template
from playbook.downloads.names import FOLDER, file_name

RAW_SUFFIX = ".raw"
"""Added to the source name of a downloadable `.md`, so the builder copies it instead of rendering it."""


def page_url(src_uri: str) -> str:
    """`standards/x.md` → `standards/x/`, `lifecycle/index.md` → `lifecycle/` (directory URLs)."""
    stem = src_uri.removesuffix(".md")
    return "" if stem == "index" else (stem.removesuffix("/index") + "/")


def link_target(catalog: Catalog, target: str) -> str:
    """The docs-absolute link for an id, a phase id or `STD-004#R3`: `/standards/x.md#r3`; KeyError if unknown."""
    entity_id, _, anchor = target.partition("#")
    if entity_id in catalog.by_id:
        base = "/" + catalog.by_id[entity_id].src_uri
        return f"{base}#{anchor.lower()}" if anchor else base
    if entity_id in catalog.phases and catalog.lifecycle:
        return f"/{catalog.lifecycle.src_uri}#{entity_id}"
    raise KeyError(target)


def source_uri(path: str) -> str:
    """The source name of a file copied into the site at `path`: a Markdown download is named apart,
    because the builder renders every source named *.md as a page."""
    return path + RAW_SUFFIX if path.endswith(".md") else path


def download_href(template: Template, fmt: str) -> str:
    """The docs-absolute link to one download of `template`."""
    return "/" + source_uri(f"{FOLDER}/{file_name(template, fmt)}")


def _history_page(s: Standard, name: str) -> tuple[str, str]:
    """(source path, published URL) of a history page of `s`; the source sits beside the
    standard's own page so relative links in old bodies resolve as they did."""
    return f"{s.section}/{s.slug}@{name}.md", f"{s.section}/{s.slug}/{name}/"


def archived_uri(s: Standard, version: str) -> tuple[str, str]:
    """(source, URL) of the archived page of one past version: `standards/x/v1.0.0/`."""
    return _history_page(s, f"v{version}")


def changes_uri(s: Standard, version: str) -> tuple[str, str]:
    """(source, URL) of the "what changed" page of one version: `standards/x/v1.1.0/changes/`."""
    src, url = _history_page(s, f"v{version}")
    return src.removesuffix(".md") + "-changes.md", url + "changes/"


def history_uri(s: Standard) -> tuple[str, str]:
    """(source, URL) of a standard's history page: `standards/x/history/`."""
    return _history_page(s, "history")


@dataclass(frozen=True)
class VersionLinks:
    """The history pages of one standard, as docs-absolute link targets."""

    history: str
    archived: Mapping[str, str]
    """version → archived page."""
    changes: Mapping[str, str]
    """version → its "what changed" page."""
