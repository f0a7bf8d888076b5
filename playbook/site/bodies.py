"""Markdown bodies checked as the build will read them, without building; hand-written pages as they build.

`playbook validate` (and so the pre-commit hook and CI) renders every body's macros in the build's
sandbox and checks its Markdown (`markdown_checks.py`), so an unknown id in `ref()`, template code
other than the macros, a `javascript:` link or an image from another host fails before the build.
Pages under docs/ are checked the same way when the build reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from playbook.content.catalog import Catalog
from playbook.content.errors import Diagnostic, ValidationFailed
from playbook.content.load import Document, format_path, per_document
from playbook.content.validate import Result
from playbook.site import sandbox
from playbook.site.macros import make_macros
from playbook.site.markdown_checks import Problem, Target, markdown_problems
from playbook.site.site_links import SitePages


def check_bodies(result: Result) -> Result:
    """`result` with the problems of its entities' Markdown bodies added."""
    return rendered_bodies(result)[0]


class Rendered:
    """The bodies an earlier call rendered (`playbook serve`), each with its document, and what the
    macros could show then."""

    def __init__(self) -> None:
        self.face: tuple[Any, ...] = ()
        self.bodies: dict[str, tuple[Document, str | Diagnostic]] = {}


def rendered_bodies(result: Result, kept: Rendered | None = None) -> tuple[Result, dict[str, str]]:
    """`result` with the problems of its entities' Markdown bodies added, and each body with its macros
    expanded, by entity id, so a build need not render them a second time.

    With `kept` (`playbook serve`), a body is rendered again only when its file changed or the macros
    may show something else: another entity's face or requirements (`faces.listing_face`).
    """
    catalog = Catalog.of(result.entities)
    unchecked = result.declared - set(catalog.by_id)
    env = sandbox.make_environment(make_macros(catalog, unchecked=unchecked))
    pages = SitePages(catalog, failed={d.file for d in result.diagnostics})
    last: dict[str, tuple[Document, str | Diagnostic]] = {}
    if kept is not None:
        from playbook.site.faces import listing_face  # the exports it reads: not for `playbook validate`

        face = (listing_face(catalog), unchecked)
        last = kept.bodies if kept.face == face else {}
        kept.face, kept.bodies = face, {}
    found: list[Diagnostic] = []
    rendered: dict[str, str] = {}
    for entity in catalog.entities:
        problems, links = _guidance_problems(entity.doc)
        found += problems + _dead_ends(pages, entity.src_uri, entity.doc.display, links)
        body, source = entity.doc.body, entity.doc.body_display
        if not body:
            continue
        body_problems, targets = _body_problems(entity.doc)
        found += (Diagnostic(source, p.line, p.col, p.code, p.message) for p in body_problems)
        found += _dead_ends(pages, entity.src_uri, source, (_Link(t.line, t.col, "", t.address) for t in targets))
        old = last.get(entity.id)
        if old is not None and old[0] is entity.doc:
            outcome = old[1]
        else:
            try:
                outcome = sandbox.render(body, env, source=source)
            except sandbox.TemplateProblem as problem:
                outcome = Diagnostic(source, problem.line, 1, problem.code, problem.detail)
        if kept is not None:
            kept.bodies[entity.id] = (entity.doc, outcome)
        if isinstance(outcome, Diagnostic):
            found.append(outcome)
        else:
            rendered[entity.id] = outcome
    if not found:
        return result, rendered
    return replace(result, diagnostics=tuple(sorted({*result.diagnostics, *found}))), rendered


class _Link(NamedTuple):
    """A link into the site: its line and column in the file, the field holding it ('' in a body), its address."""

    line: int
    col: int
    where: str
    address: str


def _dead_ends(pages: SitePages, page: str, source: str, links: Iterable[_Link]) -> tuple[Diagnostic, ...]:
    """E-LINK-TARGET for each of `links`, in the page `page` from the file `source`, that leads nowhere."""
    return tuple(
        Diagnostic(source, at.line, at.col, "E-LINK-TARGET", why, where=at.where)
        for at in links
        if (why := pages.dead_end(page, at.address))
    )


@per_document
def _body_problems(doc: Document) -> tuple[tuple[Problem, ...], tuple[Target, ...]]:
    """The problems of the body's Markdown, and its links into the site."""
    targets: list[Target] = []
    return tuple(markdown_problems(doc.body or "", targets=targets)), tuple(targets)


