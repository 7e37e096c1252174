"""Keys and values the policy language no longer has, and how to rewrite them.

A policy written for an earlier version fails validation on them like on any unknown key;
the loader asks here first, so the one-line error at the key's place says what to write
instead rather than listing the keys that remain.
"""

from __future__ import annotations

from typing import Any

# What the old recipient ``role`` (with its ``type``) becomes as the one ``type`` now.
_ROLE_TO_TYPE = {
    "processor": "processor",
    "sub_processor": "processor",
    "joint_controller": "joint_controller",
}


def key_message(owner: str, key: str, mapping: Any) -> str | None:
    """The message for a retired ``key`` of a ``owner`` model (its class name), given the
    mapping it sits in as written; None when the key was never part of the language."""
    if owner == "Recipient" and key == "role":
        return _role_message(mapping)
    if owner == "Register" and key == "processors":
        listed = mapping.get("processors") if isinstance(mapping, dict) else None
        names = ", ".join(str(x) for x in listed) if isinstance(listed, list) and listed else ""
        who = names or "each processor"
        return (
            "'processors' is removed: a register's processors are the recipients of type "
            f"processor that its purposes name; list {who} under the recipients of the "
            "purposes it serves (purposes.<id>.recipients) and delete this key"
        )
    return None


def value_message(owner: str, key: str, value: Any) -> str | None:
    """The message for a retired value of ``key``, or None."""
    if owner == "Recipient" and key == "type" and value == "partner":
        return (
            "type 'partner' is retired: a partner that uses the data for its own purposes is "
            "'third_party', one that acts on your behalf is 'processor'"
        )
    return None


def _role_message(mapping: Any) -> str:
    old_type = mapping.get("type") if isinstance(mapping, dict) else None
    role = mapping.get("role") if isinstance(mapping, dict) else None
    if isinstance(role, str) and role in _ROLE_TO_TYPE:
        new = _ROLE_TO_TYPE[role]
    elif role == "controller":
        new = "authority" if old_type == "authority" else "third_party"
    else:
        new = None
    head = "'role' is replaced by 'type' (processor, third_party, joint_controller, authority)"
    if new is None:
        return f"{head}: write the type that fits and delete 'role'"
    was = f"type: {old_type} + role: {role}" if isinstance(old_type, str) else f"role: {role}"
    return f"{head}: {was} becomes type: {new}; delete 'role'"
