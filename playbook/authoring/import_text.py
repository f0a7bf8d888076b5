"""`playbook import`: how one line of a catalogue reads: the RFC 2119 level it states, its words
without markup, and the anchors it carries.

Every pattern here runs over untrusted lines of up to a whole file's size, so none may take more
than linear time: no lazy `.*?` searches that start again at every opener, and no label or tag
that may hold its own opening character.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

LOWER_CASE_WITHIN = 8
"""A keyword in lower case counts only among the first words ("Teams must …"), not deep in a sentence."""

ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""What an extra anchor may be (the schema's pattern)."""

TARGET = r"<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*"
"""A Markdown link's address (parentheses inside it balanced, as in `javascript:alert(1)`) and optional title."""
LABEL = r"\[([^\[\]\n]*)\]"
"""A link's words, in brackets (no brackets inside: each `[` is tried once)."""

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
"""A line opening or closing a fenced code block."""

_KEYWORD = re.compile(r"\b(must|shall|should|may)(?:[ \t]+(not))?\b", re.IGNORECASE)
_FIRST_WORDS = re.compile(rf"\s*(?:\S+\s+){{{LOWER_CASE_WITHIN}}}")
_QUESTION = re.compile(r"^(?:why|how|what|when|where|which|who)\b", re.IGNORECASE)
_ATTR_ID = re.compile(r"\{:?[ \t]*#([^\s{}]+)[^{}]*\}[ \t]*$")
_HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)\s*=\s*[\"']([^\"'<>]*)[\"'][^<>]*>\s*(?:</a>)?", re.IGNORECASE)
_IMAGE = re.compile(r"!" + LABEL + r"(?:\(\s*" + TARGET + r"\)|\[[^\[\]\n]*\])")
_LINK = re.compile(LABEL + r"(?:\(\s*" + TARGET + r"\)|\[[^\[\]\n]*\])")
_TAG = re.compile(r"<[^<>\n]*>")
_CODE = re.compile(r"`+")
_EMPHASIS = re.compile(r"(?<![\w\\])[*_]+(?=\S)|(?<=\S)[*_]+(?!\w)")
_SCRIPT = re.compile(r"<(script|style)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?:R|REQ-?)\d+[.:)]?\s+(?=\S)", re.IGNORECASE)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")


class Stated(NamedTuple):
    """A requirement level a statement states."""

    level: str
    text: str
    """The statement with its keyword in capitals (SHALL written as MUST)."""
    note: str
    """How the keyword was read, when not as written in capitals ('' otherwise)."""


def stated(words: str, *, capitals_only: bool = False) -> Stated | None:
    """The level `words` states: its first keyword in capitals, else (unless `capitals_only`) the first in
    lower case among its first words. "may not" is no level; a question ("Why you should …") states none."""
    early_end = found.end() if (found := _FIRST_WORDS.match(words)) else len(words)
    chosen = None
    for found in _KEYWORD.finditer(words):
        keyword, negated = found.group(1), found.group(2)
        if keyword.upper() == "MAY" and negated:
            continue
        if keyword.isupper():
            chosen = found
            break
        if chosen is None and not capitals_only and found.start() < early_end and not _QUESTION.match(words):
            chosen = found
    if chosen is None:
        return None
    keyword = chosen.group(1).upper()
    level = ("MUST" if keyword == "SHALL" else keyword) + (" NOT" if chosen.group(2) else "")
    as_written = " ".join(chosen.group().split())
    note = ""
    if keyword == "SHALL":
        note = f"'{as_written}' written as {level}"
    elif not chosen.group(1).isupper():
        note = f"lower-case '{as_written}' read as {level}"
    return Stated(level, words[: chosen.start()] + level + words[chosen.end() :], note)


def fence_after(fence: str, line: str) -> str:
    """The code fence open after `line` ('' for none), `fence` being the one open before it. A line is code
    when a fence is open before it or after it (the line opening one)."""
    opener = FENCE.match(line)
    if fence:
        closes = opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence)
        return "" if closes else fence
    return opener.group(1) if opener else ""


def has_link(markdown: str) -> bool:
    """Whether `markdown` holds a Markdown link."""
    return _LINK.search(markdown) is not None


def has_tag(markdown: str) -> bool:
    """Whether `markdown` holds an HTML tag (`<strong>`), other than an anchor (`<a id="…">`)."""
    return _TAG.search(_HTML_ANCHOR.sub("", markdown)) is not None


def plain(markdown: str) -> str:
    """`markdown` as one line of text: links as their words, no images, tags, emphasis or code marks, and
    nothing of a script or style element (its words are code, not text); a leading number such as `R1`
    or `REQ-2:` is the catalogue's, not the requirement's (the playbook numbers them itself)."""
    text = _IMAGE.sub("", _without_scripts(markdown))
    text = _LINK.sub(lambda found: found.group(1), text)
    text = _TAG.sub("", text)
    text = _CODE.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _NUMBERED.sub("", " ".join(_ESCAPED.sub(r"\1", text).split()))


def _without_scripts(text: str) -> str:
    """`text` without `<script>…</script>` and `<style>…</style>`, found in one pass (each closer is looked
    for once, from its opener on; an opener with no closer ends the search)."""
    lower, kept, at = text.lower(), [], 0
    while found := _SCRIPT.search(text, at):
        close = lower.find(f"</{found.group(1).lower()}", found.end())
        if close < 0:
            break
        end = lower.find(">", close)
        kept.append(text[at : found.start()])
        at = len(text) if end < 0 else end + 1
    return "".join(kept) + text[at:]


def anchors_in(words: str) -> tuple[str, list[str], list[str]]:
    """`words` without the ids written into it (`{#id}`, `<a id="id"></a>`), the ids that can be anchors,
    and those that cannot."""
    found: list[str] = []
    attr = _ATTR_ID.search(words)
    if attr:
        found.append(attr.group(1))
        words = words[: attr.start()]
    found += _HTML_ANCHOR.findall(words)
    words = _HTML_ANCHOR.sub("", words).strip()
    return words, [a for a in found if ANCHOR.fullmatch(a)], [a for a in found if not ANCHOR.fullmatch(a)]


def toc_slug(text: str) -> str:
    """The id MkDocs gives a heading (Python-Markdown's `toc` slugify): `You must scan` → `you-must-scan`."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def github_slug(text: str) -> str:
    """The id GitHub gives a heading: punctuation dropped, each space a hyphen (`A — b` → `a--b`)."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
