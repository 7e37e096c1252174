"""``seloste discover``: a draft of bindings from a database, measured against the worked
examples' hand-written bindings, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from seloste.checks.cli import main
from seloste.policy.loader import load_bindings
from snapshot_truth import K_SYSTEMS, WEB_SHOP, Organisation, export_csv

RULE_KEYS = ("relationship_end", "collected_at", "last_activity", "consent_withdrawn")
RULE_KEYS += ("marketing_opt_out", "restricted")


def _discover(
    tmp_path: Path, org: Organisation, source: str, capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, Any], str]:
    """Discover ``source`` with the organisation's policy (copied next to the draft, as a
    project would keep them); the draft as data, and what went to stderr."""
    shutil.copy(org.fixture / "policy.yaml", tmp_path / "policy.yaml")
    out = tmp_path / "draft.yaml"
    assert (
        main(["discover", source, "--policy", str(tmp_path / "policy.yaml"), "-o", str(out)]) == 0
    )
    err = capsys.readouterr().err
    return yaml.safe_load(out.read_text("utf-8")), err


def _validate(project: Path) -> int:
    """``seloste validate`` on the draft, in its project's directory (the root of its files)."""
    return main(["validate", str(project / "draft.yaml"), "--allow-outside-root"])


def _hand(org: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(org.bindings.read_text("utf-8"))
    return data


def mapped_share(draft: dict[str, Any], hand: dict[str, Any]) -> tuple[int, int]:
    """How many of the hand-written bindings' column -> field mappings the draft has."""
    found = total = 0
    for table, binding in hand["tables"].items():
        drafted = draft["tables"].get(table, {}).get("columns", {})
        for column, field in binding.get("columns", {}).items():
            total += 1
            found += drafted.get(column) == field
    return found, total


def _per_table(data: dict[str, Any], key: str, only: Any = None) -> dict[str, Any]:
    """Each table's ``key``, where it has one; of the tables ``only`` has, if given."""
    tables = data["tables"].items()
    return {t: b[key] for t, b in tables if b.get(key) is not None and (only is None or t in only)}


def _assert_matches(draft: dict[str, Any], hand: dict[str, Any], share: float) -> None:
    found, total = mapped_share(draft, hand)
    assert found / total == share >= 0.9
    # Every subject link and every relationship-end column; and each table's register.
    hand_tables = hand["tables"]
    assert _per_table(draft, "subject", hand_tables) == _per_table(hand, "subject")
    assert _per_table(draft, "relationship_end", hand_tables) == _per_table(
        hand, "relationship_end"
    )
    for key in RULE_KEYS:  # the draft proposes at least every rule column the hand did
        assert _per_table(hand, key).items() <= _per_table(draft, key).items(), key
    assert _per_table(draft, "time_formats", hand_tables) == _per_table(hand, "time_formats")
    assert {t: b["register"] for t, b in hand["tables"].items()} == {
        t: draft["tables"][t]["register"] for t in hand["tables"]
    }


def test_k_systems_draft_reproduces_the_hand_written_bindings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft, err = _discover(tmp_path, K_SYSTEMS, str(K_SYSTEMS.dump), capsys)
    assert mapped_share(draft, _hand(K_SYSTEMS)) == (24, 24)
    _assert_matches(draft, _hand(K_SYSTEMS), 1.0)
    assert draft["tables"]["fi_domain_holders"]["time_formats"] == {
        "transferred_out_at": "epoch_seconds"
    }
    assert draft["ignore_tables"] == ["plans", "schema_migrations", "server_stats"]
    assert err.splitlines() == [
        "discover: 12 tables: 9 bound, 3 ignored",
        "discover: 26 columns classified, 11 other (3 marked TODO)",
        "discover: personal data no register claims: contacts (birth_date); support_tickets (body)",
    ]
    # The draft loads, and validates clean against its policy.
    assert _validate(tmp_path) == 0


def test_web_shop_draft_reproduces_the_hand_written_bindings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft, err = _discover(tmp_path, WEB_SHOP, str(WEB_SHOP.dump), capsys)
    assert mapped_share(draft, _hand(WEB_SHOP)) == (35, 35)
    _assert_matches(draft, _hand(WEB_SHOP), 1.0)
    assert draft["tables"]["analytics_events"]["time_formats"] == {
        "occurred_at": "epoch_milliseconds"
    }
    assert (
        err.splitlines()[-1] == "discover: personal data no register claims: customers (birthday)"
    )
    assert _validate(tmp_path) == 0


def test_each_line_says_what_it_rests_on_and_never_a_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _discover(tmp_path, K_SYSTEMS, str(K_SYSTEMS.dump), capsys)
    text = (tmp_path / "draft.yaml").read_text("utf-8")
    assert (
        "      address: email  # 100% valid e-mail addresses in 953 sampled of 953 rows; "
        "the only field of kind email\n" in text
    )
    assert '    relationship_end: ended_at  # the name says "ended"\n' in text
    assert (
        "      - birth_date  # TODO: looks like birth_date, the name says a date of birth "
        '("birth date"), and the register has no field for it\n' in text
    )
    dump = K_SYSTEMS.dump.read_text("utf-8")
    assert "tarja.ollila@heikkilaoyj.fi" in dump and "@" not in text


def test_never_writes_over_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bindings.yaml"
    out.write_text("mine\n", encoding="utf-8")
    assert main(["discover", str(K_SYSTEMS.dump), "-o", str(out)]) == 2
    assert capsys.readouterr().err == f"seloste: error: {out} exists; --force writes over it\n"
    assert out.read_text("utf-8") == "mine\n"
    assert main(["discover", str(K_SYSTEMS.dump), "-o", str(out), "--force"]) == 0
    assert load_bindings(out).model.tables["customers"].register_id == "todo"


def test_without_a_policy_columns_get_the_built_in_kinds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["discover", str(WEB_SHOP.dump), "-o", "-"]) == 0
    captured = capsys.readouterr()
    draft = yaml.safe_load(captured.out)
    assert draft["policy"] == "TODO"
    assert draft["tables"]["customers"]["columns"] == {
        "full_name": "person_name",
        "email": "email",
        "phone": "phone",
        "street_address": "postal_address",
        "postal_code": "postal_address",
        "city": "postal_address",
        "birthday": "birth_date",
    }
    assert draft["tables"]["guest_orders"]["subject"] == {"table": "orders", "column": "order_id"}
    assert {b["register"] for b in draft["tables"].values()} == {"todo"}
    assert captured.err.splitlines()[-1].startswith(
        "discover: personal data no register claims: 8 tables (no policy given): "
    )


