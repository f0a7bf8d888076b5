"""`playbook import PATH...`: a catalogue of Markdown standards brought into the playbook, all or nothing.

Every file is read and made into a standard first (`import_markdown` → `import_clean` →
`import_standard`), numbered the way `playbook new` numbers (`scaffold.next_id`); the names of their
tags go into the organisation profile (`import_tags`); and what would be written is validated with the
playbook around it (`import_write`). Only when every file has made a valid standard is anything
written, never over a file that exists, the profile last; then the content folder is validated again,
as `playbook validate` would.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from playbook.authoring.import_clean import Resolve
from playbook.authoring.import_markdown import Parsed, Unimportable, parse
from playbook.authoring.import_standard import STATUSES, Made, Options, make_standard, title_of
from playbook.authoring.import_tags import Renamed, TagNames, keep_names
from playbook.authoring.import_write import Planned, planned, problems, write_all
from playbook.authoring.scaffold import next_id, slugify
from playbook.content.errors import Diagnostic, PlaybookError
from playbook.content.load import Document, display_path, load_tree
from playbook.content.model import Standard, page_slug
from playbook.content.reporters import text as text_report
from playbook.content.validate import Result, validate_tree
from playbook.content.yaml_reader import MAX_FILE_BYTES, Refused, decode
from playbook.site.bodies import check_bodies

__all__ = ["Options", "import_catalogue"]

MAX_FILES = 5_000
"""Catalogue files one import reads."""
STD_ID = re.compile(r"STD-[0-9]{3,}")
SKIPPED = frozenset({"readme.md", "index.md"})
"""Files in a catalogue folder that describe the folder rather than a standard (name them to import them)."""


class BadOption(PlaybookError):
    """A usage error: an option or path the import cannot work with."""

    exit_code = 2


@dataclass(frozen=True)
class Note:
    """Something about one catalogue file, at its line: what did not carry over, or why it cannot be imported;
    with no source, about the import as a whole."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: note: {self.message}" if self.source else f"note: {self.message}"


@dataclass
class Outcome:
    """What an import did: the notes, and either the refusals (nothing written) or the files written and
    the validation of the content folder afterwards."""

    notes: list[Note] = field(default_factory=list)
    refused: list[Note] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    invalid: list[Diagnostic] = field(default_factory=list)
    """Problems in what the import would write (the standards, the profile's new tag names): an engine bug."""
    written: list[Path] = field(default_factory=list)
    """The standards' files written (not the profile)."""
    names: TagNames = field(default_factory=TagNames)
    """The tags' names: added to the organisation profile, or a note on how to keep them."""
    result: Result | None = None

    def report(self) -> str:
        """What was written, from what, the tags' names added to the profile, then the validation of the content
        folder."""
        lines = []
        for plan in self.planned:
            body = " (+ .md)" if plan.body else ""
            was = f" (was {plan.was})" if plan.was and plan.was not in plan.path.name else ""
            lines.append(f"{plan.source} → {display_path(plan.path)}{body}{was}")
        lines += self.names.report()
        if self.result is not None:
            lines.append(text_report(self.result.diagnostics))
        return "\n".join(lines)

    def failure(self) -> str:
        """Why the import failed ('' if it did not)."""
        if self.refused:
            count = len({n.source for n in self.refused})
            what = "\n".join(f"{n.source}:{n.line}: error: {n.message}" for n in self.refused)
            return f"{count} file{'s' if count != 1 else ''} cannot be imported; nothing was written:\n{what}"
        if self.invalid:
            return (
                "what the import would write does not validate, which is a bug in playbook import "
                "(please report it); nothing was written:\n" + "\n".join(map(str, self.invalid))
            )
        mine = {display_path(p) for p in self.written}
        if self.result is not None and any(d.file in mine for d in self.result.diagnostics):
            return (
                "the imported files do not validate (listed above), which is a bug in playbook import; please report it"
            )
        return ""


