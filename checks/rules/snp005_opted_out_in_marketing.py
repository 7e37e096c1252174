"""## What it does
Checks that no data subject who opted out of marketing is in a table bound to a marketing
purpose (a purpose with `marketing: true` among the table's `purposes`). The opt-out flag
may sit on the table itself or on the subject its `subject` links lead to (a newsletter
recipient's contact's customer): the check joins along the links, in the database.

## Why is this bad?
The notice promises that a data subject may forbid the use of their data for marketing
(GDPR Art. 21(2)–(3)). A mailing list that still holds opted-out subjects will be used for
the next campaign.

## Example
```yaml
tables:
  customers: {register: customer_register, key: id, marketing_opt_out: marketing_opt_out}
  newsletter_recipients:
    register: customer_register
    key: id
    subject: {table: contacts, column: contact_id}
    purposes: [marketing]
# contact 35 belongs to customer 23, whose marketing_opt_out is true, and is subscribed
```

Use instead: remove opted-out subjects from marketing tables when they opt out (or filter
them in a view the mailing tool reads):
```sql
DELETE FROM newsletter_recipients WHERE contact_id IN (
  SELECT c.id FROM contacts c JOIN customers k ON k.id = c.customer_id
  WHERE k.marketing_opt_out);
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checks.findings import Finding
from checks.snapshot.plan import Check, RowCheck

if TYPE_CHECKING:
    from checks.snapshot.context import SnapshotContext

ID = "SNP005"
NAME = "opted-out-in-marketing"
SEVERITY = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    from checks.snapshot.context import any_of

    purposes = ctx.policy.purposes
    for table, binding in ctx.bound_tables():
        marketing = [p for p in binding.purposes if p in purposes and purposes[p].marketing]
        if not marketing:
            continue
        scope = ctx.scope(table)
        flags = [(name, b.marketing_opt_out) for name, b in scope.bindings() if b.marketing_opt_out]
        if not flags:  # a check that cannot run is an error, never a pass
            ctx.gap(table, None, "no marketing_opt_out column on it or along its subject links")
            continue
        condition = any_of([scope.truthy(name, column) for name, column in flags])
        if condition is None:
            continue  # its columns are missing, and reported as not checked
        column = binding.marketing_opt_out or (binding.subject.column if binding.subject else None)
        yield RowCheck(
            ID,
            SEVERITY,
            table,
            column,
            condition,
            f"subjects who opted out of marketing are in {table!r}, which serves the marketing "
            f"purpose {', '.join(marketing)}",
        )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
