"""Read-only, proven: a role that may write still cannot through seloste, an account that could
write past a read-only session is refused, seloste runs nothing but its session setup and
SELECTs, and hostile table and column names are only ever quoted.

Server tests use the ``server`` fixture (tests/conftest.py): PostgreSQL and MariaDB, skipped
without them, failing under CI=true. seloste connects as a role that may only read
(tests/servers.py) unless a test says otherwise.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from servers import (
    SERVERS,
    admin_url,
    as_user,
    is_postgres,
    run_as_admin,
    scratch_database,
    writer,
)
from snapshot_truth import AS_OF, FIXTURE, NATIVE, check, errors, expected, observed

# What each attempt through seloste's own connection must be answered with.
READ_ONLY = {
    "postgresql": "read-only transaction",
    "mariadb": "Cannot execute statement in a READ ONLY transaction",
}
WRITES = (
    "DELETE FROM customers",
    "UPDATE customers SET org_name = 'x'",
    "INSERT INTO server_stats (id) VALUES (-1)",
)


def _row_count(url: str, table: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_a_role_that_may_write_still_cannot_through_seloste(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of seloste's sessions (on PostgreSQL also the sampler's, in its own thread) is
    asked to write before it first reads a table. MariaDB refuses to check as an account
    with write grants unless told to (PostgreSQL refuses only superusers and the like), so
    there the check is run with ``--allow-privileged-role``, after the refusal."""
    import sqlalchemy as sa
    from seloste.checks.snapshot import runner, sampling

    backend = "postgresql" if is_postgres(server) else "mariadb"
    with writer(server) as url:
        database = server.rsplit("/", 1)[1]
        if backend == "mariadb":
            assert errors(check(url)) == [
                f"could not check {url}: the account may do more than read (INSERT, UPDATE, "
                f"DELETE on `{database}`.*), and a read-only session does not stop all of it; "
                "check as an account with only GRANT SELECT, SHOW VIEW ON "
                f"`{database}`.* TO ..., or pass --allow-privileged-role"
            ]
        # The role can write: outside seloste the same statements succeed (rolled back).
        plain = sa.create_engine(url)
        with plain.connect() as conn:
            for statement in WRITES:
                conn.execute(sa.text(statement))
            conn.rollback()
        plain.dispose()
        before = {t: _row_count(server, t) for t in ("customers", "server_stats")}

        refused: list[str] = []
        sessions: set[int] = set()

        def writes_first(read: Any) -> Any:
            def attempt(ctx: Any, conn: Any, *args: Any, **options: Any) -> Any:
                session = id(conn.connection.dbapi_connection)
                if session not in sessions:
                    sessions.add(session)
                    for statement in WRITES:
                        try:
                            with conn.begin_nested():
                                conn.execute(sa.text(statement))
                        except sa.exc.DBAPIError as exc:
                            refused.append(str(exc.orig))
                        else:
                            refused.append(f"ACCEPTED: {statement}")
                return read(ctx, conn, *args, **options)

            return attempt

        monkeypatch.setattr(runner, "_count", writes_first(runner._count))
        monkeypatch.setattr(sampling, "sample", writes_first(sampling.sample))
        findings = check(url, allow_privileged_role=backend == "mariadb")
    assert len(sessions) == (2 if backend == "postgresql" else 1)
    assert len(refused) == len(WRITES) * len(sessions)
    assert all(READ_ONLY[backend] in message for message in refused), refused
    assert errors(findings) == []
    assert observed(findings) == expected(storage=NATIVE)
    assert {t: _row_count(server, t) for t in before} == before


# --- what seloste sends: counted at the driver, below SQLAlchemy ----------------------------


