"""A validated document and the parsed file it came from; without pydantic, so that the
pre-commit hook can carry a document it validated from a cached format (policy/view.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from seloste.policy import files, yamlsource
from seloste.policy.errors import InputError

M = TypeVar("M")


class Loaded(NamedTuple, Generic[M]):
    """A validated document and the parsed file it came from (for places in findings).

    A NamedTuple for the reason ``Problem`` is one (policy/errors.py).
    """

    model: M
    doc: yamlsource.Document

    @property
    def path(self) -> str:
        return self.doc.path

    def mark(self, *path: str | int, key: bool = False) -> tuple[int, int]:
        return self.doc.mark(path, key=key)


def policy_of(loaded: Loaded[Any], *, outside_root: bool = False) -> Path:
    """The policy file a bindings or flows file names, relative to that file.

    Raises ``InputError`` at its ``policy:`` when it resolves outside the root of the file
    (policy/files.py), unless ``outside_root`` allows that.
    """
    written = loaded.model.policy
    target: Path = Path(loaded.path).parent / written
    why = None if outside_root else files.outside(target, loaded.path)
    if why is not None:
        raise InputError([loaded.doc.problem(("policy",), f"policy {written!r} {why}")])
    return target
