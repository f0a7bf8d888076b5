"""The search index as readers use it: what they search for, in force first, each requirement a result.

The theme's index is made from the pages' HTML: the facts tables, changelogs and requirement blocks
are left out of it where the pages are written (`data-search-exclude`). Here, after the build, the
tags the build derives go ("status: superseded", "role: project-lead" and "Standard" matched nearly
every query) and the organisation's topics weigh more than a word of a title; each requirement
becomes a result of its own, `STD-007 R3 (MUST)`, leading to its anchor. An entity out of force
keeps a quarter of its page's weight (`front_matter.OUT_OF_FORCE`).
"""

from __future__ import annotations

import html
from typing import Any

from playbook.content.catalog import Catalog
from playbook.content.model import Standard
from playbook.site.front_matter import page_tags
from playbook.site.urls import page_url

TOPIC_BOOST = 10_000
"""The weight of a page's topic (the theme gives tags 100, a title's word 1,000): "risk" found the
kickoff agenda's "Risks and dependencies" section before STD-008 RAID management, tagged Risk."""


def reader_index(index: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """`index` (the theme's `search_index.json`, as data) without tags and with a document per requirement."""
    standards = {page_url(s.src_uri): s for s in catalog.of_kind(Standard)}
    kinds = {page_tags(catalog, e)[0] for e in catalog.entities}  # "Standard", "Guide": the tag of each kind
    docs = []
    for doc in index.get("docs", []):
        topics = [t for t in doc.pop("tags", []) if t not in kinds and ": " not in t]
        if topics:
            doc["tags"] = topics
        docs.append(doc)
        standard = standards.get(doc.get("location", ""))
        if standard is None:
            continue
        weight = {"boost": doc["boost"]} if "boost" in doc else {}
        for r in standard.requirements:
            docs.append(
                {
                    "location": f"{doc['location']}#{r.id.lower()}",
                    "title": html.escape(f"{standard.id} {r.id} ({r.level})"),
                    "text": html.escape(" ".join(filter(None, (r.text, r.rationale)))),
                    **weight,
                }
            )
    fields = index.get("config", {}).get("fields", {})
    if "tags" in fields:  # a topic the organisation named is what its pages are about: above a word in a title
        fields["tags"] = {**fields["tags"], "boost": TOPIC_BOOST}
    return {**index, "docs": docs}
