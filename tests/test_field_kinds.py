"""The field vocabulary (issue 15): new kinds, the special categories as a group, IBAN and IP
address checks, special categories found by column name, and places that say what was meant.

Every construct has a planted violation and a planted non-violation, in small policies,
bindings and SQLite databases made here; the server tests make their own tables.
"""

from __future__ import annotations

import sqlite3
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from seloste.checks.context import BoundPolicy
from seloste.checks.findings import Finding
from seloste.checks.lint import lint_policy
from seloste.checks.snapshot import check_snapshot
from seloste.checks.snapshot.values import (
    is_iban,
    is_ip_address,
    personal_name,
    special_category_of,
)
from seloste.policy.errors import InputError
from seloste.policy.kinds import GROUPS, SPECIAL_CATEGORIES, covering
from seloste.policy.loader import load_bindings, load_policy
from seloste.policy.model import Kind
from seloste.policy.terms import TERMS

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
KINDS = typing.get_args(Kind)

# --- the vocabulary ------------------------------------------------------------------------


def test_every_kind_has_a_finnish_and_an_english_name() -> None:
    named = {key.removeprefix("kind.") for key in TERMS if key.startswith("kind.")}
    assert named == set(KINDS)
    assert all(TERMS[f"kind.{k}"]["fi"] and TERMS[f"kind.{k}"]["en"] for k in KINDS)


def test_the_new_kinds_and_the_special_categories_of_article_9_are_kinds() -> None:
    new = {"location", "money_amount", "birth_date", "iban", "ip_address"}
    assert new <= set(KINDS)
    assert len(SPECIAL_CATEGORIES) == 8
    assert set(SPECIAL_CATEGORIES) <= set(KINDS)
    assert {"special_category", *SPECIAL_CATEGORIES} <= set(KINDS)


@pytest.mark.parametrize(
    ("kind", "entries", "covered_by"),
    [
        ("health_data", {"special_category"}, "special_category"),  # the group covers it
        ("health_data", {"health_data", "special_category"}, "health_data"),  # its own first
        ("health_data", {"religious_or_philosophical_beliefs"}, None),  # another category
        ("special_category", {"special_category"}, "special_category"),  # as before
        ("special_category", {"health_data"}, None),  # which category it holds is unknown
        ("fi_personal_identity_code", {"special_category"}, None),  # not in the group
        ("fi_personal_identity_code", {"fi_personal_identity_code"}, "fi_personal_identity_code"),
    ],
)
def test_an_entry_covers_its_kind_and_the_group_its_members(
    kind: str, entries: set[str], covered_by: str | None
) -> None:
    assert covering(kind, entries) == covered_by


# --- POL009 with the group -----------------------------------------------------------------

POLICY = """\
seloste: 1
kind: policy
controller: {name: Esimerkki Oy, contact: tietosuoja@esimerkki.fi}
fields:
  email: {name: {fi: Sähköposti, en: E-mail}, kind: email, personal: true}
  diagnosis: {name: {fi: Diagnoosi, en: Diagnosis}, kind: health_data, personal: true}
  faith: {name: {fi: Usko, en: Faith}, kind: religious_or_philosophical_beliefs, personal: true}
  sensitive: {name: {fi: Arkaluonteinen, en: Sensitive}, kind: special_category, personal: true}
  iban: {name: {fi: Tilinumero, en: Account}, kind: iban, personal: true}
  ip: {name: {fi: IP-osoite, en: IP address}, kind: ip_address, personal: true}
  place: {name: {fi: Sijainti, en: Location}, kind: location, personal: true}
  fee: {name: {fi: Maksu, en: Fee}, kind: money_amount, personal: false}
FORBIDDEN
registers:
  members:
    name: {fi: Jäsenet, en: Members}
    role: controller
    data_subjects: {members: {fi: Jäsenet, en: Members}}
    legal_basis: {basis: contract}
    fields: [FIELDS]
    retention:
      after-membership: {trigger: relationship_end, period: P1Y, action: delete}
    ALLOWED
transfers:
  allowed: [EEA]
"""
FIELDS = "email, diagnosis, faith, sensitive, iban, ip, place, fee"
POLICY = POLICY.replace("FIELDS", FIELDS)
REASON = "{reason: {fi: Ei, en: No}}"
BASIS = "{legal_basis: {basis: consent, reference: 'GDPR Art. 9(2)(a)'}, reason: {fi: K, en: Y}}"


