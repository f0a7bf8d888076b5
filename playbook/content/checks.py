"""Checks across files, over documents that passed their schema: ids, references, page addresses,
supersession and reporting lines; each file's own rules are in `rules.py`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from playbook.content.errors import Diagnostic
from playbook.content.load import Document
from playbook.content.model import KINDS, SINGLETONS, Entity
from playbook.content.references import ANY, PHASE, document_references
from playbook.content.rules import file_problems
from playbook.content.status import NEVER_IN_FORCE, NOT_YET_REPLACED, SUCCESSORS, Status

REQUIREMENT_ID = re.compile(r"^R[1-9][0-9]*$")
NUMBERED = re.compile(r"([A-Za-z]+)-([0-9]+)")
"""Ids such as `STD-004`, `KPI-12`."""


OTHER_KINDS = frozenset(KINDS) - {"Standard"}
"""A file of one of these kinds is no standard, even with problems; one of an unknown kind may be."""

RESERVED = frozenset({
    "assets", "search", "api", "schemas", "downloads", "tags", "health", "review-due", "in-force",
    "feed.xml", "sitemap.xml", "sitemap.xml.gz", "404.html", "index.html",
})  # fmt: skip
"""First folders of addresses the site itself writes: no alias or short URL may land there."""
SECTIONS = frozenset(cls.section for cls in KINDS.values())
"""Each kind's index page (`standards/`): an alias may name a page under it, not the folder itself."""


