"""Hostile content, loaded, hovered and clicked in Chromium: it shows as text, runs no script, and
makes no request beyond the site.

One site holds every case: glossary definitions, a body element's `title=`, docs pages'
front-matter titles and entity-encoded headings, nav titles long enough that Material's ellipsis
patch copies them into `title`, and an entity title with markup. Each payload calls alert(); a
dialog is script that ran. Markup that got in is seen before that: the Content-Security-Policy
refuses its event handler, and the visit fails on the violation the browser reports.

`playbook validate` refuses a `*[ABBR]: …` line and an image from another host in a body (E-ABBR,
E-EXTERNAL); the browser must hold even if one got through, so the site is built without them and
what they render to is then written into the built page.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, expect

from ..conftest import GOOD, ROOT, site_config
from .conftest import DESKTOP, Visit, serve, visit_site


def payload(name: str) -> str:
    """Markup that runs alert(name) wherever it becomes HTML."""
    return f"\"><img src=x onerror=alert('{name}')>"


WIDE = "Unbreakable" * 6
"""One word wider than the nav, so Material's ellipsis patch gives its entry a `title`."""
GLOSSARY = f"""
  - term: Hostile hover
    abbr: HOSTILE
    definition: {yaml.safe_dump(payload("glossary"), default_style='"').strip()}
  - term: Cost performance index
    abbr: CPI
    definition: CPI < 1 means over budget & late
"""
TITLED = html.escape(payload("title attribute"), quote=True)
BODY = f"""
Every HOSTILE word and every CPI report explains itself.

<span title="{TITLED}">A titled span</span>
"""
STANDARD = "standards/status-reporting/"
"""The page whose body holds the hostile Markdown (STD-001 of the good examples)."""
RENDERED = {
    STANDARD: f'<p><abbr title="{html.escape(payload("abbreviation line"))}">BODYABBR</abbr></p>',
    "pixel/": '<p><img alt="pixel" src="https://elsewhere.example/pixel.png"></p>',
}
"""What Python-Markdown makes of `BODYABBR` and `*[BODYABBR]: <payload>` in STD-001's body, and of
`![pixel](https://elsewhere.example/pixel.png)` in a docs page: written into the built pages."""
ENTITY_TITLE = f"<img src=x onerror=alert('entity title')> {WIDE}"
DOCS = {
    "index.md": "# Home\n\nThe HOSTILE word, here too.\n",
    "front-matter.md": (
        "---\n"
        + yaml.safe_dump(
            {
                "title": "</title><script>alert('front matter')</script><img src=x onerror=alert('front matter')>",
                "description": '"><meta http-equiv="refresh" content="0; url=https://elsewhere.example/">',
            }
        )
        + "---\n\nA page whose front matter is hostile.\n"
    ),
    "heading.md": "# T &lt;/title&gt;&lt;script&gt;alert('heading')&lt;/script&gt;&lt;img src=x onerror=alert('heading')&gt;\n\nBody.\n",
    "long.md": f"# &lt;img src=x onerror=alert('long heading')&gt; {WIDE}\n\nBody.\n",
    "pixel.md": "# Pixel\n\nA page with an image from another host.\n",
}
FRONT_MATTER_TITLE = yaml.safe_load(DOCS["front-matter.md"].split("---")[1])["title"]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good examples with every case above, built with --strict under /pmo-playbook/."""
    project = tmp_path_factory.mktemp("hostile")
    content = project / "standards"
    shutil.copytree(GOOD, content)
    _append(content / "glossary" / "glossary.yaml", GLOSSARY)  # terms: is its last key
    _append(content / "STD-001-status-reporting.md", BODY)
    weekly = content / "STD-002-weekly-status.yaml"
    weekly.write_text(
        re.sub(r"(?m)^title: .*$", f"title: {json.dumps(ENTITY_TITLE)}", weekly.read_text("utf-8")), "utf-8"
    )
    (project / "docs").mkdir()
    for name, text in DOCS.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "macros", project / "macros")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(site_config(content)), encoding="utf-8")
    site = project / "www" / "pmo-playbook"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)]
    done = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for path, rendered in RENDERED.items():
        page = site / path / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"{rendered}</article>", 1))
    return site


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)


@pytest.fixture
def reader(browser: Browser, hostile_url: str) -> Iterator[Visit]:
    """A reader of the hostile site."""
    yield from visit_site(browser, hostile_url, viewport=DESKTOP)


def no_markup_got_in(visit: Visit) -> None:
    """No script ran, and the policy refused nothing: no handler, script or frame came from content."""
    assert visit.dialogs == []
    assert visit.violations == []
    assert visit.page.locator("img[src='x']").count() == 0


def hover_tooltip(visit: Visit, target, text: str):
    """Hover `target`; Material's tooltip showing `text`, once visible."""
    target.hover()
    tooltip = visit.page.locator(".md-tooltip2", has_text=text)
    expect(tooltip).to_be_visible()
    return tooltip


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        ("HOSTILE", f"Hostile hover: {payload('glossary')}"),  # a glossary definition
        ("BODYABBR", payload("abbreviation line")),  # a *[ABBR]: line in a body
        ("CPI", "Cost performance index: CPI < 1 means over budget & late"),  # text that looks like markup
    ],
)
def test_an_abbreviation_tooltip_shows_its_definition_as_written(reader: Visit, word: str, shown: str):
    page = reader.open(STANDARD)
    abbr = page.locator("article abbr", has_text=word).first
    tooltip = hover_tooltip(reader, abbr, shown)
    expect(tooltip.locator(".md-tooltip2__inner")).to_have_text(shown)
    expect(tooltip.locator("img")).to_have_count(0)
    no_markup_got_in(reader)


