"""The ``seloste`` command: its parser, its table of subcommands, and its two ways in.

``main(argv)`` runs one command and returns the exit code, for a caller that keeps its
process (the tests, another program). ``program()`` is the ``seloste`` console script and
``python -m seloste.checks.cli``: the same command, in a process tuned for one short run and
ended as soon as the command is done.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage, input or tool error. The
subcommands are the modules of ``checks/commands``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import NoReturn, Protocol, cast

from seloste.checks.commands import CLEAN, ERROR, FINDINGS
from seloste.policy.errors import InputError, printable, with_source

__all__ = ["CLEAN", "COMMANDS", "ERROR", "FINDINGS", "build_parser", "main", "program"]


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, as every other usage error here does."""

    def error(self, message: str) -> NoReturn:
        self.exit(ERROR, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``, reading the package metadata only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from seloste.checks import tool_version

        print(f"seloste {tool_version()}")
        parser.exit(CLEAN)


class _CommandModule(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


class Command:
    """A subcommand: its help line, and the module of ``checks/commands`` that adds its
    arguments and runs it. The module is imported only when the command is built or run:
    argparse and the imports of every command would cost each pre-commit run of one."""

    __slots__ = ("help", "module")

    def __init__(self, help: str, module: str) -> None:
        self.help = help
        self.module = module

    def _loaded(self) -> _CommandModule:
        return cast(_CommandModule, import_module(f"seloste.checks.commands.{self.module}"))

    @property
    def add_arguments(self) -> Callable[[argparse.ArgumentParser], None]:
        return self._loaded().add_arguments

    @property
    def run(self) -> Callable[[argparse.Namespace], int]:
        return self._loaded().run


COMMANDS: dict[str, Command] = {
    "validate": Command("load and lint policy, bindings and flow files", "validate"),
    "check": Command("check snapshots and data flows against a policy", "check"),
    "schema": Command("print the JSON Schema of a file format", "schema"),
    "rules": Command("list every rule", "rules"),
    "explain": Command("print a rule's documentation", "explain"),
    "render": Command("render the privacy notice or the record of processing", "render"),
    "diff": Command("what changed between two policies, in the notice's terms", "diff"),
    "subject": Command("a data subject's request: access, portability, an erasure plan", "subject"),
    "discover": Command("draft bindings from a database's tables and values", "discover"),
    "import": Command("a policy and bindings from other formats: fides (fideslang)", "import_"),
    "export": Command("the policy in other formats: fides (fideslang manifests)", "export"),
    "pseudonym": Command(
        "the pseudonyms reports give row keys that may be personal data", "pseudonym"
    ),
}


# After the list of commands in ``seloste --help``: what a script or a CI job needs to know.
EPILOG = """\
exit codes:
  0  clean: no finding at or above --fail-on, and every input read
  1  findings at or above --fail-on (default: error)
  2  usage, input or tool error: not everything was checked

examples:
  seloste validate policy.yaml bindings.yaml flows/*.flows.yaml
  seloste check --policy policy.yaml --bindings bindings.yaml --snapshot dump.sql
  seloste check --flows flows/*.flows.yaml --format sarif:seloste.sarif --format text
  seloste explain SNP004
  seloste diff old/policy.yaml policy.yaml --fail-on-notifiable

See "seloste COMMAND --help" for a command's options.
"""


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` starts with; None after a top-level option (``--help``)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line. Given the ``argv`` it will parse, only the subcommand that ``argv``
    names is built: argparse takes about 0.3 ms a subparser, and a pre-commit hook runs one.
    Without a known subcommand (``--help``, a typo) every one is built, for the listing."""
    parser = _Parser(
        prog="seloste",
        description="Check a privacy notice's promises as code.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = _command_in(argv)
    for name, command in COMMANDS.items():
        if wanted in (None, name):
            command.add_arguments(sub.add_parser(name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (``argv``, or this process's command line) and return its exit code.
    The caller's process stays as it was: ``program()`` is the one that tunes and ends it."""
    return _run(sys.argv[1:] if argv is None else argv, own_process=False)


def program() -> int:
    """The ``seloste`` program (the console script, ``python -m seloste.checks.cli``): the
    command line's command in a process set up for one short run, which ends as soon as the
    command is done. Returns the exit code only if the process could not end at once."""
    _as_a_program()
    code = _run(sys.argv[1:], own_process=True)
    _exit_at_once(code)
    return code


def _run(argv: Sequence[str], *, own_process: bool) -> int:
    args = build_parser(argv).parse_args(argv)
    if own_process and "max_memory" in args:
        from seloste.checks.memory import limit_address_space

        # Only the program's own process: a caller that imports seloste keeps its limits.
        limit_address_space(args.max_memory)
    try:
        return COMMANDS[args.command].run(args)
    except InputError as exc:
        for problem in exc.problems:
            print(with_source(problem), file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        print("seloste: interrupted", file=sys.stderr)
        return ERROR
    except BrokenPipeError:
        return ERROR
    except MemoryError:  # outside a snapshot, where each source reports it as SEL001
        from seloste.checks.memory import out_of_memory

        print(f"seloste: error: {out_of_memory()}", file=sys.stderr)
        return ERROR
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("SELOSTE_DEBUG"):
            raise
        print(
            f"seloste: internal error: {type(exc).__name__}: {printable(str(exc))} "
            "(set SELOSTE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return ERROR


def _as_a_program() -> None:
    """Set up this process for one short run of the command.

    - No pydantic plugins unless the user chose otherwise: pydantic looks them up in the entry
      points of every installed distribution when it builds the first model, a cost that
      grows with the environment and is paid on every run of a pre-commit hook, for plugins
      that instrument an application's validation and have nothing to do with seloste's own
      file formats. ``PYDANTIC_DISABLE_PLUGINS`` set by the user (even empty) wins.
    - The collector's first threshold at 100,000 allocations, not 700 (mypy does the same):
      start-up makes some 100,000 objects that live to the end (modules, pydantic's schemas
      and validators), and the collector would walk them again and again (about 9 ms).
      Cycles are still collected, later.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(100_000)


def _exit_at_once(code: int) -> None:
    """End the process now, as mypy's command does (its ``fast_exit``).

    The interpreter's own shutdown would collect and free every object one by one (pydantic's
    schemas and validators, some 250 modules: about 18 ms of a 150 ms pre-commit run) for the
    operating system to take the memory back anyway. Nothing is left to finish: every file
    seloste writes is closed where it is written, databases are disposed of and worker
    processes joined before a command returns, and seloste registers no exit handlers. Only
    the standard streams may still hold output; if they cannot be flushed (a closed pipe), this
    returns and the interpreter's usual exit reports it, as it always did.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


if __name__ == "__main__":
    sys.exit(program())
