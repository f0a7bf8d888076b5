"""`playbook import`, step 3: one catalogue file, taken apart, as the data of a Standard and its body.

The front matter gives the title, summary, tags, status and date; each statement a requirement; the
prose around them the body, less the links of a "Further reading" section, which become `related`.
What does not fit the playbook's format is left out or changed, with a note at its line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from playbook.authoring.import_clean import Resolve, clean
from playbook.authoring.import_markdown import HEADING, RELATED, Line, Parsed, Unimportable
from playbook.authoring.import_text import ANCHOR, LABEL, TARGET, plain
from playbook.authoring.scaffold import slugify
from playbook.content.characters import NEVER, character_name
from playbook.content.rules import LATEST
from playbook.content.status import Status

FIRST_VERSION = "1.0.0"
MAPPED = frozenset({"title", "id", "date", "tags", "status", "summary", "description"})
"""Front matter keys the import reads; any other is reported as not imported."""
STATUSES = tuple(str(s) for s in Status if s != Status.SUPERSEDED)
"""What an imported standard may be: a superseded one needs the standard that replaced it, which no
catalogue file names."""
SUMMARY = (10, 400)
TITLE = (3, 120)
LINK_TITLE = (3, 200)
MAX_URL = 2000
_LINK_ITEM = re.compile(
    r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(?:" + LABEL + r"\(\s*" + TARGET + r"\)|<?(https?://[^\s>]+)>?)(.*)$"
)
_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z0-9]|$)")
_OWN = re.compile(r"r[0-9]+")
"""A requirement's own anchor on the page (`#r3`), which no extra anchor may take."""
_DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]|$)")


@dataclass(frozen=True)
class Options:
    """What `playbook import`'s options set on every standard it writes."""

    today: str
    """The day of the import, `YYYY-MM-DD`."""
    owner: str = "pmo-lead"
    """The Role id that owns every imported standard."""
    status: str = "active"
    """The status of a standard whose front matter gives none of the playbook's."""
    review_every: int | None = None
    """Months between reviews, counted from the source's date; None for no review cycle."""


@dataclass(frozen=True)
class Made:
    """One standard made from a catalogue file: its data, its Markdown body ('' for none) and the notes."""

    data: dict[str, Any]
    body: str
    notes: tuple[tuple[int, str], ...]
    renamed: tuple[tuple[int, str, str], ...]
    """(line, tag, the name the file gave) of each tag written other than as given: what `import_tags` keeps."""


def title_of(parsed: Parsed) -> str:
    """The title: the front matter's, else the opening level-1 heading; Unimportable if neither."""
    title = parsed.front.get("title")
    title = _one_line(str(title)) if isinstance(title, str | int | float) else parsed.first_heading
    if len(title) < TITLE[0]:
        raise Unimportable(
            parsed.key_lines.get("title", 1), "no title: give the front matter a 'title' of 3 or more characters"
        )
    return title[: TITLE[1]].rstrip()


def make_standard(parsed: Parsed, entity_id: str, source: str, options: Options, resolve: Resolve) -> Made:
    """The standard `entity_id` made from `parsed`, imported from `source`; Unimportable if it cannot be."""
    notes = list(parsed.notes)
    front, lines = parsed.front, parsed.key_lines
    notes += [(lines.get(str(key), 1), f"front matter '{key}' not imported") for key in front if key not in MAPPED]
    title = title_of(parsed)
    if len(_one_line(str(front.get("title", "")))) > TITLE[1]:
        notes.append((lines["title"], f"title cut to {TITLE[1]} characters"))
    day = _date(front.get("date"), lines.get("date", 1), options.today, notes)
    requirements, linked = _requirements(parsed, resolve, notes)
    summary, taken = _summary(parsed, title, notes)
    body, related = _body(parsed, resolve, notes, taken)
    related = [item for item in [*related, *linked] if item != entity_id]
    tags, renamed = _tags(front.get("tags"), lines.get("tags", 1), notes)
    data: dict[str, Any] = {
        "apiVersion": "playbook/v1",
        "kind": "Standard",
        "id": entity_id,
        "title": title,
        "summary": summary,
        "tags": tags,
        "owner": options.owner,
        "status": _status(front.get("status"), lines.get("status", 1), options.status, notes),
        "version": FIRST_VERSION,
        "effective": day,
    }
    if options.review_every:
        reviewed = min(day, options.today)
        if reviewed != day:
            notes.append((lines.get("date", 1), f"last_reviewed set to today ({options.today}): the date is ahead"))
        data |= {"last_reviewed": reviewed, "review_every": options.review_every}
    if related:
        data["related"] = list({_key(item): item for item in related}.values())
    data |= {
        "requirements": requirements,
        "changelog": [{"version": FIRST_VERSION, "date": day, "summary": f"Imported from {source}."}],
        "imported_from": {"source": source, "date": options.today},
    }
    return Made(data, body, tuple(sorted(set(notes))), tuple(renamed))


