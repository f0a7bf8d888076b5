"""The JSON Schemas are complete enough to drive validation, editor completion and docs."""

from __future__ import annotations

import json
import marshal
import os
import zlib
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from playbook.content.model import KINDS, schema_name

from .conftest import ROOT

SCHEMAS = {
    kind: json.loads(resources.files("playbook.schemas").joinpath(schema_name(kind)).read_text()) for kind in KINDS
}


def objects(schema, path="#"):
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            yield from objects(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from objects(value, f"{path}/{i}")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind):
    schema = SCHEMAS[kind]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(kind.lower())


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_description_and_example(kind):
    for path, node in objects(SCHEMAS[kind]):
        if path.endswith(("/then", "/if")):
            continue  # conditional refinements of properties described above
        for name, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{kind} {path}/properties/{name}"
            assert prop.get("examples"), f"{kind} {path}/properties/{name}"


@pytest.mark.parametrize("kind", KINDS)
def test_objects_are_closed(kind):
    for path, node in objects(SCHEMAS[kind]):
        if node.get("type") == "object" and "propertyNames" in node:  # a map (tag → name): its keys are bounded
            assert isinstance(node.get("additionalProperties"), dict), f"{kind} {path}"
        elif node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{kind} {path}"


def test_envelope_is_the_same_in_every_schema():
    envelope = ("apiVersion", "title", "summary", "tags", "owner")
    first = SCHEMAS["Standard"]["properties"]
    for kind, schema in SCHEMAS.items():
        for name in envelope:
            assert schema["properties"][name] == first[name], (kind, name)


def test_vscode_settings_map_every_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapped = settings["yaml.schemas"]
    for kind in KINDS:
        assert f"./playbook/schemas/{schema_name(kind)}" in mapped, kind


def test_fast_path_agrees_with_jsonschema_on_every_example():
    """The compiled fast check may only skip jsonschema where jsonschema finds nothing either."""
    import fastjsonschema

    from playbook.content.load import Document, content_files, load_file
    from playbook.content.schema import _fast_check, _validator

    from .conftest import EXAMPLES

    checked = 0
    for path in content_files(EXAMPLES):
        doc = load_file(path)
        if not isinstance(doc, Document) or not isinstance(doc.data, dict) or doc.data.get("kind") not in KINDS:
            continue
        kind = doc.data["kind"]
        try:
            _fast_check(kind)(doc.data)
            fast_ok = True
        except fastjsonschema.JsonSchemaValueException:
            fast_ok = False
        assert fast_ok == _validator(kind).is_valid(doc.data), path
        checked += 1
    assert checked > 40


@pytest.mark.parametrize("kind", KINDS)
def test_schema_example_obeys_the_schema(kind):
    schema = SCHEMAS[kind]
    for example in schema["examples"]:
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(example)]
        assert errors == [], kind


def test_the_validator_cache_stays_in_its_folder_and_keeps_only_the_newest(tmp_path, monkeypatch):
    from playbook.content import code_cache, schema

    assert Path(os.environ["XDG_CACHE_HOME"]) in code_cache.CACHE_DIR.parents  # the tests' own folder, not ~/.cache
    folder = tmp_path / "validators"
    folder.mkdir()
    for i in range(code_cache.MAX_CACHED + 10):  # left by older engine or Python versions
        old = folder / f"old-{i:03d}.marshal"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    monkeypatch.setattr(code_cache, "CACHE_DIR", folder)
    code = schema._compiled(json.dumps({"type": "object", "description": "a schema no cache holds yet"}))
    kept = sorted(p.name for p in folder.glob("*.marshal"))
    assert len(kept) == code_cache.MAX_CACHED
    assert "old-000.marshal" not in kept and "old-073.marshal" in kept  # the oldest went first
    new = [name for name in kept if not name.startswith("old-")]
    assert len(new) == 1 and marshal.loads((folder / new[0]).read_bytes())[1] == code


def test_a_cached_validator_is_taken_only_for_the_schema_it_was_made_from(tmp_path, monkeypatch):
    from playbook.content import code_cache, schema

    monkeypatch.setattr(code_cache, "CACHE_DIR", tmp_path)
    strict = json.dumps({"type": "object", "required": ["id"]})
    schema._compiled(strict)
    (cached,) = tmp_path.glob("*.marshal")
    key, code = marshal.loads(cached.read_bytes())
    lenient = json.dumps({"type": "object", "required": ["ix"]})  # another schema, its key as long
    lenient_key = key.replace('\\"id\\"', '\\"ix\\"')
    assert lenient_key != key
    assert len(lenient_key) == len(key)
    other = tmp_path / f"{zlib.crc32(lenient_key.encode()):08x}-{len(lenient_key)}.marshal"
    other.write_bytes(marshal.dumps((key, code)))  # as if two keys shared a checksum
    scope: dict = {}
    exec(schema._compiled(lenient), scope)
    check = next(v for k, v in scope.items() if k.startswith("validate"))
    check({"ix": 1})  # the lenient schema's own validator: the strict one would refuse this