class Checker:
    """Cross-file checks over documents that passed their schema."""

    def __init__(
        self,
        documents: list[Document],
        valid: list[Document],
        entities: dict[int, Entity],
        unread: tuple[set[str], set[str]] = (set(), set()),
    ):
        self.valid = valid
        self.entities = entities  # by id() of the document
        self.problems: list[Diagnostic] = []
        self.kind_of: dict[str, str] = {}  # id → kind, from every document that names both
        first: dict[str, Document] = {}
        named = [d for d in documents if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)]
        for doc in sorted(named, key=copy_last):
            data = doc.data
            if str(data.get("kind")) not in KINDS:
                continue
            if data["id"] in first:
                other = first[data["id"]].display
                free = _next_free(data["id"], [d.data["id"] for d in named])
                self.problems.append(
                    doc.diagnostic(
                        ("id",), "E-DUP-ID",
                        f"id '{data['id']}' is already used by {other}" + (f"; the next free id is {free}" if free else ""),
                    )
                )  # fmt: skip
            else:
                first[data["id"]] = doc
                self.kind_of[data["id"]] = data["kind"]
        self.first = first
        valid_ids = {id(d) for d in valid}
        self.unloaded = unread[0]
        """Ids that files which did not load appear to declare."""
        self.unread_ids = set(unread[0])  # named in files that did not load: not "unknown" too
        # nor the ids files appear to mean (their `id`, the id their name starts with): a typo in `kind` or
        # `id` is that file's problem, and so is a file named for an id it does not declare (E-FILENAME)
        for doc in documents:
            self.unread_ids |= _ids_meant(doc) - self.kind_of.keys()
        self.broken_standards = [
            d
            for d in documents
            if id(d) not in valid_ids and isinstance(d.data, dict) and str(d.data.get("kind")) not in OTHER_KINDS
        ]
        """Standards with problems of their own (a typo in `kind` too): their `supersedes` cannot be relied on."""
        self.phases = _phase_ids(documents) | unread[1]

    def report(self, doc: Document, path: tuple, code: str, message: str, *, key: bool = False) -> None:
        self.problems.append(doc.diagnostic(path, code, message, key=key))

    def run(self) -> list[Diagnostic]:
        slugs: dict[str, Document] = {}
        statuses = {  # of each standard, as the file that owns its id gives it
            d.data["id"]: d.data.get("status")
            for d in self.valid
            if d.data["kind"] == "Standard" and self.first[d.data["id"]] is d
        }
        for kind in SINGLETONS:
            docs = [d for d in self.valid if d.data["kind"] == kind]
            for doc in docs[1:]:
                self.report(
                    doc, ("kind",), "E-SINGLETON", f"only one {kind} per playbook; {docs[0].display} is the first"
                )
        for doc in self.valid:
            kind = doc.data["kind"]
            self.problems.extend(file_problems(doc))
            self.check_references(doc)
            if kind == "Guide":
                self.check_guide_reading(doc, statuses)
            uri = self.entities[id(doc)].src_uri
            if uri in slugs and kind not in SINGLETONS:
                self.report(
                    doc, ("id",), "E-SLUG", f"page {uri} is also made from {slugs[uri].display}; rename one file"
                )
            slugs.setdefault(uri, doc)
            if doc.data["id"].lower() in RESERVED:
                self.report(
                    doc, ("id",), "E-SLUG", f"'{doc.data['id']}' is a folder the site itself uses; choose another id"
                )
            for i, alias in enumerate(doc.data.get("aliases", [])):
                first = alias.strip("/").split("/")[0]
                twin = next((other for other in self.kind_of if other.casefold() == first.casefold()), None)
                if twin is not None and "/" not in alias.strip("/"):
                    self.report(
                        doc, ("aliases", i), "E-SLUG",
                        f"alias {alias} reads as the short address of {twin} (/{twin}/); choose another",
                    )  # fmt: skip
                    continue
                if first in RESERVED or alias.strip("/") in SECTIONS:
                    self.report(
                        doc, ("aliases", i), "E-SLUG",
                        f"alias {alias} is an address the site itself uses ({first}/); drop it or choose another",
                    )  # fmt: skip
                    continue
                url = alias.strip("/") + ".md"
                if url in slugs or f"{alias.strip('/')}/index.md" in slugs:
                    owner = slugs.get(url) or slugs[f"{alias.strip('/')}/index.md"]
                    self.report(
                        doc, ("aliases", i), "E-SLUG", f"alias {alias} is already the address of {owner.display}"
                    )
                slugs.setdefault(url, doc)
        self.check_supersession()
        self.check_reporting_lines()
        return self.problems

    def check_references(self, doc: Document) -> None:
        for path, value, target in document_references(doc):
            if target == PHASE:
                if value not in self.phases:
                    known = ", ".join(sorted(self.phases)) or "none defined"
                    self.report(doc, path, "E-REF", f"unknown phase '{value}' (phases: {known})")
            elif value in self.unread_ids:
                continue  # its file has its own diagnostic; the kind is not known
            elif value not in self.kind_of:
                if not (target == ANY and value in self.phases):
                    self.report(doc, path, "E-REF", f"unknown id '{value}'{self._did_you_mean(value, target)}")
            elif target != ANY and self.kind_of[value] != target:
                self.report(doc, path, "E-REF", f"'{value}' is a {self.kind_of[value]}, expected a {target}")

    def _did_you_mean(self, value: str, target: str) -> str:
        """`; did you mean 'pmo-lead'?` for a close id of the kind expected, or ''. A numbered id
        (`STD-010`) is close only in case or zeros (`std-10`): another number may be meant."""
        import difflib  # here: only a file with an unknown id needs it, and every validation starts up

        ids = [i for i, kind in self.kind_of.items() if target == ANY or kind == target]
        numbered = NUMBERED.fullmatch(value)
        if numbered:
            key = (numbered[1].casefold(), int(numbered[2]))
            close = [i for i in ids if (m := NUMBERED.fullmatch(i)) and (m[1].casefold(), int(m[2])) == key]
        else:
            folded = {i.casefold(): i for i in ids if not NUMBERED.fullmatch(i)}
            close = [folded[c] for c in difflib.get_close_matches(value.casefold(), folded, n=1, cutoff=0.75)]
        return f"; did you mean '{close[0]}'?" if close else ""

    def check_guide_reading(self, doc: Document, status: dict[str, str]) -> None:
        """A guide's steps send readers to no standard that has yet to come into force: a newcomer cannot tell a
        draft from a rule. (One gone out of force names its successor on the guide's page.)"""
        for i, step in enumerate(doc.data["steps"]):
            for j, target in enumerate(step.get("read", ())):
                if target in status and status[target] in NEVER_IN_FORCE:
                    self.report(
                        doc, ("steps", i, "read", j), "E-GUIDE-READ",
                        f"step {i + 1} sends readers to {target}, which is {status[target]}, not yet in force; "
                        "point to a standard in force, or leave it out until it is",
                    )  # fmt: skip

    def check_supersession(self) -> None:
        # the first file to use an id owns it; a duplicate (already reported) must not stand in for it
        standards = {
            d.data["id"]: d for d in self.valid if d.data["kind"] == "Standard" and self.first[d.data["id"]] is d
        }
        for doc in standards.values():
            for i, target in enumerate(doc.data.get("supersedes", [])):
                other = standards.get(target)
                if doc.data["status"] == Status.ACTIVE and other and other.data["status"] in NOT_YET_REPLACED:
                    self.report(
                        doc,
                        ("supersedes", i),
                        "E-SUPERSEDED",
                        f"{target} is still {other.data['status']}; mark it deprecated, superseded or retired: "
                        f"playbook status {target} deprecated",
                    )
            if doc.data["status"] == Status.SUPERSEDED:
                successors = [
                    s.data["id"]
                    for s in standards.values()
                    if doc.data["id"] in s.data.get("supersedes", []) and s.data["status"] in SUCCESSORS
                ]
                if not successors and self._maybe_named(doc.data["id"]):
                    continue  # its successor's file has problems of its own: reported there, not here
                if len(successors) != 1:
                    found = ", ".join(successors) if successors else "none"
                    self.report(
                        doc,
                        ("status",),
                        "E-SUPERSEDED",
                        f"a superseded standard must be named in 'supersedes' by exactly one standard that is or was in force (found: {found})",
                    )
        for node, index, cycle in _cycles({k: d.data.get("supersedes", []) for k, d in standards.items()}):
            self.report(
                standards[node], ("supersedes", index), "E-CYCLE", f"'supersedes' forms a cycle: {' → '.join(cycle)}"
            )

    def _maybe_named(self, standard_id: str) -> bool:
        """Whether a standard that did not validate, or a file that did not load, may name `standard_id`."""
        if self.unloaded:
            return True
        for doc in self.broken_standards:
            named = doc.data.get("supersedes")
            if not isinstance(named, list) or standard_id in named:
                return True
        return False

    def check_reporting_lines(self) -> None:
        roles = {d.data["id"]: d for d in self.valid if d.data["kind"] == "Role" and self.first[d.data["id"]] is d}
        lines = {k: [d.data["reports_to"]] if "reports_to" in d.data else [] for k, d in roles.items()}
        for node, _index, cycle in _cycles(lines):
            self.report(roles[node], ("reports_to",), "E-CYCLE", f"'reports_to' forms a cycle: {' → '.join(cycle)}")


