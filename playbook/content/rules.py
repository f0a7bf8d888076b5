"""The rules a content file must follow beyond its schema, checked one file at a time: its name and
editor header, its version and changelog, and the rules of its kind (requirement ids and levels,
attached files, RACI, glossary terms)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from playbook.content.characters import character_problems
from playbook.content.dates import plus_days, today
from playbook.content.errors import Diagnostic
from playbook.content.file_types import file_type_problem
from playbook.content.headers import HEADER
from playbook.content.levels import LEVELS, level_stated
from playbook.content.load import Document, per_document
from playbook.content.model import schema_name
from playbook.content.status import NEEDS, Status
from playbook.content.template_rules import template_problems
from playbook.content.versions import FIRST_RELEASE, parse

SLUG = re.compile(r"[A-Za-z0-9_-]+")
ATTACHMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*(?:/[A-Za-z0-9][A-Za-z0-9 ._-]*)*")
LATEST = "2999-12-31"
"""The last day a date may name: review dates computed from it stay four-digit years."""
REQUIREMENT_ID = re.compile(r"^R[1-9][0-9]*$")


def file_problems(doc: Document) -> Iterator[Diagnostic]:
    """Every problem of one document that passed its schema, short of those across files."""
    yield from _written(doc)
    yield from _dates(doc)  # against today
    if doc.data["kind"] == "Template":
        yield from _template(doc)  # its attached files, on disk


@per_document
def _written(doc: Document) -> tuple[Diagnostic, ...]:
    """The problems of what the document says, which nothing outside it changes."""
    found = [*_file_name(doc), *_header(doc), *character_problems(doc)]
    if "version" in doc.data:
        found += _version(doc)
    rules = _BY_KIND.get(doc.data["kind"])
    if rules is not None:
        found += rules(doc)
    return tuple(found)


def _file_name(doc: Document) -> Iterator[Diagnostic]:
    entity_id, stem = doc.data["id"], doc.path.stem
    if not (stem == entity_id or stem.startswith(entity_id + "-")):
        yield doc.diagnostic(
            ("id",),
            "E-FILENAME",
            f"file name must start with the id: {entity_id}-<name>.yaml (or {entity_id}.yaml)",
        )
    elif not SLUG.fullmatch(stem[len(entity_id) :].lstrip("-") or "x"):
        # the name makes the page's address: a look-alike letter (Cyrillic а) would make a second page
        yield doc.diagnostic(
            ("id",), "E-FILENAME", "after the id, a file name uses ASCII letters, digits, '-' and '_' only"
        )


def _dates(doc: Document) -> Iterator[Diagnostic]:
    """Dates a person could have meant: none past LATEST, and no review after today."""
    data = doc.data
    dated: list[tuple[str | int, ...]] = [(key,) for key in ("effective", "last_reviewed") if key in data]
    dated += [("changelog", i, "date") for i in range(len(data.get("changelog", [])))]
    for path in dated:
        day = data[path[0]] if len(path) == 1 else data["changelog"][path[1]]["date"]
        if day > LATEST:
            yield doc.diagnostic(
                path, "E-DATE", f"{day} is too far ahead; the latest date a playbook takes is {LATEST}"
            )
        elif path == ("last_reviewed",) and day > plus_days(today(), 1):
            yield doc.diagnostic(
                path, "E-DATE", f"last_reviewed {day} is in the future; set the day the review took place"
            )


def _header(doc: Document) -> Iterator[Diagnostic]:
    expected = schema_name(doc.data["kind"])
    match = HEADER.match(doc.header)
    if not match or not match.group(1).endswith(expected):
        message = f"first line must be '# yaml-language-server: $schema=<path>/{expected}'"
        yield Diagnostic(doc.display, 1, 1, "E-HEADER", message)


def _version(doc: Document) -> Iterator[Diagnostic]:
    data = doc.data
    version = parse(data["version"])
    if version is None:
        yield doc.diagnostic(
            ("version",), "E-SEMVER", f"version '{data['version']}' is not MAJOR.MINOR.PATCH, e.g. 1.2.0"
        )
    previous, previous_date = None, None
    for i, entry in enumerate(data["changelog"]):
        current = parse(entry["version"])
        if current is None:
            yield doc.diagnostic(
                ("changelog", i, "version"),
                "E-SEMVER",
                f"version '{entry['version']}' is not MAJOR.MINOR.PATCH",
            )
        elif previous is not None and current >= previous:
            yield doc.diagnostic(
                ("changelog", i, "version"),
                "E-CHANGELOG",
                "changelog must be newest first, each version lower than the one above",
            )
        if previous_date is not None and entry["date"] > previous_date:
            yield doc.diagnostic(
                ("changelog", i, "date"), "E-CHANGELOG", "changelog dates must not increase going down"
            )
        previous, previous_date = current or previous, entry["date"]
    if data["changelog"] and data["changelog"][0]["version"] != data["version"]:
        yield doc.diagnostic(
            ("changelog", 0, "version"),
            "E-CHANGELOG",
            f"the first changelog entry must be for the current version {data['version']}: add one at the top "
            "(playbook bump writes the version and its entry together)",
        )
    if data["status"] == Status.ACTIVE and version is not None and version < FIRST_RELEASE:
        yield doc.diagnostic(
            ("version",),
            "E-STATUS",
            f"an active {data['kind'].lower()} must be version 1.0.0 or later: "
            f'playbook bump {data["id"]} --major -m "…" makes it 1.0.0',
        )


PAGE_ANCHORS = frozenset(
    {"requirements", "guidance", "related", "referenced-by", "changelog", "how-this-standard-binds-here", "__toc"}
)
"""Ids a standard's page gives its own sections: an extra anchor may not take one."""


