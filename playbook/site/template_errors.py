"""What rendering a page's template code can fail with: shared by the sandbox and its Jinja part."""

from __future__ import annotations

from playbook.content.errors import PlaybookError

HINT = 'pages may only call the playbook macros, such as {{ ref("STD-004") }}'


class TemplateProblem(PlaybookError):
    """Template code in a page that cannot be rendered: where it is and what is wrong."""

    def __init__(self, source: str, line: int, code: str, detail: str):
        self.source, self.line, self.code, self.detail = source, line, code, detail
        super().__init__(f"{source}:{line}:1: {code} {detail}")  # Jinja knows lines, not columns


class MacroError(PlaybookError):
    """A macro was called with something it cannot use, such as an unknown id."""


class OverBudget(Exception):
    """A page's macros wrote too much or took too long."""
