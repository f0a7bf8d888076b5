"""`playbook bump` and `playbook status`: version and status changes made as `status.MOVES` and `versions` allow.

Files are changed in place by roundtrip.py, keeping their layout; afterwards the whole playbook is
validated again, and a change that would leave a new problem is undone and reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from playbook.authoring.against_base import BaseEntity, base_entity, change_reasons
from playbook.authoring.roundtrip import Edit
from playbook.content.dates import check_date, today
from playbook.content.errors import Diagnostic, PlaybookError
from playbook.content.load import Document, load_tree
from playbook.content.model import VERSIONED
from playbook.content.status import IN_FORCE, MOVES, NOT_YET_REPLACED, SUCCESSORS, Status, move_allowed
from playbook.content.validate import Result, validate_documents
from playbook.content.versions import BUMPS, FIRST_RELEASE, bump_made, bump_version, parse
from playbook.history.compare import StandardChange

DEFAULT_REVIEW_MONTHS = 12
"""`review_every` given to a standard made active without one (as `playbook new` writes)."""


def add_changelog(edit: Edit, version: str, day: str, summary: str) -> None:
    """Set `version` and put a changelog entry for it first (newest first), dated `day`."""
    edit.prepend("changelog", {"version": version, "date": DoubleQuotedScalarString(day), "summary": summary})
    edit.notes.append(f"version {edit.data['version']} → {version}, changelog: {summary}")
    edit.set("version", version)


BUMP_FIXES = frozenset({"E-SEMVER", "E-STATUS"})
"""Problems a bump cures: a requirement whose `since` is the version being bumped to; an active
standard still at 0.x (a major bump makes it 1.0.0)."""


class Session:
    """The playbook under `root`, loaded and validated, and the edits made to it."""

    def __init__(self, root: Path):
        if not root.is_dir():
            raise PlaybookError(f"content folder not found: {root}")
        self.root = root
        self.documents, problems = load_tree(root)
        self.result: Result = validate_documents(self.documents, problems)
        self.by_id = {
            d.data["id"]: d
            for d in reversed(self.documents)  # the first file to use an id owns it
            if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)
        }
        self.edits: dict[Path, Edit] = {}
        self.must_fix: set[tuple[str, str]] = set()
        """(file, code) of problems an edit was allowed to start from; they must be gone after it."""

    def document(
        self, entity_id: str, kinds: Iterable[str] = VERSIONED, fixes: frozenset[str] = frozenset()
    ) -> Document:
        """The valid document with `entity_id`, of one of `kinds`; a clear error otherwise.

        Problems with a code in `fixes` are allowed, because the edit is what cures them (a
        requirement `since` the next version, before the bump to it); they must be gone after.
        """
        kinds = tuple(kinds)
        doc = self.by_id.get(entity_id)
        if doc is None:
            close = difflib.get_close_matches(entity_id, self.by_id, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise PlaybookError(f"unknown id '{entity_id}' in {self.root}{hint}")
        kind = doc.data.get("kind")
        if kind not in kinds:
            names = " and ".join(f"{k.lower()}s" for k in kinds)
            raise PlaybookError(f"{entity_id} is a {kind}; only {names} can be changed this way")
        own = [d for d in self.result.diagnostics if d.file == doc.display and d.code not in fixes]
        self.must_fix |= {(d.file, d.code) for d in self.result.diagnostics if d.file == doc.display}
        if own:
            raise PlaybookError(f"fix the problems in {doc.display} first:\n" + "\n".join(map(str, own)))
        return doc

    def edit(self, doc: Document) -> Edit:
        if doc.path not in self.edits:
            self.edits[doc.path] = Edit.open(doc.path)
        return self.edits[doc.path]

    def save(self) -> list[str]:
        """Write every edit, validate again, and undo all of them if that found a new problem."""
        try:
            for edit in self.edits.values():
                edit.path.write_text(edit.text(), encoding="utf-8")
            documents, problems = load_tree(self.root)
            after = validate_documents(documents, problems)
        except BaseException:
            self._undo()
            raise
        known = {_key(d) for d in self.result.diagnostics}
        new = [d for d in after.diagnostics if _key(d) not in known or (d.file, d.code) in self.must_fix]
        if new:
            self._undo()
            raise PlaybookError("not changed: the result would not validate:\n" + "\n".join(map(str, new)))
        return [f"{_display(self.by_id, e.path)}: {note}" for e in self.edits.values() for note in e.notes]

    def _undo(self) -> None:
        for edit in self.edits.values():
            edit.path.write_text(edit.original, encoding="utf-8")


def _key(d: Diagnostic) -> tuple[str, str, str]:
    return d.file, d.code, d.message  # lines move when a file grows


def _display(by_id: dict[str, Document], path: Path) -> str:
    return next((d.display for d in by_id.values() if d.path == path), str(path))


def bump(
    root: Path, entity_id: str, part: str, summary: str, *, day: str | None = None, base: str | None = None
) -> list[str]:
    """Raise the version of a standard or template by `part` and add its changelog entry; what changed.

    Against `base` (the branch the change goes into), a version already raised since is not released
    yet: it is raised again from the base's version and its changelog entry replaced, not stacked; and
    a bump smaller than the change since needs is refused. The version takes effect on `day`.
    """
    if part not in BUMPS:
        raise PlaybookError(f"bump one of: {', '.join(BUMPS)}")
    if not summary.strip():
        raise PlaybookError('say what changed: -m "Added R5 on escalation."')
    day = check_date(day or today())
    session = Session(root)
    doc = session.document(entity_id, fixes=BUMP_FIXES)
    newest = doc.data["changelog"][0]["date"] if doc.data["changelog"] else ""
    was = base_entity(root, doc, base) if base else None
    released = str(was.data.get("version", "")) if was else ""
    current = doc.data["version"]
    unreleased = was is not None and _newer(current, released)  # raised already in this change
    if unreleased and doc.data["changelog"]:
        newest = doc.data["changelog"][1]["date"] if len(doc.data["changelog"]) > 1 else ""
    if day < newest:
        raise PlaybookError(f"{entity_id}'s newest changelog entry is dated {newest}; the new one cannot be earlier")
    if was is not None and was.data.get("status") != Status.DRAFT:
        _check_enough(doc, was, part, base or "")
    edit = session.edit(doc)
    if unreleased:
        part = max(part, bump_made(released, current) or part, key=BUMPS.index)
        version = bump_version(released, part)
        _replace_unreleased(edit, version, day, summary.strip(), released)
    else:
        add_changelog(edit, bump_version(current, part), day, summary.strip())
    if "effective" in edit.data:  # the new version binds from the day it is approved, not from the last one's
        edit.set("effective", DoubleQuotedScalarString(day))
        edit.notes.append(f"effective: {day}")
    return session.save()


def _newer(version: str, than: str) -> bool:
    new, old = parse(version), parse(than)
    return new is not None and old is not None and new > old


def _check_enough(doc: Document, was: BaseEntity, part: str, ref: str) -> None:
    """Refuse a bump smaller than the change since `ref` needs (requirements added, strengthened …)."""
    change = StandardChange(doc.data["id"], was.data, doc.data, was.body, doc.body or "")
    needed = change.bump_needed
    if needed is not None and BUMPS.index(part) < BUMPS.index(needed):
        raise PlaybookError(
            f"{doc.data['id']} changed since {ref} ({change_reasons(change)}): that needs a {needed} bump, "
            f'not {part}: playbook bump {doc.data["id"]} --{needed} -m "…"'
        )


def _replace_unreleased(edit: Edit, version: str, day: str, summary: str, released: str) -> None:
    """Put `version` in place of the unreleased one, with both summaries in its entry."""
    unreleased = edit.data["version"]
    entry = edit.data["changelog"][0] if edit.data["changelog"] else None
    if entry is None or str(entry.get("version")) != unreleased:
        add_changelog(edit, version, day, summary)
        return
    before = str(entry.get("summary", "")).strip()
    entry["version"] = version
    entry["date"] = DoubleQuotedScalarString(day)
    entry["summary"] = summary if summary in before or not before else f"{before} {summary}"
    for requirement in edit.data.get("requirements", []):
        if str(requirement.get("since", "")) == unreleased:
            requirement["since"] = version
    edit.set("version", version)
    edit.notes.append(
        f"version {released} → {version} (replaces the unreleased {unreleased} entry), changelog: {entry['summary']}"
    )


def move_status(
    root: Path,
    entity_id: str,
    new: str,
    *,
    by: str | None = None,
    summary: str | None = None,
    day: str | None = None,
    base: str | None = None,
) -> list[str]:
    """Move a standard to status `new` along `status.MOVES`, with the changes the new status needs.

    `summary` says why: the page shows it beside the status (when the move makes version 1.0.0, it is
    the changelog entry). Against `base`, the move must also be one step from the status there.
    """
    if new not in MOVES:
        raise PlaybookError(f"unknown status '{new}'; one of: {', '.join(MOVES)}")
    if by is not None and new != Status.SUPERSEDED:
        raise PlaybookError("--by names the successor of a superseded standard; use it only with 'superseded'")
    day = check_date(day or today())
    session = Session(root)
    doc = session.document(entity_id, kinds=("Standard",))
    old = doc.data["status"]
    if old == new:
        raise PlaybookError(f"{entity_id} is already {new}")
    if not move_allowed(old, new):
        allowed = ", ".join(sorted(MOVES[old])) or "nowhere: it is final"
        raise PlaybookError(f"{entity_id} cannot move from {old} to {new}; from {old} it may move to {allowed}")
    was = base_entity(root, doc, base) if base else None
    released = str(was.data.get("status")) if was is not None else old
    if released != old and released != new and not move_allowed(released, new):
        allowed = ", ".join(sorted(MOVES.get(released, ()))) or "nowhere: it is final"
        raise PlaybookError(
            f"{entity_id} is {released} on {base}; one change may move it from {released} to {allowed}, not to "
            f"{new}: merge this change first"
        )
    edit = session.edit(doc)
    edit.set("status", Status(new).value)  # plain text: YAML writers know no enums
    if summary and new != Status.ACTIVE:
        edit.set("status_reason", summary.strip())
        edit.notes.append(f"status_reason: {summary.strip()}")
    elif "status_reason" in edit.data:
        del edit.data["status_reason"]  # the reason for the last status, not this one
        edit.notes.append("status_reason: removed")
    edit.notes.append(f"status {old} → {new}")
    if new == Status.ACTIVE:
        _activate(session, edit, day, summary)
    elif new == Status.TRIAL:
        _set_if_missing(edit, "effective", day)
    elif new == Status.SUPERSEDED:
        _supersede(session, doc, by, day)
    return session.save()


def _set_if_missing(edit: Edit, key: str, day: str) -> None:
    if key not in edit.data:
        edit.set(key, DoubleQuotedScalarString(day))
        edit.notes.append(f"{key}: {day}")


def _activate(session: Session, edit: Edit, day: str, summary: str | None) -> None:
    """Active needs version 1.0.0 or later, `effective`, `last_reviewed`, `review_every`, and
    every standard it supersedes out of force (validate's E-STATUS and E-SUPERSEDED)."""
    data = edit.data
    still = [
        f"{target} is still {_status(session, target)}"
        for target in data.get("supersedes", [])
        if _status(session, target) in NOT_YET_REPLACED
    ]
    if still:
        first = still[0].split()[0]
        raise PlaybookError(
            f"{data['id']} supersedes standards still in force ({'; '.join(still)}); "
            f"deprecate them first, e.g. playbook status {first} deprecated"
        )
    version = parse(data["version"])
    if version is None or version < FIRST_RELEASE:  # validate's E-STATUS: 1.0.0-rc1 is not yet 1.0.0
        add_changelog(edit, "1.0.0", day, summary or "Approved: status active.")
        for requirement in data.get("requirements", []):  # a draft's versions bound no one: all is new in 1.0.0
            since = parse(requirement.get("since"))
            if since is not None and since < FIRST_RELEASE:
                requirement["since"] = "1.0.0"
        edit.set("effective", DoubleQuotedScalarString(day))  # the new version takes effect today
        edit.notes.append(f"effective: {day}")
    else:
        _set_if_missing(edit, "effective", day)
    _set_if_missing(edit, "last_reviewed", day)
    if "review_every" not in data:
        edit.set("review_every", DEFAULT_REVIEW_MONTHS)
        edit.notes.append(f"review_every: {DEFAULT_REVIEW_MONTHS} (months; change it if needed)")


def _supersede(session: Session, doc: Document, by: str | None, day: str) -> None:
    """A superseded standard must be named in `supersedes` by exactly one standard that is or was in
    force; a new successor must be in force (active or trial) when it takes over.

    Naming it there changes the successor's record, which `validate --base` counts as a change
    needing a patch bump (compare.NO_BUMP_FIELDS), so the successor gets one.
    """
    entity_id = doc.data["id"]
    successors = sorted(
        d.data["id"]
        for d in session.by_id.values()
        if d.data.get("kind") == "Standard"
        and d.data.get("status") in SUCCESSORS
        and entity_id in (d.data.get("supersedes") or [])
    )
    if by is None:
        if len(successors) == 1:
            return
        if successors:
            raise PlaybookError(
                f"{entity_id} is named in 'supersedes' by {', '.join(successors)}; exactly one successor may name it"
            )
        raise PlaybookError(
            f"{entity_id} has no successor: no active or trial standard lists it in 'supersedes'. "
            f"Name one: playbook status {entity_id} superseded --by STD-xxx"
        )
    successor = session.document(by, kinds=("Standard",))
    if successor.data["status"] not in IN_FORCE:
        raise PlaybookError(f"{by} is {successor.data['status']}; a successor must be active or trial")
    others = [s for s in successors if s != by]
    if others:
        raise PlaybookError(f"{entity_id} is already named in 'supersedes' by {', '.join(others)}")
    if by in successors:
        return
    edit = session.edit(successor)
    edit.append("supersedes", entity_id)
    edit.notes.append(f"supersedes: added {entity_id}")
    newest = successor.data["changelog"][0]["date"] if successor.data["changelog"] else ""
    add_changelog(edit, bump_version(successor.data["version"], "patch"), max(day, newest), f"Supersedes {entity_id}.")


def _status(session: Session, entity_id: str) -> str | None:
    doc = session.by_id.get(entity_id)
    return doc.data.get("status") if doc is not None else None
