"""## What it does
Checks that no list in a policy names the same entry twice (a field in a purpose, a recipient,
a location, a right, a transfer mechanism, a banned place).

## Why is this bad?
Duplicate mapping keys are already refused when a policy is loaded; a duplicate list entry is
their quieter sibling. It usually means one entry was meant to be another (a copy-paste that
was never edited), so something the author intended is missing.

## Example
```yaml
purposes:
  billing:
    fields: [organisation_name, email, email]
```

Use instead:
```yaml
purposes:
  billing:
    fields: [organisation_name, email, billing_details]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.checks.rules._refs import lists
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL010"
NAME = "duplicate-entry"
SEVERITY: Severity = "warning"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    for path, items in lists(policy.model):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item in seen:
                yield at(
                    policy,
                    (*path, i),
                    ID,
                    SEVERITY,
                    f"{item!r} is listed twice in {'.'.join(map(str, path))}",
                    target=f"{policy.path}#/{'/'.join(map(str, path))}/[{item}]#{i}",
                )
            seen.add(item)
