"""What a build refuses from docs/ and bounds in its own work: files the site would serve as itself,
links out of docs/, a page whose conversion runs away, glossary words that would corrupt pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .conftest import build, build_error

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.html", b"<script>alert(1)</script>", "'.html' files are not published"),
        ("evil.svg", b'<svg onload="alert(1)"/>', "'.svg' files are not published"),
        ("evil.js", b"alert(1)", "'.js' files are not published"),
        ("img/chart.png", b"<html><script>alert(1)</script>", "the file is not a .png file"),
        ("notes", b"plain", "files without an extension are not published"),
    ],
)
def test_a_file_the_site_would_serve_as_itself_stops_the_build(good_catalog, make_site, caplog, name, data, message):
    project = make_site(good_catalog)
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / name).write_bytes(data)
    error = build_error(project, caplog)
    assert f"docs/{name}:1:1: E-FILETYPE {message}" in error
    assert not (project / "site").exists()


def test_files_a_playbook_needs_are_published(good_catalog, make_site):
    project = make_site(good_catalog, {"index.md": "# Home\n\n![chart](img/chart.png) [notes](notes.txt)\n"})
    (project / "docs" / "img").mkdir()
    (project / "docs" / "img" / "chart.png").write_bytes(PNG)
    (project / "docs" / "notes.txt").write_text("Meeting notes.\n")
    site = build(project)
    assert (site / "img" / "chart.png").read_bytes() == PNG and (site / "notes.txt").is_file()


def test_stylesheets_and_scripts_named_in_mkdocs_yml_are_the_owner_s_choice(good_catalog, make_site):
    project = make_site(good_catalog)
    (project / "docs" / "extra.css").write_text(".md-header { color: navy }\n")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["extra_css"] = ["extra.css"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    assert (build(project) / "extra.css").is_file()


def test_a_link_out_of_docs_stops_the_build(good_catalog, make_site, caplog, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret")
    project = make_site(good_catalog)
    (project / "docs" / "leak.txt").symlink_to(secret)
    (project / "docs" / "page.md").symlink_to(secret)
    error = build_error(project, caplog)
    assert "docs/leak.txt:1:1: E-PATH a link to a file outside docs/" in error
    assert "docs/page.md:1:1: E-PATH" in error


def test_a_hand_written_page_is_read_as_bodies_are(good_catalog, make_site, caplog):
    page = "# Home\n\n![pixel](https://elsewhere.example/p.png)\n\n*[PMO]: <img src=x onerror=alert(1)>\n"
    error = build_error(make_site(good_catalog, {"index.md": page}), caplog)
    assert "docs/index.md:3:10: E-EXTERNAL" in error and "docs/index.md:5:1: E-ABBR" in error


def test_a_page_whose_conversion_runs_away_stops_the_build_naming_it(good_catalog, make_site, caplog, monkeypatch):
    from playbook.mkdocs import watchdog

    monkeypatch.setattr(watchdog, "PAGE_SECONDS", 0.0)  # every page is over: the first one ends the build
    monkeypatch.setattr(watchdog, "_TICK", 0.001)
    (good_catalog / "STD-001-status-reporting.md").write_text("word " * 200_000)  # a page that takes a while
    error = build_error(make_site(good_catalog), caplog)
    assert re.search(r"\S+: E-SIZE converting this page's Markdown took over 0 seconds; simplify it", error), error


def test_the_watchdog_leaves_no_timer_behind(good_catalog, make_site):
    import signal

    build(make_site(good_catalog))
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


@pytest.mark.parametrize("word", ["wzxhzdk", "35", "42"])  # each corrupted the page before
def test_a_glossary_word_from_markdown_s_placeholders_leaves_pages_whole(good_catalog, make_site, word):
    def page(site: Path) -> str:
        text = (site / "standards" / "status-reporting" / "index.html").read_text()
        return text[text.index("<article") : text.index("</article>")]

    body = "Costs & risks: see \\# and \\* here, <b>bold</b> and `code`.\n\n## A heading & more {: #more }\n"
    (good_catalog / "STD-001-status-reporting.md").write_text(body)
    project = make_site(good_catalog)
    before = page(build(project))
    glossary = good_catalog / "glossary" / "glossary.yaml"
    term = f'terms:\n  - term: "{word}"\n    definition: A word Markdown uses itself.\n'
    glossary.write_text(glossary.read_text().replace("terms:\n", term, 1))
    after = page(build(project))
    assert after == before  # the word is in the glossary, with no hover: nothing else on the page moved


@pytest.mark.parametrize("tag", ["<b>bold</b>", '"><img src=x onerror=alert(1)>', "a&amp;b"])
def test_a_page_tag_holding_markup_stops_the_build(good_catalog, make_site, caplog, tag):
    page = f"---\ntags:\n  - planning\n  - '{tag}'\n---\n# Home\n"
    error = build_error(make_site(good_catalog, {"index.md": page}), caplog)
    assert f"docs/index.md:4:1: E-TAG tag {tag!r} may use letters" in error


def test_plain_page_tags_build(good_catalog, make_site):
    page = '---\ntags:\n  - planning\n  - "risk: RAID"\n  - Phase 2/3\n---\n# Home\n'
    assert (build(make_site(good_catalog, {"index.md": page})) / "index.html").is_file()


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        (
            "status: 'new\"></span><script>alert(1)</script><span class=\"'",
            "'status' has a value a page may not give it",
        ),
        ("template: redirect.html\nlocation: 'https://evil.example/\"+alert(1)+\"'", "'template' is not allowed"),
        ('author: \'"><meta http-equiv="refresh" content="0;url=https://evil.example/">\'', "'author' is not allowed"),
        (
            'revision_date: \'<meta http-equiv="refresh" content="0;url=https://evil.example/">\'',
            "'revision_date' is not",
        ),
        ("icon: nope/nothing", "'icon' is not allowed"),
        ("hide: [everything]", "'hide' has a value a page may not give it"),
        ("search: {boost: lots}", "'search' has a value a page may not give it"),
    ],
)
def test_front_matter_the_theme_would_print_as_html_stops_the_build(
    good_catalog, make_site, caplog, front_matter, message
):
    page = f"---\n{front_matter}\n---\n# Home\n"
    error = build_error(make_site(good_catalog, {"index.md": page}), caplog)
    assert f"docs/index.md:2:1: E-FRONT-MATTER {message}" in error


def test_the_front_matter_a_page_may_hold_builds(good_catalog, make_site):
    page = (
        "---\ntitle: Home & more\ndescription: The start page.\nsubtitle: Read me first\ntags: [planning]\n"
        "hide: [toc, footer]\nsearch: {boost: 2, exclude: false}\nstatus: new\n---\n# Home\n"
    )
    assert "Home &amp; more" in (build(make_site(good_catalog, {"index.md": page})) / "index.html").read_text()


@pytest.mark.parametrize("target", ["/", "/usr", "."])
def test_a_link_to_a_folder_in_docs_stops_the_build_before_it_is_walked(good_catalog, make_site, caplog, target):
    project = make_site(good_catalog)
    (project / "docs" / "linked").symlink_to(Path(target) if target != "." else project / "docs")
    error = build_error(project, caplog)  # `/` was listed in full (24 GB) before any check ran
    assert error.count("E-PATH") == 1 and "docs/linked:1:1: E-PATH a link to a folder" in error


def test_many_pages_each_under_the_page_limit_still_end_the_build(good_catalog, make_site, caplog, monkeypatch):
    from playbook.mkdocs import watchdog

    monkeypatch.setattr(watchdog, "BUILD_SECONDS", 0.0)  # the whole build's allowance is used up at once
    monkeypatch.setattr(watchdog, "SECONDS_A_PAGE", 0.0)
    monkeypatch.setattr(watchdog, "_TICK", 0.001)
    (good_catalog / "STD-001-status-reporting.md").write_text("word " * 200_000)
    error = build_error(make_site(good_catalog), caplog)
    assert "E-SIZE converting this page's Markdown used the last of the time all pages may take" in error