@per_document
def _guidance_problems(doc: Document) -> tuple[tuple[Diagnostic, ...], tuple[_Link, ...]]:
    """The problems of each requirement's guidance (Markdown inside the YAML), and its links into the site,
    at their lines in the file."""
    requirements = doc.data.get("requirements") if doc.data.get("kind") == "Standard" else None
    found, links = [], []
    for i, requirement in enumerate(requirements or ()):
        guidance = requirement.get("guidance") if isinstance(requirement, dict) else None
        if not isinstance(guidance, str):
            continue
        path = ("requirements", i, "guidance")
        line, col = doc.pos(path)
        style = doc.style(path)
        if style in ("|", ">"):  # `guidance: |`: the text starts on the next line, indented two past its key
            line, col = line + 1, doc.pos(path, key=True)[1] + 2
        elif style:
            col += 1  # after the opening quote
        targets: list[Target] = []
        where = format_path(path)
        for p in markdown_problems(guidance, macros=False, targets=targets):
            found.append(Diagnostic(doc.display, line + p.line - 1, col + p.col - 1, p.code, p.message, where=where))
        for t in targets:
            links.append(_Link(line + t.line - 1, col + t.col - 1, where, t.address))
    return tuple(found), tuple(links)


TAG = re.compile(r"[^\W_][\w .:/+-]*")
"""What a tag in a page's front matter may be: the theme prints tags into pages as HTML."""
HIDE = frozenset({"navigation", "toc", "footer", "tags", "feedback", "path"})
TOKEN = re.compile(r"[a-z0-9][a-z0-9-]*")
FRONT_MATTER: dict[str, Callable[[Any], bool]] = {
    "title": lambda v: isinstance(v, str),  # printed escaped: the plugin guards page titles
    "description": lambda v: isinstance(v, str),
    "subtitle": lambda v: isinstance(v, str),
    "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) and TAG.fullmatch(t) for t in v),
    "hide": lambda v: isinstance(v, list) and all(h in HIDE for h in v),
    "search": lambda v: (
        isinstance(v, dict)
        and set(v) <= {"exclude", "boost"}
        and isinstance(v.get("exclude", False), bool)
        and isinstance(v.get("boost", 1), int | float)
    ),
    "status": lambda v: isinstance(v, str) and bool(TOKEN.fullmatch(v)),
    "render_macros": lambda v: True,  # mkdocs-macros' switches: macros/ renders every page in the sandbox anyway
    "ignore_macros": lambda v: True,
}
"""The front matter a page under docs/ may hold, and what each value may be. The theme prints some
keys into every page as HTML (`status`, `author`, `revision_date`), picks a template by another
(`template: redirect.html` runs script from `location`), and looks up files by a third (`icon`)."""


def check_page(
    markdown: str, source: str, first_line: int = 1, *, meta: Mapping[str, Any] | None = None, text: str = ""
) -> None:
    """ValidationFailed listing the problems of a hand-written page: its Markdown, which starts on
    `first_line` of the file `text`, and the front matter `meta`."""
    found = [Diagnostic(source, p.line + first_line - 1, p.col, p.code, p.message) for p in markdown_problems(markdown)]
    lines = text.splitlines()
    for key, value in (meta or {}).items():
        line = next((n for n, row in enumerate(lines[: first_line - 1], 1) if row.startswith(f"{key}:")), 1)
        if key not in FRONT_MATTER:
            allowed = ", ".join(sorted(k for k in FRONT_MATTER if not k.endswith("macros")))
            found.append(
                Diagnostic(
                    source,
                    line,
                    1,
                    "E-FRONT-MATTER",
                    f"'{key}' is not allowed in a page's front matter; allowed: {allowed}",
                )
            )
        elif key == "tags" and isinstance(value, list):
            for tag in value:
                if not (isinstance(tag, str) and TAG.fullmatch(tag)):
                    at = next((n for n, row in enumerate(lines, 1) if str(tag) in row), line)
                    message = f"tag {str(tag)!r} may use letters, digits, spaces and - _ : . / + only"
                    found.append(Diagnostic(source, at, 1, "E-TAG", message))
        elif not FRONT_MATTER[key](value):
            found.append(
                Diagnostic(
                    source,
                    line,
                    1,
                    "E-FRONT-MATTER",
                    f"'{key}' has a value a page may not give it: {str(value)[:60]!r}",
                )
            )
    if found:
        raise ValidationFailed(found)
