"""## What it does
Checks that each `subject` link points at a bound table of the same register, or of a register
that shares its data subjects (both registers declare a data subject of the same ID under
`data_subjects`), and that following the links always ends at a table without one (no cycles).

A link to another register's table lets the opt-out and restriction checks (SNP005, SNP006)
find the subject's flags there: a newsletter register's subscriptions can follow the members
register's opt-out. Retention does not cross it: each register's rules count from its own
tables' columns, and a `linked_content` rule covers the tables of its own register only.

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

Across registers, declare the shared data subjects under the same ID in both:
```yaml
registers:
  member_register:
    data_subjects: {members: {fi: Jäsenet, en: Members}}
  newsletter_register:
    data_subjects: {members: {fi: Jäsenet, en: Members}}
# bindings: newsletter_subscriptions: {register: newsletter_register,
#   subject: {table: members, column: member_id}, ...}
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
        if not _share_subjects(ctx, binding.register_id, target.register_id):
            yield at(
                ctx.bindings,
                path,
                ID,
                SEVERITY,
                f"table {name!r} ({binding.register_id}) links to {link.table!r}, "
                f"which holds another register ({target.register_id}) with no data subject "
                "in common; declare the shared data subject under the same ID in both "
                "registers' data_subjects",
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


def _share_subjects(ctx: BoundPolicy, first: str, second: str) -> bool:
    """The same register, or two that declare a data subject of the same ID. An unknown
    register is BND001's to report, not a broken link."""
    registers = ctx.policy.model.registers
    if first == second or first not in registers or second not in registers:
        return True
    return bool(set(registers[first].data_subjects) & set(registers[second].data_subjects))
