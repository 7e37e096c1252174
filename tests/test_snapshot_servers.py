"""Snapshot checks on live servers: PostgreSQL (psycopg 3) and MariaDB (PyMySQL).

Each test loads the K-Systems snapshot into a database it creates, with real column types
(timestamps, dates, booleans), and drops it afterwards. Without a server the tests skip,
except under CI=true, where they fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import scratch_database
from snapshot_truth import (
    BINDINGS,
    NATIVE,
    TEXT,
    TRUTH,
    check,
    errors,
    expected,
    load_into,
    observed,
)

from checks.cli import main

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/test"
SECRET = "Sal4sana-ei-saa-n4kya"


def _database(require_server, admin: str, what: str, port: int, driver: str) -> Iterator[str]:
    """A fresh database holding the snapshot; its URL without a password."""
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin) as url:
        yield url


@pytest.fixture
def postgres(require_server) -> Iterator[str]:
    yield from _database(require_server, PG_ADMIN, "PostgreSQL", 5432, "psycopg")


@pytest.fixture
def mariadb(require_server) -> Iterator[str]:
    yield from _database(require_server, MY_ADMIN, "MariaDB", 3306, "pymysql")


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
    with scratch_database(admin, snapshot=False) as url:
        load_into(url, naive_times=admin.startswith("mysql"), storage=TEXT)
        findings = check(url)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=TEXT)


@pytest.mark.postgres
def test_postgres_sessions_are_read_only(postgres: str) -> None:
    import sqlalchemy as sa

    from checks.snapshot.sources import open_source

    source = open_source(postgres, timeout=5)
    try:
        with source.engine.connect() as conn:
            assert conn.execute(sa.text("SHOW transaction_read_only")).scalar() == "on"
            assert conn.execute(sa.text("SHOW statement_timeout")).scalar() == "5s"
            with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
                conn.execute(sa.text("DELETE FROM customers"))
    finally:
        source.close()


@pytest.mark.mysql
def test_mariadb_sessions_are_read_only(mariadb: str) -> None:
    import sqlalchemy as sa

    from checks.snapshot.sources import open_source

    source = open_source(mariadb, timeout=5)
    try:
        with (
            source.engine.connect() as conn,
            pytest.raises(sa.exc.DBAPIError, match="READ ONLY"),
        ):
            conn.execute(sa.text("DELETE FROM customers"))
    finally:
        source.close()


@pytest.mark.postgres
def test_a_password_never_appears_in_the_output(
    postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Trust authentication accepts any password, so the whole run happens with one in the URL.
    url = postgres.replace("postgres@", f"postgres:{SECRET}@", 1)
    argv = ["check", "--bindings", str(BINDINGS), "--snapshot", url, "--as-of", TRUTH["as_of"]]
    for fmt in ("text", "json"):
        assert main([*argv, "--format", fmt]) == 1
        out, err = capsys.readouterr()
        assert SECRET not in out + err
        assert "postgres:***@127.0.0.1" in out


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
    import sqlalchemy as sa

    role = f"seloste_reader_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres, isolation_level="AUTOCOMMIT")
    database = postgres.rsplit("/", 1)[1]
    with admin.connect() as conn:
        for statement in (
            f"CREATE ROLE {role} LOGIN",
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}",
            f"REVOKE SELECT ON invoices FROM {role}",
        ):
            conn.execute(sa.text(statement))
    try:
        findings = check(postgres.replace("postgres@", f"{role}@", 1))
        assert errors(findings) == [
            "could not check invoices: permission denied for table invoices"
        ]
        assert observed([f for f in findings if f.rule != "SEL001"]) == expected(
            without=frozenset({"invoices"}), storage=NATIVE
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))
        admin.dispose()


def test_a_sqlite_url_is_opened_as_a_read_only_file(tmp_path: Path) -> None:
    from snapshot_truth import sqlite_from_dump

    db = sqlite_from_dump(tmp_path / "k.db")
    findings = check(f"sqlite:///{db}")
    assert errors(findings) == []
    assert observed(findings) == expected()


def test_other_databases_are_refused_rather_than_opened_writable() -> None:
    [message] = errors(check("duckdb:///crm.duckdb"))
    assert message.startswith("could not check duckdb:///crm.duckdb: duckdb URLs are not supported")
