"""Row keys are printed only where they cannot be personal data (checks/snapshot/keys.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from seloste.checks.cli import main
from seloste.checks.context import BoundPolicy
from seloste.checks.snapshot import check_snapshot
from seloste.checks.snapshot.keys import SECRET_VARIABLE, Keys, is_plain, pseudonym
from seloste.policy.loader import load_bindings, load_policy
from snapshot_truth import AS_OF, BINDINGS, FIXTURE, check, sqlite_from_dump

SECRET = "testisalaisuus-123"


def _with_text_keys(tmp_path: Path) -> Path:
    """The snapshot and a table nobody bound whose INTEGER key holds text, as SQLite allows:
    an e-mail address, a phone number, a hetu, and one plain code."""
    db = sqlite_from_dump(tmp_path / "k.db")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE leads (id INT, phone TEXT)")
        keys = ["matti.m@example.fi", "040 1234567", "131052-308T", "LEAD-7", 12]
        conn.executemany("INSERT INTO leads VALUES (?, '0401234567')", [(k,) for k in keys])
    conn.close()
    return db


def test_keys_that_may_be_personal_are_withheld_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    db = _with_text_keys(tmp_path)
    found = [f for f in check(str(db), max_keys=10) if f.location.table == "leads"]
    [leads] = [f for f in found if f.rule == "SNP002"]
    assert leads.rows == 5
    assert leads.row_keys == ("12", "LEAD-7")  # numbers first, then text, by key
    assert leads.keys_withheld


def test_with_a_secret_they_are_pseudonyms_the_same_on_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hidden(key: str) -> str:
        return pseudonym(SECRET.encode(), "leads", key)

    monkeypatch.setenv(SECRET_VARIABLE, SECRET)
    db = _with_text_keys(tmp_path)
    found = [f for f in check(str(db), max_keys=10) if f.location.table == "leads"]
    [leads] = [f for f in found if f.rule == "SNP002"]
    # SQLite holds text in the INTEGER key, so the hetu there is found in every row too
    [hetu] = [f for f in found if f.rule == "SNP003"]
    assert (hetu.location.table_column, hetu.row_keys) == ("id", (hidden("131052-308T"),))

    # in the database's key order: the number, then the texts as SQLite sorts them
    assert leads.row_keys == (
        "12",
        hidden("040 1234567"),
        hidden("131052-308T"),
        "LEAD-7",
        hidden("matti.m@example.fi"),
    )
    assert not leads.keys_withheld
    assert all(len(k) == 17 and k[0] == "~" for k in leads.row_keys[1:3])
    again = [f for f in check(str(db), max_keys=10) if f.location.table == "leads"]
    assert again == found


def test_the_officer_finds_a_row_by_its_pseudonym(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, SECRET)
    assert main(["pseudonym", "leads", "matti.m@example.fi", "12"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{pseudonym(SECRET.encode(), 'leads', 'matti.m@example.fi')}  matti.m@example.fi",
        f"{pseudonym(SECRET.encode(), 'leads', '12')}  12",
    ]
    monkeypatch.delenv(SECRET_VARIABLE)
    assert main(["pseudonym", "leads", "x"]) == 2
    assert capsys.readouterr().err == f"seloste: error: {SECRET_VARIABLE} is not set\n"


def _keyed_by_email(tmp_path: Path) -> Path:
    """The K-Systems bindings with the newsletter keyed by its e-mail column, in a repository
    of their own (a directory with .git) beside a copy of the policy."""
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURE / "policy.yaml", tmp_path / "policy.yaml")
    keyed_by_email = "  newsletter_recipients:\n    register: customer_register\n    key: email"
    text = BINDINGS.read_text(encoding="utf-8").replace(
        keyed_by_email.replace("key: email", "key: id"), keyed_by_email
    )
    bindings = tmp_path / "bindings.yaml"
    bindings.write_text(text, encoding="utf-8")
    return bindings


def test_a_key_bound_to_a_personal_field_is_never_printed_even_when_plain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    bindings = _keyed_by_email(tmp_path)
    bound = BoundPolicy(load_policy(tmp_path / "policy.yaml"), load_bindings(bindings))
    db = str(sqlite_from_dump(tmp_path / "k.db"))
    found = check_snapshot(bound, db, as_of=AS_OF, sample=5000, max_keys=5)
    newsletter = [f for f in found if f.location.table == "newsletter_recipients"]
    assert newsletter and all(f.rows and f.row_keys == () and f.keys_withheld for f in newsletter)


def test_validate_flags_a_personal_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bindings = _keyed_by_email(tmp_path)
    assert main(["validate", "--no-config", "--fail-on", "warning", str(bindings)]) == 1
    out = capsys.readouterr().out
    assert (
        "BND005 [warning] the key of 'newsletter_recipients', 'email', holds personal data" in out
    )


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (12, True),
        ("12", True),
        ("CUST-000123", True),
        ("a.b:c_d-e", True),
        (True, False),
        ("matti@example.fi", False),
        ("0401234567", False),
        ("+358401234567", False),
        ("131052-308T", False),
        ("has space", False),
        ("x" * 65, False),
        ("ääkkönen", False),
        (b"bytes", False),
        (1.5, False),
    ],
)
def test_what_reads_as_a_plain_identifier(value: object, plain: bool) -> None:
    assert is_plain(value) is plain


def test_a_pseudonym_is_keyed_by_the_secret_and_the_table() -> None:
    one = Keys(SECRET).shown("t", "matti@example.fi", personal_column=False)
    assert one == pseudonym(SECRET.encode(), "t", "matti@example.fi")
    assert one != Keys("other").shown("t", "matti@example.fi", personal_column=False)
    assert one != Keys(SECRET).shown("u", "matti@example.fi", personal_column=False)
    assert Keys("").shown("t", "matti@example.fi", personal_column=False) is None
    assert Keys(SECRET).shown("t", 7, personal_column=True) == pseudonym(SECRET.encode(), "t", 7)
