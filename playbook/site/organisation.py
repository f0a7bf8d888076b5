"""What the organisation's profile puts on pages: whom to ask, the PMO model it runs and what that means.

The `contact()` and `pmo_model()` macros, the profile's own page ("Our PMO") and the box on every
standard page that says how its requirements bind here all come from here, so they say the same.
"""

from __future__ import annotations

from playbook.content.catalog import Catalog
from playbook.content.levels import LEVELS
from playbook.content.model import Contact, Organisation, PmoModel, Resource, Standard
from playbook.content.status import BINDING
from playbook.site.context import PageContext, admonition
from playbook.site.markup import attr, link, table, text
from playbook.site.urls import link_target

EXAMPLE = (
    "These are the starter playbook's example details, not this organisation's: the PMO lead replaces them "
    "in the organisation profile (`standards/organisation/organisation.yaml`, `kind: Organisation`) and removes "
    "`example: true`."
)


def contact_markdown(contact: Contact, *, example: bool = False) -> str:
    """A contact on one line: the name, linked to their e-mail (or page), then the channel."""
    name = text(contact.name)
    if contact.email:
        name = f'<a href="mailto:{attr(contact.email)}">{name}</a>'
    elif contact.url:
        name = f'<a href="{attr(contact.url)}">{name}</a>'
    extra = [text(contact.channel)] if contact.channel else []
    extra += ["example"] if example else []
    return name + (f" ({', '.join(extra)})" if extra else "")


def model_statement(catalog: Catalog) -> str:
    """ "Example Organisation runs a Controlling PMO. Under it, MUST requirements are enforced: …", or ''."""
    org, model = catalog.organisation, catalog.pmo_model
    if org is None or model is None:
        return ""
    out = f"{text(org.title)}{_example(org)} runs a {link(model.title, link_target(catalog, model.id))}."
    must = model.binding.get("MUST")
    if must is not None:
        out += f" Under it, MUST requirements are **{text(must.effect)}**: {text(must.note)}"
    return out


def binding_box(catalog: Catalog, standard: Standard) -> str:
    """How the standard's requirements bind under the organisation's model, for a standard in force; or ''."""
    org, model = catalog.organisation, catalog.pmo_model
    if org is None or model is None or standard.status not in BINDING:
        return ""
    name = f"{text(org.title)}{_example(org)} runs a {link(model.title, link_target(catalog, model.id))}"
    models = standard.applies_to.models
    if models and model.id not in models:
        return admonition(
            "note pb-binding", "Here", f"{name}; this standard applies under other models only, not this one."
        )
    used = [level for level in LEVELS if any(r.level == level for r in standard.requirements)]
    lines = "".join(f"- **{level}**: {_binding(model, level)}\n" for level in used)
    indented = lines.replace("\n", "\n    ").rstrip()
    return admonition("info pb-binding", "How this standard binds here", f"{name}. Under it:\n\n    {indented}")


def _example(org: Organisation) -> str:
    """A mark after the organisation's name while its profile holds the starter's examples."""
    return " *(an example profile)*" if org.example else ""


def _binding(model: PmoModel, level: str) -> str:
    bound = model.binding.get(level)
    return f"{text(bound.effect)}. {text(bound.note)}" if bound else "as the standard says"


def organisation_page(p: PageContext, o: Organisation, body: str) -> str:
    """The profile's page: the model run here, whom to ask per role, the system of record, training."""
    out = p.heading(o)
    if o.example:
        out += admonition("warning", "Example details", EXAMPLE)
    out += model_statement(p.catalog) + "\n\n" if p.catalog.pmo_model else ""
    rows = [
        (p.ref(c.role) if c.role in p.catalog.by_id else text(c.role), text(c.name), _how(c), text(c.note))
        for c in o.contacts
    ]
    out += "## Whom to ask\n\n" + table(("Role", "Contact", "How to reach them", "Note"), rows) + "\n"
    if o.system_of_record:
        out += "## System of record\n\n" + _resource(o.system_of_record) + "\n"
    if o.training:
        out += "## Training\n\n" + "".join(f"- {_resource(t)}" for t in o.training) + "\n"
    if o.review_every:
        out += f"## Reviews\n\nA standard without its own review cycle is reviewed every {o.review_every} months.\n\n"
    return out + p.body(body)


def _how(c: Contact) -> str:
    ways = [f'<a href="mailto:{attr(c.email)}">{text(c.email)}</a>'] if c.email else []
    ways += [text(c.channel)] if c.channel else []
    ways += [f'<a href="{attr(c.url)}">{text(c.url)}</a>'] if c.url else []
    return ", ".join(ways)


def _resource(r: Resource) -> str:
    name = f'<a href="{attr(r.url)}">{text(r.title)}</a>' if r.url else text(r.title)
    return name + (f": {text(r.note)}" if r.note else "") + "\n"
