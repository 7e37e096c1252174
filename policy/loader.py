"""Load policy, bindings and other seloste documents, reporting every error with its place."""

from __future__ import annotations

import heapq
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from seloste.policy import files, yamlsource
from seloste.policy.errors import SHOWN, InputError, Problem, first, quoted
from seloste.policy.loaded import Loaded, policy_of
from seloste.policy.model import ID_PATTERN, Bindings, Policy
from seloste.policy.names import did_you_mean

M = TypeVar("M", bound=BaseModel)


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
    shown = quoted(value if isinstance(value, str) else repr(value), 40)
    return f"the quoted string {shown}" if loc in doc.quoted else shown


def _about_key(error: Any) -> bool:
    """Whether a pydantic error is about a mapping key (its place is the key's)."""
    loc = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return True
    return error["type"] == "string_pattern_mismatch" and bool(loc) and loc[-1] == "[key]"


def _message(model: type[BaseModel], doc: yamlsource.Document, error: Any) -> str:
    """A readable message for one pydantic error."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if loc and loc[-1] == "[key]":  # a mapping key that fails its own type, e.g. an ID
        loc, got = loc[:-1], quoted(str(loc[-2]))
    else:
        got = _describe(doc, loc, error.get("input"))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        owner = _model_at(model, loc[:-1])
        if (why := _retired_key(owner, name, doc, loc[:-1])) is not None:
            return why
        known = _keys(owner)
        tail = did_you_mean(name, known) or f"; expected one of: {', '.join(known)}"
        return f"unknown key {quoted(name)}{tail}"
    if kind == "missing":
        return f"missing required key {str(loc[-1])!r}"
    if kind == "string_type":
        return f"expected a string, got {got} (quote it)"
    if kind == "bool_type":
        return f"expected true or false, got {got}"
    if kind in ("int_type", "float_type"):
        return f"expected a number, got {got}"
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping, got {got}"
    if kind == "list_type":
        return f"expected a list, got {got}"
    if kind == "literal_error":
        owner = _model_at(model, loc[:-1])
        if owner is not None and (why := _retired_value(owner, loc, error)) is not None:
            return why
        expected = error["ctx"]["expected"]
        return f"expected one of {expected}, got {got}"
    if kind == "string_pattern_mismatch":
        if error["ctx"]["pattern"] == ID_PATTERN:
            return f"{got} is not a valid ID (lowercase letters, digits, _ and -)"
        if "@" in error["ctx"]["pattern"]:
            return f"{got} is not an e-mail address"
        return f"{got} does not match {error['ctx']['pattern']}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return f"{error['msg']} (got {got})"


def _retired_key(
    owner: type[BaseModel] | None, key: str, doc: yamlsource.Document, at: tuple[str | int, ...]
) -> str | None:
    """How to rewrite a key the language no longer has (policy/retired.py), or None."""
    if owner is None:
        return None
    from seloste.policy.retired import key_message

    mapping: Any = doc.data
    for step in at:
        if isinstance(mapping, dict):
            mapping = mapping.get(step)
        elif isinstance(mapping, list) and isinstance(step, int) and step < len(mapping):
            mapping = mapping[step]
        else:
            mapping = None
    return key_message(owner.__name__, key, mapping)


def _retired_value(owner: type[BaseModel], loc: tuple[str | int, ...], error: Any) -> str | None:
    from seloste.policy.retired import value_message

    return value_message(owner.__name__, str(loc[-1]), error.get("input"))


def validate(doc: yamlsource.Document, model: type[M]) -> M:
    """Validate a parsed document against ``model``; every error becomes a ``Problem``.

    Errors under a place the parser already reported (a forbidden tag) are left out: one
    cause, one message. A file that was never meant for seloste can have an error per value,
    so messages (and their "did you mean") are made for the first ``SHOWN`` errors only, by
    place, and the rest are counted. A document of more than ``PIECE`` values is validated in
    parts (policy/bounded.py), and its first errors are the first found. One where the reader
    already stopped keeping problems is not validated at all.
    """
    if doc.more:
        raise InputError(first(doc.path, doc.problems, more=doc.more))
    if doc.nodes > yamlsource.PIECE:
        return _validate_in_parts(doc, model)
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    else:
        if not doc.problems:
            return result
        errors = []
    kept = [e for e in errors if not _under(doc, tuple(e["loc"]))]
    placed = ((doc.mark(_loc(e), key=_about_key(e)), i, e) for i, e in enumerate(kept))
    chosen = heapq.nsmallest(SHOWN, placed)
    made = [Problem(doc.path, *place, _message(model, doc, error)) for place, _, error in chosen]
    raise InputError(first(doc.path, [*doc.problems, *made], more=len(kept) - len(made)))


def _validate_in_parts(doc: yamlsource.Document, model: type[M]) -> M:
    """``validate`` for a large document: its first ``SHOWN`` errors found, and a count."""
    from seloste.policy.bounded import errors

    found = errors(model, doc.data, doc.sizes, doc.bad, SHOWN)
    if not found.total and not doc.problems:
        return model.model_validate(doc.data)  # no error to keep: the model, built whole
    made = [doc.problem(_loc(e), _message(model, doc, e), key=_about_key(e)) for e in found.first]
    raise InputError(first(doc.path, [*doc.problems, *made], more=found.total - len(made)))


def _loc(error: Any) -> tuple[str | int, ...]:
    """Where an error is, for its place: a key's error is at the key."""
    loc = tuple(error["loc"])
    return loc[:-1] if loc and loc[-1] == "[key]" else loc


