"""Validate a whole playbook: every problem in every file, collected before anything is reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Diagnostic
from .load import MAX_FILE_BYTES, Document, gc_paused, load_tree
from .model import KINDS, LEVELS, Entity, build_entity, schema_name
from .references import ANY, PHASE, references
from .schema import check_document

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$")
REQUIREMENT_ID = re.compile(r"^R[1-9][0-9]*$")
HEADER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
IN_FORCE = ("active", "trial")
"""Standard statuses under which a standard binds projects."""
SUCCESSORS = ("active", "trial", "deprecated", "superseded", "retired")
"""Statuses of a standard that is, or was, in force: it stays the successor of what it superseded
even after it is deprecated or superseded in turn."""
SINGLETONS = ("Lifecycle", "Glossary")


@dataclass(frozen=True)
class Result:
    """Everything validation found: the entities that are valid, and every problem."""

    entities: tuple[Entity, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def semver(text: Any) -> tuple[int, int, int, int] | None:
    """`"1.2.3"` → (1, 2, 3, 1); a pre-release sorts before its release; None if not semver."""
    match = SEMVER.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), 0 if pre else 1


def level_stated(text: str, level: str) -> bool:
    """Whether `text` carries `level` in capitals, and not a stronger or negated form of it."""
    pattern = r"\b" + level.replace(" ", r"\s+") + r"\b"
    if " " not in level and level != "MAY":
        pattern += r"(?!\s+NOT\b)"
    return re.search(pattern, text) is not None


class _Checker:
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
        for doc in documents:
            data = doc.data
            if not (isinstance(data, dict) and isinstance(data.get("id"), str) and str(data.get("kind")) in KINDS):
                continue
            if data["id"] in first:
                other = first[data["id"]].display
                self.problems.append(
                    doc.diagnostic(("id",), "E-DUP-ID", f"id '{data['id']}' is already used by {other}")
                )
            else:
                first[data["id"]] = doc
                self.kind_of[data["id"]] = data["kind"]
        self.first = first
        self.phases = _phase_ids(documents)
        self.unread_ids, unread_phases = unread  # named in files that did not load: not "unknown" too
        self.phases |= unread_phases

    def report(self, doc: Document, path: tuple, code: str, message: str, *, key: bool = False) -> None:
        self.problems.append(doc.diagnostic(path, code, message, key=key))

    def run(self) -> list[Diagnostic]:
        slugs: dict[str, Document] = {}
        for kind in SINGLETONS:
            docs = [d for d in self.valid if d.data["kind"] == kind]
            for doc in docs[1:]:
                self.report(
                    doc, ("kind",), "E-SINGLETON", f"only one {kind} per playbook; {docs[0].display} is the first"
                )
        for doc in self.valid:
            kind = doc.data["kind"]
            self.check_file_name(doc)
            self.check_header(doc)
            self.check_references(doc)
            if "version" in doc.data:
                self.check_version(doc)
            getattr(self, f"check_{kind.lower()}", lambda d: None)(doc)
            uri = self.entities[id(doc)].src_uri
            if uri in slugs and kind not in SINGLETONS:
                self.report(
                    doc, ("id",), "E-SLUG", f"page {uri} is also made from {slugs[uri].display}; rename one file"
                )
            slugs.setdefault(uri, doc)
            for i, alias in enumerate(doc.data.get("aliases", [])):
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

    def check_file_name(self, doc: Document) -> None:
        entity_id, stem = doc.data["id"], doc.path.stem
        if not (stem == entity_id or stem.startswith(entity_id + "-")):
            self.report(
                doc,
                ("id",),
                "E-FILENAME",
                f"file name must start with the id: {entity_id}-<name>.yaml (or {entity_id}.yaml)",
            )

    def check_header(self, doc: Document) -> None:
        expected = schema_name(doc.data["kind"])
        match = HEADER.match(doc.header)
        if not match or not match.group(1).endswith(expected):
            self.problems.append(
                Diagnostic(
                    doc.display,
                    1,
                    1,
                    "E-HEADER",
                    f"first line must be '# yaml-language-server: $schema=<path>/{expected}'",
                )
            )

    def check_references(self, doc: Document) -> None:
        for path, value, target in references(doc.data):
            if target == PHASE:
                if value not in self.phases:
                    known = ", ".join(sorted(self.phases)) or "none defined"
                    self.report(doc, path, "E-REF", f"unknown phase '{value}' (phases: {known})")
            elif value in self.unread_ids:
                continue  # its file has its own diagnostic; the kind is not known
            elif value not in self.kind_of:
                if not (target == ANY and value in self.phases):
                    self.report(doc, path, "E-REF", f"unknown id '{value}'")
            elif target != ANY and self.kind_of[value] != target:
                self.report(doc, path, "E-REF", f"'{value}' is a {self.kind_of[value]}, expected a {target}")

    def check_version(self, doc: Document) -> None:
        data = doc.data
        version = semver(data["version"])
        if version is None:
            self.report(
                doc, ("version",), "E-SEMVER", f"version '{data['version']}' is not MAJOR.MINOR.PATCH, e.g. 1.2.0"
            )
        previous, previous_date = None, None
        for i, entry in enumerate(data["changelog"]):
            current = semver(entry["version"])
            if current is None:
                self.report(
                    doc,
                    ("changelog", i, "version"),
                    "E-SEMVER",
                    f"version '{entry['version']}' is not MAJOR.MINOR.PATCH",
                )
            elif previous is not None and current >= previous:
                self.report(
                    doc,
                    ("changelog", i, "version"),
                    "E-CHANGELOG",
                    "changelog must be newest first, each version lower than the one above",
                )
            if previous_date is not None and entry["date"] > previous_date:
                self.report(
                    doc, ("changelog", i, "date"), "E-CHANGELOG", "changelog dates must not increase going down"
                )
            previous, previous_date = current or previous, entry["date"]
        if data["changelog"] and data["changelog"][0]["version"] != data["version"]:
            self.report(
                doc,
                ("changelog", 0, "version"),
                "E-CHANGELOG",
                f"the first changelog entry must be for the current version {data['version']}",
            )
        if data["status"] == "active" and version is not None and version < (1, 0, 0, 1):
            self.report(
                doc, ("version",), "E-STATUS", f"an active {data['kind'].lower()} must be version 1.0.0 or later"
            )

    def check_standard(self, doc: Document) -> None:
        data = doc.data
        required = {
            "active": ("effective", "last_reviewed", "review_every"),
            "trial": ("effective",),
            "deprecated": ("effective", "last_reviewed"),
        }.get(data["status"], ())
        for name in required:
            if name not in data:
                self.report(
                    doc, ("status",), "E-STATUS", f"{_article(data['status'])} {data['status']} standard needs '{name}'"
                )
        seen: dict[str, int] = {}
        version = semver(data["version"])
        for i, req in enumerate(data["requirements"]):
            if not REQUIREMENT_ID.match(req["id"]):
                self.report(
                    doc, ("requirements", i, "id"), "E-REQ-ID", f"requirement id '{req['id']}' must be R<n>, such as R3"
                )
            elif req["id"] in seen:
                self.report(
                    doc,
                    ("requirements", i, "id"),
                    "E-REQ-ID",
                    f"requirement id '{req['id']}' is repeated (first at requirements[{seen[req['id']]}])",
                )
            seen.setdefault(req["id"], i)
            if not level_stated(req["text"], req["level"]):
                self.report(
                    doc,
                    ("requirements", i, "text"),
                    "E-LEVEL",
                    _level_message(req["text"], req["level"]),
                )
            if "since" not in req:
                continue
            since = semver(req["since"])
            if since is None:
                self.report(
                    doc, ("requirements", i, "since"), "E-SEMVER", f"since '{req['since']}' is not MAJOR.MINOR.PATCH"
                )
            elif version is not None and since > version:
                self.report(
                    doc,
                    ("requirements", i, "since"),
                    "E-SEMVER",
                    f"since {req['since']} is later than the version {data['version']}",
                )

    def check_template(self, doc: Document) -> None:
        folder = doc.asset_dir
        # the folder itself must not be a link elsewhere, or every path "inside" it escapes
        real_folder = doc.path.parent.resolve() / folder.name
        for i, name in enumerate(doc.data.get("files", [])):
            relative = Path(name)
            inside = not relative.is_absolute() and ".." not in relative.parts and "\\" not in name
            target = folder / relative
            if inside and (target.exists() or target.is_symlink()):
                inside = not folder.is_symlink() and target.resolve().is_relative_to(real_folder)
            if not inside:
                self.report(doc, ("files", i), "E-PATH", f"attached file '{name}' must stay inside {folder.name}/")
            elif target.is_dir():
                self.report(doc, ("files", i), "E-FILE", f"attached file {folder.name}/{name} is a folder, not a file")
            elif not target.is_file():
                self.report(doc, ("files", i), "E-FILE", f"attached file {folder.name}/{name} does not exist")
        for i, column in enumerate(doc.data.get("columns", [])):
            if column["type"] == "choice" and not column.get("allowed"):
                self.report(doc, ("columns", i), "E-SCHEMA", "a 'choice' column needs 'allowed' values")

    def check_lifecycle(self, doc: Document) -> None:
        phases: dict[str, tuple] = {}
        activities: dict[str, tuple] = {}
        for p, phase in enumerate(doc.data["phases"]):
            self._unique(doc, phases, phase["id"], ("phases", p, "id"), "phase")
            for a, activity in enumerate(phase["activities"]):
                path = ("phases", p, "activities", a)
                self._unique(doc, activities, activity["id"], (*path, "id"), "activity")
                raci = activity["raci"]
                if isinstance(raci["A"], list) and len(raci["A"]) != 1:
                    self.report(
                        doc, (*path, "raci", "A"), "E-RACI", f"exactly one Accountable role, found {len(raci['A'])}"
                    )
                if not raci["R"]:
                    self.report(doc, (*path, "raci", "R"), "E-RACI", "at least one Responsible role")

    def check_glossary(self, doc: Document) -> None:
        seen: dict[str, tuple] = {}
        for i, term in enumerate(doc.data["terms"]):
            self._unique(doc, seen, term["term"], ("terms", i, "term"), "term", fold=True)
            if "abbr" in term and term["abbr"].casefold() != term["term"].casefold():
                self._unique(doc, seen, term["abbr"], ("terms", i, "abbr"), "abbreviation", fold=True)

    def _unique(
        self, doc: Document, seen: dict[str, tuple], value: str, path: tuple, what: str, *, fold: bool = False
    ) -> None:
        key = value.casefold() if fold else value
        if key in seen:
            line = doc.pos(seen[key])[0]
            self.report(doc, path, "E-DUP", f"{what} '{value}' is repeated (first at line {line})")
        else:
            seen[key] = path

    def check_supersession(self) -> None:
        # the first file to use an id owns it; a duplicate (already reported) must not stand in for it
        standards = {
            d.data["id"]: d for d in self.valid if d.data["kind"] == "Standard" and self.first[d.data["id"]] is d
        }
        for doc in standards.values():
            for i, target in enumerate(doc.data.get("supersedes", [])):
                other = standards.get(target)
                if (
                    doc.data["status"] == "active"
                    and other
                    and other.data["status"] in ("draft", "proposed", "trial", "active")
                ):
                    self.report(
                        doc,
                        ("supersedes", i),
                        "E-SUPERSEDED",
                        f"{target} is still {other.data['status']}; mark it deprecated, superseded or retired",
                    )
            if doc.data["status"] == "superseded":
                successors = [
                    s.data["id"]
                    for s in standards.values()
                    if doc.data["id"] in s.data.get("supersedes", []) and s.data["status"] in SUCCESSORS
                ]
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

    def check_reporting_lines(self) -> None:
        roles = {d.data["id"]: d for d in self.valid if d.data["kind"] == "Role" and self.first[d.data["id"]] is d}
        lines = {k: [d.data["reports_to"]] if "reports_to" in d.data else [] for k, d in roles.items()}
        for node, _index, cycle in _cycles(lines):
            self.report(roles[node], ("reports_to",), "E-CYCLE", f"'reports_to' forms a cycle: {' → '.join(cycle)}")


def _phase_ids(documents: list[Document]) -> set[str]:
    """Phase ids of every lifecycle file that names them, even one with other problems,
    so a schema error in the lifecycle does not also break every reference to a phase."""
    ids = set()
    for doc in documents:
        data = doc.data
        if isinstance(data, dict) and data.get("kind") == "Lifecycle" and isinstance(data.get("phases"), list):
            ids |= {p["id"] for p in data["phases"] if isinstance(p, dict) and isinstance(p.get("id"), str)}
    return ids


_UNREAD_CODES = ("E-ENCODING", "E-SIZE", "E-YAML", "E-YAML-ALIAS", "E-YAML-DUPKEY", "E-YAML-TAG")
_ID_LINE = re.compile(r"^([ \t]*-?[ \t]*)id:[ \t]*[\"']?([A-Za-z0-9][\w-]*)", re.MULTILINE)


def _unread(problems: list[Diagnostic]) -> tuple[set[str], set[str]]:
    """Ids, and phase ids, that content files which did not load appear to declare.

    Read leniently from the raw text, so that one file saved with a BOM or a YAML slip does not
    also make every reference to it an E-REF. Only files refused for their content are read:
    never one refused as a path (a symlink out of the playbook, say).
    """
    ids: set[str] = set()
    phases: set[str] = set()
    for problem in problems:
        if problem.code not in _UNREAD_CODES or not problem.file.endswith(".yaml"):
            continue
        try:
            with open(problem.file, "rb") as file:
                raw = file.read(MAX_FILE_BYTES)
        except OSError:
            continue
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = raw.decode("utf-16" if utf16 else "utf-8", "replace").replace("\0", "")
        lifecycle = re.search(r"^kind:[ \t]*[\"']?Lifecycle\b", text, re.MULTILINE) is not None
        for indent, found in _ID_LINE.findall(text):
            if not indent:
                ids.add(found)
            elif lifecycle:
                phases.add(found)  # phase and activity ids alike: too many only silences more
    return ids, phases


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _level_message(text: str, level: str) -> str:
    """Why a requirement's text does not carry its level, naming the keyword it does carry."""
    stated = next((other for other in LEVELS if level_stated(text, other)), None)
    if stated:
        return f"text says '{stated}' but the level is '{level}'; make them agree"
    return f"text must state its level '{level}' in capitals, e.g. \"The project lead {level} …\""


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


def validate_documents(documents: list[Document], problems: list[Diagnostic]) -> Result:
    """Schema and cross-file checks over loaded documents, added to the loading problems."""
    problems = list(problems)
    valid = []
    for doc in documents:
        found = check_document(doc)
        problems.extend(found)
        if not found:
            valid.append(doc)
    built = {id(d): build_entity(d) for d in valid}
    problems.extend(_Checker(documents, valid, built, _unread(problems)).run())
    bad_files = {p.file for p in problems}
    entities = tuple(built[id(d)] for d in valid if d.display not in bad_files)
    return Result(entities, tuple(sorted(set(problems))))


def validate_tree(root: Path) -> Result:
    """Load and validate every content file under `root`."""
    if not root.is_dir():
        from .errors import PlaybookError

        raise PlaybookError(f"content folder not found: {root}")
    with gc_paused():
        return validate_documents(*load_tree(root))
