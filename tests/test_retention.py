"""Retention and subjects (issue 15): a rule verified outside the database, the consent and
date-field triggers, linked content chosen per table, subjects shared across registers.

Each test writes a small policy, bindings and SQLite database of a members' association (or
the same tables on PostgreSQL and MariaDB) and expects exact findings: a planted violation
and a planted non-violation of each construct.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from seloste.checks.cli import main
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding
from seloste.checks.lint import lint_bindings, lint_policy
from seloste.policy.loader import load_bindings, load_policy

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
FINANCE = {
    "by": {"fi": "talousosasto", "en": "the finance team"},
    "how": {"fi": "neljännesvuosittainen arkistokatselmus", "en": "the quarterly archive review"},
}


def text(en: str) -> dict[str, str]:
    return {"fi": en, "en": en}


def policy() -> dict[str, Any]:
    """A members' association: members and their visits, and a consent-based newsletter."""
    field = {
        "name": ("person_name", True),
        "email": ("email", True),
        "birth_date": ("birth_date", True),
        "agreement_end": ("date", False),
        "visited_at": ("timestamp", True),
        "subscribed_email": ("email", True),
    }
    return {
        "seloste": 1,
        "kind": "policy",
        "controller": {"name": "Jäsenyhdistys ry", "contact": "office@example.org"},
        "fields": {
            f: {"name": text(f), "kind": kind, "personal": personal}
            for f, (kind, personal) in field.items()
        },
        "registers": {
            "member_register": {
                "name": text("Members"),
                "role": "controller",
                "data_subjects": {"members": text("Members")},
                "legal_basis": {"basis": "contract"},
                "fields": ["name", "email", "birth_date", "agreement_end", "visited_at"],
                "retention": {
                    "while-agreement-valid": {
                        "trigger": "relationship_end",
                        "period": "P6M",
                        "action": "delete",
                        "linked_content": True,
                    }
                },
                "rights": ["access", "restriction"],
            },
            "newsletter_register": {
                "name": text("Newsletter"),
                "role": "controller",
                "data_subjects": {"members": text("Members")},
                "legal_basis": {"basis": "consent"},
                "fields": ["subscribed_email"],
                "purposes": ["newsletter"],
                "retention": {
                    "until-withdrawn": {
                        "trigger": "consent_withdrawn",
                        "period": "P0D",
                        "action": "delete",
                    }
                },
                "rights": ["marketing_opt_out"],
            },
        },
        "purposes": {
            "newsletter": {
                "name": text("Newsletter"),
                "legal_basis": {"basis": "consent"},
                "fields": ["subscribed_email"],
                "marketing": True,
                "honours": ["marketing_opt_out"],
            }
        },
        "transfers": {"allowed": ["EEA"]},
    }


def bindings() -> dict[str, Any]:
    return {
        "seloste": 1,
        "kind": "bindings",
        "policy": "policy.yaml",
        "tables": {
            "members": {
                "register": "member_register",
                "key": "id",
                "columns": {
                    "name": "name",
                    "birth_date": "birth_date",
                    "agreement_end": "agreement_end",
                },
                "other_columns": ["ended_at"],
                "marketing_opt_out": "opted_out",
                "restricted": "restricted",
            },
            "visits": {
                "register": "member_register",
                "key": "id",
                "subject": {"table": "members", "column": "member_id"},
                "columns": {"visited_at": "visited_at"},
            },
            "subscriptions": {
                "register": "newsletter_register",
                "key": "id",
                "subject": {"table": "members", "column": "member_id"},
                "columns": {"email": "subscribed_email"},
                "consent_withdrawn": "withdrawn_at",
                "purposes": ["newsletter"],
            },
        },
    }


