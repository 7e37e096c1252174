"""What a table binding says about its columns, for the model (policy/model.py) and for the
pre-commit hook's view of it (policy/view.py): both are given here, so the bindings rules
read either through the same functions. Without pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The binding keys that name a column a rule reads.
RULE_COLUMNS: tuple[str, ...] = ("relationship_end", "collected_at", "last_activity")
RULE_COLUMNS += ("consent_withdrawn",)
RULE_COLUMNS += ("marketing_opt_out",)
RULE_COLUMNS += ("restricted",)
# The binding key that names the column each retention trigger counts from.
TRIGGER_COLUMNS = {
    "relationship_end": "relationship_end",
    "collection": "collected_at",
    "last_activity": "last_activity",
    "consent_withdrawn": "consent_withdrawn",
}
# Triggers whose column is empty until the event happens: NULL means "not yet", not unknown.
PENDING_TRIGGERS = frozenset({"relationship_end", "consent_withdrawn"})


def declared_columns(binding: Any) -> set[str]:
    """Every column binding (a TableBinding) says something about: key, link, mapped,
    other, rule columns."""
    names = {binding.key, *binding.columns, *binding.other_columns}
    if binding.subject is not None:
        names.add(binding.subject.column)
    names.update(c for attr in RULE_COLUMNS if (c := getattr(binding, attr)))
    return names


def time_column(binding: Any, trigger: str, date_field: str | None = None) -> str | None:
    """The column of binding holding the time a retention trigger counts from, if any:
    the trigger's own column, or for ``date`` the column mapped to the date field."""
    if trigger == "date":
        return next((c for c, f in binding.columns.items() if f == date_field), None)
    column: str | None = getattr(binding, TRIGGER_COLUMNS[trigger])
    return column


def subject_chain(tables: Mapping[str, Any], table: str) -> list[str]:
    """``table`` and the bound tables its ``subject`` links lead to, nearest first; stops at
    an unbound table or a cycle (both reported by BND003)."""
    chain = [table]
    while (link := tables[chain[-1]].subject) is not None:
        if link.table not in tables or link.table in chain:
            break
        chain.append(link.table)
    return chain
