"""The modules of playbook/ use each other through public names only.

A name starting with `_` is a module's own business: another module that takes it (say
`from playbook.downloads.files import _CACHE`) ties itself to internals that may change without
notice. import-linter checks which packages may import which; this checks the names.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))  # __version__ is public


def private_uses(package: Path) -> list[str]:
    """`file:line: name` for each private name a module of `package` imports from, or reads off, another."""
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package.parent)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names, modules = _imports(tree, path, package)
        found += [f"{where}:{line}: {name}" for line, name in names if any(map(_private, name.split(".")))]
        found += [
            f"{where}:{node.lineno}: {node.value.id}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if node.value.id in modules and _private(node.attr)
        ]
    return found


def _imports(tree: ast.AST, path: Path, package: Path) -> tuple[list[tuple[int, str]], set[str]]:
    """What a module imports from `package`, anywhere in it: (line, dotted name) of each import, and
    the local names bound to one of its modules (`files` in `from playbook.downloads import files`)."""
    names, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == package.name:
                    names.append((node.lineno, alias.name))
                    modules |= {alias.asname} if alias.asname else set()
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == package.name):
            base = path.parents[node.level - 1] if node.level else package.parent
            folder = base.joinpath(*(node.module or "").split("."))
            for alias in node.names:
                names.append((node.lineno, f"{node.module or ''}.{alias.name}"))
                if (folder / f"{alias.name}.py").is_file() or (folder / alias.name / "__init__.py").is_file():
                    modules.add(alias.asname or alias.name)
    return names, modules


def test_no_module_takes_another_modules_private_names():
    assert private_uses(ROOT / "playbook") == []


def test_the_check_sees_each_way_of_taking_a_private_name(tmp_path: Path):
    package = tmp_path / "playbook"
    (package / "downloads").mkdir(parents=True)
    for name in ("__init__.py", "downloads/__init__.py", "downloads/files.py", "downloads/_internal.py"):
        (package / name).write_text("")
    (package / "site.py").write_text(
        "from playbook import __version__\n"  # a dunder is public
        "from mkdocs.config.defaults import _AbsoluteLinksValidationValue\n"  # not a playbook module
        "from playbook.downloads.files import FOLDER, _CACHE\n"
        "from playbook.downloads import _internal\n"
        "import playbook.downloads._internal\n"
        "from playbook.downloads import files as downloads\n"
        "def clear():\n"
        "    from .downloads.files import _stem\n"
        "    downloads._CACHE.clear()\n"
        "    downloads.clear_cache()\n"
    )
    assert private_uses(package) == [
        "playbook/site.py:3: playbook.downloads.files._CACHE",
        "playbook/site.py:4: playbook.downloads._internal",
        "playbook/site.py:5: playbook.downloads._internal",
        "playbook/site.py:8: downloads.files._stem",
        "playbook/site.py:9: downloads._CACHE",
    ]


def test_no_module_of_the_engine_imports_itself_back():
    # import-linter keeps the packages in layers; this also catches a cycle inside one package
    # (office.py and downloads.py once imported each other)
    import grimp

    graph = grimp.build_graph("playbook")
    cycles = sorted(
        f"{a} ↔ {b}"
        for a in graph.modules
        for b in graph.find_modules_directly_imported_by(a)
        if a < b and graph.chain_exists(importer=b, imported=a)
    )
    assert cycles == []
