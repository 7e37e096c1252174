"""## What it does
Checks that a flow carries only fields that both its recipient may receive (the recipient's
`fields`) and its purpose may use (the purpose's `fields`).

## Why is this bad?
The notice lists exactly which data each recipient gets, and data may be used only for the
purposes it was collected for (GDPR Art. 5(1)(b), data minimisation in Art. 5(1)(c)).
Sending the business ID to hosting partners, when the notice says they get none, breaks it.

## Example
```yaml
flows:
  mail-provisioning:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [organisation_name, business_id, email]   # hosting_partners get no business_id
    excludes: [restricted]
```

Use instead:
```yaml
flows:
  mail-provisioning:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [organisation_name, email]
    excludes: [restricted]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW002"
NAME = "flow-field-not-allowed"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    index = ctx.index
    for file, fid, flow in ctx.flows():
        # Undeclared recipients, purposes and fields have their own rules; nothing to compare.
        to_recipient = index.recipient_fields.get(flow.recipient or "")
        for_purpose = index.purpose_fields.get(flow.purpose)
        for i, name in enumerate(flow.fields):
            if name not in index.fields:
                continue
            why = []
            if to_recipient is not None and name not in to_recipient:
                why.append(f"recipient {flow.recipient!r} may not receive it")
            if for_purpose is not None and name not in for_purpose:
                why.append(f"purpose {flow.purpose!r} may not use it")
            if why:
                yield at(
                    file,
                    ("flows", fid, "fields", i),
                    ID,
                    SEVERITY,
                    f"flow {fid!r} carries {name!r}: {' and '.join(why)}",
                )
