"""Placeholder: the snapshot issue replaces this module with the package ``checks/snapshot/``."""

from __future__ import annotations

from datetime import datetime

from checks.context import BoundPolicy
from checks.findings import Finding


def check_snapshot(
    bound: BoundPolicy, source: str, *, as_of: datetime, sample: int, max_keys: int
) -> list[Finding]:
    raise NotImplementedError("snapshot checks are not built yet")
