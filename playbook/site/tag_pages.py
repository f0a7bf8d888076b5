"""A page per topic tag (`/tags/reporting/`): what the playbook holds on it, standards in force first.

Material's own tags index (`tags.md`) lists every page under every tag, derived ones included
(`status: active`, `role: pmo-lead`); these pages are for the topics editors give entities in
`tags:`, and name each entity with its status, so a superseded standard never reads as current.
"""

from __future__ import annotations

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Entity
from playbook.content.status import IN_FORCE
from playbook.site.context import PageContext
from playbook.site.markup import link, text


def topics(catalog: Catalog) -> list[str]:
    """The tags entities give themselves, in alphabetical order."""
    return sorted({tag for entity in catalog.entities for tag in entity.tags})


def tag_uri(tag: str) -> str:
    """The page of one tag, such as `tags/reporting.md` (tags are lower-case letters, digits and hyphens)."""
    return f"tags/{tag}.md"


def tag_pages(catalog: Catalog) -> dict[str, str]:
    """Each topic's page, by its source path."""
    tagged: dict[str, list[Entity]] = {tag: [] for tag in topics(catalog)}
    for entity in catalog.entities:
        for tag in entity.tags:
            tagged[tag].append(entity)
    return {tag_uri(tag): _page(PageContext(catalog), tag, entities) for tag, entities in tagged.items()}


NOT_SEARCHED = "---\nsearch:\n  exclude: true\n---\n"
"""A topic's page lists the summaries of everything tagged so: in search it came before the pages it lists."""


def _page(p: PageContext, tag: str, entities: list[Entity]) -> str:
    out = f"{NOT_SEARCHED}# {text(tag_name(p.catalog, tag))}\n\n"
    description = tag_description(p.catalog, tag)
    out += f"{text(description)}\n\n" if description else ""
    out += f"Everything the playbook tags *{text(tag)}*.\n\n"
    for kind, cls in KINDS.items():
        group = sorted((e for e in entities if e.kind == kind), key=lambda e: (_not_in_force(e), e.id))
        if group:
            out += f"## {text(cls.plural)}\n\n" + "".join(f"- {_item(p, e)}\n" for e in group) + "\n"
    return out


def _not_in_force(entity: Entity) -> bool:
    status = getattr(entity, "status", None)
    return status is not None and status not in IN_FORCE


def _item(p: PageContext, entity: Entity) -> str:
    return f"{p.ref_marked(entity.id)}: {text(entity.summary)}"


def tag_name(catalog: Catalog, tag: str) -> str:
    """How the tag reads to people ("Build, release and deploy"): from the organisation's vocabulary, else the tag."""
    names = catalog.organisation.tag_names if catalog.organisation else {}
    found = names.get(tag)
    return found.name if found else default_tag_name(tag)


def default_tag_name(tag: str) -> str:
    """How a tag the vocabulary does not name reads: `build-and-release` → "Build and release"."""
    return tag.replace("-", " ").capitalize()


def tag_description(catalog: Catalog, tag: str) -> str:
    """What the tag covers, when the vocabulary says."""
    names = catalog.organisation.tag_names if catalog.organisation else {}
    found = names.get(tag)
    return found.description if found else ""


def topics_list(catalog: Catalog) -> str:
    """Markdown linking every topic's page, for the tags index."""
    named = sorted((tag_name(catalog, tag), tag) for tag in topics(catalog))
    return " · ".join(link(name, "/" + tag_uri(tag)) for name, tag in named)


def tags_index(catalog: Catalog) -> str:
    """The tags page: a link to each topic's page, then Material's index of every page by every tag."""
    listed = topics_list(catalog)
    topics_line = f"**Topics:** {listed}\n\n" if listed else ""
    return f"{NOT_SEARCHED}# Tags\n\n{topics_line}Every page by kind, status, lifecycle phase and role.\n\n<!-- material/tags -->\n"