# members 1 and 2 left before the cut-off of P6M (2026-05-01), 3 is still a member; member 2
# opted out of marketing, member 3's processing is restricted. Subscriptions: 1 withdrew
# before the as-of time, 2 (of the restricted member 3) and 3 (of the opted-out member 2) hold.
ROWS = {
    "members": (
        ["id", "name", "birth_date", "agreement_end", "ended_at", "opted_out", "restricted"],
        [
            (1, "A", "1950-03-01", "2020-12-31", "2026-01-15", 0, 0),
            (2, "B", "2001-07-01", "2026-06-30", "2026-04-30T23:59:59Z", 1, 0),
            (3, "C", "2010-01-01", None, None, 0, 1),
        ],
    ),
    "visits": (
        ["id", "member_id", "visited_at"],
        [(1, 1, "2025-12-01T10:00:00Z"), (2, 2, "2026-04-01T10:00:00Z"), (3, 3, "2026-10-01")],
    ),
    "subscriptions": (
        ["id", "member_id", "email", "withdrawn_at"],
        [
            (1, 1, "a@example.org", "2026-10-31T23:59:59Z"),
            (2, 3, "c@example.org", None),
            (3, 2, "b@example.org", None),
        ],
    ),
}


def write(
    tmp_path: Path, pol: dict[str, Any], bnd: dict[str, Any], rows: dict[str, Any] = ROWS
) -> tuple[Path, Path]:
    """The policy, bindings and a SQLite database in ``tmp_path``: (bindings, database)."""
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(pol, sort_keys=False), "utf-8")
    (tmp_path / "bindings.yaml").write_text(yaml.safe_dump(bnd, sort_keys=False), "utf-8")
    db = tmp_path / "members.db"
    with sqlite3.connect(db) as conn:
        for table, (columns, values) in rows.items():
            conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
            marks = ", ".join("?" for _ in columns)
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    conn.close()
    return tmp_path / "bindings.yaml", db


def bound(path: Path) -> BoundPolicy:
    loaded = load_bindings(path)
    return BoundPolicy(load_policy(path.parent / "policy.yaml"), loaded)


def check(path: Path, source: str) -> list[Finding]:
    from seloste.checks.snapshot import check_snapshot

    return check_snapshot(bound(path), source, as_of=AS_OF, sample=None, max_keys=10)


def seen(findings: list[Finding]) -> set[tuple[Any, ...]]:
    """Rule, table, rows, keys and message of each finding (notes on samples left out)."""
    return {
        (f.rule, f.location.table, f.rows, f.row_keys, f.message)
        for f in findings
        if not (f.rule == "SNP011" and "sample" in f.message)
    }


def lint(path: Path) -> list[tuple[str, int | None, str]]:
    ours = bound(path)
    findings = [*lint_policy(ours.policy), *lint_bindings(ours)]
    return [(f.rule, f.location.line, f.message) for f in findings]


LINKED = (
    "SNP004",
    "visits",
    2,
    ("1", "2"),
    "content linked to records of members kept longer than retention "
    "'while-agreement-valid' allows (6 months after the relationship ended): the "
    "relationship ended before 2026-05-01T00:00:00Z",
)
EXPIRED_MEMBERS = (
    "SNP004",
    "members",
    2,
    ("1", "2"),
    "record kept longer than retention 'while-agreement-valid' allows (6 months after the "
    "relationship ended): the relationship ended before 2026-05-01T00:00:00Z",
)
WITHDRAWN = (
    "SNP004",
    "subscriptions",
    1,
    ("1",),
    "record kept longer than retention 'until-withdrawn' allows (as soon as consent was "
    "withdrawn): consent was withdrawn before 2026-11-01T00:00:00Z",
)
OPTED_OUT = (
    "SNP005",
    "subscriptions",
    1,
    ("3",),
    "subjects who opted out of marketing are in 'subscriptions', which serves the marketing "
    "purpose newsletter",
)
# The note for a table an exception verified outside the database keeps (the finance team's).
EXCEPTION_NOTE = (
    "SNP011",
    "visits",
    None,
    (),
    "retention 'while-agreement-valid' of register 'member_register' is not checked on "
    "visits: exception 'accounts' keeps its rows, verified outside by the finance team "
    "(the quarterly archive review)",
)

