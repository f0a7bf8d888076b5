"""The rows of a table template's sheet: example rows, pre-filled rows, computed cells, the totals row,
colours by value or threshold, and how the sheet prints.

Layout: the header in row 1, then the example rows (grey italics, to be replaced), the pre-filled rows,
and, when a column is computed or totalled, BLANK_ROWS rows ready to fill with the formulas in place,
then the totals row. Rows inserted inside that block are taken into the totals by Excel itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from openpyxl.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from playbook.content.formulas import parse
from playbook.content.model import Band, Column, Template
from playbook.content.model import Cell as Value
from playbook.downloads.excel_formulas import Sheet, row_formula, total_formula
from playbook.downloads.provenance import GENERATOR

LAST_ROW = 1_048_576
"""Excel's last row: drop-downs, typed cells and colours reach it, so no row typed in is left unchecked."""
BLANK_ROWS = 50
"""Rows ready to fill, with their formulas, above the totals row (a row inserted above it takes the totals
along, and Excel fills the formulas down)."""
NUMBER_FORMATS = {
    "integer": "0",
    "number": "#,##0.00",
    "currency": "#,##0.00;[Red]-#,##0.00",  # no symbol: the playbook does not know a project's currency
    "percent": "0%",
    "date": "yyyy-mm-dd",
}
"""Excel number format by column type; text and choice columns stay General."""
PALETTE = {
    "red": ("FFC7CE", "9C0006"),
    "amber": ("FFEB9C", "9C5700"),
    "green": ("C6EFCE", "006100"),
    "blue": ("DDEBF7", "1F4E78"),
    "grey": ("EDEDED", "404040"),
}
"""(fill, text) of each colour a template may name: Excel's own Good, Neutral and Bad styles and two more."""
EXAMPLE = Font(italic=True, color="808080")
EXAMPLE_NOTE = "Example row: replace it with your own, or delete it."
WRAPPED = Alignment(wrap_text=True, vertical="top")
"""Rows written in: long text wraps inside its column rather than being cut at the next cell."""
TOTAL = Font(bold=True)
TOTAL_LINE = Border(top=Side(style="thin"), bottom=Side(style="double"))


def list_range(index: int, column: Column) -> str:
    """Where the hidden Lists sheet holds a choice column's allowed values (the drop-down's source)."""
    letter = get_column_letter(index)
    return f"Lists!${letter}$2:${letter}${len(column.allowed) + 1}"


def text_cell(cell: Cell | MergedCell, value: str) -> Cell | MergedCell:
    """Put `value` in `cell` as text, never a formula: column names and values come from pull requests."""
    cell.value = value
    cell.data_type = "s"
    return cell


def write_rows(sheet: Worksheet, template: Template) -> None:
    """Examples, pre-filled rows, computed cells and the totals row (see the module's docstring)."""
    columns = template.columns
    where = Sheet(
        letters={c.name: get_column_letter(i) for i, c in enumerate(columns, start=1)},
        computed=frozenset(c.name for c in columns if c.formula),
        levels={c.name: list_range(i, c) for i, c in enumerate(columns, start=1) if c.type == "choice"},
    )
    formulas = {c.name: parse(c.formula) for c in columns if c.formula}  # validation has parsed them
    rows = [(row, True) for row in template.examples] + [(row, False) for row in template.rows]
    totalled = any(c.total for c in columns)
    if formulas or totalled:
        rows += [({}, False)] * BLANK_ROWS
    for number, (values, example) in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=number, column=index)
            if column.name in formulas:
                cell.value = row_formula(formulas[column.name], where, number)
            elif column.name in values:
                _value(cell, column, values[column.name])
            if column.type in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.type]
            if example:
                cell.font = EXAMPLE
            cell.alignment = WRAPPED
        if example:
            sheet.cell(row=number, column=1).comment = Comment(EXAMPLE_NOTE, GENERATOR)
    for index, column in enumerate(columns, start=1):  # wide enough for the text written in, up to a point
        longest = max((len(str(values.get(column.name, ""))) for values, _ in rows), default=0)
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(dimension.width or 0, min(40, longest + 2))
    if totalled:  # the examples are above the rows totalled: a project's totals do not count them
        _totals(sheet, columns, where, formulas, first=2 + len(template.examples), last=len(rows) + 1)


def _value(cell: Cell | MergedCell, column: Column, value: Value) -> None:
    if isinstance(value, str) and column.type == "date":
        cell.value = dt.date.fromisoformat(value)
    elif isinstance(value, str):
        text_cell(cell, value)
    else:
        cell.value = value


def _totals(
    sheet: Worksheet, columns: Sequence[Column], where: Sheet, formulas: Mapping, *, first: int, last: int
) -> None:
    """A bold totals row under the rows: SUBTOTAL(109, …) sums what a filter shows."""
    row = last + 1
    label = next((i for i, c in enumerate(columns, start=1) if not c.total), None)
    if label is not None:
        text_cell(sheet.cell(row=row, column=label), "Total")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index)
        letter = get_column_letter(index)
        if column.total == "sum":
            cell.value = f"=SUBTOTAL(109,{letter}{first}:{letter}{last})"
        elif column.total == "formula":
            cell.value = total_formula(formulas[column.name], where, row)
        if column.type in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[column.type]
        cell.font, cell.border = TOTAL, TOTAL_LINE


def colour(sheet: Worksheet, columns: Sequence[Column]) -> None:
    """Fills by value for choice columns and by threshold for number columns, from the header down."""
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        for value, name in column.colours.items():
            quoted = value.replace('"', '""')  # an Excel text literal: the value cannot end it
            sheet.conditional_formatting.add(cells, _rule(f'{letter}2="{quoted}"', name))
        for band in column.bands:
            sheet.conditional_formatting.add(cells, _rule(_band(band, f"{letter}2"), band.colour))


def _band(band: Band, cell: str) -> str:
    """The test of one band: a number (not an empty row's "", which Excel ranks above every number)."""
    if band.min is not None:
        return f"AND(ISNUMBER({cell}),{cell}>={_number(band.min)})"
    if band.max is not None:
        return f"AND(ISNUMBER({cell}),{cell}<={_number(band.max)})"
    return f"ISNUMBER({cell})"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _rule(formula: str, name: str) -> Rule:
    background, ink = PALETTE[name]
    fill = PatternFill(start_color=background, end_color=background, fill_type="solid")
    return FormulaRule(formula=[formula], fill=fill, font=Font(color=ink), stopIfTrue=True)


def print_setup(sheet: Worksheet, footer: str, *, landscape: bool = True, header: bool = True) -> None:
    """As wide as the page, the header row on every page, and the provenance in the footer."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if header:
        sheet.print_title_rows = "1:1"
    # & starts a header/footer code; Excel takes 255 characters for the whole footer
    parts = sheet.oddFooter
    assert parts is not None  # a new sheet's footer, empty
    parts.left.text = footer[:200].replace("&", "&&")
    parts.right.text = "Page &P of &N"