def test_a_source_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.db"
    assert main(["discover", str(missing), "-o", str(tmp_path / "out.yaml")]) == 2
    assert capsys.readouterr().err == f"seloste: error: {missing}: no such file or directory\n"
    assert not (tmp_path / "out.yaml").exists()
    url = "postgresql://me:s3cret-pw@127.0.0.1:1/none"
    assert main(["discover", url, "-o", "-", "--timeout", "2"]) == 2
    err = capsys.readouterr().err
    assert "s3cret-pw" not in err and err.startswith("seloste: error: postgresql://me:***@")
    assert err.count("\n") == 1


def test_hostile_names_are_quoted_and_the_draft_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "odd.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            'CREATE TABLE "on: yes # no" (id INTEGER PRIMARY KEY, "e-mail: x" TEXT, "true" TEXT)'
        )
        conn.execute("""INSERT INTO "on: yes # no" VALUES (1, 'a.b@example.fi', 'x')""")
    conn.close()
    out = tmp_path / "draft.yaml"
    assert main(["discover", str(db), "-o", str(out)]) == 0
    table = load_bindings(out).model.tables["on: yes # no"]
    assert table.columns == {"e-mail: x": "email"}
    assert table.other_columns == ["true"]


def test_csv_files_without_foreign_keys_link_by_the_names_of_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb", reason="seloste[duckdb] is not installed")
    files = tmp_path / "csv"
    files.mkdir()
    export_csv(files)
    draft, _ = _discover(tmp_path, K_SYSTEMS, str(files), capsys)
    _assert_matches(draft, _hand(K_SYSTEMS), 1.0)
    text = (tmp_path / "draft.yaml").read_text("utf-8")
    assert (
        "    subject: {table: customers, column: customer_id}  # TODO: named after the key of "
        "customers; no foreign key says so\n" in text
    )
    assert _validate(tmp_path) == 0


def test_a_server_draft_matches_as_sqlite_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    """PostgreSQL and MariaDB: the copy has the dump's tables and types; its foreign keys are
    added here as the dump declares them, unchecked (the planted orphans stay)."""
    from servers import is_postgres, run_as_admin

    with sqlite3.connect(":memory:") as mem:
        mem.executescript(K_SYSTEMS.dump.read_text("utf-8"))
        tables = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        keys = [
            (t, fk[3], fk[2], fk[4])
            for t in tables
            for fk in mem.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()
        ]
    assert len(keys) == 6
    unchecked = " NOT VALID" if is_postgres(server) else ""
    statements = [] if is_postgres(server) else ["SET foreign_key_checks = 0"]
    statements += [
        f"ALTER TABLE {t} ADD FOREIGN KEY ({c}) REFERENCES {r} ({k}){unchecked}"
        for t, c, r, k in keys
    ]
    run_as_admin(server, statements)
    draft, _ = _discover(tmp_path, K_SYSTEMS, server, capsys)
    _assert_matches(draft, _hand(K_SYSTEMS), 1.0)
    assert _validate(tmp_path) == 0
