"""Snapshot checks on SQLite: the committed dump, a database file, and the real command."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from seloste.checks.cli import main
from snapshot_truth import (
    AS_OF,
    BINDINGS,
    DUMP,
    FIXTURE,
    ROOT,
    TRUTH,
    bound,
    check,
    errors,
    expected,
    observed,
    sqlite_from_dump,
    tables,
)

SELOSTE = Path(sys.executable).parent / "seloste"
VALUE_RULES = {"SNP007", "SNP008", "SNP009"}
# Tables with no value check: bound ones without e-mail, phone or business ID columns (and
# what the bindings ignore), and the unbound one with no text column.
UNCHECKED_VALUES = {"domains", "invoices", "plans", "schema_migrations", "server_stats"}


def test_the_dump_gives_exactly_the_ground_truth() -> None:
    findings = check(str(DUMP))
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_row_keys_are_the_first_few_by_key() -> None:
    assert observed(check(str(DUMP), max_keys=5)) == expected(5)


def test_a_sqlite_file_gives_the_same_and_is_not_changed(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k-systems.db")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    findings = check(str(db))
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k-systems.db"]  # no journal left
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_value_checks_say_how_many_rows_they_sampled_of_how_many() -> None:
    """Accuracy checks read 50 rows of each table; full scans and row rules read every row."""
    findings = check(str(DUMP), sample=50)
    sizes = {name: len(rows) for name, _, rows in tables()}
    sampled = {(f.rule, f.sampled, f.table_rows) for f in findings if f.rule in VALUE_RULES}
    assert sampled == {
        (f.rule, 50, sizes[f.location.table]) for f in findings if f.rule in VALUE_RULES
    }
    assert {(f.sampled, f.table_rows) for f in findings if f.rule == "SNP003"} == {
        (None, sizes["customers"]),
        (None, sizes["support_tickets"]),
    }
    row_rules = [f for f in findings if f.rule in {"SNP001", "SNP004", "SNP005", "SNP006"}]
    assert row_rules and all(f.sampled is f.table_rows is None for f in row_rules)
    notes = {f.location.table for f in findings if f.rule == "SNP011" and f.location.table}
    assert notes == {t for t, n in sizes.items() if n > 50 and t not in UNCHECKED_VALUES}


def test_no_value_from_the_snapshot_in_any_message() -> None:
    date = re.compile(r"\d{4}-\d{2}-\d{2}")  # the cutoff dates come from the policy
    values = {
        str(v)
        for _, _, rows in tables()
        for row in rows
        for v in row
        # lower-case words such as the role "billing" are vocabulary, not personal values
        if isinstance(v, str)
        and len(v) >= 6
        and not date.match(v)
        and not (v.isidentifier() and v.islower())
    }
    for finding in check(str(DUMP), max_keys=5):
        assert not [v for v in values if v in finding.message], finding.rule


def test_a_missing_table_is_not_checked_and_the_rest_still_is(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE invoices")
    conn.close()
    findings = check(str(db))
    assert errors(findings) == ["could not check invoices: the table is not in the snapshot"]
    assert observed([f for f in findings if f.rule != "SEL001"]) == expected(
        without=frozenset({"invoices"})
    )


def test_a_missing_link_table_leaves_its_content_unchecked(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE domains")
    conn.close()
    messages = errors(check(str(db)))
    assert "could not check domains: the table is not in the snapshot" in messages
    for linked in ("mailboxes", "hosting_provisioning"):
        assert f"could not check {linked}: it is linked to table 'domains', which is missing" in (
            messages
        )


def test_a_dump_that_attaches_a_database_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.db"
    dump = tmp_path / "bad.sql"
    dump.write_text(
        "BEGIN TRANSACTION;\n"
        f"ATTACH DATABASE '{target}' AS other;\n"
        "CREATE TABLE other.stolen (x TEXT);\n"
        "COMMIT;\n",
        encoding="utf-8",
    )
    findings = check(str(dump))
    assert [(f.rule, f.message) for f in findings] == [
        ("SEL001", f"could not check {dump}: the dump was refused: it uses ATTACH")
    ]
    assert not target.exists()


def test_a_dump_that_rolls_itself_back_is_refused(tmp_path: Path) -> None:
    """A dump loads in one transaction of seloste's own, where its BEGIN and COMMIT are
    ignored; a ROLLBACK would leave a database the dump does not describe."""
    dump = tmp_path / "undone.sql"
    dump.write_text("BEGIN TRANSACTION;\nCREATE TABLE t (x TEXT);\nROLLBACK;\n", encoding="utf-8")
    assert [(f.rule, f.message) for f in check(str(dump))] == [
        ("SEL001", f"could not check {dump}: the dump was refused: it uses ROLLBACK")
    ]


def test_a_dump_may_not_switch_off_safety_pragmas(tmp_path: Path) -> None:
    dump = tmp_path / "bad.sql"
    dump.write_text("PRAGMA writable_schema=ON;\n", encoding="utf-8")
    assert errors(check(str(dump))) == [
        f"could not check {dump}: the dump was refused: it uses PRAGMA writable_schema"
    ]


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("hello", encoding="utf-8")
    [message] = errors(check(str(junk)))
    assert message.startswith(f"could not check {junk}: not a readable SQLite database")
    assert errors(check(str(tmp_path / "nothing.db"))) == [
        f"could not check {tmp_path / 'nothing.db'}: no such file or directory"
    ]


def test_the_command_reports_json_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", str(DUMP)]
    code = main([*argv, "--as-of", TRUTH["as_of"], "--format", "json", "--max-keys", "10000"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    got = {
        (f["rule"], f["location"].get("table"), f["location"].get("table_column"), f.get("rows"))
        for f in report["findings"]
    }
    assert got == {(r[0], r[1], r[2], r[3]) for r in expected()}


def test_the_installed_command_exits_2_when_a_table_is_missing(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE invoices")
    conn.close()
    seloste = SELOSTE if SELOSTE.exists() else Path(shutil.which("seloste") or "seloste")
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", str(db)]
    done = subprocess.run(
        [str(seloste), *argv, "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert f"{db} invoices: SEL001 [error] could not check invoices" in done.stdout
    assert "customers.ended_at: SNP004 [error]" in done.stdout


def test_validate_never_loads_the_snapshot_libraries() -> None:
    code = (
        "import sys; from seloste.checks.cli import main; "
        f"main(['validate', {str(FIXTURE / 'policy.yaml')!r}, {str(BINDINGS)!r}]); "
        "import seloste.checks.rules; "
        "heavy = {'sqlalchemy', 'stdnum', 'phonenumbers', 'email_validator', 'duckdb', "
        "'psycopg', 'pymysql'} & {m.split('.')[0] for m in sys.modules}; "
        "print(sorted(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_generator_reproduces_the_committed_fixture(tmp_path: Path) -> None:
    if version("Faker") != TRUTH["faker"]:
        pytest.skip(f"the fixture was made with Faker {TRUTH['faker']}, not {version('Faker')}")
    script = FIXTURE / "snapshot" / "generate.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    for name in ("k-systems.sql", "expected.yaml"):
        assert (tmp_path / name).read_bytes() == (FIXTURE / "snapshot" / name).read_bytes(), name


def test_a_missing_bound_column_is_not_checked(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE customers DROP COLUMN marketing_opt_out")
    conn.close()
    findings = check(str(db))
    assert errors(findings) == [
        "could not check customers.marketing_opt_out: the bound column is missing from the table"
    ]
    # the opt-out rule had nothing to read; everything else is still found
    assert observed([f for f in findings if f.rule != "SEL001"]) == {
        row for row in expected() if row[0] != "SNP005"
    }


def test_a_statement_past_the_timeout_is_not_checked(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")  # a dump would not even load in that time
    messages = errors(check(str(db), timeout=1e-9))
    assert messages
    assert all(m.endswith("the statement ran past the timeout") for m in messages), messages


def test_a_statement_timeout_of_0_is_no_limit(tmp_path: Path) -> None:
    """The timeout that stopped every statement above, made 0: everything is checked."""
    db = sqlite_from_dump(tmp_path / "k.db")
    findings = check(str(db), timeout=0)
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_the_statement_timeout_flag_stops_a_sqlite_check_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--as-of", TRUTH["as_of"]]
    argv += ["--snapshot", str(db), "--format", "json", "--statement-timeout", "0.000000001"]
    assert main(argv) == 2
    report = json.loads(capsys.readouterr().out)
    gaps = [f["message"] for f in report["findings"] if f["rule"] == "SEL001"]
    assert gaps and all(m.endswith(": the statement ran past the timeout") for m in gaps), gaps


def test_a_rule_whose_column_is_not_bound_is_the_bindings_finding() -> None:
    from seloste.checks.context import BoundPolicy
    from seloste.checks.snapshot import check_snapshot
    from seloste.policy.loader import Loaded

    ours = bound()
    model = ours.bindings.model
    customers = model.tables["customers"].model_copy(update={"marketing_opt_out": None})
    changed = {**model.tables, "customers": customers}
    bindings = Loaded(model.model_copy(update={"tables": changed}), ours.bindings.doc)
    findings = check_snapshot(
        BoundPolicy(ours.policy, bindings), str(DUMP), as_of=AS_OF, sample=5000, max_keys=3
    )
    # one gap, one rule: the finding `validate` makes (BND004), not a tool error (SEL001)
    assert errors(findings) == []
    assert [(f.rule, f.message) for f in findings if f.rule.startswith("BND")] == [
        (
            "BND004",
            "register 'customer_register' grants marketing_opt_out but no bound table has a "
            "marketing_opt_out column",
        )
    ]
    assert not [f for f in findings if f.rule == "SNP005"]
    # and the column, no longer declared, holds data the binding does not mention
    [unmapped] = [f for f in findings if f.location.table_column == "marketing_opt_out"]
    customers = len(next(rows for name, _, rows in tables() if name == "customers"))
    assert (unmapped.rule, unmapped.rows, unmapped.row_keys) == (
        "SNP001",
        customers,
        ("1", "2", "3"),
    )