def _policy(tmp_path: Path, forbidden: list[str], allowed: list[str]) -> Path:
    """POLICY with these forbidden_kinds and the register's allowed_kinds."""
    entries = "".join(f"\n  {k}: {REASON}" for k in forbidden)
    text = POLICY.replace("FORBIDDEN", f"forbidden_kinds:{entries or ' {}'}")
    entries = "".join(f"\n      {k}: {BASIS}" for k in allowed)
    text = text.replace("ALLOWED", f"allowed_kinds:{entries or ' {}'}")
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    return path


def _pol009(path: Path) -> list[tuple[int | None, str]]:
    findings = lint_policy(load_policy(path))
    return [(f.location.line, f.message) for f in findings if f.rule == "POL009"]


HELD = "register 'members' holds field"


@pytest.mark.parametrize(
    ("forbidden", "allowed", "messages"),
    [
        # The group forbids each category and the group's own kind.
        (
            ["special_category"],
            [],
            [
                f"{HELD} 'diagnosis' of forbidden kind 'health_data' (forbidden as "
                "special_category) without allowing it in allowed_kinds",
                f"{HELD} 'faith' of forbidden kind 'religious_or_philosophical_beliefs' "
                "(forbidden as special_category) without allowing it in allowed_kinds",
                f"{HELD} 'sensitive' of forbidden kind 'special_category' without allowing it "
                "in allowed_kinds",
            ],
        ),
        # One category allowed: the others are still forbidden.
        (
            ["special_category"],
            ["health_data"],
            [
                f"{HELD} 'faith' of forbidden kind 'religious_or_philosophical_beliefs' "
                "(forbidden as special_category) without allowing it in allowed_kinds",
                f"{HELD} 'sensitive' of forbidden kind 'special_category' without allowing it "
                "in allowed_kinds",
            ],
        ),
        # The group allowed: every category is.
        (["special_category"], ["special_category"], []),
        # One category forbidden on its own: only it.
        (
            ["health_data"],
            [],
            [
                f"{HELD} 'diagnosis' of forbidden kind 'health_data' without allowing it in "
                "allowed_kinds"
            ],
        ),
        (["health_data"], ["special_category"], []),
        ([], [], []),
    ],
)
def test_special_categories_are_forbidden_and_allowed_as_a_group(
    tmp_path: Path, forbidden: list[str], allowed: list[str], messages: list[str]
) -> None:
    path = _policy(tmp_path, forbidden, allowed)
    got = _pol009(path)
    assert [m for _, m in got] == messages
    # Each at the register's list of fields.
    line = path.read_text("utf-8").splitlines().index(f"    fields: [{FIELDS}]") + 1
    assert {at for at, _ in got} == ({line} if messages else set())


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("UK", "'UK' is not an ISO 3166-1 alpha-2 country code; did you mean 'GB'?"),
        ("EL", "'EL' is not an ISO 3166-1 alpha-2 country code; did you mean 'GR'?"),
        ("XX", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (
            "uk",
            "'uk' is neither a country code (FI, NO) nor a region name (EU, EEA); did you "
            "mean 'GB'?",
        ),
        (
            "fi",
            "'fi' is neither a country code (FI, NO) nor a region name (EU, EEA); did you "
            "mean 'FI'?",
        ),
        (
            "eea",
            "'eea' is neither a country code (FI, NO) nor a region name (EU, EEA); did you "
            "mean 'EEA'?",
        ),
        (
            "Finland",
            "'Finland' is neither a country code (FI, NO) nor a region name (EU, EEA); "
            "did you mean 'FI'?",
        ),
        ("x-y", "'x-y' is neither a country code (FI, NO) nor a region name (EU, EEA)"),
    ],
)
def test_a_place_written_as_people_often_do_gets_a_did_you_mean(
    tmp_path: Path, place: str, message: str
) -> None:
    path = _policy(tmp_path, [], [])
    text = path.read_text("utf-8").replace("allowed: [EEA]", f"allowed: [EEA, {place}]")
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as raised:
        load_policy(path)
    line = text.splitlines().index(f"  allowed: [EEA, {place}]") + 1
    assert [str(p) for p in raised.value.problems] == [f"{path}:{line}:18: {message}"]


