"""## What it does
Says, as a note, what a snapshot check did not cover in full, so that a clean report is never
read as more than it is:
- value checks that read a sample (`--sample N`, default 5,000 rows per table): the accuracy
  of e-mail addresses, phone numbers, business IDs, IBANs and IP addresses, and the values of
  tables nobody bound, in the sample's rows only. The sample is spread over the whole table,
  drawn at random but the same on every run; the note gives its size and the table's;
- forbidden kinds that no value test can find (special categories of data, criminal
  offences): only the fields the bindings declare are checked for them (POL009, BND002),
  and the names of undeclared columns (SNP012), not the values themselves;
- retention rules and exceptions marked `verified_outside` (a rule this database cannot
  show, such as "kept while the agreement is valid" with no column for the agreement's
  end): one note per rule names the rule, its register, who verifies it and how; for an
  exception, one note per table it covers (those tables are not checked against the rule).

## Why is this bad?
A pass means "checked and clean". A sample that found no invalid address says nothing about
the rows outside it, and a policy that forbids health data is not kept by a database that
was never searched for it. A retention rule verified outside the database is still a promise
of storage limitation (GDPR Art. 5(1)(e)) and must be accountable (Art. 5(2)): the note says
that this run did not check it, and who does. The note tells the reader which promise was
checked how far.

## Example
```text
k.db contacts: SNP011 [note] value checks SNP008, SNP009 of contacts read a sample of 5000
  of its 10000000 rows, spread over the table; the other rows were not read
```

```text
members.db members: SNP011 [note] retention 'while-agreement-valid' of register
  'member_register' is not checked in this database: verified outside by the finance team
  (the quarterly archive review)
```

Passes: a table of at most `--sample` rows, read in full; a retention rule with a bound
trigger column, which SNP004 checks.

Use instead: `--sample all` reads every row (a full scan per table with value checks), or
accept the note (it counts only with `--fail-on note`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from seloste.checks.findings import Finding, Location, Severity
from seloste.checks.retention import covers
from seloste.checks.snapshot import values
from seloste.checks.snapshot.plan import Check, ValueCheck

if TYPE_CHECKING:
    from seloste.checks.snapshot.context import SnapshotContext
    from seloste.policy.model import Text, VerifiedOutside

ID = "SNP011"
NAME = "not-fully-checked"
SEVERITY: Severity = "note"
SCOPE = "snapshot"


def plan(_ctx: SnapshotContext) -> Iterator[Check]:
    return iter(())


def check(ctx: SnapshotContext) -> Iterator[Finding]:
    yield from _samples(ctx)
    yield from _verified_outside(ctx)
    untested = sorted(set(ctx.policy.forbidden_kinds) - set(values.CANDIDATES))
    if untested:
        yield Finding(
            rule=ID,
            severity=SEVERITY,
            message=f"forbidden kinds {', '.join(untested)} have no value test: only the columns "
            "the bindings declare are checked for them, not the values in the tables",
            location=Location(source=ctx.source),
            target="*.*#forbidden-kinds",
        )


def _samples(ctx: SnapshotContext) -> Iterator[Finding]:
    sampled: dict[str, tuple[int, int, set[str]]] = {}
    for check, result in ctx.results.items():
        if not isinstance(check, ValueCheck) or result.sampled is None:
            continue
        total = result.table_rows
        if total is None or result.sampled >= total:
            continue
        _, _, rules = sampled.setdefault(check.table, (result.sampled, total, set()))
        rules.add(check.rule)
    for table, (size, total, rules) in sampled.items():
        yield Finding(
            rule=ID,
            severity=SEVERITY,
            message=f"value checks {', '.join(sorted(rules))} of {table} read a sample of {size} "
            f"of its {total} rows, spread over the table; the other rows were not read "
            "(--sample all reads every row)",
            location=Location(source=ctx.source, table=table),
            target=f"{table}.*#sample",
        )


def _verified_outside(ctx: SnapshotContext) -> Iterator[Finding]:
    """A note for each retention rule (or exception) checked outside the database."""
    tables = ctx.bindings.tables
    for rid, register in ctx.policy.registers.items():
        bound = [t for t, b in tables.items() if b.register_id == rid]
        if not bound:
            continue  # the register is not held in this database
        for tid, rule in register.retention.items():
            if rule.verified_outside is not None:
                yield _note(
                    ctx,
                    bound[0],
                    f"retention {tid!r} of register {rid!r} is not checked in this database: "
                    f"{_verifier(rule.verified_outside)}",
                    f"{tid}/verified-outside",
                )
                continue
            for eid, exception in rule.exceptions.items():
                if exception.verified_outside is None:
                    continue
                for table in bound:
                    if covers(exception.fields, tables[table]):
                        yield _note(
                            ctx,
                            table,
                            f"retention {tid!r} of register {rid!r} is not checked on {table}: "
                            f"exception {eid!r} keeps its rows, "
                            f"{_verifier(exception.verified_outside)}",
                            f"{tid}/{eid}/verified-outside",
                        )


def _verifier(verified: VerifiedOutside) -> str:
    return f"verified outside by {_words(verified.by)} ({_words(verified.how)})"


def _words(text: Text) -> str:
    """Reports are in English; a policy may give only the Finnish (or Swedish) text."""
    return text.en or text.fi or text.sv or "?"


def _note(ctx: SnapshotContext, table: str, message: str, detail: str) -> Finding:
    return Finding(
        rule=ID,
        severity=SEVERITY,
        message=message,
        location=Location(source=ctx.source, table=table),
        target=f"{table}.*#{detail}",
    )
