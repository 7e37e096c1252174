"""## What it does
Checks that every field named by a register, purpose, recipient or retention rule is declared
in the policy's `fields` vocabulary.

## Why is this bad?
A purpose or recipient that names an undeclared field promises something about data the policy
does not describe: its kind (and so its validation) and whether it is personal data are unknown,
and checks that rely on it are silently skipped. It is usually a typo.

## Example
```yaml
fields:
  email: {name: {en: E-mail}, kind: email, personal: true}
purposes:
  newsletter:
    fields: [e-mail]        # not declared
```

Use instead:
```yaml
purposes:
  newsletter:
    fields: [email]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.checks.rules._refs import references
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy
from seloste.policy.names import did_you_mean

ID = "POL001"
NAME = "unknown-field"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    declared = policy.model.fields
    for kind, path, ref in references(policy.model):
        if kind == "field" and ref not in declared:
            hint = did_you_mean(ref, declared)
            yield at(policy, path, ID, SEVERITY, f"field {ref!r} is not declared in fields{hint}")
