"""`playbook new`: a new content file that validates as written, with the next free id."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import yaml

from playbook.content.errors import PlaybookError
from playbook.content.headers import header_line
from playbook.content.load import Document, content_files, load_file
from playbook.content.model import KINDS, page_slug
from playbook.content.status import Status

NUMBERED = {"Standard": "STD", "Template": "TPL", "Kpi": "KPI", "Guide": "GUIDE", "Principle": "PRI"}
FOLDERS = {
    "Organisation": "organisation",
    "Principle": "principles",
    "Standard": "",
    "Template": "templates",
    "PmoModel": "models",
    "Lifecycle": "lifecycle",
    "Role": "roles",
    "Kpi": "kpis",
    "Ceremony": "ceremonies",
    "Glossary": "glossary",
    "Guide": "guides",
}
ALIASES = {"model": "PmoModel", "pmo-model": "PmoModel"}


def kind_named(name: str) -> str:
    """`standard`, `Standard` or `model` → the kind as written in files."""
    by_lower = {k.lower(): k for k in KINDS} | ALIASES
    if name.lower() not in by_lower:
        raise PlaybookError(f"unknown kind '{name}'; one of: {', '.join(k.lower() for k in KINDS)}")
    return by_lower[name.lower()]


def slugify(title: str) -> str:
    """`"Status reporting & health"` → `status-reporting-health`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")


def _same_page(documents: list[Document], kind: str, slug: str) -> Document | None:
    """The file of `kind` whose page address ends in `slug`, if one does."""
    for doc in documents:
        entity_id = doc.data.get("id")
        if doc.data.get("kind") == kind and isinstance(entity_id, str) and page_slug(doc.path.stem, entity_id) == slug:
            return doc
    return None


def _existing(root: Path) -> list[Document]:
    return [d for d in map(load_file, content_files(root)) if isinstance(d, Document) and isinstance(d.data, dict)]


def next_id(kind: str, title: str, documents: list[Document]) -> str:
    """The next free number for numbered kinds (`STD-016`, as wide as the widest in use), else the title as a slug."""
    taken = {str(d.data.get("id")) for d in documents}
    if kind in ("Organisation", "Lifecycle", "Glossary"):
        return kind.lower()
    if kind not in NUMBERED:
        return slugify(title)
    prefix = NUMBERED[kind]
    digits = [m.group(1) for i in taken if (m := re.fullmatch(rf"{prefix}-(\d+)", i))]
    width = max((len(d) for d in digits), default=3)  # the width in use: STD-00007 after STD-00006, not STD-007
    return f"{prefix}-{max((int(d) for d in digits), default=0) + 1:0{width}d}"


