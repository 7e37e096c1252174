"""## What it does
Checks a flow's `purpose`: that the policy declares it, that the flow's register lists it
among its purposes, and, for a flow to a recipient, that the purpose discloses to that
recipient (the purpose's `recipients`).

## Why is this bad?
Personal data may be processed only for the purposes the notice names for it (GDPR
Art. 5(1)(b)), and disclosed only to the recipients named for that purpose (Art. 13(1)(e)).
A flow under another purpose, or to a recipient its purpose does not name, is processing
the data subjects were not told about.

## Example
```yaml
flows:
  crm-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: customer_relationship     # discloses to no one
    fields: [contact_name, email]
    excludes: [restricted]
```

Use instead:
```yaml
flows:
  crm-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance       # names hosting_partners among its recipients
    fields: [contact_name, email]
    excludes: [restricted]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW003"
NAME = "flow-purpose-not-allowed"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    index = ctx.index
    for file, fid, flow in ctx.flows():
        path = ("flows", fid, "purpose")
        purpose = flow.purpose
        if purpose not in index.purpose_fields:
            hint = index.hint(purpose, "purposes")
            message = f"flow {fid!r}: purpose {purpose!r} is not declared in the policy{hint}"
            yield at(file, path, ID, SEVERITY, message)
            continue
        listed = index.register_purposes.get(flow.register_id)
        if listed is not None and purpose not in listed:
            message = f"flow {fid!r}: register {flow.register_id!r} is not used for {purpose!r}"
            yield at(file, path, ID, SEVERITY, message, target=f"{file.path}#/flows/{fid}/register")
        recipient = flow.recipient
        if (
            recipient in index.recipient_fields
            and recipient not in index.purpose_recipients[purpose]
        ):
            message = f"flow {fid!r}: purpose {purpose!r} does not disclose to {recipient!r}"
            yield at(file, path, ID, SEVERITY, message)
