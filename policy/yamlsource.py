"""YAML that comes out as the user wrote it, with the place of every value.

PyYAML's safe loader is YAML 1.1: ``NO`` (Norway) becomes ``False``, ``2026-01-01`` a date and
``010`` the integer 8, and a repeated key silently replaces the first. A policy must not lose
a rule or a country that way, so this module composes the node graph with PyYAML and builds
the values itself, under a small JSON-like resolver:

- plain ``true``/``false`` are booleans, ``null``/``~``/empty are null, decimal integers without
  a leading zero are integers, decimal numbers with a point are floats;
- every other scalar, and every mapping key, is the string as written;
- a repeated key, a non-standard tag (``!!python/object``...), a merge key, a document that is
  not one mapping, and alias expansion beyond a budget are errors, all collected at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policy.errors import InputError, Problem

Path_ = tuple[str | int, ...]

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_DEPTH = 200

_IMPLICIT = "tag:seloste:implicit"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


class _Loader(yaml.SafeLoader):
    """Composes nodes only; every untagged scalar gets one tag, resolved later by ``_scalar``."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # type: ignore[override]
        if kind is yaml.ScalarNode:
            return _IMPLICIT
        return super().resolve(kind, value, implicit)


@dataclass
class Document:
    """A parsed YAML file: its values and where each one stands (1-based line, column)."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Path_] = field(default_factory=set)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The place of ``path``, or of its nearest ancestor that has one."""
        table = self.key_marks if key else self.marks
        if key and path not in table:
            table = self.marks
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, column = self.mark(path, key=key)
        return Problem(self.path, line, column, message)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == "tag:yaml.org,2002:str" or node.style is not None:
        return node.value
    text = node.value
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.nodes = 0

    def fail(self, node: yaml.Node, message: str, path: Path_) -> None:
        line, column = _pos(node)
        self.problems.append(Problem(self.doc.path, line, column, message))
        self.doc.bad.add(path)

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooBig(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        self.doc.marks[path] = _pos(node)
        if node.tag not in _STANDARD_TAGS and node.tag != _IMPLICIT:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(node, f"tag {tag} is not allowed", path)
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.style is None:
                self.doc.texts[path] = node.value
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, path, depth)

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.style is None
                and key_node.value == "<<"
            ):
                self.fail(key_node, "merge keys (<<) are not supported; write the keys out", path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "a mapping key must be a plain string", path)
                continue
            key = key_node.value
            if key in first:
                line, _ = _pos(first[key])
                self.fail(
                    key_node, f"duplicate key {key!r} (first defined on line {line})", (*path, key)
                )
                continue
            first[key] = key_node
            self.doc.key_marks[(*path, key)] = _pos(key_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeep(_TooBig):
    pass


def _decode(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        column = exc.start - (head.rfind(b"\n") + 1) + 1
        raise InputError([Problem(path, line, column, "not valid UTF-8")]) from None


def parse(text: str, path: str) -> Document:
    """Parse one YAML document.

    Syntax errors raise ``InputError`` at once; problems the parser can step over (a duplicate
    key, a forbidden tag) are kept in ``Document.problems`` so that schema validation can add
    its own and the user sees them all in one run.
    """
    doc = Document(path=path, data=None)
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            what = "expected a single YAML document, found more than one"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise InputError([Problem(path, line, column, f"YAML syntax: {what}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(path, 0, 0, f"YAML: {exc}")]) from None
    except RecursionError:
        raise InputError([Problem(path, 0, 0, "YAML nesting is too deep")]) from None
    if root is None:
        raise InputError([Problem(path, 1, 1, "the file is empty; expected a mapping")])
    builder = _Builder(doc)
    try:
        doc.data = builder.build(root, ())
    except _TooDeep as exc:
        line, column = _pos(exc.node)
        problem = Problem(path, line, column, f"nesting deeper than {MAX_DEPTH} levels")
        raise InputError([problem]) from None
    except _TooBig as exc:
        line, column = _pos(exc.node)
        raise InputError(
            [
                Problem(
                    path,
                    line,
                    column,
                    f"document expands to more than {MAX_NODES} values (aliases nested too deep?)",
                )
            ]
        ) from None
    doc.problems = builder.problems
    if not isinstance(doc.data, dict):
        line, column = _pos(root)
        raise InputError([Problem(path, line, column, "expected a mapping at the top level")])
    return doc


def read(path: str | Path) -> Document:
    """Read and parse a YAML file; every failure is an ``InputError``."""
    name = str(path)
    try:
        p = Path(path)
        if p.stat().st_size > MAX_BYTES:
            raise InputError([Problem(name, 0, 0, f"file is larger than {MAX_BYTES} bytes")])
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, 0, 0, "is a directory, not a file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, 0, 0, f"cannot read: {exc.strerror}")]) from None
    return parse(_decode(name, raw), name)
