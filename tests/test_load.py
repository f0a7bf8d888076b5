"""The loader keeps dates and yes/no as text, refuses what YAML should not do, and knows positions."""

from pathlib import Path

from playbook.content.errors import Diagnostic
from playbook.content.load import Document, load_file
from playbook.content.yaml_reader import MAX_FILE_BYTES


def load(tmp_path: Path, text: str | bytes) -> Document | Diagnostic:
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_file(path)


def test_dates_and_yes_no_stay_text(tmp_path):
    doc = load(tmp_path, "a: 2026-01-05\nb: yes\nc: off\nd: true\ne: 12\nf: 1.5\ng: ~\nh: '7'\n")
    assert doc.data == {"a": "2026-01-05", "b": "yes", "c": "off", "d": True, "e": 12, "f": 1.5, "g": None, "h": "7"}


def test_positions_of_values_and_keys(tmp_path):
    doc = load(tmp_path, "top:\n  list:\n    - first\n    - key: value\n")
    assert doc.pos(("top", "list", 1, "key")) == (4, 12)
    assert doc.pos(("top", "list", 1, "key"), key=True) == (4, 7)
    assert doc.pos(("top", "list", 0)) == (3, 7)
    assert doc.pos(("top", "missing", 3)) == (2, 3)  # nearest ancestor that exists: the mapping under top


def test_duplicate_key_names_both_lines(tmp_path):
    result = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert str(result).endswith("x.yaml:3:1: E-YAML-DUPKEY duplicate key 'a' (first at line 1)")


def test_alias_is_refused_where_it_is_used(tmp_path):
    result = load(tmp_path, "a: &x [1]\nb: *x\n")
    assert (result.line, result.code) == (2, "E-YAML-ALIAS")


def test_python_tags_never_construct(tmp_path):
    result = load(tmp_path, "a: !!python/object/apply:os.system ['touch pwned']\n")
    assert result.code == "E-YAML-TAG"
    assert not Path("pwned").exists()


def test_body_and_asset_folder_are_siblings(tmp_path):
    (tmp_path / "x.md").write_text("Body text\n")
    doc = load(tmp_path, "a: 1\n")
    assert doc.body == "Body text\n"
    assert doc.asset_dir == tmp_path / "x"


def test_invalid_utf8_points_at_the_byte(tmp_path):
    result = load(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert (result.code, result.line, result.col) == ("E-ENCODING", 2, 7)


def test_oversized_body_is_refused_unread(tmp_path):
    """A body past the size limit was read whole and passed validation; now it is an E-SIZE."""
    (tmp_path / "x.md").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    result = load(tmp_path, "a: 1\n")
    assert (result.file.endswith("x.md"), result.code, result.line) == (True, "E-SIZE", 1)


def test_model_values_compare_hash_and_show_as_dataclasses_would(tmp_path: Path):
    # eq, hash and repr are written once in model._Value, not generated per class: they must behave the same
    import dataclasses

    import pytest

    from playbook.content.model import AppliesTo, Requirement
    from playbook.content.validate import validate_tree

    first = Requirement(id="R1", level="MUST", text="Report weekly.")
    assert first == Requirement(id="R1", level="MUST", text="Report weekly.")
    assert hash(first) == hash(Requirement(id="R1", level="MUST", text="Report weekly."))
    assert first != Requirement(id="R1", level="SHOULD", text="Report weekly.")
    assert first != AppliesTo() and len({first, Requirement(id="R1", level="MUST", text="Report weekly.")}) == 1
    assert repr(AppliesTo(models=("m",))) == "AppliesTo(models=('m',), phases=(), roles=())"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.level = "MAY"  # type: ignore[misc]
    from .conftest import ROOT

    (standard,) = [e for e in validate_tree(ROOT / "standards").entities if e.id == "STD-001"]
    elsewhere = dataclasses.replace(standard.doc, path=tmp_path / "elsewhere.yaml", display="elsewhere.yaml")
    twin = dataclasses.replace(standard, doc=elsewhere)
    assert twin == standard and hash(twin) == hash(standard)  # the file it came from is not compared
    assert "doc=" not in repr(standard) and "id='STD-001'" in repr(standard)


def test_model_constructors_take_keywords_as_a_frozen_dataclass_does():
    # __init__ is compiled for all model classes at once (model._make_inits), not by dataclass
    import pytest

    from playbook.content.model import Organisation, Requirement

    with pytest.raises(TypeError, match="missing 2 required keyword-only arguments: 'level' and 'text'"):
        Requirement(id="R1")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Requirement(id="R1", level="MUST", text="Projects MUST report.", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Requirement("R1", "MUST", "Projects MUST report.")  # type: ignore[misc]
    first, second = (Organisation.__init__.__qualname__, Requirement(id="R1", level="MUST", text="t").evidence)
    assert first == "Organisation.__init__" and second == ()
    a = Organisation(apiVersion="v", kind="Organisation", id="o", title="T", summary="S", owner="r",
                     pmo_model="m", contacts=(), doc=None)  # type: ignore[arg-type]  # fmt: skip
    b = Organisation(apiVersion="v", kind="Organisation", id="o", title="T", summary="S", owner="r",
                     pmo_model="m", contacts=(), doc=None)  # type: ignore[arg-type]  # fmt: skip
    assert a.tag_names == {} and a.tag_names is not b.tag_names  # a default factory, called for each
