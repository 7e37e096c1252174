"""Field kinds that stand for a group: the special categories of personal data (GDPR Art. 9(1)).

``special_category`` names the group. An entry for it in ``forbidden_kinds`` forbids, and one
in a register's ``allowed_kinds`` allows, each kind of the group (``health_data``, ...), so a
policy written before the categories had kinds of their own keeps its meaning. A field of kind
``special_category`` (one that holds several categories) is covered only by the group's entry:
which single category it holds cannot be told.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import get_args

from seloste.policy.model import SpecialCategory

SPECIAL_CATEGORIES: tuple[str, ...] = get_args(SpecialCategory)
GROUPS: dict[str, frozenset[str]] = {"special_category": frozenset(SPECIAL_CATEGORIES)}


def covering(kind: str, entries: Collection[str]) -> str | None:
    """The entry among ``entries`` (the keys of ``forbidden_kinds`` or ``allowed_kinds``) that
    covers a field of ``kind``: the kind's own entry, else its group's; None when none does."""
    if kind in entries:
        return kind
    return next((g for g, members in GROUPS.items() if kind in members and g in entries), None)
