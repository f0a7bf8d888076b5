"""The content model: one frozen dataclass per kind, built from validated YAML data.

Field names are the YAML keys. Derived data (reverse links, next review dates) is not
stored here; `catalog.py` computes it once for the whole playbook.

Over 300 lines on purpose: this file is the content format as Python reads it, eleven kinds
and their parts side by side, and reads best whole (as the schemas beside it do).
"""

from __future__ import annotations

import dataclasses
import functools
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from playbook.content.code_cache import compiled
from playbook.content.load import Document, per_document
from playbook.content.status import Status


class _Value:
    """Equality, hash, repr and frozenness from the fields, written once for every class below.

    `dataclass` would generate and compile these methods, and `__init__`, for each of the 29 classes:
    two thirds of what importing the model cost (10 ms of every `playbook validate`). Here the
    `__init__`s are compiled together (`_make_inits`) and the rest is shared.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def _compared(self) -> tuple[Any, ...]:
        names = _COMPARED.get(type(self))
        if names is None:
            names = _COMPARED[type(self)] = tuple(f.name for f in dataclasses.fields(cast(Any, self)) if f.compare)
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == cast(_Value, other)._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(cast(Any, self)) if f.repr)
        return f"{type(self).__qualname__}({', '.join(shown)})"


_COMPARED: dict[type, tuple[str, ...]] = {}
"""The names of the fields each class compares, as `dataclass` would (all but the file, `doc`)."""


_C = TypeVar("_C")
_MADE: list[type] = []
"""The classes `_value` made, waiting for `_make_inits`."""


def _recorded(cls: type) -> type:
    made: type = dataclass(init=False, kw_only=True, eq=False, repr=False)(cls)
    _MADE.append(made)
    return made


if TYPE_CHECKING:  # what the classes are: frozen dataclasses, their constructors checked as such
    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
    def _value(cls: type[_C]) -> type[_C]: ...

else:  # how they are made: fields from dataclass, the methods from _Value and _make_inits
    _value = _recorded


@_value
class ChangelogEntry(_Value):
    """One entry of a standard's or template's changelog."""

    version: str
    """The version this entry describes."""
    date: str
    """The day it was published, `YYYY-MM-DD`."""
    summary: str
    """What changed."""


@_value
class Entity(_Value):
    """Fields every kind shares (the envelope), plus the file it came from."""

    section: ClassVar[str] = ""
    """URL folder and nav section of the kind, such as `standards`."""
    plural: ClassVar[str] = ""
    """The kind's name as a heading, in the nav and on its index page, such as `Standards`."""

    apiVersion: str
    kind: str
    id: str
    """Immutable id, unique across the catalog."""
    title: str
    summary: str
    owner: str
    """Role id of the accountable owner."""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Old page addresses that redirect here."""
    doc: Document = field(repr=False, compare=False)
    """The parsed file, for positions in diagnostics."""

    @property
    def label(self) -> str:
        """How links name the entity: `STD-004 Status reporting`, or just the title for slug ids."""
        return f"{self.id} {self.title}" if self.id[:1].isupper() else self.title

    @functools.cached_property  # a frozen dataclass, so it never changes; every link to the entity asks
    def slug(self) -> str:
        """The URL name: the file name without its id prefix (`STD-004-status-reporting` → `status-reporting`)."""
        return page_slug(self.doc.path.stem, self.id)

    @functools.cached_property
    def src_uri(self) -> str:
        """Where the generated page sits in the site, such as `standards/status-reporting.md`."""
        return f"{self.section}/{self.slug}.md"


@_value
class AppliesTo(_Value):
    """Where a standard applies: PMO models, lifecycle phases and roles (empty: everywhere)."""

    models: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@_value
class Requirement(_Value):
    """One numbered requirement of a standard, at one RFC 2119 level."""

    id: str
    """`R<n>`, stable for the life of the standard."""
    level: str
    """One of `levels.LEVELS`."""
    text: str
    rationale: str = ""
    guidance: str = ""
    """Markdown shown under the requirement: how to meet it."""
    evidence: tuple[str, ...] = ()
    since: str = ""
    """Version that introduced the requirement in its current form."""
    anchors: tuple[str, ...] = ()
    """Extra page anchors besides `#r<n>`, kept from an earlier catalogue's links."""


@_value
class Link(_Value):
    """A page outside the playbook, by title and address."""

    title: str
    url: str
    """An http or https address (the schema refuses any other)."""


@_value
class Imported(_Value):
    """Where an imported entity came from."""

    source: str
    date: str


