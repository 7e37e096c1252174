"""What a snapshot rule asks the runner to count: rows by a condition, values by a test.

Kept free of SQLAlchemy so that the rule registry can import the rules without it; the
conditions themselves are built through the context (:mod:`checks.snapshot.context`).

Three ways to count, from exact to estimated:

- :class:`RowCheck`: a condition counted over every row, in the table's one aggregate query;
- :class:`ScanCheck`: every value of a column searched in the database for candidates (a
  pattern), each candidate confirmed in Python; exact, for what a pattern can pre-select
  (a personal identity code, which a check character then confirms);
- :class:`ValueCheck`: values judged in Python on a sample spread over the table (or every
  row, with ``--sample all``); the finding says how many rows the sample held.

Checks compare by identity (``eq=False``): each is one request, and results are kept by it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seloste.checks.findings import Severity


@dataclass(frozen=True, eq=False)
class RowCheck:
    """The rows of ``table`` where ``where`` holds, counted in the database.

    ``where`` is a SQLAlchemy condition over the table's scope (the table joined to the
    tables its ``subject`` links lead to). With ``report_empty`` a finding is made even when
    no row matches: for facts about the table itself, such as a column nobody declared.
    """

    rule: str
    severity: Severity
    table: str
    column: str | None
    where: Any
    message: str
    detail: str = ""
    report_empty: bool = False


@dataclass(frozen=True, eq=False)
class ScanCheck:
    """The values of ``table.column`` that ``test`` confirms, among the candidates a pattern
    finds in every row (``kind`` names the pattern: see ``values.CANDIDATES``)."""

    rule: str
    severity: Severity
    table: str
    column: str
    kind: str
    test: Callable[[Any], bool]
    message: str
    detail: str = ""


@dataclass(frozen=True, eq=False)
class ValueCheck:
    """The values of ``table.column`` that ``test`` flags, in a sample spread over the table.

    ``test`` sees each non-NULL value; it must not keep it.
    """

    rule: str
    severity: Severity
    table: str
    column: str
    test: Callable[[Any], bool]
    message: str
    detail: str = ""


Check = RowCheck | ScanCheck | ValueCheck
