"""The project documents what it does: every CLI command and every diagnostic code."""

from __future__ import annotations

import re
from pathlib import Path

from playbook.cli import main

from .conftest import EXAMPLES, ROOT
from .test_against_base import RULES_OF_CHANGE

CODE = re.compile(r'[" ](E-[A-Z]+(?:-[A-Z]+)*)\b')
"""A diagnostic code in the source: a string of its own ("E-REF") or opening a message (": E-MACRO ...")."""


def emitted_codes(where: Path = ROOT / "playbook") -> set[str]:
    """The codes the engine can give: every module under `where`, in every sub-package."""
    files = [where] if where.is_file() else where.rglob("*.py")
    return set(CODE.findall("".join(p.read_text() for p in files)))


def test_the_code_scan_finds_the_engine_codes():
    """The checks below pass vacuously on an empty scan, as they did when modules moved into sub-packages."""
    codes = emitted_codes()
    assert {"E-SCHEMA", "E-REF", "E-YAML", "E-BUMP", "E-MACRO"} <= codes, codes
    assert len(codes) >= 30, codes


def test_every_cli_command_is_documented():
    doc = (ROOT / "playbook" / "editors" / "cli.md").read_text()
    for name in main.commands:
        assert f"## playbook {name}" in doc, name


def test_every_code_is_documented():
    doc = (ROOT / "playbook" / "editors" / "validation.md").read_text()
    for code in emitted_codes():
        assert f"| {code} |" in doc, code


def test_every_validation_code_has_a_bad_example():
    # build time only (pages under docs/), covered by test_build/test_sandbox/test_untrusted_build; E-READ is
    # untestable as root. E-MACRO and E-TEMPLATE also have bad examples (body-*), through validate.
    build_time = {"E-READ", "E-TAG", "E-FRONT-MATTER"}
    covered = {
        code
        for case in (EXAMPLES / "bad").iterdir()
        if case.is_dir()
        for code in re.findall(r": (E-[A-Z-]+) ", (case / "expected.txt").read_text())
    }
    # the codes only a check against git gives: test_against_base runs a change for each and checks its line
    against_base = emitted_codes(ROOT / "playbook" / "authoring" / "against_base.py")
    assert against_base <= set(RULES_OF_CHANGE), against_base - set(RULES_OF_CHANGE)
    covered |= set(RULES_OF_CHANGE)
    assert emitted_codes() - build_time <= covered, emitted_codes() - build_time - covered


def test_readme_tells_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make site") < readme.index("## ")  # before the first section
    assert "make test" in readme
