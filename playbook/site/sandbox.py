"""Render untrusted Markdown that may call the playbook macros, and nothing else.

Pages and Markdown bodies arrive through pull requests and are built in CI, so their
Jinja runs in an ImmutableSandboxedEnvironment with no globals but the playbook macros,
no attribute access at all, no loader (so no include/import/extends) and capped arithmetic.
Anything outside that fails the build with a message naming the file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from playbook.content.errors import PlaybookError

_MARKERS = ("{{", "{%", "{#")
_SIMPLE_CALL = re.compile(r"""\{\{[ \t]*([a-z_]+)\([ \t]*(?:"([^"\\{}\n]*)"|'([^'\\{}\n]*)')[ \t]*\)[ \t]*\}\}""")
"""`{{ ref("STD-004") }}`: a macro called with one string literal, the common case."""
_TEMPLATE_NAME = "<page>"
_MAX_PRODUCT = 100_000


class _Sandbox(ImmutableSandboxedEnvironment):
    """A sandbox stricter than Jinja's: every attribute and every unknown name is an error."""

    intercepted_binops = frozenset({"*", "**", "//", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return False  # macros take arguments; nothing in a page needs `x.y`

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        # Jinja returns an Undefined here, which `{% set x = ''.__class__ %}` never prints;
        # raising at once makes every attribute access fail the build.
        raise SecurityError(f"attribute access ('.{attribute}') is not allowed in playbook pages")

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # `self` (the template's blocks) is built into every template, not a global that
        # clearing `globals` removes: https://github.com/pallets/jinja/blob/3.1.6/src/jinja2/compiler.py#L884
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.Name):
            if node.name == "self" and node.ctx == "load":
                raise TemplateSyntaxError("'self' is undefined", node.lineno, name, filename)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        too_big = operator == "*" and numbers and abs(left) * abs(right) > _MAX_PRODUCT
        if operator == "**" or not numbers or too_big:
            raise SecurityError(f"'{operator}' is only allowed between small numbers")
        return super().call_binop(context, operator, left, right)


class MacroError(PlaybookError):
    """A macro was called with something it cannot use, such as an unknown id."""


def _line_of(exc: BaseException) -> int:
    """The template line the error happened on, from Jinja's rewritten traceback."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == _TEMPLATE_NAME and frame.lineno:
            return frame.lineno
    return 1


def _expand_simple_calls(text: str, env: ImmutableSandboxedEnvironment, source: str, first_line: int) -> str:
    """`text` with one-literal-argument macro calls expanded directly, exactly as Jinja would.

    Anything else is left for the sandboxed template, so this changes speed, not meaning.
    """

    def call(match: re.Match[str]) -> str:
        macro = env.globals.get(match.group(1))
        if not callable(macro):
            return match.group(0)  # unknown names fail in the template, with its message
        try:
            return str(macro(match.group(2) if match.group(2) is not None else match.group(3)))
        except MacroError as exc:
            line = text.count("\n", 0, match.start()) + first_line
            raise PlaybookError(f"{source}:{line}: E-MACRO {exc.message}") from None

    if "{%" in text or "{#" in text:
        return text  # raw blocks and comments change what a call means; leave it all to Jinja
    return _SIMPLE_CALL.sub(call, text)


def make_environment(macros: Mapping[str, Callable[..., str]]) -> ImmutableSandboxedEnvironment:
    """A sandbox whose only names are `macros`."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()  # drops range, lipsum, dict, cycler, joiner, namespace
    env.globals.update(macros)
    return env


def render(text: str, env: ImmutableSandboxedEnvironment, *, source: str, first_line: int = 1) -> str:
    """`text` with its macro calls expanded; PlaybookError naming `source:line` on any failure.

    `first_line` is the line of the file on which `text` starts (after front matter).
    """
    if not any(marker in text for marker in _MARKERS):
        return text
    simple = _expand_simple_calls(text, env, source, first_line)
    if not any(marker in simple for marker in _MARKERS):
        return simple  # compiling a template costs ~1.5 ms a page; most pages need none
    try:
        template = env.from_string(text)
        template.filename = _TEMPLATE_NAME
        return template.render()
    except MacroError as exc:
        line = _line_of(exc) + first_line - 1
        raise PlaybookError(f"{source}:{line}: E-MACRO {exc.message}") from None
    except (SecurityError, TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        line = _line_of(exc) + first_line - 1
        detail = str(exc) if not isinstance(exc, TemplateSyntaxError) else exc.message
        hint = 'pages may only call the playbook macros, such as {{ ref("STD-004") }}'
        raise PlaybookError(f"{source}:{line}: E-TEMPLATE {detail}; {hint}") from None