@pytest.mark.parametrize("place", ["GB", "GR", "FI", "EEA", "EU"])
def test_the_right_places_are_accepted(tmp_path: Path, place: str) -> None:
    path = _policy(tmp_path, [], [])
    path.write_text(path.read_text("utf-8").replace("[EEA]", f"[{place}]"), "utf-8")
    assert load_policy(path).model.transfers.allowed == [place]


# --- IBAN and IP address values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("FI21 1234 5600 0007 85", True),
        ("FI2112345600000785", True),
        ("GB82 WEST 1234 5698 7654 32", True),
        ("FI21 1234 5600 0007 86", False),  # one digit mistyped
        ("FI21 1234 5600 0007", False),  # too short for Finland
        ("1234560000785", False),  # a domestic account number, no country
        ("", False),
    ],
)
def test_an_iban_is_valid_only_with_its_check_digits_and_format(value: str, valid: bool) -> None:
    assert is_iban(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("192.0.2.10", True),
        ("2001:db8::1", True),
        (3221225994, True),  # 192.0.2.10 stored packed (INET_ATON)
        (bytes([192, 0, 2, 10]), True),
        ("192.0.2.256", False),
        ("192.0.2.0/24", False),  # a network, not an address
        (" 192.0.2.10", False),
        ("web1.example.fi", False),
        (True, False),  # a flag is no address
        (-1, False),
    ],
)
def test_an_ip_address_is_one_address(value: Any, valid: bool) -> None:
    assert is_ip_address(value) is valid


def test_native_address_types_are_addresses() -> None:
    import ipaddress

    assert is_ip_address(ipaddress.ip_address("2001:db8::1"))
    assert is_ip_address(ipaddress.ip_interface("192.0.2.10/24"))


# --- special categories by column name -----------------------------------------------------

NAMED: list[tuple[str, str | None]] = [
    ("health_notes", "health_data"),
    ("HealthNotes", "health_data"),
    ("terveydentila", "health_data"),
    ("terveystiedot", "health_data"),
    ("diagnosis_code", "health_data"),
    ("diagnoosi", "health_data"),
    ("illness", "health_data"),
    ("sairaus", "health_data"),
    ("sairaudet", "health_data"),
    ("allergies", "health_data"),
    ("allergia", "health_data"),
    ("medication", "health_data"),
    ("lääkitys", "health_data"),
    ("disability", "health_data"),
    ("vamma", "health_data"),
    ("religion", "religious_or_philosophical_beliefs"),
    ("uskonto", "religious_or_philosophical_beliefs"),
    ("uskonnollinen_vakaumus", "religious_or_philosophical_beliefs"),
    ("ethnicity", "racial_or_ethnic_origin"),
    ("etninen_tausta", "racial_or_ethnic_origin"),
    ("political_view", "political_opinions"),
    ("poliittinen_kanta", "political_opinions"),
    ("trade_union", "trade_union_membership"),
    ("tradeUnionId", "trade_union_membership"),
    ("union_member", "trade_union_membership"),
    ("unionized_at", "trade_union_membership"),
    ("ammattiliitto", "trade_union_membership"),
    ("ay_jäsenmaksu", "trade_union_membership"),
    ("sexual_orientation", "sex_life_or_sexual_orientation"),
    ("seksuaalinen_suuntautuminen", "sex_life_or_sexual_orientation"),
    ("biometric_template", "biometric_data"),
    ("biometrinen_tunniste", "biometric_data"),
    ("fingerprint", "biometric_data"),
    ("sormenjälki", "biometric_data"),
    ("genetic_test", "genetic_data"),
    ("geneettinen_riski", "genetic_data"),
    ("dna_sample", "genetic_data"),
    # Not Art. 9 data, or a thing's rather than a person's.
    ("healthy_snacks_ok", None),
    ("union_type", None),
    ("european_union", None),
    ("sex", None),
    ("gender", None),
    ("sukupuoli", None),
    ("race_id", None),
    ("is_disabled", None),
    ("diagnostics_level", None),
    ("server_health", None),
    ("healthcheck_url", None),
    ("key_fingerprint", None),
    ("device_fingerprint", None),
    ("birth_date", None),
    ("email", None),
    ("third_party", None),
]