def import_catalogue(content: Path, paths: Sequence[Path], options: Options) -> Outcome:
    """Import the Markdown files at `paths` (files, or folders of `*.md`) into `content` as standards."""
    documents, loading = _playbook(content, options)
    outcome = Outcome()
    plans = _read_all(catalogue_files(paths), documents, outcome)
    plans = _place(_number(plans, documents, outcome), documents, outcome)
    made = _made(plans, options, outcome)
    outcome.planned = [
        planned(content, plan.stem, found.data, found.body, source=plan.source, was=plan.was) for plan, found in made
    ]
    outcome.refused += [Note(plan.source, 1, plan.too_large()) for plan in outcome.planned if plan.too_large()]
    if not outcome.refused:
        outcome.names = keep_names([Renamed(plan.source, *r) for plan, found in made for r in found.renamed], documents)
        outcome.notes += [Note(*note) for note in outcome.names.notes]
    order = {plan.source: n for n, plan in enumerate(plans)}
    outcome.notes.sort(key=lambda note: (order[note.source], note.line))
    if outcome.names.advice:
        outcome.notes.append(Note("", 0, outcome.names.advice))
    if outcome.refused:
        refused = {note.source for note in outcome.refused}  # their notes would tell of changes not made
        outcome.notes = [note for note in outcome.notes if note.source not in refused]
        return outcome
    taken = [path for plan in outcome.planned for path, _ in plan.files() if path.exists()]
    if taken:
        raise PlaybookError(f"{display_path(taken[0])} already exists; nothing was written")
    outcome.invalid = problems(outcome.planned, documents, loading, outcome.names.profile)
    if outcome.invalid:
        return outcome
    outcome.written = write_all(outcome.planned, outcome.names.profile)
    outcome.result = check_bodies(validate_tree(content))
    return outcome


def _playbook(content: Path, options: Options) -> tuple[list[Document], list[Diagnostic]]:
    """The content folder's files, once the options are known to fit it; BadOption if they do not."""
    if options.status not in STATUSES:
        raise BadOption(f"--status {options.status}: an imported standard may be {', '.join(STATUSES)}")
    if not content.is_dir():
        raise BadOption(f"content folder not found: {content}; run this in a playbook repository, or give --content")
    documents, loading = load_tree(content)
    roles = sorted(str(d.data["id"]) for d in _data(documents) if d.data.get("kind") == "Role")
    if options.owner not in roles:
        hint = f"use one of: {', '.join(roles)}" if roles else 'create one first (playbook new role --title "PMO lead")'
        raise BadOption(f"--owner {options.owner}: no Role with that id in {content}; {hint}")
    return documents, loading


