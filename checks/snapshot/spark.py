"""Apache Spark as a snapshot source: a session, and where its tables are.

A source names the session and, after ``?``, where the tables are:

- ``spark:local[2]``, ``spark:yarn``, ``spark://host:7077`` (a master URL; ``spark:`` before
  any master), or ``sc://host:15002`` (Spark Connect, with its own ``/;token=...``);
- ``?database=NAME`` (``catalog.schema`` in a three-level catalog such as Unity Catalog): the
  tables of the session's catalog there; a table whose binding names a ``schema`` is read
  from that one. Without it, the session's current database.
- ``?path=DIR``: a directory holding one table per ``NAME.parquet`` (a file or a directory of
  parts, as Spark writes them) or ``NAME.csv`` (with a header row), as the file source does.

The checks run as Spark SQL (checks/snapshot/spark_sql.py). seloste writes nothing: it reads
the catalog, reads files through temporary views it names itself and drops at the end, and
sends only ``SELECT`` statements. A file that cannot be read is an error, not an empty table:
corrupt and missing files are not ignored, and a CSV row that does not parse fails the read.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from seloste.checks.snapshot import spark_parts, spark_sql
from seloste.checks.snapshot.sources import Source, TableInfo, Unavailable, table_files
from sqlalchemy.engine import Connection

LOOPBACK = "127.0.0.1"
# Session settings that keep a fault from passing as a clean table (they are session
# settings, not data: a file Spark would skip is an error instead).
STRICT = {
    "spark.sql.files.ignoreCorruptFiles": "false",
    "spark.sql.files.ignoreMissingFiles": "false",
}


@dataclass(frozen=True)
class Where:
    """A Spark source taken apart: the session (``master`` or ``remote``) and the tables."""

    master: str | None
    remote: str | None
    database: str | None
    path: Path | None


def parse(text: str) -> Where:
    """The parts of a Spark source, or :class:`Unavailable` saying what is wrong."""
    session, options = spark_parts(text)
    unknown = sorted(set(options) - {"database", "path"})
    if unknown:
        raise Unavailable(f"unknown Spark source option {unknown[0]!r}; use database= or path=")
    if "database" in options and "path" in options:
        raise Unavailable("give database= or path=, not both")
    database = options.get("database") or None
    path = Path(options["path"]) if options.get("path") else None
    if session.startswith("sc://"):
        return Where(None, session, database, path)
    master = session.removeprefix("spark:") if not session.startswith("spark://") else session
    if not master:
        raise Unavailable("no Spark master; write spark:local[2], spark://host:7077 or sc://...")
    return Where(master, None, database, path)


@dataclass
class SparkSource(Source):
    """A Spark session's tables; ``file_views`` maps each file's table to its temporary view."""

    session: Any = None
    where: Where | None = None
    file_views: dict[str, str] = field(default_factory=dict)
    owned: bool = False  # seloste started the session, so it stops it

    def _database(self, schema: str | None) -> str | None:
        return schema or (self.where.database if self.where else None)

    def table_names(self, conn: Connection, schema: str | None) -> set[str]:
        if self.where is not None and self.where.path is not None:
            return set(self.file_views) | set(self.broken)
        database = self._database(schema)
        try:
            tables = self.session.catalog.listTables(dbName=database)
        except Exception as exc:
            raise _failed(exc) from None
        return {t.name for t in tables if not t.isTemporary}

    def describe(self, conn: Connection, name: str, schema: str | None) -> TableInfo:
        if name in self.broken:
            raise Unavailable(self.broken[name])
        quote = self.engine.dialect.identifier_preparer
        if name in self.file_views:
            view, where = self.file_views[name], None
        else:
            view, where = name, self._database(schema)
        qualified = quote.quote(view) if where is None else f"{quote.quote_schema(where)}."
        if where is not None:
            qualified += quote.quote(view)
        try:
            fields = self.session.table(qualified).schema.fields
        except Exception as exc:
            raise Unavailable(spark_sql.message(exc)) from None
        return TableInfo(view, where, {f.name: column_type(f.dataType) for f in fields})

    def close(self) -> None:
        for view in self.file_views.values():
            # A view that cannot be dropped (the session is gone) has nothing left to drop,
            # and the findings are made already: not a reason to lose them.
            with contextlib.suppress(Exception):
                self.session.catalog.dropTempView(view)
        self.engine.dispose()
        if self.owned:
            self.session.stop()


def _failed(exc: BaseException) -> sa.exc.OperationalError:
    """A Spark failure outside a statement, as the database error the runner reports."""
    return sa.exc.OperationalError(None, None, spark_sql.OperationalError(spark_sql.message(exc)))


def column_type(kind: Any) -> Any:
    """The SQLAlchemy type of a Spark column type, as far as the checks care."""
    name = type(kind).__name__
    simple: dict[str, Any] = {
        "StringType": sa.String(),
        "VarcharType": sa.String(),
        "CharType": sa.String(),
        "BooleanType": sa.Boolean(),
        "DateType": sa.Date(),
        "TimestampType": sa.DateTime(timezone=True),
        "TimestampNTZType": sa.DateTime(),
        "ByteType": sa.Integer(),
        "ShortType": sa.Integer(),
        "IntegerType": sa.Integer(),
        "LongType": sa.BigInteger(),
        "FloatType": sa.Float(),
        "DoubleType": sa.Float(),
        "DecimalType": sa.Numeric(),
        "BinaryType": sa.LargeBinary(),
    }
    # Arrays, maps and structs hold no value a rule reads: "other" (reading.storage).
    return simple.get(name, sa.JSON())


def open_spark(text: str, timeout: float) -> Source:
    """Open a Spark source read-only, or raise :class:`Unavailable` saying why not."""
    where = parse(text)
    if where.path is not None and not where.path.is_dir():
        raise Unavailable(f"{where.path} is not a directory")
    session, owned = _session(where)
    engine = spark_sql.engine(session, timeout)
    source = SparkSource(engine, session=session, where=where, owned=owned)
    try:
        for name, value in STRICT.items():
            session.conf.set(name, value)
        if where.path is not None:
            _read_files(source, where.path)
        elif where.database is not None and not session.catalog.databaseExists(where.database):
            raise Unavailable(f"the database {where.database} is not in the Spark catalog")
    except Unavailable:
        source.close()
        raise
    except Exception as exc:
        source.close()
        raise Unavailable(spark_sql.message(exc)) from None
    return source


def _session(where: Where) -> tuple[Any, bool]:
    """The session to read with, and whether seloste started it (and so must stop it)."""
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise Unavailable("PySpark is not installed; install seloste[spark]") from None
    try:
        if where.remote is not None:
            return _connect(where.remote), False
        master = where.master or "local[2]"
        running = SparkContext._active_spark_context is not None
        builder = SparkSession.builder.master(master).appName("seloste")
        builder = builder.config("spark.ui.showConsoleProgress", "false")  # stderr is ours
        if master.startswith("local") and not running:
            # Local mode needs no network: the driver listens on loopback only, with no UI.
            os.environ.setdefault("SPARK_LOCAL_IP", LOOPBACK)
            builder = (
                builder.config("spark.driver.bindAddress", LOOPBACK)
                .config("spark.driver.host", LOOPBACK)
                .config("spark.ui.enabled", "false")
            )
        session = builder.getOrCreate()
        if not running:
            session.sparkContext.setLogLevel("ERROR")
        return session, not running
    except Exception as exc:
        raise Unavailable(f"Spark could not start: {spark_sql.message(exc)}") from None


def _connect(remote: str) -> Any:
    """A Spark Connect session. Its own class, not ``SparkSession.builder.remote``: that
    refuses to start while a session of this process runs (a notebook's, a test's)."""
    try:
        from pyspark.sql.connect.session import SparkSession as ConnectSession
    except ImportError:
        raise Unavailable(
            "the Spark Connect client is not installed; install seloste[spark-connect]"
        ) from None
    return ConnectSession.builder.remote(remote).getOrCreate()


def _read_files(source: SparkSource, directory: Path) -> None:
    """A temporary view over each table's file (or directory of parts), named by seloste so
    that it cannot replace a view of the session's; a file that cannot be read is noted."""
    run = uuid.uuid4().hex[:12]
    tables, refused = table_files(directory, parts=True)
    source.broken.update(refused)
    for name, reader, path in tables:
        try:
            frame = _frame(source.session, str(path.resolve()), reader)
            view = f"seloste_{run}_{name}"
            frame.createTempView(view)
            source.file_views[name] = view
        except Exception as exc:
            source.broken[name] = f"{path.name} cannot be read: {spark_sql.message(exc)}"


def _frame(session: Any, path: str, reader: str) -> Any:
    if reader == "parquet":
        return session.read.parquet(path)
    # Numbers and booleans typed, everything else text, as the file source reads CSV: Spark's
    # guess of a time format would turn a value it cannot read into NULL, which seloste must
    # see as it is (checks/snapshot/reading.py).
    read = session.read.options(header="true", mode="FAILFAST", multiLine="true", escape='"')
    guessed = read.options(inferSchema="true").csv(path).schema
    from pyspark.sql.types import StringType, StructField, StructType

    text = ("DateType", "TimestampType", "TimestampNTZType")
    schema = StructType(
        [
            StructField(f.name, StringType()) if type(f.dataType).__name__ in text else f
            for f in guessed.fields
        ]
    )
    return read.schema(schema).csv(path)
