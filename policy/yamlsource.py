"""YAML that comes out as the user wrote it, with the place of every value.

PyYAML's safe loader is YAML 1.1: ``NO`` (Norway) becomes ``False``, ``2026-01-01`` a date and
``010`` the integer 8, and a repeated key silently replaces the first. A policy must not lose
a rule or a country that way, so this module reads PyYAML's parser events (libyaml's when
present) and builds the values itself, under a small JSON-like resolver:

- plain ``true``/``false`` are booleans, ``null``/``~``/empty are null, decimal integers without
  a leading zero are integers, decimal numbers with a point are floats;
- every other scalar, and every mapping key, is the string as written;
- a repeated key, a non-standard tag (``!!python/object``...), a merge key, a document that is
  not one mapping, and alias expansion beyond a budget are errors, all collected at once.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from seloste.policy.errors import SHOWN, InputError, Problem, quoted
from seloste.policy.files import read_bytes

Path_ = tuple[str | int, ...]

MAX_NODES = 1_000_000
# Values validated at once: a larger document is validated in parts (policy/bounded.py).
PIECE = 50_000
# Containers smaller than this are not sized (Document.sizes): a flows file has many small ones.
UNSIZED = 64
MAX_DEPTH = 200

_STR = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_WORDS = {*_BOOL, "null", "Null", "NULL"}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,30})$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
# libyaml's parser when PyYAML was built with it (about ten times faster), else pure Python.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


Place = tuple[int, int]


@dataclass
class Document:
    """A parsed YAML file: its values and where each one stands (1-based line, column).

    Places are kept by the mapping or sequence that holds them (``values``: a mapping's by
    key, a sequence's by index; ``keys``: a mapping's keys), as libyaml left them: a flows
    file has hundreds of thousands of values, and a path and a tuple for each cost a third
    of reading it. ``mark`` turns them into places when a message needs one.
    """

    path: str
    data: Any
    texts: dict[Path_, str] = field(default_factory=dict)
    quoted: set[Path_] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    bad: set[Path_] = field(default_factory=set)
    values: dict[Path_, Any] = field(default_factory=dict)
    keys: dict[Path_, dict[str, Any]] = field(default_factory=dict)
    top: Any = None
    nodes: int = 0  # values in all, aliases expanded
    sizes: dict[int, int] = field(default_factory=dict)  # values of each large container, by id
    more: int = 0  # problems found beyond the first SHOWN, counted and not kept

    def place(self, path: Path_, line: int, column: int, *, key: bool = False) -> None:
        """Record where ``path`` (its key, with ``key``) stands; for documents not from YAML."""
        if not path:
            self.top = (line, column)
            return
        table: dict[Path_, Any] = self.keys if key else self.values
        table.setdefault(path[:-1], {})[path[-1]] = (line, column)

    def measure(self) -> None:
        """Count the values and size the large containers, as the reader does, for a document
        it did not build (``[tool.seloste]``); more than ``MAX_NODES`` values is an error."""

        def size(value: Any) -> int:
            if isinstance(value, dict):
                n = 1 + len(value) + sum(size(v) for v in value.values())
            elif isinstance(value, list):
                n = 1 + sum(size(v) for v in value)
            else:
                return 1
            if n >= UNSIZED:
                self.sizes[id(value)] = n
            return n

        self.nodes = size(self.data)
        if self.nodes > MAX_NODES:
            line, column = self.mark(())
            message = f"document holds more than {MAX_NODES} values"
            raise InputError([Problem(self.path, line, column, message)])

    def mark(self, path: Path_, *, key: bool = False) -> Place:
        """The place of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        if key and (found := _held(self.keys, p)) is not None:
            return found
        while p:
            if (found := _held(self.values, p)) is not None:
                return found
            p = p[:-1]
        return (1, 1) if self.top is None else _place(self.top)

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, column = self.mark(path, key=key)
        return Problem(self.path, line, column, message)

    def portable(self) -> Document:
        """A copy that can be stored (policy/cache.py): its places as (line, column), not as
        libyaml's marks, and no sizes (they are keyed by the identity of this run's values,
        and only validation reads them)."""

        def placed(held: Any) -> Any:
            if held.__class__ is list:
                return [_place(m) for m in held]
            return {k: _place(m) for k, m in held.items()}

        return Document(
            path=self.path,
            data=self.data,
            texts=self.texts,
            quoted=self.quoted,
            problems=self.problems,
            bad=self.bad,
            values={p: placed(held) for p, held in self.values.items()},
            keys={p: placed(held) for p, held in self.keys.items()},
            top=None if self.top is None else _place(self.top),
            nodes=self.nodes,
            more=self.more,
        )


