"""Installed, seloste is one top-level package, ``seloste``: nothing generic in site-packages.

The repository keeps ``policy/`` and ``checks/`` at its top; the packaging maps them to
``seloste.policy`` and ``seloste.checks``. A user's own ``checks/`` or ``policy/`` folder must
not shadow them, and seloste's must not shadow the user's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seloste installed as pip installs it for a user (not editable), into a folder."""
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    subprocess.run([*pip, str(ROOT)], check=True, capture_output=True, cwd=target)
    return target


def _python(site: Path, cwd: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Python with ``site`` first on its path (the dependencies come from this environment,
    whose editable install is not consulted for names ``site`` has)."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_exactly_one_top_level_package_is_installed(installed: Path) -> None:
    top = sorted(p.name for p in installed.iterdir() if p.name != "bin")
    assert top == ["seloste", "seloste-0.1.0.dist-info"]
    assert sorted(p.name for p in (installed / "seloste").iterdir()) == ["checks", "policy"]
    assert (installed / "seloste-0.1.0.dist-info" / "top_level.txt").read_text().split() in (
        [],
        ["seloste"],
    )


def test_the_installed_package_runs_and_claims_no_generic_name(
    installed: Path, tmp_path: Path
) -> None:
    result = _python(installed, tmp_path, "import checks")
    assert result.returncode == 1 and "No module named 'checks'" in result.stderr
    result = _python(installed, tmp_path, "import policy")
    assert result.returncode == 1 and "No module named 'policy'" in result.stderr
    code = (
        "import seloste.checks.cli as cli, seloste.policy.render, sys; "
        "assert cli.__file__.startswith(sys.argv[1]), cli.__file__; "
        "sys.exit(cli.main(['validate', '--no-config', sys.argv[2]]))"
    )
    policy = ROOT / "fixtures" / "k-systems" / "policy.yaml"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(installed), str(policy)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert (result.returncode, result.stdout) == (0, "No findings.\n"), result.stderr


def test_a_users_own_checks_folder_shadows_nothing(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "__init__.py").write_text("MINE = True\n")
    code = "import checks, seloste.checks.findings; assert checks.MINE"
    result = _python(installed, tmp_path, code)
    assert result.returncode == 0, result.stderr


def test_the_installed_package_has_its_templates(installed: Path, tmp_path: Path) -> None:
    """The notice's and the HTML report's Jinja2 templates are package data: an installed
    wheel renders both."""
    assert (installed / "seloste/checks/reports/templates/report.html.j2").is_file()
    assert (installed / "seloste/policy/templates/notice.html.j2").is_file()
    code = (
        "import sys; from seloste.checks.reports import Report, renderer; "
        "from seloste.checks.reports import html; "
        "assert html.__file__.startswith(sys.argv[1]), html.__file__; "
        "print(renderer('html')(Report.of([], ['p.yaml'])))"
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(installed)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "No findings: every check ran and found nothing." in result.stdout
