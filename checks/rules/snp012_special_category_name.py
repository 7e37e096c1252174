"""## What it does
Reports undeclared columns whose names say they hold special categories of personal data.
It reads the names of the columns nobody declared, in bound tables (the columns SNP001
reports) and in tables the bindings neither bind nor ignore (SNP002's tables), for words of
the categories of GDPR Art. 9(1): racial or ethnic origin, political opinions, religious or
philosophical beliefs, trade union membership, genetic or biometric data, data concerning
health, a person's sex life or sexual orientation. The words, English and Finnish with
their common forms (`health`, `terveydentila`, `diagnoosi`, `allergia`, `lääkitys`,
`uskonto`, `ammattiliitto`, `sormenjälki`, ...), are data:
`checks/snapshot/special_categories.yaml`. A name is split at `_`, `-` and camelCase humps
and a word matches a whole part (`medical_notes`, not `healthy_snacks_ok`; `union_member` and
`unionized_at`, not `union_type`); names of things (`server_health`, `key_fingerprint`) are
left alone. The finding counts the rows that hold a value, and is made even when none does.

A column bound to a field (of a special-category kind or any other) is declared, and not
this rule's business: POL009 checks that its register may hold the kind.

## Why is this bad?
Processing the special categories of personal data is prohibited (GDPR Art. 9(1)) unless a
condition of Art. 9(2) applies, such as explicit consent or an employer's obligation in
employment law, and the notice must say so. A `medical_notes` column nobody declared holds
data of the most protected kind with no stated condition, no retention rule and no check:
a breach of it weighs most, and the fine for it is the higher one (Art. 83(5)).

## Example
```text
# clients(id, name, email, medical_notes): medical_notes is not in the bindings
k.db clients.medical_notes: SNP012 [error] column 'medical_notes' of 'clients' is named for
  data concerning health ('medical'): a special category of personal data (GDPR Art. 9(1)),
  which nothing declares
```

Use instead: remove the column and its data, or, where an Art. 9(2) condition applies, bind
it to a field of its kind and allow the kind for the register with that condition:
```yaml
fields:
  medical_notes: {name: {en: Medical notes}, kind: health_data, personal: true}
registers:
  clients:
    fields: [name, email, medical_notes]
    allowed_kinds:
      health_data:
        legal_basis: {basis: consent, reference: "GDPR Art. 9(2)(a): explicit consent"}
        reason: {en: Needed to give first aid at the club's events}
```
A column whose name only looks like one (a machine's `health_score`) is declared in
`other_columns`, or its table in `ignore_tables`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Severity
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check, RowCheck
from seloste.policy.terms import term

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext

ID = "SNP012"
NAME = "special-category-name"
SEVERITY: Severity = "error"
SCOPE = "snapshot"


def plan(ctx: SnapshotContext) -> Iterator[Check]:
    for table, binding in ctx.bound_tables():
        declared = binding.declared_columns()
        yield from _named(ctx, table, [c for c in ctx.tables[table].columns if c not in declared])
    for table in ctx.unbound_tables():
        yield from _named(ctx, table, list(ctx.tables[table].columns))


def _named(ctx: SnapshotContext, table: str, columns: list[str]) -> Iterator[Check]:
    """A row count for each of ``columns`` whose name says Art. 9 data."""
    for column in columns:
        found = values.special_category_of(column)
        if found is None:
            continue
        kind, word = found
        what = term(f"kind.{kind}", "en")  # the kind's name, as the notice gives it
        yield RowCheck(
            ID,
            SEVERITY,
            table,
            column,
            ctx.scope(table).not_null(table, column),
            f"column {column!r} of {table!r} is named for {what[:1].lower()}{what[1:]} "
            f"({word.rstrip('*')!r}): "
            "a special category of personal data (GDPR Art. 9(1)), which nothing declares",
            detail=kind,
            report_empty=True,
        )


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    return ctx.findings(ID)
