"""The project documents what it does: every CLI command and every diagnostic code."""

from __future__ import annotations

import re

from playbook.cli import main

from .conftest import EXAMPLES, ROOT


def emitted_codes() -> set[str]:
    source = "".join(p.read_text() for p in (ROOT / "playbook").glob("*.py"))
    return set(re.findall(r'"(E-[A-Z-]+[A-Z])"', source))


def test_every_cli_command_is_documented():
    doc = (ROOT / "docs" / "cli.md").read_text()
    for name in main.commands:
        assert f"## playbook {name}" in doc, name


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "validation.md").read_text()
    for code in emitted_codes():
        assert f"| {code} |" in doc, code


def test_every_validation_code_has_a_bad_example():
    build_time = {"E-MACRO", "E-TEMPLATE", "E-READ"}  # covered by test_build/test_sandbox, or untestable as root
    against_base = {"E-BUMP", "E-STATUS-MOVE", "E-GONE", "E-REQ-REUSE"}  # need git history: test_against_base
    base_tests = (ROOT / "tests" / "test_against_base.py").read_text()
    assert all(f'code="{code}"' in base_tests for code in against_base)
    build_time |= against_base
    covered = {
        code
        for case in (EXAMPLES / "bad").iterdir()
        if case.is_dir()
        for code in re.findall(r": (E-[A-Z-]+) ", (case / "expected.txt").read_text())
    }
    assert emitted_codes() - build_time <= covered, emitted_codes() - build_time - covered


def test_readme_tells_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make site") < readme.index("## ")  # before the first section
    assert "make test" in readme
