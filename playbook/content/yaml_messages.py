"""What to tell the person who wrote a YAML file the parser refused: where the slip is, in their words.

PyYAML's messages describe its own state ("while parsing a flow node"); these name the thing to fix
(a tab used for indentation, a bracket never closed, a second document) and point at it.
"""

from __future__ import annotations

from typing import Any

import yaml


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


class _Mark:
    """A position as YAML marks give it: 0-based line and column."""

    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def _unclosed(text: str) -> tuple[tuple[int, int], str] | None:
    """The 0-based (line, column) and character of the innermost `[` or `{` never closed in `text`.

    A rough reading (quotes and comments are skipped, nothing else): only used to point at the
    bracket of a flow collection the parser found cut off at the end of the file.
    """
    stack: list[tuple[tuple[int, int], str]] = []
    for number, line in enumerate(text.split("\n")):
        quote = ""
        for col, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == "#" and (col == 0 or line[col - 1] in " \t"):
                break
            elif char in "[{":
                stack.append(((number, col), char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _column(line: str) -> tuple[int, bool]:
    """Where a line's key starts (after `- ` for a list item), and whether it is a list item."""
    indent = len(line) - len(line.lstrip(" "))
    if line[indent:].startswith("- "):
        return indent, True
    return indent, False


def _misindented(text: str, mark: Any) -> tuple[Any, str] | None:
    """An indentation slip at `mark`'s line: a key or list item that does not line up with the one
    above it (one space too many or too few); None when the indentation looks right."""
    if mark is None:
        return None
    lines = text.split("\n")
    if mark.line >= len(lines) or not lines[mark.line].strip():
        return None
    here, item = _column(lines[mark.line])
    expected = None
    for above in reversed(lines[: mark.line]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        column, above_item = _column(above)
        if above.rstrip().endswith(":") and not item:
            return None  # a key that opens a block: the line under it is its first child, deeper
        if item:
            if above_item:
                expected = column
                break
            continue  # a list item lines up with the item before it, not with that item's keys
        expected = column + 2 if above_item else column
        break
    if expected is None or expected == here:
        return None
    what = "list item" if item else "key"
    spaces = f"{expected} spaces" if expected != 1 else "1 space"
    return _Mark(mark.line, here), (
        f"indentation: this {what} starts at column {here + 1}, but the {what} above it at column {expected + 1}; "
        f"line them up ({spaces if expected else 'no space'} before it)"
    )


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[Any, str]:
    """Where a YAML syntax error is (a mark: 0-based line and column), and what to tell the editor about it."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if "expected a single document" in str(exc):
        return mark, "only one YAML document per file (remove the '---' separator)"
    tab = "cannot start any token" in problem and _char_at(text, mark) == "\t"
    if tab or "tab character that violates indentation" in problem:
        return mark, "a tab character is used for indentation; indent with spaces"
    context = exc.context or ""
    if context.startswith("while parsing a flow node"):  # a value missing before the end: find its bracket
        unclosed = _unclosed(text)
        if unclosed is not None:
            (line, col), opener = unclosed
            return _Mark(line, col), f"the '{opener}' opened here is never closed: {problem}"
        return mark, problem
    if context.startswith("while parsing a flow") and exc.context_mark is not None:
        opener = "[" if "sequence" in context else "{"
        return exc.context_mark, f"the '{opener}' opened here is never closed: {problem}"
    if problem.startswith(("mapping values are not allowed", "expected <block end>", "did not find expected")):
        misplaced = _misindented(text, mark)
        if misplaced is not None:
            return misplaced
    if problem.startswith("mapping values are not allowed"):
        return mark, f"{problem}; put quotes around a value that contains ': '"
    if "maximum nesting depth" in problem:
        return mark, "values are nested too deeply"
    return mark, problem
