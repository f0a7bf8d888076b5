"""What the page builders share: links titled from the data, facts tables, the sections every kind
of page may end with, and the requirement block (current and archived pages alike)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from playbook.content.catalog import Catalog
from playbook.content.model import KINDS, Entity, Link, Standard, Template
from playbook.content.status import Status
from playbook.site.markup import attr, bullets_md, link, table, text
from playbook.site.urls import VersionLinks, link_target


class PageContext:
    """Links, facts tables and sections shared by the page builders of one catalog."""

    def __init__(self, catalog: Catalog, versions: Mapping[str, VersionLinks] | None = None):
        self.catalog = catalog
        self.versions = versions or {}
        """History pages by standard id, when git history is known."""

    def label(self, target: str) -> str:
        entity = self.catalog.by_id.get(target)
        if entity is None:
            return self.catalog.phases[target].title
        return entity.label

    def ref(self, target: str) -> str:
        return link(self.label(target), link_target(self.catalog, target))

    def ref_marked(self, target: str) -> str:
        """A link that says when what it names is not in force: `STD-006 … *(superseded)*`, `… *(on trial)*`."""
        note = status_note(self.catalog.by_id.get(target))
        return self.ref(target) + (f" *({text(note)})*" if note else "")

    def refs(self, targets: Iterable[str]) -> str:
        return ", ".join(self.ref(t) for t in targets) or "—"

    def heading(self, entity: Entity) -> str:
        name = f"{entity.id} · {entity.title}" if entity.id[:1].isupper() else entity.title
        return f"# {text(name)}\n\n{text(entity.summary)}\n\n"

    def facts(self, rows: Iterable[tuple[str, str]]) -> str:
        """The fields table; `search.mark_unsearched` keeps it out of the index, where its words matched
        every query ("status")."""
        return table(("Field", "Value"), [(f"**{k}**", v) for k, v in rows if v]) + "\n"

    def referenced_by(self, entity: Entity, kinds: tuple[str, ...] = ()) -> str:
        """What names the entity, but the glossary: a term's "see" is no use of it, and it would be on most pages."""
        wanted = kinds or tuple(kind for kind in KINDS if kind != "Glossary")
        sources = [s for s in self.catalog.referenced_by.get(entity.id, ()) if self.catalog.by_id[s].kind in wanted]
        return f"## Referenced by\n\n{bullets_md(self.ref(s) for s in sources)}\n" if sources else ""

    def related(self, targets: Iterable[str | Link]) -> str:
        """Entities by their links, pages elsewhere by title and address (a link out of the site, marked so)."""
        items = [self.ref(x) if isinstance(x, str) else external_link(x.title, x.url) for x in targets]
        return f"## Related\n\n{bullets_md(items)}\n" if items else ""

    def body(self, body: str) -> str:
        return f"## Guidance\n\n{body.strip()}\n\n" if body.strip() else ""

    def changelog(self, entity: Standard | Template) -> str:
        links = self.versions.get(entity.id)
        if links is None:
            rows = [(text(c.version), text(c.date), text(c.summary)) for c in entity.changelog]
            return "## Changelog\n\n" + table(("Version", "Date", "Summary"), rows)
        linked = []
        for c in entity.changelog:
            version = link(c.version, links.archived[c.version]) if c.version in links.archived else text(c.version)
            changes = link("what changed", links.changes[c.version]) if c.version in links.changes else ""
            linked.append((version, text(c.date), text(c.summary), changes))
        history = f"Every version git records, with its text: {link('history', links.history)}.\n\n"
        return "## Changelog\n\n" + history + table(("Version", "Date", "Summary", "Changes"), linked)


def status_note(entity: Entity | None) -> str:
    """`superseded`, `draft`, `on trial`: what a list naming the entity should say of its status; '' in force."""
    status = getattr(entity, "status", None)
    if status is None or status == Status.ACTIVE:
        return ""
    return "on trial" if status == Status.TRIAL else str(status)


def external_link(title: str, url: str) -> str:
    """A link to another site: the address (http or https, as the schema requires) escaped as an attribute."""
    return f'<a href="{attr(url)}" class="pb-external">{text(title)}</a> <small>({text(_host(url))})</small>'


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def requirement_block(
    rid: str, level: str, words: str, notes: Iterable[str] = (), *, guidance: str = "", anchors: Iterable[str] = ()
) -> str:
    """One requirement: its id as a permalink (`#r3`), a level badge, its text, `notes` (Markdown), then
    its `guidance` (checked Markdown from the standard's file). Each of `anchors` also leads to it."""
    anchor, css = attr(rid.lower()), attr(level.lower().replace(" ", "-"))
    extra = "".join(f'<span id="{attr(a)}" class="pb-anchor"></span>' for a in anchors)
    more = f"{guidance.strip()}\n\n" if guidance.strip() else ""
    return (
        f'<div class="pb-req pb-req--{css}" id="{anchor}" data-search-exclude="true" markdown>\n\n{extra}'
        f'[{text(rid)}](#{anchor}){{.pb-req__id}} <span class="pb-level pb-level--{css}">{text(level)}</span> '
        f"{text(words)}\n\n" + "".join(f"<small>{note}</small><br>\n" for note in notes) + f"\n{more}</div>\n\n"
    )


def admonition(kind: str, title: str, lines: str) -> str:
    return f'!!! {kind} "{attr(title)}"\n\n    {lines}\n\n'