def catalogue_files(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """(path, name as given) of each Markdown file at `paths`: files as named, folders' `*.md` (not README or
    index) below them, hidden folders and links skipped; each once."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        shown = _shown(given)
        if given.is_file():
            found.append((given, str(shown)))
            continue
        for here, folders, names in os.walk(given):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            inside = PurePosixPath(Path(here).relative_to(given).as_posix())
            for name in sorted(names):
                path = Path(here) / name
                if name.endswith(".md") and name.lower() not in SKIPPED and not path.is_symlink():
                    found.append((path, str(shown / inside / name)))
        if len(found) > MAX_FILES:
            raise BadOption(f"over {MAX_FILES:,} Markdown files under {given}; import them in parts")
    seen: set[Path] = set()
    unique = []
    for path, name in found:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((path, name))
    if not unique:
        raise BadOption(f"no Markdown files (*.md) in {', '.join(map(str, paths))}")
    return unique


def _shown(given: Path) -> PurePosixPath:
    """How a path given is named in notes and `imported_from`: as given; an absolute one relative to the working
    folder when inside it, else from the folder holding it (`/srv/catalogue` → `catalogue`)."""
    if not given.is_absolute():
        return PurePosixPath(given.as_posix())
    inside = os.path.relpath(given)
    return PurePosixPath(Path(given.name if inside.startswith("..") else inside).as_posix())


@dataclass
class _Plan:
    """A catalogue file read, and where its standard goes."""

    path: Path
    source: str
    parsed: Parsed
    title: str
    was: str = ""
    entity_id: str = ""
    slug: str = ""

    @property
    def stem(self) -> str:
        """The file name without `.yaml`: `STD-018-secret-scanning`, or the id alone for a title without ASCII."""
        return f"{self.entity_id}-{self.slug}" if self.slug else self.entity_id


def _read_all(files: list[tuple[Path, str]], documents: list[Document], outcome: Outcome) -> list[_Plan]:
    imported = {
        d.data["imported_from"]["source"]: d.display
        for d in _data(documents)
        if isinstance(d.data.get("imported_from"), dict) and isinstance(d.data["imported_from"].get("source"), str)
    }
    plans = []
    for path, source in files:
        try:
            if source in imported:
                raise Unimportable(1, f"imported already, as {imported[source]} (its imported_from says so)")
            parsed = parse(_text(path))
            plans.append(_Plan(path, source, parsed, title_of(parsed)))
        except Unimportable as exc:
            outcome.refused.append(Note(source, exc.line, exc.message))
    return plans


def _text(path: Path) -> str:
    """The text of a catalogue file; Unimportable when it is too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Unimportable(1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # it grew since
            raise Unimportable(1, f"file is over {MAX_FILE_BYTES:,} bytes")
        return decode(raw.removeprefix(b"\xef\xbb\xbf"))
    except OSError as exc:
        raise Unimportable(1, f"cannot read the file: {exc.strerror}") from None
    except Refused as refused:
        raise Unimportable(refused.line, refused.message) from None


def _number(plans: list[_Plan], documents: list[Document], outcome: Outcome) -> list[_Plan]:
    """Each plan with its id: the source's when it is of the form STD-NNN and free, else the next free one, as
    `playbook new` gives (as wide as the ids in use)."""
    known = _data(documents)
    taken = {str(d.data.get("id")) for d in known}
    claimed = list(known)
    for plan in plans:
        value = plan.parsed.front.get("id")
        plan.was = str(value).strip() if isinstance(value, str | int) else ""
        if STD_ID.fullmatch(plan.was) and plan.was not in taken:
            plan.entity_id = plan.was
            taken.add(plan.was)
            claimed.append(_claim(plan.was))
    for plan in plans:
        if plan.entity_id:
            continue
        plan.entity_id = next_id("Standard", plan.title, claimed)
        claimed.append(_claim(plan.entity_id))
        line = plan.parsed.key_lines.get("id", 1)
        why = " (taken)" if STD_ID.fullmatch(plan.was) else ""
        message = (
            f"id '{plan.was}'{why} renumbered as {plan.entity_id}" if plan.was else f"no id; numbered {plan.entity_id}"
        )
        outcome.notes.append(Note(plan.source, line, message))
    return plans


def _place(plans: list[_Plan], documents: list[Document], outcome: Outcome) -> list[_Plan]:
    """Each plan with a page address (`standards/<slug>/`) that no other standard, alias or index page has."""
    known = _data(documents)
    pages = {"index"} | {_page(d) for d in known if d.data.get("kind") == "Standard"}
    pages |= {str(a).strip("/").split("/", 1)[-1] for d in known for a in d.data.get("aliases", ()) or ()}
    for plan in plans:
        slug = slugify(plan.title)
        plan.slug = slug
        n = 1
        while (plan.slug or plan.entity_id.lower()) in pages:
            n += 1
            plan.slug = f"{slug}-{n}"
        if n > 1:
            line = plan.parsed.key_lines.get("title", 1)
            where = f"{Standard.section}/{plan.slug}/"
            outcome.notes.append(
                Note(plan.source, line, f"the page {Standard.section}/{slug}/ is taken; this one is {where}")
            )
        pages.add(plan.slug or plan.entity_id.lower())
    return plans


def _claim(entity_id: str) -> Document:
    """A stand-in for a file not yet written, so that `next_id` counts an id this import has given out."""
    return Document(Path(entity_id), entity_id, {"id": entity_id}, "")


def _page(doc: Document) -> str:
    return page_slug(doc.path.stem, str(doc.data["id"]))


def _made(plans: list[_Plan], options: Options, outcome: Outcome) -> list[tuple[_Plan, Made]]:
    """Each plan with its standard; a file that cannot make one is refused."""
    by_file = {plan.path.resolve(): plan for plan in plans}

    def resolver(plan: _Plan) -> Resolve:  # a link in `plan`'s file to another file imported → its id and page
        def resolve(target: str) -> tuple[str, str] | None:
            where, _, anchor = urllib.parse.unquote(target).partition("#")
            if not where or where.startswith("/") or "\0" in where:
                return None
            base = plan.path.parent / where
            try:  # `code-review.md`, or the page's address on the old site: `code-review/`
                other = by_file.get(base.resolve()) or by_file.get(base.with_name(base.name + ".md").resolve())
            except (OSError, ValueError):
                return None
            if other is None:
                return None
            page = f"/{Standard.section}/{other.slug or other.entity_id.lower()}.md"
            return other.entity_id, page + (f"#{anchor}" if anchor else "")

        return resolve

    made = []
    for plan in plans:
        try:
            found = make_standard(plan.parsed, plan.entity_id, plan.source, options, resolver(plan))
        except Unimportable as exc:
            outcome.refused.append(Note(plan.source, exc.line, exc.message))
            continue
        outcome.notes += [Note(plan.source, line, message) for line, message in found.notes]
        made.append((plan, found))
    return made


def _data(documents: list[Document]) -> list[Any]:
    return [d for d in documents if isinstance(d.data, dict)]
