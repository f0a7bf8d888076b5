"""Requirement levels (RFC 2119 keywords): their order, their strength, and how a text states one."""

from __future__ import annotations

import re

LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
"""Requirement levels, strongest first."""

STRENGTH = {"MAY": 0, "SHOULD NOT": 1, "SHOULD": 1, "MUST NOT": 2, "MUST": 2}
"""How binding each level is; a move up is strengthening, a move down weakening."""

STRONG = frozenset({"MUST", "MUST NOT"})
"""Levels whose change breaks compliance, so the change needs a major bump."""


def level_stated(text: str, level: str) -> bool:
    """Whether `text` carries `level` in capitals, and not a stronger or negated form of it."""
    return _STATED[level].search(text) is not None


def _stated(level: str) -> re.Pattern[str]:
    pattern = r"\b" + level.replace(" ", r"\s+") + r"\b"
    if " " not in level and level != "MAY":
        pattern += r"(?!\s+NOT\b)"
    return re.compile(pattern)


_STATED = {level: _stated(level) for level in LEVELS}
