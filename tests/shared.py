"""Where the workplace's shared folder (the seed notice, the official SARIF schema) is.

It stands beside the checkout (``../shared``) on a developer's machine; a clone made elsewhere
on the same machine finds it at ``/work/shared``, and ``SELOSTE_SHARED`` names it anywhere.
Tests that need it skip when it is absent, and fail under ``CI=true``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared(*parts: str) -> Path:
    """The first existing ``shared/<parts>``, or the one beside the checkout (for messages)."""
    candidates = [ROOT.parent / "shared", Path("/work/shared")]
    if os.environ.get("SELOSTE_SHARED"):
        candidates.insert(0, Path(os.environ["SELOSTE_SHARED"]))
    for base in candidates:
        if base.joinpath(*parts).exists():
            return base.joinpath(*parts)
    return candidates[0].joinpath(*parts)
