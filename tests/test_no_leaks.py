"""Nothing leaked: no personal value from a snapshot and no password from a URL reaches any
report format, stdout or stderr.

Reports go to CI logs and code-scanning dashboards that more people read than the database,
so a finding says which rows (by key) and how many, never what they hold.
"""

from __future__ import annotations

import glob
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seloste.checks.cli import main
from seloste.checks.reports import FORMATS
from seloste.policy.loader import load_bindings, load_policy
from snapshot_truth import BINDINGS, DUMP, FIXTURE, tables

AS_OF = "2026-11-01T00:00:00Z"
AS_OF_TIME = datetime.fromisoformat(AS_OF)
FLOWS = sorted(glob.glob(str(FIXTURE / "flows" / "*.flows.yaml")))
# Values shorter than this are left out of the search: "Oy", "Ky", a two-letter city code or
# a four-digit number occur in any text by chance (rule IDs, counts, hex fingerprints), so a
# hit would say nothing. Five characters and more are names, addresses, e-mails, phones,
# references and sentences: a hit on one of those is a leak.
SHORTEST = 5


def personal_columns() -> dict[str, set[str]]:
    """Per table, the columns whose values seloste must never print.

    A column is personal if the bindings map it to a field the policy marks personal, or if
    the bindings do not declare it at all (an unmapped column of a bound table, or any column
    of a table they neither bind nor ignore): seloste cannot know those are harmless. Keys
    (printed on purpose, to find the rows) and ``other_columns`` (declared non-personal) and
    the columns the rules read (dates, flags) are not.
    """
    policy = load_policy(FIXTURE / "policy.yaml").model
    bindings = load_bindings(BINDINGS).model
    personal_fields = {name for name, f in policy.fields.items() if f.personal}
    out: dict[str, set[str]] = {}
    for table, columns, _ in tables():
        names = {c[0] for c in columns}
        if table in bindings.ignore_tables:
            continue
        binding = bindings.tables.get(table)
        if binding is None:
            out[table] = names - {"id"}
            continue
        declared = set(binding.columns) | set(binding.other_columns) | {binding.key}
        roles = (binding.relationship_end, binding.collected_at, binding.last_activity)
        roles += (binding.marketing_opt_out, binding.restricted)
        declared |= {r for r in roles if r}
        if binding.subject:
            declared.add(binding.subject.column)
        mapped = {c for c, f in binding.columns.items() if f in personal_fields}
        out[table] = mapped | (names - declared)
    return out


def personal_values() -> set[str]:
    """Every text value, at least ``SHORTEST`` characters long, of every personal column,
    except the few the rules' own documentation quotes as examples (see below)."""
    wanted = personal_columns()
    values: set[str] = set()
    for table, columns, rows in tables():
        positions = [i for i, c in enumerate(columns) if c[0] in wanted.get(table, set())]
        for row in rows:
            values |= {row[i] for i in positions if isinstance(row[i], str)}
    return {v for v in values if len(v) >= SHORTEST} - DOCUMENTED


def _rule_docs() -> str:
    from seloste.checks.rules import RULES

    return "\n".join(rule.__doc__ or "" for rule in RULES.values())


# The snapshot plants the malformed values the rules document as examples (SNP008, SNP009);
# SARIF, HTML and Markdown embed that documentation, written before any snapshot. Only these
# are left out, and test_only_the_documented_examples_are_left_out keeps it so.
DOCUMENTED = frozenset({"+358 40", "040 123", "myynti(a)firma.fi"})


def test_only_the_documented_examples_are_left_out() -> None:
    wanted = personal_columns()
    everything = {
        row[i]
        for table, columns, rows in tables()
        for row in rows
        for i, c in enumerate(columns)
        if c[0] in wanted.get(table, set()) and isinstance(row[i], str) and len(row[i]) >= SHORTEST
    }
    docs = _rule_docs()
    assert {v for v in everything if v in docs} == DOCUMENTED


def test_the_search_covers_the_personal_columns() -> None:
    """The search is not empty: the columns and a few thousand values are really there."""
    columns = personal_columns()
    assert columns["contacts"] == {"name", "email", "phone", "birth_date"}
    assert columns["support_tickets"] == {
        "customer_id",
        "opened_at",
        "reporter_name",
        "reporter_email",
        "subject",
        "body",
    }
    assert columns["customers"] == {"street_address", "postal_code", "city", "billing_address"}
    assert len(personal_values()) > 2000


def _run_every_format(argv: list[str], tmp_path: Path) -> tuple[int, dict[str, str]]:
    """Run ``seloste`` with every report format written to a file; the texts by format."""
    outputs = [f"{name}:{tmp_path / f'report.{name}'}" for name in FORMATS]
    code = main([*argv, *(a for o in outputs for a in ("--format", o))])
    return code, {name: (tmp_path / f"report.{name}").read_text("utf-8") for name in FORMATS}


