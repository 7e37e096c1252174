"""Validating a large document in parts (policy/bounded.py) gives exactly the errors that
validating it whole gives: the same places, the same kinds, as many."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from seloste.checks.config import Config
from seloste.checks.waivers import WaiverFile
from seloste.policy import bounded, yamlsource
from seloste.policy.flows import Flows
from seloste.policy.model import Bindings, Policy

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "k-systems"
DOCUMENTS: list[tuple[type[BaseModel], Path]] = [
    (Policy, FIXTURE / "policy.yaml"),
    (Bindings, FIXTURE / "bindings.yaml"),
    (Flows, FIXTURE / "flows" / "newsletter.flows.yaml"),
    (Config, FIXTURE / "seloste.yaml"),
]
WAIVERS = (
    "seloste: 1\nkind: waivers\nwaivers:\n"
    "  - {rule: FLW004, target: x, justification: y, owner: dpo, expires: '2026-03-31'}\n"
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["NO", "x", "Bad ID", "P1Y", "email", "FI", "", "a@b.fi"]),
)
keys = st.sampled_from(["fields", "name", "kind", "register", "X", "extra", "en", "fi", "url"])
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return [prefix]
    return [prefix] + [p for k, v in items for p in _paths(v, (*prefix, k))]


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replace(data[path[0]], path[1:], value)
    return copy


def _whole(model: type[BaseModel], doc: yamlsource.Document) -> Counter[tuple[Any, ...]]:
    try:
        model.model_validate(doc.data)
    except ValidationError as exc:
        found = [(tuple(e["loc"]), e["type"]) for e in exc.errors()]
        return Counter(
            (loc, kind)
            for loc, kind in found
            if not any(loc[:n] in doc.bad for n in range(len(loc) + 1))
        )
    return Counter()


def _in_parts(model: type[BaseModel], doc: yamlsource.Document) -> tuple[Counter[Any], int]:
    found = bounded.errors(model, doc.data, {}, doc.bad, keep=10**9)
    return Counter((tuple(e["loc"]), e["type"]) for e in found.first), found.total


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(DOCUMENTS) + 1)), st.data())
def test_in_parts_the_errors_are_those_of_the_whole(which: int, data: st.DataObject) -> None:
    """Every container is split (parts of 2 values; no size known, so each counts as large),
    in a K-Systems file (or a waiver file) with parts replaced by anything."""
    if which == len(DOCUMENTS):
        model, text = WaiverFile, WAIVERS
    else:
        model, path = DOCUMENTS[which]
        text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_paths(document)))
        document = _replace(document, where, data.draw(trees))
    if not isinstance(document, dict):
        return
    doc = yamlsource.parse(yaml.safe_dump(document, allow_unicode=True), "x.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bounded, "PIECE", 2)
        parts, count = _in_parts(model, doc)
    whole = _whole(model, doc)
    assert (parts, count) == (whole, sum(whole.values()))


@pytest.mark.parametrize("value", [{"fields": [None]}, {"a": {"title": {"fi": "x"}}}, {"b": "x"}])
def test_a_part_that_is_a_model_with_validators_around_it(value: Any) -> None:
    """A notice section is a model wrapped in a validator (Annotated): validated in parts, it
    gives the whole's errors (hypothesis once found the wrapped model refused outright)."""
    document = yaml.safe_load((FIXTURE / "policy.yaml").read_text(encoding="utf-8"))
    document["notice"]["sections"] = value
    doc = yamlsource.parse(yaml.safe_dump(document, allow_unicode=True), "x.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bounded, "PIECE", 2)
        parts, count = _in_parts(Policy, doc)
    whole = _whole(Policy, doc)
    assert (parts, count) == (whole, sum(whole.values())) and count > 0


def test_only_the_first_are_kept_and_the_rest_counted() -> None:
    text = "seloste: 1\nkind: flows\nflows:\n" + "".join(f"  F{i}: {{}}\n" for i in range(300))
    doc = yamlsource.parse(text, "x.yaml")
    found = bounded.errors(Flows, doc.data, {}, set(), keep=10)
    assert len(found.first) == 10 and found.total == 300 * 4
    assert [e["loc"] for e in found.first[:4]] == [
        ("flows", "F0", "[key]"),
        ("flows", "F0", "register"),
        ("flows", "F0", "purpose"),
        ("flows", "F0", "fields"),
    ]
