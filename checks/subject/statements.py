"""The DELETE statements of an erasure plan, for the officer to review and run.

seloste never runs them: the snapshot is read-only. Each statement names one row by its
key, rendered by SQLAlchemy for the source's dialect with the key as a quoted literal;
linked rows come before the rows they link to, so foreign keys hold at each step.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from seloste.checks.snapshot.context import SnapshotContext
from seloste.checks.subject.document import SubjectDocument
from seloste.policy.model import subject_chain


def deletions(ctx: SnapshotContext, src: Any, doc: SubjectDocument) -> str:
    """One DELETE a row the plan erases, deepest links first, in one transaction."""
    tables = {t.table: t for r in doc.registers for t in r.tables}
    order = sorted(tables, key=lambda t: -len(subject_chain(ctx.bindings.tables, t)))
    lines = [f"-- erasure plan for {ctx.source} as of {doc.request.as_of}; review before running"]
    lines.append("BEGIN;")
    for name in order:
        binding = ctx.bindings.tables[name]
        table = sa.table(name, sa.column(binding.key), schema=binding.db_schema)
        for row in tables[name].rows:
            if row.erasure is None or row.erasure.decision != "erase":
                continue
            statement = sa.delete(table).where(table.c[binding.key] == sa.literal(row.key))
            compiled = statement.compile(
                dialect=src.engine.dialect, compile_kwargs={"literal_binds": True}
            )
            if row.erasure.kept_links:
                kept = ", ".join(row.erasure.kept_links)
                lines.append(f"-- kept rows link to this one ({kept}); delete it when they go:")
                lines.append(f"-- {compiled};")
            else:
                lines.append(f"{compiled};")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"
