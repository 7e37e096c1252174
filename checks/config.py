"""Configuration: what ``seloste check`` checks and reports when run without arguments.

seloste looks for ``seloste.yaml``, then for ``[tool.seloste]`` in ``pyproject.toml``, in the
current directory and each parent up to the repository root (outside a repository, only the
current directory). ``--config FILE`` names the file and ``--no-config`` ignores them. Paths in
a configuration file are relative to that file, and must resolve inside its repository unless
``--allow-outside-root`` (policy/files.py). Command-line flags override it; input flags
(``--snapshot``, ``--flows``) replace its inputs as a whole, so a pre-commit hook that passes
flow files never connects to the configured databases.

``${NAME}`` in a snapshot source is replaced by the environment variable ``NAME``, so that
credentials stay out of the file; nothing else is expanded. What it brings in is never printed:
the source is shown as written (``SourceText`` in checks/snapshot/__init__.py).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from seloste.checks.gate import Output, parse_output, relative
from seloste.checks.snapshot import SourceText, is_spark, spark_parts, with_spark_path
from seloste.policy import yamlsource
from seloste.policy.errors import InputError, Problem
from seloste.policy.files import linked_outside, outside, read_bytes, repo_root
from seloste.policy.loader import validate
from seloste.policy.model import Model

NAMES = ("seloste.yaml", "pyproject.toml")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _time(value: str) -> str:
    # Checked here, not with the flags, so that the error points at the line in the file.
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO 8601 time such as 2026-11-01T00:00:00Z"
        ) from None
    return value


def _output(value: str) -> str:
    try:
        parse_output(value)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(str(exc)) from None
    return value


class Snapshot(Model):
    """A snapshot source written as a mapping, for a URL with ``${VAR}`` credentials."""

    url: str = Field(description="SQLite file or dump, SQLAlchemy URL, or a CSV/Parquet directory")


class Config(Model):
    """``seloste.yaml`` (``kind: config``) or ``[tool.seloste]`` in ``pyproject.toml``."""

    seloste: Literal[1] = 1
    kind: Literal["config"] = "config"
    policy: str | None = Field(None, description="the policy file")
    bindings: str | None = Field(None, description="bindings of the snapshots' database")
    snapshots: list[str | Snapshot] = Field(default_factory=list)
    flows: list[str] = Field(default_factory=list, description="glob patterns of flow files")
    outputs: list[Annotated[str, AfterValidator(_output)]] = Field(
        default_factory=list, description="FORMAT or FORMAT:FILE, as --format takes them"
    )
    waivers: str | None = None
    baseline: str | None = None
    fail_on: Literal["error", "warning", "note", "never"] | None = None
    as_of: Annotated[str, AfterValidator(_time)] | None = Field(
        None, description="ISO 8601 time retention is measured at"
    )
    allow_privileged_role: bool = Field(
        False, description="check as a database account that may do more than read"
    )
    statement_timeout: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        None, description="seconds one statement may run (default 60), 0 for no limit"
    )


def _has_tool_table(path: Path) -> bool:
    import tomllib  # only where a pyproject.toml is found

    try:
        data = tomllib.loads(read_bytes(path).decode("utf-8"))
    except (InputError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return "seloste" in data.get("tool", {})


def locate(start: Path) -> Path | None:
    """The configuration file for a run started in ``start``, if there is one."""
    here = start.resolve()
    root = repo_root(here)
    chain = [here, *here.parents]
    for directory in chain[: 1 if root is None else chain.index(root) + 1]:
        if (directory / NAMES[0]).is_file():
            return directory / NAMES[0]
        candidate = directory / NAMES[1]
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def _toml_document(path: Path) -> yamlsource.Document:
    """``[tool.seloste]`` as a document, with the line of each top-level key for messages."""
    import tomllib

    name = str(path)
    try:
        text = read_bytes(path).decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise InputError([Problem(name, 0, 0, "not valid UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(name, 0, 0, f"TOML: {exc}")]) from None
    table = data.get("tool", {}).get("seloste")
    if not isinstance(table, dict):
        raise InputError([Problem(name, 0, 0, "no [tool.seloste] table")])
    doc = yamlsource.Document(path=name, data=table)
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[tool.seloste]"
            if inside:
                doc.place((), number, 1)
            continue
        key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if inside and key:
            column = line.index(key.group(1)) + 1
            doc.place((key.group(1),), number, column)
            doc.place((key.group(1),), number, column, key=True)
    doc.measure()
    return doc


def load_config(path: str | Path) -> tuple[Config, yamlsource.Document]:
    """Read a configuration file strictly: unknown keys and wrong types are errors."""
    p = Path(path)
    doc = _toml_document(p) if p.name.endswith(".toml") else yamlsource.read(p)
    return validate(doc, Config), doc


def _hidden(name: str, value: str) -> list[tuple[str, str]]:
    """What of ``value`` (the variable ``name``) messages must not print: the value, and for a
    URL also its host, user and database, which a driver's error repeats on their own."""
    parts = [value]
    if "://" in value:
        from urllib.parse import urlsplit

        try:
            url = urlsplit(value)
            parts += [url.hostname or "", url.username or "", url.path.strip("/")]
        except ValueError:  # a URL no parser reads is only hidden whole
            pass
    # Shorter texts are left alone: they would turn every message into ${NAME}s.
    return [(part, f"${{{name}}}") for part in parts if len(part) >= 3]


