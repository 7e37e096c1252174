"""The second worked example, Verkkokauppa Kielo Oy's web shop (fixtures/web-shop).

Its generated snapshot must give exactly the ground truth its generator wrote, on the dump, a
SQLite file, CSV files, PostgreSQL and MariaDB (times in native types and as text); its
planted flows exactly theirs; the clean flows and the policy nothing; and its notice renders.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from seloste.checks import cli, rules
from seloste.checks.findings import Finding
from seloste.checks.flows import check_flows
from seloste.policy.loader import load_policy
from servers import MY_ADMIN, PG_ADMIN, scratch_database
from snapshot_truth import (
    NATIVE,
    TEXT,
    WEB_SHOP,
    check,
    errors,
    expected,
    export_csv,
    observed,
    sqlite_from_dump,
    tables,
)

SHOP = WEB_SHOP.fixture
DUMP = WEB_SHOP.dump
PLANTED = sorted(str(p) for p in (SHOP / "flows").glob("*.flows.yaml"))
CLEAN = sorted(str(p) for p in (SHOP / "flows-clean").glob("*.flows.yaml"))
AS_OF = WEB_SHOP.truth["as_of"]


def _check_dump(**options: object) -> list[Finding]:
    return check(str(DUMP), org=WEB_SHOP, **options)


# --- the policy, its notice and its files -----------------------------------------------------


def test_policy_bindings_and_clean_flows_validate() -> None:
    paths = [str(SHOP / "policy.yaml"), str(SHOP / "bindings.yaml"), *CLEAN]
    assert cli.main(["validate", "--no-config", *paths]) == cli.CLEAN


@pytest.mark.parametrize(
    ("lang", "headings", "texts"),
    [
        (
            "fi",
            [
                "# Verkkokauppa Kielo Oy:n asiakas- ja markkinointirekisterin tietosuojaseloste",
                "## Yhteyshenkilö rekisteriä koskevissa asioissa",
                "## Automaattinen päätöksenteko",
                "## Uutiskirjeen tilaajat",
            ],
            ["Verkkokauppa Kielo Oy", "Kassavirta Payments Oy", "vakiosopimuslausekkeisiin"],
        ),
        (
            "en",
            [
                "# Privacy notice of Verkkokauppa Kielo Oy's customer and marketing register",
                "## Contact person for register matters",
                "## Automated decision-making",
                "## Newsletter subscribers",
            ],
            ["Carrier Esimerkkikuljetus Oy", "standard contractual clauses"],
        ),
    ],
)
def test_the_notice_renders_with_its_own_sections(
    lang: str, headings: list[str], texts: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["render", "notice", str(SHOP / "policy.yaml"), "--lang", lang]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert [h for h in headings if h in lines] == headings
    assert [t for t in texts if t in out] == texts
    assert "K-Systems" not in out


def test_the_policy_names_every_section_of_its_notice_and_no_other() -> None:
    """The policy says where each part comes from ("§ 9, first item"): every section of
    notice.md is expressed somewhere, and no reference points past the notice."""
    notice = (SHOP / "notice.md").read_text(encoding="utf-8")
    sections = {int(n) for n in re.findall(r"^## (\d+)\. ", notice, re.MULTILINE)}
    policy = (SHOP / "policy.yaml").read_text(encoding="utf-8")
    cited = {int(n) for n in re.findall(r"§ (\d+)", policy)}
    assert sections == set(range(1, 12))
    assert cited == sections


def test_the_policy_says_what_the_notice_says_in_the_language_of_issue_15() -> None:
    """Consent-based data counts from the withdrawal, the carrier is a third party, and only
    the analytics provider leaves the EEA, under standard contractual clauses."""
    policy = load_policy(SHOP / "policy.yaml").model
    newsletter = policy.registers["newsletter_register"].retention
    assert [rule.trigger for rule in newsletter.values()] == ["consent_withdrawn"]
    assert {rid: r.type for rid, r in policy.recipients.items()} == {
        "payment_provider": "processor",
        "carrier": "third_party",
        "accounting_firm": "processor",
        "analytics_provider": "processor",
    }
    assert (policy.transfers.allowed, policy.transfers.mechanisms) == (["EEA"], ["scc"])
    outside = {
        (rid, place, s.mechanism)
        for rid, r in policy.recipients.items()
        for place, s in r.transfers.items()
    }
    assert outside == {("analytics_provider", "US", "scc")}


# --- the snapshot -----------------------------------------------------------------------------


def test_the_dump_gives_exactly_the_ground_truth() -> None:
    findings = _check_dump()
    assert errors(findings) == []
    assert observed(findings) == expected(org=WEB_SHOP)


def test_row_keys_are_the_first_few_by_key() -> None:
    assert observed(_check_dump(max_keys=5)) == expected(5, org=WEB_SHOP)


def test_a_sqlite_file_gives_the_same(tmp_path: Path) -> None:
    db = sqlite_from_dump(tmp_path / "web-shop.db", WEB_SHOP)
    findings = check(str(db), org=WEB_SHOP)
    assert errors(findings) == []
    assert observed(findings) == expected(org=WEB_SHOP)


def test_csv_files_give_the_same(tmp_path: Path) -> None:
    pytest.importorskip("duckdb", reason="the duckdb extra is not installed")
    findings = check(str(export_csv(tmp_path, WEB_SHOP)), org=WEB_SHOP)
    assert errors(findings) == []
    assert observed(findings) == expected(org=WEB_SHOP)


@pytest.mark.parametrize("storage", [NATIVE, TEXT])
@pytest.mark.parametrize(
    ("admin", "what", "port", "driver"),
    [
        pytest.param(PG_ADMIN, "PostgreSQL", 5432, "psycopg", marks=pytest.mark.postgres),
        pytest.param(MY_ADMIN, "MariaDB", 3306, "pymysql", marks=pytest.mark.mysql),
    ],
)
def test_servers_give_exactly_the_ground_truth(
    require_server, admin: str, what: str, port: int, driver: str, storage: str
) -> None:
    """Native storage turns the values that are not times into NULL: a relationship that
    goes on (no finding), or a collection, activity or date the rule cannot judge (SNP010)."""
    require_server(what, "127.0.0.1", port, driver)
    with scratch_database(admin, storage=storage, org=WEB_SHOP) as url:
        findings = check(url, org=WEB_SHOP)
    assert errors(findings) == []
    assert observed(findings) == expected(storage=storage, org=WEB_SHOP)


def _rows(table: str) -> list[dict[str, object]]:
    _, columns, rows = next(t for t in tables(WEB_SHOP) if t[0] == table)
    return [dict(zip([c[0] for c in columns], row, strict=True)) for row in rows]


def _keys(findings: list[Finding], rule: str, table: str, column: str) -> set[str]:
    [found] = [
        f
        for f in findings
        if (f.rule, f.location.table, f.location.table_column) == (rule, table, column)
    ]
    return set(found.row_keys)


# Each boundary value as the dump writes it, and by hand whether it is past its rule (True),
# within it (False) or no time at all (None). The generator plants these; here they are
# judged a second time, independently of its ground truth.
BOUNDARIES: dict[tuple[str, str], dict[object, bool | None]] = {
    # after-account-closed, cut-off 2025-12-01T00:00:00Z
    ("customers", "closed_at"): {
        "2025-11-30": True,
        "2025-12-01": False,
        "2025-11-30 23:59:59": True,
        "2025-12-01 00:00:00": False,
        "2025-12-01T01:59:59+02:00": True,
        "2025-12-01T02:00:00+02:00": False,
        "2025-11-30T23:59:59.4Z": True,
        "2025-12-01T00:00:00.5Z": False,
        "30.11.2025": None,
        "N/A": None,
    },
    # inactive-accounts, cut-off 2023-12-01T00:00:00Z
    ("customers", "last_login_at"): {
        "2023-11-30T23:59:59Z": True,
        "2023-12-01T00:00:00Z": False,
        "2023-12-01 01:59:59+02:00": True,
        "2023-11-30": True,
        "2023-12-01": False,
        "N/A": None,
    },
    # accounting-act, cut-off 2019-12-01
    ("orders", "ordered_on"): {"2019-11-30": True, "2019-12-01": False, "30.11.2019": None},
    # delivery-details, cut-off 2024-12-01T00:00:00Z
    ("shipments", "shipped_at"): {
        "2024-11-30T23:59:59Z": True,
        "2024-12-01T00:00:00Z": False,
        "2024-12-01T01:59:59+02:00": True,
        "2024-12-01T02:00:00+02:00": False,
    },
    # after-withdrawal, cut-off 2026-11-01T00:00:00Z, which is 02:00 in Helsinki (UTC+2)
    ("newsletter_subscriptions", "unsubscribed_at"): {
        "01.11.2026 01:59:59": True,
        "01.11.2026 02:00:00": False,
        "1.11.2026 2:00:00": False,
        "31.10.2026 23:59:59": True,
        "31.11.2026 10:00:00": None,
    },
    # analytics-retention, cut-off 2025-10-01T00:00:00Z = 1759276800000 ms
    ("analytics_events", "occurred_at"): {
        1759276799000: True,
        1759276799999: True,
        1759276800000: False,
        1759276800999: False,
        "N/A": None,
    },
}


@pytest.mark.parametrize(("table", "column"), list(BOUNDARIES))
def test_each_boundary_has_a_violation_and_a_non_violation(table: str, column: str) -> None:
    findings = _check_dump()
    past, unreadable = _keys(findings, "SNP004", table, column), set()
    if None in BOUNDARIES[table, column].values():
        unreadable = _keys(findings, "SNP010", table, column)
    judged = {}
    for row in _rows(table):
        if row[column] in BOUNDARIES[table, column]:
            key = str(row["id"])
            judged[row[column]] = True if key in past else None if key in unreadable else False
    assert judged == BOUNDARIES[table, column]


def test_no_value_from_the_snapshot_in_any_message() -> None:
    date = re.compile(r"\d{4}-\d{2}-\d{2}")  # the cut-off dates come from the policy
    values = {
        str(v)
        for _, _, rows in tables(WEB_SHOP)
        for row in rows
        for v in row
        # lower-case words such as the method "card" are vocabulary, not personal values
        if isinstance(v, str)
        and len(v) >= 6
        and not date.match(v)
        and not (v.isidentifier() and v.islower())
    }
    for finding in _check_dump(max_keys=5):
        assert not [v for v in values if v in finding.message], finding.rule


def test_the_generator_reproduces_the_committed_fixture(tmp_path: Path) -> None:
    if version("Faker") != WEB_SHOP.truth["faker"]:
        pytest.skip(f"made with Faker {WEB_SHOP.truth['faker']}, not {version('Faker')}")
    script = SHOP / "snapshot" / "generate.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    for name in ("web-shop.sql", "expected.yaml"):
        assert (tmp_path / name).read_bytes() == (SHOP / "snapshot" / name).read_bytes(), name


def test_the_configuration_checks_the_snapshot_and_the_clean_flows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["check", "--config", str(SHOP / "seloste.yaml"), "--snapshot", str(DUMP)]
    code = cli.main([*argv, "--as-of", AS_OF, "--format", "json", "--max-keys", "10000"])
    report = json.loads(capsys.readouterr().out)
    assert code == cli.FINDINGS
    got = {
        (f["rule"], f["location"].get("table"), f["location"].get("table_column"), f.get("rows"))
        for f in report["findings"]
    }
    assert got == {row[:4] for row in expected(org=WEB_SHOP)}


def test_the_configuration_alone_checks_the_clean_flows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["check", "--config", str(SHOP / "seloste.yaml")]) == cli.CLEAN
    assert capsys.readouterr().out == "No findings.\n"


# --- the flows --------------------------------------------------------------------------------


def _where(findings: list[Finding]) -> Counter[tuple[str, str, int | None, int | None]]:
    return Counter(
        (f.rule, Path(f.location.file or "").name, f.location.line, f.location.column)
        for f in findings
    )


def test_planted_flows_give_exactly_their_ground_truth() -> None:
    truth = yaml.safe_load((SHOP / "flows" / "expected.yaml").read_text(encoding="utf-8"))
    want = Counter((e["rule"], e["file"], e["line"], e["column"]) for e in truth["findings"])
    assert _where(check_flows(PLANTED)) == want


def test_planted_flows_cover_every_flow_rule() -> None:
    flow_rules = {m.ID for m in rules.RULES.values() if m.SCOPE == "flows"}
    assert {f.rule for f in check_flows(PLANTED)} == flow_rules


def test_clean_flows_give_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--no-config", "--flows", *CLEAN]) == cli.CLEAN
    assert capsys.readouterr().out == "No findings.\n"
