"""Faults while checking a snapshot: each one is an error (SEL001) for what it hit, exit 2, and
every other table is still checked and reported with exactly its ground truth.

Server tests use ``require_server``: they skip without PostgreSQL or MariaDB, and fail under
CI=true. Each makes its own database and drops it afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from seloste.checks.cli import main
from servers import admin_engine, admin_url, as_user, is_postgres, run_as_admin
from snapshot_truth import (
    BINDINGS,
    DUMP,
    NATIVE,
    TEXT,
    TRUTH,
    check,
    errors,
    expected,
    observed,
    sqlite_from_dump,
)


def the_rest_is_exact(findings: list[Any], *lost: str, storage: str = NATIVE) -> None:
    """Every table but ``lost`` gives exactly its ground truth (a server's, by default)."""
    rest = [f for f in findings if f.rule != "SEL001"]
    assert observed(rest) == expected(without=frozenset(lost), storage=storage)


# --- SQLite: the file is never changed, whatever happens -----------------------------------


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}


def test_a_sqlite_file_is_not_changed_by_a_check_that_times_out(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE invoices")  # a fault of its own: a bound table is missing
    conn.close()
    before = _digest(tmp_path)
    messages = errors(check(str(db), timeout=1e-9))
    assert messages[0] == "could not check invoices: the table is not in the snapshot"
    assert {m.split(": ", 1)[1] for m in messages[1:]} == {"the statement ran past the timeout"}
    assert _digest(tmp_path) == before  # same bytes, and no journal or WAL file left behind


def test_a_truncated_sqlite_file_is_not_checked_and_not_changed(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    content = db.read_bytes()
    db.write_bytes(content[: len(content) // 2])
    before = _digest(tmp_path)
    findings = check(str(db))
    assert _digest(tmp_path) == before
    assert findings and {f.rule for f in findings} == {"SEL001"}
    assert all("database disk image is malformed" in f.message for f in findings)


def test_a_wal_database_is_read_without_being_written(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    conn.close()
    before = _digest(tmp_path)
    findings = check(str(db))
    assert _digest(tmp_path) == before
    assert errors(findings) == []
    assert observed(findings) == expected()


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        # a dump loads in one transaction, where SQLite runs no VACUUM (the authorizer would
        # refuse the ATTACH that VACUUM INTO makes, too)
        ("VACUUM INTO '{out}';", "the dump does not load: cannot VACUUM from within a transaction"),
        ("SELECT load_extension('{out}');", "the dump was refused: it uses FUNCTION"),
        ("PRAGMA temp_store_directory = '{dir}';", "the dump was refused: it uses PRAGMA"),
        ("CREATE VIRTUAL TABLE v USING fts5(x);", "the dump was refused: it uses CREATE_VTABLE"),
        ("SELECT writefile('{out}', 'x');", "the dump does not load: no such function"),
    ],
)
def test_a_dump_that_would_write_a_file_is_refused(tmp_path: Path, sql: str, why: str) -> None:
    out = tmp_path / "out.db"
    dump = tmp_path / "bad.sql"
    statement = sql.format(out=out, dir=tmp_path)
    dump.write_text(f"CREATE TABLE t (x TEXT);\nINSERT INTO t VALUES ('a');\n{statement}\n")
    findings = check(str(dump))
    assert [f.rule for f in findings] == ["SEL001"]
    assert findings[0].message.startswith(f"could not check {dump}: {why}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sql"]


def test_a_view_that_calls_a_refused_function_is_one_table_not_checked(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute(f"CREATE VIEW sneaky AS SELECT load_extension('{tmp_path}/x.so') AS id")
    conn.close()
    before = _digest(tmp_path)
    findings = check(str(db))
    assert errors(findings) == ["could not check sneaky: unsafe use of load_extension()"]
    assert _digest(tmp_path) == before
    the_rest_is_exact(findings, storage=TEXT)


# --- servers: down, killed, locked, slow, forbidden -----------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://seloste:pw-down-1@127.0.0.1:1/crm",
        "mysql+pymysql://seloste:pw-down-1@127.0.0.1:1/crm",
    ],
)
def test_a_server_that_is_down_is_an_error_and_the_other_source_is_checked(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--as-of", TRUTH["as_of"]]
    argv += ["--snapshot", url, "--snapshot", str(DUMP), "--format", "json"]
    argv += ["--max-keys", "10000"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    report = json.loads(out)
    down = [f for f in report["findings"] if f["rule"] == "SEL001"]
    assert [f["location"]["source"] for f in down] == [url.replace("pw-down-1", "***")]
    assert down[0]["message"].startswith(f"could not check {url.replace('pw-down-1', '***')}: ")
    rest = {
        (f["rule"], f["location"].get("table"), f["location"].get("table_column"), f.get("rows"))
        for f in report["findings"]
        if f["rule"] != "SEL001"
    }
    assert rest == {row[:4] for row in expected()}  # the dump: text
    assert "pw-down-1" not in out + err


def _on_first_count(url: str, how: str) -> Callable[..., None]:
    """A listener that breaks the checking session just before its first aggregate query:
    ``killed`` by the server (from another session), or ``dropped`` (its socket shut)."""
    import socket

    import sqlalchemy as sa

    admin = admin_engine(url)
    done: list[bool] = []

    def listener(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if done or "count(*)" not in statement:
            return
        done.append(True)
        raw = conn.connection.dbapi_connection
        if how == "dropped":
            fd = raw.fileno() if is_postgres(url) else raw._sock.fileno()
            socket.socket(fileno=os.dup(fd)).shutdown(socket.SHUT_RDWR)
            return
        if is_postgres(url):
            kill, pid = "SELECT pg_terminate_backend(:pid)", raw.info.backend_pid
        else:
            kill, pid = "KILL CONNECTION :pid", raw.thread_id()
        with admin.connect() as other:
            other.execute(sa.text(kill), {"pid": pid})

    return listener


@pytest.mark.parametrize("how", ["killed", "dropped"])
def test_a_session_broken_during_the_check_loses_one_table(server: str, how: str) -> None:
    import sqlalchemy as sa

    listener = _on_first_count(server, how)
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", listener)
    try:
        findings = check(server)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", listener)
    [message] = errors(findings)
    assert message.startswith("could not check customers: ")
    if how == "killed":  # the driver's words for a dropped socket depend on timing
        assert message == f"could not check customers: {KILLED[is_postgres(server)]}"
    the_rest_is_exact(findings, "customers")


KILLED = {
    True: "terminating connection due to administrator command",
    False: "Lost connection to MySQL server during query",
}


def test_a_killed_session_exits_2_and_reports_the_rest(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlalchemy as sa

    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--as-of", TRUTH["as_of"]]
    argv += ["--snapshot", server, "--format", "json", "--max-keys", "10000"]
    listener = _on_first_count(server, "killed")
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", listener)
    try:
        code = main(argv)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", listener)
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [f["location"]["table"] for f in report["findings"] if f["rule"] == "SEL001"] == [
        "customers"
    ]
    rest = {
        (f["rule"], f["location"].get("table"), f["location"].get("table_column"), f.get("rows"))
        for f in report["findings"]
        if f["rule"] != "SEL001"
    }
    assert rest == {row[:4] for row in expected(without=frozenset({"customers"}), storage=NATIVE)}


@contextmanager
def locked(url: str, table: str) -> Iterator[None]:
    """Another session holds ``table`` locked against reading while the block runs."""
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url(url))
    conn = engine.connect()
    try:
        if is_postgres(url):
            conn.execute(sa.text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        else:
            conn.exec_driver_sql(f"LOCK TABLES {table} WRITE")
        yield
    finally:
        if not is_postgres(url):
            conn.exec_driver_sql("UNLOCK TABLES")
        conn.rollback()
        conn.close()
        engine.dispose()


def test_a_locked_table_times_out_and_the_rest_is_checked(server: str) -> None:
    with locked(server, "invoices"):
        findings = check(server, timeout=1)
    assert errors(findings) == [f"could not check invoices: {_timeout_message(server)}"]
    the_rest_is_exact(findings, "invoices")


def _timeout_message(url: str) -> str:
    if is_postgres(url):
        return "canceling statement due to statement timeout"
    return "Query execution was interrupted (max_statement_time exceeded)"


def _slow_invoices(server: str) -> None:
    """``invoices`` becomes a view that sleeps 5 s before it gives its rows."""
    sleep = "pg_sleep(5)" if is_postgres(server) else "SLEEP(5)"
    admin = admin_engine(server)
    with admin.connect() as conn:
        conn.exec_driver_sql("ALTER TABLE invoices RENAME TO invoice_rows")
        conn.exec_driver_sql(
            "CREATE VIEW invoices AS SELECT r.* FROM invoice_rows r "
            f"CROSS JOIN (SELECT {sleep} AS s) AS pause"
        )
    admin.dispose()


def test_a_slow_table_times_out_and_the_rest_is_checked(server: str) -> None:
    """``invoices`` sleeps 5 s; the statement timeout is 1 s."""
    _slow_invoices(server)
    findings = check(server, timeout=1)
    assert f"could not check invoices: {_timeout_message(server)}" in errors(findings)
    # the renamed table is unbound: its own findings are left out, the rest is exact
    kept = [f for f in findings if f.location.table not in ("invoice_rows", "invoices")]
    assert observed(kept) == expected(without=frozenset({"invoices"}), storage=NATIVE)


@pytest.mark.parametrize("given", ["flag", "config"])
def test_the_statement_timeout_option_stops_a_slow_table_and_exits_2(
    server: str, given: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--statement-timeout 1`` or ``statement_timeout: 1`` in seloste.yaml: the slow view is
    SEL001 with the server's own words, the run exits 2, and it ends long before the view
    would have."""
    import time

    _slow_invoices(server)
    argv = ["check", "--format", "json", "--max-keys", "10000"]
    if given == "flag":
        argv += ["--no-config", "--bindings", str(BINDINGS), "--as-of", TRUTH["as_of"]]
        argv += ["--snapshot", server, "--statement-timeout", "1"]
    else:
        config = tmp_path / "seloste.yaml"
        config.write_text(
            json.dumps(
                {
                    "seloste": 1,
                    "kind": "config",
                    "bindings": str(BINDINGS),
                    "snapshots": [server],
                    "as_of": TRUTH["as_of"],
                    "statement_timeout": 1,
                }
            ),
            encoding="utf-8",
        )
        argv += ["--config", str(config), "--allow-outside-root"]
    started = time.monotonic()
    code = main(argv)
    took = time.monotonic() - started
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [f["message"] for f in report["findings"] if f["rule"] == "SEL001"] == [
        f"could not check invoices: {_timeout_message(server)}"
    ]
    assert took < 4.5, took  # the aggregate and the sample of the view were each stopped at 1 s


def test_a_statement_timeout_of_0_is_no_limit_on_the_server(server: str) -> None:
    """0 reaches the server as its own "no limit", not as the smallest limit it has."""
    import sqlalchemy as sa
    from seloste.checks.snapshot.sources import open_source

    source = open_source(server, timeout=0)
    try:
        with source.engine.connect() as conn:
            if is_postgres(server):
                assert conn.execute(sa.text("SHOW statement_timeout")).scalar() == "0"
            else:
                assert conn.execute(sa.text("SELECT @@max_statement_time")).scalar() == 0
    finally:
        source.close()


def test_a_table_the_role_may_not_read_is_an_error_and_the_rest_is_checked(server: str) -> None:
    """On PostgreSQL the table is revoked; on MariaDB one column of it may be read."""
    role = f"seloste_reader_{uuid.uuid4().hex[:8]}"
    database = server.rsplit("/", 1)[1]
    tables = [t for t in _table_names(server) if t != "invoices"]
    if is_postgres(server):
        setup = [
            f"CREATE ROLE {role} LOGIN",
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            *(f"GRANT SELECT ON {t} TO {role}" for t in tables),
        ]
        teardown = [f"DROP OWNED BY {role}", f"DROP ROLE {role}"]
        why = "permission denied for table invoices"
    else:
        setup = [
            f"CREATE USER '{role}'@'%'",
            *(f"GRANT SELECT ON {database}.{t} TO '{role}'@'%'" for t in tables),
            f"GRANT SELECT (id) ON {database}.invoices TO '{role}'@'%'",
        ]
        teardown = [f"DROP USER '{role}'@'%'"]
        why = "SHOW command denied to user '" + role
    run_as_admin(server, setup)
    try:
        findings = check(as_user(server, role))
    finally:
        run_as_admin(server, teardown)
    [message] = errors(findings)
    assert message.startswith(f"could not check invoices: {why}")
    the_rest_is_exact(findings, "invoices")


def _table_names(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        return sorted(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


# --- PostgreSQL: the sampler's second session -------------------------------------------------


def test_the_sampler_sees_the_snapshot_the_aggregates_see(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write committed after the check began, just before the sampler's session takes the
    snapshot, is seen by neither session: the findings are those of the data as it was."""
    import sqlalchemy as sa
    from seloste.checks.snapshot import sampling

    take = sampling.Sampler._import
    admin = admin_engine(postgres)

    def write_then_take(self: Any, conn: Any) -> None:
        with admin.connect() as other:
            other.execute(sa.text("UPDATE contacts SET email = 'no address' WHERE id < 41"))
            other.execute(sa.text("UPDATE customers SET ended_at = NULL"))
        take(self, conn)

    monkeypatch.setattr(sampling.Sampler, "_import", write_then_take)
    try:
        findings = check(postgres)
    finally:
        admin.dispose()
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)


def test_a_sampler_session_broken_mid_sample_loses_one_table(
    postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sampler's session is killed as it samples contacts: contacts is an error, and the
    sampler takes the snapshot again on a new session for the other tables."""
    import threading

    import sqlalchemy as sa
    from seloste.checks.snapshot import sampling

    read = sampling.sample
    admin = admin_engine(postgres)

    def killed_on_contacts(
        ctx: Any, conn: Any, table: str, checks: Any, *rest: Any, **options: Any
    ) -> Any:
        if table == "contacts" and threading.current_thread().name == "seloste-sampler":
            pid = conn.connection.dbapi_connection.info.backend_pid
            with admin.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return read(ctx, conn, table, checks, *rest, **options)

    monkeypatch.setattr(sampling, "sample", killed_on_contacts)
    try:
        findings = check(postgres)
    finally:
        admin.dispose()
    assert errors(findings) == [f"could not check contacts: {KILLED[True]}"]
    the_rest_is_exact(findings, "contacts")
