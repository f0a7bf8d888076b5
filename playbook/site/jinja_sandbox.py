"""Jinja's sandbox for the pages whose template code is more than simple macro calls.

Imported only when a page needs it (Jinja takes 50 ms to import, and most pages call macros with
one literal argument, which `sandbox.py` expands itself). The parsed template is checked before it
is compiled: only literal text and calls of the playbook macros with literal arguments pass, and
the first other construct is refused, named as a person would name it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from playbook.site.template_errors import HINT, MacroError, OverBudget, TemplateProblem

TEMPLATE_NAME = "<page>"
ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Call, nodes.Keyword, nodes.Name)
WHAT = {
    nodes.For: "a for loop", nodes.If: "an if block", nodes.Macro: "a macro definition",
    nodes.CallBlock: "a call block", nodes.Assign: "{% set %}", nodes.AssignBlock: "{% set %}",
    nodes.Include: "{% include %}", nodes.Import: "{% import %}", nodes.FromImport: "{% from … import %}",
    nodes.Extends: "{% extends %}", nodes.Block: "a block", nodes.Filter: "a filter", nodes.Test: "a test",
    nodes.Getattr: "attribute access", nodes.Getitem: "indexing", nodes.BinExpr: "arithmetic",
    nodes.Concat: "joining with ~", nodes.CondExpr: "an inline if",
}  # fmt: skip
"""How a refused construct is named in the message."""


class JinjaSandbox(ImmutableSandboxedEnvironment):
    """A sandbox that compiles only macro calls with literal arguments, and literal text."""

    intercepted_binops = frozenset({"*", "**", "//", "%", "+", "-", "/"})

    def __init__(self, macros: Mapping[str, Callable[..., str]], spend: Callable[[str], str]) -> None:
        """`spend` counts what each macro call writes against the page's budget."""
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self.spend = spend
        self.globals.clear()  # drops range, lipsum, dict, cycler, joiner, namespace
        self.globals.update(macros)
        self.filters.clear()  # nothing may call them; an empty table makes sure
        self.tests.clear()

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
        return __self.spend(result) if isinstance(result, str) else result


def render_template(env: JinjaSandbox, text: str, source: str, first_line: int) -> str:
    """`text` rendered as a checked template; TemplateProblem naming `source:line` on any failure."""
    try:
        template = env.from_string(text)
        template.filename = TEMPLATE_NAME
        return template.render()
    except MacroError as exc:
        raise TemplateProblem(source, _line_of(exc) + first_line - 1, "E-MACRO", exc.message) from None
    except (SecurityError, OverBudget, TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        detail = str(exc) if not isinstance(exc, TemplateSyntaxError) else exc.message
        raise TemplateProblem(source, _line_of(exc) + first_line - 1, "E-TEMPLATE", f"{detail}; {HINT}") from None


def _check(tree: nodes.Template, names: Mapping[str, Any], name: str | None, filename: str | None) -> None:
    """Refuse every construct but literal text and macro calls with literal arguments: the first one
    in the page, named as a person would (a for loop, a filter, an undefined name).

    `self`, the template's blocks, is built into every template as a name, not a global, and would
    otherwise print `<TemplateReference>`: https://github.com/pallets/jinja/blob/3.1.6/src/jinja2/compiler.py#L884
    """
    callees = {id(call.node) for call in tree.find_all(nodes.Call)}
    for node in tree.find_all(nodes.Node):  # every kind of node
        problem = ""
        if not isinstance(node, ALLOWED):
            problem = next((words for kind, words in WHAT.items() if isinstance(node, kind)), type(node).__name__)
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
        if frame.filename == TEMPLATE_NAME and frame.lineno:
            return frame.lineno
    return 1
