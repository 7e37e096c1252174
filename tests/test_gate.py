"""The gate, end to end: waivers, baselines, --fail-on, several outputs, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from seloste.checks.cli import main

ROOT = Path(__file__).resolve().parent.parent
K_POLICY = ROOT / "fixtures" / "k-systems" / "policy.yaml"
TODAY = "2026-06-01"

# Three POL004 findings: traficom in US, hosting_partners in US and in CN.
T_US = "policy.yaml#/recipients/traficom/locations/[US]"
H_US = "policy.yaml#/recipients/hosting_partners/locations/[US]"
H_CN = "policy.yaml#/recipients/hosting_partners/locations/[CN]"


def broken_policy(directory: Path, *, extra: str = "") -> Path:
    """The K-Systems policy with recipients outside the EEA, written as ``policy.yaml``."""
    text = K_POLICY.read_text(encoding="utf-8")
    text = text.replace("    locations: [FI]", "    locations: [US]", 1)
    text = text.replace("    locations: [EEA]", f"    locations: [US, CN{extra}]", 1)
    path = directory / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def waiver(rule: str, target: str, expires: str) -> str:
    return (
        f"  - rule: {rule}\n"
        f'    target: "{target}"\n'
        "    justification: SCCs signed; moving to an EU provider\n"
        "    owner: dpo@k-systems.fi\n"
        f'    expires: "{expires}"\n'
    )


def write_waivers(directory: Path, *items: str) -> Path:
    path = directory / "waivers.yaml"
    path.write_text("seloste: 1\nkind: waivers\nwaivers:\n" + "".join(items), encoding="utf-8")
    return path


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch directory outside any repository, as the cwd, with the broken policy."""
    monkeypatch.chdir(tmp_path)
    broken_policy(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["validate", "policy.yaml", "--today", TODAY, "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def entries(report: dict) -> list[tuple[str, str, str, str]]:
    return [
        (
            f["rule"],
            f["severity"],
            f["target"],
            f.get("suppressed", {}).get("kind", "active"),
        )
        for f in report["findings"]
    ]


def test_without_waivers_three_errors_fail(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = run_json(capsys)
    assert code == 1
    assert sorted(entries(report)) == sorted(
        [
            ("POL004", "error", T_US, "active"),
            ("POL004", "error", H_US, "active"),
            ("POL004", "error", H_CN, "active"),
        ]
    )


def test_waived_expired_and_stale(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_waivers(
        work,
        waiver("POL004", T_US, "2027-01-01"),  # waives
        waiver("transfer-outside-region", H_US, "2026-05-31"),  # expired the day before
        waiver("POL004", "policy.yaml#/recipients/traficom/locations/[JP]", "2027-01-01"),
    )
    code, report, err = run_json(capsys, "--waivers", "waivers.yaml")
    assert (code, err) == (1, "")
    assert entries(report) == [
        ("POL004", "error", T_US, "waiver"),
        ("POL004", "error", H_US, "active"),
        ("POL004", "error", H_CN, "active"),
        (
            "SEL002",
            "warning",
            f"waivers.yaml#/waivers/[POL004:{H_US}]",
            "active",
        ),
        (
            "SEL003",
            "warning",
            "waivers.yaml#/waivers/[POL004:policy.yaml#/recipients/traficom/locations/[JP]]",
            "active",
        ),
    ]
    assert report["summary"] == {
        "error": 2,
        "warning": 2,
        "note": 0,
        "waived": 1,
        "baselined": 0,
    }
    waived = report["findings"][0]["suppressed"]
    assert waived == {
        "kind": "waiver",
        "justification": "SCCs signed; moving to an EU provider",
        "owner": "dpo@k-systems.fi",
        "expires": "2027-01-01",
        "file": "waivers.yaml",
        "line": 4,
    }
    sel = {f["rule"]: f for f in report["findings"] if f["rule"].startswith("SEL")}
    # Each waiver is 5 lines from line 4: the expired one is the second, the stale the third.
    assert sel["SEL002"]["location"] == {"file": "waivers.yaml", "line": 9, "column": 5}
    assert sel["SEL003"]["location"] == {"file": "waivers.yaml", "line": 14, "column": 5}
    assert sel["SEL002"]["message"] == (
        f"waiver for POL004 {H_US} expired on 2026-05-31; it no longer waives"
    )
    assert sel["SEL003"]["message"] == (
        "waiver for POL004 policy.yaml#/recipients/traficom/locations/[JP] matches no finding; "
        "remove it"
    )


def test_text_report_shows_the_waiver(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_waivers(work, waiver("POL004", T_US, "2027-01-01"))
    code = main(["validate", "policy.yaml", "--today", TODAY, "--waivers", "waivers.yaml"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    waived = next(t for t in lines if "traficom" in t)
    assert waived.endswith(
        "(waived: SCCs signed; moving to an EU provider; owner dpo@k-systems.fi; until 2027-01-01)"
    )
    assert lines[-1] == "Found 2 findings (2 errors); 1 waived."


def test_all_waived_passes_but_warnings_can_fail(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_waivers(work, *(waiver("POL004", t, "2027-01-01") for t in (T_US, H_US, H_CN)))
    code, report, _ = run_json(capsys, "--waivers", "waivers.yaml")
    assert code == 0
    assert report["summary"]["waived"] == 3
    write_waivers(
        work,
        *(waiver("POL004", t, "2027-01-01") for t in (T_US, H_US, H_CN)),
        waiver("POL004", "nothing", "2027-01-01"),
    )
    assert run_json(capsys, "--waivers", "waivers.yaml")[0] == 0
    assert run_json(capsys, "--waivers", "waivers.yaml", "--fail-on", "warning")[0] == 1


def test_waiver_by_fingerprint(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = run_json(capsys)
    fingerprint = next(f["fingerprint"] for f in report["findings"] if f["target"] == H_CN)
    write_waivers(work, waiver("POL004", fingerprint, "2027-01-01"))
    _, report, _ = run_json(capsys, "--waivers", "waivers.yaml")
    assert ("POL004", "error", H_CN, "waiver") in entries(report)


def test_waiver_expires_at_the_end_of_its_day(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_waivers(work, waiver("POL004", T_US, TODAY))
    _, report, _ = run_json(capsys, "--waivers", "waivers.yaml")
    assert ("POL004", "error", T_US, "waiver") in entries(report)


OK = waiver("POL004", T_US, "2027-01-01")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (waiver("POL004", T_US, "2027-13-01"), "8:14: expires: '2027-13-01' is not a date"),
        (waiver("POL004", T_US, "next year"), "8:14: expires: 'next year' is not a date"),
        (waiver("POL999", T_US, "2027-01-01"), "4:11: no rule 'POL999'"),
        (OK + "    until: soon\n", "9:5: unknown key 'until'"),
        (OK.replace("    owner: dpo@k-systems.fi\n", ""), "4:5: missing required key 'owner'"),
        (waiver("SEL001", "x", "2027-01-01"), "4:11: SEL001 (not-checked) cannot be waived"),
        (waiver("stale-waiver", "x", "2027-01-01"), "4:11: SEL003 (stale-waiver) cannot be waived"),
    ],
)
def test_bad_waiver_files(
    work: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    write_waivers(work, text)
    code = main(["validate", "policy.yaml", "--waivers", "waivers.yaml"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"waivers.yaml:{message}"), err
    assert "Traceback" not in err


def test_baseline_fails_only_on_new_findings(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", "policy.yaml", "--write-baseline", "baseline.json"])
    _, err = capsys.readouterr()
    assert code == 0
    assert err == "seloste: wrote 3 findings to baseline.json\n"
    data = json.loads((work / "baseline.json").read_text(encoding="utf-8"))
    assert data["seloste_baseline"] == 1
    assert [e["target"] for e in data["findings"]] == sorted([H_CN, H_US, T_US])

    code, report, _ = run_json(capsys, "--baseline", "baseline.json")
    assert code == 0
    assert report["summary"]["baselined"] == 3

    # Moving every line down keeps the fingerprints: still nothing new.
    policy = work / "policy.yaml"
    policy.write_text("# moved\n# down\n" + policy.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_json(capsys, "--baseline", "baseline.json")[0] == 0

    # The same rule broken on another target is new, and only it counts.
    broken_policy(work, extra=", RU")
    code, report, _ = run_json(capsys, "--baseline", "baseline.json")
    assert code == 1
    active = [e for e in entries(report) if e[3] == "active"]
    assert active == [("POL004", "error", H_CN.replace("[CN]", "[RU]"), "active")]


def test_bad_baseline_is_an_input_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "baseline.json").write_text('{"seloste_baseline": 1,\n "findings": [}', "utf-8")
    assert main(["validate", "policy.yaml", "--baseline", "baseline.json"]) == 2
    assert capsys.readouterr().err.startswith("baseline.json:2:15: invalid JSON")
    assert main(["validate", "policy.yaml", "--baseline", "missing.json"]) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 1), ("warning", 1), ("note", 1), ("never", 0)]
)
def test_fail_on(work: Path, capsys: pytest.CaptureFixture[str], fail_on: str, code: int) -> None:
    assert main(["validate", "policy.yaml", "--fail-on", fail_on]) == code


def test_several_outputs_in_one_run(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--format", "text", "--format", "sarif:out.sarif", "--format", "junit:report.xml"]
    code = main(["validate", "policy.yaml", *args])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[-1] == "Found 3 findings (3 errors)."
    assert json.loads((work / "out.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert (work / "report.xml").read_text("utf-8").startswith("<?xml")


def test_at_most_one_output_to_stdout(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "policy.yaml", "--format", "text", "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "seloste: at most one --format may go to stdout\n")


def test_unknown_format_is_a_usage_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "policy.yaml", "--format", "pdf:out.pdf"])
    assert exc.value.code == 2
    assert "unknown format 'pdf'" in capsys.readouterr().err


def test_unwritable_output_is_an_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "policy.yaml", "--format", "json:no/such/dir/out.json"]) == 2
    assert "no/such/dir/out.json: cannot write" in capsys.readouterr().err


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _hook_repo(tmp_path: Path) -> Path:
    """A committed copy of the working tree: try-repo on the project itself would leave out
    files that are not committed yet, so the hook under test is the one in this tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    copy = tmp_path / "seloste"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-qm", "hook under test")
    return copy


def _hook_project(tmp_path: Path) -> tuple[list[str], Path, str, dict[str, str]]:
    """A git project holding the K-Systems policy and its newsletter flow, and the command
    that runs this checkout's hook on it (``pre-commit try-repo``): command, project, flow
    text, environment."""
    pre_commit = ROOT / ".venv" / "bin" / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed in .venv")
    hook_repo = _hook_repo(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(K_POLICY, project / "policy.yaml")
    flow = (ROOT / "fixtures/k-systems/flows-clean/newsletter.flows.yaml").read_text("utf-8")
    flow = flow.replace("policy: ../policy.yaml", "policy: policy.yaml")
    (project / "newsletter.flows.yaml").write_text(flow, encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    return [str(pre_commit), "try-repo", str(hook_repo), "seloste"], project, flow, env


def _installed(run: subprocess.CompletedProcess[str]) -> None:
    """Skip (fail under CI=true) when pip could not fetch the hook's dependencies (offline):
    not the hook's fault."""
    if run.returncode != 0 and "Passed" not in run.stdout and "Failed" not in run.stdout:
        if os.environ.get("CI") == "true":
            pytest.fail(f"pre-commit could not install the hook: {run.stdout[-300:]}")
        pytest.skip(f"pre-commit could not install the hook: {run.stdout[-300:]}")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook(tmp_path: Path) -> None:
    hook, project, flow, env = _hook_project(tmp_path)
    command = [*hook, "--all-files"]

    clean = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    _installed(clean)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    banned = flow.replace("locations: [FI]", "locations: [US]", 1)
    assert banned != flow
    (project / "newsletter.flows.yaml").write_text(banned, encoding="utf-8")
    _git(project, "add", "-A")
    failed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "FLW004 [error]" in failed.stdout
    assert "US is outside the allowed transfer region EEA" in failed.stdout

    # A change to the policy alone is linted too: a recipient moved to the US.
    (project / "newsletter.flows.yaml").write_text(flow, encoding="utf-8")
    policy = K_POLICY.read_text("utf-8").replace("    locations: [FI]", "    locations: [US]", 1)
    (project / "policy.yaml").write_text(policy, encoding="utf-8")
    _git(project, "add", "-A")
    linted = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert "POL004 [error] recipient 'traficom': US is outside" in linted.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_checks_the_flows_a_staged_policy_breaks(tmp_path: Path) -> None:
    """A commit that stages only the policy: pre-commit passes the hook that file alone, and
    the hook checks the committed flows that name it too."""
    hook, project, _, env = _hook_project(tmp_path)
    _git(project, "commit", "-qm", "policy and flows")
    # No --all-files: the staged files only, as `git commit` runs the hook.
    command = [*hook, "--verbose"]
    policy = K_POLICY.read_text("utf-8")

    # A policy change that keeps the flows within it passes.
    harmless = policy.replace("en: Marketing and communication services", "en: Marketing", 1)
    assert harmless != policy
    (project / "policy.yaml").write_text(harmless, encoding="utf-8")
    _git(project, "add", "policy.yaml")
    passed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    _installed(passed)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    # Marketing may no longer use e-mail: the unstaged newsletter flow that sends it breaks.
    narrowed = policy.replace(
        "fields: [organisation_name, contact_name, email, phone]\n    marketing: true",
        "fields: [organisation_name, contact_name, phone]\n    marketing: true",
        1,
    )
    assert narrowed != policy
    (project / "policy.yaml").write_text(narrowed, encoding="utf-8")
    _git(project, "add", "policy.yaml")
    staged = subprocess.run(
        ["git", "diff", "--cached", "--name-only"], cwd=project, capture_output=True, text=True
    )
    assert staged.stdout.split() == ["policy.yaml"]
    failed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "newsletter.flows.yaml:12:" in failed.stdout
    assert "FLW002 [error] flow 'newsletter' carries 'email'" in failed.stdout


def test_no_baseline_is_written_from_a_broken_run(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "broken.yaml").write_text("seloste: 1\nkind: policy\nfields: {}\n", encoding="utf-8")
    code = main(["validate", "policy.yaml", "broken.yaml", "--write-baseline", "baseline.json"])
    assert code == 2
    assert "baseline.json: not written: the run had errors" in capsys.readouterr().err
    assert not (work / "baseline.json").exists()


def test_text_is_coloured_only_on_a_terminal(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["validate", "policy.yaml", "--format", "text:out.txt"])
    assert "\033[" not in (work / "out.txt").read_text(encoding="utf-8")
    main(["validate", "policy.yaml"])
    assert "\033[" not in capsys.readouterr().out
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    main(["validate", "policy.yaml"])
    assert "\033[31merror\033[0m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["validate", "policy.yaml"])
    assert "\033[" not in capsys.readouterr().out


def test_waivers_of_what_a_run_did_not_check_are_not_stale(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate meets snapshot waivers; a pre-commit hook sees only some flow files."""
    flows = ROOT / "fixtures" / "k-systems" / "flows-clean"
    for name in ("newsletter.flows.yaml", "hosting.flows.yaml"):
        text = (flows / name).read_text("utf-8").replace("../policy.yaml", "policy.yaml")
        (work / name).write_text(text, encoding="utf-8")
    flow_target = "hosting.flows.yaml#/flows/dns-hosting/locations/[CH]"
    write_waivers(
        work,
        *(waiver("POL004", t, "2027-01-01") for t in (T_US, H_US, H_CN)),
        waiver("SNP001", "contacts.birth_date", "2027-01-01"),
        waiver("FLW004", flow_target, "2027-01-01"),
    )
    code, report, _ = run_json(capsys, "--waivers", "waivers.yaml")
    assert code == 0
    assert [f["rule"] for f in report["findings"]] == ["POL004"] * 3

    check = ["check", "--today", TODAY, "--waivers", "waivers.yaml", "--format", "json"]
    main([*check, "--flows", "newsletter.flows.yaml"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert not [f for f in findings if f["rule"].startswith("SEL")]

    main([*check, "--flows", "hosting.flows.yaml"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    stale = [f["target"] for f in findings if f["rule"] == "SEL003"]
    assert stale == [f"waivers.yaml#/waivers/[FLW004:{flow_target}]"]
