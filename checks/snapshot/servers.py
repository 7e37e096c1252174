"""Database servers: a session that only reads, in force before the first statement, and the
refusal of accounts that could write past it.

A read-only session set by a statement comes too late: the SQLAlchemy dialect sends its own
statements first (``select current_schema()``, unqualified), and a role's own
``search_path`` can turn one of them into a call of a function that writes. So PostgreSQL gets
its settings in the connection's startup packet, where they also override the role's and the
database's own (``ALTER ROLE ... SET``), and MariaDB/MySQL in the driver's ``init_command``
and the connect call, before SQLAlchemy sees the connection.

Even a read-only session does not hold back everything: a superuser writes through
``dblink_exec`` or ``COPY ... TO PROGRAM`` in a read-only transaction, and on MariaDB a
function the data calls may switch the session back to read-write. So an account that may
write is refused unless the user says otherwise (``--allow-privileged-role``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from seloste.checks.snapshot import STATEMENT_TIMEOUT
from seloste.checks.snapshot.sources import Unavailable, reason
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

# The drivers whose session set-up below is known to work, for each backend.
DRIVERS = {
    "postgresql": ("psycopg", "psycopg2"),
    "mysql": ("pymysql", "mysqldb"),
    "mariadb": ("pymysql", "mysqldb"),
}
ALLOW = "--allow-privileged-role"
# Run by the MariaDB/MySQL driver as it connects, before anything else is sent on the session.
READ_ONLY_FIRST = "SET SESSION TRANSACTION READ ONLY"
# Privileges that only read (MariaDB/MySQL); any other on the database or the server is more.
_READING = frozenset({"SELECT", "SHOW VIEW", "USAGE", "SHOW DATABASES"})
# PostgreSQL roles whose members write files or run programs on the server, read-only or not.
_PG_WRITERS = ("pg_execute_server_program", "pg_write_server_files")


def engine(url: URL, timeout: float) -> Engine:
    """An engine whose every session is read-only, cancels statements after ``timeout``
    seconds (0: never) and keeps time in UTC, from before its first statement."""
    backend = url.get_backend_name()
    # No statement limit is no reason to wait for ever on a server that does not answer.
    connect_args: dict[str, Any] = {"connect_timeout": max(1, int(timeout or STATEMENT_TIMEOUT))}
    if backend == "postgresql":
        connect_args["options"] = postgres_options(timeout)  # replaces any the URL gives
    created = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=connect_args)
    if backend != "postgresql":
        sa.event.listen(created, "do_connect", _mysql_session(timeout))
    return created


def postgres_options(timeout: float) -> str:
    """libpq ``options``: settings in the startup packet, above ``ALTER ROLE ... SET``.

    ``pg_catalog`` first in ``search_path``, so that no schema the role or the data chose can
    put a function of its own before a built-in one that seloste or SQLAlchemy calls unqualified.
    """
    settings = {
        "default_transaction_read_only": "on",
        "statement_timeout": str(_at_least(round(timeout * 1000), 1, timeout)),
        "search_path": 'pg_catalog,"$user",public',
        "TimeZone": "UTC",
    }
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def _mysql_session(timeout: float) -> Callable[..., Any]:
    """A ``do_connect`` hook: the driver connects read-only (``init_command``), then the
    statement timeout and UTC are set; only then does SQLAlchemy get the connection."""

    def connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        cparams["init_command"] = READ_ONLY_FIRST
        raw = dialect.loaded_dbapi.connect(*cargs, **cparams)
        try:
            cursor = raw.cursor()
            try:
                # MariaDB counts seconds, MySQL milliseconds (of a SELECT)
                if "MariaDB" in raw.get_server_info():
                    limit = ("max_statement_time", _at_least(timeout, 0.001, timeout))
                else:
                    ms = round(timeout * 1000)
                    limit = ("max_execution_time", _at_least(ms, 1, timeout))
                cursor.execute(f"SET SESSION {limit[0]} = %s, time_zone = '+00:00'", (limit[1],))
            finally:
                cursor.close()
        except BaseException:
            raw.close()
            raise
        return raw

    return connect


def _at_least(value: float, smallest: float, timeout: float) -> float:
    """``value`` in a server's unit, where 0 means no limit: 0 only when ``timeout`` is 0, so
    that a tiny timeout is never rounded to none."""
    return 0 if timeout == 0 else max(value, smallest)


def refuse_privileged(source: Engine, database: str | None) -> None:
    """Raise :class:`Unavailable` when the account may do more than read; one session, with
    the read-only settings already in force, reads the catalog for it."""
    try:
        with source.connect() as conn:
            if source.dialect.name == "postgresql":
                why = _postgres_privileges(conn)
            else:
                why = _mysql_privileges(conn, database)
    except (SQLAlchemyError, OSError) as exc:
        raise Unavailable(reason(exc)) from None
    if why:
        raise Unavailable(why)


def _postgres_privileges(conn: Connection) -> str | None:
    # Every name qualified (pg_catalog is first in the search path anyway); SESSION_USER, not
    # current_user: a member of a superuser role may SET ROLE to it.
    query = sa.text(
        "SELECT SESSION_USER, r.rolname, r.rolsuper FROM pg_catalog.pg_roles AS r"
        " WHERE pg_catalog.pg_has_role(SESSION_USER, r.oid, 'MEMBER')"
        " AND (r.rolsuper OR r.rolname = ANY (:writers)) ORDER BY r.rolname"
    )
    rows = conn.execute(query, {"writers": list(_PG_WRITERS)}).all()
    if not rows:
        return None
    user = rows[0][0]
    if any(name == user and superuser for _, name, superuser in rows):
        who = f"the role {user} is a superuser"
    else:
        who = f"the role {user} is a member of {', '.join(name for _, name, _ in rows)}"
    return (
        f"{who}, and a read-only session does not stop all it may do (dblink_exec, "
        "COPY ... TO PROGRAM); check as a role that may only read, such as a member of "
        f"pg_read_all_data, or pass {ALLOW}"
    )


def _mysql_privileges(conn: Connection, database: str | None) -> str | None:
    # SHOW GRANTS, not information_schema: only it lists the privileges of the account's role.
    lines = [str(row[0]) for row in conn.exec_driver_sql("SHOW GRANTS")]
    more = [grant for line in lines for grant in _beyond_reading(line, database)]
    if not more:
        return None
    target = "*" if database is None else _backquote(database)
    return (
        f"the account may do more than read ({'; '.join(dict.fromkeys(more))}), and a "
        "read-only session does not stop all of it; check as an account with only "
        f"GRANT SELECT, SHOW VIEW ON {target}.* TO ..., or pass {ALLOW}"
    )


_QUOTED = re.compile(r"`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'")
_GRANT = re.compile(r"GRANT (?P<privileges>.+?) ON (?P<target>.+?) TO ")
_ROUTINE = re.compile(r"^(?:PROCEDURE|FUNCTION|PACKAGE BODY|PACKAGE) ")


def _beyond_reading(line: str, database: str | None) -> list[str]:
    """``INSERT, UPDATE on `crm`.*`` for a SHOW GRANTS line that gives more than reading on
    the server or on ``database``; nothing for other lines (a role granted, a default role)."""
    quoted: list[str] = []

    def hide(found: re.Match[str]) -> str:
        quoted.append(found.group(0))
        return f"`{len(quoted) - 1}`"

    plain = _QUOTED.sub(hide, line)  # names may hold anything: read the statement without them
    grant = _GRANT.match(plain)
    if grant is None:
        return []
    target = re.sub(r"`(\d+)`", lambda m: quoted[int(m[1])], grant["target"])
    if not _applies(grant["target"], quoted, database):
        return []
    privileges = re.sub(r"\([^()]*\)", "", grant["privileges"])  # column lists
    names = [" ".join(p.split()).upper() for p in privileges.split(",")]
    beyond = [name for name in names if name not in _READING]
    return [f"{', '.join(beyond)} on {target}"] if beyond else []


def _applies(target: str, quoted: list[str], database: str | None) -> bool:
    """Whether a grant's target covers the whole server or ``database`` (its name may be a
    LIKE pattern, as database-level grants allow)."""
    named = re.match(r"`(\d+)`\.", _ROUTINE.sub("", target))
    if named is None:
        return True  # *.*, or a proxy grant: the server
    pattern = quoted[int(named[1])][1:-1].replace("``", "`")
    return database is None or _like(pattern, database)


def _like(pattern: str, name: str) -> bool:
    regex, escaped = [], False
    for char in pattern:
        if escaped or char not in "\\%_":
            regex.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            regex.append(".*" if char == "%" else ".")
    return re.fullmatch("".join(regex), name, flags=re.IGNORECASE | re.DOTALL) is not None


def _backquote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
