"""The benchmark's inputs are right: what bench/run.py times must be the same work on both
sides. Timings themselves are not asserted here (CI machines vary); bench/run.py does that."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from seloste.checks.cli import main  # noqa: E402

from bench import floors, generate, run  # noqa: E402
from bench import flows as flow_bench  # noqa: E402

AS_OF = datetime.fromisoformat(run.AS_OF)
TINY = 3_000


def _seloste(snapshot: str, tmp_path: Path) -> str:
    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.json"
    args = [*run.seloste_check(snapshot)[1:-2], "--format", f"json:{report}"]
    assert main(args) == 1
    return report.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate.sqlite_file(tmp_path_factory.mktemp("bench") / "k.db", TINY)


def test_the_generator_is_reproducible() -> None:
    assert generate.statements(generate.SQLITE, TINY) == generate.statements(generate.SQLITE, TINY)
    assert generate.statements(generate.SQLITE, TINY) != generate.statements(
        generate.SQLITE, TINY, seed=1
    )


def test_sqlite_floor_counts_what_seloste_finds(tiny_db: Path, tmp_path: Path) -> None:
    counts = floors.sqlite_counts(str(tiny_db), AS_OF)
    report = _seloste(str(tiny_db), tmp_path)
    run.same_answer(json.dumps(counts), report)  # raises on any difference
    assert counts["customers"]["rows"] == TINY
    # Every row rule the floor stands for has findings, so equal counts are not 0 == 0.
    assert all(v for table in counts.values() for v in table.values())


def test_every_snapshot_rule_has_findings_in_the_generated_snapshot(
    tiny_db: Path, tmp_path: Path
) -> None:
    rules = {f["rule"] for f in json.loads(_seloste(str(tiny_db), tmp_path))["findings"]}
    assert rules == {f"SNP{i:03d}" for i in range(1, 12)}


@pytest.fixture
def postgres_url(require_server) -> Iterator[str]:
    require_server("PostgreSQL", "127.0.0.1", 5432, "psycopg")
    with run.postgres_database(TINY) as url:
        yield url


@pytest.mark.postgres
def test_postgres_floor_counts_what_seloste_finds(postgres_url: str, tmp_path: Path) -> None:
    counts = floors.postgres_counts(postgres_url, AS_OF)
    run.same_answer(json.dumps(counts), _seloste(postgres_url, tmp_path))


def test_flow_floor_and_check_read_the_same_files(tmp_path: Path) -> None:
    from seloste.checks.flows import check_flows

    paths = flow_bench.generate(tmp_path, 200, 200)  # a repository of their own
    assert floors.yaml_load([str(tmp_path / "policy.yaml"), *paths]) == 8 + 4 * len(paths)
    assert check_flows(paths)  # the planted violations are found


def test_the_pre_commit_path_imports_nothing_heavy() -> None:
    assert run.heavy_imports(run.precommit_cmd()) == []


def test_each_pre_commit_row_stages_one_file_the_hook_checks_clean(
    tmp_path: Path, own_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows 5a-5c time the hook on one staged file of each kind: each is a real, clean run,
    and the policy the three name is loaded once, then taken from the cache."""
    project = run.precommit_project(tmp_path)
    assert [p.name for p in project] == ["policy.yaml", "bindings.yaml", "billing.flows.yaml"]
    for staged in project:
        assert main(["validate", "--with-referrers", "--no-config", str(staged)]) == 0
    assert capsys.readouterr().out == "No findings.\n" * 3
    assert len(list(own_cache.iterdir())) == 1
