"""## What it does
Checks that no register holds a field of a forbidden kind (`forbidden_kinds`), unless the
register allows that kind explicitly, with its own legal basis, under `allowed_kinds`.
`special_category` stands for every special category of GDPR Art. 9(1) (`health_data`,
`religious_or_philosophical_beliefs`, ...): forbidding it forbids each of them, and allowing
it allows each of them; a kind's own entry covers only that kind.

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

Special categories, forbidden as a group and one of them allowed where a law requires it
(the condition of Art. 9(2) in `reference`):
```yaml
forbidden_kinds:
  special_category: {reason: {en: No special categories are processed}, article: GDPR Art. 9}
registers:
  sick_leave:
    fields: [diagnosis]          # kind: health_data
    allowed_kinds:
      health_data:
        legal_basis: {basis: legal_obligation, reference: "GDPR Art. 9(2)(b); Työsopimuslaki"}
        reason: {en: Sick pay requires a medical certificate}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from seloste.checks.findings import Finding, Severity, at
from seloste.policy.kinds import covering
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
            forbidden = covering(field.kind, model.forbidden_kinds) if field else None
            if field is None or forbidden is None:
                continue
            if covering(field.kind, register.allowed_kinds) is None:
                # Say which entry forbids it when that is the group, not the kind itself.
                how = "" if forbidden == field.kind else f" (forbidden as {forbidden})"
                yield at(
                    policy,
                    ("registers", rid, "fields", i),
                    ID,
                    SEVERITY,
                    f"register {rid!r} holds field {fid!r} of forbidden kind "
                    f"{field.kind!r}{how} without allowing it in allowed_kinds",
                )
