"""The benchmark's inputs are right: what bench/run.py times must be the same work on both
sides. Timings themselves are not asserted here (CI machines vary); bench/run.py does that."""

from __future__ import annotations

import json
import os
import shutil
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

from bench import fides as fides_bench  # noqa: E402
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


def _require_client(name: str) -> None:
    """The floor's command-line client: skipped without it, except under CI=true."""
    if shutil.which(name) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is needed under CI=true")
        pytest.skip(f"{name} is not installed")


@pytest.fixture
def postgres_url(require_server) -> Iterator[str]:
    require_server("PostgreSQL", "127.0.0.1", 5432, "psycopg")
    _require_client("psql")
    with run.postgres_database(TINY) as url:
        yield url


@pytest.mark.postgres
def test_postgres_floor_counts_what_seloste_finds(postgres_url: str, tmp_path: Path) -> None:
    counts = floors.postgres_counts(postgres_url, AS_OF)  # through psql, as the runner times it
    run.same_answer(json.dumps(counts), _seloste(postgres_url, tmp_path))
    assert counts["customers"]["rows"] == TINY
    assert counts["customers"]["SNP003 billing_address"] > 0  # confirmed in the script itself


# Each rule of stdnum's hetu.is_valid broken once, beside codes it accepts.
HETUS = [
    "131052-308T",  # valid, 1900s
    "131052A308T",  # the same digits in the 2000s: the check is the same
    "290200A0029",  # 29 Feb 2000, a leap day
    "290200-002V",  # 29 Feb 1900: no such day
    "310452-308T",  # 31 April: no such day
    "131352-308T",  # month 13
    "001052-308T",  # day 0
    "131052-001T",  # individual number below 002
    "131052-900T",  # a temporary number (900-999)
    "131052-308U",  # wrong check character
    "010180+1234",  # the 1800s
]


@pytest.mark.postgres
def test_the_postgres_floors_hetu_check_agrees_with_stdnum(postgres_url: str) -> None:
    import psycopg
    from stdnum.fi import hetu

    with psycopg.connect(postgres_url) as conn:
        for code in HETUS:
            valid = floors.postgres_hetu_valid(f"'{code}'::text")  # the codes above only
            found = conn.execute(f"SELECT {valid}").fetchone()  # type: ignore[arg-type]
            assert found == (hetu.is_valid(code),), code
    assert {hetu.is_valid(c) for c in HETUS} == {True, False}


@pytest.fixture
def mariadb_url(require_server) -> Iterator[str]:
    require_server("MariaDB", "127.0.0.1", 3306, "pymysql")
    _require_client("mariadb")
    with run.mariadb_database(TINY) as url:
        yield url


@pytest.mark.mysql
def test_mariadb_floor_counts_what_seloste_finds(mariadb_url: str, tmp_path: Path) -> None:
    counts = floors.mariadb_counts(mariadb_url, AS_OF)  # the client and its tally, as timed
    run.same_answer(json.dumps(counts), _seloste(mariadb_url, tmp_path))
    assert counts["customers"]["rows"] == TINY
    # Every row rule the floor stands for has findings, so equal counts are not 0 == 0.
    assert all(v for table in counts.values() for v in table.values())


def test_the_table_gives_each_ratio_its_spread() -> None:
    rows = [
        run.Row("1. a", "1.10 s", "1.00 s", 1.1, 1.25, spread=(1.04, 1.093)),
        run.Row("6. b", "2 rows/s", "3 rows", None, None),
    ]
    assert run.table(rows).splitlines()[2:] == [
        "| 1. a | 1.10 s | 1.00 s | 1.10x | 1.04-1.09x | <= 1.25x | yes |",
        "| 6. b | 2 rows/s | 3 rows |  |  |  |  |",
    ]


def test_flow_floor_and_check_read_the_same_files(tmp_path: Path) -> None:
    from seloste.checks.flows import check_flows

    paths = flow_bench.generate(tmp_path, 200, 200)  # a repository of their own
    assert floors.yaml_load([str(tmp_path / "policy.yaml"), *paths]) == 8 + 4 * len(paths)
    assert check_flows(paths)  # the planted violations are found


def test_the_fides_row_gives_both_tools_the_same_clean_declarations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    files, manifests = fides_bench.write_project(tmp_path, run.BIN / "seloste")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--no-config", "--format", "json", *map(str, files)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["findings"] == []  # clean, as Fides finds the manifests
    systems = yaml.safe_load((manifests / "system.yml").read_text("utf-8"))["system"]
    datasets = yaml.safe_load((manifests / "dataset.yml").read_text("utf-8"))["dataset"]
    declarations = [d for s in systems for d in s["privacy_declarations"]]
    assert (len(systems), len(declarations)) == (50, 100)  # the comparison
    # 200 fields, the key, the end of the relationship and the restriction flag
    assert [len(d["collections"][0]["fields"]) for d in datasets] == [203] * 10


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
    assert len(list(own_cache.iterdir())) == 2  # the policy's entry and its view
