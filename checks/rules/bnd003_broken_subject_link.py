"""## What it does
Checks that each `subject` link points at a bound table of the same register, and that
following the links always ends at a table without one (no cycles).

## Why is this bad?
Linked content (a customer's domains, mailboxes, invoices) is found by following these links to
the data subject's row. A link to an unbound table, or a cycle, leaves the content unreachable,
so retention, opt-out and restriction checks could not tell whose it is.

## Example
```yaml
tables:
  mailboxes:
    subject: {table: domain, column: domain_id}   # the table is called domains
```

Use instead:
```yaml
    subject: {table: domains, column: domain_id}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding, Severity, at

ID = "BND003"
NAME = "broken-subject-link"
SEVERITY: Severity = "error"
SCOPE = "bindings"


def check(ctx: BoundPolicy) -> Iterator[Finding]:
    tables = ctx.bindings.model.tables
    for name, binding in tables.items():
        link = binding.subject
        if link is None:
            continue
        path = ("tables", name, "subject", "table")
        target = tables.get(link.table)
        if target is None:
            yield at(
                ctx.bindings,
                path,
                ID,
                SEVERITY,
                f"table {name!r} links to {link.table!r}, which is not bound",
            )
            continue
        if target.register_id != binding.register_id:
            yield at(
                ctx.bindings,
                path,
                ID,
                SEVERITY,
                f"table {name!r} ({binding.register_id}) links to {link.table!r}, "
                f"which holds another register ({target.register_id})",
            )
        chain, current = [name], link.table
        while current in tables:
            if current in chain:
                cycle = " -> ".join([*chain[chain.index(current) :], current])
                yield at(
                    ctx.bindings,
                    path,
                    ID,
                    SEVERITY,
                    f"subject links from {name!r} run in a cycle: {cycle}",
                )
                break
            chain.append(current)
            following = tables[current].subject
            if following is None:
                break
            current = following.table
