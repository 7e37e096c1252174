"""Validation of a large document part by part, so that its errors cannot exhaust memory.

pydantic keeps every error it finds, about 450 bytes each, and turning them into dicts takes
as much again; it has no limit to stop at (pydantic issue #8242). A document within seloste's
limits can have two million: a million values that are a mapping of empty flows, each
missing its keys and named by an invalid ID. So a document of more than ``PIECE`` values is
validated part by part, each part against its own type (a model's fields apart from its
large ones, slices of a large mapping or list, each large value on its own), none with more
than ``PIECE`` values. Only the first errors are made into dicts; the others are counted.
The parts follow the document, so the errors kept are the first ones found.

The parts give exactly the errors pydantic gives for the whole (seloste's models have no
validator that reads more than one field), with one difference of form: the members of a
union are not tried part by part, so a union's value is validated whole.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from seloste.policy.yamlsource import PIECE, UNSIZED

Loc = tuple[str | int, ...]
Moved = Callable[[Loc], Loc] | None  # a part's places to the whole's (a slice's indexes)


class Found(NamedTuple):
    """The first errors found (pydantic's dicts, their ``loc`` from the document's top) and
    how many there are in all."""

    first: list[dict[str, Any]]
    total: int


class _Errors(typing.Protocol):
    """What the sink reads: a ``ValidationError``, or errors made without one."""

    def error_count(self) -> int: ...

    def errors(self, *, include_url: bool = ...) -> typing.Iterable[typing.Mapping[str, Any]]: ...


class _Sink:
    """Keeps the first ``keep`` errors and counts the rest; errors under a place the parser
    already reported (``bad``) are left out, as ``policy.loader.validate`` does."""

    def __init__(self, keep: int, bad: set[Loc]) -> None:
        self.keep, self.bad = keep, bad
        self.first: list[dict[str, Any]] = []
        self.count = 0

    def add(self, found: _Errors, where: Loc, moved: Moved = None) -> None:
        """``found``'s errors, their ``loc`` made whole by ``moved`` and ``where``."""
        near_bad = any(b[: len(where)] == where for b in self.bad)
        if len(self.first) >= self.keep and not near_bad:
            self.count += found.error_count()  # no dicts: only the count is wanted
            return
        seen = 0
        for error in found.errors(include_url=False):
            seen += 1
            loc = (*where, *(moved(tuple(error["loc"])) if moved else error["loc"]))
            if near_bad and any(loc[:n] in self.bad for n in range(len(loc) + 1)):
                continue
            self.count += 1
            if len(self.first) < self.keep:
                self.first.append({**error, "loc": loc})
            elif not near_bad:
                self.count += found.error_count() - seen
                return


def errors(
    model: type[BaseModel], data: Any, sizes: dict[int, int], bad: set[Loc], keep: int
) -> Found:
    """The errors of ``data`` as ``model``, found part by part (``sizes``: the number of
    values of each large container, by ``id``, as the reader counted them)."""
    sink = _Sink(keep, bad)
    _Parts(sizes, sink).check(model, data, ())
    return Found(sink.first, sink.count)