def _under(doc: yamlsource.Document, loc: tuple[str | int, ...]) -> bool:
    """Whether ``loc`` is at or under a place the parser already reported."""
    return bool(doc.bad) and any(loc[:n] in doc.bad for n in range(len(loc) + 1))


def from_document(doc: yamlsource.Document, model: type[M]) -> Loaded[M]:
    expected = typing.get_args(model.model_fields["kind"].annotation)[0]
    kind = doc.data.get("kind")
    if kind is not None and kind != expected:
        got = quoted(kind) if isinstance(kind, str) else repr(kind)
        raise InputError([doc.problem(("kind",), f"expected a {expected} file, got kind {got}")])
    return Loaded(validate(doc, model), doc)


def load(path: str | Path, model: type[M]) -> Loaded[M]:
    return from_document(yamlsource.read(path), model)


def load_policy(path: str | Path, *, cache: bool = False) -> Loaded[Policy]:
    """The policy at ``path``; with ``cache``, one whose bytes were loaded before is taken
    from the user's policy cache (policy/cache.py) instead of parsed and validated again."""
    if not cache:
        return load(path, Policy)
    from seloste.policy import cache as policy_cache

    raw = files.read_bytes(path)
    name = policy_cache.key(raw)
    if (found := policy_cache.fetch(name, str(path))) is not None:
        return found
    loaded = from_document(yamlsource.parse_bytes(raw, str(path)), Policy)
    policy_cache.store(name, loaded)
    return loaded


def load_bindings(path: str | Path) -> Loaded[Bindings]:
    return load(path, Bindings)


def named_policy_problems(loaded: Loaded[Any], error: InputError) -> list[Problem]:
    """The problems of the policy a file names; one that cannot be opened at all (a problem
    with no place in it) is the naming file's mistake, reported at its ``policy:``."""
    if any(p.line for p in error.problems):
        return list(error.problems)
    line, column = loaded.mark("policy")
    reasons = "; ".join(p.message for p in error.problems)
    return [Problem(loaded.path, line, column, f"policy {loaded.model.policy!r}: {reasons}")]


def models() -> dict[str, type[BaseModel]]:
    """Every document kind seloste reads, by the ``kind`` it declares."""
    from seloste.policy.flows import Flows

    return {"policy": Policy, "bindings": Bindings, "flows": Flows}


def _given(model: type[BaseModel]) -> Callable[[], type[BaseModel]]:
    return lambda: model


def load_any(
    path: str | Path,
    also: Mapping[str, Callable[[], type[BaseModel]]] | None = None,
    *,
    cache: bool = False,
    raw: bytes | None = None,
) -> Loaded[BaseModel]:
    """Load a seloste file of whichever kind it declares: a document of the policy, or one of
    the kinds in ``also`` (a command's own files, such as waivers), whose model is imported
    only when a file declares it.

    With ``cache``, a policy is taken from the user's policy cache when its bytes were loaded
    before, and stored there once loaded (policy/cache.py). ``raw`` is the file's bytes when
    the caller has read them already.
    """
    raw = files.read_bytes(path) if raw is None else raw
    if cache:
        from seloste.policy import cache as policy_cache

        name = policy_cache.key(raw)
        if (found := policy_cache.fetch(name, str(path))) is not None:
            return cast("Loaded[BaseModel]", found)  # the cache holds policies only
    doc = yamlsource.parse_bytes(raw, str(path))
    kinds = {name: _given(model) for name, model in models().items()}
    kinds.update(also or {})
    kind = doc.data.get("kind")
    if not isinstance(kind, str) or kind not in kinds:  # a list or mapping is not hashable
        got = "missing" if kind is None else quoted(kind) if isinstance(kind, str) else repr(kind)
        raise InputError(
            [doc.problem(("kind",), f"'kind' is {got}; expected one of: {', '.join(kinds)}")]
        )
    loaded = from_document(doc, kinds[kind]())
    if cache and isinstance(loaded.model, Policy):
        policy_cache.store(name, cast("Loaded[Policy]", loaded))
    return loaded


__all__ = [
    "InputError",
    "Loaded",
    "Problem",
    "load",
    "load_any",
    "load_bindings",
    "load_policy",
    "policy_of",
]
