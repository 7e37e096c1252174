"""## What it does
Checks that no register holds a field of a forbidden kind (`forbidden_kinds`), unless the
register allows that kind explicitly, with its own legal basis, under `allowed_kinds`.

## Why is this bad?
Some data may not be processed at all without a specific basis: special categories (GDPR
Art. 9), criminal offence data (Art. 10), and in Finland the personal identity code
(Tietosuojalaki 29 §). A register that lists such a field without a stated exception
promises to hold data it may not.

## Example
```yaml
forbidden_kinds:
  fi_personal_identity_code: {reason: {en: Not needed for business customers}}
fields:
  hetu: {name: {en: Personal identity code}, kind: fi_personal_identity_code, personal: true}
registers:
  customers:
    fields: [hetu]
```

Use instead: drop the field, or state the exception:
```yaml
registers:
  payroll:
    fields: [hetu]
    allowed_kinds:
      fi_personal_identity_code:
        legal_basis: {basis: legal_obligation, reference: "Tietosuojalaki 29 §"}
        reason: {en: Needed for tax reporting}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.loader import Loaded
from seloste.policy.model import Policy

ID = "POL009"
NAME = "forbidden-kind-held"
SEVERITY: Severity = "error"
SCOPE = "policy"


def check(policy: Loaded[Policy]) -> Iterator[Finding]:
    model = policy.model
    for rid, register in model.registers.items():
        for i, fid in enumerate(register.fields):
            field = model.fields.get(fid)
            if field is None or field.kind not in model.forbidden_kinds:
                continue
            if field.kind not in register.allowed_kinds:
                yield at(
                    policy,
                    ("registers", rid, "fields", i),
                    ID,
                    SEVERITY,
                    f"register {rid!r} holds field {fid!r} of forbidden kind "
                    f"{field.kind!r} without allowing it in allowed_kinds",
                )
