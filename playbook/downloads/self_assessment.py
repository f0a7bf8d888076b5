"""A role's checklist as files to fill in: an Excel self-assessment sheet and a Markdown checklist.

The sheet has a row per requirement (reference, level, phase, the requirement, a link to it) and the
columns a project fills: a status drop-down, the evidence, a comment. It prints landscape, a page
wide, its header on every page. Text from content goes into cells as text, never as a formula.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from playbook.downloads.provenance import GENERATOR
from playbook.downloads.zips import rezip, zip_time

STATUSES = ("Not started", "In progress", "Done", "Not applicable")
"""The status drop-down of each requirement."""
LAST_ROW = 1_048_576
HEADINGS = ("Requirement", "Level", "Phase", "What it requires", "Link", "Status", "Evidence", "Comment")
WIDTHS = (13, 11, 16, 60, 28, 14, 28, 28)
LINE_HEIGHT = 15
"""Points a line of wrapped text takes: rows are given the height of their longest cell, as spreadsheets
other than Excel do not size them when they open the file."""
HEADER_FILL = PatternFill("solid", fgColor="DDE3F0")


@dataclass(frozen=True)
class Row:
    """One requirement on a checklist."""

    ref: str
    """`STD-007 R3`."""
    level: str
    phase: str
    """The phase's title, or "Throughout the project"."""
    text: str
    url: str
    """Where the requirement is on the site; '' when the site has no address."""


def self_assessment_xlsx(title: str, rows: Sequence[Row], day: str) -> bytes:
    """The sheet `title` (a role's checklist), dated `day` (the content's date, for reproducible files)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Self-assessment"
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True), start=1):
        cell = _text(sheet.cell(row=1, column=column), heading)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, start=2):
        values = (row.ref, row.level, row.phase, row.text, row.url)
        for column, value in enumerate(values, start=1):
            _text(sheet.cell(row=number, column=column), value).alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(-(-len(value) // (width - 2)) for value, width in zip(values, WIDTHS, strict=False))
        sheet.row_dimensions[number].height = LINE_HEIGHT * max(1, lines)
    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
        showErrorMessage=True, error="Choose a status from the list.",
    )  # fmt: skip
    status.add(f"F2:F{LAST_ROW}")
    sheet.add_data_validation(status)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:H{max(2, len(rows) + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    workbook.properties.title, workbook.properties.creator = title, GENERATOR
    when = datetime.datetime.fromisoformat(day)  # the content's date, not the wall clock: two builds match
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # not save(): no wall clock
    return rezip(buffer.getvalue(), zip_time(day))


def checklist_md(title: str, rows: Sequence[Row]) -> bytes:
    """The checklist as Markdown task lists, by phase, for a wiki or an issue."""
    lines = [f"# {_md(title)}", ""]
    phase = None
    for row in rows:
        if row.phase != phase:
            phase = row.phase
            lines += ["", f"## {_md(phase)}", ""]
        ref = f"[{_md(row.ref)}]({row.url})" if row.url else _md(row.ref)
        lines.append(f"- [ ] **{row.level}** {ref}: {_md(row.text)}")
    return ("\n".join(lines).replace("\n\n\n", "\n\n") + "\n").encode()


def _text(cell: Cell | MergedCell, value: str) -> Cell | MergedCell:
    """Put `value` in `cell` as text, never a formula: requirement texts come from pull requests."""
    cell.value = value
    cell.data_type = "s"
    return cell


def _md(value: str) -> str:
    """Text for a Markdown line: no markup of its own, on one line."""
    escaped = "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>" else c for c in value)
    return " ".join(escaped.split())
