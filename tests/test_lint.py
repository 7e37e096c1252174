"""Policy and bindings lint: planted violations, found exactly."""

from __future__ import annotations

from pathlib import Path

import yaml
from seloste.checks.cli import main
from seloste.checks.context import BoundPolicy
from seloste.checks.lint import lint_bindings, lint_policy
from seloste.checks.rules import RULES, by_scope
from seloste.policy.loader import load_bindings, load_policy

DATA = Path(__file__).parent / "data" / "lint"
K_SYSTEMS = Path(__file__).parent.parent / "fixtures" / "k-systems"


def test_planted_lint_findings_equal_the_ground_truth() -> None:
    policy = load_policy(DATA / "policy.yaml")
    findings = lint_policy(policy) + lint_bindings(
        BoundPolicy(policy, load_bindings(DATA / "bindings.yaml"))
    )
    got = sorted(
        (f.rule, Path(f.location.file or "").name, f.location.line, f.location.column)
        for f in findings
    )
    expected = sorted(tuple(row) for row in yaml.safe_load((DATA / "expected.yaml").read_text()))
    assert got == expected


def test_every_declaration_rule_has_a_planted_violation() -> None:
    planted = {row[0] for row in yaml.safe_load((DATA / "expected.yaml").read_text())}
    assert planted == {m.ID for m in by_scope("policy") + by_scope("bindings")}


def test_k_systems_is_clean() -> None:
    policy = load_policy(K_SYSTEMS / "policy.yaml")
    bound = BoundPolicy(policy, load_bindings(K_SYSTEMS / "bindings.yaml"))
    assert lint_policy(policy) == []
    assert lint_bindings(bound) == []


def test_fingerprints_survive_line_moves(tmp_path: Path) -> None:
    text = (DATA / "policy.yaml").read_text(encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(text, encoding="utf-8")
    original = lint_policy(load_policy(tmp_path / "policy.yaml"))
    before = {f.fingerprint for f in original}
    (tmp_path / "policy.yaml").write_text("# a new comment\n\n" + text, encoding="utf-8")
    moved = lint_policy(load_policy(tmp_path / "policy.yaml"))
    assert {f.fingerprint for f in moved} == before
    assert {f.location.line for f in moved} != set()
    # The places did move, two lines down, while the fingerprints stayed.
    lines = {f.fingerprint: f.location.line for f in original}
    assert {f.fingerprint: f.location.line for f in moved} == {k: v + 2 for k, v in lines.items()}


def test_rule_docs_have_every_section() -> None:
    for rule in RULES.values():
        doc = rule.__doc__ or ""
        for heading in ("## What it does", "## Why is this bad?", "## Example"):
            assert heading in doc, (rule.ID, heading)
        assert "Use instead" in doc, rule.ID
        assert rule.SEVERITY in ("error", "warning", "note"), rule.ID


def test_rule_ids_and_names_are_unique() -> None:
    names = [m.NAME for m in RULES.values()]
    assert len(set(names)) == len(names)
    assert all(key == m.ID for key, m in RULES.items())


def test_validate_exit_codes(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(K_SYSTEMS / "policy.yaml"), str(K_SYSTEMS / "bindings.yaml")]) == 0
    assert capsys.readouterr().out == "No findings.\n"
    assert main(["validate", str(DATA / "policy.yaml")]) == 1
    assert main(["validate", "--fail-on", "never", str(DATA / "policy.yaml")]) == 0
    out = capsys.readouterr().out
    assert "POL004 [error] recipient 'courier': US is outside" in out
    assert out.splitlines()[-1] == "Found 20 findings (16 errors, 3 warnings, 1 note)."


def test_by_scope_is_the_registry_filtered_by_scope() -> None:
    # by_scope imports only the family that holds a scope's rules; it must still find them all.
    for scope in sorted({m.SCOPE for m in RULES.values()}):
        assert by_scope(scope) == [m for m in RULES.values() if scope == m.SCOPE], scope
    assert by_scope("no such scope") == []
