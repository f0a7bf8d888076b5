"""The Word and Excel writers of the template downloads (python-docx, openpyxl).

Kept apart from files.py so a build imports these large libraries only where the files are
made: in the child process that makes them, or when a template is downloaded under `serve`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Literal

import docx
import openpyxl
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import RGBColor
from docx.styles.style import BaseStyle
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from playbook.content.formulas import in_words, parse
from playbook.content.model import Column, Template
from playbook.downloads.excel_rows import (
    LAST_ROW,
    NUMBER_FORMATS,
    colour,
    list_range,
    print_setup,
    text_cell,
    write_rows,
)
from playbook.downloads.provenance import GENERATOR, Stamp, properties
from playbook.downloads.text_files import EMPTY_ROWS
from playbook.downloads.zips import rezip, zip_time

TYPED: dict[str, tuple[Literal["whole", "decimal", "date"], str, str, str]] = {
    "integer": ("whole", "-999999999", "999999999", "Enter a whole number."),
    "number": ("decimal", "-1E+15", "1E+15", "Enter a number."),
    "currency": ("decimal", "-1E+15", "1E+15", "Enter an amount, without a currency sign."),
    "percent": ("decimal", "-100", "100", "Enter a percentage, such as 85%."),
    "date": ("date", "DATE(1900,1,1)", "DATE(2999,12,31)", "Enter a date, such as 2026-03-31."),
}
"""Excel's validation of each typed column: (type, lowest, highest, the message when a cell is not one)."""
BOLD = Font(bold=True)


def _docx_base(template: Template, stamp: Stamp) -> DocxDocument:
    """python-docx's blank document with our properties and a Guidance style for prompts."""
    document = docx.Document()
    # stylesWithEffects.xml is a 438 kB copy of styles.xml that only Word 2010 reads;
    # zipping it twice per file took a third of the time
    for rId, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rId)
    more = {"author": GENERATOR, "comments": template.summary, "content_status": template.status}
    for name, value in properties(template, stamp, **more).items():
        setattr(document.core_properties, name, value)
    # a named style, so authors can restyle or find every prompt at once
    guidance = document.styles.add_style("Guidance", WD_STYLE_TYPE.PARAGRAPH)
    guidance.base_style = document.styles["Normal"]
    guidance.font.italic = True
    guidance.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    return document


def docx_file(template: Template, stamp: Stamp) -> bytes:
    """Heading 1 title, Heading 2 per section, prompts in a Guidance style, tables to fill in."""
    document = _docx_base(template, stamp)
    guidance = document.styles["Guidance"]
    heading1, heading2 = document.styles["Heading 1"], document.styles["Heading 2"]
    _paragraph(document, template.title, heading1)
    _paragraph(document, template.summary, guidance)
    for section in template.sections:
        _paragraph(document, section.heading, heading2)
        _paragraph(document, section.prompt, guidance)
        if section.table:
            rows = [tuple(str(row.get(h, "")) for h in section.table) for row in section.rows]
            rows += [("",) * len(section.table)] * (0 if rows else EMPTY_ROWS)
            table = document.add_table(rows=1 + len(rows), cols=len(section.table))
            table.style = "Table Grid"
            for cell, heading in zip(table.rows[0].cells, section.table, strict=True):
                cell.paragraphs[0].add_run(heading).bold = True
            for cells, values in zip(table.rows[1:], rows, strict=True):
                for cell, value in zip(cells.cells, values, strict=True):
                    cell.paragraphs[0].text = value
        else:
            document.add_paragraph()  # a Normal paragraph to write in, so answers are not styled as guidance
    document.sections[0].footer.paragraphs[0].text = stamp.line
    buffer = io.BytesIO()
    document.save(buffer)
    return rezip(buffer.getvalue(), zip_time(stamp.date))


def _paragraph(document: DocxDocument, text: str, style: BaseStyle) -> None:
    """Add a paragraph in `style`, set by id: python-docx's `style=` rescans all 164 styles of its
    template for the default one, 2 ms a paragraph (docx/styles/styles.py, _get_style_id_from_style)."""
    document.add_paragraph(text)._p.style = style.style_id


