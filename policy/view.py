"""Validated documents as plain data, read without pydantic: what the pre-commit hook reads
when the policy a staged file names did not change (policy/cache.py).

Both kinds of data here are made from the one definition of the formats (the pydantic models
of policy/model.py and policy/flows.py) by a run that has validated with them, and both are
JSON: reading them runs no code.

- A **view** of a validated model: its values, each model a mapping of its fields and the
  names of the fields that were set. :func:`loads` gives back objects with the model's own
  attribute names (:class:`Plain`), so the code that reads a policy or a staged file (the
  flow and bindings rules, the transfer decisions, the register names) is the same code for
  the model and the view.
- A **format**: a model's pydantic-core schema as data (:func:`compile_format`), which
  :func:`accept` applies to a parsed document. It only ever accepts: anything it cannot
  decide the way pydantic would (a key it does not know in the schema, an alias written by
  the field's name, a string with a line break under a pattern, a validator function it does
  not list) gives None, and the caller validates with pydantic, whose messages are the
  errors. So a document it accepts is one pydantic accepts, giving the same values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Validator functions a format may name, by a name of their own: a format is data, so it
# names code only out of this table. Imported when first asked for.
_CHECKS: dict[str, tuple[str, str]] = {
    "place": ("seloste.policy.regions", "place"),
    "time_format": ("seloste.policy.timechecks", "time_format"),
    "time_zone": ("seloste.policy.timechecks", "time_zone"),
}

Node = dict[str, Any]


class Unsupported(TypeError):
    """A value :func:`encode` cannot keep as JSON: the policy gets no view."""


def _check(name: str) -> Callable[[Any], Any]:
    from importlib import import_module

    module, attribute = _CHECKS[name]
    function: Callable[[Any], Any] = getattr(import_module(module), attribute)
    return function


class Plain:
    """A model's values as attributes, with the names of the fields that were set."""

    model_fields_set: frozenset[str]

    def __init__(self, values: dict[str, Any], given: frozenset[str]) -> None:
        self.__dict__.update(values)
        self.model_fields_set = given

    def __repr__(self) -> str:
        return f"Plain({self.__dict__!r})"


# --- views -------------------------------------------------------------------------------


# Each model, mapping, list and tuple is a JSON object whose key "" says which, so that
# :func:`loads` can rebuild it as the JSON is read. No model field and no mapping key kept is
# "" (a mapping with that key is not kept), so a mapping's own keys never read as a marker.
_MARK = ""


