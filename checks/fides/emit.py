"""Block YAML that seloste's loader reads, with a comment where a value needs one.

A value wrapped in ``Note`` gets its comment on its own line (after a scalar or a flow
list, or after the key of a mapping or block list). Strings are written as every draft of
seloste is (checks/yamltext.py), so the loader reads back exactly the string meant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seloste.checks.yamltext import scalar as _scalar


def scalar(text: str) -> str:
    """Finnish names as they are written (Pyöräpaja), not as escapes."""
    return _scalar(text, ascii_only=False)


@dataclass(frozen=True)
class Note:
    value: Any
    comment: str


def _comment(text: str) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def _leaf(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_leaf(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {_leaf(v)}" for k, v in value.items()) + "}"
    return scalar(str(value))


def _flat(value: Any) -> bool:
    """Whether ``value`` is written on its key's line: a scalar, or a list of scalars."""
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list, Note)) for v in value)
    return not isinstance(value, dict) or not value


def lines(value: dict[str, Any], indent: int = 0) -> list[str]:
    out: list[str] = []
    pad = " " * indent
    for key, item in value.items():
        comment = ""
        if isinstance(item, Note):
            item, comment = item.value, item.comment
        if _flat(item):
            out.append(f"{pad}{scalar(key)}: {_leaf(item)}{_comment(comment)}")
        elif isinstance(item, dict):
            out.append(f"{pad}{scalar(key)}:{_comment(comment)}")
            out += lines(item, indent + 2)
        else:
            out.append(f"{pad}{scalar(key)}:{_comment(comment)}")
            for element in item:
                note = ""
                if isinstance(element, Note):
                    element, note = element.value, element.comment
                if isinstance(element, dict):
                    inner = lines(element, indent + 4)
                    out.append(f"{pad}  - {inner[0].lstrip()}{_comment(note)}")
                    out += inner[1:]
                else:
                    out.append(f"{pad}  - {_leaf(element)}{_comment(note)}")
    return out


def document(header: list[str], value: dict[str, Any]) -> str:
    return "\n".join([*(f"# {h}" if h else "#" for h in header), *lines(value)]) + "\n"
