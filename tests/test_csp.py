"""The Content-Security-Policy module on HTML strings: which scripts it hashes, where its meta goes."""

from __future__ import annotations

import html
import re

import pytest

from playbook.site.csp import (
    KEEP_FRAGMENT,
    REDIRECT_POLICY,
    inline_scripts,
    page_policy,
    protect_page,
    script_hash,
    with_policy,
)
from playbook.site.redirects import redirect_html

THEME = '__md_scope=new URL("../..",location)'
PALETTE = 'var palette=__md_get("__palette")'
CONTENT = "<h1>Title</h1>\n<p>Text</p>\n<script>alert('content')</script>\n"
PAGE = f"""<!doctype html>
<html lang="en"><head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width">
  <title>a &lt;script&gt; in a title</title>
  <script>{THEME}</script>
</head>
<body>
  <script>{PALETTE}</script>
  <article>{CONTENT}</article>
  <script id="__config" type="application/json">{{"base": "../.."}}</script>
  <script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>
</body></html>
"""


def hashes(policy: str) -> list[str]:
    return re.findall(r"'sha256-[^']+'", policy)


def test_a_hash_is_the_one_browsers_compute():
    # the example of the CSP specification (w3c.github.io/webappsec-csp/#grammardef-hash-source)
    assert script_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    assert script_hash("a\r\nb\rc") == script_hash("a\nb\nc")  # as the parser hands it over


def test_the_theme_scripts_outside_the_content_are_hashed_and_nothing_else():
    policy = page_policy(PAGE, CONTENT)
    assert hashes(policy) == [script_hash(THEME), script_hash(PALETTE)]
    assert script_hash("alert('content')") not in policy
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-")
    for directive in ("object-src 'none'", "frame-src 'none'", "base-uri 'self'", "form-action 'self'"):
        assert directive in policy


@pytest.mark.parametrize(
    "content",
    [
        "<p>a</p><script>alert(1)</script>",
        "<p>an unclosed <script>alert(1)",  # would swallow the theme's scripts after it
        "<p>a</p><!-- <script>alert(1)</script>",  # an unclosed comment
        "<title><p>a</p>",  # raw text opened, never closed
    ],
)
def test_nothing_in_the_content_is_hashed_or_hides_a_theme_script(content: str):
    page = PAGE.replace(CONTENT, content)
    assert inline_scripts(page, content) == [THEME, PALETTE]


def test_script_like_text_outside_scripts_is_no_script():
    page = PAGE.replace("<title>", '<title><script>alert("title")</script>').replace(
        "<body>", "<body><!-- <script>alert('comment')</script> --><a title=\"<script>alert('attribute')</script>\">"
    )
    assert inline_scripts(page, CONTENT) == [THEME, PALETTE]


def test_without_its_content_only_the_head_scripts_of_a_page_count():
    assert inline_scripts(PAGE, "<p>not on the page</p>") == [THEME]


def test_the_meta_comes_right_after_the_charset_before_any_script():
    page = protect_page(PAGE, CONTENT)
    meta = page.index('<meta http-equiv="Content-Security-Policy"')
    assert page.index('<meta charset="utf-8">') < meta < page.index("<meta name=") < page.index("<script")
    assert with_policy("<html><head><title>x</title></head></html>", "default-src 'none'").startswith(
        '<html><head>\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
    )
    with pytest.raises(ValueError, match="no <head>"):
        with_policy("<p>no head</p>", "default-src 'none'")


def test_a_redirect_page_allows_only_the_script_that_keeps_the_fragment():
    page = redirect_html("STD-004/", "standards/brief/", "STD-004 Brief")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(REDIRECT_POLICY, quote=False)}">'
    assert page.index(meta) < page.index("<title>") < page.index("<script>") < page.index('http-equiv="refresh"')
    assert inline_scripts(page, "") == [KEEP_FRAGMENT]
    assert f"script-src {script_hash(KEEP_FRAGMENT)};" in REDIRECT_POLICY and "default-src 'none'" in REDIRECT_POLICY
