"""## What it does
Checks every place a recipient processes or stores data (`locations`) against the policy's
transfer rules and the recipient's transfer mechanisms.

A place in a ban (`transfers.bans`) is always a finding. A place outside the allowed places
(`transfers.allowed`) is a finding unless the recipient declares a mechanism for it
(`recipients.<id>.transfers`) that the notice permits (`transfers.mechanisms`) and that
holds: an adequacy decision (GDPR Art. 45) for the country in force today (data in
`policy/adequacy.yaml`, or the policy's `transfers.adequacy`), standard contractual clauses
(Art. 46(2)(c)), binding corporate rules (Art. 47), or a derogation (Art. 49) with its reason.
The message says which mechanism was missing or why it does not hold. A mechanism declared
for a place inside the allowed places is a finding too: the notice would name a transfer
that is none.

## Why is this bad?
Transfers outside the EU/EEA need an adequacy decision or other safeguards (GDPR Chapter V),
and the notice must say which (Art. 13(1)(f)). A notice that promises no such transfers
makes any of them a broken promise; one that names a mechanism promises that it exists and
holds. A recipient declared in a third country is such a transfer before a single row has
moved.

## Example
```yaml
transfers:
  allowed: [EEA]
recipients:
  mailer:
    locations: [US]
```

Use instead:
```yaml
recipients:
  mailer:
    locations: [IE]       # or a provider that processes inside the EEA
```
or, where the notice tells data subjects about the transfer and its safeguard:
```yaml
transfers:
  allowed: [EEA]
  mechanisms: [adequacy]
recipients:
  mailer:
    locations: [US]
    transfers:
      US: {mechanism: adequacy}   # the EU-US Data Privacy Framework, certified providers
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.regions import within
from seloste.policy.transfers import why_not

ID = "POL004"
NAME = "transfer-outside-region"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    for cid, recipient in model.recipients.items():
        for i, place in enumerate(recipient.locations):
            path = ("recipients", cid, "locations", i)
            reason = why_not(place, model, recipient=cid)
            if reason:
                yield at(policy, path, ID, SEVERITY, f"recipient {cid!r}: {reason}")
        allowed = model.transfers.allowed
        for place in recipient.transfers:
            if within(place, allowed, model.regions):
                yield at(
                    policy,
                    ("recipients", cid, "transfers", place),
                    ID,
                    SEVERITY,
                    f"recipient {cid!r}: a transfer mechanism is declared for {place}, which is "
                    f"inside the allowed transfer region {', '.join(allowed)}; remove it",
                    key=True,
                )
