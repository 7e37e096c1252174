"""Draft bindings from a database: ``seloste discover SOURCE [--policy POLICY]``.

The source is opened read-only as ``seloste check`` opens it (``checks/snapshot/sources.py``);
:mod:`.profile` reflects its tables and counts what their values look like in the database,
:mod:`.classify` turns that and the columns' names (``words.yaml``) into proposals with their
evidence, and :mod:`.draft` writes them as a bindings file with a comment on every line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seloste.checks.discover.classify import Draft
    from seloste.policy.model import Policy

# Rows per table whose values the validators judge, spread over the table.
SAMPLE = 10_000


def discover(
    source: str,
    policy: Policy | None,
    *,
    schema: str | None,
    sample: int,
    timeout: float,
    allow_privileged_role: bool = False,
) -> Draft:
    """The draft for ``source``; raises ``Unavailable`` when it cannot be read."""
    from seloste.checks.discover import classify, profile
    from seloste.checks.snapshot.sampling import DB_ERRORS
    from seloste.checks.snapshot.sources import Unavailable, open_source, reason

    src = open_source(source, timeout=timeout, allow_privileged_role=allow_privileged_role)
    try:
        with src.engine.connect() as conn:
            if src.dialect == "postgresql":  # one snapshot of the database for every query
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            tables = profile.reflect(src, conn, schema)
            for table in tables:
                profile.profile(src, conn, table, sample)
    except DB_ERRORS as exc:
        raise Unavailable(reason(exc)) from None
    finally:
        src.close()
    return classify.draft(tables, policy)
