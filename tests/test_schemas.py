"""The JSON Schemas are complete enough to drive validation, editor completion and docs."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from playbook.model import KINDS, schema_name

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
        if node.get("type") == "object":
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

    from playbook.load import Document, content_files, load_file
    from playbook.schema import _fast_check, _validator

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