@_value
class Standard(Entity):
    """A governed standard: numbered requirements, a status and a version history."""

    section: ClassVar[str] = "standards"
    plural: ClassVar[str] = "Standards"
    status: Status
    version: str
    requirements: tuple[Requirement, ...]
    changelog: tuple[ChangelogEntry, ...]
    status_reason: str = ""
    """Why it has its status (`playbook status -m`), shown beside it."""
    effective: str = ""
    last_reviewed: str = ""
    review_every: int = 0
    """Months between reviews; 0 when not set."""
    maintainers: tuple[str, ...] = ()
    applies_to: AppliesTo = AppliesTo()
    supersedes: tuple[str, ...] = ()
    related: tuple[str | Link, ...] = ()
    """Ids of entities worth reading alongside, and links to pages elsewhere."""
    imported_from: Imported | None = None
    """Set by `playbook import`; a new standard that has it may start at any status."""


@_value
class Section(_Value):
    """A heading of a document template, with the prompt under it and an optional table."""

    heading: str
    prompt: str
    table: tuple[str, ...] = ()
    rows: tuple[Mapping[str, Cell], ...] = ()
    """Rows the table starts with, a value by heading; with `fill`, the rows taken from another entity follow."""
    fill: Fill | None = None


Cell = str | int | float
"""A value in a template's row: text, a number, or a date written `YYYY-MM-DD`."""


@_value
class Fill(_Value):
    """Where a table's pre-filled rows come from: a ceremony's agenda or the lifecycle's activities."""

    agenda: str = ""
    """A Ceremony id: one row per agenda item."""
    activities: str = ""
    """The Lifecycle id: one row per activity."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """The field (`item`, `minutes`, `activity`, `responsible`…) each column takes, by column name."""
    letters: Mapping[str, str] = field(default_factory=dict)
    """The Role whose RACI letters each column takes, by column name."""


@_value
class Band(_Value):
    """Numbers from `min`, or up to `max`, or (neither) any other number, are filled with `colour`."""

    colour: str
    min: float | None = None
    max: float | None = None


@_value
class Column(_Value):
    """A column of a table template, with the type its cells take."""

    name: str
    type: str
    allowed: tuple[str, ...] = ()
    required: bool = False
    description: str = ""
    formula: str = ""
    """Makes the column computed (`content/formulas.py`); '' for a column people fill in."""
    total: str = ""
    """`sum`, `formula` or '' (no total)."""
    colours: Mapping[str, str] = field(default_factory=dict)
    """A choice column's fill colour by value."""
    bands: tuple[Band, ...] = ()
    """A number column's fill colours by threshold, first that fits wins."""


@_value
class Template(Entity):
    """A template, from which every download format is generated."""

    section: ClassVar[str] = "templates"
    plural: ClassVar[str] = "Templates"
    status: Status
    version: str
    format: str
    """`document` or `table`."""
    outputs: tuple[str, ...]
    changelog: tuple[ChangelogEntry, ...]
    sections: tuple[Section, ...] = ()
    columns: tuple[Column, ...] = ()
    rows: tuple[Mapping[str, Cell], ...] = ()
    """Rows every copy of a table starts with, a value by column name."""
    examples: tuple[Mapping[str, Cell], ...] = ()
    """Rows showing how to fill the table in, for people to replace."""
    fill: Fill | None = None
    """Where more pre-filled rows of a table come from."""
    files: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()


@_value
class LevelBinding(_Value):
    """How requirements of one level bind under a PMO model."""

    effect: str
    note: str


@_value
class PmoModel(Entity):
    """A PMO model (supportive, controlling, directive…) and how firmly its requirements bind."""

    section: ClassVar[str] = "models"
    plural: ClassVar[str] = "PMO models"
    axis: str
    responsibilities: tuple[str, ...]
    best_for: tuple[str, ...]
    watch_out_for: tuple[str, ...]
    binding: Mapping[str, LevelBinding]
    """How each requirement level binds under this model, by level."""
    control_level: str = ""


@_value
class Raci(_Value):
    """Who is responsible, accountable, consulted and informed for an activity (role ids)."""

    R: tuple[str, ...]
    A: str
    C: tuple[str, ...] = ()
    I: tuple[str, ...] = ()  # noqa: E741 - the RACI letter

    def letters(self, role: str) -> str:
        """The letters `role` holds, such as `R/A`; '' when it has none."""
        held = (("R", self.R), ("A", (self.A,)), ("C", self.C), ("I", self.I))
        return "/".join(letter for letter, roles in held if role in roles)


@_value
class Activity(_Value):
    """An activity of a lifecycle phase, with its RACI."""

    id: str
    title: str
    raci: Raci


