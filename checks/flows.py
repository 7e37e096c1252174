"""Placeholder: the flows issue replaces this module with the package ``checks/flows/``."""

from __future__ import annotations

from checks.findings import Finding
from policy.loader import Loaded
from policy.model import Policy


def check_flows(paths: list[str], *, policy: Loaded[Policy] | None = None) -> list[Finding]:
    raise NotImplementedError("flow checks are not built yet")
