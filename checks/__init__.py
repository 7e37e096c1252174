"""seloste's checks: policy lint, snapshots, flows; findings, reports and the command line."""

from __future__ import annotations

from functools import cache


@cache
def tool_version() -> str:
    """seloste's version, from its package metadata (read on demand: it costs ~30 ms)."""
    from importlib.metadata import version

    return version("seloste")
