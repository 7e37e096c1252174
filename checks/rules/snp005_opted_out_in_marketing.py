"""## What it does
Checks that no data subject who opted out of marketing is in a table bound to a marketing
purpose (a purpose with `marketing: true` among the table's `purposes`). The opt-out flag
may sit on the table itself or on the subject its `subject` links lead to (a newsletter
recipient's contact's customer), also in another register that shares the data subject
(BND003): the check joins along the links, in the database. A table without `purposes`
(or with no marketing purpose among them) is not checked for opt-outs: holding an opted-out
subject is allowed, using their data for marketing is not.

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

from seloste.checks.findings import Finding, Severity
from seloste.checks.rules._snapshot import flagged_subjects, marketing_purposes, unbound_flag
from seloste.checks.snapshot.plan import Check

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext
    from seloste.policy.model import TableBinding

ID = "SNP005"
NAME = "opted-out-in-marketing"
SEVERITY: Severity = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    def applies(binding: TableBinding) -> bool:
        return bool(marketing_purposes(ctx, binding))

    def describe(table: str, binding: TableBinding) -> str:
        return (
            f"subjects who opted out of marketing are in {table!r}, which serves the marketing "
            f"purpose {', '.join(marketing_purposes(ctx, binding))}"
        )

    return flagged_subjects(ctx, ID, SEVERITY, "marketing_opt_out", applies, describe)


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    yield from ctx.findings(ID)
    yield from unbound_flag(ctx, "marketing_opt_out")  # BND004, as at validate
