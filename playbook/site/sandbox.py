"""Render untrusted Markdown that may call the playbook macros, and nothing else.

Pages and Markdown bodies arrive through pull requests and are built in CI. Their template code may
only be calls of the playbook macros with literal arguments (`{{ ref("STD-004") }}`), literal text
(`{{ '{{' }}`), comments and raw blocks: the parsed template is checked before it is compiled, so
loops, macros of one's own, filters, arithmetic, attribute access and every name but the macros are
refused, and nothing can run without bound. What the macros return is capped per page, and a page
that takes longer than RENDER_SECONDS is stopped. The environment is also Jinja's immutable sandbox
with no globals, no loader and no attribute access, should anything get past the check.
Every refusal is a TemplateProblem naming the file and line.
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from playbook.content.errors import PlaybookError

_MARKERS = ("{{", "{%", "{#")
_SIMPLE_CALL = re.compile(r"""\{\{[ \t]*([a-z_]+)\([ \t]*(?:"([^"\\{}\n]*)"|'([^'\\{}\n]*)')[ \t]*\)[ \t]*\}\}""")
"""`{{ ref("STD-004") }}`: a macro called with one string literal, the common case."""
_TEMPLATE_NAME = "<page>"
_HINT = 'pages may only call the playbook macros, such as {{ ref("STD-004") }}'

MAX_OUTPUT = 5_000_000
"""Characters the macros of one page may write (a table of 5,000 standards is under 1 MB)."""
RENDER_SECONDS = 10.0
"""How long the macros of one page may take; they take milliseconds."""

_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Call, nodes.Keyword, nodes.Name)
_WHAT = {
    nodes.For: "a for loop", nodes.If: "an if block", nodes.Macro: "a macro definition",
    nodes.CallBlock: "a call block", nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}",
    nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}", nodes.Block: "a block", nodes.Filter: "a filter", nodes.Test: "a test",
    nodes.Getattr: "attribute access", nodes.Getitem: "indexing", nodes.BinExpr: "arithmetic",
    nodes.Concat: "joining with ~", nodes.CondExpr: "an inline if",
}  # fmt: skip
"""How a refused construct is named in the message."""


class TemplateProblem(PlaybookError):
    """Template code in a page that cannot be rendered: where it is and what is wrong."""

    def __init__(self, source: str, line: int, code: str, detail: str):
        self.source, self.line, self.code, self.detail = source, line, code, detail
        super().__init__(f"{source}:{line}:1: {code} {detail}")  # Jinja knows lines, not columns


class MacroError(PlaybookError):
    """A macro was called with something it cannot use, such as an unknown id."""


class _OverBudget(SecurityError):
    """A page's macros wrote too much or took too long."""


@dataclass
class _Budget:
    deadline: float
    output: int = 0

    def spend(self, text: str) -> str:
        self.output += len(text)
        if self.output > MAX_OUTPUT:
            raise _OverBudget(f"the macros of this page write over {MAX_OUTPUT:,} characters")
        if time.monotonic() > self.deadline:
            raise _OverBudget(f"the macros of this page take over {RENDER_SECONDS:g} seconds")
        return text


class _Sandbox(ImmutableSandboxedEnvironment):
    """A sandbox that compiles only macro calls with literal arguments, and literal text."""

    intercepted_binops = frozenset({"*", "**", "//", "%", "+", "-", "/"})
    budget = _Budget(deadline=float("inf"))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return False  # macros take arguments; nothing in a page needs `x.y`

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"attribute access ('.{attribute}') is not allowed in playbook pages")

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _check(tree, self.globals, name, filename)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        raise SecurityError(f"'{operator}' is not allowed in playbook pages")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().call(__context, __obj, *args, **kwargs)
        return __self.budget.spend(result) if isinstance(result, str) else result


