"""Report formats: each a module with ``render(report) -> str``, in one plain table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from checks.findings import SEVERITIES, Finding


@dataclass(frozen=True)
class Report:
    """What one run found, in a stable order so that every format is deterministic."""

    findings: tuple[Finding, ...]
    inputs: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, findings: list[Finding], inputs: list[str] | None = None) -> Report:
        unique = {(f.sort_key(), f.fingerprint): f for f in findings}
        ordered = tuple(unique[k] for k in sorted(unique))
        return cls(ordered, tuple(sorted(set(inputs or []))))

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}


FORMATS = {"text": "checks.reports.text", "json": "checks.reports.json_report"}


def renderer(name: str) -> Callable[..., str]:
    """The ``render`` function of a format; imported on use so unused formats cost nothing."""
    return import_module(FORMATS[name]).render  # type: ignore[no-any-return]
