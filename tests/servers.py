"""Scratch databases on the test servers, for the snapshot safety and fault tests.

Each scratch database comes with a role that may only read it, and the URL handed to seloste
is that role's: seloste refuses an account that may do more (checks/snapshot/servers.py).
Tests set up, change and inspect the data as the administrator: ``admin_url``/``admin_engine``
of the same database. Every role and database is named with a random suffix, since other
engineers' tests run on the same servers at the same time, and is dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from snapshot_truth import K_SYSTEMS, NATIVE, Organisation, load_into

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/test"
SERVERS = {
    "postgresql": (PG_ADMIN, "PostgreSQL", 5432, "psycopg"),
    "mariadb": (MY_ADMIN, "MariaDB", 3306, "pymysql"),
}
ADMINS = {True: "postgres", False: "root"}  # by is_postgres


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def as_user(url: str, user: str, password: str | None = None) -> str:
    """``url`` with another user (and password, or none)."""
    import sqlalchemy as sa

    changed = sa.make_url(url).set(username=user, password=password)
    return changed.render_as_string(hide_password=False)


def admin_url(url: str) -> str:
    """The administrator's URL of the database ``url`` names."""
    return as_user(url, ADMINS[is_postgres(url)])


def admin_engine(url: str) -> Any:
    import sqlalchemy as sa

    return sa.create_engine(admin_url(url), isolation_level="AUTOCOMMIT")


def run_as_admin(url: str, statements: list[str]) -> None:
    """``statements`` on the database ``url`` names, as the administrator."""
    import sqlalchemy as sa

    admin = admin_engine(url)
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))  # text(), so that PyMySQL leaves '%' alone
    finally:
        admin.dispose()


@contextmanager
def scratch_database(
    admin: str, *, snapshot: bool = True, storage: str = NATIVE, org: Organisation = K_SYSTEMS
) -> Iterator[str]:
    """A new database (with ``org``'s snapshot, K-Systems' unless told otherwise, its times
    stored as ``storage``: snapshot_truth.load_into) and a role that may only read it: that
    role's URL."""
    tag = uuid.uuid4().hex[:12]
    name, reader = f"seloste_test_{tag}", f"seloste_reader_{tag}"
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    if is_postgres(admin):
        # pg_read_all_data also covers tables a test creates after this
        setup = [f"CREATE DATABASE {name}", f"CREATE ROLE {reader} LOGIN IN ROLE pg_read_all_data"]
        teardown = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"DROP ROLE IF EXISTS {reader}"]
    else:
        setup = [
            f"CREATE DATABASE {name}",
            f"CREATE USER '{reader}'@'%'",
            f"GRANT SELECT, SHOW VIEW ON {name}.* TO '{reader}'@'%'",
        ]
        teardown = [f"DROP DATABASE IF EXISTS {name}", f"DROP USER IF EXISTS '{reader}'@'%'"]
    run_as_admin(admin, setup)
    try:
        if snapshot:
            load_into(url, naive_times=not is_postgres(admin), storage=storage, org=org)
        yield as_user(url, reader)
    finally:
        run_as_admin(admin, teardown)


@contextmanager
def writer(url: str) -> Iterator[str]:
    """A role that may read, insert, update and delete every table of ``url``'s database (but
    is no superuser); its URL."""
    role = f"seloste_writer_{uuid.uuid4().hex[:8]}"
    database = url.rsplit("/", 1)[1]
    if is_postgres(url):
        setup = [
            f"CREATE ROLE {role} LOGIN",
            f"GRANT CONNECT ON DATABASE {database} TO {role}",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        ]
        teardown = [f"DROP OWNED BY {role}", f"DROP ROLE {role}"]
    else:
        setup = [
            f"CREATE USER '{role}'@'%'",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {database}.* TO '{role}'@'%'",
        ]
        teardown = [f"DROP USER '{role}'@'%'"]
    run_as_admin(url, setup)
    try:
        yield as_user(url, role)
    finally:
        run_as_admin(url, teardown)