@pytest.mark.parametrize(("column", "kind"), NAMED)
def test_a_name_says_a_special_category_on_whole_parts_only(column: str, kind: str | None) -> None:
    found = special_category_of(column)
    assert (found[0] if found else None) == kind


def test_the_word_list_is_by_the_kinds_of_article_9() -> None:
    from importlib import resources

    path = resources.files("seloste.checks.snapshot").joinpath("special_categories.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    assert list(data["special_categories"]) == list(SPECIAL_CATEGORIES)
    assert set(SPECIAL_CATEGORIES) == GROUPS["special_category"]
    for words in data["special_categories"].values():
        # Only a word's last part may be a prefix, so that words written together still match.
        assert all("*" not in w.rstrip("*") for w in words)


def test_account_numbers_and_birthdays_are_personal_by_name() -> None:
    assert [c for c in ("iban", "tilinumero", "syntymapaiva", "dob") if not personal_name(c)] == []
    assert personal_name("iban_country") and not personal_name("bic")


# --- the snapshot rules on a database made here --------------------------------------------

BINDINGS = """\
seloste: 1
kind: bindings
policy: policy.yaml
tables:
  members:
    register: members
    key: id
    columns: {email: email, diagnosis: diagnosis, iban: iban, ip: ip}
    other_columns: [health_score]
    relationship_end: left_at
ignore_tables: [server_log]
"""
MEMBERS = [
    # id, email, diagnosis, iban, ip, health_score, health_notes, unionized_at
    (1, "a@esimerkki.fi", "J45", "FI21 1234 5600 0007 85", "192.0.2.10", 3, "x", None),
    (2, "b@esimerkki.fi", None, "FI21 1234 5600 0007 86", "192.0.2.300", 4, None, None),
    (3, "c@esimerkki.fi", None, "GB82 WEST 1234 5698 7654 32", "2001:db8::1", None, "y", None),
    (4, "d@esimerkki.fi", None, "FI00 1234", "10.0.0.0/8", None, None, None),
    (5, "e@esimerkki.fi", None, None, None, None, None, None),
]


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "members.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, diagnosis TEXT, iban TEXT,"
            " ip TEXT, health_score INTEGER, health_notes TEXT, unionized_at TEXT, left_at TEXT)"
        )
        conn.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", MEMBERS)
        # Not bound: one column named for health data, one only like it, one for a thing.
        conn.execute(
            "CREATE TABLE visits (id INTEGER PRIMARY KEY, terveydentila TEXT,"
            " healthy_snacks_ok INTEGER, server_health TEXT)"
        )
        conn.executemany(
            "INSERT INTO visits VALUES (?, ?, ?, ?)", [(1, "hyvä", 1, "ok"), (2, None, 0, "ok")]
        )
        # Ignored: no rule reads it, whatever its columns are called.
        conn.execute("CREATE TABLE server_log (id INTEGER PRIMARY KEY, religion TEXT)")
    conn.close()
    return db


def _bound(tmp_path: Path) -> BoundPolicy:
    policy = _policy(tmp_path, ["special_category"], ["special_category"])
    (tmp_path / "bindings.yaml").write_text(BINDINGS, "utf-8")
    return BoundPolicy(load_policy(policy), load_bindings(tmp_path / "bindings.yaml"))


