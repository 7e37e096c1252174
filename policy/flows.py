"""Data flows: which register sends which fields to which recipient, for what, and where.

Placeholder until the flows issue fills it in; the loader already knows the kind.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from policy.model import Model


class Flows(Model):
    seloste: Literal[1]
    kind: Literal["flows"]
    policy: str | None = Field(None, description="path of the policy, relative to this file")