def _leaks(texts: dict[str, str], secrets: set[str] | frozenset[str]) -> dict[str, list[str]]:
    """Per output, the secrets it holds; only outputs that hold one."""
    found = {name: sorted(s for s in secrets if s in text) for name, text in texts.items()}
    return {name: hits for name, hits in found.items() if hits}


def test_no_personal_value_in_any_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--snapshot", str(DUMP)]
    argv += ["--as-of", AS_OF, "--max-keys", "10000", "--flows", *FLOWS]
    code, texts = _run_every_format(argv, tmp_path)
    out, err = capsys.readouterr()
    assert code == 1
    assert set(texts) == {"text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html"}
    # every format really carries the findings (the tables, columns and rules they name)
    for name, text in texts.items():
        assert "SNP003" in text and "support_tickets" in text and "FLW004" in text, name
    values = personal_values()
    assert _leaks({**texts, "stdout": out, "stderr": err}, values) == {}


SECRET = "s3cr3t-pass"
URL = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:5432/test"


@pytest.mark.parametrize("port", [5432, 1], ids=["server-up", "server-down"])
def test_a_password_in_a_url_is_masked_in_every_format(
    port: int, tmp_path: Path, capsys: pytest.CaptureFixture[str], require_server
) -> None:
    if port == 5432:
        # trust authentication ignores the password, so the whole check runs with one
        require_server("PostgreSQL", "127.0.0.1", 5432, "psycopg")
    url = URL.replace(":5432/", f":{port}/")
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--snapshot", url]
    # as the superuser, who is otherwise refused before any table is read
    argv += ["--as-of", AS_OF, "--flows", *FLOWS, "--allow-privileged-role"]
    code, texts = _run_every_format(argv, tmp_path)
    out, err = capsys.readouterr()
    assert code == 2  # the database `test` lacks the K-Systems tables, or is down
    assert _leaks({**texts, "stdout": out, "stderr": err}, {SECRET}) == {}
    # The source is named, masked, in every format (so the search above had something to
    # find): SARIF places a missing table at its binding, and names the source in the
    # message, as every finding on a database.
    masked = url.replace(SECRET, "***")
    unnamed = {name for name, text in texts.items() if masked not in text}
    assert unnamed == set()


