"""Computed columns as Excel formulas, written from the parsed tree (`content/formulas.py`) alone:
no text of a template reaches a cell as a formula except through the parser's output."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from playbook.content.formulas import Binary, Column, Node, Number, Unary, operands, read


@dataclass(frozen=True)
class Sheet:
    """Where a template's columns are on its sheet."""

    letters: Mapping[str, str]
    """Column letter by column name."""
    computed: frozenset[str]
    """Names of the computed columns: their cells may hold "" (an empty row), so they are read through N()."""
    levels: Mapping[str, str]
    """For each choice column, the absolute range of its allowed values on the Lists sheet."""


def row_formula(node: Node, sheet: Sheet, row: int) -> str:
    """The formula of a computed cell in `row`: empty while every cell it reads is empty, so unfilled rows
    stay blank instead of showing 0 or #DIV/0!.

    `"A" + "B"` with A in column E and B in F gives, in row 2, `=IF(AND(E2="",F2=""),"",E2+F2)`.
    """
    guard = ",".join(f'{sheet.letters[name]}{row}=""' for name in read(node))
    return f'=IF(AND({guard}),"",{_excel(node, sheet, row)})'


def total_formula(node: Node, sheet: Sheet, row: int) -> str:
    """The same formula over the totals row, for a column totalled by its formula (a percentage of totals)."""
    return f"={_excel(node, sheet, row)}"


def _excel(node: Node, sheet: Sheet, row: int) -> str:
    if isinstance(node, Column):
        cell = f"{sheet.letters[node.name]}{row}"
        return f"N({cell})" if node.name in sheet.computed else cell
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Unary):
        inner = _excel(node.operand, sheet, row)
        return f"-({inner})" if isinstance(node.operand, Binary) else f"-{inner}"
    if isinstance(node, Binary):
        left, right = operands(node, lambda side: _excel(side, sheet, row))
        return f"{left}{node.op}{right}"
    if node.function == "LEVEL":
        [column] = node.args
        assert isinstance(column, Column)  # the parser takes nothing else
        # 1 for the first allowed value, 0 for an empty cell
        return f"IFERROR(MATCH({sheet.letters[column.name]}{row},{sheet.levels[column.name]},0),0)"
    return f"{node.function}({','.join(_excel(arg, sheet, row) for arg in node.args)})"
