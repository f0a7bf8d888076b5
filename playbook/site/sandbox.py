"""Render untrusted Markdown that may call the playbook macros, and nothing else.

Pages and Markdown bodies arrive through pull requests and are built in CI. Their template code may
only be calls of the playbook macros with literal arguments (`{{ ref("STD-004") }}`), literal text
(`{{ '{{' }}`), comments and raw blocks: the parsed template is checked before it is compiled, so
loops, macros of one's own, filters, arithmetic, attribute access and every name but the macros are
refused, and nothing can run without bound. What the macros return is capped per page, and a page
that takes longer than RENDER_SECONDS is stopped. The environment is also Jinja's immutable sandbox
with no globals, no loader and no attribute access, should anything get past the check.
Every refusal is a TemplateProblem naming the file and line.

Calls of one macro with one literal argument, most pages' only template code, are expanded here;
Jinja (`jinja_sandbox.py`) is imported and compiles a template only for a page that needs more.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from playbook.site.template_errors import MacroError, OverBudget, TemplateProblem

if TYPE_CHECKING:
    from playbook.site.jinja_sandbox import JinjaSandbox

_MARKERS = ("{{", "{%", "{#")
_SIMPLE_CALL = re.compile(r"""\{\{[ \t]*([a-z_]+)\([ \t]*(?:"([^"\\{}\n]*)"|'([^'\\{}\n]*)')[ \t]*\)[ \t]*\}\}""")
"""`{{ ref("STD-004") }}`: a macro called with one string literal, the common case."""

__all__ = ["MacroError", "OverBudget", "TemplateProblem", "make_environment", "render"]

MAX_OUTPUT = 5_000_000
"""Characters the macros of one page may write (a table of 5,000 standards is under 1 MB)."""
RENDER_SECONDS = 10.0
"""How long the macros of one page may take; they take milliseconds."""


@dataclass
class _Budget:
    deadline: float
    output: int = 0

    def spend(self, text: str) -> str:
        self.output += len(text)
        if self.output > MAX_OUTPUT:
            raise OverBudget(f"the macros of this page write over {MAX_OUTPUT:,} characters")
        if time.monotonic() > self.deadline:
            raise OverBudget(f"the macros of this page take over {RENDER_SECONDS:g} seconds")
        return text


class Sandbox:
    """The macros pages may call, by name, and the budget of the page being rendered."""

    def __init__(self, macros: Mapping[str, Callable[..., str]]) -> None:
        self.globals: dict[str, Callable[..., str]] = dict(macros)
        self.budget = _Budget(deadline=float("inf"))
        self._jinja: JinjaSandbox | None = None

    def jinja(self) -> JinjaSandbox:
        """Jinja's sandbox with the same macros, made the first time a page needs it."""
        if self._jinja is None:
            from playbook.site.jinja_sandbox import JinjaSandbox

            self._jinja = JinjaSandbox(self.globals, lambda text: self.budget.spend(text))
        return self._jinja


def _expand_simple_calls(text: str, env: Sandbox, source: str, first_line: int) -> str:
    """`text` with one-literal-argument macro calls expanded directly, exactly as Jinja would.

    Anything else is left for the sandboxed template, so this changes speed, not meaning.
    """

    def call(match: re.Match[str]) -> str:
        macro = env.globals.get(match.group(1))
        line = text.count("\n", 0, match.start()) + first_line
        if not callable(macro):
            return match.group(0)  # unknown names fail in the template, with its message
        try:
            return env.budget.spend(str(macro(match.group(2) if match.group(2) is not None else match.group(3))))
        except MacroError as exc:
            raise TemplateProblem(source, line, "E-MACRO", exc.message) from None
        except OverBudget as exc:
            raise TemplateProblem(source, line, "E-TEMPLATE", str(exc)) from None

    if "{%" in text or "{#" in text:
        return text  # raw blocks and comments change what a call means; leave it all to Jinja
    return _SIMPLE_CALL.sub(call, text)


def make_environment(macros: Mapping[str, Callable[..., str]]) -> Sandbox:
    """A sandbox whose only names are `macros`."""
    return Sandbox(macros)


def render(text: str, env: Sandbox, *, source: str, first_line: int = 1) -> str:
    """`text` with its macro calls expanded; TemplateProblem naming `source:line` on any failure.

    `first_line` is the line of the file on which `text` starts (after front matter).
    """
    if not any(marker in text for marker in _MARKERS):
        return text
    env.budget = _Budget(deadline=time.monotonic() + RENDER_SECONDS)
    try:
        simple = _expand_simple_calls(text, env, source, first_line)
        if not any(marker in simple for marker in _MARKERS):
            return simple  # compiling a template costs ~1.5 ms a page; most pages need none
        from playbook.site.jinja_sandbox import render_template

        env.budget = _Budget(deadline=env.budget.deadline)  # the template renders every call again
        return render_template(env.jinja(), text, source, first_line)
    finally:
        env.budget = _Budget(deadline=float("inf"))
