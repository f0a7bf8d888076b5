"""Property-based tests: whatever a file holds, loading and validating it gives readable diagnostics,
never an exception.

Five kinds of input: arbitrary text (and bytes that are not UTF-8), a soup of YAML syntax
characters, structured values dumped as YAML, standards whose every value is drawn from within
their schema, and the good examples with one field mutated (deleted, retyped, swapped or
sprinkled with odd Unicode). Content that still validates must also render to pages and exports
without an exception. Derandomized, with no example database, so CI runs the same examples every time.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.content.catalog import Catalog
from playbook.content.errors import Diagnostic
from playbook.content.load import Document, load_file
from playbook.content.model import KINDS
from playbook.content.status import MOVES
from playbook.content.validate import validate_documents, validate_tree
from playbook.site.exports import exports
from playbook.site.markup import text as markup_text
from playbook.site.pages import entity_page

from .conftest import GOOD, ROOT

SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=None,  # the first example pays for imports and schema compilation
    suppress_health_check=[HealthCheck.too_slow],
)
HEADER = "# yaml-language-server: $schema=../playbook/schemas/standard.schema.json\n"
DOCUMENTED_CODES = set(
    re.findall(r"^\| (E-[A-Z-]+) \|", (ROOT / "playbook" / "editors" / "validation.md").read_text(), re.MULTILINE)
)
GOOD_FILES = sorted(p.relative_to(GOOD) for p in GOOD.rglob("*.yaml"))
WEIRD = [
    "\u202e",  # right-to-left override
    "\u200b",  # zero-width space
    "\ufeff",  # a BOM inside text
    "\U0001f4a9",
    "e\u0301",  # combining accent
    "\u2028",  # line separator
    "\x85",  # next line
    "\x1b[31m",  # terminal escape
    "{{ config }}",
    "<script>alert(1)</script>",
    "\\",
    "'\"",
    "#",
    ": ",
    "- ",
    "*x",
    "&a",
    "!!python/object:os.system",
    "\t",
    "\r\n",
    "ǅ",
    "İ",
    "ß",
]


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        shutil.copytree(GOOD, Path(name) / "catalog")
        yield Path(name)


@contextlib.contextmanager
def _replaced(root: Path, relative: Path, text: str) -> Iterator[Path]:
    """`root` with the file at `relative` holding `text` for the block, restored afterwards.

    One catalog copy serves every example; copying it per example would double the run time.
    """
    path = root / relative
    before = path.read_bytes() if path.exists() else None
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        yield root
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)


def _readable(diagnostics: Iterable[Diagnostic]) -> None:
    """What a reader gets: one line per problem, at a line and column, with a code playbook/editors/validation.md explains."""
    for d in diagnostics:
        assert d.line >= 1 and d.col >= 1, d
        assert d.code in DOCUMENTED_CODES, d
        assert len(str(d).splitlines()) == 1, d


def _load_alone(workdir: Path, raw: bytes) -> Document | Diagnostic:
    path = workdir / "STD-900-fuzz.yaml"
    path.write_bytes(raw)
    result = load_file(path)
    diagnostics = [result] if isinstance(result, Diagnostic) else validate_documents([result], []).diagnostics
    _readable(diagnostics)
    assert all(d.file.endswith("STD-900-fuzz.yaml") for d in diagnostics)
    return result


def _render_all(root: Path) -> Catalog | None:
    """Validate `root`; if it is clean, every page and export must render too. The catalog, if clean."""
    result = validate_tree(root)
    _readable(result.diagnostics)
    if not result.ok:
        return None
    catalog = Catalog.of(result.entities)
    for entity in catalog.entities:
        assert entity_page(catalog, entity, entity.doc.body or "")
    assert list(exports(catalog, "https://example.org/"))
    return catalog


# --- arbitrary text and bytes -------------------------------------------------------------

YAML_SOUP = st.lists(st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?~ \n\tabkKR0123.=<\\") + WEIRD), max_size=80).map(
    "".join
)


@SETTINGS
@given(st.text(max_size=300))
def test_any_text(workdir, text):
    _load_alone(workdir, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(workdir, raw):
    _load_alone(workdir, raw)


@SETTINGS
@given(YAML_SOUP)
def test_yaml_syntax_soup(workdir, text):
    _load_alone(workdir, (HEADER + text).encode("utf-8", "surrogatepass"))


# --- structured values dumped as YAML -----------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["2026-01-05", "2026-02-30", "1.0.0", "MUST", "STD-001", "pmo-lead", "yes", "~", "0x1F"])
)
KEYS = st.sampled_from(
    ["id", "kind", "title", "summary", "owner", "status", "version", "requirements", "raci"]
) | st.text(max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4))
ROLES = ["pmo-lead", "project-lead", "team-member", "executive-sponsor"]
LEVELS = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"]
REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters no text may hold (E-CHAR, tests/examples/bad/char-*): the standards drawn here avoid them."""
UNICODE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")).filter(lambda c: not REFUSED.match(c))
# lone surrogates are not UTF-8 (test_any_bytes has those); control characters are refused (E-CHAR)
WORDS = st.lists(
    st.sampled_from(
        ["projects", "report", "the", "sponsor", "café", "½", *(w for w in WEIRD if not REFUSED.search(w))]
    ),
    min_size=1,
    max_size=6,
)
PROSE = st.text(UNICODE, min_size=12, max_size=60) | WORDS.map(lambda w: " ".join(w) + " and then some")
DATES = st.dates(max_value=datetime.date.today()).map(lambda d: d.isoformat())  # a review is never in the future
SEMVER = st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(0, 12)).map(lambda v: ".".join(map(str, v)))
STATUSES = st.sampled_from(sorted(str(s) for s in MOVES if s != "superseded"))  # superseded needs a successor
OPTIONAL = ["tags", "effective", "last_reviewed", "review_every", "applies_to"]


