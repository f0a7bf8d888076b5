"""Check each document against the JSON Schema of its kind.

Messages are rewritten for people who edit YAML by hand: the field is named, the allowed
values are listed, and where the schema has an example it is shown.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .errors import Diagnostic
from .load import Document
from .model import KINDS, schema_name

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

API_VERSION = "playbook/v1"
MAX_PROBLEMS = 100
"""Schema problems listed per file; past this a file is more broken than a list can help with."""


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of `kind`, read from the package data."""
    text = resources.files("playbook.schemas").joinpath(schema_name(kind)).read_text("utf-8")
    return json.loads(text)


@cache
def _validator(kind: str) -> Draft202012Validator:
    # jsonschema only explains files that failed the fast check; most builds never import it
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(load_schema(kind), format_checker=FormatChecker())


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@cache
def _fast_check(kind: str) -> Any:
    # fastjsonschema compiles the schema to Python, ~10x faster than jsonschema, so valid
    # files (nearly all of them) cost little; jsonschema, the reference, explains failures.
    # Our schemas use only keywords that mean the same in draft-07, which it implements.
    schema = {**load_schema(kind), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, formats={"date": _is_date})


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples")
    if examples and isinstance(examples[0], str | int):
        return f"; for example {json.dumps(examples[0], ensure_ascii=False)}"
    return ""


def _type_name(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _false_schema(error: ValidationError, data: Any, kind: str) -> tuple[tuple, str]:
    """Path and message for a field a `then: {properties: {x: false}}` forbids.

    jsonschema leaves the property name out of such errors' paths, so find it by identity.
    """
    path = tuple(error.absolute_path)
    parent = data
    for part in path:
        parent = parent[part]
    key = next((k for k, v in parent.items() if v is error.instance), None) if isinstance(parent, dict) else None
    schema_path = list(error.absolute_schema_path)
    when = ""
    if "then" in schema_path:
        condition = load_schema(kind)
        for part in schema_path[: schema_path.index("then")]:
            condition = condition[part]
        for name, rule in condition.get("if", {}).get("properties", {}).items():
            if "const" in rule:
                when = f" when {name} is {json.dumps(rule['const'])}"
    if key is None:
        return path, f"is not allowed here{when}"
    return (*path, key), f"'{key}' is not allowed{when}"


def _messages(error: ValidationError, doc: Document) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    schema, value, validator = error.schema, error.instance, error.validator
    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(value) - set(allowed)):
            close = difflib.get_close_matches(key[:40], allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
            yield doc.diagnostic((*path, key), "E-SCHEMA", f"unknown field '{key}'{hint}", key=True)
        return
    if validator == "required":
        missing = error.message.split("'")[1]
        prop = schema.get("properties", {}).get(missing, {})
        yield doc.diagnostic(path, "E-SCHEMA", f"missing required field '{missing}'{_example(prop)}")
        return
    if validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        message = f"{json.dumps(value, ensure_ascii=False)} is not one of: {options}"
    elif validator == "const":
        message = f"must be {json.dumps(error.validator_value)}"
    elif validator == "type":
        message = f"expected {error.validator_value}, got {_type_name(value)}{_example(schema)}"
    elif validator == "format":
        message = f"{json.dumps(value)} is not a valid {error.validator_value}{_example(schema)}"
    elif validator == "pattern":
        message = f"{json.dumps(value, ensure_ascii=False)} is not in the expected form{_example(schema)}"
    elif validator in ("minItems", "minLength"):
        unit = "items" if validator == "minItems" else "characters"
        message = (
            "must not be empty"
            if error.validator_value == 1
            else f"is too short; write at least {error.validator_value} {unit}"
        )
    elif validator in ("maxItems", "maxLength"):
        unit = "items" if validator == "maxItems" else "characters"
        message = f"is too long; write at most {error.validator_value} {unit}"
    elif validator == "uniqueItems":
        message = "has repeated items; list each once"
    elif validator is None:  # a `false` subschema: the field does not belong with another's value
        path, message = _false_schema(error, doc.data, doc.data["kind"])
    else:
        message = error.message
    yield doc.diagnostic(path, "E-SCHEMA", message, key=validator is None)


def check_document(doc: Document) -> list[Diagnostic]:
    """Envelope and schema problems of one document; empty when it is valid."""
    data = doc.data
    if not isinstance(data, dict):
        return [doc.diagnostic((), "E-SCHEMA", f"a content file must be a mapping of fields, not {_type_name(data)}")]
    problems = []
    if data.get("apiVersion") != API_VERSION:
        got = f"got {json.dumps(data['apiVersion'])}" if "apiVersion" in data else "it is missing"
        problems.append(doc.diagnostic(("apiVersion",), "E-API", f"apiVersion must be '{API_VERSION}'; {got}"))
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or mapping here is not even hashable
        close = difflib.get_close_matches(str(kind)[:40], list(KINDS), n=1)  # difflib is slow on long text
        hint = f"; did you mean '{close[0]}'?" if close else f"; one of: {', '.join(KINDS)}"
        problems.append(doc.diagnostic(("kind",), "E-KIND", f"unknown kind {json.dumps(kind)}{hint}"))
        return problems
    if problems:
        return problems
    try:
        _fast_check(kind)(data)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass
    errors = itertools.islice(_validator(kind).iter_errors(data), MAX_PROBLEMS + 1)
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        if error.context:  # oneOf/anyOf: the branch that came closest says what is wrong
            from jsonschema.exceptions import best_match

            error = best_match(error.context)
        problems.extend(itertools.islice(_messages(error, doc), MAX_PROBLEMS + 1))
    if len(problems) > MAX_PROBLEMS:
        # a file with 40,000 unknown keys would take minutes to explain, and nobody reads it all
        message = f"over {MAX_PROBLEMS} schema problems; only the first {MAX_PROBLEMS} are listed"
        problems = [*problems[:MAX_PROBLEMS], doc.diagnostic((), "E-SIZE", message)]
    return problems
