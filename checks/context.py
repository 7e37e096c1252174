"""What the declaration rules read: a policy, and the bindings that map it onto a database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seloste.policy.loaded import Loaded
    from seloste.policy.model import Bindings, Policy


@dataclass(frozen=True)
class BoundPolicy:
    policy: Loaded[Policy]
    bindings: Loaded[Bindings]