@_value
class Phase(_Value):
    """A phase of the project lifecycle: entry and exit criteria, activities, gate."""

    id: str
    title: str
    summary: str
    entry_criteria: tuple[str, ...]
    exit_criteria: tuple[str, ...]
    activities: tuple[Activity, ...]
    gate: str = ""
    alongside: str = ""
    """The id of an earlier phase it runs alongside rather than after; '' when it follows the one before."""
    deliverables: tuple[str, ...] = ()


@_value
class Lifecycle(Entity):
    """The project lifecycle: its phases in order (one per playbook)."""

    section: ClassVar[str] = "lifecycle"
    plural: ClassVar[str] = "Lifecycle"
    phases: tuple[Phase, ...]

    @property
    def src_uri(self) -> str:
        return "lifecycle/index.md"


@_value
class Role(Entity):
    """A role people hold in projects, with its responsibilities."""

    section: ClassVar[str] = "roles"
    plural: ClassVar[str] = "Roles"
    responsibilities: tuple[str, ...]
    reports_to: str = ""


@_value
class Thresholds(_Value):
    """When a KPI is green, amber and red."""

    green: str
    amber: str
    red: str


@_value
class Kpi(Entity):
    """A key performance indicator: how it is computed, its target and thresholds."""

    section: ClassVar[str] = "kpis"
    plural: ClassVar[str] = "KPIs"
    definition: str
    formula: str
    unit: str
    direction: str
    target: str
    thresholds: Thresholds
    cadence: str
    data_source: str
    related: tuple[str | Link, ...] = ()
    """Ids of entities worth reading alongside, and links to pages elsewhere."""


@_value
class AgendaItem(_Value):
    """An item of a timed agenda."""

    item: str
    minutes: int


@_value
class Ceremony(Entity):
    """A recurring meeting: purpose, cadence, attendees and agenda."""

    section: ClassVar[str] = "ceremonies"
    plural: ClassVar[str] = "Ceremonies"
    purpose: str
    cadence: str
    duration: int
    """Minutes."""
    facilitator: str
    attendees: tuple[str, ...]
    agenda: tuple[str | AgendaItem, ...]
    """Items in order: text, or an item with its minutes."""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()


@_value
class Term(_Value):
    """A glossary term, with its definition and abbreviation."""

    term: str
    definition: str
    abbr: str = ""
    see: tuple[str, ...] = ()


@_value
class Glossary(Entity):
    """The glossary (one per playbook): the terms pages explain on hover."""

    section: ClassVar[str] = "glossary"
    plural: ClassVar[str] = "Glossary"
    terms: tuple[Term, ...]

    @property
    def src_uri(self) -> str:
        return "glossary/index.md"


@_value
class Contact(_Value):
    """Whom to ask for one role: a person, a team or a channel."""

    role: str
    """The Role id this contact answers for."""
    name: str
    email: str = ""
    channel: str = ""
    url: str = ""
    note: str = ""


@_value
class Resource(_Value):
    """A system or a course the organisation points people to."""

    title: str
    url: str = ""
    note: str = ""


@_value
class TagName(_Value):
    """How a topic tag reads to people, and what it covers."""

    name: str
    description: str = ""


@_value
class Organisation(Entity):
    """The organisation's profile (one per playbook): its PMO model, contacts, system of record, training."""

    section: ClassVar[str] = "organisation"
    plural: ClassVar[str] = "Our PMO"
    pmo_model: str
    """The PmoModel id the organisation runs."""
    contacts: tuple[Contact, ...]
    example: bool = False
    """True while the values are the starter's examples; pages say so."""
    system_of_record: Resource | None = None
    training: tuple[Resource, ...] = ()
    review_every: int = 0
    """Months between reviews for standards that set none; 0 when not set."""
    tag_names: Mapping[str, TagName] = field(default_factory=dict)
    """The topic tags' display names and descriptions, by tag."""

    @property
    def src_uri(self) -> str:
        return "organisation/index.md"

    def contact(self, role: str) -> Contact | None:
        """The contact for `role`, if the profile names one."""
        return next((c for c in self.contacts if c.role == role), None)


@_value
class Principle(Entity):
    """A principle the organisation holds: a short statement, why, and the standards that put it into practice."""

    section: ClassVar[str] = "principles"
    plural: ClassVar[str] = "Principles"
    statement: str
    """The principle itself, in one or two sentences."""
    rationale: str
    """Why the organisation holds it."""
    implications: tuple[str, ...] = ()
    """What following it means in practice."""
    standards: tuple[str, ...] = ()
    """Ids of the standards that put it into practice."""
    related: tuple[str | Link, ...] = ()
    """Ids of entities worth reading alongside, and links to pages elsewhere."""


@_value
class Step(_Value):
    """One step of a guide: what to read and do, and how long it takes."""

    title: str
    read: tuple[str, ...] = ()
    do: tuple[str, ...] = ()
    minutes: int = 0
    week: int = 0
    """The week of the plan it belongs to; 0 when the guide is not a plan by weeks."""