FILE_ID = re.compile(r"^([A-Z]+-[0-9]+)(?:-|\.yaml$)")
"""The id a content file's name starts with (`STD-007-status-reporting.yaml`), as `playbook new` names it."""


def _ids_meant(doc: Document) -> set[str]:
    """The ids a file with problems appears to declare: its `id`, and the one its name starts with."""
    found = {doc.data["id"]} if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str) else set()
    from_name = FILE_ID.match(doc.path.name)
    return found | ({from_name[1]} if from_name else set())


def copy_last(doc: Document) -> tuple[bool, str]:
    """Of two files with one id, the one whose name does not start with it is the copy (`cp STD-007-….yaml
    STD-018-….yaml`), whatever their names' order: the other owns the id, and the copy is told to change."""
    return (not doc.path.name.startswith(f"{doc.data['id']}-"), doc.display)


def _next_free(taken_id: str, ids: list[str]) -> str:
    """`STD-018` when `STD-017` is the highest id of that form; '' for ids without a number."""
    form = NUMBERED.fullmatch(taken_id)
    if form is None:
        return ""
    numbers = [int(m[2]) for i in ids if (m := NUMBERED.fullmatch(i)) and m[1] == form[1]]
    return f"{form[1]}-{max(numbers) + 1:0{len(form[2])}d}"


def _phase_ids(documents: list[Document]) -> set[str]:
    """Phase ids of every lifecycle file that names them, even one with other problems,
    so a schema error in the lifecycle does not also break every reference to a phase."""
    ids = set()
    for doc in documents:
        data = doc.data
        if isinstance(data, dict) and data.get("kind") == "Lifecycle" and isinstance(data.get("phases"), list):
            ids |= {p["id"] for p in data["phases"] if isinstance(p, dict) and isinstance(p.get("id"), str)}
    return ids


def _cycles(graph: dict[str, list[str]]) -> Iterator[tuple[str, int, list[str]]]:
    """For each cycle: the node whose edge closes it, that edge's index, and the cycle's nodes."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path, indexes = [start], [0]
        state[start] = 1
        while path:
            node, i = path[-1], indexes[-1]
            edges = graph.get(node, [])
            if i >= len(edges):
                state[node] = 2
                path.pop()
                indexes.pop()
                continue
            indexes[-1] += 1
            target = edges[i]
            if state.get(target) == 1:
                yield node, i, [*path[path.index(target) :], target]
            elif target in graph and not state.get(target):
                state[target] = 1
                path.append(target)
                indexes.append(0)
