"""Spark SQL for SQLAlchemy: the same Core statements the other sources run, compiled for Spark
and run by a Spark session through a small DB-API.

The checks are SQLAlchemy Core (checks/snapshot/runner.py, reading.py, sampling.py); this
module lets them run unchanged on Spark. The dialect quotes names with backticks, writes
times as Spark's ``TIMESTAMP`` (an instant) and ``TIMESTAMP_NTZ`` (a wall-clock time), and
sends values as named parameters (``spark.sql(text, args=...)``), never formatted into the
text. The DB-API runs only ``SELECT`` statements: anything else is refused before Spark sees
it. A streamed result (``yield_per``: a sample read in full, many candidates) comes back a
partition at a time (``toLocalIterator``), so the driver holds one partition, never a table;
everything else the checks ask for is small by construction (an aggregate row, ``LIMIT``-ed
keys, at most ``sampling.CANDIDATES`` candidates) and is collected at once.

A statement that runs past the timeout has its jobs cancelled (see ``_Deadline``) and is an
error, never a result.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import default
from sqlalchemy.sql import compiler

NAME = "spark"
# The words a refused statement may start with: this DB-API only reads.
READING = ("SELECT", "WITH")
TIMED_OUT = "the statement ran past the timeout"


# --- the DB-API (PEP 249), as much of it as SQLAlchemy uses ---------------------------------

apilevel = "2.0"
threadsafety = 1
paramstyle = "named"


class Error(Exception):
    pass


class Warning(Exception):  # the name PEP 249 gives it
    pass


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class InternalError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class DataError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


# Spark puts values into some messages ('...' in quotes: a cast that failed on one), and a
# report must not carry them; the plan that may follow the first line is dropped too.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")


def message(exc: BaseException) -> str:
    """Spark's first line about a failure, without quoted values or the SQLSTATE tail."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    text = _QUOTED.sub("'…'", text.split(" SQLSTATE:")[0]).strip()
    return text or type(exc).__name__


class Connection:
    """A Spark session as a DB-API connection; every statement reads, so there is nothing
    to commit or roll back. ``timeout``: seconds a statement may run, 0 for no limit."""

    def __init__(self, session: Any, timeout: float) -> None:
        self.session = session
        self.timeout = timeout

    def cursor(self, stream: bool = False) -> Cursor:
        return Cursor(self, stream)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass  # the session is the source's to stop (checks/snapshot/spark.py)


