"""## What it does
Checks that no data subject whose processing is restricted is in a table bound to an
outbound purpose: a purpose with `recipients`, whose data leaves the controller (to
Traficom, to hosting partners). The restriction flag may sit on the table itself or on the
subject its `subject` links lead to; the check joins along the links, in the database.

## Why is this bad?
While a dispute about the data is open, its processing is restricted (GDPR Art. 18): it may
be stored, not disclosed. A restricted customer's domain in the provisioning queue will be
sent to a partner at the next run.

## Example
```yaml
tables:
  customers: {register: customer_register, key: id, restricted: processing_restricted}
  hosting_provisioning:
    subject: {table: domains, column: domain_id}
    purposes: [service_maintenance]    # recipients: traficom, hosting_partners
# domain 94 belongs to customer 60, whose processing_restricted is true
```

Use instead: hold the restricted subject's rows back from every outbound table (or filter
them out of what is sent) until the restriction is lifted:
```sql
DELETE FROM hosting_provisioning WHERE domain_id IN (
  SELECT d.id FROM domains d JOIN customers k ON k.id = d.customer_id
  WHERE k.processing_restricted);
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from checks.findings import Finding
from checks.rules._snapshot import flagged_subjects
from checks.snapshot.plan import Check

if TYPE_CHECKING:
    from checks.snapshot.context import SnapshotContext

ID = "SNP006"
NAME = "restricted-in-outbound"
SEVERITY = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    def describe(table: str, purposes: list[str]) -> str:
        policy = ctx.policy.purposes
        recipients = sorted({r for p in purposes for r in policy[p].recipients})
        return (
            f"subjects whose processing is restricted are in {table!r}, which serves "
            f"{', '.join(purposes)} (recipients: {', '.join(recipients)})"
        )

    return flagged_subjects(ctx, ID, SEVERITY, "restricted", lambda p: bool(p.recipients), describe)


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