class _Parts:
    def __init__(self, sizes: dict[int, int], sink: _Sink) -> None:
        self.sizes, self.sink = sizes, sink

    def size(self, value: Any) -> int:
        if value.__class__ is dict or value.__class__ is list:
            return self.sizes.get(id(value), UNSIZED if value else 1)
        return 1

    def check(self, annotation: Any, value: Any, where: Loc) -> None:
        shape = _shape(annotation, value)
        if shape is None or self.size(value) <= PIECE:
            self.whole(annotation, value, where)
        elif isinstance(shape, type):
            self.model(shape, value, where)
        elif isinstance(value, dict):
            self.mapping(annotation, shape[0], shape[1], value, where)
        else:
            self.sequence(annotation, shape[0], value, where)

    def whole(self, annotation: Any, value: Any, where: Loc, moved: Moved = None) -> None:
        try:
            _adapter(annotation).validate_python(value)
        except ValidationError as exc:
            self.sink.add(exc, where, moved)

    def model(self, model: type[BaseModel], value: dict[str, Any], where: Loc) -> None:
        """The fields that fit in one part together, then each large field on its own, then
        the keys the model does not know (one error each, when it forbids them)."""
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        fields |= {name: f for name, f in model.model_fields.items()}
        forbids = model.model_config.get("extra") == "forbid"
        known = [k for k in value if k in fields or not forbids]
        large: list[str] = []
        total = sum(self.size(value[k]) for k in known)
        for key in sorted(known, key=lambda k: -self.size(value[k])):
            if total <= PIECE:
                break
            large.append(key)
            total -= self.size(value[key])
        try:
            model.model_validate({k: value[k] for k in known if k not in large})
        except ValidationError as exc:
            # A large field is left out of this part, so pydantic says it is missing: it is not.
            self.sink.add(_Without(exc, {(k,) for k in large}), where)
        for key in large:
            self.check(_annotated(fields[key]), value[key], (*where, key))
        if forbids:
            self.sink.add(_Extras(value, [k for k in value if k not in fields]), where)

    def mapping(
        self, annotation: Any, key_type: Any, item: Any, value: dict[Any, Any], where: Loc
    ) -> None:
        part: dict[Any, Any] = {}
        weight = 0
        for key, entry in value.items():
            size = self.size(entry)
            if part and (size > PIECE or weight + size > PIECE):
                self.whole(annotation, part, where)
                part, weight = {}, 0
            if size > PIECE:
                self.whole(key_type, key, (*where, key), lambda loc: ("[key]", *loc))
                self.check(item, entry, (*where, key))
                continue
            part[key] = entry
            weight += size
        if part:
            self.whole(annotation, part, where)

    def sequence(self, annotation: Any, item: Any, value: list[Any], where: Loc) -> None:
        start, weight = 0, 0
        for index, entry in enumerate(value):
            size = self.size(entry)
            if size > PIECE:
                self.slice(annotation, value, start, index, where)
                self.check(item, entry, (*where, index))
                start, weight = index + 1, 0
                continue
            if weight + size > PIECE and index > start:
                self.slice(annotation, value, start, index, where)
                start, weight = index, 0
            weight += size
        self.slice(annotation, value, start, len(value), where)

    def slice(self, annotation: Any, value: list[Any], start: int, end: int, where: Loc) -> None:
        if end > start:
            self.whole(
                annotation, value[start:end], where, lambda loc: (int(loc[0]) + start, *loc[1:])
            )


class _Without:
    """A part's errors without the "missing" ones of fields left out of it on purpose."""

    def __init__(self, exc: ValidationError, keys: set[Loc]) -> None:
        self.kept: list[ErrorDetails] = [
            e
            for e in exc.errors(include_url=False)
            if not (e["type"] == "missing" and tuple(e["loc"]) in keys)
        ]

    def error_count(self) -> int:
        return len(self.kept)

    def errors(self, **_: Any) -> list[ErrorDetails]:
        return self.kept


class _Extras:
    """The errors pydantic gives for keys a model forbids, made without validating: one a
    key, whatever its value."""

    def __init__(self, value: dict[str, Any], keys: list[str]) -> None:
        self.value, self.keys = value, keys

    def error_count(self) -> int:
        return len(self.keys)

    def errors(self, **_: Any) -> typing.Iterator[dict[str, Any]]:
        message = "Extra inputs are not permitted"
        for key in self.keys:
            yield {
                "type": "extra_forbidden",
                "loc": (key,),
                "msg": message,
                "input": self.value[key],
            }


def _annotated(field: Any) -> Any:
    """A field's type with its constraints (``min_length``...)."""
    if not field.metadata:
        return field.annotation
    return Annotated[field.annotation, *field.metadata]


def _shape(annotation: Any, value: Any) -> Any:
    """How ``value`` can be split as ``annotation``: a model class, ``(key type, value type)``
    of a mapping, ``(item type,)`` of a list, or None (validated whole)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _shape(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _shape(members[0], value) if len(members) == 1 else None
    if (
        isinstance(value, dict)
        and isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
    ):
        return annotation
    if isinstance(value, dict) and origin is dict:
        return typing.get_args(annotation)
    if isinstance(value, list) and origin is list:
        return typing.get_args(annotation)
    return None


@cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """A validator of ``annotation`` as strict as seloste's models."""
    # A model (also one with validators around it) brings its own strict config.
    base = annotation
    while typing.get_origin(base) is Annotated:
        base = typing.get_args(base)[0]
    if isinstance(base, type) and issubclass(base, BaseModel):
        return TypeAdapter(annotation)
    return TypeAdapter(annotation, config=ConfigDict(strict=True))