def encode(value: Any) -> Any:
    """``value`` (a validated model and what it holds) as JSON data; ``Unsupported`` for a
    value that is none of a model, mapping with string keys, list, tuple or JSON scalar."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        fields = {name: encode(getattr(value, name)) for name in type(value).model_fields}
        return {_MARK: "m", "v": fields, "s": sorted(value.model_fields_set)}
    if isinstance(value, dict):
        if not all(type(k) is str and k != _MARK for k in value):
            raise Unsupported("a mapping with a key that is not a non-empty string")
        return {_MARK: "d", "v": {k: encode(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {_MARK: "l" if isinstance(value, list) else "t", "v": [encode(v) for v in value]}
    if value is None or type(value) in (str, int, float, bool):
        return value
    raise Unsupported(f"a value of type {type(value).__name__}")


def _rebuilt(data: dict[str, Any]) -> Any:
    """One JSON object of :func:`encode` as what it stands for (its contents are rebuilt
    already: JSON is read from the inside out)."""
    kind = data.get(_MARK)
    if kind == "m":
        return Plain(data["v"], frozenset(data["s"]))
    if kind == "t":
        return tuple(data["v"])
    return data["v"] if kind in ("d", "l") else data


def loads(text: bytes | str) -> Any:
    """What :func:`encode` gave, written as JSON, as :class:`Plain` objects, mappings, lists
    and tuples."""
    import json

    return json.loads(text, object_hook=_rebuilt)


# --- formats -----------------------------------------------------------------------------


def compile_format(model: type[Any]) -> Node:
    """The pydantic-core schema of ``model`` as data :func:`accept` reads. A part it cannot
    express becomes ``{"t": "unknown"}``, which accepts nothing."""
    model.model_rebuild()  # built on first use (defer_build)
    schema = model.__pydantic_core_schema__
    refs: dict[str, Node] = {}
    root = _compile(schema, refs)
    return {"root": root, "refs": refs}


_UNKNOWN: Node = {"t": "unknown"}
_IGNORED = {"metadata", "ref", "serialization"}


def _only(schema: Any, *allowed: str) -> bool:
    return set(schema) - _IGNORED <= {"type", *allowed}


def _compile(schema: Any, refs: dict[str, Node]) -> Node:
    kind = schema.get("type")
    node = _compile_kind(kind, schema, refs)
    if "ref" in schema:
        refs[schema["ref"]] = node
        return {"t": "ref", "ref": schema["ref"]}
    return node


def _compile_kind(kind: str, schema: Any, refs: dict[str, Node]) -> Node:
    if kind == "definitions" and _only(schema, "schema", "definitions"):
        for definition in schema["definitions"]:
            _compile(definition, refs)
        return _compile(schema["schema"], refs)
    if kind == "definition-ref" and _only(schema, "schema_ref"):
        return {"t": "ref", "ref": schema["schema_ref"]}
    if kind == "model" and _only(schema, "cls", "config", "custom_init", "root_model", "schema"):
        config = schema.get("config", {})
        plain = not schema.get("custom_init") and not schema.get("root_model")
        if plain and config.get("extra_fields_behavior") == "forbid" and config.get("strict"):
            return _compile(schema["schema"], refs)
        return _UNKNOWN
    if kind == "model-fields" and _only(schema, "fields", "model_name", "computed_fields"):
        if schema.get("computed_fields"):
            return _UNKNOWN
        return {"t": "model", "fields": [_field(n, f, refs) for n, f in schema["fields"].items()]}
    if kind == "str" and _only(schema, "pattern", "max_length", "min_length", "strict"):
        if schema.get("strict") is False:
            return _UNKNOWN
        return {
            "t": "str",
            **{k: schema[k] for k in ("pattern", "max_length", "min_length") if k in schema},
        }
    if kind in ("int", "bool") and _only(schema, "strict"):
        return _UNKNOWN if schema.get("strict") is False else {"t": kind}
    if kind == "nullable" and _only(schema, "schema", "strict"):
        return {"t": "nullable", "of": _compile(schema["schema"], refs)}
    if kind in ("list", "dict") and _only(
        schema, "items_schema", "keys_schema", "values_schema", "min_length", "max_length", "strict"
    ):
        node: Node = {
            "t": kind,
            **{k: schema[k] for k in ("min_length", "max_length") if k in schema},
        }
        if kind == "list":
            node["items"] = _compile(schema.get("items_schema", {"type": "any"}), refs)
        else:
            node["keys"] = _compile(schema.get("keys_schema", {"type": "any"}), refs)
            node["values"] = _compile(schema.get("values_schema", {"type": "any"}), refs)
        return node
    if kind == "literal" and _only(schema, "expected"):
        expected = schema["expected"]
        if all(e is None or type(e) in (str, int, bool) for e in expected):
            return {"t": "literal", "expected": list(expected)}
        return _UNKNOWN
    if kind == "function-after" and _only(schema, "function", "schema"):
        function = schema["function"]
        name = next((n for n in _CHECKS if function.get("function") is _check(n)), None)
        if function.get("type") == "no-info" and name is not None:
            return {"t": "after", "check": name, "of": _compile(schema["schema"], refs)}
        return _UNKNOWN
    return _UNKNOWN


def _field(name: str, field: Any, refs: dict[str, Node]) -> list[Any]:
    """``[name, key, node, required, default]``: the key the document writes (its alias)."""
    alias = field.get("validation_alias", name)
    if not isinstance(alias, str) or not _only(
        field,
        "schema",
        "validation_alias",
        "serialization_alias",
        "frozen",
        "serialization_exclude",
    ):
        return [name, alias if isinstance(alias, str) else name, _UNKNOWN, True, None]
    schema = field["schema"]
    if schema.get("type") != "default":
        return [name, alias, _compile(schema, refs), True, None]
    if "default_factory" in schema:
        if schema.get("default_factory_takes_data"):
            return [name, alias, _UNKNOWN, True, None]
        default = schema["default_factory"]()
    else:
        default = schema.get("default")
    ok = _only(schema, "schema", "default", "default_factory", "default_factory_takes_data")
    if not ok or not (default in ([], {}) or default is None or type(default) in (str, int, bool)):
        return [name, alias, _UNKNOWN, True, None]
    return [name, alias, _compile(schema["schema"], refs), False, default]


class _Refused(Exception):
    """The document is not one this format can accept: pydantic decides."""


def accept(form: Node, data: Any) -> Any | None:
    """``data`` validated by ``form`` (:func:`compile_format`), models as :class:`Plain`
    objects; None when it is not accepted (then pydantic decides, and reports)."""
    try:
        return _accept(form["root"], data, form["refs"])
    except _Refused:
        return None
    except (KeyError, TypeError, ValueError, IndexError, re.error):
        # A format that is not what compile_format makes, or a check that refused: pydantic
        # decides.
        return None


def _accept(node: Node, value: Any, refs: dict[str, Node]) -> Any:
    kind = node["t"]
    if kind == "ref":
        return _accept(refs[node["ref"]], value, refs)
    if kind == "model":
        return _model(node, value, refs)
    if kind == "str":
        return _string(node, value)
    if kind in ("int", "bool"):
        if type(value) is not (int if kind == "int" else bool):
            raise _Refused
        return value
    if kind == "nullable":
        return None if value is None else _accept(node["of"], value, refs)
    if kind == "list":
        if type(value) is not list:
            raise _Refused
        _length(node, value)
        return [_accept(node["items"], v, refs) for v in value]
    if kind == "dict":
        if type(value) is not dict:
            raise _Refused
        _length(node, value)
        return {
            _accept(node["keys"], k, refs): _accept(node["values"], v, refs)
            for k, v in value.items()
        }
    if kind == "literal":
        if not any(type(e) is type(value) and e == value for e in node["expected"]):
            raise _Refused
        return value
    if kind == "after":
        return _check(node["check"])(_accept(node["of"], value, refs))
    raise _Refused


def _model(node: Node, value: Any, refs: dict[str, Node]) -> Plain:
    if type(value) is not dict:
        raise _Refused
    keys = {alias for _, alias, *_ in node["fields"]}
    names = {name for name, *_ in node["fields"]}
    # Another key, or a field written by its name where the document writes its alias
    # (pydantic takes both): pydantic decides.
    if any(k not in keys for k in value) or any(n in value for n in names - keys):
        raise _Refused
    values, given = {}, set()
    for name, alias, field, required, default in node["fields"]:
        if alias in value:
            values[name] = _accept(field, value[alias], refs)
            given.add(name)
        elif required:
            raise _Refused
        else:
            values[name] = type(default)() if default in ([], {}) else default
    return Plain(values, frozenset(given))


def _string(node: Node, value: Any) -> str:
    if type(value) is not str:
        raise _Refused
    _length(node, value)
    pattern = node.get("pattern")
    # pydantic matches patterns with Rust's regex, whose ``$`` and classes differ from
    # Python's at a line break and beyond ASCII: there, pydantic decides.
    if pattern is not None and (not value.isascii() or "\n" in value or "\r" in value):
        raise _Refused
    if pattern is not None and re.search(pattern, value) is None:
        raise _Refused
    return value


def _length(node: Node, value: Any) -> None:
    if len(value) < node.get("min_length", 0) or len(value) > node.get("max_length", len(value)):
        raise _Refused