def _anchors(doc: Document, i: int, own: set[str], anchored: dict[str, int]) -> Iterator[Diagnostic]:
    """A requirement's extra anchors: each once in the standard, and none another requirement's own id."""
    for j, anchor in enumerate(doc.data["requirements"][i].get("anchors", ())):
        path = ("requirements", i, "anchors", j)
        if anchor.lower() in own:
            yield doc.diagnostic(path, "E-ANCHOR", f"anchor '{anchor}' is a requirement's own (#{anchor.lower()})")
        elif anchor.lower() in PAGE_ANCHORS:
            yield doc.diagnostic(path, "E-ANCHOR", f"anchor '{anchor}' is a section of the standard's page")
        elif anchor.lower() in anchored:
            first = anchored[anchor.lower()]
            yield doc.diagnostic(path, "E-ANCHOR", f"anchor '{anchor}' is already used by requirements[{first}]")
        anchored.setdefault(anchor.lower(), i)


def _standard(doc: Document) -> Iterator[Diagnostic]:
    data = doc.data
    for name in NEEDS.get(data["status"], ()):
        if name not in data:
            yield doc.diagnostic(
                ("status",),
                "E-STATUS",
                f"{_article(data['status'])} {data['status']} standard needs '{name}': add it, a date (YYYY-MM-DD); "
                "playbook status sets it when it makes the move",
            )
    if data["status"] in NEEDS and "review_every" in data and "last_reviewed" not in data:  # a draft plans its cycle
        yield doc.diagnostic(
            ("review_every",), "E-REVIEW",
            "a review cycle needs 'last_reviewed', the day of the last review; next reviews are counted from it",
        )  # fmt: skip
    seen: dict[str, int] = {}
    own = {str(r["id"]).lower() for r in data["requirements"]}  # the page's own anchors: #r1, #r2…
    anchored: dict[str, int] = {}
    version = parse(data["version"])
    for i, req in enumerate(data["requirements"]):
        if not REQUIREMENT_ID.match(req["id"]):
            yield doc.diagnostic(
                ("requirements", i, "id"), "E-REQ-ID", f"requirement id '{req['id']}' must be R<n>, such as R3"
            )
        elif req["id"] in seen:
            yield doc.diagnostic(
                ("requirements", i, "id"),
                "E-REQ-ID",
                f"requirement id '{req['id']}' is repeated (first at requirements[{seen[req['id']]}])",
            )
        seen.setdefault(req["id"], i)
        yield from _anchors(doc, i, own, anchored)
        if not level_stated(req["text"], req["level"]):
            yield doc.diagnostic(
                ("requirements", i, "text"),
                "E-LEVEL",
                _level_message(req["text"], req["level"]),
            )
        if "since" not in req:
            continue
        since = parse(req["since"])
        if since is None:
            yield doc.diagnostic(
                ("requirements", i, "since"), "E-SEMVER", f"since '{req['since']}' is not MAJOR.MINOR.PATCH"
            )
        elif version is not None and since > version:
            yield doc.diagnostic(
                ("requirements", i, "since"),
                "E-SEMVER",
                f"since {req['since']} is later than the version {data['version']}",
            )