def _fields(kind: str, entity_id: str, owner: str, today: str) -> dict[str, Any]:
    history = [{"version": "0.1.0", "date": today, "summary": "First draft."}]
    fields: dict[str, dict[str, Any]] = {
        "Standard": {
            "status": Status.DRAFT.value,
            "version": "0.1.0",
            "review_every": 12,
            "applies_to": {"roles": [owner]},
            "requirements": [
                {
                    "id": "R1",
                    "level": "SHOULD",
                    "text": "Projects SHOULD do what this standard asks (rewrite this requirement).",
                    "rationale": "Say why the requirement exists.",
                    "since": "0.1.0",
                }
            ],
            "changelog": history,
        },
        "Template": {
            "status": Status.DRAFT.value,
            "version": "0.1.0",
            "format": "document",
            "outputs": ["docx", "md"],
            "sections": [{"heading": "Purpose", "prompt": "Say what this document is for."}],
            "changelog": history,
        },
        "PmoModel": {
            "axis": "control",
            "control_level": "medium",
            "responsibilities": ["Describe what the PMO does under this model."],
            "best_for": ["Describe where the model fits."],
            "watch_out_for": ["Describe its risks."],
            "binding": {
                level: {"effect": "expected", "note": "Describe how this level binds."}
                for level in ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
            },
        },
        "Lifecycle": {
            "phases": [
                {
                    "id": "initiation",
                    "title": "Initiation",
                    "summary": "Describe the phase.",
                    "entry_criteria": ["Describe what starts it."],
                    "exit_criteria": ["Describe the gate."],
                    "activities": [
                        {"id": "first-activity", "title": "Describe the activity", "raci": {"R": [owner], "A": owner}}
                    ],
                }
            ]
        },
        "Role": {"responsibilities": ["Describe what this role is responsible for."]},
        "Kpi": {
            "definition": "Describe what the KPI measures.",
            "formula": "Describe how it is computed.",
            "unit": "%",
            "direction": "higher-is-better",
            "target": "≥ 90%",
            "thresholds": {"green": "≥ 90%", "amber": "75–90%", "red": "< 75%"},
            "cadence": "monthly",
            "data_source": "Describe where the numbers come from.",
        },
        "Ceremony": {
            "purpose": "Describe why the meeting exists.",
            "cadence": "monthly",
            "duration": 60,
            "facilitator": owner,
            "attendees": [owner],
            "agenda": ["Describe the first item."],
        },
        "Glossary": {
            "terms": [{"term": "Playbook", "definition": "The PMO's governed standards, templates and guides."}]
        },
        "Guide": {"audience": [owner], "steps": [{"title": "Describe the first step", "minutes": 15}]},
        "Principle": {
            "statement": "State the principle in one or two sentences that make sense quoted alone.",
            "rationale": "Say why the organisation holds it: what goes wrong without it.",
            "implications": ["Say what following it means in practice."],
        },
        "Organisation": {
            "example": True,
            "contacts": [{"role": owner, "name": "Name the person or team", "email": "pmo@example.org"}],
        },
    }
    return fields[kind]


def new_entity(root: Path, kind_name: str, title: str, *, today: str | None = None) -> Path:
    """Write a new valid content file for `kind_name` titled `title`; its path."""
    kind = kind_named(kind_name)
    if len(title.strip()) < 3:
        raise PlaybookError("--title needs at least three characters")
    documents = _existing(root)
    entity_id = next_id(kind, title, documents)
    if not entity_id:
        raise PlaybookError(f"cannot make an id from the title '{title}'; use letters or digits")
    roles = sorted(str(d.data["id"]) for d in documents if d.data.get("kind") == "Role")
    owner = entity_id if kind == "Role" else ("pmo-lead" if "pmo-lead" in roles else (roles[0] if roles else ""))
    if not owner:
        raise PlaybookError('create a Role first (playbook new role --title "PMO lead"): every entity has an owner')
    folder = root / FOLDERS[kind]
    stem = entity_id if kind not in NUMBERED else f"{entity_id}-{slugify(title)}"
    path = folder / f"{stem}.yaml"
    if path.exists() or any(d.data.get("id") == entity_id for d in documents):
        if kind in ("Organisation", "Lifecycle", "Glossary"):
            raise PlaybookError(f"{path} already exists: a playbook has one {kind.lower()}; edit that file")
        raise PlaybookError(f"{path} already exists (id '{entity_id}'); choose another title")
    if kind in NUMBERED and (same := _same_page(documents, kind, slug := slugify(title))) is not None:
        raise PlaybookError(
            f"{same.display} already makes the page {KINDS[kind].section}/{slug}/; choose another title"
        )
    today = today or datetime.date.today().isoformat()
    data = {
        "apiVersion": "playbook/v1",
        "kind": kind,
        "id": entity_id,
        "title": title.strip(),
        "summary": f"Say in a sentence or two what {title.strip()} is and why it matters.",
        "tags": [],
        "owner": owner,
        **_fields(kind, entity_id, owner, today),
    }
    if kind == "Organisation":  # it names the model run here: the first one written, to be changed
        models = sorted(str(d.data["id"]) for d in documents if d.data.get("kind") == "PmoModel")
        if not models:
            raise PlaybookError('create a PMO model first (playbook new model --title "Controlling PMO")')
        data = {**data, "pmo_model": models[0], "contacts": data.pop("contacts")}
    header = header_line(root, path, kind)
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return path