RESTRICTED = (
    "SNP006",
    "subscriptions",
    1,
    ("2",),
    "subjects whose processing is restricted are in 'subscriptions', which serves the "
    "marketing purpose newsletter: restricted data may only be stored (GDPR Art. 18(2))",
)


def with_ended_at(bnd: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(bnd)
    members = changed["tables"]["members"]
    members["other_columns"].remove("ended_at")
    members["relationship_end"] = "ended_at"
    return changed


# --- 4 and 2: subjects shared across registers, consent withdrawn -----------------------------


def test_the_whole_association_lints_clean_and_checks_exactly(tmp_path: Path) -> None:
    path, db = write(tmp_path, policy(), with_ended_at(bindings()))
    assert lint(path) == []
    # visits go with the member (linked content); the subscription of member 1, who left,
    # follows its own register's rule (consent), and the opt-out of member 2 and the
    # restriction of member 3 are found across the registers' shared data subject
    assert seen(check(path, str(db))) == {EXPIRED_MEMBERS, LINKED, WITHDRAWN, OPTED_OUT, RESTRICTED}


def test_a_link_to_a_register_with_no_shared_subject_is_broken(tmp_path: Path) -> None:
    pol = policy()
    pol["registers"]["newsletter_register"]["data_subjects"] = {"readers": text("Readers")}
    path, _ = write(tmp_path, pol, with_ended_at(bindings()))
    assert lint(path) == [
        (
            "BND003",
            28,
            "table 'subscriptions' (newsletter_register) links to 'members', which holds "
            "another register (member_register) with no data subject in common; declare the "
            "shared data subject under the same ID in both registers' data_subjects",
        )
    ]


def test_a_register_reaches_its_flag_through_a_shared_subject_or_is_unbound(
    tmp_path: Path,
) -> None:
    bnd = with_ended_at(bindings())
    del bnd["tables"]["subscriptions"]["subject"]
    bnd["tables"]["subscriptions"]["other_columns"] = ["member_id"]
    pol = policy()
    pol["registers"]["newsletter_register"]["rights"] += ["restriction"]
    path, db = write(tmp_path, pol, bnd)
    messages = [
        f"register 'newsletter_register' grants {right} but no bound table has a {flag} column"
        for right, flag in (("marketing_opt_out",) * 2, ("restriction", "restricted"))
    ]
    assert lint(path) == [("BND004", 24, m) for m in messages]
    # the same findings at check, once each, and the flags are not counted: no SEL001
    findings = check(path, str(db))
    assert [f.message for f in findings if f.rule in ("BND004", "SEL001")] == messages
    assert OPTED_OUT not in seen(findings)
    assert RESTRICTED not in seen(findings)


# --- 1: a rule verified outside the database --------------------------------------------------


def test_a_rule_with_no_column_is_one_finding_at_validate_and_check(tmp_path: Path) -> None:
    path, db = write(tmp_path, policy(), bindings())
    message = (
        "retention 'while-agreement-valid' of register 'member_register' needs a "
        "relationship_end column; no bound table has one (bind it, or say who checks the rule "
        "with verified_outside)"
    )
    assert lint(path) == [("BND004", 5, message)]
    findings = check(path, str(db))
    assert [f.rule for f in findings if f.rule in ("BND004", "SEL001")] == ["BND004"]
    assert seen(findings) == {("BND004", None, None, (), message), WITHDRAWN, OPTED_OUT, RESTRICTED}


def test_a_rule_verified_outside_is_a_note_and_the_check_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the command reads no file outside its working directory
    pol = policy()
    rule = pol["registers"]["member_register"]["retention"]["while-agreement-valid"]
    rule["verified_outside"] = FINANCE
    pol["registers"]["newsletter_register"]["rights"] = []  # no opt-out to be found
    pol["purposes"]["newsletter"]["marketing"] = False
    rows = {**ROWS, "subscriptions": (ROWS["subscriptions"][0], ROWS["subscriptions"][1][1:])}
    path, db = write(tmp_path, pol, bindings(), rows)
    assert lint(path) == []
    note = (
        "SNP011",
        "members",
        None,
        (),
        "retention 'while-agreement-valid' of register 'member_register' is not checked in "
        "this database: verified outside by the finance team (the quarterly archive review)",
    )
    assert seen(check(path, str(db))) == {note}
    argv = ["check", "--bindings", str(path), "--snapshot", str(db), "--format", "json"]
    assert main([*argv, "--as-of", AS_OF.isoformat()]) == 0, capsys.readouterr().err
    [reported] = json.loads(capsys.readouterr().out)["findings"]
    assert (reported["rule"], reported["severity"]) == ("SNP011", "note")


def test_the_gap_is_waived_like_any_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pol = policy()
    pol["registers"]["newsletter_register"]["rights"] = []
    pol["purposes"]["newsletter"]["marketing"] = False
    rows = {**ROWS, "subscriptions": (ROWS["subscriptions"][0], ROWS["subscriptions"][1][1:])}
    path, db = write(tmp_path, pol, bindings(), rows)
    argv = ["check", "--bindings", str(path), "--snapshot", str(db), "--as-of", AS_OF.isoformat()]
    assert main([*argv, "--format", "json"]) == 1  # a finding, not a tool error (2)
    [gap] = json.loads(capsys.readouterr().out)["findings"]
    assert gap["rule"] == "BND004"
    waiver = {"rule": "BND004", "target": gap["target"], "justification": "the archive"}
    waiver |= {"owner": "finance", "expires": "2099-12-31"}
    waivers = tmp_path / "waivers.yaml"
    doc = {"seloste": 1, "kind": "waivers", "waivers": [waiver]}
    waivers.write_text(yaml.safe_dump(doc), "utf-8")
    assert main([*argv, "--waivers", str(waivers)]) == 0
    capsys.readouterr()
    # two sources, one gap of the bindings: reported once
    assert main([*argv, "--snapshot", str(db), "--format", "json"]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["BND004"]


def test_an_exception_verified_outside_leaves_its_tables_to_a_note(tmp_path: Path) -> None:
    pol = policy()
    rule = pol["registers"]["member_register"]["retention"]["while-agreement-valid"]
    exception = {
        "description": text("Visits are kept for the accounts"),
        "fields": ["visited_at"],
        "trigger": "date",
        "date_field": "visited_at",
        "period": "P9M",
        "legal_basis": {"basis": "legal_obligation"},
    }
    rule["exceptions"] = {"accounts": exception}
    path, db = write(tmp_path, pol, with_ended_at(bindings()))
    assert lint(path) == []
    # checked in the database: visit 1 (2025-12-01) is past the exception's nine months too,
    # visit 2 (2026-04-01) is kept by it
    kept = (
        "SNP004",
        "visits",
        1,
        ("1",),
        LINKED[4] + ", and exception 'accounts' (9 months after its visited_at) no longer "
        "keeps it: its visited_at is before 2026-02-01T00:00:00Z",
    )
    assert seen(check(path, str(db))) == {EXPIRED_MEMBERS, kept, WITHDRAWN, OPTED_OUT, RESTRICTED}
    exception["verified_outside"] = FINANCE
    (tmp_path / "outside").mkdir()
    path, db = write(tmp_path / "outside", pol, with_ended_at(bindings()))
    assert lint(path) == []
    assert seen(check(path, str(db))) == {
        EXPIRED_MEMBERS,
        EXCEPTION_NOTE,
        WITHDRAWN,
        OPTED_OUT,
        RESTRICTED,
    }


# --- 3: linked content chosen per table ------------------------------------------------------


def test_linked_content_false_keeps_a_table_out_of_the_subjects_rule(tmp_path: Path) -> None:
    pol = policy()
    # the newsletter in the members' own register: its subscriptions link to the member
    members = pol["registers"]["member_register"]
    newsletter = pol["registers"].pop("newsletter_register")
    members["fields"].append("subscribed_email")
    members["purposes"] = ["newsletter"]
    members["rights"] = ["access", "marketing_opt_out"]
    members["retention"] |= newsletter["retention"]
    bnd = with_ended_at(bindings())
    bnd["tables"]["subscriptions"]["register"] = "member_register"
    path, db = write(tmp_path, pol, bnd)
    assert lint(path) == []
    # by default the subscription of member 1, who left, goes with the member
    with_member = ("SNP004", "subscriptions", 2, ("1", "3"), LINKED[4])
    assert seen(check(path, str(db))) == {
        EXPIRED_MEMBERS,
        LINKED,
        with_member,
        WITHDRAWN,
        OPTED_OUT,
        RESTRICTED,
    }
    bnd["tables"]["subscriptions"]["linked_content"] = False
    (tmp_path / "bindings.yaml").write_text(yaml.safe_dump(bnd, sort_keys=False), "utf-8")
    assert seen(check(path, str(db))) == {EXPIRED_MEMBERS, LINKED, WITHDRAWN, OPTED_OUT, RESTRICTED}


# --- 2: consent withdrawn, compared as instants on every source ------------------------------

# as of 2026-11-01, a grace period of P30D: the cut-off is 2026-10-02T00:00:00Z
WITHDRAWALS = [
    (1, None),  # consent still holds
    (2, datetime(2026, 10, 1, 23, 59, 59)),  # past the grace period
    (3, datetime(2026, 10, 2)),  # at the cut-off: not past it
    (4, datetime(2026, 10, 31, 12)),
]
WRITTEN = [(5, "N/A"), (6, "2026-10-02T02:59:59+03:00")]  # 6 is 2026-10-01T23:59:59Z


def consent_files(tmp_path: Path) -> Path:
    """The newsletter register alone: a table with a native time column, one with text."""
    pol = policy()
    newsletter = pol["registers"]["newsletter_register"]
    newsletter["retention"]["until-withdrawn"]["period"] = "P30D"
    newsletter["rights"] = []
    pol["purposes"]["newsletter"]["marketing"] = False
    table = {
        "register": "newsletter_register",
        "key": "id",
        "columns": {"email": "subscribed_email"},
        "consent_withdrawn": "withdrawn_at",
    }
    bnd = bindings()
    bnd["tables"] = {"subscriptions": table, "subscriptions_text": table}
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(pol, sort_keys=False), "utf-8")
    (tmp_path / "bindings.yaml").write_text(yaml.safe_dump(bnd, sort_keys=False), "utf-8")
    return tmp_path / "bindings.yaml"


def consent_tables(url: str, **engine_args: Any) -> None:
    import sqlalchemy as sa

    meta = sa.MetaData()
    native = sa.Table(
        "subscriptions",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(80)),
        sa.Column("withdrawn_at", sa.DateTime),
    )
    written = sa.Table(
        "subscriptions_text",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(80)),
        sa.Column("withdrawn_at", sa.String(40)),
    )
    engine = sa.create_engine(url, **engine_args)
    with engine.begin() as conn:
        meta.create_all(conn)
        rows = [{"id": i, "email": f"{i}@example.org", "withdrawn_at": t} for i, t in WITHDRAWALS]
        conn.execute(native.insert(), rows)
        texts = [{**r, "withdrawn_at": r["withdrawn_at"] and f"{r['withdrawn_at']}"} for r in rows]
        texts += [{"id": i, "email": f"{i}@example.org", "withdrawn_at": t} for i, t in WRITTEN]
        conn.execute(written.insert(), texts)
    engine.dispose()


