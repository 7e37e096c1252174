"""Which column a retention rule counts from for a table, and which tables an exception
keeps: one answer for the rules that judge a snapshot (SNP004, SNP011, BND004) and for a
data subject's request (checks/subject/), so a row's due date is the one SNP004 checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from seloste.policy.tables import time_column

if TYPE_CHECKING:
    from seloste.policy.model import TableBinding


def covers(fields: list[str], binding: TableBinding) -> bool:
    """An exception keeps a table when it lists every field the table holds (a table that
    holds a field it does not list still follows the rule)."""
    held = set(binding.columns.values())
    return bool(held) and held <= set(fields)


def anchor(
    chain: Iterable[tuple[str, TableBinding]], register: str, trigger: str, date_field: str | None
) -> tuple[str, str] | None:
    """The nearest table along the subject links (``chain``: the bound tables, nearest
    first), within ``register``, with the trigger's column, and the column. A link into
    another register (one that shares its data subjects) is followed for flags, not for
    retention: each register counts from its own columns."""
    for name, binding in chain:
        if binding.register_id != register:
            return None
        column = time_column(binding, trigger, date_field)
        if column:
            return name, column
    return None