@st.composite
def standards(draw: st.DrawFn) -> dict[str, Any]:
    """A Standard whose every field is drawn from within its schema, so most validate and must render.

    What can still fail is the cross-field rules: a status needing a field that was left out
    (E-STATUS), or versions the rules refuse.
    """
    versions = sorted(set(draw(st.lists(SEMVER, min_size=1, max_size=3))), key=lambda v: tuple(map(int, v.split("."))))
    dates = sorted(draw(st.lists(DATES, min_size=len(versions), max_size=len(versions))))
    levels = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4))
    data = {
        "apiVersion": "playbook/v1",
        "kind": "Standard",
        "id": "STD-900",
        "title": draw(st.text(UNICODE, min_size=3, max_size=40).filter(lambda s: "\t" not in s)),  # one line
        "summary": draw(PROSE),
        "tags": draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True), unique=True, max_size=3)),
        "owner": draw(st.sampled_from(ROLES)),
        "status": draw(STATUSES),
        "version": versions[-1],
        "effective": draw(DATES),
        "last_reviewed": draw(DATES),
        "review_every": draw(st.integers(1, 60)),
        "applies_to": {"roles": draw(st.lists(st.sampled_from(ROLES), unique=True, max_size=2))},
        "requirements": [
            {"id": f"R{i}", "level": level, "text": f"{' '.join(draw(WORDS))} {level} {' '.join(draw(WORDS))}."}
            | ({"rationale": draw(PROSE)} if draw(st.booleans()) else {})
            for i, level in enumerate(levels, 1)
        ],
        "changelog": [
            {"version": v, "date": d, "summary": draw(PROSE)} for v, d in zip(versions[::-1], dates[::-1], strict=True)
        ],
    }
    for key in draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=2)):
        del data[key]
    return data


