"""Load policy, bindings and other seloste documents, reporting every error with its place."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from policy import yamlsource
from policy.errors import InputError, Problem
from policy.model import ID_PATTERN, Bindings, Policy

M = TypeVar("M", bound=BaseModel)


class Loaded(NamedTuple, Generic[M]):
    """A validated document and the parsed file it came from (for places in findings).

    A NamedTuple for the reason ``Problem`` is one (policy/errors.py).
    """

    model: M
    doc: yamlsource.Document

    @property
    def path(self) -> str:
        return self.doc.path

    def mark(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        return self.doc.mark(path, key=key)


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold (through Optional, list, dict, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (None where it is not a model)."""
    current: Any = model
    i = 0
    while i < len(loc):
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(loc[i])) or next(
            (f for f in current.model_fields.values() if f.alias == loc[i]), None
        )
        if info is None:
            return None
        annotation = info.annotation
        i += 1
        origin = typing.get_origin(annotation)
        while origin in (list, dict) or origin in (typing.Union, types.UnionType):
            if origin in (typing.Union, types.UnionType):
                args = [a for a in typing.get_args(annotation) if a is not type(None)]
                annotation = args[0]
            else:
                annotation = typing.get_args(annotation)[-1]
                i += 1
            origin = typing.get_origin(annotation)
        models = _unwrap(annotation)
        current = models[0] if models else annotation
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(doc: yamlsource.Document, loc: tuple[str | int, ...], value: Any) -> str:
    """The offending value as the user wrote it, shortened."""
    if loc in doc.texts:
        value = doc.texts[loc]
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = value if isinstance(value, str) else repr(value)
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    return f"the quoted string {shown}" if loc in doc.quoted else shown


def _message(model: type[BaseModel], doc: yamlsource.Document, error: Any) -> tuple[str, bool]:
    """A readable message for one pydantic error, and whether it is about a key."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if loc and loc[-1] == "[key]":  # a mapping key that fails its own type, e.g. an ID
        loc, got = loc[:-1], repr(loc[-2])
    else:
        got = _describe(doc, loc, error.get("input"))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _keys(_model_at(model, loc[:-1]))
        import difflib  # only for a message about an unknown key

        hint = difflib.get_close_matches(name, known, n=1)
        tail = f"; did you mean {hint[0]!r}?" if hint else f"; expected one of: {', '.join(known)}"
        return f"unknown key {name!r}{tail}", True
    if kind == "missing":
        return f"missing required key {str(loc[-1])!r}", False
    if kind == "string_type":
        return f"expected a string, got {got} (quote it)", False
    if kind == "bool_type":
        return f"expected true or false, got {got}", False
    if kind in ("int_type", "float_type"):
        return f"expected a number, got {got}", False
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping, got {got}", False
    if kind == "list_type":
        return f"expected a list, got {got}", False
    if kind == "literal_error":
        expected = error["ctx"]["expected"]
        return f"expected one of {expected}, got {got}", False
    if kind == "string_pattern_mismatch":
        is_key = tuple(error["loc"])[-1] == "[key]"
        if error["ctx"]["pattern"] == ID_PATTERN:
            return f"{got} is not a valid ID (lowercase letters, digits, _ and -)", is_key
        if "@" in error["ctx"]["pattern"]:
            return f"{got} is not an e-mail address", is_key
        return f"{got} does not match {error['ctx']['pattern']}", is_key
    if kind == "too_short":
        return "must not be empty", False
    if kind == "value_error":
        return str(error["ctx"]["error"]), False
    return f"{error['msg']} (got {got})", False


def validate(doc: yamlsource.Document, model: type[M]) -> M:
    """Validate a parsed document against ``model``; every error becomes a ``Problem``.

    Errors under a place the parser already reported (a forbidden tag) are left out: one
    cause, one message.
    """
    problems = list(doc.problems)
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if any(loc[: len(bad)] == bad for bad in doc.bad):
                continue
            message, key = _message(model, doc, error)
            if loc and loc[-1] == "[key]":
                loc = loc[:-1]
            problems.append(doc.problem(loc, message, key=key))
    if problems:
        raise InputError(problems)
    return result


def from_document(doc: yamlsource.Document, model: type[M]) -> Loaded[M]:
    expected = model.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    kind = doc.data.get("kind")
    if kind is not None and kind != expected:
        raise InputError([doc.problem(("kind",), f"expected a {expected} file, got kind {kind!r}")])
    return Loaded(validate(doc, model), doc)


def load(path: str | Path, model: type[M]) -> Loaded[M]:
    return from_document(yamlsource.read(path), model)


def load_policy(path: str | Path) -> Loaded[Policy]:
    return load(path, Policy)


def load_bindings(path: str | Path) -> Loaded[Bindings]:
    return load(path, Bindings)


def policy_of(bindings: Loaded[Bindings]) -> Path:
    """The policy file a bindings file names, relative to the bindings file."""
    return Path(bindings.path).parent / bindings.model.policy


def models() -> dict[str, type[BaseModel]]:
    """Every document kind seloste reads, by the ``kind`` it declares."""
    from policy.flows import Flows

    return {"policy": Policy, "bindings": Bindings, "flows": Flows}


def load_any(path: str | Path) -> Loaded[BaseModel]:
    """Load a seloste file of whichever kind it declares."""
    doc = yamlsource.read(path)
    kinds = models()
    kind = doc.data.get("kind")
    if not isinstance(kind, str) or kind not in kinds:  # a list or mapping is not hashable
        got = "missing" if kind is None else repr(kind)
        raise InputError(
            [doc.problem(("kind",), f"'kind' is {got}; expected one of: {', '.join(kinds)}")]
        )
    return from_document(doc, kinds[kind])


__all__ = ["InputError", "Loaded", "Problem", "load", "load_any", "load_bindings", "load_policy"]
