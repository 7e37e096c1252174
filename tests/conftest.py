"""Shared test helpers. Each engineer's section is self-contained."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"


@pytest.fixture
def k_policy_text() -> str:
    return (K_SYSTEMS / "policy.yaml").read_text(encoding="utf-8")
