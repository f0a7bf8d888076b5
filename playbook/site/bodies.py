"""Markdown bodies checked as the build will read them, without building; hand-written pages as they build.

`playbook validate` (and so the pre-commit hook and CI) renders every body's macros in the build's
sandbox and checks its Markdown (`markdown_checks.py`), so an unknown id in `ref()`, template code
other than the macros, a `javascript:` link or an image from another host fails before the build.
Pages under docs/ are checked the same way when the build reads them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from playbook.content.catalog import Catalog
from playbook.content.errors import Diagnostic, ValidationFailed
from playbook.content.validate import Result
from playbook.site import sandbox
from playbook.site.macros import make_macros
from playbook.site.markdown_checks import markdown_problems


def check_bodies(result: Result) -> Result:
    """`result` with the problems of its entities' Markdown bodies added."""
    catalog = Catalog.of(result.entities)
    env = sandbox.make_environment(make_macros(catalog, unchecked=result.declared - set(catalog.by_id)))
    found: list[Diagnostic] = []
    for entity in catalog.entities:
        body, source = entity.doc.body, entity.doc.body_display
        if not body:
            continue
        found += (Diagnostic(source, p.line, p.col, p.code, p.message) for p in markdown_problems(body))
        try:
            sandbox.render(body, env, source=source)
        except sandbox.TemplateProblem as problem:
            found.append(Diagnostic(source, problem.line, 1, problem.code, problem.detail))
    if not found:
        return result
    return replace(result, diagnostics=tuple(sorted({*result.diagnostics, *found})))


TAG = re.compile(r"[^\W_][\w .:/+-]*")
"""What a tag in a page's front matter may be: the theme prints tags into pages as HTML."""


def check_page(markdown: str, source: str, first_line: int = 1, *, tags: object = (), text: str = "") -> None:
    """ValidationFailed listing the problems of a hand-written page: its Markdown, which starts on
    `first_line` of the file `text`, and the `tags` of its front matter."""
    found = [Diagnostic(source, p.line + first_line - 1, p.col, p.code, p.message) for p in markdown_problems(markdown)]
    for tag in tags if isinstance(tags, list) else [tags] if tags else []:
        if not (isinstance(tag, str) and TAG.fullmatch(tag)):
            line = next((n for n, row in enumerate(text.splitlines(), 1) if str(tag) in row), 1)
            message = f"tag {str(tag)!r} may use letters, digits, spaces and - _ : . / + only"
            found.append(Diagnostic(source, line, 1, "E-TAG", message))
    if found:
        raise ValidationFailed(found)
