"""Configuration: seloste.yaml and [tool.seloste], found upwards to the repository root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from seloste.checks import config
from seloste.checks.cli import build_parser, main
from seloste.checks.snapshot import SourceText
from shared import without_source

ROOT = Path(__file__).resolve().parent.parent
K_SYSTEMS = ROOT / "fixtures" / "k-systems"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the K-Systems policy, flows with violations and clean flows."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copy(K_SYSTEMS / "policy.yaml", root / "policy.yaml")
    shutil.copy(K_SYSTEMS / "bindings.yaml", root / "bindings.yaml")
    shutil.copytree(K_SYSTEMS / "flows", root / "flows")
    shutil.copytree(K_SYSTEMS / "flows-clean", root / "flows-clean")
    (root / "sub" / "dir").mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_check_without_arguments_reads_seloste_yaml_from_a_parent(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\n"
        "flows: ['flows/newsletter.flows.yaml', 'flows/backups.*.yaml']\n"
        "outputs: [text, 'json:report.json']\n",
    )
    monkeypatch.chdir(repo / "sub" / "dir")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    # Paths in the file are relative to it; in reports, relative to the cwd.
    assert out.splitlines()[0].startswith("../../flows/backups.flows.yaml:")
    report = json.loads((repo / "report.json").read_text(encoding="utf-8"))
    assert report["inputs"] == [
        "../../flows/backups.flows.yaml",
        "../../flows/newsletter.flows.yaml",
    ]
    assert {f["rule"] for f in report["findings"]} >= {"FLW001", "FLW004", "FLW005"}


def test_the_search_stops_at_the_repository_root(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo.parent / "seloste.yaml", "seloste: 1\nkind: config\nflows: ['repo/flows/*.yaml']\n")
    assert config.locate(repo / "sub") is None
    assert main(["check"]) == 2
    assert "nothing to check" in capsys.readouterr().err


def test_flags_override_the_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\nflows: ['flows/*.flows.yaml']\nfail_on: never\n",
    )
    assert main(["check"]) == 0
    assert main(["check", "--fail-on", "error"]) == 1
    assert main(["check", "--flows", "flows-clean/newsletter.flows.yaml", "--fail-on", "note"]) == 0
    assert main(["check", "--no-config"]) == 2
    capsys.readouterr()


def test_input_flags_replace_the_configured_inputs(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pre-commit hook passes flow files; the configured database is not touched."""
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\nbindings: bindings.yaml\n"
        "snapshots:\n  - url: postgresql+psycopg://app:${PGPASSWORD}@db/app\n",
    )
    assert main(["check", "--flows", "flows-clean/hosting.flows.yaml"]) == 0
    assert capsys.readouterr().out == "No findings.\n"


def test_missing_environment_variable_is_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\nbindings: bindings.yaml\n"
        "snapshots:\n  - url: postgresql+psycopg://app:${PGPASSWORD}@db/app\n",
    )
    assert main(["check"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "seloste.yaml:5:10: environment variable PGPASSWORD is not set\n")


def test_environment_variables_expand_in_snapshot_sources(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\npolicy: policy.yaml\nbindings: bindings.yaml\n"
        "snapshots:\n"
        "  - url: postgresql+psycopg://app:${PGPASSWORD}@db/app\n"
        "  - snapshot/\n"
        "  - sqlite:///${DB_DIR}/app.db\n"
        "as_of: '2026-01-01T00:00:00Z'\n"
        "waivers: waivers.yaml\nbaseline: base/line.json\nfail_on: warning\n",
    )
    monkeypatch.setenv("PGPASSWORD", "s3cr%t")
    monkeypatch.setenv("DB_DIR", f"{repo}/data")
    monkeypatch.chdir(repo / "sub")
    args = build_parser().parse_args(["check"])
    assert config.apply(args) == Path("../seloste.yaml")
    # Opened with the environment's values, shown as written (checks/snapshot/__init__.py).
    assert args.snapshot == [
        SourceText(
            "postgresql+psycopg://app:s3cr%t@db/app",
            "postgresql+psycopg://app:${PGPASSWORD}@db/app",
            (("s3cr%t", "${PGPASSWORD}"),),
        ),
        SourceText("../snapshot", "../snapshot"),
        SourceText(
            f"sqlite:///{repo}/data/app.db",
            "sqlite:///${DB_DIR}/app.db",
            ((f"{repo}/data", "${DB_DIR}"),),
        ),
    ]
    assert (args.policy, args.bindings) == ("../policy.yaml", "../bindings.yaml")
    assert (args.waivers, args.baseline) == ("../waivers.yaml", "../base/line.json")
    assert (args.fail_on, args.as_of, args.flows) == ("warning", "2026-01-01T00:00:00Z", [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seloste: 1\nkind: config\nfali_on: error\n",
         "seloste.yaml:3:1: unknown key 'fali_on'; did you mean 'fail_on'?"),
        ("seloste: 1\nkind: config\nfail_on: sometimes\n",
         "seloste.yaml:3:10: expected one of 'error', 'warning', 'note' or 'never'"),
        ("seloste: 1\nkind: config\noutputs: ['pdf:x.pdf']\n",
         "seloste.yaml:3:11: unknown format 'pdf'"),
        ("seloste: 1\nkind: config\nflows: ['nowhere/*.yaml']\n",
         "seloste.yaml:3:9: 'nowhere/*.yaml' matches no file"),
        ("seloste: 1\nkind: config\nsnapshots:\n  - {url: x, user: y}\n",
         "seloste.yaml:4:"),
    ],
)  # fmt: skip
def test_strict_configuration_errors(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    write(repo / "seloste.yaml", text)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_missing_sections_mean_defaults(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo / "seloste.yaml", "seloste: 1\n")
    assert main(["check"]) == 2
    assert "nothing to check; give --snapshot or --flows" in capsys.readouterr().err
    assert main(["validate", "policy.yaml"]) == 0
    assert capsys.readouterr().out == "No findings.\n"


def test_pyproject_tool_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.seloste]\nflows = ["flows/*.flows.yaml"]\n'
        'fail_on = "never"\n',
    )
    assert config.locate(repo / "sub" / "dir") == (repo / "pyproject.toml").resolve()
    assert main(["check"]) == 0
    capsys.readouterr()
    write(repo / "pyproject.toml", '[tool.seloste]\nflows = ["flows/*.flows.yaml"]\nfailon = 1\n')
    assert main(["check"]) == 2
    assert capsys.readouterr().err.startswith("pyproject.toml:3:1: unknown key 'failon'")


