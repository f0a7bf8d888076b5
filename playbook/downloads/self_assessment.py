"""A role's checklist as a file to fill in: an Excel self-assessment sheet (the rows: `checklist_rows.py`).

The sheet has a row per requirement (reference, level, phase, the requirement, a link to it) and the
columns a project fills: a status drop-down, the evidence, a comment. It prints landscape, a page
wide, its header on every page. Text from content goes into cells as text, never as a formula.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from playbook.downloads.checklist_rows import Row
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


def self_assessment_xlsx(title: str, rows: Sequence[Row], day: str) -> bytes:
    """The sheet `title` (a role's checklist), dated `day` (the content's date, for reproducible files).

    Written in openpyxl's write-only mode, a row at a time: half the time of building the sheet in
    memory, which a checklist of 5,000 requirements made a second long.
    """
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Self-assessment")
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B2"
    status = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
        showErrorMessage=True, error="Choose a status from the list.",
    )  # fmt: skip
    status.add(f"F2:F{LAST_ROW}")
    sheet.data_validations.append(status)
    sheet.auto_filter.ref = f"A1:H{max(2, len(rows) + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = [_text(sheet, heading) for heading in HEADINGS]
    for cell in header:
        cell.font, cell.fill = bold, HEADER_FILL
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        values = (row.ref, row.level, row.phase, row.text, row.url)
        lines = max(-(-len(value) // (width - 2)) for value, width in zip(values, WIDTHS, strict=False))
        sheet.row_dimensions[number].height = LINE_HEIGHT * max(1, lines)
        cells = [_text(sheet, value) for value in values]
        for cell in cells:
            cell.alignment = wrap
        sheet.append(cells)
    workbook.properties.title, workbook.properties.creator = title, GENERATOR
    when = datetime.datetime.fromisoformat(day)  # the content's date, not the wall clock: two builds match
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()  # not save(): no wall clock
    return rezip(buffer.getvalue(), zip_time(day))


def _text(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    """`value` as a text cell, never a formula: requirement texts come from pull requests."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