def _template(doc: Document) -> Iterator[Diagnostic]:
    folder = doc.asset_dir
    # the folder itself must not be a link elsewhere, or every path "inside" it escapes
    real_folder = doc.path.parent.resolve() / folder.name
    for i, name in enumerate(doc.data.get("files", [])):
        relative = Path(name)
        inside = not relative.is_absolute() and ".." not in relative.parts and "\\" not in name
        if inside and not ATTACHMENT.fullmatch(name):
            message = f"attached file names use ASCII letters, digits, spaces and . _ - only: {name!r}"
            yield doc.diagnostic(("files", i), "E-PATH", message)  # they become paths in zips and URLs
            continue
        target = folder / relative
        if inside and (target.exists() or target.is_symlink()):
            inside = not folder.is_symlink() and target.resolve().is_relative_to(real_folder)
        if not inside:
            yield doc.diagnostic(("files", i), "E-PATH", f"attached file '{name}' must stay inside {folder.name}/")
        elif target.is_dir():
            yield doc.diagnostic(("files", i), "E-FILE", f"attached file {folder.name}/{name} is a folder, not a file")
        elif not target.is_file():
            yield doc.diagnostic(("files", i), "E-FILE", f"attached file {folder.name}/{name} does not exist")
        elif problem := file_type_problem(target):
            yield doc.diagnostic(("files", i), "E-FILETYPE", f"attached file {folder.name}/{name}: {problem}")
    for i, column in enumerate(doc.data.get("columns", [])):
        if column["type"] == "choice" and not column.get("allowed"):
            yield doc.diagnostic(("columns", i), "E-SCHEMA", "a 'choice' column needs 'allowed' values")


def _lifecycle(doc: Document) -> Iterator[Diagnostic]:
    phases: dict[str, tuple] = {}
    activities: dict[str, tuple] = {}
    for p, phase in enumerate(doc.data["phases"]):
        alongside = phase.get("alongside")
        if alongside is not None and alongside not in phases and any(x["id"] == alongside for x in doc.data["phases"]):
            yield doc.diagnostic(
                ("phases", p, "alongside"), "E-REF",
                f"'{alongside}' is not a phase before '{phase['id']}'; a phase runs alongside one that started earlier",
            )  # fmt: skip
        yield from _unique(doc, phases, phase["id"], ("phases", p, "id"), "phase")
        for a, activity in enumerate(phase["activities"]):
            path = ("phases", p, "activities", a)
            yield from _unique(doc, activities, activity["id"], (*path, "id"), "activity")
            raci = activity["raci"]
            if isinstance(raci["A"], list) and len(raci["A"]) != 1:
                yield doc.diagnostic(
                    (*path, "raci", "A"), "E-RACI", f"exactly one Accountable role, found {len(raci['A'])}"
                )
            if not raci["R"]:
                yield doc.diagnostic((*path, "raci", "R"), "E-RACI", "at least one Responsible role")


def _glossary(doc: Document) -> Iterator[Diagnostic]:
    seen: dict[str, tuple] = {}
    for i, term in enumerate(doc.data["terms"]):
        yield from _unique(doc, seen, term["term"], ("terms", i, "term"), "term", fold=True)
        if "abbr" in term and term["abbr"].casefold() != term["term"].casefold():
            yield from _unique(doc, seen, term["abbr"], ("terms", i, "abbr"), "abbreviation", fold=True)


def _unique(
    doc: Document, seen: dict[str, tuple], value: str, path: tuple, what: str, *, fold: bool = False
) -> Iterator[Diagnostic]:
    key = value.casefold() if fold else value
    if key in seen:
        line = doc.pos(seen[key])[0]
        yield doc.diagnostic(path, "E-DUP", f"{what} '{value}' is repeated (first at line {line})")
    else:
        seen[key] = path


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _level_message(text: str, level: str) -> str:
    """Why a requirement's text does not carry its level, naming the keyword it does carry."""
    stated = next((other for other in LEVELS if level_stated(text, other)), None)
    if stated:
        return f"text says '{stated}' but the level is '{level}'; make them agree"
    return f"text must state its level '{level}' in capitals, e.g. \"The project lead {level} …\""


def _guide(doc: Document) -> Iterator[Diagnostic]:
    """A plan by weeks names the week of every step, and never goes back a week."""
    steps = doc.data["steps"]
    weeks = [step.get("week") for step in steps]
    if not any(weeks):
        return
    latest = 0
    for i, week in enumerate(weeks):
        if week is None:
            yield doc.diagnostic(
                ("steps", i), "E-GUIDE-WEEK",
                f"step {i + 1} names no week, but other steps do: give it one (week: {max(latest, 1)})", key=True,
            )  # fmt: skip
        elif week < latest:
            yield doc.diagnostic(
                ("steps", i, "week"), "E-GUIDE-WEEK",
                f"step {i + 1} is in week {week}, after a step in week {latest}: steps go in order, weeks never back",
            )  # fmt: skip
        else:
            latest = week


_BY_KIND: dict[str, Callable[[Document], Iterator[Diagnostic]]] = {
    "Standard": _standard,
    "Lifecycle": _lifecycle,
    "Glossary": _glossary,
    "Guide": _guide,
    "Template": template_problems,  # its tables; the rules of its files on disk, `_template`, are not kept
}
"""The rules of each kind that has some."""
