"""Which standards are due for review, and when: for `playbook report review-due` and the site's pages."""

from __future__ import annotations

from dataclasses import dataclass

from playbook.content.catalog import Catalog
from playbook.content.dates import plus_days
from playbook.content.model import Standard
from playbook.content.status import BINDING

WITHIN_DAYS = 30
"""How far ahead a review counts as due."""


def review_state(catalog: Catalog, standard: Standard, today: str, within: int = WITHIN_DAYS) -> str:
    """`overdue`, `due within N days`, `current`, or `no review cycle`."""
    due = catalog.next_review(standard)
    if not due or standard.status not in BINDING:
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
    for standard in catalog.of_kind(Standard):
        due = catalog.next_review(standard)
        if not due or standard.status not in BINDING or due > horizon:
            continue
        owner = catalog.by_id.get(standard.owner)
        found.append(
            ReviewDue(
                standard.id,
                standard.title,
                standard.status,
                due,
                due < today,
                standard.owner,
                owner.title if owner else standard.owner,
                standard.maintainers,
            )
        )
    return sorted(found, key=lambda r: (r.next_review, r.id))
