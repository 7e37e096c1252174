"""Open a snapshot read-only, whatever it is: a SQLite file or dump, a database URL, or files.

Every source becomes a SQLAlchemy engine plus a way to list and describe its tables, so the
checks are written once. Nothing here writes: SQLite files open with ``mode=ro``, dumps load
into memory behind an authorizer that refuses ATTACH (checks/snapshot/dump.py), servers get a
read-only session with a statement timeout (checks/snapshot/servers.py), and CSV or Parquet
files are only ever read through DuckDB views.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

import sqlalchemy as sa
from seloste.checks.snapshot import is_spark
from seloste.policy.files import not_regular
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# The extra that installs each backend's driver, for the "not installed" message.
EXTRAS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "duckdb": "duckdb"}
# Database servers seloste opens, each in a read-only session with a statement timeout.
SERVERS = ("postgresql", "mysql", "mariadb")
# The driver used when a URL names none: the one the extra installs.
DEFAULT_DRIVERS = {"postgresql": "psycopg", "postgres": "psycopg", "mysql": "pymysql"}
DEFAULT_DRIVERS["mariadb"] = "pymysql"
_SECRET_PARAMS = ("password", "passwd", "pwd", "sslpassword", "secret", "token")
FILE_KINDS = {".csv": "csv", ".parquet": "parquet", ".csv.gz": "csv"}
CSV_TYPES = ["BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR"]
# SQLite virtual-machine steps between two looks at the statement's deadline.
PROGRESS_STEPS = 10_000


class Unavailable(Exception):
    """A source or table that cannot be checked; the message is safe to print."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TableInfo:
    """A table as the snapshot has it: its columns with their types, and its primary key."""

    name: str
    schema: str | None
    columns: dict[str, Any]
    primary_key: tuple[str, ...] = ()


# --- secrets ------------------------------------------------------------------------------


_USERINFO = re.compile(r"(?P<user>[^:/@]*)(?::(?P<password>[^@]*))?@")  # SQLAlchemy's grammar


def _userinfo(source: str) -> tuple[str, str | None, str | None, str]:
    """``scheme://user:password@rest`` in parts: scheme, user, password, rest.

    SQLAlchemy reads the password up to the first ``@`` (so it may hold ``/`` or ``?``); a
    person may mean ``p@ss/w@rd`` as one. Masking takes the widest reading: up to the last
    ``@`` before the query. Masking too much spoils a message; too little leaks a password.
    """
    scheme, rest = source.split("://", 1)
    found = _USERINFO.match(rest)
    if found is None:
        return scheme, None, None, rest
    user, password = found["user"], found["password"]
    if password is None:
        return scheme, user, None, rest[found.end() :]
    query = rest.find("?", found.end())
    userinfo = (rest if query < 0 else rest[:query]).rsplit("@", 1)[0]
    return scheme, user, userinfo[len(user) + 1 :], rest[len(userinfo) + 1 :]


_PARAM = rf"((?:^|[?&;])(?:{'|'.join(_SECRET_PARAMS)})=)([^&;]*)"


def mask(source: str) -> str:
    """``source`` with any password replaced by ``***`` (works without SQLAlchemy)."""
    if "://" not in source:
        return source
    scheme, user, password, rest = _userinfo(source)
    rest = re.sub(_PARAM, r"\1***", rest, flags=re.IGNORECASE)
    if user is None:
        return f"{scheme}://{rest}"
    return f"{scheme}://{user}{'' if password is None else ':***'}@{rest}"


def secrets_in(source: str) -> list[str]:
    """The passwords a source string carries, raw and decoded, for scrubbing messages."""
    if "://" not in source:
        return []
    _, _, password, _ = _userinfo(source)
    found = [m[1] for m in re.findall(_PARAM, source, flags=re.IGNORECASE)]
    if password is not None:
        # also what SQLAlchemy takes for the password when it holds an '@': up to the first
        found += [password, password.split("@", 1)[0]]
    # Very short secrets would turn every message into asterisks; they are not echoed anyway.
    return sorted({s for raw in found for s in (raw, unquote(raw)) if len(s) >= 3}, key=len)[::-1]


def scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def reason(exc: BaseException) -> str:
    """One line about why a query failed: the driver's first line, never the SQL or values."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, MemoryError) or type(orig).__name__ == "OutOfMemoryException":
        from seloste.checks.memory import out_of_memory  # DuckDB's words for the same

        return out_of_memory()
    args: tuple[Any, ...] = getattr(orig, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
        orig = args[1]  # PyMySQL's (code, message): the message, not the tuple's repr
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    text = lines[0] if lines else type(orig).__name__
    if text == "interrupted":  # SQLite's word for our progress handler stopping it
        text = "the statement ran past the timeout"
    return text if len(text) <= 200 else text[:199] + "…"


# --- sources ------------------------------------------------------------------------------


@dataclass
class Source:
    """An open snapshot: an engine, and how to list and describe its tables."""

    engine: Engine
    duck: Any = None  # the DuckDB connection holding the views over files
    views: frozenset[str] = frozenset()
    broken: dict[str, str] = field(default_factory=dict)
    release: Callable[[], None] | None = None  # gives back what opening it took

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def table_names(self, conn: Connection, schema: str | None) -> set[str]:
        if self.duck is not None:
            return set(self.views) | set(self.broken)
        inspector = sa.inspect(conn)
        return set(inspector.get_table_names(schema=schema)) | set(
            inspector.get_view_names(schema=schema)
        )

    def describe(self, conn: Connection, name: str, schema: str | None) -> TableInfo:
        if name in self.broken:
            raise Unavailable(self.broken[name])
        if self.duck is not None:
            relation = self.duck.view(name)
            types = [_duck_type(str(t)) for t in relation.dtypes]
            return TableInfo(name, None, dict(zip(relation.columns, types, strict=True)))
        inspector = sa.inspect(conn)
        real = _reflected_name if self.dialect in ("mysql", "mariadb") else str
        columns = {real(c["name"]): c["type"] for c in inspector.get_columns(name, schema=schema)}
        pk = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
        return TableInfo(name, schema, columns, tuple(real(c) for c in pk))

    def describe_many(
        self, conn: Connection, names: list[str], schema: str | None
    ) -> dict[str, TableInfo]:
        """Several tables in two catalog queries, on PostgreSQL; others describe each table
        on its own (SQLAlchemy would loop anyway, and MariaDB may refuse single tables)."""
        if self.dialect != "postgresql" or not names:
            return {}
        inspector = sa.inspect(conn)
        columns = inspector.get_multi_columns(schema=schema, filter_names=names)
        keys: dict[Any, Any] = inspector.get_multi_pk_constraint(schema=schema, filter_names=names)
        found = {}
        for (_, name), described in columns.items():
            pk = (keys.get((schema, name)) or {}).get("constrained_columns") or []
            found[name] = TableInfo(
                name, schema, {c["name"]: c["type"] for c in described}, tuple(pk)
            )
        return found

    def close(self) -> None:
        self.engine.dispose()
        if self.duck is not None:
            self.duck.close()
        if self.release is not None:
            self.release()


def _reflected_name(name: str) -> str:
    """A MySQL/MariaDB column name as it is: SQLAlchemy reads names from SHOW CREATE TABLE
    and leaves a backtick in a name doubled, so the column would not be found."""
    return name.replace("``", "`")


def open_source(source: str, *, timeout: float, allow_privileged_role: bool = False) -> Source:
    """Open ``source`` read-only, or raise :class:`Unavailable` saying why not. A server
    account that may do more than read is refused unless ``allow_privileged_role``."""
    if is_spark(source):
        from seloste.checks.snapshot.spark import open_spark

        return open_spark(source, timeout)
    if "://" in source:
        return _server(source, timeout, allow_privileged_role)
    path = Path(source)
    if path.is_dir():
        return _files(path)
    if not path.exists():
        raise Unavailable("no such file or directory")
    if why := not_regular(path):  # a FIFO would block the run for ever
        raise Unavailable(why)
    if path.suffix.lower() == ".sql":
        return _dump(path, timeout)
    return _sqlite_file(path, timeout)


def _server(source: str, timeout: float, allow_privileged_role: bool) -> Source:
    from seloste.checks.snapshot import servers
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = sa.make_url(source)
    except (ArgumentError, ValueError):  # ValueError: a port that is no number, say
        raise Unavailable("not a database URL such as postgresql+psycopg://host/db") from None
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        return open_source(url.database, timeout=timeout)  # a file: opened read-only as one
    if backend not in SERVERS:
        # Only these get a read-only session; seloste does not open anything else for writing.
        raise Unavailable(
            f"{backend} URLs are not supported; use PostgreSQL, MariaDB/MySQL or SQLite, "
            "or export the tables to CSV or Parquet files"
        )
    if url.drivername in DEFAULT_DRIVERS:
        url = url.set(drivername=f"{backend}+{DEFAULT_DRIVERS[url.drivername]}")
    drivers = servers.DRIVERS[backend]
    if url.get_driver_name() not in drivers:
        # Read-only sessions are set up through these drivers' own connect parameters.
        raise Unavailable(
            f"the driver {url.get_driver_name()} is not supported; use {backend}+{drivers[0]}"
        )
    try:
        engine = servers.engine(url, timeout)
    except (ImportError, NoSuchModuleError):
        extra = EXTRAS.get(backend)
        hint = f"; install seloste[{extra}]" if extra else ""
        raise Unavailable(f"the driver for {url.drivername} is not installed{hint}") from None
    if not allow_privileged_role:
        try:
            servers.refuse_privileged(engine, url.database)
        except Unavailable:
            engine.dispose()
            raise
    return Source(engine)


# SQLite: what a snapshot may ask while it is read. Reflection needs these pragmas.
_READ_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo"}
    | {"foreign_key_list", "database_list", "table_list", "collation_list", "query_only"}
    | {"read_uncommitted"}
)
NEVER_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "fts3_tokenizer"})


def _reading(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
    allowed = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_TRANSACTION}
    allowed |= {sqlite3.SQLITE_SAVEPOINT, sqlite3.SQLITE_RECURSIVE}
    if action in allowed:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if arg2 in NEVER_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _sqlite_engine(
    raw: sqlite3.Connection, timeout: float, release: Callable[[], None] | None = None
) -> Source:
    raw.execute("PRAGMA query_only = ON")
    raw.set_authorizer(_reading)
    engine = sa.create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    if timeout == 0:  # no limit: no handler, whose calls cost about 1% of a scan
        return Source(engine, release=release)
    # SQLite has no statement timeout: a progress handler interrupts a statement past it.
    deadline = [float("inf")]

    def start(*_: Any) -> None:
        deadline[0] = time.monotonic() + timeout

    sa.event.listen(engine, "before_cursor_execute", start)
    # Every call is a trip into Python: each 1,000 VM steps cost 5-7% of a scan, each 10,000
    # about 1%, and still look at the clock many times a millisecond.
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline[0]), PROGRESS_STEPS)
    return Source(engine, release=release)


def _in_wal_mode_alone(path: Path) -> bool:
    """A WAL database with no ``-wal`` file: everything is in the main file."""
    try:
        with path.open("rb") as f:
            header = f.read(20)
    except OSError:
        return False
    wal = header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"
    return wal and not Path(f"{path}-wal").exists()


def _sqlite_file(path: Path, timeout: float) -> Source:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if _in_wal_mode_alone(path.resolve()):
        # Even read-only, SQLite creates -wal and -shm files next to a WAL database; with no
        # -wal file there is nothing outside the main file, so it is read as immutable.
        uri += "&immutable=1"
    try:
        raw = sqlite3.connect(uri, uri=True, check_same_thread=False)
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise Unavailable(f"not a readable SQLite database ({exc})") from None
    return _sqlite_engine(raw, timeout)


def _dump(path: Path, timeout: float) -> Source:
    """Load a ``sqlite3 .dump`` into memory; the file itself is only read."""
    from seloste.checks.snapshot.dump import load

    raw, release = load(path, timeout)
    try:
        return _sqlite_engine(raw, timeout, release)
    except BaseException:
        raw.close()
        release()
        raise


def _file_kind(path: Path) -> tuple[str, str] | None:
    """The table name and reader of a data file, or None for other files."""
    for suffix, kind in FILE_KINDS.items():
        if path.name.lower().endswith(suffix) and len(path.name) > len(suffix):
            return path.name[: -len(suffix)], kind
    return None


class TableFile(NamedTuple):
    """A data file read as one table: its table name, its reader (csv, parquet), its path."""

    name: str
    reader: str
    path: Path


def table_files(directory: Path, *, parts: bool = False) -> tuple[list[TableFile], dict[str, str]]:
    """The data files of ``directory``, one table each, and the tables whose file may not be
    read, with why (a link out of it, a FIFO). With ``parts``, a directory of parts named like
    a file (``NAME.parquet/`` as Spark writes it) is a table too. Raises ``Unavailable`` when
    the directory holds no data file: an empty export is not a clean one."""
    readable: list[TableFile] = []
    refused: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        kind = _file_kind(path)
        if kind is None:
            continue
        name, reader = kind
        whole = parts and path.is_dir() and not path.is_symlink()
        if why := None if whole else not_regular(path, within=directory):
            refused[name] = f"{path.name} {why}"
        else:
            readable.append(TableFile(name, reader, path))
    if not readable and not refused:
        what = "files or directories" if parts else "files"
        raise Unavailable(f"no .csv or .parquet {what} in the directory")
    return readable, refused


def _files(directory: Path) -> Source:
    """A directory of CSV or Parquet files, one table each, as DuckDB views."""
    try:
        import duckdb
        from duckdb_engine import ConnectionWrapper
    except ImportError:
        raise Unavailable("DuckDB is not installed; install seloste[duckdb]") from None
    try:
        duck = duckdb.connect(":memory:")
    except duckdb.Error as exc:  # out of memory before it starts, say
        raise Unavailable(reason(exc)) from None
    try:
        # DuckDB may read this directory and nothing else, and the setting cannot be undone.
        duck.execute("SET allowed_directories = ?", [[f"{directory.resolve()}/"]])
        duck.execute("SET enable_external_access = false")
        duck.execute("SET lock_configuration = true")
    except duckdb.Error as exc:
        duck.close()
        raise Unavailable(reason(exc)) from None
    try:
        tables, broken = table_files(directory)
    except Unavailable:
        duck.close()
        raise
    views: set[str] = set()
    for name, reader, path in tables:
        try:
            if reader == "csv":
                # Numbers and booleans typed, everything else text: seloste reads times in text
                # itself, exactly (checks/snapshot/reading.py), where DuckDB's guess of a date
                # format can fail on a column that mixes formats, or read 01/02 the wrong way.
                relation = duck.read_csv(str(path), auto_type_candidates=CSV_TYPES)
            else:
                relation = duck.read_parquet(str(path))
            relation.create_view(name, replace=False)
            views.add(name)
        except duckdb.Error as exc:
            broken[name] = f"{path.name} cannot be read: {reason(exc)}"
    try:  # the dialect asks DuckDB's default connection for its keywords, which may fail
        engine = sa.create_engine(
            "duckdb://", creator=lambda: ConnectionWrapper(duck), poolclass=StaticPool
        )
    except duckdb.Error as exc:
        duck.close()
        raise Unavailable(reason(exc)) from None
    return Source(engine, duck=duck, views=frozenset(views), broken=broken)


def _duck_type(name: str) -> Any:
    """The SQLAlchemy type of a DuckDB column type, as far as the checks care."""
    if name.startswith("TIMESTAMP"):
        return sa.DateTime(timezone="TIME ZONE" in name)
    simple = {"DATE": sa.Date(), "BOOLEAN": sa.Boolean(), "VARCHAR": sa.String()}
    if name in simple:
        return simple[name]
    if re.fullmatch(r"U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?", name):
        return sa.Integer()
    if name in ("DOUBLE", "FLOAT", "REAL") or name.startswith("DECIMAL"):
        return sa.Float()
    return sa.types.NullType()