def test_pyproject_without_the_table_is_not_a_configuration(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    assert config.locate(repo) is None


def test_seloste_yaml_wins_over_pyproject(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.seloste]\nfail_on = "never"\n')
    write(repo / "seloste.yaml", "seloste: 1\n")
    assert config.locate(repo) == (repo / "seloste.yaml").resolve()


def test_explicit_config_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--config", str(K_SYSTEMS / "seloste.yaml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(report["inputs"]) == 5
    assert report["findings"] == []


def test_k_systems_example_runs_without_arguments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(K_SYSTEMS)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "No findings.\n"


def test_configured_waivers_and_as_of(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``as_of`` is also the day waivers expire against, so a pinned run stays reproducible."""
    flows = "flows/newsletter.flows.yaml"
    main(["check", "--flows", flows, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    target = next(f["target"] for f in report["findings"] if f["rule"] == "FLW004")
    write(
        repo / "waivers.yaml",
        "seloste: 1\nkind: waivers\nwaivers:\n"
        f"  - {{rule: FLW004, target: '{target}', justification: moving to EU,"
        " owner: dpo, expires: '2026-03-31'}\n",
    )
    write(
        repo / "seloste.yaml",
        f"seloste: 1\nflows: [{flows}]\nwaivers: waivers.yaml\n"
        "outputs: [json]\nas_of: '2026-03-31T12:00:00+00:00'\n",
    )
    main(["check"])
    report = json.loads(capsys.readouterr().out)
    found = {f["target"]: f for f in report["findings"]}
    assert found[target]["suppressed"]["kind"] == "waiver"
    main(["check", "--as-of", "2026-04-01T00:00:00+00:00"])
    report = json.loads(capsys.readouterr().out)
    found = {f["target"]: f for f in report["findings"]}
    assert "suppressed" not in found[target]
    assert "SEL002" in {f["rule"] for f in report["findings"]}


def test_a_configuration_may_not_write_a_report_outside_its_repository(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request that changes seloste.yaml must not make CI write over a file elsewhere
    (a shell profile, say); a path on the command line stays the user's own choice."""
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n", encoding="utf-8")
    write(
        repo / "seloste.yaml",
        "seloste: 1\nkind: config\nflows: ['flows-clean/*.flows.yaml']\n"
        f"outputs: ['text:{victim}', 'json:report.json']\n",
    )
    assert main(["check"]) == 2
    err = without_source(capsys.readouterr().err)
    assert err == (
        f"seloste.yaml:4:11: output '{victim}' resolves outside the repository; "
        "--allow-outside-root writes it\n"
    )
    assert victim.read_text(encoding="utf-8") == "untouched\n"
    assert not (repo / "report.json").exists()
    assert main(["check", "--allow-outside-root"]) == 0
    assert victim.read_text(encoding="utf-8") == "No findings.\n"
