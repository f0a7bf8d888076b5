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
    assert "docs/index.md:4: E-TEMPLATE" in build_error(project, caplog)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_standard_body(payload, good_catalog, make_site, caplog):
    (good_catalog / "STD-001-status-reporting.md").write_text(f"Intro\n\n{payload}\n")
    assert "STD-001-status-reporting.md:3: E-TEMPLATE" in build_error(make_site(good_catalog), caplog)


def test_front_matter_cannot_turn_on_the_unsandboxed_engine(good_catalog, make_site, caplog):
    page = "---\nrender_macros: true\n---\n# Home\n\n{{ config }}\n"
    assert "docs/index.md:6: E-TEMPLATE 'config' is undefined" in build_error(
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
    expected = env.from_string(text).render()
    assert sandbox.render(text, env, source="x.md") == expected


@pytest.mark.parametrize("text", ["{{ self }}", "{% block b %}x{% endblock %}{{ self.b() }}", "{{ self|string }}"])
def test_self_is_undefined(text):
    """`self` is built into every Jinja template; it once printed `<TemplateReference None>` into pages."""
    from playbook.content.errors import PlaybookError
    from playbook.site import sandbox

    with pytest.raises(PlaybookError, match=r"^x\.md:2: E-TEMPLATE 'self' is undefined"):
        sandbox.render(f"Intro\n{text}\n", sandbox.make_environment({}), source="x.md")
