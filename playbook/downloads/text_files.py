"""The Markdown and CSV downloads: plain text any tool opens."""

from __future__ import annotations

import csv
import io
import json

from playbook.content.model import Template
from playbook.downloads.provenance import Stamp

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would evaluate starts (https://owasp.org/www-community/attacks/CSV_Injection)."""
EMPTY_ROWS = 3
"""Blank rows under a Word or Markdown table's header, ready to fill in."""


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>!|"})
"""Characters that start Markdown or HTML: written after a backslash, a Markdown reader shows them as
themselves, so text from a template's YAML cannot become a link, an image or markup in the download."""


def _md_text(text: str) -> str:
    """`text` as inert Markdown: backslash escapes, so the file still reads as plain text."""
    return text.translate(_MARKDOWN)


def _md_cell(text: str) -> str:
    return _md_text(" ".join(text.split()))


def md_file(template: Template, stamp: Stamp) -> bytes:
    """Front matter with the provenance, `## heading` per section, prompts quoted, table skeletons."""
    front = {"id": stamp.id, "title": stamp.title, "version": stamp.version, "date": stamp.date, "source": stamp.url}
    # JSON strings are YAML strings too, and quoting keeps dates and versions strings for every reader
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---"]
    lines += ["", f"# {_md_cell(template.title)}", "", f"> {_md_cell(template.summary)}"]
    for section in template.sections:
        prompt = [f"> {_md_text(line)}".rstrip() for line in section.prompt.splitlines()]
        lines += ["", f"## {_md_cell(section.heading)}", "", *prompt]
        if section.table:
            cells = [_md_cell(heading) for heading in section.table]
            lines += ["", f"| {' | '.join(cells)} |", f"|{' --- |' * len(cells)}"]
            lines += [f"| {' | '.join(_md_cell(str(row.get(h, ''))) for h in section.table)} |" for row in section.rows]
            lines += [f"|{'  |' * len(cells)}"] * (0 if section.rows else EMPTY_ROWS)
    return ("\n".join(lines) + "\n").encode()


def csv_file(template: Template, stamp: Stamp) -> bytes:
    """The header row and the pre-filled rows, RFC 4180, UTF-8 with a byte-order mark: without one, Excel
    reads the file in the computer's legacy encoding and shows `Coût (€)` garbled.

    Example rows are left out (a tool importing the file would take them for data), and so are computed
    cells and totals: CSV holds values, not formulas. A cell starting with `=`, `+`, `-`, `@`, a tab or a
    carriage return gets a leading `'` so a spreadsheet shows it rather than evaluating it (OWASP "CSV
    injection"); numbers are written as numbers.
    """
    rows = [[_csv_cell(c.name) for c in template.columns]]
    rows += [[_csv_cell(row.get(c.name, "")) for c in template.columns] for row in template.rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def _csv_cell(value: str | int | float) -> str:
    if not isinstance(value, str):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
