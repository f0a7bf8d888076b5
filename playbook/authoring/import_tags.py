"""`playbook import`, step 4: the names a catalogue gave its tags ("Build, release and deploy"), kept
where the site looks for them, in the organisation profile's `tag_names`.

A tag needs an entry only where the site would show it otherwise (`tag_pages.default_tag_name`). Entries are
added to the profile in place (`roundtrip.Edit` keeps its comments and layout), never changed; a
playbook with no profile gets a note with the entries to give one.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from playbook.authoring.roundtrip import Edit
from playbook.content.load import Document
from playbook.content.schema import load_schema
from playbook.site.tag_pages import default_tag_name

NAME = load_schema("Organisation")["properties"]["tag_names"]["additionalProperties"]["properties"]["name"]
"""The schema of a tag's name, which says how long it may be."""


@dataclass(frozen=True)
class Renamed:
    """A tag a catalogue file gave as a name: "Security" written as `security`."""

    source: str
    line: int
    tag: str
    name: str


@dataclass
class TagNames:
    """What becomes of the names: the profile's edit adding those it lacks, and notes on those not kept."""

    profile: Edit | None = None
    """The organisation profile with the names added; None when none are added to it."""
    shown: str = ""
    """The profile's path, as diagnostics show it."""
    added: dict[str, str] = field(default_factory=dict)
    """The names added to the profile (or, with none to add them to, to add to one), by tag."""
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    """(source, line, message) at each line whose names are not all kept."""
    advice: str = ""
    """How to keep the names the playbook has no profile to hold."""

    def report(self) -> list[str]:
        """One line for each name added to the profile."""
        if self.profile is None:
            return []
        return [f'{self.shown}: tag_names: added {tag} as "{name}"' for tag, name in self.added.items()]


def keep_names(renamed: list[Renamed], documents: list[Document]) -> TagNames:
    """Where the names of the `renamed` tags are kept, in the organisation profile among `documents`."""
    # "Build & deploy" reads as well with "and", which the theme can print as it is
    renamed = [replace(r, name=r.name.replace(" & ", " and ")) for r in renamed]
    wanted = [r for r in dict.fromkeys(renamed) if r.name != default_tag_name(r.tag)]
    profile = next((d for d in documents if isinstance(d.data, dict) and d.data.get("kind") == "Organisation"), None)
    names = TagNames(shown=profile.display if profile else "")
    has = _vocabulary(profile.data) if profile else {}
    keep = dict(has or {})
    for r in wanted:
        if r.tag not in keep and _fits(r.name):
            keep[r.tag] = names.added[r.tag] = r.name
    names.added = dict(sorted(names.added.items()))
    if profile is not None and has is not None and names.added:
        names.profile = _edit(profile, names.added)
    lost: dict[tuple[str, int], list[str]] = defaultdict(list)
    for r in wanted:
        if r.tag not in keep and len(r.name) > NAME["maxLength"]:
            why = f" (a name over {NAME['maxLength']} characters is not kept)"
        elif r.tag not in keep:
            why = ' (a name holding < > & or " is not kept: the theme prints tag names as HTML)'
        elif names.profile is not None or r.tag in (has or {}):  # the profile names the tag, or will
            if keep[r.tag] == r.name:
                continue
            why = f" (named {keep[r.tag]!r} in {names.shown})"
        else:
            why = ""
        lost[r.source, r.line].append(f"{r.name!r} as '{r.tag}'{why}")
    names.notes = [
        (source, line, f"tags are lower-case words joined by '-': wrote {', '.join(items)}")
        for (source, line), items in lost.items()
    ]
    if names.added and names.profile is None:
        names.advice = _advice(names.shown, names.added)
    return names


def _fits(name: str) -> bool:
    """Whether `name` is one the profile's schema takes as a tag's name."""
    return len(name) <= NAME["maxLength"] and re.fullmatch(NAME["pattern"].strip("^$"), name) is not None


def _vocabulary(profile: dict[str, Any]) -> dict[str, str] | None:
    """The names the profile gives tags, by tag; None when its `tag_names` is not a mapping to add to."""
    entries = profile.get("tag_names")
    if entries is None:
        return {}
    if not isinstance(entries, dict):
        return None
    return {str(tag): str(entry.get("name")) if isinstance(entry, dict) else "" for tag, entry in entries.items()}


def _edit(profile: Document, added: dict[str, str]) -> Edit | None:
    """The profile with `added` in its `tag_names`, in order if the names there are; None if ruamel cannot read it."""
    try:
        edit = Edit.open(profile.path)
    except (OSError, YAMLError):
        return None
    entries = edit.data.get("tag_names")
    if entries is None:
        entries = CommentedMap()
        edit.set("tag_names", entries)
    if not entries:
        entries.fa.set_block_style()  # `tag_names: {}` grows as a block, as the rest of a profile reads
    for tag, name in added.items():
        tags = list(entries)
        at = bisect.bisect(tags, tag) if tags == sorted(tags) else len(tags)
        entry = CommentedMap(name=name)
        entries.insert(at, tag, entry)
        if at:
            _comments_below(entries[tags[at - 1]], entry)
    return edit


def _comments_below(before: Any, entry: CommentedMap) -> None:
    """Move the lines of comment below the entry `before` to below `entry`, which now follows it.

    ruamel keeps such lines with the value above them (`ca.items[key][2]`, after the line's own comment),
    though they read as being about what follows: the next entry, or the next key of the profile.
    """
    if not isinstance(before, CommentedMap) or not before or before.fa.flow_style():
        return
    slot = before.ca.items.get(list(before)[-1])
    token = slot[2] if slot else None
    if token is None:
        return
    own, _, below = token.value.partition("\n")
    if not below:
        return
    if not below.strip():  # blank lines only: the new entry is set apart the same way
        entry.ca.items["name"] = [None, None, CommentToken(token.value[len(own) :], CommentMark(0)), None]
        return
    slot[2] = CommentToken(own + "\n", token.start_mark) if own else None
    entry.ca.items["name"] = [None, None, CommentToken("\n" + below, CommentMark(0)), None]


def _advice(profile: str, added: dict[str, str]) -> str:
    if profile:
        why, how = f"{profile} cannot be added to", "fix it (playbook validate says what is wrong), then add to it"
    else:
        why = "the playbook has no organisation profile to hold them"
        how = 'create one (playbook new organisation --title "…") and add to it'
    block = yaml.safe_dump(
        {"tag_names": {tag: {"name": name} for tag, name in added.items()}},
        sort_keys=False,
        allow_unicode=True,
        width=4096,
    )
    return f"the tags' names are not kept: {why}. To keep them, {how}:\n\n{block.rstrip()}"
