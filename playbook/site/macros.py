"""The macros pages may call: `ref(id)`, `standards_table(status=…, tag=…)`, `contact(role)` and `pmo_model()`.

They return Markdown with docs-absolute links (`/standards/x.md`), which MkDocs turns
into relative URLs and checks, so a moved page can never leave a dead link behind.
"""

from __future__ import annotations

from collections.abc import Callable

from playbook.content.catalog import Catalog
from playbook.content.model import Standard
from playbook.content.status import IN_FORCE
from playbook.site.markup import link, table, text
from playbook.site.organisation import contact_markdown, model_statement
from playbook.site.sandbox import MacroError
from playbook.site.urls import link_target


def make_macros(catalog: Catalog, unchecked: frozenset[str] = frozenset()) -> dict[str, Callable[..., str]]:
    """The macros, bound to one catalog.

    `unchecked` holds ids that files declare but that are not in the catalog because those files have
    problems of their own (validation reports them there): a link to one is written as plain text.
    """

    def ref(target: str, label: str | None = None) -> str:
        """A link to an entity, a phase or a requirement (`STD-004#R3`), titled from the data."""
        if not isinstance(target, str):
            raise MacroError(f'ref() takes an id such as "STD-004", got {target!r}')
        entity_id, _, anchor = target.partition("#")
        entity = catalog.by_id.get(entity_id)
        if entity is None and entity_id in unchecked:
            return text(label or target)
        try:
            url = link_target(catalog, target)
        except KeyError:
            raise MacroError(f"ref(): unknown id '{entity_id}'") from None
        if anchor:
            requirements = {r.id for r in getattr(entity, "requirements", ())}
            if anchor not in requirements:
                raise MacroError(f"ref(): {entity_id} has no requirement '{anchor}'")
        if label is None:
            if entity is None:
                label = catalog.phases[entity_id].title
            else:
                label = entity.label
                label += f" {anchor}" if anchor else ""
        return link(label, url)

    def _owner(role: str) -> str:
        """The owner's role by its title, linked; the id when no role has it."""
        return link(catalog.by_id[role].title, link_target(catalog, role)) if role in catalog.by_id else text(role)

    def standards_table(status: str | None = None, tag: str | None = None) -> str:
        """A table of standards, optionally only those with `status` ("in force": active or on trial) and/or `tag`."""
        wanted = IN_FORCE if status == "in force" else None if status is None else {status}
        rows = [
            (link(s.id, link_target(catalog, s.id)), text(s.title), text(s.status), text(s.version), _owner(s.owner))
            for s in catalog.of_kind(Standard)
            if (wanted is None or s.status in wanted) and (tag is None or tag in s.tags)
        ]
        if not rows:
            return "*No standards match.*\n"
        return "\n" + table(("Id", "Title", "Status", "Version", "Owner"), rows) + "\n"

    def contact(role: str) -> str:
        """Whom to ask for `role` ("pmo-lead"), from the organisation's profile: name, e-mail, channel."""
        if not isinstance(role, str):
            raise MacroError(f'contact() takes a role id such as "pmo-lead", got {role!r}')
        org = catalog.organisation
        if org is None and unchecked:  # perhaps the profile, left out for problems of its own
            return text(role)
        if org is None:
            raise MacroError(
                "contact(): the playbook has no organisation profile (kind: Organisation) to name contacts"
            )
        found = org.contact(role)
        if found is None:
            named = ", ".join(c.role for c in org.contacts)
            raise MacroError(f"contact(): the organisation profile names no contact for '{role}' (it names: {named})")
        return contact_markdown(found, example=org.example)

    def pmo_model() -> str:
        """The PMO model the organisation runs and what a MUST means under it, as a sentence."""
        statement = model_statement(catalog)
        if not statement and catalog.organisation is None and unchecked:
            return ""  # perhaps the profile, left out for problems of its own
        if not statement:
            raise MacroError("pmo_model(): the playbook has no organisation profile naming its PMO model")
        return statement

    return {"ref": ref, "standards_table": standards_table, "contact": contact, "pmo_model": pmo_model}
