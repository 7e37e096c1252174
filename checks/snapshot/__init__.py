"""Check a database snapshot against the policy, through the policy's bindings.

A snapshot is read-only and checked in the database: the snapshot rules
(``checks/rules/snp*.py``) say what to count (:mod:`checks.snapshot.plan`), the runner
counts it with one aggregate query per table and reads the first few row keys of each
finding with a bounded query; values that need Python to judge (a hetu's check character,
an e-mail's syntax) are read from a bounded, streamed sample. A finding carries counts and
row keys, never a value.

SQLAlchemy, the drivers and the validators are imported only here, and only when a snapshot
is checked: ``seloste validate`` never loads them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from seloste.checks.context import BoundPolicy
    from seloste.checks.findings import Finding

# Seconds one statement may run before the database cancels it (PostgreSQL, MariaDB/MySQL,
# SQLite); a dump must load within it as a whole. 0 means no limit.
STATEMENT_TIMEOUT = 60.0
# How a Spark source begins: a master (spark:local[2], spark://host:7077) or Spark Connect.
SPARK_PREFIXES = ("spark:", "sc://")


def is_spark(source: str) -> bool:
    """A Spark session rather than a database URL or a file (checks/snapshot/spark.py)."""
    return source.startswith(SPARK_PREFIXES)


def spark_parts(source: str) -> tuple[str, dict[str, str]]:
    """A Spark source's session (before ``?``) and its options (``database=``, ``path=``),
    as written: no decoding, so that a path may hold any character but ``&``."""
    session, _, query = source.partition("?")
    options = dict(part.partition("=")[::2] for part in query.split("&") if part)
    return session, options


def with_spark_path(source: str, path: str) -> str:
    """``source`` with its ``path=`` option replaced (a configuration's relative path)."""
    session, options = spark_parts(source)
    options["path"] = path
    return f"{session}?{'&'.join(f'{k}={v}' for k, v in options.items())}"


class SourceText(NamedTuple):
    """A snapshot source as it is opened and as it is shown.

    ``text`` opens it; ``shown`` names it in findings and messages (the runner masks its
    password). For a source from a configuration file, ``shown`` is the text as written,
    with ``${NAME}`` where ``text`` has the environment's value, and ``hidden`` holds each
    such value with the ``${NAME}`` that stands for it, longest first: a host, a user or a
    whole URL from the environment is not printed, not even in a driver's error message.
    """

    text: str
    shown: str
    hidden: tuple[tuple[str, str], ...] = ()

    @classmethod
    def typed(cls, text: str) -> SourceText:
        """A source given on the command line: shown as it was typed (password masked)."""
        return cls(text, text)

    def hide(self, message: str) -> str:
        """``message`` with each value from the environment put back as its ``${NAME}``."""
        for value, name in self.hidden:
            message = message.replace(value, name)
        return message


def check_snapshot(
    bound: BoundPolicy,
    source: str | SourceText,
    *,
    as_of: datetime,
    sample: int | None,
    max_keys: int,
    timeout: float = STATEMENT_TIMEOUT,
    allow_privileged_role: bool = False,
) -> list[Finding]:
    """Every place where ``source`` breaks the policy; what could not be checked is SEL001.
    ``sample``: rows per table for the value checks, None for every row. A server account
    that may do more than read is refused unless ``allow_privileged_role``. A source given as
    a string is shown as it is (its password masked)."""
    from seloste.checks.snapshot.runner import run

    return run(
        bound,
        SourceText.typed(source) if isinstance(source, str) else source,
        as_of=as_of,
        sample=sample,
        max_keys=max_keys,
        timeout=timeout,
        allow_privileged_role=allow_privileged_role,
    )
