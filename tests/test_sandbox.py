"""Template payloads in docs pages and in Markdown bodies fail the build and run nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import build_error

CANARY = "/tmp/pmo-playbook-sandbox-canary"
PAYLOADS = [
    "{{ config }}",
    "{{ lipsum.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{% set x = ''.__class__ %}",
    "{{ cycler.__init__.__globals__.os.system('touch " + CANARY + "') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ref.__globals__ }}",
    "{{ (ref|attr('__globals__'))['os'].system('touch " + CANARY + "') }}",
    "{% include '/etc/passwd' %}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ environment }}",
    "{{ macros }}",
]


@pytest.fixture(autouse=True)
def no_canary():
    Path(CANARY).unlink(missing_ok=True)
    yield
    assert not Path(CANARY).exists(), "a payload executed"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_docs_page(payload, good_catalog, make_site, caplog):
    project = make_site(good_catalog, {"index.md": f"# Home\n\nText\n{payload}\n"})
    assert "docs/index.md:4:1: E-TEMPLATE" in build_error(project, caplog)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_standard_body(payload, good_catalog, make_site, caplog):
    (good_catalog / "STD-001-status-reporting.md").write_text(f"Intro\n\n{payload}\n")
    assert "STD-001-status-reporting.md:3:1: E-TEMPLATE" in build_error(make_site(good_catalog), caplog)


def test_front_matter_cannot_turn_on_the_unsandboxed_engine(good_catalog, make_site, caplog):
    page = "---\nrender_macros: true\n---\n# Home\n\n{{ config }}\n"
    assert "docs/index.md:6:1: E-TEMPLATE 'config' is undefined" in build_error(
        make_site(good_catalog, {"index.md": page}), caplog
    )


@pytest.mark.parametrize(
    "text",
    [
        "See {{ ref(\"STD-001\") }} and {{ref('STD-001#R2')}}.",
        ' {{- ref("STD-001") -}} !',
        '{{ ref("STD-001") }} {% raw %}{{ ref("x") }}{% endraw %}',
        '{{ ref("STD-001") }} {{ ref("STD-001", "the standard") }}',
    ],
)
def test_fast_path_renders_exactly_like_jinja(text):
    """Simple calls skip template compilation; the output must not change."""
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site import sandbox
    from playbook.site.macros import make_macros

    from .conftest import GOOD

    env = sandbox.make_environment(make_macros(Catalog.of(validate_tree(GOOD).entities)))
    expected = env.jinja().from_string(text).render()
    assert sandbox.render(text, env, source="x.md") == expected


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("{{ self }}", "'self' is undefined"),
        ("{% block b %}x{% endblock %}{{ self.b() }}", "a block is not allowed"),
        ("{{ self|string }}", "a filter is not allowed"),
    ],
)
def test_self_is_refused(text, refusal):
    """`self` is built into every Jinja template; it once printed `<TemplateReference None>` into pages."""
    from playbook.content.errors import PlaybookError
    from playbook.site import sandbox

    with pytest.raises(PlaybookError, match=rf"^x\.md:2:1: E-TEMPLATE {refusal}"):
        sandbox.render(f"Intro\n{text}\n", sandbox.make_environment({}), source="x.md")


REFUSED_CONSTRUCTS = [
    ("{% for x in 'abc' %}{{ x }}{% endfor %}", "a for loop is not allowed"),
    ("{% macro f(n) %}{{ f(n-1) }}{{ f(n-1) }}{% endmacro %}{{ f(40) }}", "a macro definition is not allowed"),
    ("{{ 'x'|center(2000000000) }}", "a filter is not allowed"),
    ("{{ 'x'|center(99999999999999) }}", "a filter is not allowed"),
    ("{% if true %}x{% endif %}", "an if block is not allowed"),
    ("{% set x = 1 %}", "{% set %} is not allowed"),
    ("{{ 'a' ~ 'b' }}", "joining with ~ is not allowed"),
    ("{{ 2 + 2 }}", "arithmetic is not allowed"),
    ("{{ ref('STD-001') if 1 else '' }}", "an inline if is not allowed"),
    ("{{ ref(ref('STD-001')) }}", 'ref() takes literal values, such as "STD-004"'),
    ("{{ ref(**{'target': 'STD-001'}) }}", "only a playbook macro may be called, by its name"),
    ("{{ ref }}", "ref is a macro: call it, as ref(…)"),
    ("{{ 'abc'[0] }}", "indexing is not allowed"),
    ("{% include 'x' %}", "{% include %} is not allowed"),
    ("{% extends 'x' %}", "{% extends %} is not allowed"),
    ("{% call ref('STD-001') %}x{% endcall %}", "a call block is not allowed"),
    ("{{ x is defined }}", "a test is not allowed"),
]


@pytest.fixture(scope="module")
def environment():
    from playbook.content.catalog import Catalog
    from playbook.content.validate import validate_tree
    from playbook.site import sandbox
    from playbook.site.macros import make_macros

    from .conftest import GOOD

    return sandbox.make_environment(make_macros(Catalog.of(validate_tree(GOOD).entities)))


@pytest.mark.parametrize(("text", "refusal"), REFUSED_CONSTRUCTS)
def test_only_macro_calls_with_literal_values_compile(text, refusal, environment):
    from playbook.site import sandbox

    with pytest.raises(sandbox.TemplateProblem) as refused:
        sandbox.render(f"Intro\n\n{text}\n", environment, source="x.md")
    assert (refused.value.line, refused.value.code) == (3, "E-TEMPLATE")
    assert refused.value.detail.startswith(refusal), refused.value.detail


@pytest.mark.parametrize(
    "text",
    [
        "{{ '{{' }} ref(\"STD-001\") {{ '}}' }}",
        '{% raw %}{{ anything }}{% endraw %} {# a comment #} {{ ref("STD-001") }}',
        '{{ ref("STD-001", label="the standard") }} {{ standards_table(status="active", tag="reporting") }}',
    ],
)
def test_literal_text_comments_raw_blocks_and_macro_calls_render(text, environment):
    from playbook.site import sandbox

    assert "{%" not in sandbox.render(text, environment, source="x.md")


@pytest.mark.parametrize(
    ("text", "limit", "message"),
    [
        ('{{ ref("STD-001") }}\n' * 50, ("MAX_OUTPUT", 500), "write over 500 characters"),  # the fast path
        ('{# x #}{{ ref("STD-001") }}\n' * 50, ("MAX_OUTPUT", 500), "write over 500 characters"),  # compiled
        ("{{ standards_table() }}\n" * 3, ("RENDER_SECONDS", -1.0), "take over -1 seconds"),
    ],
)
def test_a_page_s_macros_have_an_output_and_a_time_budget(text, limit, message, environment, monkeypatch):
    from playbook.site import sandbox

    monkeypatch.setattr(sandbox, *limit)
    with pytest.raises(sandbox.TemplateProblem) as refused:
        sandbox.render(text, environment, source="x.md")
    assert refused.value.code == "E-TEMPLATE" and message in refused.value.detail


def test_a_body_with_a_runaway_macro_fails_validate_before_any_build(good_catalog):
    from click.testing import CliRunner

    from playbook.cli import main

    body = "{% macro f(n) %}{{ f(n-1) }}{{ f(n-1) }}{% endmacro %}{{ f(60) }}\n"
    (good_catalog / "STD-001-status-reporting.md").write_text(body)
    result = CliRunner().invoke(main, ["validate", str(good_catalog)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "STD-001-status-reporting.md:1:1: E-TEMPLATE a macro definition is not allowed" in result.output


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("{{ ref(1e999) }}", "only text in quotes may be given"),  # compiled to the name `inf`: a NameError
        ("{{ standards_table(status=1e999) }}", "only text in quotes may be given"),
        ("{{ 5 }}", "only text in quotes may be given"),
        ("{{ ref(" + "9" * 5000 + ") }}", "Exceeds the limit (4300 digits)"),  # Python's own words, no traceback
    ],
)
def test_only_text_may_be_given(text, refusal, environment):
    from playbook.site import sandbox

    with pytest.raises(sandbox.TemplateProblem) as refused:
        sandbox.render(text, environment, source="x.md")
    assert refused.value.code == "E-TEMPLATE" and refusal in refused.value.detail
