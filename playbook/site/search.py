"""The search index as readers use it: what they search for, in force first, each requirement a result.

The theme indexes each page's HTML: the facts tables, changelogs, requirement blocks, the binding box
and diagrams are marked for it to leave out (`data-search-exclude`). Of the entries it makes for a
page, `reader_entries` drops the tags the build derives ("status: superseded", "role: project-lead",
"Standard" matched nearly every query) and keeps the organisation's topics, which mkdocs.yml weighs
above a word of a title; and it adds a result per requirement, `STD-007 R3 (MUST)`, leading to its
anchor. An entity out of force keeps a quarter of its page's weight (`front_matter.OUT_OF_FORCE`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Standard
from playbook.site.front_matter import kind_tag
from playbook.site.urls import page_url

_UNSEARCHED = re.compile(
    r"<table(?=>\n<thead>\n<tr>\n<th>(?:Field</th>\n<th>Value|Version</th>\n<th>Date)</th>)"  # facts, changelogs
    r'|<div class="admonition [a-z]+ pb-binding"'  # how a standard binds under the organisation's model
    r'|<pre class="mermaid"'  # a diagram's source
)


def mark_unsearched(html: str) -> str:
    """A page's HTML with the parts readers do not search for marked for the theme to leave out
    (`data-search-exclude`): facts tables, changelogs, the binding box, diagrams' source. Marked in
    the HTML, after it is cleaned, rather than wrapped in Markdown: wrappers made every page slower."""
    return _UNSEARCHED.sub(lambda found: found.group(0) + ' data-search-exclude="true"', html)


class SearchEntries:
    """What a catalog changes in the theme's search entries, page by page."""

    def __init__(self, catalog: Catalog):
        self.standards: Mapping[str, Standard] = {page_url(s.src_uri): s for s in catalog.of_kind(Standard)}
        self.derived = {kind_tag(kind) for kind in KINDS.values()}  # "Standard", "Guide": each kind's tag

    def reader_entries(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One page's entries (`location`, `title`, `text`, `tags`, `boost`) as readers search them."""
        found = []
        for entry in entries:
            topics = [t for t in entry.pop("tags", []) if t not in self.derived and ": " not in t]
            if topics:
                entry["tags"] = topics
            found.append(entry)
            standard = self.standards.get(entry.get("location", ""))
            if standard is not None:
                found += self._requirements(standard, entry)
        return found

    @staticmethod
    def _requirements(standard: Standard, page: dict[str, Any]) -> list[dict[str, Any]]:
        weight = {"boost": page["boost"]} if "boost" in page else {}
        return [
            {
                "location": f"{page['location']}#{r.id.lower()}",
                "title": html.escape(f"{standard.id} {r.id} ({r.level})"),
                "text": html.escape(" ".join(filter(None, (r.text, r.rationale)))),
                **weight,
            }
            for r in standard.requirements
        ]