def expand(
    text: str, doc: yamlsource.Document, where: tuple[str | int, ...]
) -> tuple[str, list[tuple[str, str]]]:
    """``${NAME}`` replaced from the environment, and what of it must not be printed; a
    missing variable is an error."""
    hidden: list[tuple[str, str]] = []

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise InputError([doc.problem(where, f"environment variable {name} is not set")])
        hidden.extend(_hidden(name, os.environ[name]))
        return os.environ[name]

    return _VAR.sub(value, text), hidden


# A SQLite URL's file, as SQLAlchemy reads it: relative to the working directory.
_SQLITE_FILE = re.compile(r"sqlite(?:\+\w+)?:///(?P<path>[^?]+)")


def _file_of(source: str, base: Path) -> str | None:
    """The file or directory a snapshot source opens, if it is one."""
    if is_spark(source):
        path = spark_parts(source)[1].get("path")
        return relative(base, path) if path else None
    if "://" not in source:
        return relative(base, source)
    found = _SQLITE_FILE.match(source)
    return found["path"] if found and found["path"] != ":memory:" else None


class _Reader:
    """Resolves what a configuration file names, relative to it, and keeps its problems:
    every file it names must be inside its root (policy/files.py), unless allowed."""

    def __init__(self, doc: yamlsource.Document, allowed: bool) -> None:
        self.doc, self.base, self.allowed = doc, Path(doc.path).parent, allowed
        self.problems: list[Problem] = []

    def inside(
        self, where: tuple[str | int, ...], what: str, written: str, path: str, does: str = "reads"
    ) -> bool:
        """Whether ``path`` (``written`` in the file) may be read (or written); records why
        not."""
        why = None if self.allowed else outside(path, self.doc.path, does)
        if why is not None:
            self.problems.append(self.doc.problem(where, f"{what} {written!r} {why}"))
        return why is None

    def path(self, key: str, written: str) -> str:
        """A file the configuration names under ``key``, relative to the configuration."""
        path = relative(self.base, written)
        self.inside((key,), key, written, path)
        return path

    def snapshot(self, where: tuple[str | int, ...], written: str) -> SourceText:
        """A snapshot source: URLs as they are, file and directory paths relative to the
        config; shown as written where the environment filled it in."""
        text, hidden = expand(written, self.doc, where)
        opened = text if "://" in text else relative(self.base, text)
        if (file := _file_of(text, self.base)) is not None:
            self.inside(where, "snapshot", written, file)
        if is_spark(text):  # a session, and maybe a directory relative to the config
            opened = text if file is None else with_spark_path(text, file)
        if not hidden and text == written:
            return SourceText.typed(opened)
        ordered = sorted(set(hidden), key=lambda h: -len(h[0]))
        return SourceText(opened, written, tuple(ordered))

    def snapshots(self, config: Config) -> list[SourceText]:
        out = []
        for i, item in enumerate(config.snapshots):
            if isinstance(item, Snapshot):
                out.append(self.snapshot(("snapshots", i, "url"), item.url))
            else:
                out.append(self.snapshot(("snapshots", i), item))
        return out

    def flows(self, config: Config) -> list[str]:
        found: list[str] = []
        for i, pattern in enumerate(config.flows):
            matches = sorted(glob.glob(str(self.base / pattern), recursive=True))
            if not matches:
                self.problems.append(self.doc.problem(("flows", i), f"{pattern!r} matches no file"))
            for match in matches:
                shown = os.path.relpath(match)
                if self.inside(("flows", i), "flows file", shown, match) and shown not in found:
                    found.append(shown)
        return found


def _gate(args: argparse.Namespace, config: Config, reader: _Reader) -> None:
    if not args.format and config.outputs:
        outs = [parse_output(o) for o in config.outputs]
        base = reader.base
        args.format = [Output(o.format, relative(base, o.path) if o.path else None) for o in outs]
        # A configuration in a pull request may not make the run write outside its root.
        for i, (out, given) in enumerate(zip(args.format, outs, strict=True)):
            if out.path is not None and given.path is not None:
                reader.inside(("outputs", i), "output", given.path, out.path, "writes")
    args.fail_on = args.fail_on or config.fail_on
    if args.waivers is None and config.waivers:
        args.waivers = reader.path("waivers", config.waivers)
    if args.baseline is None and config.baseline:
        args.baseline = reader.path("baseline", config.baseline)


def _inputs(args: argparse.Namespace, config: Config, reader: _Reader) -> None:
    if args.policy is None and config.policy:
        args.policy = reader.path("policy", config.policy)
    if args.bindings is None and config.bindings:
        args.bindings = reader.path("bindings", config.bindings)
    if args.as_of is None:
        args.as_of = config.as_of
    args.allow_privileged_role = args.allow_privileged_role or config.allow_privileged_role
    if args.statement_timeout is None:
        args.statement_timeout = config.statement_timeout
    if not (args.snapshot or args.flows):
        args.snapshot = reader.snapshots(config)
        args.flows = reader.flows(config)


def apply(args: argparse.Namespace) -> Path | None:
    """Fill in ``args`` from the configuration file; flags already given win.

    Returns the configuration file used, or None.
    """
    if getattr(args, "no_config", False):
        return None
    found = Path(args.config) if getattr(args, "config", None) else locate(Path.cwd())
    if found is None:
        return None
    # Relative to the cwd, as every other path in messages and reports is.
    path = Path(os.path.relpath(found))
    allowed = getattr(args, "allow_outside_root", False)
    if not allowed and (why := linked_outside(path)):
        raise InputError([Problem(str(path), 0, 0, why)])
    config, doc = load_config(path)
    reader = _Reader(doc, allowed)
    _gate(args, config, reader)
    if hasattr(args, "snapshot"):
        _inputs(args, config, reader)
    if reader.problems:
        raise InputError(reader.problems)
    return path
