"""Snapshot checks on live servers: PostgreSQL (psycopg 3) and MariaDB (PyMySQL).

Each test loads the K-Systems snapshot into a database it creates, with real column types
(timestamps, dates, booleans), and drops it afterwards. Without a server the tests skip,
except under CI=true, where they fail.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from seloste.checks.cli import main
from servers import (
    MY_ADMIN,
    PG_ADMIN,
    admin_url,
    as_user,
    run_as_admin,
    scratch_database,
    writer,
)
from snapshot_truth import BINDINGS, NATIVE, TEXT, TRUTH, check, errors, expected, observed

SECRET = "Sal4sana-ei-saa-n4kya"


@pytest.mark.postgres
def test_postgres_gives_exactly_the_ground_truth(postgres: str) -> None:
    findings = check(postgres)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)


@pytest.mark.mysql
def test_mariadb_gives_exactly_the_ground_truth(mariadb: str) -> None:
    findings = check(mariadb)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)


@pytest.mark.parametrize(
    ("admin", "what", "port", "driver"),
    [
        pytest.param(PG_ADMIN, "PostgreSQL", 5432, "psycopg", marks=pytest.mark.postgres),
        pytest.param(MY_ADMIN, "MariaDB", 3306, "pymysql", marks=pytest.mark.mysql),
    ],
)
def test_times_stored_as_text_give_exactly_the_ground_truth(
    require_server, admin: str, what: str, port: int, driver: str
) -> None:
    """The same snapshot with every time column as text, as the dump writes them: boundaries in
    every form, epochs written as digits, and the values that are not times."""
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin, storage=TEXT) as url:
        findings = check(url)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=TEXT)


# What a role may set for its own sessions, each undoing one of seloste's settings.
ROLE_SETTINGS = {
    "default_transaction_read_only": "off",
    "statement_timeout": "0",
    "search_path": "public",
    "TimeZone": "Asia/Tokyo",
}


def _settings(conn: Any) -> dict[str, str]:
    import sqlalchemy as sa

    shown = {name: conn.execute(sa.text(f"SHOW {name}")).scalar() for name in ROLE_SETTINGS}
    shown["transaction_read_only"] = conn.execute(sa.text("SHOW transaction_read_only")).scalar()
    return shown


@pytest.mark.postgres
def test_postgres_sessions_are_read_only_whatever_the_role_sets(postgres: str) -> None:
    """seloste's settings travel in the startup packet, which PostgreSQL ranks above the
    role's own (``ALTER ROLE ... SET``): a role that may write and sets every one of them
    back still gets a read-only session with a timeout, a safe search path and UTC."""
    import sqlalchemy as sa
    from seloste.checks.snapshot.sources import open_source

    with writer(postgres) as url:
        role = sa.make_url(url).username
        run_as_admin(
            postgres, [f"ALTER ROLE {role} SET {k} = '{v}'" for k, v in ROLE_SETTINGS.items()]
        )
        plain = sa.create_engine(url)
        with plain.connect() as conn:  # outside seloste the role's settings are in force
            assert _settings(conn) == {**ROLE_SETTINGS, "transaction_read_only": "off"}
        plain.dispose()
        source = open_source(url, timeout=5)
        try:
            with source.engine.connect() as conn:
                assert _settings(conn) == {
                    "default_transaction_read_only": "on",
                    "statement_timeout": "5s",
                    "search_path": 'pg_catalog,"$user",public',
                    "TimeZone": "UTC",
                    "transaction_read_only": "on",
                }
                with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
                    conn.execute(sa.text("DELETE FROM customers"))
        finally:
            source.close()


@pytest.mark.mysql
def test_mariadb_sessions_are_read_only(mariadb: str) -> None:
    """An account that may write is refused; allowed, its session is still read-only, with
    the timeout and UTC."""
    import sqlalchemy as sa
    from seloste.checks.snapshot.sources import Unavailable, open_source

    with writer(mariadb) as url:
        with pytest.raises(Unavailable, match=r"^the account may do more than read \(INSERT"):
            open_source(url, timeout=5)
        source = open_source(url, timeout=5, allow_privileged_role=True)
        try:
            with source.engine.connect() as conn:
                shown = conn.execute(
                    sa.text("SELECT @@tx_read_only, @@max_statement_time, @@time_zone")
                ).one()
                assert tuple(shown) == (1, 5.0, "+00:00")
                with pytest.raises(sa.exc.DBAPIError, match="READ ONLY"):
                    conn.execute(sa.text("DELETE FROM customers"))
        finally:
            source.close()


@pytest.mark.postgres
def test_a_password_never_appears_in_the_output(
    postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlalchemy as sa

    # Trust authentication accepts any password, so the whole run happens with one in the URL.
    user = sa.make_url(postgres).username
    url = as_user(postgres, user, SECRET)
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", url, "--as-of", TRUTH["as_of"]]
    for fmt in ("text", "json"):
        assert main([*argv, "--format", fmt]) == 1
        out, err = capsys.readouterr()
        assert SECRET not in out + err
        assert f"{user}:***@127.0.0.1" in out


def test_an_unreachable_server_is_not_checked_and_masked(capsys) -> None:
    url = f"postgresql+psycopg://app:{SECRET}@127.0.0.1:9/crm?password={SECRET}"
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", url]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    [line] = [x for x in out.splitlines() if "SEL001" in x]
    assert line.startswith("postgresql+psycopg://app:***@127.0.0.1:9/crm?password=***: SEL001")
    assert "could not check" in line


def test_a_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pymysql", None)  # as if the extra were not installed
    [message] = errors(check("mysql://root@127.0.0.1/test"))
    assert message == (
        "could not check mysql://root@127.0.0.1/test: the driver for mysql+pymysql is not "
        "installed; install seloste[mysql]"
    )


def test_a_url_that_is_no_url(tmp_path: Path) -> None:
    [message] = errors(check("nonsense://"))
    assert message.startswith("could not check nonsense://: ")


@pytest.mark.postgres
def test_a_table_without_permission_is_not_checked_and_the_rest_is(postgres: str) -> None:

    role = f"seloste_reader_{uuid.uuid4().hex[:8]}"
    database = postgres.rsplit("/", 1)[1]
    run_as_admin(
        postgres,
        [
            f"CREATE ROLE {role} LOGIN",
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
            f"REVOKE SELECT ON invoices FROM {role}",
        ],
    )
    try:
        findings = check(as_user(postgres, role))
        assert errors(findings) == [
            "could not check invoices: permission denied for table invoices"
        ]
        assert observed([f for f in findings if f.rule != "SEL001"]) == expected(
            without=frozenset({"invoices"}), storage=NATIVE
        )
    finally:
        run_as_admin(postgres, [f"DROP OWNED BY {role}", f"DROP ROLE {role}"])


def test_a_sqlite_url_is_opened_as_a_read_only_file(tmp_path: Path) -> None:
    from snapshot_truth import sqlite_from_dump

    db = sqlite_from_dump(tmp_path / "k.db")
    findings = check(f"sqlite:///{db}")
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_other_databases_are_refused_rather_than_opened_writable() -> None:
    [message] = errors(check("duckdb:///crm.duckdb"))
    assert message.startswith("could not check duckdb:///crm.duckdb: duckdb URLs are not supported")


@pytest.mark.postgres
def test_the_command_refuses_a_superuser_unless_allowed(
    postgres: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused: exit 2 and one SEL001 line; allowed by the flag or by the configuration key,
    the same run finds what the snapshot holds (exit 1)."""
    import json

    superuser = admin_url(postgres)
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", superuser]
    argv += ["--as-of", TRUTH["as_of"], "--format", "json"]
    assert main([*argv, "--no-config"]) == 2
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == ["SEL001"]
    assert findings[0]["message"].startswith(
        f"could not check {superuser}: the role postgres is a superuser, "
    )
    assert main([*argv, "--no-config", "--allow-privileged-role"]) == 1
    config = tmp_path / "seloste.yaml"
    config.write_text("seloste: 1\nkind: config\nallow_privileged_role: true\n", encoding="utf-8")
    assert main([*argv, "--config", str(config)]) == 1
    capsys.readouterr()
