"""Which standards are due for review: `playbook report review-due` and the site's review page."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from .catalog import Catalog
from .model import Standard
from .render import table, text

REVIEWED = ("active", "trial", "deprecated")
"""Statuses under which a standard is kept under review; the others are drafts or final."""
WITHIN_DAYS = 30
"""How far ahead a review counts as due."""


def plus_days(day: str, days: int) -> str:
    """`plus_days("2026-01-30", 5)` → `"2026-02-04"`."""
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


def review_state(catalog: Catalog, standard: Standard, today: str, within: int = WITHIN_DAYS) -> str:
    """`overdue`, `due within N days`, `current`, or `no review cycle`."""
    due = catalog.next_review(standard)
    if not due or standard.status not in REVIEWED:
        return "no review cycle"
    if due < today:
        return "overdue"
    return f"due within {within} days" if due <= plus_days(today, within) else "current"


@dataclass(frozen=True)
class ReviewDue:
    """One standard whose next review has passed or is near."""

    id: str
    title: str
    status: str
    next_review: str
    overdue: bool
    owner: str
    """Role id of the accountable owner."""
    owner_title: str
    maintainers: tuple[str, ...]
    """Repository handles that review changes to it."""


def due_for_review(catalog: Catalog, today: str, within: int = WITHIN_DAYS) -> list[ReviewDue]:
    """Standards under review whose next review date is before `today` + `within` days, soonest first."""
    horizon = plus_days(today, within)
    found = []
    for standard in catalog.of_kind("Standard"):
        due = catalog.next_review(standard)  # type: ignore[arg-type]
        if not due or standard.status not in REVIEWED or due > horizon:  # type: ignore[attr-defined]
            continue
        owner = catalog.by_id.get(standard.owner)
        found.append(
            ReviewDue(
                standard.id,
                standard.title,
                standard.status,  # type: ignore[attr-defined]
                due,
                due < today,
                standard.owner,
                owner.title if owner else standard.owner,
                standard.maintainers,  # type: ignore[attr-defined]
            )
        )
    return sorted(found, key=lambda r: (r.next_review, r.id))


def _text(rows: Sequence[ReviewDue], today: str, within: int) -> str:
    if not rows:
        return f"no standard is due for review by {plus_days(today, within)}"
    lines = [
        f"{r.id}  {r.next_review}  {'overdue' if r.overdue else 'due'}  {r.title}  "
        f"owner: {r.owner}  maintainers: {', '.join(r.maintainers) or '—'}"
        for r in rows
    ]
    overdue = sum(r.overdue for r in rows)
    lines.append(f"{len(rows)} due for review by {plus_days(today, within)} ({overdue} overdue)")
    return "\n".join(lines)


def _markdown(rows: Sequence[ReviewDue], today: str, within: int) -> str:
    head = f"## Standards due for review by {plus_days(today, within)}\n\n"
    if not rows:
        return head + "None.\n"
    body = table(
        ("Standard", "Next review", "State", "Owner", "Maintainers"),
        [
            (
                text(f"{r.id} {r.title}"),
                r.next_review,
                "**overdue**" if r.overdue else "due",
                text(r.owner_title),
                ", ".join(r.maintainers) or "—",
            )
            for r in rows
        ],
    )
    return head + body


def _json(rows: Sequence[ReviewDue], today: str, within: int) -> str:
    payload = {"today": today, "horizon": plus_days(today, within), "standards": [asdict(r) for r in rows]}
    return json.dumps(payload, indent=2, ensure_ascii=False)


FORMATS: dict[str, Callable[[Sequence[ReviewDue], str, int], str]] = {
    "text": _text,
    "markdown": _markdown,
    "json": _json,
}
"""`playbook report review-due --format …`: plain lines, a table for an issue, or JSON for scripts."""