@contextmanager
def statements_sent(backend: str) -> Iterator[list[tuple[int, str]]]:
    """Every statement the driver sends while the block runs, session setup included, with
    the session (the driver connection) that sent it; on PostgreSQL, each session's startup
    options are recorded as ``(session, "startup options: ...")`` when it connects."""
    sent: list[tuple[int, str]] = []
    sessions: list[Any] = []  # kept alive, so that no two sessions share an id()
    if backend == "postgresql":
        import psycopg

        classes: list[Any] = [psycopg.Cursor, psycopg.ServerCursor]
        module: Any = psycopg
    else:
        import pymysql
        import pymysql.cursors

        classes = [pymysql.cursors.Cursor]  # SSCursor, for streaming, inherits execute
        module = pymysql
    originals = [cls.execute for cls in classes]
    connect = module.connect

    def recording(original: Any) -> Any:
        def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            text = query.as_string(self.connection) if hasattr(query, "as_string") else query
            sessions.append(self.connection)
            sent.append((id(self.connection), " ".join(str(text).split())))
            return original(self, query, *args, **kwargs)

        return execute

    def connecting(*args: Any, **kwargs: Any) -> Any:
        session = connect(*args, **kwargs)
        sessions.append(session)
        if backend == "postgresql":
            sent.append((id(session), f"startup options: {kwargs.get('options')}"))
        return session

    for cls, original in zip(classes, originals, strict=True):
        cls.execute = recording(original)
    module.connect = connecting
    try:
        yield sent
    finally:
        for cls, original in zip(classes, originals, strict=True):
            cls.execute = original
        module.connect = connect


TIMEOUT = 60
# What each session starts with, before anything else: PostgreSQL's settings travel in the
# startup packet (tests/test_snapshot_servers.py shows they hold over the role's own),
# MariaDB's are the driver's init_command and seloste's next statement.
SETUP = {
    "postgresql": [
        "startup options: -c default_transaction_read_only=on -c statement_timeout=60000"
        ' -c search_path=pg_catalog,"$user",public -c TimeZone=UTC'
    ],
    "mariadb": [
        "SET SESSION TRANSACTION READ ONLY",
        "SET SESSION max_statement_time = %s, time_zone = '+00:00'",
    ],
}
# What the SQLAlchemy dialect asks on connecting (versions and settings, all reads).
DIALECT = {
    "postgresql": re.compile(
        r"^(select pg_catalog\.version\(\)|select current_schema\(\)"
        r"|show transaction isolation level|show standard_conforming_strings"
        r"|SELECT typname AS name, oid, typarray .* FROM pg_type t WHERE .*)$"
    ),
    "mariadb": re.compile(
        r"^(SET NAMES utf8mb4|SELECT VERSION\(\)|SELECT DATABASE\(\)|SELECT @@[a-z_]+)$"
    ),
}
# The account's privileges, read once before the check (checks/snapshot/servers.py).
PRIVILEGES = {
    "postgresql": re.compile(r"^SELECT SESSION_USER, r\.rolname, r\.rolsuper FROM pg_catalog\."),
    "mariadb": re.compile(r"^SHOW GRANTS$"),
}
# Reflection: the catalog (PostgreSQL) or SHOW (MariaDB), never a table's rows.
CATALOG = {
    "postgresql": re.compile(r"^SELECT (?!.* FROM (?!pg_catalog\.)[a-z_]+ AS s0).*pg_catalog\."),
    "mariadb": re.compile(r"^SHOW (FULL TABLES FROM|CREATE TABLE) `[a-z0-9_]+`$"),
}
# A query over the snapshot's rows, as the runner builds them: aliased s0, s1, ...
DATA = re.compile(r"^SELECT [^;]* FROM (?P<table>[a-z_]+) AS s0( [^;]*)?$")
# The sampler's key range, each end its own subquery over the table's rows (sampling.py).
KEY_RANGE = re.compile(
    r"^SELECT \(SELECT min\((?P<key>s0\.[a-z_]+)\) AS min_1 FROM (?P<table>[a-z_]+) AS s0\)"
    r" AS anon_1, \(SELECT max\((?P=key)\) AS max_1 FROM (?P=table) AS s0\) AS anon_2$"
)
# PostgreSQL: the first session exports its snapshot, the sampler's session takes it.
SNAPSHOT = re.compile(r"^(SELECT pg_export_snapshot\(\)|SET TRANSACTION SNAPSHOT '[0-9A-F-]+')$")