@st.composite
def dumped(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> str:
    """`values` written as YAML in block or flow style, ASCII-escaped or not."""
    return yaml.safe_dump(
        draw(values),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        sort_keys=False,
    )


@SETTINGS
@given(dumped(VALUES))
def test_any_yaml_value(workdir, text):
    _load_alone(workdir, (HEADER + text).encode("utf-8", "surrogatepass"))


def test_entity_shaped_yaml_in_a_catalog(workdir):
    """A standard made of any values its schema allows: it validates or says why; if it validates, its
    page and the exports show what it holds. Most examples must get that far, or this tests little."""
    outcomes: Counter[str] = Counter()

    @SETTINGS
    @given(st.data())
    def check(data):
        standard = data.draw(standards())
        text = data.draw(dumped(st.just(standard)))
        with _replaced(workdir / "catalog", Path("STD-900-fuzz.yaml"), HEADER + text) as root:
            catalog = _render_all(root)
        outcomes["rendered" if catalog else "refused"] += 1
        if catalog is None:
            return
        page = entity_page(catalog, catalog.by_id["STD-900"], "")
        assert f"# {markup_text('STD-900 · ' + standard['title'])}\n" in page
        for requirement in standard["requirements"]:
            assert f'id="{requirement["id"].lower()}"' in page
        files = dict(exports(catalog, "https://example.org/"))
        exported = {e["id"]: e for e in json.loads(files["api/catalog.json"])["entities"]}["STD-900"]
        assert {k: exported[k] for k in ("title", "summary", "owner", "status", "version")} == {
            k: standard[k] for k in ("title", "summary", "owner", "status", "version")
        }
        rows = json.loads(files["api/requirements.json"])["requirements"]
        assert [(r["requirement"], r["level"], r["text"]) for r in rows if r["standard"] == "STD-900"] == [
            (r["id"], r["level"], r["text"]) for r in standard["requirements"]
        ]

    check()
    assert outcomes["rendered"] >= SETTINGS.max_examples // 2, outcomes


# --- the good examples, mutated -------------------------------------------------------------


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path into `value`: keys and list indexes from the root."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


def _set(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    _get(value, path[:-1])[path[-1]] = new
    return value


MUTATIONS = ["delete", "retype", "swap", "unicode", "empty", "duplicate"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, str]:
    """One good example file with one to three of its values mutated."""
    relative = draw(st.sampled_from(GOOD_FILES))
    text = (GOOD / relative).read_text(encoding="utf-8")
    header = text.split("\n", 1)[0] + "\n"
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths[1:] if len(paths) > 1 else paths))
        current = _get(data, path)
        mutation = draw(st.sampled_from(MUTATIONS))
        if mutation == "delete" and path:
            parent = _get(data, path[:-1])
            del parent[path[-1]]
        elif mutation == "retype":
            data = _set(data, path, draw(VALUES.filter(lambda v, c=current: type(v) is not type(c))))
        elif mutation == "swap":
            other = _get(data, draw(st.sampled_from(paths)))
            data = _set(data, path, yaml.safe_load(yaml.safe_dump(other)))  # a copy, not an alias
        elif mutation == "unicode" and isinstance(current, str):
            at = draw(st.integers(0, len(current)))
            data = _set(data, path, current[:at] + draw(st.sampled_from(WEIRD)) + current[at:])
        elif mutation == "empty":
            data = _set(data, path, type(current)() if isinstance(current, list | dict | str) else None)
        elif mutation == "duplicate" and isinstance(current, list) and current:
            current.append(yaml.safe_load(yaml.safe_dump(current[0])))
    return relative, header + yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)


@settings(SETTINGS, max_examples=150)
@given(mutated())
def test_mutated_good_examples(workdir, case):
    relative, text = case
    with _replaced(workdir / "catalog", relative, text) as root:
        _render_all(root)


def test_the_mutation_strategy_reaches_every_kind():
    """The mutated strategy draws from a good file of every kind (else it tests less than it says)."""
    kinds = {yaml.safe_load((GOOD / p).read_text(encoding="utf-8"))["kind"] for p in GOOD_FILES}
    assert kinds == set(KINDS)