def test_a_password_from_the_environment_is_masked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``${VAR}`` in a configuration file: the expanded URL is masked like a typed one."""
    monkeypatch.setenv("SELOSTE_TEST_PASSWORD", SECRET)
    config = tmp_path / "seloste.yaml"
    config.write_text(
        "seloste: 1\nkind: config\n"
        f"bindings: {BINDINGS}\n"
        "snapshots:\n  - url: postgresql+psycopg://app:${SELOSTE_TEST_PASSWORD}@127.0.0.1:1/crm\n",
        encoding="utf-8",
    )
    code, texts = _run_every_format(["check", "--config", str(config)], tmp_path)
    out, err = capsys.readouterr()
    assert code == 2
    assert _leaks({**texts, "stdout": out, "stderr": err}, {SECRET}) == {}
    assert all("postgresql+psycopg://app:***@127.0.0.1:1/crm" in t for t in texts.values())


# What a configuration takes from the environment, and where: none of it may be printed.
ENVIRONMENT = {
    "SELOSTE_DB_USER": "crm_reader_account",
    "SELOSTE_DB_PASSWORD": "s3cr3t-env-pass",
    "SELOSTE_DB_HOST": "127.0.0.1",
    "SELOSTE_DB_NAME": "crm_private_db",
    "SELOSTE_DB_URL": "postgresql+psycopg://url_user_name:url-pass-word@127.0.0.1:1/url_db_name",
}
URL_PARTS = ["url_user_name", "url-pass-word", "url_db_name"]


def test_nothing_from_the_environment_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``${VAR}`` in a configuration: the user, password, host and database it fills in, and
    a whole URL from one variable, appear in no format, stdout or stderr, not even where the
    driver's error repeats the host; reports show ``${NAME}`` in their place."""
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SELOSTE_DATA", str(tmp_path / "data"))
    (tmp_path / ".git").mkdir()
    for name in ("policy.yaml", "bindings.yaml"):
        (tmp_path / name).write_bytes((FIXTURE / name).read_bytes())
    written = (
        "postgresql+psycopg://${SELOSTE_DB_USER}:${SELOSTE_DB_PASSWORD}"
        "@${SELOSTE_DB_HOST}:1/${SELOSTE_DB_NAME}"
    )
    (tmp_path / "seloste.yaml").write_text(
        "seloste: 1\nkind: config\nbindings: bindings.yaml\nsnapshots:\n"
        f"  - url: '{written}'\n  - ${{SELOSTE_DB_URL}}\n  - ${{SELOSTE_DATA}}/k.db\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, texts = _run_every_format(["check"], tmp_path)
    out, err = capsys.readouterr()
    assert code == 2  # nothing listens on port 1, and there is no k.db
    secrets = {*ENVIRONMENT.values(), *URL_PARTS, str(tmp_path / "data")}
    assert _leaks({**texts, "stdout": out, "stderr": err}, secrets) == {}
    shown = "postgresql+psycopg://${SELOSTE_DB_USER}:***@${SELOSTE_DB_HOST}:1/${SELOSTE_DB_NAME}"
    for text in (texts["text"], texts["json"], texts["markdown"]):
        assert shown in text and "${SELOSTE_DB_URL}" in text and "${SELOSTE_DATA}/k.db" in text
    # the driver's own message about the host is there, with the host put back as its name
    assert "${SELOSTE_DB_HOST}" in texts["text"].replace(shown, "")


def test_an_error_about_a_path_from_the_environment_names_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELOSTE_ELSEWHERE", "/etc/seloste-secret-dir")
    (tmp_path / ".git").mkdir()
    (tmp_path / "bindings.yaml").write_bytes(BINDINGS.read_bytes())
    (tmp_path / "seloste.yaml").write_text(
        "seloste: 1\nkind: config\nbindings: bindings.yaml\n"
        "snapshots: ['${SELOSTE_ELSEWHERE}/k.db']\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    message = "resolves outside the repository; --allow-outside-root reads it"
    assert capsys.readouterr() == (
        "",
        f"seloste.yaml:4:13: snapshot '${{SELOSTE_ELSEWHERE}}/k.db' {message}\n",
    )


def test_a_key_that_is_personal_data_is_never_printed(tmp_path: Path) -> None:
    """Row keys are printed, so a key that is an e-mail address is not used as one: in a table
    the bindings do not declare (keyed by anything), and where the bindings map the key to
    a personal field. The findings keep their counts."""
    import sqlite3

    from seloste.checks.context import BoundPolicy
    from seloste.checks.snapshot import check_snapshot
    from seloste.policy.loader import load_bindings, load_policy
    from snapshot_truth import check, sqlite_from_dump

    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE subscribers (email TEXT PRIMARY KEY, hetu TEXT)")
        conn.execute("INSERT INTO subscribers VALUES ('matti.m@example.fi', '131052-308T')")
    conn.close()
    unbound = [f for f in check(str(db), max_keys=5) if f.location.table == "subscribers"]
    assert sorted((f.rule, f.rows, f.row_keys) for f in unbound) == [
        ("SNP002", 1, ()),
        ("SNP002", 1, ()),
        ("SNP003", 1, ()),
    ]
    text = BINDINGS.read_text(encoding="utf-8").replace(
        "policy: policy.yaml", f"policy: {FIXTURE / 'policy.yaml'}"
    )
    keyed_by_email = "  newsletter_recipients:\n    register: customer_register\n    key: email"
    text = text.replace(keyed_by_email.replace("key: email", "key: id"), keyed_by_email)
    bindings = tmp_path / "bindings.yaml"
    bindings.write_text(text, encoding="utf-8")
    bound = BoundPolicy(load_policy(FIXTURE / "policy.yaml"), load_bindings(bindings))
    found = check_snapshot(bound, str(db), as_of=AS_OF_TIME, sample=5000, max_keys=5)
    newsletter = [f for f in found if f.location.table == "newsletter_recipients"]
    assert newsletter and all(f.rows and f.row_keys == () for f in newsletter)


# Any printable password, also with the characters a URL gives meaning to. A password with both
# '@' and a later '?' is left out: there the query starts inside it, for SQLAlchemy as for
# any reader, and no reading of the URL can tell where the password ends. '*' is left out
# because the mask itself is made of it.
passwords = st.text(
    st.characters(codec="ascii", categories=["L", "N", "P", "S"], exclude_characters="*"),
    min_size=3,
    max_size=30,
).filter(lambda p: not ("@" in p and "?" in p.split("@", 1)[1]))


@settings(max_examples=300, deadline=None)
@given(passwords)
def test_any_password_is_masked_and_scrubbed(password: str) -> None:
    import sqlalchemy as sa
    from seloste.checks.snapshot.sources import mask, scrub, secrets_in

    url = f"postgresql+psycopg://user:{password}@db.example:5432/crm"
    assert mask(url) == "postgresql+psycopg://user:***@db.example:5432/crm"
    # what the driver is given (SQLAlchemy's reading) may be echoed back in an error message
    try:
        read = sa.make_url(url).password or ""
    except ValueError:  # no URL to SQLAlchemy (see the next test): nothing is given to a driver
        read = ""
    message = scrub(f"connection to {url} failed for {read}", secrets_in(url))
    assert password not in message
    assert len(read) < 3 or read not in message


def test_a_url_sqlalchemy_cannot_read_is_not_checked_and_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SQLAlchemy reads ``ab`` as the password and fails on the port ``TopSecret1@db...``,
    with the rest of the password in its error: seloste must not print that error."""
    url = "postgresql+psycopg://user:ab@c:TopSecret1@db.example:5432/crm"
    argv = ["check", "--no-config", "--bindings", str(BINDINGS), "--snapshot", url]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "TopSecret1" not in out + err
    masked = "postgresql+psycopg://user:***@db.example:5432/crm"
    assert f"{masked}: SEL001 [error] could not check {masked}: not a database URL" in out
