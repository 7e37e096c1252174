"""The files that name a policy, which ``validate --with-referrers`` (the pre-commit hook)
checks with it: found by name and by their ``policy:``, in git's list or, outside any
repository, a walk of the working directory."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.referrers import referrers

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"
NEWSLETTER = ROOT / "fixtures" / "k-systems" / "flows-clean" / "newsletter.flows.yaml"


def _project(base: Path) -> Path:
    """Files that name ``policy.yaml`` in every way a document can, and files that do not."""
    files = {
        "policy.yaml": "seloste: 1\nkind: policy\n",
        "a.flows.yaml": "seloste: 1\nkind: flows\npolicy: policy.yaml  # the notice\n",
        "sub/bindings.yaml": "seloste: 1\nkind: bindings\npolicy: '../policy.yaml'\n",
        "sub/crm.bindings.yml": 'kind: bindings\npolicy: "../policy.yaml"\n',
        # Flow style: no `policy:` line, parsed to find out.
        "sub/flowstyle.flows.yaml": "{seloste: 1, kind: flows, policy: ../policy.yaml}\n",
        # Not referrers: another policy, a policy of the same name elsewhere, a name the hook
        # does not select, a file that mentions the name but cannot be parsed.
        "b.flows.yaml": "kind: flows\npolicy: other.yaml\n",
        "sub/other.flows.yaml": "kind: flows\npolicy: policy.yaml\n",
        "notes.yaml": "kind: flows\npolicy: policy.yaml\n",
        "broken.flows.yaml": "{kind: flows, policy: policy.yaml\n",
        "ignored/x.flows.yaml": "kind: flows\npolicy: ../policy.yaml\n",
        ".gitignore": "ignored/\n",
    }
    for name, text in files.items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text, encoding="utf-8")
    # A link out of the project is not read, whatever it holds.
    (base.parent / "elsewhere.yaml").write_text(files["a.flows.yaml"], encoding="utf-8")
    (base / "link.flows.yaml").symlink_to(base.parent / "elsewhere.yaml")
    return base / "policy.yaml"


NAMING = ["a.flows.yaml", "sub/bindings.yaml", "sub/crm.bindings.yml", "sub/flowstyle.flows.yaml"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_referrers_in_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = _project(tmp_path / "project")
    subprocess.run(["git", "init", "-q"], cwd=policy.parent, check=True)
    monkeypatch.chdir(policy.parent)
    # Git leaves out what .gitignore ignores; untracked files count (not yet added).
    assert referrers(policy) == NAMING
    assert referrers("policy.yaml", exclude=["a.flows.yaml"]) == NAMING[1:]


def test_referrers_outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git, a walk of the working directory: .gitignore means nothing then."""
    if any((d / ".git").exists() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary directory is inside a repository")
    policy = _project(tmp_path / "project")
    monkeypatch.chdir(policy.parent)
    assert referrers(policy) == sorted([*NAMING, "ignored/x.flows.yaml"])


def test_validate_with_referrers_checks_the_flows_of_a_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the policy given: its flows are checked too, and a clean one passes."""
    monkeypatch.chdir(tmp_path)
    policy = K_POLICY.read_text("utf-8")
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    flow = NEWSLETTER.read_text("utf-8").replace("policy: ../policy.yaml", "policy: policy.yaml")
    (tmp_path / "newsletter.flows.yaml").write_text(flow, encoding="utf-8")
    args = ["validate", "--no-config", "policy.yaml", "--format", "json"]

    assert main([*args, "--with-referrers"]) == 0
    clean = capsys.readouterr().out
    assert '"newsletter.flows.yaml"' in clean  # an input of the run, checked and clean

    narrowed = policy.replace(
        "fields: [organisation_name, contact_name, email, phone]\n    marketing: true",
        "fields: [organisation_name, contact_name, phone]\n    marketing: true",
        1,
    )
    assert narrowed != policy
    (tmp_path / "policy.yaml").write_text(narrowed, encoding="utf-8")
    assert main(args) == 0  # without the flag: the policy alone, which is fine
    capsys.readouterr()
    assert main([*args, "--with-referrers"]) == 1
    out = capsys.readouterr().out
    assert '"rule": "FLW002"' in out
    assert '"file": "newsletter.flows.yaml"' in out
    assert out.count('"rule": ') == 1
