"""## What it does
Checks that a flow's `register` is declared in the policy (or is `system`, meaning every
register), and that each of its `fields` is in the policy's vocabulary and held by that
register.

## Why is this bad?
A flow that names a register or a field the policy does not know carries data the notice
does not describe at all: nothing it promises about fields, purposes or recipients can be
checked for it, and a typo would otherwise hide a real flow from every other rule.

## Example
```yaml
flows:
  payment-reminders:
    register: customer_register
    purpose: customer_relationship
    fields: [contact_name, email, bank_account]    # not in the policy's fields
```

Use instead:
```yaml
flows:
  payment-reminders:
    register: customer_register
    purpose: customer_relationship
    fields: [contact_name, email, billing_details]
```
or add the field to the policy's `fields` and to the register, and publish the notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity, at

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW007"
NAME = "unknown-flow-reference"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    index = ctx.index
    for file, fid, flow in ctx.flows():
        held = index.register_fields.get(flow.register_id)
        if held is None:
            hint = index.hint(flow.register_id, "registers")
            message = f"flow {fid!r}: register {flow.register_id!r} is not declared{hint}"
            yield at(file, ("flows", fid, "register"), ID, SEVERITY, message)
        for i, name in enumerate(flow.fields):
            if name not in index.fields:
                hint = index.hint(name, "fields")
                message = f"flow {fid!r}: field {name!r} is not in the policy's fields{hint}"
            elif held is not None and name not in held:
                message = f"flow {fid!r}: register {flow.register_id!r} does not hold {name!r}"
            else:
                continue
            yield at(file, ("flows", fid, "fields", i), ID, SEVERITY, message)
