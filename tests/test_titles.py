"""Titles as text: page titles for the nav and <title>, and the script that keeps tooltips text."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from playbook.site.nav import nav_title, page_title
from playbook.site.tooltips import guard_titles

BUNDLE = '<script src="{}assets/javascripts/bundle.a5f9d56c.min.js"></script>'


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("T &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "T </title><script>alert(1)</script>"),  # a heading
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),  # front matter
        ("A &amp; B", "A & B"),
        ("AT&T", "AT&T"),
    ],
)
def test_a_page_title_shows_as_written_and_cannot_close_the_title_element(title: str, shown: str):
    guarded = page_title(title)
    assert "<" not in guarded and ">" not in guarded
    assert Markup(guarded).unescape().replace("\u200b", "") == shown  # what the nav shows
    assert "</" not in Markup(guarded).striptags()  # Material's <title>: striptags unescapes once


@pytest.mark.parametrize("label", ["STD-1 </title><script>x</script>", "&amp; & \"q\" 'a'", "&copy", "A <\u200b/b>"])
def test_a_nav_title_already_guarded_is_not_escaped_again(label: str):
    assert page_title(nav_title(label)) == nav_title(label)


@pytest.mark.parametrize("prefix", ["", "../../", "/pmo-playbook/"])
def test_the_title_guard_loads_just_before_the_theme_bundle(prefix: str):
    page = f"<head></head><body><p>x</p>{BUNDLE.format(prefix)}</body>"
    guarded = guard_titles(page, "assets/playbook/titles.js")
    assert f'<script src="{prefix}assets/playbook/titles.js"></script>{BUNDLE.format(prefix)}' in guarded
    assert guard_titles("<body><p>no theme</p></body>", "assets/playbook/titles.js") == "<body><p>no theme</p></body>"
