"""The statuses of standards and templates, and the named sets the whole engine reads them through.

A standard moves `draft → proposed → (trial →) active → deprecated → superseded | retired`, with
`rejected` and `withdrawn` as side exits; a template is `draft`, `active`, `deprecated` or `retired`.
What each status means to a reader (banners, feed entries) is said where it is shown; which
statuses belong together, and where a status may go, is said here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


class Status(str, Enum):
    """A status as written in `status:`; compares equal to its text."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    TRIAL = "trial"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"
    RETIRED = "retired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:  # f"{status}" is its text, as with Python 3.11's StrEnum
        return format(self.value, spec)


IN_FORCE = frozenset({Status.ACTIVE, Status.TRIAL})
"""A standard in one of these binds projects now; it is listed in the model comparison."""

BINDING = frozenset({Status.ACTIVE, Status.TRIAL, Status.DEPRECATED})
"""A version in one of these binds projects (a deprecated one still does, until it goes): it counts
for "in force on a date", and it is kept under review."""

SUCCESSORS = frozenset({Status.ACTIVE, Status.TRIAL, Status.DEPRECATED, Status.SUPERSEDED, Status.RETIRED})
"""A standard that is, or was, in force: it stays the successor of what it superseded even after it
is deprecated or superseded in turn."""

NOT_YET_REPLACED = frozenset({Status.DRAFT, Status.PROPOSED, Status.TRIAL, Status.ACTIVE})
"""A standard in one of these may not be superseded by an active standard: it must go out of force first."""

PHASED_OUT = frozenset({Status.DEPRECATED, Status.SUPERSEDED, Status.RETIRED})
"""On the way out or gone: the reader is sent on to the successor, and to its successor in turn."""

POINTS_TO_SUCCESSOR = frozenset({Status.DEPRECATED, Status.SUPERSEDED})
"""A standard page in one of these names the standard to use instead."""

NEVER_IN_FORCE = frozenset({Status.DRAFT, Status.PROPOSED, Status.REJECTED, Status.WITHDRAWN})
"""A standard in one of these has not bound anyone yet (and a rejected or withdrawn one never will)."""
NEW = frozenset({Status.DRAFT, Status.PROPOSED})
"""A standard that did not exist on the base branch starts here."""

NAV_ORDER = (
    Status.ACTIVE, Status.TRIAL, Status.PROPOSED, Status.DRAFT, Status.DEPRECATED,
    Status.SUPERSEDED, Status.RETIRED, Status.REJECTED, Status.WITHDRAWN,
)  # fmt: skip
"""How a large catalog's standards are grouped in the nav: in force first."""

MOVES: Mapping[str, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.PROPOSED, Status.WITHDRAWN}),
    Status.PROPOSED: frozenset({Status.TRIAL, Status.ACTIVE, Status.REJECTED, Status.WITHDRAWN, Status.DRAFT}),
    Status.TRIAL: frozenset({Status.ACTIVE, Status.REJECTED, Status.WITHDRAWN}),
    Status.ACTIVE: frozenset({Status.DEPRECATED}),
    Status.DEPRECATED: frozenset({Status.SUPERSEDED, Status.RETIRED, Status.ACTIVE}),
    Status.SUPERSEDED: frozenset(),
    Status.RETIRED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
"""Where a standard may go from each status in one change; a deprecation may be taken back."""

NEEDS: Mapping[str, tuple[str, ...]] = {
    Status.ACTIVE: ("effective",),
    Status.TRIAL: ("effective",),
    Status.DEPRECATED: ("effective",),
}
"""Fields a standard must have in a status (E-STATUS). A review cycle is optional: a standard
without `review_every` (and no default in the organisation's profile) is never overdue."""


def move_allowed(old: str, new: str) -> bool:
    """True when a standard may go from status `old` to `new` in one change."""
    return old == new or new in MOVES.get(old, frozenset())
