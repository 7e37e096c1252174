"""The draft as a bindings file: YAML that seloste's loader reads, with the evidence for each
line as a comment on it and ``# TODO`` where a person must decide."""

from __future__ import annotations

from seloste.checks.discover.classify import Draft, Line, TableDraft
from seloste.checks.yamltext import scalar


def _comment(why: str) -> str:
    """A comment on one line: the evidence is ours, but a table's name may be in it."""
    text = " ".join(why.split())
    return f"  # {text}" if text else ""


def render(d: Draft, *, policy: str, description: str) -> str:
    lines = [
        "# Drafted by `seloste discover`: review every line, above all those marked TODO, then",
        "# run `seloste validate` on it. The comments say what each proposal rests on; the",
        "# format is docs/writing-a-policy.md's (`seloste schema bindings` prints its schema).",
        "seloste: 1",
        "kind: bindings",
        f"policy: {scalar(policy)}"
        + ("  # TODO: the policy these bindings follow" if policy == "TODO" else ""),
        f"description: {scalar(description)}",
        "",
    ]
    if d.tables:
        lines.append("tables:")
    for t in d.tables:
        lines += _table(t)
    if d.ignored:
        lines.append("ignore_tables:")
        for name, why in d.ignored.items():
            lines.append(f"  - {scalar(name)}" + _comment(f"TODO: {why}; check"))
    if not d.tables:
        lines.append("tables: {}  # TODO: no table looks like it holds personal data")
    return "\n".join(lines) + "\n"


def _line(indent: int, key: str, line: Line) -> str:
    return f"{' ' * indent}{scalar(key)}: {scalar(line.value)}" + _comment(line.why)


def _table(t: TableDraft) -> list[str]:
    out = [f"  {scalar(t.name)}:" + _comment(f"{t.rows:,} rows")]
    out.append(_line(4, "register", Line(t.register or "todo", t.register_why)))
    if t.schema:
        out.append(f"    schema: {scalar(t.schema)}")
    out.append(_line(4, "key", Line(t.key or "TODO", t.key_why)))
    if t.subject is not None:
        table, column = t.subject
        out.append(
            f"    subject: {{table: {scalar(table)}, column: {scalar(column)}}}"
            + _comment(t.subject_why)
        )
    if t.columns:
        out.append("    columns:")
        out += [_line(6, name, line) for name, line in t.columns.items()]
    if t.other:
        out.append("    other_columns:")
        for name, why in t.other.items():
            out.append(f"      - {scalar(name)}" + _comment(why))
    for key, line in t.rules.items():
        out.append(_line(4, key, line))
    if t.time_formats:
        out.append("    time_formats:")
        out += [_line(6, name, line) for name, line in t.time_formats.items()]
    return out
