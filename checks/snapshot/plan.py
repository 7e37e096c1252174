"""What a snapshot rule asks the runner to count: rows by a condition, or values by a test.

Kept free of SQLAlchemy so that the rule registry can import the rules without it; the
conditions themselves are built through the context (:mod:`checks.snapshot.context`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checks.findings import Severity


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ValueCheck:
    """The values of ``table.column`` that ``test`` flags, in a bounded sample of rows.

    ``test`` sees each non-NULL value; it must not keep it.
    """

    rule: str
    severity: Severity
    table: str
    column: str
    test: Callable[[Any], bool]
    message: str
    detail: str = ""


Check = RowCheck | ValueCheck
