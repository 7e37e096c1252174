"""JSON Schemas (Draft 2020-12) of seloste's file formats, for editors and other tools."""

from __future__ import annotations

from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(which: str) -> dict[str, Any]:
    from seloste.policy.loader import models

    model = models()[which]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": DRAFT,
        **schema,
    }