def _check(tree: nodes.Template, names: Mapping[str, Any], name: str | None, filename: str | None) -> None:
    """Refuse every construct but literal text and macro calls with literal arguments: the first one
    in the page, named as a person would (a for loop, a filter, an undefined name).

    `self`, the template's blocks, is built into every template as a name, not a global, and would
    otherwise print `<TemplateReference>`: https://github.com/pallets/jinja/blob/3.1.6/src/jinja2/compiler.py#L884
    """
    callees = {id(call.node) for call in tree.find_all(nodes.Call)}
    for node in tree.find_all(nodes.Node):  # every kind of node
        problem = ""
        if not isinstance(node, _ALLOWED):
            problem = next((words for kind, words in _WHAT.items() if isinstance(node, kind)), type(node).__name__)
            problem += " is not allowed"
        elif isinstance(node, nodes.Const) and not isinstance(node.value, str):
            problem = f"only text in quotes may be given, not {node.value!r:.40}"  # 1e999 compiled to `inf`
        elif isinstance(node, nodes.Name) and node.name not in names:
            problem = f"'{node.name}' is undefined"
        elif isinstance(node, nodes.Name) and id(node) not in callees:
            problem = f"{node.name} is a macro: call it, as {node.name}(…)"
        elif isinstance(node, nodes.Call):
            values = [*node.args, *(keyword.value for keyword in node.kwargs)]
            if not isinstance(node.node, nodes.Name) or node.dyn_args is not None or node.dyn_kwargs is not None:
                problem = "only a playbook macro may be called, by its name"
            elif not all(isinstance(value, nodes.Const) for value in values):
                problem = f'{node.node.name}() takes literal values, such as "STD-004"'
        if problem:
            raise TemplateSyntaxError(problem, node.lineno, name, filename)


def _line_of(exc: BaseException) -> int:
    """The template line the error happened on, from Jinja's rewritten traceback."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == _TEMPLATE_NAME and frame.lineno:
            return frame.lineno
    return 1


def _expand_simple_calls(text: str, env: _Sandbox, source: str, first_line: int) -> str:
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
        except _OverBudget as exc:
            raise TemplateProblem(source, line, "E-TEMPLATE", str(exc)) from None

    if "{%" in text or "{#" in text:
        return text  # raw blocks and comments change what a call means; leave it all to Jinja
    return _SIMPLE_CALL.sub(call, text)


def make_environment(macros: Mapping[str, Callable[..., str]]) -> ImmutableSandboxedEnvironment:
    """A sandbox whose only names are `macros`."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()  # drops range, lipsum, dict, cycler, joiner, namespace
    env.globals.update(macros)
    env.filters.clear()  # nothing may call them; an empty table makes sure
    env.tests.clear()
    return env


def render(text: str, env: ImmutableSandboxedEnvironment, *, source: str, first_line: int = 1) -> str:
    """`text` with its macro calls expanded; TemplateProblem naming `source:line` on any failure.

    `first_line` is the line of the file on which `text` starts (after front matter).
    """
    if not any(marker in text for marker in _MARKERS):
        return text
    assert isinstance(env, _Sandbox), "render only in an environment from make_environment"
    env.budget = _Budget(deadline=time.monotonic() + RENDER_SECONDS)
    try:
        simple = _expand_simple_calls(text, env, source, first_line)
        if not any(marker in simple for marker in _MARKERS):
            return simple  # compiling a template costs ~1.5 ms a page; most pages need none
        env.budget = _Budget(deadline=env.budget.deadline)  # the template renders every call again
        template = env.from_string(text)
        template.filename = _TEMPLATE_NAME
        return template.render()
    except MacroError as exc:
        raise TemplateProblem(source, _line_of(exc) + first_line - 1, "E-MACRO", exc.message) from None
    except (SecurityError, TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        detail = str(exc) if not isinstance(exc, TemplateSyntaxError) else exc.message
        raise TemplateProblem(source, _line_of(exc) + first_line - 1, "E-TEMPLATE", f"{detail}; {_HINT}") from None
    finally:
        env.budget = _Budget(deadline=float("inf"))