@_value
class Guide(Entity):
    """A guide for an audience, such as onboarding: steps in order."""

    section: ClassVar[str] = "guides"
    plural: ClassVar[str] = "Guides"
    audience: tuple[str, ...]
    steps: tuple[Step, ...]


def _make_inits(classes: list[type]) -> None:
    """Give each class the keyword-only `__init__` a frozen dataclass has, all compiled in one go."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": dataclasses.MISSING}
    source = []
    for cls in classes:
        params, body = [], []
        for f in dataclasses.fields(cls):
            value, name = f.name, f"_{cls.__name__}_{f.name}"
            if f.default is not dataclasses.MISSING:
                scope[name] = f.default
                params.append(f"{f.name}={name}")
            elif f.default_factory is not dataclasses.MISSING:
                scope[name] = f.default_factory
                params.append(f"{f.name}=_MISSING")
                value = f"{name}() if {f.name} is _MISSING else {f.name}"
            else:
                params.append(f.name)
            body.append(f"    _set(self, {f.name!r}, {value})\n")
        source.append(f"def _init_{cls.__name__}(self, *, {', '.join(params)}):\n" + "".join(body))
    text = "".join(source)
    exec(compiled(text + sys.version, lambda: text, "<playbook model>"), scope)  # our own source, our own names
    for cls in classes:
        init = scope[f"_init_{cls.__name__}"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        type.__setattr__(cls, "__init__", init)


_make_inits(_MADE)


KINDS: dict[str, type[Entity]] = {
    cls.__name__: cls
    for cls in (Organisation, Principle, Standard, Template, PmoModel, Lifecycle, Role, Kpi, Ceremony, Glossary, Guide)
}
"""Every kind, by the name written in `kind:`, in the order the site lists them."""
VERSIONED = ("Standard", "Template")
"""Kinds that carry `status`, `version` and `changelog`."""
SINGLETONS = ("Organisation", "Lifecycle", "Glossary")
"""Kinds a playbook has at most one of, each on one page."""


def page_slug(stem: str, entity_id: str) -> str:
    """The URL name a file named `stem` gives the entity `entity_id`: the stem without the id prefix."""
    rest = stem[len(entity_id) :].lstrip("-") if stem.startswith(entity_id) else stem
    return (rest or entity_id).lower()


def schema_name(kind: str) -> str:
    """File name of the kind's JSON Schema, such as `standard.schema.json`."""
    return f"{kind.lower()}.schema.json"


def _same(value: Any) -> Any:
    return value


@functools.cache
def _converter(hint: Any) -> Callable[[Any], Any]:
    """A function turning validated YAML data into the value a field of type `hint` holds."""
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return functools.partial(_build, hint)
    if origin is tuple:
        item = _converter(typing.get_args(hint)[0])
        return lambda values: tuple(map(item, values))
    if origin is Mapping:
        item = _converter(typing.get_args(hint)[1])
        return lambda values: types.MappingProxyType({k: item(v) for k, v in values.items()})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint  # Status("active"): the schema has already checked the value
    if isinstance(hint, types.UnionType):  # `str | Link`, `Imported | None`: a mapping is the dataclass
        made = [h for h in typing.get_args(hint) if isinstance(h, type) and dataclasses.is_dataclass(h)]
        built = _converter(made[0]) if made else _same
        return lambda value: built(value) if isinstance(value, dict) else value
    if hint is str:  # RACI `A` may be written as a one-item list (an empty one is reported, not built)
        return lambda value: (value or [""])[0] if isinstance(value, list) else value
    return _same


@functools.cache
def _fields(cls: Any) -> dict[str, Callable[[Any], Any]]:
    """Converters for the fields a dataclass takes, by name (computed once per class)."""
    hints: dict[str, Any] = {
        f.name: _hint(f.type) if isinstance(f.type, str) else f.type for f in dataclasses.fields(cls)
    }
    return {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls) if f.init}


@functools.cache
def _hint(annotation: str) -> Any:
    """The type an annotation of this module names, evaluated once per text (`typing.get_type_hints`
    compiled each class's every annotation: 3 ms of every `playbook validate`)."""
    return eval(annotation, globals())  # this module's own annotations, never content


def _build(cls: Any, data: Mapping[str, Any], **extra: Any) -> Any:
    fields = _fields(cls)
    return cls(**{k: fields[k](v) for k, v in data.items() if k in fields}, **extra)


@per_document
def build_entity(doc: Document) -> Entity:
    """The dataclass for a document that passed its schema."""
    return _build(KINDS[doc.data["kind"]], doc.data, doc=doc)