def _seen(findings: list[Finding], *rules: str) -> list[tuple[Any, ...]]:
    return sorted(
        (f.rule, f.location.table, f.location.table_column, f.rows, f.row_keys, f.message)
        for f in findings
        if f.rule in rules
    )


def test_invalid_ibans_and_ip_addresses_are_counted_with_their_keys(tmp_path: Path) -> None:
    findings = check_snapshot(
        _bound(tmp_path), str(_database(tmp_path)), as_of=AS_OF, sample=100, max_keys=10
    )
    assert [f for f in findings if f.rule == "SEL001"] == []
    assert _seen(findings, "SNP013", "SNP014") == [
        ("SNP013", "members", "iban", 2, ("2", "4"), "members.iban (iban) holds invalid IBANs"),
        (
            "SNP014",
            "members",
            "ip",
            2,
            ("2", "4"),
            "members.ip (ip) holds invalid IP addresses",
        ),
    ]
    sampled = {(f.sampled, f.table_rows) for f in findings if f.rule in ("SNP013", "SNP014")}
    assert sampled == {(5, 5)}
    assert all("FI21" not in f.message and "192.0" not in f.message for f in findings)


def test_valid_ibans_and_ip_addresses_pass(tmp_path: Path) -> None:
    db = _database(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE members SET iban = NULL, ip = NULL WHERE id IN (2, 4)")
    conn.close()
    findings = check_snapshot(_bound(tmp_path), str(db), as_of=AS_OF, sample=100, max_keys=10)
    assert _seen(findings, "SNP013", "SNP014", "SEL001") == []


ART9 = "a special category of personal data (GDPR Art. 9(1)), which nothing declares"


def test_columns_named_for_special_categories_are_reported_with_article_9(tmp_path: Path) -> None:
    findings = check_snapshot(
        _bound(tmp_path), str(_database(tmp_path)), as_of=AS_OF, sample=100, max_keys=10
    )
    assert _seen(findings, "SNP012") == [
        (
            "SNP012",
            "members",
            "health_notes",
            2,
            ("1", "3"),
            f"column 'health_notes' of 'members' is named for data concerning health "
            f"('health'): {ART9}",
        ),
        (
            "SNP012",
            "members",
            "unionized_at",
            0,
            (),
            f"column 'unionized_at' of 'members' is named for trade union membership "
            f"('unionized'): {ART9}",
        ),
        (
            "SNP012",
            "visits",
            "terveydentila",
            1,
            ("1",),
            f"column 'terveydentila' of 'visits' is named for data concerning health "
            f"('tervey'): {ART9}",
        ),
    ]
    # The bound diagnosis (kind health_data, allowed) and health_score (declared in
    # other_columns) are declared; healthy_snacks_ok and server_health say nothing of Art. 9;
    # server_log is ignored.
    undeclared = {
        (f.location.table, f.location.table_column) for f in findings if f.rule == "SNP001"
    }
    assert undeclared == {("members", "health_notes"), ("members", "unionized_at")}


def test_a_policy_with_the_new_kinds_lints_clean(tmp_path: Path) -> None:
    allowed = ["health_data", "religious_or_philosophical_beliefs", "special_category"]
    assert lint_policy(load_policy(_policy(tmp_path, ["special_category"], allowed))) == []


# --- the same on the servers ---------------------------------------------------------------


def _server_tables(url: str, postgres: bool) -> None:
    from servers import run_as_admin

    # MariaDB's INET6 holds an IPv4 address in its IPv6 form.
    ip_type, ipv4 = ("inet", "192.0.2.10") if postgres else ("INET6", "::ffff:192.0.2.10")
    run_as_admin(
        url,
        [
            f"CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, diagnosis TEXT, "
            f"iban TEXT, ip {ip_type}, health_score INTEGER, health_notes TEXT, "
            f"unionized_at TEXT, left_at TEXT)",
            "INSERT INTO members (id, email, iban, ip, health_notes) VALUES "
            f"(1, 'a@esimerkki.fi', 'FI21 1234 5600 0007 85', '{ipv4}', 'x'), "
            "(2, 'b@esimerkki.fi', 'FI21 1234 5600 0007 86', '2001:db8::1', NULL), "
            "(3, 'c@esimerkki.fi', NULL, NULL, 'y')",
        ],
    )


def _server_check(tmp_path: Path, url: str) -> list[Finding]:
    return check_snapshot(_bound(tmp_path), url, as_of=AS_OF, sample=100, max_keys=10)


@pytest.mark.postgres
def test_postgres_checks_native_addresses_and_names(tmp_path: Path, empty_postgres: str) -> None:
    _server_tables(empty_postgres, postgres=True)
    findings = _server_check(tmp_path, empty_postgres)
    assert _seen(findings, "SEL001", "SNP014") == []  # inet holds only addresses
    assert [
        (f.rule, f.location.table_column, f.rows, f.row_keys)
        for f in findings
        if f.rule in ("SNP012", "SNP013")
    ] == [
        ("SNP012", "health_notes", 2, ("1", "3")),
        ("SNP012", "unionized_at", 0, ()),
        ("SNP013", "iban", 1, ("2",)),
    ]


@pytest.mark.mysql
def test_mariadb_checks_native_addresses_and_names(tmp_path: Path, empty_mariadb: str) -> None:
    _server_tables(empty_mariadb, postgres=False)
    findings = _server_check(tmp_path, empty_mariadb)
    assert _seen(findings, "SEL001", "SNP014") == []  # INET6 holds only addresses
    assert [
        (f.rule, f.location.table_column, f.rows, f.row_keys)
        for f in findings
        if f.rule in ("SNP012", "SNP013")
    ] == [
        ("SNP012", "health_notes", 2, ("1", "3")),
        ("SNP012", "unionized_at", 0, ()),
        ("SNP013", "iban", 1, ("2",)),
    ]


# --- the notice names the kinds a register holds by its own exception ----------------------


def test_the_notice_names_allowed_kinds_with_their_basis(tmp_path: Path) -> None:
    from seloste.policy.render import render_notice

    policy = load_policy(_policy(tmp_path, ["special_category"], ["health_data"])).model
    # The two other special-category fields are not allowed (POL009 says so): only what the
    # register holds by an exception is listed, under the exception that covers it.
    fi = render_notice(policy, "fi", "md")[0]
    assert (
        "Erityistä suojaa vaativat tiedot ja niiden käsittelyperuste:\n\n"
        "- Terveyttä koskevat tiedot (Diagnoosi): Suostumus (tietosuoja-asetuksen 6 artiklan 1 "
        "kohdan a alakohta), GDPR Art. 9(2)(a). K\n"
    ) in fi
    en = render_notice(policy, "en", "html")[0]
    assert (
        "<p>Data that needs special protection, and the basis for processing it:</p>\n<ul>\n"
        "<li>Data concerning health (Diagnosis): Consent (GDPR Art. 6(1)(a)), GDPR Art. 9(2)(a)."
        " Y</li>\n</ul>\n"
    ) in en


def test_a_group_exception_lists_each_field_it_covers_once(tmp_path: Path) -> None:
    from seloste.policy.render import render_notice

    allowed = ["health_data", "special_category"]
    policy = load_policy(_policy(tmp_path, ["special_category"], allowed)).model
    lines = [
        line for line in render_notice(policy, "en", "md")[0].splitlines() if ": Consent" in line
    ]
    assert lines == [
        "- Data concerning health (Diagnosis): Consent (GDPR Art. 6(1)(a)), GDPR Art. 9(2)(a). Y",
        "- Special categories of personal data (Faith, Sensitive): Consent (GDPR Art. 6(1)(a)), "
        "GDPR Art. 9(2)(a). Y",
    ]


def test_a_register_without_exceptions_has_no_such_list(tmp_path: Path) -> None:
    from seloste.policy.render import render_notice

    policy = load_policy(_policy(tmp_path, ["special_category"], [])).model
    for lang, fmt in (("fi", "md"), ("en", "html")):
        assert TERMS["label.allowed_kinds"][lang] not in render_notice(policy, lang, fmt)[0]
