"""## What it does
Checks that no data subject whose processing is restricted is in a table whose rows are used
or disclosed rather than stored: a table the bindings mark as outbound (`outbound_to:` the
recipients it feeds, such as an export or a send queue), or a table bound to a marketing
purpose. The restriction flag may sit on the table itself or on the subject its `subject`
links lead to, also in another register that shares the data subject (BND003); the check
joins along the links, in the database. Storing restricted data is allowed, so a table with
neither `outbound_to` nor a marketing purpose among its `purposes` (the register's own
tables: customers, their domains) is not checked.

## Why is this bad?
GDPR Art. 18(2): where processing has been restricted, the personal data shall, with the
exception of storage, only be processed with the data subject's consent or for legal claims,
the protection of another person's rights or an important public interest. A restricted
customer's row in the provisioning queue is sent to a partner at the next run; one on the
mailing list gets the next campaign.

## Example
```yaml
tables:
  customers: {register: customer_register, key: id, restricted: processing_restricted}
  hosting_provisioning:
    register: customer_register
    key: id
    subject: {table: domains, column: domain_id}
    outbound_to: [hosting_partners]
# domain 94 belongs to customer 60, whose processing_restricted is true, and is queued
```

Passes: the same restricted customer 60 in `customers` and its domain in `domains`, which
are stored, not sent.

Use instead: hold the restricted subject's rows back from every outbound and marketing table
(or filter them out of what is sent) until the restriction is lifted:
```sql
DELETE FROM hosting_provisioning WHERE domain_id IN (
  SELECT d.id FROM domains d JOIN customers k ON k.id = d.customer_id
  WHERE k.processing_restricted);
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

ID = "SNP006"
NAME = "restricted-in-outbound"
SEVERITY: Severity = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    def applies(binding: TableBinding) -> bool:
        return bool(binding.outbound_to or marketing_purposes(ctx, binding))

    def describe(table: str, binding: TableBinding) -> str:
        uses = []
        if binding.outbound_to:
            uses.append(f"is sent to {', '.join(binding.outbound_to)}")
        if marketing := marketing_purposes(ctx, binding):
            uses.append(f"serves the marketing purpose {', '.join(marketing)}")
        return (
            f"subjects whose processing is restricted are in {table!r}, which "
            f"{' and '.join(uses)}: restricted data may only be stored (GDPR Art. 18(2))"
        )

    return flagged_subjects(ctx, ID, SEVERITY, "restricted", applies, describe)


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    yield from ctx.findings(ID)
    yield from unbound_flag(ctx, "restricted")  # BND004, as at validate