class _Deadline:
    """Cancels the jobs of one statement once ``timeout`` seconds have passed: by its job
    group in a session of this process (a job group is a property of the calling thread, and
    the timer's thread cancels it by name), by its tag on Spark Connect, where tags travel
    with each request."""

    def __init__(self, session: Any, timeout: float) -> None:
        self.session = session
        self.name = f"seloste-{uuid.uuid4().hex}"
        self.remote = type(session).__module__.startswith("pyspark.sql.connect")
        self.passed = False
        self.timer: threading.Timer | None = None
        if self.remote:
            session.addTag(self.name)
        else:
            session.sparkContext.setJobGroup(self.name, "seloste", interruptOnCancel=True)
        if timeout > 0:
            self.timer = threading.Timer(timeout, self._cancel)
            self.timer.daemon = True
            self.timer.start()

    def _cancel(self) -> None:
        self.passed = True
        if self.remote:
            self.session.interruptTag(self.name)
        else:
            self.session.sparkContext.cancelJobGroup(self.name)

    def end(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.remote:
            self.session.removeTag(self.name)
        else:
            self.session.sparkContext.setLocalProperty("spark.jobGroup.id", None)


class Cursor:
    """One statement's rows: collected at once (an aggregate, bounded keys), or with
    ``stream`` pulled from Spark a partition at a time (SQLAlchemy's ``yield_per``)."""

    arraysize = 500

    def __init__(self, connection: Connection, stream: bool = False) -> None:
        self.connection = connection
        self.stream = stream
        self.description: list[tuple[Any, ...]] | None = None
        self.rowcount = -1
        self._rows: Iterator[Any] = iter(())
        self._deadline: _Deadline | None = None

    def execute(self, operation: str, parameters: Mapping[str, Any] | None = None) -> None:
        if not operation.lstrip().upper().startswith(READING):
            raise ProgrammingError("seloste only reads: a statement other than SELECT refused")
        self.close()
        session = self.connection.session
        args = {name: _value(v) for name, v in (parameters or {}).items()}
        self._deadline = _Deadline(session, self.connection.timeout)
        try:
            frame = session.sql(operation, args=args or None)
            self.description = [(f.name, None, None, None, None, None, True) for f in frame.schema]
            # A collected result runs its jobs here, under the statement's tag, where the
            # deadline interrupts them; a stream runs one job per partition as it is read,
            # and is stopped at the first partition that comes back after the deadline.
            self._rows = iter(frame.toLocalIterator() if self.stream else frame.collect())
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        passed = self._deadline is not None and self._deadline.passed
        self.close()
        raise OperationalError(TIMED_OUT if passed else message(exc)) from None

    def _next(self) -> tuple[Any, ...] | None:
        try:
            row = next(self._rows, None)
        except Exception as exc:
            self._fail(exc)
        if self._deadline is not None and self._deadline.passed:
            # Interrupting stops only the jobs running then: a statement whose jobs began
            # or ended around the deadline has still run past it.
            self.close()
            raise OperationalError(TIMED_OUT)
        if row is None:
            self.close()
            return None
        return tuple(row)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._next()

    def fetchmany(self, size: int | None = None) -> list[tuple[Any, ...]]:
        out = []
        for _ in range(size or self.arraysize):
            row = self._next()
            if row is None:
                break
            out.append(row)
        return out

    def fetchall(self) -> list[tuple[Any, ...]]:
        out = []
        while (row := self._next()) is not None:
            out.append(row)
        return out

    def close(self) -> None:
        self._rows = iter(())
        if self._deadline is not None:
            self._deadline.end()
            self._deadline = None


def _value(value: Any) -> Any:
    """A parameter as Spark takes it: times as text, which the statement casts (the dialect
    puts a CAST around each time parameter), so Python's local time zone never enters."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
            return value.isoformat(sep=" ") + "+00:00"
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- the dialect ------------------------------------------------------------------------------


class SparkIdentifierPreparer(compiler.IdentifierPreparer):
    """Backticks; a schema ``catalog.database`` is two names (Unity Catalog's three levels)."""

    reserved_words = compiler.RESERVED_WORDS | {"limit", "rlike", "timestamp", "date"}

    def __init__(
        self,
        dialect: Any,
        initial_quote: str = "`",
        final_quote: str | None = None,
        escape_quote: str = "`",
        quote_case_sensitive_collations: bool = True,
        omit_schema: bool = False,
    ) -> None:
        super().__init__(
            dialect,
            initial_quote,
            final_quote,
            escape_quote,
            quote_case_sensitive_collations,
            omit_schema,
        )

    def quote_schema(self, schema: str, force: Any = None) -> str:
        return ".".join(self.quote(part) for part in schema.split("."))


class SparkTypeCompiler(compiler.GenericTypeCompiler):
    def visit_DATETIME(self, type_: Any, **kw: Any) -> str:
        return "TIMESTAMP" if getattr(type_, "timezone", False) else "TIMESTAMP_NTZ"

    visit_datetime = visit_TIMESTAMP = visit_DATETIME

    def visit_string(self, type_: Any, **kw: Any) -> str:
        return "STRING"

    visit_VARCHAR = visit_TEXT = visit_text = visit_unicode = visit_string

    def visit_integer(self, type_: Any, **kw: Any) -> str:
        return "BIGINT"

    visit_big_integer = visit_INTEGER = visit_BIGINT = visit_integer

    def visit_float(self, type_: Any, **kw: Any) -> str:
        return "DOUBLE"


# What Spark takes as a parameter's name; SQLAlchemy names some after a column.
_PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SparkCompiler(compiler.SQLCompiler):
    def bindparam_string(self, name: str, *args: Any, **kw: Any) -> str:
        if not kw.get("escaped_from") and not _PARAMETER.fullmatch(name):
            # SQLAlchemy keeps the escaped names apart, should two come out the same.
            kw["escaped_from"] = name
            name = "p_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
        return super().bindparam_string(name, *args, **kw)

    def visit_bindparam(self, bindparam: Any, *args: Any, **kw: Any) -> Any:
        text = super().visit_bindparam(bindparam, *args, **kw)  # type: ignore[no-untyped-call]
        kind = bindparam.type
        if isinstance(kind, sa.DateTime):
            return f"CAST({text} AS {self.dialect.type_compiler_instance.process(kind)})"
        if isinstance(kind, sa.Date):
            return f"CAST({text} AS DATE)"
        return text

    def limit_clause(self, select: Any, **kw: Any) -> str:
        # Spark takes a number here, not a parameter; the runner's limits are its own ints.
        text = ""
        if select._limit is not None:
            text += f"\n LIMIT {int(select._limit)}"
        if select._offset is not None:
            text += f"\n OFFSET {int(select._offset)}"
        return text

    def visit_true(self, expr: Any, **kw: Any) -> str:
        return "true"

    def visit_false(self, expr: Any, **kw: Any) -> str:
        return "false"


class SparkExecutionContext(default.DefaultExecutionContext):
    def create_server_side_cursor(self) -> Any:
        return self._dbapi_connection.cursor(stream=True)


class SparkDialect(default.DefaultDialect):
    name = NAME
    execution_ctx_cls = SparkExecutionContext
    driver = "pyspark"
    statement_compiler = SparkCompiler
    type_compiler_cls = SparkTypeCompiler
    preparer = SparkIdentifierPreparer
    default_paramstyle = "named"
    supports_native_boolean = True
    supports_statement_cache = True
    supports_server_side_cursors = True  # streams: see Cursor
    supports_sane_rowcount = False
    postfetch_lastrowid = False

    @classmethod
    def import_dbapi(cls) -> Any:
        import sys

        return sys.modules[__name__]

    def _get_server_version_info(self, connection: Any) -> Any:
        return None

    def _get_default_schema_name(self, connection: Any) -> Any:
        return None

    def get_isolation_level(self, dbapi_connection: Any) -> Any:
        return "AUTOCOMMIT"  # a statement sees the data as its own scan finds it

    def get_default_isolation_level(self, dbapi_conn: Any) -> Any:
        return "AUTOCOMMIT"

    def do_rollback(self, dbapi_connection: Any) -> None:
        pass

    def do_commit(self, dbapi_connection: Any) -> None:
        pass

    def has_table(self, connection: Any, table_name: str, schema: Any = None, **kw: Any) -> bool:
        raise NotImplementedError("tables are listed by the Spark catalog (spark.py)")


def engine(session: Any, timeout: float) -> sa.Engine:
    """A SQLAlchemy engine whose one connection is ``session``."""
    from sqlalchemy.dialects import registry
    from sqlalchemy.pool import StaticPool

    registry.register(f"seloste_{NAME}", __name__, "SparkDialect")
    raw = Connection(session, timeout)
    return sa.create_engine(f"seloste_{NAME}://", creator=lambda: raw, poolclass=StaticPool)
