"""GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=RULE::message``.

GitHub shows these as annotations on the pull request's diff. Input errors are annotated as
errors at their place; of the findings, only those that count are: a waived finding or one in
the baseline is no news to the reviewer. Every value is escaped as GitHub documents, so no
name can end a command or start another.
"""

from __future__ import annotations

from seloste.checks.findings import Finding, suppression
from seloste.checks.reports import Report
from seloste.checks.reports.anchors import anchor, place
from seloste.checks.reports.ruledocs import rule_doc
from seloste.checks.reports.text import summary
from seloste.policy.errors import Problem

_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """The message part: ``%``, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as the message, and ``:`` and ``,`` that separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(f: Finding, inputs: tuple[str, ...]) -> str:
    props = []
    loc, pin = f.location, anchor(f, inputs)
    if pin is not None:
        props.append(f"file={escape_property(place(pin.file))}")
        if pin.line:
            props.append(f"line={pin.line}")
            if pin.column:
                props.append(f"col={pin.column}")
    props.append(f"title={escape_property(f'{f.rule} {rule_doc(f.rule).name}')}")
    message = f.message if loc.file else f"{loc}: {f.message}"
    return f"::{_LEVELS[f.severity]} {','.join(props)}::{escape_data(message)}"


def _error(p: Problem) -> str:
    props = [f"file={escape_property(place(p.file))}"]
    if p.line:
        props += [f"line={p.line}", f"col={p.column}"]
    return f"::error {','.join(props)}::{escape_data(p.message)}"


def render(report: Report) -> str:
    lines = [_error(p) for p in report.errors]
    lines += [_command(f, report.inputs) for f in report.findings if suppression(f) is None]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
