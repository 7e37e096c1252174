"""Scratch databases on the test servers, for the snapshot safety and fault tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from snapshot_truth import load_into

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/test"
SERVERS = {
    "postgresql": (PG_ADMIN, "PostgreSQL", 5432, "psycopg"),
    "mariadb": (MY_ADMIN, "MariaDB", 3306, "pymysql"),
}


@contextmanager
def scratch_database(admin: str, *, snapshot: bool = True) -> Iterator[str]:
    """A new database (with the K-Systems snapshot unless told otherwise); its URL."""
    import sqlalchemy as sa

    name = f"seloste_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        if snapshot:
            load_into(url, naive_times=admin.startswith("mysql"))
        yield url
    finally:
        force = " WITH (FORCE)" if admin.startswith("postgresql") else ""
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}{force}"))
        engine.dispose()


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def admin_engine(url: str) -> Any:
    import sqlalchemy as sa

    return sa.create_engine(url, isolation_level="AUTOCOMMIT")
