"""The JSON Schema of the ``json`` report, which ``seloste schema report`` prints.

It ships as ``report.schema.json`` beside this module and is read here, by the command that
publishes it: the report formats themselves read no file.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def report_schema() -> dict[str, Any]:
    """The published JSON Schema of the ``json`` format."""
    text = files("seloste.checks").joinpath("report.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