def consent_expected() -> set[tuple[Any, ...]]:
    def past(table: str, keys: tuple[str, ...]) -> tuple[Any, ...]:
        message = (
            "record kept longer than retention 'until-withdrawn' allows (30 days after "
            "consent was withdrawn): consent was withdrawn before 2026-10-02T00:00:00Z"
        )
        return ("SNP004", table, len(keys), keys, message)

    unreadable = (
        "SNP010",
        "subscriptions_text",
        1,
        ("5",),
        "subscriptions_text.withdrawn_at holds a value that is not a time, so retention "
        "'until-withdrawn' cannot judge these rows",
    )
    return {past("subscriptions", ("2",)), past("subscriptions_text", ("2", "6")), unreadable}


def test_consent_withdrawn_on_sqlite(tmp_path: Path) -> None:
    path = consent_files(tmp_path)
    consent_tables(f"sqlite:///{tmp_path / 'n.db'}")
    assert lint(path) == []
    assert seen(check(path, str(tmp_path / "n.db"))) == consent_expected()


def test_consent_withdrawn_on_duckdb_from_csv(tmp_path: Path) -> None:
    pytest.importorskip("duckdb_engine")
    path = consent_files(tmp_path)
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    rows = [(i, f"{i}@example.org", "" if t is None else f"{t}") for i, t in WITHDRAWALS]
    for name, extra in (("subscriptions", []), ("subscriptions_text", WRITTEN)):
        lines = ["id,email,withdrawn_at"] + [",".join(map(str, r)) for r in rows]
        lines += [f"{i},{i}@example.org,{t}" for i, t in extra]
        (csv_dir / f"{name}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    assert seen(check(path, str(csv_dir))) == consent_expected()


@pytest.mark.postgres
def test_consent_withdrawn_on_postgres(tmp_path: Path, empty_postgres: str) -> None:
    from servers import admin_url

    path = consent_files(tmp_path)
    consent_tables(admin_url(empty_postgres))
    assert seen(check(path, empty_postgres)) == consent_expected()


@pytest.mark.mysql
def test_consent_withdrawn_on_mariadb(tmp_path: Path, empty_mariadb: str) -> None:
    from servers import admin_url

    path = consent_files(tmp_path)
    consent_tables(admin_url(empty_mariadb))
    assert seen(check(path, empty_mariadb)) == consent_expected()


# --- 2: a date held in the record (a birth date, an agreement's end date) --------------------


def test_a_date_held_in_the_record_starts_the_period(tmp_path: Path) -> None:
    pol = policy()
    retention = pol["registers"]["member_register"]["retention"]
    retention["after-agreement"] = {
        "trigger": "date",
        "date_field": "agreement_end",  # kind date
        "period": "P5Y",
        "action": "delete",
    }
    retention["from-birth"] = {
        "trigger": "date",
        "date_field": "birth_date",  # kind birth_date
        "period": "P75Y",
        "action": "delete",
    }
    path, db = write(tmp_path, pol, with_ended_at(bindings()))
    assert lint(path) == []
    # member 1's agreement ended 2020-12-31 and member 1 was born 1950-03-01: both past;
    # member 2's (2026-06-30, 2001) are not; member 3's agreement end is empty, which leaves
    # a date-triggered rule unjudged (SNP010), unlike an empty relationship end
    agreement = (
        "SNP004",
        "members",
        1,
        ("1",),
        "record kept longer than retention 'after-agreement' allows (5 years after its "
        "agreement_end): its agreement_end is before 2021-11-01T00:00:00Z",
    )
    birth = (
        "SNP004",
        "members",
        1,
        ("1",),
        "record kept longer than retention 'from-birth' allows (75 years after its "
        "birth_date): its birth_date is before 1951-11-01T00:00:00Z",
    )
    unjudged = (
        "SNP010",
        "members",
        1,
        ("3",),
        "members.agreement_end holds no time or one that cannot be read, so retention "
        "'after-agreement' cannot judge these rows",
    )
    assert seen(check(path, str(db))) == {
        EXPIRED_MEMBERS,
        LINKED,
        WITHDRAWN,
        OPTED_OUT,
        RESTRICTED,
        agreement,
        birth,
        unjudged,
    }


def test_a_date_field_must_be_a_date_of_the_register(tmp_path: Path) -> None:
    pol = policy()
    rule = pol["registers"]["member_register"]["retention"]["while-agreement-valid"]
    base = {"description": text("kept"), "period": "P1Y", "legal_basis": {"basis": "contract"}}
    rule["exceptions"] = {
        "by-name": {**base, "fields": ["name"], "trigger": "date", "date_field": "name"},
        "no-trigger": {**base, "fields": ["email"], "date_field": "birth_date"},
        "elsewhere": {
            **base,
            "fields": ["email"],
            "trigger": "date",
            "date_field": "subscribed_email",
        },
        "from-birth": {**base, "fields": ["email"], "trigger": "date", "date_field": "birth_date"},
    }
    path, _ = write(tmp_path, pol, with_ended_at(bindings()))
    assert [(rule, message) for rule, _, message in lint(path)] == [
        (
            "POL013",
            "retention 'while-agreement-valid': 'name' is of kind person_name, not date or "
            "birth_date or timestamp",
        ),
        (
            "POL013",
            "retention 'while-agreement-valid': exception 'no-trigger' counts from its rule's "
            "trigger; give it trigger: date to count from its date_field",
        ),
        (
            "POL013",
            "retention 'while-agreement-valid': 'subscribed_email' is of kind email, not date or "
            "birth_date or timestamp",
        ),
    ]


def test_a_zero_period_is_only_until_consent_is_withdrawn(tmp_path: Path) -> None:
    from seloste.policy.errors import InputError

    pol = policy()
    rule = pol["registers"]["newsletter_register"]["retention"]["until-withdrawn"]
    rule["exceptions"] = {
        "none": {
            "description": text("x"),
            "fields": ["subscribed_email"],
            "period": "P0D",
            "legal_basis": {"basis": "consent"},
        }
    }
    path, _ = write(tmp_path, pol, bindings())
    with pytest.raises(InputError) as raised:
        load_policy(path.parent / "policy.yaml")
    [problem] = raised.value.problems
    assert "'P0D' must be a positive duration" in problem.message
    # nor on a rule counting from anything but the withdrawal of consent
    pol = policy()
    pol["registers"]["member_register"]["retention"]["while-agreement-valid"]["period"] = "P0D"
    (tmp_path / "rule").mkdir()
    path, _ = write(tmp_path / "rule", pol, bindings())
    with pytest.raises(InputError) as raised:
        load_policy(path.parent / "policy.yaml")
    [problem] = raised.value.problems
    assert problem.message.endswith(
        "'P0D' must be a positive duration (P0D only with trigger consent_withdrawn)"
    ), problem.message
    assert (problem.line, problem.column) == (64, 17)  # the rule's period


def test_an_exception_needs_its_column_on_the_tables_it_keeps(tmp_path: Path) -> None:
    pol = policy()
    rule = pol["registers"]["member_register"]["retention"]["while-agreement-valid"]
    rule["exceptions"] = {
        "accounts": {
            "description": text("kept"),
            "fields": ["visited_at"],
            "trigger": "collection",
            "period": "P1Y",
            "legal_basis": {"basis": "legal_obligation"},
        }
    }
    path, db = write(tmp_path, pol, with_ended_at(bindings()))
    message = (
        "retention exception 'accounts' of 'while-agreement-valid' ('member_register') keeps "
        "'visits' but needs a collected_at column on it or on a table of the register its "
        "subject links lead to (bind it, or say who checks the exception with verified_outside)"
    )
    assert [(r, m) for r, _, m in lint(path)] == [("BND004", message)]
    # at check the same finding, and the table the exception keeps is not judged by the rule
    findings = check(path, str(db))
    assert seen(findings) == {
        ("BND004", None, None, (), message),
        EXPIRED_MEMBERS,
        WITHDRAWN,
        OPTED_OUT,
        RESTRICTED,
    }
    # verified outside the database, the exception needs no column: a note instead
    rule["exceptions"]["accounts"]["verified_outside"] = FINANCE
    (tmp_path / "outside").mkdir()
    path, db = write(tmp_path / "outside", pol, with_ended_at(bindings()))
    assert lint(path) == []
    assert seen(check(path, str(db))) == {
        EXPIRED_MEMBERS,
        EXCEPTION_NOTE,
        WITHDRAWN,
        OPTED_OUT,
        RESTRICTED,
    }


# --- what the documents say ------------------------------------------------------------------


def test_the_record_of_processing_names_who_verifies_a_rule(tmp_path: Path) -> None:
    from seloste.policy.ropa import ropa_row
    from seloste.policy.wording import Words

    pol = policy()
    rule = pol["registers"]["member_register"]["retention"]["while-agreement-valid"]
    path, _ = write(tmp_path, pol, bindings())
    checked = load_policy(path.parent / "policy.yaml").model
    row = ropa_row(checked, "member_register", Words("en"))
    assert "verified by" not in row["retention"]  # a rule checked in the database
    rule["verified_outside"] = FINANCE
    (tmp_path / "outside").mkdir()
    path, _ = write(tmp_path / "outside", pol, bindings())
    outside = load_policy(path.parent / "policy.yaml").model
    assert ropa_row(outside, "member_register", Words("en"))["retention"] == (
        "The data is kept for 6 months after the customer or service relationship ends; then "
        "deleted. The rule also covers the content linked to the data. Compliance is verified "
        "by the finance team: the quarterly archive review."
    )
    assert ropa_row(outside, "member_register", Words("fi"))["retention"].endswith(
        "Säilytyksen noudattamisen tarkistaa talousosasto: neljännesvuosittainen arkistokatselmus."
    )


def test_a_rule_until_consent_is_withdrawn_reads_as_such(tmp_path: Path) -> None:
    from seloste.policy.ropa import ropa_row
    from seloste.policy.wording import Words

    path, _ = write(tmp_path, policy(), bindings())
    checked = load_policy(path.parent / "policy.yaml").model
    row = ropa_row(checked, "newsletter_register", Words("en"))
    assert row["retention"] == "The data is deleted at once after consent is withdrawn."
    assert ropa_row(checked, "newsletter_register", Words("fi"))["retention"] == (
        "Tiedot poistetaan viipymättä (säilytysaika lasketaan suostumuksen peruuttamisesta)."
    )


def test_retention_does_not_cross_into_another_register(tmp_path: Path) -> None:
    pol = policy()
    # a rule of the newsletter counting from a relationship end, which only the members'
    # register binds: the subscription is not judged by the member's end date
    pol["registers"]["newsletter_register"]["retention"]["until-withdrawn"] = {
        "trigger": "relationship_end",
        "period": "P1M",
        "action": "delete",
        "linked_content": True,
    }
    path, db = write(tmp_path, pol, with_ended_at(bindings()))
    message = (
        "retention 'until-withdrawn' of register 'newsletter_register' needs a "
        "relationship_end column; no bound table has one (bind it, or say who checks the rule "
        "with verified_outside)"
    )
    assert [(r, m) for r, _, m in lint(path)] == [("BND004", message)]
    assert seen(check(path, str(db))) == {
        ("BND004", None, None, (), message),
        EXPIRED_MEMBERS,
        LINKED,
        OPTED_OUT,
        RESTRICTED,
    }


def test_an_exception_counts_from_its_own_registers_columns(tmp_path: Path) -> None:
    pol = policy()
    rule = pol["registers"]["newsletter_register"]["retention"]["until-withdrawn"]
    rule["exceptions"] = {
        "after-membership": {
            "description": text("kept"),
            "fields": ["subscribed_email"],
            "trigger": "relationship_end",  # bound only in the members' register
            "period": "P1M",
            "legal_basis": {"basis": "consent"},
        }
    }
    path, _ = write(tmp_path, pol, with_ended_at(bindings()))
    assert [(r, m) for r, _, m in lint(path)] == [
        (
            "BND004",
            "retention exception 'after-membership' of 'until-withdrawn' ('newsletter_register') "
            "keeps 'subscriptions' but needs a relationship_end column on it or on a table of "
            "the register its subject links lead to (bind it, or say who checks the exception "
            "with verified_outside)",
        )
    ]
    # the same exception counting from the subscription's own withdrawal has its column
    rule["exceptions"]["after-membership"]["trigger"] = "consent_withdrawn"
    rule["period"] = "P0D"
    (tmp_path / "own").mkdir()
    path, _ = write(tmp_path / "own", pol, with_ended_at(bindings()))
    assert lint(path) == []
