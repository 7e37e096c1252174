"""## What it does
Checks that every flow that uses or discloses data (any flow not declared `processing:
storage`) excludes the subjects whose processing is restricted: `excludes: [restricted]`.
A flow that only stores the controller's own copy, such as a backup or the hosting of its
database, declares `processing: storage` and needs no exclusion.

## Why is this bad?
GDPR Art. 18(2): where processing has been restricted, the personal data shall, with the
exception of storage, only be processed with the data subject's consent or for legal claims,
the protection of another person's rights or an important public interest. Storing a
restricted subject's data is allowed (a backup must keep it); sending it to a partner, using
it for invoicing or marketing is not, until the restriction is lifted.

## Example
```yaml
flows:
  dns-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [domain, contact_name, email]
```

Passes without an exclusion, because it only stores:
```yaml
  nightly-backup:
    register: system
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [organisation_name, domain, contact_name, email]
    processing: storage
```

Use instead:
```yaml
flows:
  dns-hosting:
    register: customer_register
    recipient: hosting_partners
    purpose: service_maintenance
    fields: [domain, contact_name, email]
    excludes: [restricted]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.rules._flows import excludes, missing_exclusion

if TYPE_CHECKING:
    from seloste.checks.flows.context import FlowContext

ID = "FLW006"
NAME = "flow-without-restriction"
SEVERITY: Severity = "error"
SCOPE = "flows"


def check(ctx: FlowContext) -> Iterator[Finding]:
    for file, fid, flow in ctx.flows():
        if flow.processing == "storage" or excludes(flow, "restricted"):
            continue
        uses = f"discloses data to {flow.recipient!r}" if flow.recipient else "uses data"
        message = (
            f"flow {fid!r} {uses} but does not exclude subjects whose processing is restricted "
            "(excludes: [restricted]); restricted data may only be stored (GDPR Art. 18(2))"
        )
        yield missing_exclusion(file, fid, flow, ID, SEVERITY, message)
