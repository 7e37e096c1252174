"""Configuration: what ``seloste check`` checks and reports when run without arguments.

seloste looks for ``seloste.yaml``, then for ``[tool.seloste]`` in ``pyproject.toml``, in the
current directory and each parent up to the repository root (outside a repository, only the
current directory). ``--config FILE`` names the file and ``--no-config`` ignores them. Paths in
a configuration file are relative to that file. Command-line flags override it; input flags
(``--snapshot``, ``--flows``) replace its inputs as a whole, so a pre-commit hook that passes
flow files never connects to the configured databases.

``${NAME}`` in a snapshot source is replaced by the environment variable ``NAME``, so that
credentials stay out of the file; nothing else is expanded.
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

from checks.findings import repo_root
from checks.gate import Output, parse_output, relative
from policy import yamlsource
from policy.errors import InputError, Problem
from policy.loader import validate
from policy.model import Model

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


def _has_tool_table(path: Path) -> bool:
    import tomllib  # only where a pyproject.toml is found

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
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
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise InputError([Problem(name, 0, 0, f"cannot read: {exc.strerror}")]) from None
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
    return doc


def load_config(path: str | Path) -> tuple[Config, yamlsource.Document]:
    """Read a configuration file strictly: unknown keys and wrong types are errors."""
    p = Path(path)
    doc = _toml_document(p) if p.name.endswith(".toml") else yamlsource.read(p)
    return validate(doc, Config), doc


def expand(text: str, doc: yamlsource.Document, where: tuple[str | int, ...]) -> str:
    """``${NAME}`` replaced from the environment; a missing variable is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise InputError([doc.problem(where, f"environment variable {name} is not set")])
        return os.environ[name]

    return _VAR.sub(value, text)


def _source(base: Path, text: str) -> str:
    """A snapshot source: URLs as they are, file and directory paths relative to the config."""
    return text if "://" in text else relative(base, text)


def _snapshots(config: Config, doc: yamlsource.Document, base: Path) -> list[str]:
    out = []
    for i, item in enumerate(config.snapshots):
        if isinstance(item, Snapshot):
            out.append(_source(base, expand(item.url, doc, ("snapshots", i, "url"))))
        else:
            out.append(_source(base, expand(item, doc, ("snapshots", i))))
    return out


def _flows(config: Config, doc: yamlsource.Document, base: Path) -> list[str]:
    found: list[str] = []
    for i, pattern in enumerate(config.flows):
        matches = sorted(glob.glob(str(base / pattern), recursive=True))
        if not matches:
            raise InputError([doc.problem(("flows", i), f"{pattern!r} matches no file")])
        found += [os.path.relpath(m) for m in matches if m not in found]
    return list(dict.fromkeys(found))


def _gate(args: argparse.Namespace, config: Config, base: Path) -> None:
    if not args.format and config.outputs:
        outs = [parse_output(o) for o in config.outputs]
        args.format = [Output(o.format, relative(base, o.path) if o.path else None) for o in outs]
    args.fail_on = args.fail_on or config.fail_on
    if args.waivers is None and config.waivers:
        args.waivers = relative(base, config.waivers)
    if args.baseline is None and config.baseline:
        args.baseline = relative(base, config.baseline)


def _inputs(args: argparse.Namespace, config: Config, doc: yamlsource.Document, base: Path) -> None:
    if args.policy is None and config.policy:
        args.policy = relative(base, config.policy)
    if args.bindings is None and config.bindings:
        args.bindings = relative(base, config.bindings)
    if args.as_of is None:
        args.as_of = config.as_of
    args.allow_privileged_role = args.allow_privileged_role or config.allow_privileged_role
    if not (args.snapshot or args.flows):
        args.snapshot = _snapshots(config, doc, base)
        args.flows = _flows(config, doc, base)


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
    config, doc = load_config(path)
    base = path.parent
    _gate(args, config, base)
    if hasattr(args, "snapshot"):
        _inputs(args, config, doc, base)
    return path