def _place(mark: Any) -> Place:
    """A libyaml mark (0-based) or a place already made, as a 1-based (line, column)."""
    if mark.__class__ is tuple:
        return mark
    return mark.line + 1, mark.column + 1


def _held(table: dict[Path_, Any], path: Path_) -> Place | None:
    """The place recorded for ``path`` in the container that holds it, if any."""
    if not path:
        return None
    held, last = table.get(path[:-1]), path[-1]
    if held is None:
        return None
    if held.__class__ is list:
        if last.__class__ is int and 0 <= last < len(held):
            return _place(held[last])
        return None
    mark = held.get(last)
    return None if mark is None else _place(mark)


def _pos(event: yaml.Event) -> Place:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _plain(text: str) -> Any:
    """A plain scalar under the JSON-like resolver; anything else stays the string written."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


_DROP = object()  # stands for the key of an entry that was reported and is left out
_DROPPED = "\0dropped"  # where the places inside a left-out entry are kept
_AS_KEY = "\0key"  # where the places inside a mapping or sequence used as a key are kept
_NO_KEYS: dict[str, Any] = {}  # a sequence's keys: none, and never written


@dataclass(slots=True)
class _Frame:
    """A mapping or sequence being built; ``key`` is the mapping key awaiting its value.

    ``marks`` are the places of the values it holds (by key, or by index for a sequence),
    ``keys`` those of a mapping's keys, which also tell a repeated key.

    ``value`` and ``marks`` are a list for a sequence and a dict for a mapping, as ``seq``
    says. They are typed ``Any``: the builder's hot path goes by ``seq``, which a type
    checker cannot narrow on, and a check or a cast there would cost every value read."""

    value: Any
    path: Path_
    seq: bool
    marks: Any
    keys: dict[str, Any]
    nodes: int  # the builder's count when it began: its size is the count at its end less this
    anchor: str | None = None
    key: Any = None


class _Stop(Exception):
    def __init__(self, event: yaml.Event, message: str) -> None:
        self.event, self.message = event, message


class _Builder:
    """Builds values straight from parser events: no node graph, no recursion, and aliases are
    shared rather than copied, so neither nesting nor an alias bomb can exhaust the stack or
    memory; both are stopped at a budget with their place."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.root: Any = None

    def fail(self, event: yaml.Event, message: str, path: Path_) -> None:
        if len(self.doc.problems) >= SHOWN:
            # Only counted: a file with this many is not validated further (policy/loader.py).
            self.doc.more += 1
            return
        line, column = _pos(event)
        self.doc.problems.append(Problem(self.doc.path, line, column, message))
        self.doc.bad.add(path)

    def count(self, event: yaml.Event, n: int) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise _Stop(
                event,
                f"document expands to more than {MAX_NODES} values (aliases nested too deep?)",
            )

    def slot(self, top: _Frame) -> str | int:
        """The key or index the next value of ``top`` takes."""
        if top.seq:
            return len(top.value)
        slot: str | int = _DROPPED if top.key is _DROP else top.key
        return slot

    def at(self, event: yaml.Event) -> Path_ | None:
        """Record where the value this event starts stands, and return its path (None when
        it is a mapping key)."""
        if not self.stack:
            self.doc.top = event.start_mark
            return ()
        top = self.stack[-1]
        if top.seq:
            top.marks.append(event.start_mark)
            return (*top.path, len(top.value))
        if top.key is None:
            return None
        slot = self.slot(top)
        top.marks.setdefault(slot, event.start_mark)
        return (*top.path, slot)

    def handlers(self) -> dict[type, Any]:
        """Each parser event's handler, looked up by type once per event."""
        return {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.start,
            yaml.SequenceStartEvent: self.start,
            yaml.MappingEndEvent: self.end,
            yaml.SequenceEndEvent: self.end,
            yaml.AliasEvent: self.alias,
        }

    def end(self, event: yaml.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        size = self.nodes - frame.nodes
        if size >= UNSIZED:  # for validating a large document in parts (policy/bounded.py)
            self.doc.sizes[id(frame.value)] = size
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, size)
            self.open_anchors.discard(frame.anchor)
        self.done(frame.value)

    def start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        path = self.at(event)
        if path is None:
            parent = self.stack[-1]
            self.fail(event, "a mapping key must be a plain string", parent.path)
            parent.key = _DROP
            parent.marks.setdefault(_AS_KEY, event.start_mark)
            path = (*parent.path, _AS_KEY)
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(event, f"nesting deeper than {MAX_DEPTH} levels")
        nodes = self.nodes
        self.count(event, 1)
        if event.tag not in _COLLECTION_TAGS:
            self.fail(event, f"tag {_short(event.tag or '')} is not allowed", path)
        if event.__class__ is yaml.MappingStartEvent:
            frame = _Frame({}, path, False, {}, {}, nodes, event.anchor)
            self.doc.keys.setdefault(path, frame.keys)
        else:
            frame = _Frame([], path, True, [], _NO_KEYS, nodes, event.anchor)
        self.doc.values.setdefault(path, frame.marks)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def scalar(self, event: yaml.ScalarEvent) -> None:
        # The hot path: a flows file is mostly scalars, so the common cases make no calls and
        # no path; a path is made only for what is rare (a message, a typed or quoted value).
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.count(event, 0)
        if not self.stack:
            self.root = self.value(event, self.at(event) or ())
            return
        top = self.stack[-1]
        key = top.key
        if top.seq:
            top.marks.append(event.start_mark)
        elif key is None:
            self.key(event)
            return
        else:
            top.marks[_DROPPED if key is _DROP else key] = event.start_mark
        text = event.value
        if event.tag is None and not event.style and text[:1].isalpha() and text not in _WORDS:
            value: Any = text  # a plain word: most of what a policy or flows file holds
        else:
            value = self.value(event, (*top.path, self.slot(top)))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        if top.seq:
            top.value.append(value)
        else:
            if key is not _DROP:
                top.value[key] = value
            top.key = None

    def value(self, event: yaml.ScalarEvent, path: Path_) -> Any:
        """A scalar's value under the resolver, noting what messages need to show it."""
        tag = event.tag
        if tag is not None and tag != "!" and tag != _STR:
            self.fail(event, f"tag {_short(tag)} is not allowed", path)
            return None
        text = event.value
        if tag == _STR or event.style:
            # Only where the quotes made it a string ("true", "1"), for the message that says
            # so: a path kept for every quoted scalar would cost more than the value.
            if event.style and _plain(text).__class__ is not str:
                self.doc.quoted.add(path)
            return text
        value = _plain(text)
        # What was written, for messages, where the value would show otherwise: 1.10 read
        # as a number, ~ as None. Not for 1, which shows as it was written.
        if value.__class__ is not str and repr(value) != text:
            self.doc.texts[path] = text
        return value

    def key(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1]
        text = event.value
        if event.tag not in (None, "!", _STR):
            self.fail(event, "a mapping key must be a plain string", top.path)
            top.key = _DROP
        elif text == "<<" and not event.style:
            self.fail(event, "merge keys (<<) are not supported; write the keys out", top.path)
            top.key = _DROP
        elif text in top.keys:
            first = _place(top.keys[text])[0]
            message = f"duplicate key {quoted(text)} (first defined on line {first})"
            self.fail(event, message, (*top.path, text))
            top.key = _DROP
        else:
            top.keys[text] = event.start_mark
            top.key = text

    def alias(self, event: yaml.AliasEvent) -> None:
        if event.anchor in self.open_anchors:
            raise _Stop(event, f"alias *{event.anchor} refers to itself")
        if event.anchor not in self.anchors:
            raise _Stop(event, f"alias *{event.anchor} has no anchor")
        if self.at(event) is None:
            self.fail(event, "a mapping key must be a plain string", self.stack[-1].path)
            self.stack[-1].key = _DROP
            return
        value, size = self.anchors[event.anchor]
        self.count(event, size)
        self.done(value)

    def done(self, value: Any) -> None:
        """Put a finished value into its parent (or make it the document)."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if top.seq:
            top.value.append(value)
        else:
            if top.key is not _DROP:
                top.value[top.key] = value
            top.key = None


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _decode(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        column = exc.start - (head.rfind(b"\n") + 1) + 1
        raise InputError([Problem(path, line, column, "not valid UTF-8")]) from None


@contextmanager
def cycles_unchecked() -> Iterator[None]:
    """Pause the cyclic garbage collector while large acyclic values are built.

    Parsed values, the models validated from them and their findings are trees: the
    collector has nothing to find in them, yet it walks them again each time their number
    grows, which was a third of the time to read a large file and a fifth of the time to
    check one. Cycles made meanwhile (an exception's traceback) are collected once it runs
    again.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# libyaml's words for a line that is indented more or less than the structure around it: a
# key or list item out of line with its siblings reads to the parser as a misplaced ':' or '-'.
_INDENTATION = (
    "mapping values are not allowed",
    "block sequence entries are not allowed",
    "did not find expected key",
    "did not find expected '-' indicator",
    "could not find expected ':'",
)
INDENTATION_HINT = (
    "check the indentation: keys of one mapping and items of one list start in one column"
)


def parse(text: str, path: str) -> Document:
    """Parse one YAML document.

    Syntax errors raise ``InputError`` at once; problems the parser can step over (a duplicate
    key, a forbidden tag) are kept in ``Document.problems`` so that schema validation can add
    its own and the user sees them all in one run.
    """
    doc = Document(path=path, data=None)
    builder = _Builder(doc)
    loader = _PARSER(text)
    documents = 0
    handlers = builder.handlers()
    try:
        get_event = loader.get_event
        with cycles_unchecked():
            while (event := get_event()) is not None:  # None after the stream's end
                handler = handlers.get(event.__class__)
                if handler is not None:
                    handler(event)
                elif isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise _Stop(event, "expected a single YAML document, found more than one")
    except _Stop as stop:
        line, column = _pos(stop.event)
        raise InputError([Problem(path, line, column, stop.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join((exc.problem or exc.context or "invalid YAML").split())
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if mark and text[mark.index : mark.index + 1] == "\t":
            what += " (a tab: YAML indents with spaces)"
        elif what.startswith(_INDENTATION):
            what += f" ({INDENTATION_HINT})"
        raise InputError([Problem(path, line, column, f"YAML syntax: {what}")]) from None
    except yaml.reader.ReaderError as exc:
        head = text[: exc.position]
        line, column = head.count("\n") + 1, exc.position - (head.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"character U+{code:04X} is not allowed in YAML"
        raise InputError([Problem(path, line, column, message)]) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise InputError([Problem(path, 0, 0, f"YAML: {message}")]) from None
    finally:
        loader.dispose()
    if documents == 0 or (builder.root is None and doc.top is None):
        raise InputError([Problem(path, 1, 1, "the file is empty; expected a mapping")])
    doc.data, doc.nodes = builder.root, builder.nodes
    if not isinstance(doc.data, dict):
        line, column = doc.mark(())
        raise InputError([Problem(path, line, column, "expected a mapping at the top level")])
    return doc


def read(path: str | Path) -> Document:
    """Read and parse a YAML file; every failure is an ``InputError``."""
    return parse_bytes(read_bytes(path), str(path))


def parse_bytes(raw: bytes, path: str) -> Document:
    """Parse a YAML file's bytes (UTF-8, with or without a byte order mark)."""
    return parse(_decode(path, raw), path)
