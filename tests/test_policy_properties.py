"""Properties of the policy language, over generated policies."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seloste.checks.lint import lint_policy
from seloste.policy.loader import load_policy
from seloste.policy.model import Policy

K_POLICY = Path(__file__).parent.parent / "fixtures" / "k-systems" / "policy.yaml"
BASE: dict[str, Any] = yaml.safe_load(K_POLICY.read_text(encoding="utf-8"))
FIELDS = sorted(BASE["fields"])
PLACES = ["FI", "NO", "SE", "IS", "LI", "DE", "US", "CH", "EEA", "EU"]

# Strings a YAML 1.1 reader would turn into something else, and other awkward text.
TRAPS = [
    "NO",
    "no",
    "yes",
    "on",
    "off",
    "~",
    "null",
    "2026-01-01",
    "010",
    "0x10",
    "1e3",
    "12:30",
    "- item",
    "#hash",
    "a: b",
    "  lead",
    "ääkköset",
    "line\nbreak",
    "'",
    '"',
    "",
]
text = st.one_of(st.sampled_from(TRAPS), st.text(max_size=20))


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["controller"]["name"] = draw(text)
    data["controller"]["also_known_as"] = draw(st.lists(text, max_size=3))
    for field in data["fields"].values():
        field["name"]["en"] = draw(text)
        field["personal"] = draw(st.booleans())
    for purpose in data["purposes"].values():
        purpose["fields"] = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5))
        purpose["name"]["fi"] = draw(text)
    for recipient in data["recipients"].values():
        recipient["locations"] = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3))
        recipient["formerly"] = draw(st.lists(text, max_size=2))
    data["transfers"]["allowed"] = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3))
    return data


def write(tmp: Path, data: dict[str, Any]) -> Path:
    # Escaped, not raw: PyYAML emits a raw NEL (U+0085) inside quotes, where it folds.
    path = tmp / "policy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=policies())
def test_any_accepted_policy_round_trips_through_yaml(data: dict[str, Any], tmp_path: Path) -> None:
    model = Policy.model_validate(data)
    dumped = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    again = load_policy(write(tmp_path, dumped)).model
    assert again == model


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=policies(),
    purpose=st.sampled_from(sorted(BASE["purposes"])),
    field=st.sampled_from(FIELDS),
)
def test_adding_a_held_field_to_a_purpose_adds_no_finding(
    data: dict[str, Any], purpose: str, field: str, tmp_path: Path
) -> None:
    serving = [r for r in data["registers"].values() if purpose in r["purposes"]]
    fields = data["purposes"][purpose]["fields"]
    if field in fields or not any(field in r["fields"] for r in serving):
        return  # a duplicate or an unheld field is a finding by design (POL010, POL008)
    before = {f.fingerprint for f in lint_policy(load_policy(write(tmp_path, data)))}
    data["purposes"][purpose]["fields"] = [*fields, field]
    after = {f.fingerprint for f in lint_policy(load_policy(write(tmp_path, data)))}
    assert after <= before