def _requirements(parsed: Parsed, resolve: Resolve, notes: list[tuple[int, str]]) -> tuple[list[dict], list[str]]:
    """The requirements R1, R2… and the ids of the imported standards their guidance links to."""
    if not parsed.statements:
        raise Unimportable(
            1, "no requirements: no list item or heading states MUST, MUST NOT, SHOULD, SHOULD NOT or MAY"
        )
    taken: set[str] = set()
    made, linked = [], []
    for n, statement in enumerate(parsed.statements, start=1):
        text = _one_line(statement.text, statement.line, notes)
        if len(text) < 10:
            raise Unimportable(statement.line, f"requirement '{text}' is too short: write it as a sentence")
        requirement: dict[str, Any] = {"id": f"R{n}", "level": statement.level, "text": text}
        cleaned = clean(list(statement.guidance), resolve, template=False)
        _refuse(cleaned.refused)
        notes += cleaned.notes
        linked += cleaned.linked
        guidance = _trimmed(cleaned.lines)
        if guidance:
            requirement["guidance"] = guidance
        anchors = []
        for anchor in statement.anchors:
            if anchor.lower() in taken and anchor in anchors:
                continue  # the GitHub and MkDocs forms of a heading's id, alike
            if not ANCHOR.fullmatch(anchor):
                notes.append((statement.line, f"anchor '{anchor}' not kept: an anchor starts with a letter"))
            elif _OWN.fullmatch(anchor.lower()):
                notes.append((statement.line, f"anchor '{anchor}' not kept: it reads as a requirement's own id"))
            elif anchor.lower() in taken:
                notes.append((statement.line, f"anchor '{anchor}' not kept: an earlier requirement has it"))
            else:
                anchors.append(anchor)
                taken.add(anchor.lower())
        if anchors:
            requirement["anchors"] = anchors
        made.append(requirement)
    return made, linked


def _body(
    parsed: Parsed, resolve: Resolve, notes: list[tuple[int, str]], taken: frozenset[int]
) -> tuple[str, list[Any]]:
    """The body's Markdown, without sections left empty or the lines `taken` as the summary, and the `related`
    items its further-reading sections list."""
    heading_at = {number: (level, words) for number, level, words in parsed.sections}
    related: list[Any] = []
    kept: list[Line] = []
    in_related = 0  # the heading of the further-reading section the line is in
    left: dict[int, list[Line]] = {}  # what each such section holds besides its links
    for number, line in parsed.body:
        if number in taken:
            continue
        if number in heading_at:
            in_related = number if RELATED.fullmatch(heading_at[number][1]) else 0
        elif in_related and (item := _LINK_ITEM.match(line)):
            related += _related_item(number, item, resolve, notes)
            continue
        elif in_related and line.strip():
            left.setdefault(in_related, []).append((number, line))
        kept.append((number, line))
    # "These may help:" introduced the links, which went to `related`: the section goes with them
    lead_ins = {
        number for rest in left.values() if all(t.rstrip().endswith(":") for _, t in rest) for number, _ in rest
    }
    kept = [(number, line) for number, line in kept if number not in lead_ins]
    kept = _shifted(_without_empty_sections(kept, heading_at), heading_at)
    cleaned = clean(kept, resolve, template=True)
    _refuse(cleaned.refused)
    notes += cleaned.notes
    related += cleaned.linked
    body = _trimmed(cleaned.lines)
    return (body + "\n" if body else ""), related


def _related_item(number: int, item: re.Match[str], resolve: Resolve, notes: list[tuple[int, str]]) -> list[Any]:
    """The `related` entry of one further-reading list item: a link out, or the id of an imported standard."""
    words, target = (item.group(1), item.group(2)) if item.group(2) is not None else ("", item.group(3))
    if item.group(4).strip(" .;,-–—:"):
        notes.append((number, f"words after the link dropped: '{item.group(4).strip()[:60]}'"))
    if re.match(r"https?://\S+$", target) and len(target) <= MAX_URL:
        title = _one_line(plain(words))
        title = title if len(title) >= LINK_TITLE[0] else target
        return [{"title": title[: LINK_TITLE[1]], "url": target}]
    found = resolve(target)
    if found is None:
        notes.append(
            (number, f"further reading '{target}' dropped: only http and https links and imported files are kept")
        )
        return []
    return [found[0]]


def _without_empty_sections(lines: list[Line], heading_at: dict[int, tuple[int, str]]) -> list[Line]:
    """`lines` less the headings with nothing under them (their requirements and links went elsewhere)."""
    has_text: dict[int, bool] = {}
    open_headings: list[int] = []
    for number, line in lines:
        if number in heading_at:
            level = heading_at[number][0]
            while open_headings and heading_at[open_headings[-1]][0] >= level:
                open_headings.pop()
            open_headings.append(number)
            has_text[number] = False
        elif line.strip():
            for heading in open_headings:
                has_text[heading] = True
    empty = {number for number, filled in has_text.items() if not filled}
    return [(number, line) for number, line in lines if number not in empty]


