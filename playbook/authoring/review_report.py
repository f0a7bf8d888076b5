"""`playbook report review-due --format …`: the standards due for review as text lines, a Markdown
table for an issue, or JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict

from playbook.content.dates import plus_days
from playbook.content.review import ReviewDue
from playbook.site.markup import table, text


def _text(rows: Sequence[ReviewDue], today: str, within: int) -> str:
    if not rows:
        return f"no standard is due for review by {plus_days(today, within)}"
    lines = [
        f"{r.id}  {r.next_review}  {'overdue' if r.overdue else 'due'}  {r.title}  "
        f"owner: {r.owner_title}  maintainers: {', '.join(r.maintainers) or '—'}"
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
"""The report for each `--format`."""