def test_a_tooltip_reads_the_same_every_time_it_opens(reader: Visit):
    # Material puts back the title it read when a tooltip closes: it must get the text, not its escaped form
    shown = "Cost performance index: CPI < 1 means over budget & late"
    page = reader.open(STANDARD)
    abbr = page.locator("article abbr", has_text="CPI").first
    original = abbr.get_attribute("title")
    for _ in range(3):
        tooltip = hover_tooltip(reader, abbr, shown)
        expect(tooltip.locator(".md-tooltip2__inner")).to_have_text(shown)
        page.mouse.move(0, 0)
        expect(tooltip).to_be_hidden()
    assert abbr.get_attribute("title") == original
    no_markup_got_in(reader)


def test_a_title_attribute_in_a_body_shows_as_text(reader: Visit):
    page = reader.open(STANDARD)
    tooltip = hover_tooltip(reader, page.locator("article span", has_text="A titled span"), "onerror")
    expect(tooltip.locator(".md-tooltip2__inner")).to_have_text(payload("title attribute"))
    no_markup_got_in(reader)


def test_the_glossary_hovers_on_a_docs_page_too(reader: Visit):
    page = reader.open()
    hover_tooltip(reader, page.locator("article abbr", has_text="HOSTILE"), payload("glossary"))
    no_markup_got_in(reader)


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("front-matter/", FRONT_MATTER_TITLE),
        ("heading/", "T </title><script>alert('heading')</script><img src=x onerror=alert('heading')>"),
    ],
)
def test_a_docs_page_title_shows_as_text_in_the_nav_and_the_window_title(reader: Visit, path: str, title: str):
    page = reader.open(path)
    shown = page.title().replace("\u200b", "")  # the guard's zero-width space keeps "</title" from closing
    assert shown == f"{title} - PMO Playbook"
    expect(page.locator(".md-nav--primary a.md-nav__link--active")).to_have_text(title)
    expect(page.locator(".md-header__topic").last).to_have_text(title)
    assert page.locator("head script").count() == 1  # Material's own, not one from the title
    no_markup_got_in(reader)
    assert page.url == reader.base + path, "the description's meta refresh took the reader away"


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("long/", f"<img src=x onerror=alert('long heading')> {WIDE}"),  # a docs page's first heading
        (STANDARD, f"STD-002 {ENTITY_TITLE} (superseded)"),  # an entity's title, with its status out of force
    ],
)
def test_a_truncated_nav_title_shows_its_tooltip_as_text(reader: Visit, path: str, title: str):
    page = reader.open(path)
    entry = page.locator(".md-nav--primary a.md-nav__link", has_text=title)
    ellipsis = entry.locator(".md-ellipsis")
    assert ellipsis.evaluate("e => e.offsetWidth < e.scrollWidth"), "the title is not truncated"
    tooltip = hover_tooltip(reader, entry, title)
    expect(tooltip.locator(".md-tooltip2__inner")).to_have_text(title)
    no_markup_got_in(reader)


def test_a_search_result_shows_a_hostile_title_as_text(reader: Visit):
    page = reader.open()
    box = page.get_by_placeholder("Search")
    box.click()
    box.press_sequentially("hostile")  # the front-matter page's text
    result = page.locator(".md-search-result__link", has=page.locator("h1", has_text=FRONT_MATTER_TITLE))
    expect(result).to_be_visible()
    no_markup_got_in(reader)


def test_an_image_on_another_host_is_blocked_by_the_policy(reader: Visit):
    page = reader.open("pixel/")
    expect(page.locator("article img[src='https://elsewhere.example/pixel.png']")).to_have_count(1)
    reader.blocked("img-src https://elsewhere.example/pixel.png")
    assert reader.outside == []  # what the browser asked for was refused before it was sent


def test_clicking_through_hostile_pages_runs_nothing(reader: Visit):
    page = reader.open()
    for path in ("front-matter/", "heading/", "long/"):
        page.locator(f".md-nav--primary a[href$='{path}']").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url == reader.base + path
    page.locator(".md-nav--primary a[href$='standards/']").first.click()
    page.wait_for_load_state("networkidle")
    for abbr in page.locator("article abbr").all():
        abbr.hover()
    no_markup_got_in(reader)