def _shifted(lines: list[Line], heading_at: dict[int, tuple[int, str]]) -> list[Line]:
    """Headings moved down so the highest is level 2: the page's title is its only level-1 heading."""
    levels = [heading_at[number][0] for number, _ in lines if number in heading_at]
    by = 2 - min(levels, default=2)
    if by <= 0:
        return lines
    out = []
    for number, line in lines:
        found = HEADING.match(line) if number in heading_at else None
        out.append((number, f"{'#' * min(6, len(found.group(1)) + by)} {found.group(2)}" if found else line))
    return out


def _summary(parsed: Parsed, title: str, notes: list[tuple[int, str]]) -> tuple[str, frozenset[int]]:
    """The front matter's summary or description, else the intro's first sentence (or paragraph); and the
    lines of the intro it took whole, which the body leaves out so the page does not say it twice."""
    for key in ("summary", "description"):
        value = parsed.front.get(key)
        if isinstance(value, str) and len(_one_line(value)) >= SUMMARY[0]:
            return _cut(_one_line(value, parsed.key_lines[key], notes), parsed.key_lines[key], notes), frozenset()
        if key in parsed.front:
            notes.append(
                (parsed.key_lines[key], f"{key} not used: a summary is text of {SUMMARY[0]} characters or more")
            )
    first_requirement = parsed.statements[0].line if parsed.statements else 0
    intro: list[Line] = []
    for number, line in parsed.body:
        if HEADING.match(line) or number > first_requirement or (intro and not line.strip()):
            break
        intro.append((number, line))
    paragraph = plain(" ".join(line for _, line in intro))
    sentence = _SENTENCE.match(paragraph)
    found = sentence.group(1) if sentence and len(sentence.group(1)) >= SUMMARY[0] else paragraph
    if len(found) >= SUMMARY[0]:
        whole = found == paragraph and len(found) <= SUMMARY[1]  # said whole in the summary: not again in the body
        taken = frozenset(number for number, _ in intro) if whole else frozenset()
        return _cut(found, parsed.body[0][0] if parsed.body else 1, notes), taken
    notes.append((1, "no summary, description or opening sentence: wrote one to replace"))
    return f"The {title} standard, imported; say in a sentence what it asks and why.", frozenset()


def _cut(summary: str, line: int, notes: list[tuple[int, str]]) -> str:
    if len(summary) <= SUMMARY[1]:
        return summary
    notes.append((line, f"summary cut to {SUMMARY[1]} characters"))
    return summary[: SUMMARY[1] - 1].rsplit(" ", 1)[0] + "…"


def _tags(value: Any, line: int, notes: list[tuple[int, str]]) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The tags, and (line, tag, name) of each written other than the file gave it: "Security" as `security`."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if value is not None and not isinstance(value, str | list):
        notes.append((line, "tags not imported: give them as a list"))
    tags: list[str] = []
    renamed = []
    for given in names:
        name = _one_line(str(given))
        tag = slugify(name)
        if not tag:
            notes.append((line, f"tag {str(given)!r} dropped: it has no letters or digits to make a tag of"))
        elif tag != name:
            renamed.append((line, tag, name))
        if tag and tag not in tags:
            tags.append(tag)
    return tags, renamed


def _status(value: Any, line: int, default: str, notes: list[tuple[int, str]]) -> str:
    if value is None:
        return default
    status = str(value).strip().lower()
    if status == Status.SUPERSEDED:
        notes.append((line, "status 'superseded' imported as 'deprecated': name its successor, then move it on"))
        return str(Status.DEPRECATED)
    if status in STATUSES:
        return status
    notes.append(
        (line, f"status {str(value)!r} is not one of the playbook's ({', '.join(STATUSES)}); imported as '{default}'")
    )
    return default


def _date(value: Any, line: int, today: str, notes: list[tuple[int, str]]) -> str:
    """The source's date as `YYYY-MM-DD` (a time after it dropped); today, noted, when it has none that reads."""
    found = _DAY.match(str(value).strip()) if isinstance(value, str) else None
    try:
        day = datetime.date.fromisoformat(found.group(1)).isoformat() if found else ""
    except ValueError:
        day = ""
    if day and day <= LATEST:
        return day
    what = "no date" if value is None else f"date {str(value)!r} is not YYYY-MM-DD"
    notes.append((line, f"{what}: effective and the changelog dated today ({today})"))
    return today


def _refuse(refused: list[tuple[int, str]]) -> None:
    if refused:
        line, message = refused[0]
        raise Unimportable(line, f"cannot be made safe for a page: {message}")


def _trimmed(lines: list[Line]) -> str:
    """The text of `lines` without blank lines at either end, and runs of blank lines as one."""
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for _, line in lines))
    return text.strip("\n")


def _one_line(text: str, line: int = 0, notes: list[tuple[int, str]] | None = None) -> str:
    """`text` on one line, without the characters no text may hold; each kind dropped is noted, given `notes`."""
    if notes is not None:
        for char in dict.fromkeys(NEVER.findall(text)):
            notes.append((line, f"{character_name(char)} dropped"))
    return " ".join(NEVER.sub("", text).split())


def _key(item: Any) -> str:
    return item if isinstance(item, str) else item["url"]