def xlsx_file(template: Template, stamp: Stamp) -> bytes:
    """A sheet with a bold, frozen header row, widths, number formats, drop-downs, its rows (`excel_rows.py`)
    and print set-up, plus an About sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    for index, column in enumerate(template.columns, start=1):
        _xlsx_column(sheet, index, column)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("About")
    _xlsx_about(about, template, stamp)
    print_setup(about, stamp.line, landscape=False, header=False)
    _xlsx_dropdowns(workbook, sheet, template.columns)
    _xlsx_typed(sheet, template.columns)
    write_rows(sheet, template)
    colour(sheet, template.columns)
    print_setup(sheet, stamp.line)
    # named last, so a template titled "About" or "Lists" renames its own sheet, not the fixed ones
    sheet.title = "".join("-" if c in "[]:*?/\\" else c for c in template.title)[:31]  # Excel's rules
    more = {"creator": GENERATOR, "description": template.summary, "contentStatus": template.status}
    for name, value in properties(template, stamp, **more).items():
        setattr(workbook.properties, name, value)
    buffer = io.BytesIO()
    # not workbook.save(): openpyxl's save_workbook sets `modified` to the wall clock
    # (openpyxl/writer/excel.py, save_workbook); ExcelWriter writes the properties as they are
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return rezip(buffer.getvalue(), zip_time(stamp.date))


def _xlsx_column(sheet: Worksheet, index: int, column: Column) -> None:
    """Header cell (with the description as a comment), width and number format of one column."""
    header = text_cell(sheet.cell(row=1, column=index), column.name)
    header.font = BOLD
    computed = f"Computed: {in_words(parse(column.formula))}." if column.formula else ""
    note = " ".join(filter(None, (column.description, computed, "Required." if column.required else "")))
    if note:
        header.comment = Comment(note, GENERATOR)
    dimension = sheet.column_dimensions[get_column_letter(index)]
    dimension.width = min(60, max(12, *(len(text) + 4 for text in (column.name, *column.allowed))))
    if column.type in NUMBER_FORMATS:  # a column style, so every cell typed in later takes the format
        dimension.number_format = NUMBER_FORMATS[column.type]


def _xlsx_dropdowns(workbook: openpyxl.Workbook, sheet: Worksheet, columns: Sequence[Column]) -> None:
    """A drop-down on every `choice` column, listing its values from a hidden `Lists` sheet.

    A range, unlike an inline `"a,b,c"` list, takes values with commas and has no 255-character limit.
    """
    choices = [(index, column) for index, column in enumerate(columns, start=1) if column.type == "choice"]
    if not choices:
        return
    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    for index, column in choices:
        letter = get_column_letter(index)
        for row, value in enumerate((column.name, *column.allowed), start=1):
            text_cell(lists.cell(row=row, column=index), value)
        rule = DataValidation(
            type="list",
            formula1=list_range(index, column),
            allow_blank=True,
            showErrorMessage=True,
            error="Choose a value from the list.",
        )
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(rule)


def _xlsx_typed(sheet: Worksheet, columns: Sequence[Column]) -> None:
    """Cells of a date, number or percent column take only that: Excel says what to enter instead."""
    for index, column in enumerate(columns, start=1):
        if column.type not in TYPED:
            continue
        kind, low, high, message = TYPED[column.type]
        rule = DataValidation(
            type=kind, operator="between", formula1=low, formula2=high, allow_blank=True,
            showErrorMessage=True, errorTitle=column.name[:32], error=message,
        )  # fmt: skip
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(rule)


def _xlsx_about(sheet: Worksheet, template: Template, stamp: Stamp) -> None:
    """The provenance line, the summary, and what each column takes."""
    head = ("Column", "Type", "Required", "Allowed values", "Description")
    rows: list[Sequence[str]] = [(stamp.line,), (template.summary,), (), head]
    for c in template.columns:
        rows.append((c.name, c.type, "yes" if c.required else "", ", ".join(c.allowed), c.description))
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            if value:
                text_cell(sheet.cell(row=row, column=col), value).font = BOLD if row in (1, 4) else Font()
    for letter, width in zip("ABCDE", (24, 10, 10, 30, 60), strict=True):
        sheet.column_dimensions[letter].width = width