def _census(backend: str, sent: list[str]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {"setup": [], "dialect": [], "privileges": [], "catalog": []}
    kinds |= {"data": [], "snapshot": [], "other": []}
    for statement in sent:
        if statement in SETUP[backend]:
            kinds["setup"].append(statement)
        elif DIALECT[backend].match(statement):
            kinds["dialect"].append(statement)
        elif PRIVILEGES[backend].match(statement):
            kinds["privileges"].append(statement)
        elif CATALOG[backend].match(statement):
            kinds["catalog"].append(statement)
        elif DATA.match(statement) or KEY_RANGE.match(statement):
            kinds["data"].append(statement)
        elif backend == "postgresql" and SNAPSHOT.match(statement):
            kinds["snapshot"].append(statement)
        else:
            kinds["other"].append(statement)
    return kinds


def test_seloste_sends_only_its_setup_and_selects(server: str) -> None:
    backend = "postgresql" if is_postgres(server) else "mariadb"
    with statements_sent(backend) as sent:
        findings = check(server, timeout=TIMEOUT)
    assert observed(findings) == expected(storage=NATIVE)
    kinds = _census(backend, [statement for _, statement in sent])
    assert kinds["other"] == []
    # Sessions: one reads the account's privileges, one checks, and on PostgreSQL a third
    # samples in the second one's snapshot. Each starts read-only, before its first statement.
    sessions = list(dict.fromkeys(session for session, _ in sent))
    assert len(sessions) == (3 if backend == "postgresql" else 2)
    own = [[statement for s, statement in sent if s == session] for session in sessions]
    for statements in own:
        assert statements[: len(SETUP[backend])] == SETUP[backend]
        assert [x for x in statements if x in SETUP[backend]] == SETUP[backend]
    privileged, main, *sampler = own
    # the first session reads the privileges and nothing more (the dialect's reads aside)
    assert len(kinds["privileges"]) == 1
    rest = [x for x in privileged if x not in SETUP[backend] and not DIALECT[backend].match(x)]
    assert rest == kinds["privileges"]
    if backend == "postgresql":
        assert [x for x in main if SNAPSHOT.match(x)] == ["SELECT pg_export_snapshot()"]
        taken = [x for x in sampler[0] if x not in SETUP[backend]]
        assert SNAPSHOT.match(taken[0]) and taken[0].startswith("SET TRANSACTION SNAPSHOT")
    # the planned SELECTs, counted: one aggregate per table with checks (the 8 bound ones and
    # the 2 nobody bound); one bounded key query per row finding (a full-scan finding's keys
    # come with its candidates); one candidate search per table (each has text columns); one
    # streamed sample per table with value checks, each small enough to be read in full (the
    # sampler on PostgreSQL does not know that and asks the key's bounds first)
    tables = 10
    truth = expected(storage=NATIVE)
    keyed = sum(1 for row in truth if row[5] is None and row[3] and row[0] != "SNP003")
    sampled = 8 * (2 if backend == "postgresql" else 1)
    aggregates = [s for s in kinds["data"] if s.startswith("SELECT count(*)")]
    assert len(aggregates) == tables
    assert len(kinds["data"]) == tables + keyed + tables + sampled


# --- accounts that could write past a read-only session -----------------------------------


REFUSED_PG = (
    "{who}, and a read-only session does not stop all it may do (dblink_exec, COPY ... TO "
    "PROGRAM); check as a role that may only read, such as a member of pg_read_all_data, or "
    "pass --allow-privileged-role"
)
REFUSED_MY = (
    "the account may do more than read ({what}), and a read-only session does not stop all "
    "of it; check as an account with only GRANT SELECT, SHOW VIEW ON `{database}`.* TO ..., "
    "or pass --allow-privileged-role"
)
# Each kind of PostgreSQL role seloste refuses: its set-up and who it is said to be.
PRIVILEGED_ROLES = {
    "superuser": (["CREATE ROLE {role} LOGIN SUPERUSER"], "the role {role} is a superuser"),
    "member of a superuser role": (
        [
            "CREATE ROLE {role}_su SUPERUSER",
            "CREATE ROLE {role} LOGIN IN ROLE pg_read_all_data, {role}_su",
        ],
        "the role {role} is a member of {role}_su",
    ),
    "server programs": (
        ["CREATE ROLE {role} LOGIN IN ROLE pg_read_all_data, pg_execute_server_program"],
        "the role {role} is a member of pg_execute_server_program",
    ),
    "server files": (
        ["CREATE ROLE {role} LOGIN IN ROLE pg_read_all_data, pg_write_server_files"],
        "the role {role} is a member of pg_write_server_files",
    ),
}


@pytest.mark.parametrize("kind", list(PRIVILEGED_ROLES))
def test_a_postgres_role_that_could_write_anyway_is_refused(postgres: str, kind: str) -> None:
    """Refused before any table is read, in one line that names what to use instead; allowed
    by ``--allow-privileged-role``, the same role gets the exact findings."""
    role = f"seloste_priv_{uuid.uuid4().hex[:8]}"
    setup, who = PRIVILEGED_ROLES[kind]
    run_as_admin(postgres, [s.format(role=role) for s in setup])
    url = as_user(postgres, role)
    try:
        with statements_sent("postgresql") as sent:
            findings = check(url)
        allowed = check(url, allow_privileged_role=True)
    finally:
        run_as_admin(postgres, [f"DROP ROLE {role}", f"DROP ROLE IF EXISTS {role}_su"])
    assert errors(findings) == [
        f"could not check {url}: " + REFUSED_PG.format(who=who.format(role=role))
    ]
    assert len(findings) == 1
    kinds = _census("postgresql", [statement for _, statement in sent])
    assert (len(kinds["privileges"]), kinds["catalog"], kinds["data"]) == (1, [], [])
    assert errors(allowed) == []
    assert observed(allowed) == expected(storage=NATIVE)


# Each kind of MariaDB grant that is more than reading: the grants (beside SELECT and SHOW
# VIEW on the database) and how the refusal names them. {db} is the database checked.
PRIVILEGED_GRANTS = {
    "FILE": (["GRANT FILE ON *.* TO {user}"], "FILE on *.*"),
    "SUPER": (["GRANT SUPER ON *.* TO {user}"], "SUPER on *.*"),
    "database": (
        ["GRANT CREATE, DROP, ALTER ON {db}.* TO {user}"],
        "CREATE, DROP, ALTER on `{db}`.*",
    ),
    "table": (["GRANT UPDATE ON {db}.customers TO {user}"], "UPDATE on `{db}`.`customers`"),
    "column": (["GRANT INSERT (id) ON {db}.customers TO {user}"], "INSERT on `{db}`.`customers`"),
    "pattern": (["GRANT DELETE ON `{prefix}%`.* TO {user}"], "DELETE on `{prefix}%`.*"),
    "role": (
        [
            "CREATE ROLE {name}_r",
            "GRANT INSERT ON {db}.* TO {name}_r",
            "GRANT {name}_r TO {user}",
            "SET DEFAULT ROLE {name}_r FOR {user}",
        ],
        "INSERT on `{db}`.*",
    ),
    "elsewhere": (["GRANT ALL ON `{name}_other`.* TO {user}"], None),  # not this database
}


@pytest.mark.parametrize("kind", list(PRIVILEGED_GRANTS))
def test_a_mariadb_account_that_may_write_is_refused(mariadb: str, kind: str) -> None:
    name = f"seloste_priv_{uuid.uuid4().hex[:8]}"
    user, db = f"'{name}'@'%'", mariadb.rsplit("/", 1)[1]
    grants, what = PRIVILEGED_GRANTS[kind]
    fields = {"user": user, "name": name, "db": db, "prefix": db[:-4]}
    setup = [f"CREATE USER {user}", f"GRANT SELECT, SHOW VIEW ON {db}.* TO {user}"]
    run_as_admin(mariadb, setup + [g.format(**fields) for g in grants])
    url = as_user(mariadb, name)
    try:
        with statements_sent("mariadb") as sent:
            findings = check(url)
        allowed = check(url, allow_privileged_role=True)
    finally:
        run_as_admin(mariadb, [f"DROP USER {user}", f"DROP ROLE IF EXISTS {name}_r"])
    if what is None:  # write grants on another database only: checked as usual
        assert errors(findings) == []
        assert observed(findings) == expected(storage=NATIVE)
        return
    refusal = REFUSED_MY.format(what=what.format(**fields), database=db)
    assert errors(findings) == [f"could not check {url}: {refusal}"]
    assert len(findings) == 1
    kinds = _census("mariadb", [statement for _, statement in sent])
    assert (len(kinds["privileges"]), kinds["catalog"], kinds["data"]) == (1, [], [])
    assert errors(allowed) == []
    assert observed(allowed) == expected(storage=NATIVE)


def test_a_role_search_path_runs_nothing_before_the_session_is_read_only(postgres: str) -> None:
    """A role that may write sets its own ``search_path`` to a schema with a function named
    like one the driver's dialect calls unqualified on connecting (``current_schema()``);
    the function writes through dblink, which no rollback undoes. Outside seloste connecting
    alone calls it; through seloste it is never called, and the findings are exact."""
    import sqlalchemy as sa

    database = postgres.rsplit("/", 1)[1]
    loopback = f"host=127.0.0.1 port=5432 dbname={database} user=postgres"
    with writer(postgres) as url:
        role = sa.make_url(url).username
        run_as_admin(
            postgres,
            [
                "CREATE EXTENSION dblink",
                "CREATE SCHEMA trap",
                "CREATE TABLE trap.calls (at timestamptz DEFAULT now())",
                "CREATE FUNCTION trap.current_schema() RETURNS name LANGUAGE plpgsql "
                "SECURITY DEFINER SET search_path = pg_catalog, public AS $$ BEGIN "
                f"PERFORM dblink_exec('{loopback}', 'INSERT INTO trap.calls DEFAULT VALUES'); "
                "RETURN 'public'; END $$",
                f"GRANT USAGE ON SCHEMA trap TO {role}",
                f"ALTER ROLE {role} SET search_path = trap, pg_catalog, public",
            ],
        )
        plain = sa.create_engine(url)
        plain.connect().close()  # the trap works: SQLAlchemy's dialect calls it on connecting
        plain.dispose()
        assert _row_count(postgres, "trap.calls") == 1
        run_as_admin(postgres, ["TRUNCATE trap.calls"])
        findings = check(url)
        calls = _row_count(postgres, "trap.calls")
    assert calls == 0
    assert errors(findings) == []
    # the trap schema's table is one nobody declared: its own finding, the rest is exact
    assert observed([f for f in findings if f.location.table != "calls"]) == expected(
        storage=NATIVE
    )


# --- hostile identifiers --------------------------------------------------------------------

# Names a policy's bindings may give: quotes of every kind, statement ends, comments, spaces,
# percent signs (driver parameters) and non-ASCII letters. MariaDB allows only the BMP in
# identifiers and at most 64 characters, so every name stays within both.
NAMES = {
    "customers": 'asiakas"; DROP TABLE victim; --',
    "contacts": "yhteys'tiedot `ä` ö",
    "id": "tunnus -- id",
    "org": "nimi; DELETE FROM victim",
    "created": 'luotu "aika" %s',
    "ended": "päättyi /* end */",
    "opt_out": "kielto'",
    "restricted": "rajoitettu %(x)s",
    "note": "huom\\' OR 1=1",
    "customer": 'asiakas "id"; --',
    "email": "säh`köposti",
}
PLAIN = {name: name for name in NAMES}


def _bindings(tmp_path: Path, names: dict[str, str]) -> Path:
    """Bindings of the two tables under ``names``, to the K-Systems policy."""
    n = {key: json.dumps(value, ensure_ascii=False) for key, value in names.items()}
    text = f"""seloste: 1
kind: bindings
policy: {FIXTURE / "policy.yaml"}
tables:
  {n["customers"]}:
    register: customer_register
    key: {n["id"]}
    columns: {{{n["org"]}: organisation_name}}
    collected_at: {n["created"]}
    relationship_end: {n["ended"]}
    marketing_opt_out: {n["opt_out"]}
    restricted: {n["restricted"]}
  {n["contacts"]}:
    register: customer_register
    key: {n["id"]}
    subject: {{table: {n["customers"]}, column: {n["customer"]}}}
    columns: {{{n["email"]}: email}}
ignore_tables: [victim]
"""
    path = tmp_path / f"bindings-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _create(url: str, names: dict[str, str]) -> None:
    """The two tables (three customers, three contacts) under ``names``, and a victim table;
    made by the administrator on a server."""
    import sqlalchemy as sa

    if not url.startswith("sqlite"):
        url = admin_url(url)
    n = names
    metadata = sa.MetaData()
    when = sa.DateTime(timezone=not url.startswith("mysql"))
    customers = sa.Table(
        n["customers"],
        metadata,
        sa.Column(n["id"], sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(n["org"], sa.String(100)),
        sa.Column(n["created"], when),
        sa.Column(n["ended"], when),
        sa.Column(n["opt_out"], sa.Boolean),
        sa.Column(n["restricted"], sa.Boolean),
        sa.Column(n["note"], sa.String(100)),
    )
    contacts = sa.Table(
        n["contacts"],
        metadata,
        sa.Column(n["id"], sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(n["customer"], sa.Integer),
        sa.Column(n["email"], sa.String(100)),
    )
    victim = sa.Table("victim", metadata, sa.Column("id", sa.Integer, primary_key=True))

    def at(year: int, month: int) -> datetime:
        moment = datetime(year, month, 1, tzinfo=UTC)
        return moment.replace(tzinfo=None) if url.startswith("mysql") else moment

    rows = [
        (1, "Alpha Oy", at(2020, 1), at(2025, 1), False, False, "maksaa myöhässä"),
        (2, "Beta Oy", at(2021, 1), None, True, False, None),
        (3, "Gamma Ky", at(2022, 1), at(2026, 10), False, True, "VIP"),
    ]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(
            customers.insert(), [dict(zip(customers.c.keys(), r, strict=True)) for r in rows]
        )
        people = [(10, 1, "a@alpha.fi"), (11, 2, "b@beta.fi"), (12, 1, "c@alpha.fi")]
        conn.execute(
            contacts.insert(), [dict(zip(contacts.c.keys(), r, strict=True)) for r in people]
        )
        conn.execute(victim.insert(), [{"id": 1}])
    engine.dispose()


def _findings(url: str, bindings: Path, names: dict[str, str]) -> set[tuple[Any, ...]]:
    """The findings, with table and column names mapped back to their plain names."""
    from seloste.checks.context import BoundPolicy
    from seloste.checks.snapshot import check_snapshot
    from seloste.policy.loader import load_bindings, load_policy

    plain = {v: k for k, v in names.items()}
    loaded = load_bindings(bindings)
    bound = BoundPolicy(load_policy(FIXTURE / "policy.yaml"), loaded)
    found = check_snapshot(bound, url, as_of=AS_OF, sample=5000, max_keys=10)
    return {
        (
            f.rule,
            plain.get(f.location.table or "", f.location.table),
            plain.get(f.location.table_column or "", f.location.table_column),
            f.rows,
            f.row_keys,
        )
        for f in found
    }


# What the two tables break, in plain names: Alpha ended in January 2025, more than the
# three months ago the policy allows, so it and its two contacts are overdue; the note column
# is in no binding (two values); no other rule has anything to say about three rows, but for
# the note that the policy's special categories and criminal offences have no value test.
TRUTH = {
    ("SNP004", "customers", "ended", 1, ("1",)),
    ("SNP004", "contacts", "customer", 2, ("10", "12")),
    ("SNP001", "customers", "note", 2, ("1", "3")),
    ("SNP011", None, None, None, ()),
}


@contextmanager
def _sqlite(tmp_path: Path) -> Iterator[str]:
    path = tmp_path / f"db-{uuid.uuid4().hex[:6]}.sqlite"
    yield f"sqlite:///{path}"


@contextmanager
def _database(which: str, tmp_path: Path, require_server: Any) -> Iterator[str]:
    if which == "sqlite":
        with _sqlite(tmp_path) as url:
            yield url
        return
    admin, what, port, driver = SERVERS[which]
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin, snapshot=False) as url:
        yield url


@pytest.mark.parametrize("which", ["sqlite", "postgresql", "mariadb"])
def test_hostile_names_are_quoted_and_give_the_same_findings(
    which: str, tmp_path: Path, require_server: Any
) -> None:
    results = []
    for names in (PLAIN, NAMES):
        with _database(which, tmp_path, require_server) as url:
            _create(url, names)
            results.append(_findings(url, _bindings(tmp_path, names), names))
            assert _row_count(url, "victim") == 1
    assert results == [TRUTH, TRUTH]


def test_the_hostile_names_reach_sqlite_as_names(tmp_path: Path) -> None:
    """The tables really carry the hostile names (the test above cannot pass on plain ones)."""
    with _sqlite(tmp_path) as url:
        _create(url, NAMES)
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
    assert tables == {NAMES["customers"], NAMES["contacts"], "victim"}
