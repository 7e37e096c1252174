"""seloste's checks: policy lint, snapshots, flows; findings, reports and the command line.

What the package's metadata says (its version, its documentation) is read here, on demand,
for the command and for the reports that name them.
"""

from __future__ import annotations

from functools import cache


@cache
def tool_version() -> str:
    """seloste's version, from its package metadata (read on demand: it costs ~30 ms)."""
    from importlib.metadata import version

    return version("seloste")


@cache
def docs_url() -> str | None:
    """The project's documentation URL from its package metadata, if it declares one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("seloste").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    pairs = dict(u.split(",", 1) for u in urls if "," in u)
    found = {k.strip().lower(): v.strip() for k, v in pairs.items()}
    return found.get("documentation") or found.get("homepage") or found.get("repository")
