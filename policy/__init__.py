"""The declarative policy: what a privacy notice promises, as a model that tools can check.

The names below are imported on first use (PEP 562), so that importing one light submodule
(``policy.errors``, ``policy.yamlsource``) does not build every pydantic model.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Bindings": "seloste.policy.model",
    "InputError": "seloste.policy.errors",
    "Policy": "seloste.policy.model",
    "Problem": "seloste.policy.errors",
    "load_bindings": "seloste.policy.loader",
    "load_policy": "seloste.policy.loader",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'seloste.policy' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
