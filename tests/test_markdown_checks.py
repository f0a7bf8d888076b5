"""What a Markdown body or page may not hold, read before any converter: each case names its line and
column, and what a page may hold passes (tests/examples/bad/body-* run the same through `validate`)."""

from __future__ import annotations

import time

import markdown
import pytest

from playbook.site.markdown_checks import MAX_DEPTH, MAX_HEADINGS, MAX_UNMATCHED, markdown_problems, other_host, scheme

REFUSED = [
    ("[x](javascript:alert(1))", "E-LINK", 1, 5),
    ("[x](JaVaScRiPt:alert(1))", "E-LINK", 1, 5),
    ("[x](&#106;avascript:alert(1))", "E-LINK", 1, 5),
    ("[x](javascript&#58;alert(1))", "E-LINK", 1, 5),
    ("[x](java&#x09;script:alert(1))", "E-LINK", 1, 5),
    ("[x]( <javascript:alert(1)>)", "E-LINK", 1, 7),
    ('<a href=" JaVaScRiPt:alert(1)">d</a>', "E-LINK", 1, 10),
    ("<a href='vbscript:msgbox(1)'>v</a>", "E-LINK", 1, 10),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "E-LINK", 1, 5),
    ("Text\n\n[ref]: javascript:alert(1)", "E-LINK", 3, 8),
    ("<javascript:alert(1)>", "E-LINK", 1, 2),
    ('<form action="javascript:alert(1)"></form>', "E-LINK", 1, 15),
    ('<math><mi xlink:href="javascript:alert(1)">e</mi></math>', "E-LINK", 1, 23),
    ("![pixel](https://elsewhere.example/p.png)", "E-EXTERNAL", 1, 10),
    ("![pixel](//elsewhere.example/p.png)", "E-EXTERNAL", 1, 10),
    ("![pixel][p]\n\n[p]: https://elsewhere.example/p.png", "E-EXTERNAL", 3, 6),
    ('<img src="https://elsewhere.example/p.png">', "E-EXTERNAL", 1, 11),
    ('<img srcset="a.png 1x, https://elsewhere.example/p.png 2x">', "E-EXTERNAL", 1, 24),
    ('<video poster="https://elsewhere.example/p.png"></video>', "E-EXTERNAL", 1, 16),
    ("<iframe src=https://elsewhere.example/></iframe>", "E-EXTERNAL", 1, 13),
    ("*[RAID]: Risks, assumptions, issues, dependencies", "E-ABBR", 1, 1),
    ("Text \x1b[31m red", "E-CHAR", 1, 6),
    ("Text \u202e reversed", "E-CHAR", 1, 6),
    ("Text \u2028 split", "E-CHAR", 1, 6),
    ("[" * (MAX_UNMATCHED + 1), "E-SIZE", 1, 1),
    ("(" * (MAX_UNMATCHED + 1), "E-SIZE", 1, 1),
    ("<div>\n" * (MAX_DEPTH + 1), "E-SIZE", MAX_DEPTH + 1, 1),
    ("".join("  " * i + "- x\n" for i in range(2 * MAX_DEPTH + 4)), "E-SIZE", 2 * MAX_DEPTH + 3, 1),
    (">" * (MAX_DEPTH + 1) + " deep", "E-SIZE", 1, 1),
    ("|" + "a|" * 201, "E-SIZE", 1, 1),
]


@pytest.mark.parametrize(("text", "code", "line", "col"), REFUSED, ids=[c[0][:40] for c in REFUSED])
def test_refused_with_its_line_and_column(text: str, code: str, line: int, col: int):
    found = [(p.line, p.col, p.code) for p in markdown_problems(text)]
    assert found == [(line, col, code)], found


ALLOWED = [
    "See [the standard](../standards/status-reporting.md#r3) and [the site](https://pmo.example.org/).",
    "Write to [the PMO](mailto:pmo@example.org) or read <https://pmo.example.org/>.",
    "![chart](chart.png) and ![logo](../assets/logo.png){ width=80 }",
    "A table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    '<div markdown="1">\n\n- nested\n    - list\n\n</div>',
    "Code:\n\n```\n[x](javascript:alert(1))\n*[RAID]: not a definition here\n```\n",
    "~~~md\n![x](https://elsewhere.example/p.png)\n~~~\n",
    '{{ ref("STD-001", "[x](javascript:alert(1))") }} is escaped by the macro',
    "Costs (about 10%) and risks [see below] are (mostly) known.",
    "<ul>\n" + "<li>item\n" * 50 + "</ul>",  # end tags left out: no nesting
    "Tabs\tare fine, and so are line breaks.\r\n",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_what_a_page_may_hold_passes(text: str):
    assert list(markdown_problems(text)) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [("JaVa&#x09;Script:alert(1)", "javascript"), ("  https://x", "https"), ("../a.md", ""), ("#r3", "")],
)
def test_scheme_is_read_as_a_browser_reads_it(target: str, expected: str):
    assert scheme(target) == expected


def test_other_hosts():
    assert other_host("//x.example/a.png") and other_host("HTTPS://x.example/") and not other_host("a/b.png")


def test_a_limit_over_a_page_is_reported_once():
    problems = list(markdown_problems("[" * 300 + "\n" + "[" * 300))
    assert [p.code for p in problems] == ["E-SIZE"]


@pytest.mark.parametrize(
    "text",
    [
        "[" * MAX_UNMATCHED,
        "[a](" * (MAX_UNMATCHED // 2),
        '<div markdown="1">\n' * MAX_DEPTH + "x\n" + "</div>\n" * MAX_DEPTH,
        "".join("  " * i + "- x\n" for i in range(2 * MAX_DEPTH)),
    ],
)
def test_what_the_limits_let_through_converts_quickly(text: str):
    # the limits sit well below where Python-Markdown slows down: generous, so a loaded machine passes
    assert list(markdown_problems(text)) == []
    started = time.process_time()
    markdown.markdown(text, extensions=["md_in_html", "attr_list", "tables", "abbr", "def_list"])
    assert time.process_time() - started < 5


def test_too_many_headings_are_refused():
    # the table of contents tried _1, _2, … for each heading alike: 22,000 of them took minutes
    found = [(p.line, p.code) for p in markdown_problems("# Same\n" * (MAX_HEADINGS + 5))]
    assert found == [(MAX_HEADINGS + 1, "E-SIZE")]


@pytest.mark.parametrize(
    "text",
    [
        "Write `![a](https://intranet.example.com/a.png)` to show an image.",
        "The link syntax: ``[x](javascript:alert(1))`` is refused outside code.",
        '{{ ref("' + "9" * 5000 + '") }}',  # a long template expression is not indentation
    ],
)
def test_code_spans_and_template_expressions_are_not_read_as_markdown(text: str):
    assert list(markdown_problems(text)) == []


@pytest.mark.parametrize(
    "line",
    ["Pairing " + "`" * 80_000, "x}} " + "{{" * 100_000 + "#}", "{% " * 50_000 + "%}", "` ``" * 20_000],
)
def test_long_runs_of_markup_are_read_in_linear_time(line):
    # these took 2 to 40 s (backtracking from every opener) and now take about 0.01 s: the bound is generous
    def took(text: str) -> float:
        start = time.perf_counter()
        list(markdown_problems(text))
        return time.perf_counter() - start

    assert took(line) < 1.0


def test_many_unclosed_angle_brackets_are_refused():
    found = list(markdown_problems("<a " * 300))
    assert [(p.code, p.message) for p in found] == [("E-SIZE", "over 200 unmatched '<'; close them or escape them")]
    assert list(markdown_problems("if a < b then <b>bold</b>")) == []
