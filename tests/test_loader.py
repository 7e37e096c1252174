"""The loader: strict YAML, every error with its place, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from seloste.policy import yamlsource
from seloste.policy.errors import InputError
from seloste.policy.loader import load_any, load_policy


def problems(text: str, tmp_path: Path, loader=load_policy) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        loader(path)
    return [str(p).replace(f"{path}", "p.yaml") for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("country: NO", "NO"),
        ("country: no", "no"),
        ("v: on", "on"),
        ("v: yes", "yes"),
        ("v: 2026-01-01", "2026-01-01"),
        ("v: 010", "010"),
        ("v: 0x1F", "0x1F"),
        ("v: 1_000", "1_000"),
        ("v: 12:30", "12:30"),
        ("v: .inf", ".inf"),
        ("v: 1e3", "1e3"),
        ("v: '10'", "10"),
        ("v: !!str 10", "10"),
    ],
)
def test_yaml_1_1_traps_stay_strings(text: str, expected: str) -> None:
    doc = yamlsource.parse(text, "t.yaml")
    assert list(doc.data.values()) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: true", True),
        ("v: false", False),
        ("v: 10", 10),
        ("v: -3", -3),
        ("v: 1.5", 1.5),
        ("v: null", None),
        ("v: ~", None),
        ("v:", None),
    ],
)
def test_json_like_scalars_are_typed(text: str, expected: object) -> None:
    assert yamlsource.parse(text, "t.yaml").data == {"v": expected}


def test_keys_are_the_text_written() -> None:
    doc = yamlsource.parse("NO: 1\n010: 2\ntrue: 3\n", "t.yaml")
    assert list(doc.data) == ["NO", "010", "true"]


def test_duplicate_keys_at_any_depth_are_all_reported() -> None:
    text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    doc = yamlsource.parse(text, "p.yaml")
    assert doc.data == {"a": 1, "b": {"c": 1}}
    assert [str(p) for p in doc.problems] == [
        "p.yaml:4:3: duplicate key 'c' (first defined on line 3)",
        "p.yaml:5:1: duplicate key 'a' (first defined on line 1)",
    ]


def test_unsafe_tag_is_refused_without_constructing(tmp_path: Path) -> None:
    text = "seloste: 1\nkind: policy\nx: !!python/object/apply:os.system ['echo hi']\n"
    assert "p.yaml:3:4: tag !!python/object/apply:os.system is not allowed" in problems(
        text, tmp_path
    )


def test_merge_keys_are_refused() -> None:
    text = "a: &base {x: 1}\nb:\n  <<: *base\n"
    assert [str(p) for p in yamlsource.parse(text, "p.yaml").problems] == [
        "p.yaml:3:3: merge keys (<<) are not supported; write the keys out"
    ]


def test_syntax_error_has_its_place(tmp_path: Path) -> None:
    # The wording is the parser's (libyaml's or PyYAML's); the place is ours.
    (line,) = problems("a: [1, 2\n", tmp_path)
    assert line.startswith("p.yaml:2:1: YAML syntax: ") and "']'" in line


def test_tab_indentation(tmp_path: Path) -> None:
    (line,) = problems("a:\n\tb: 1\n", tmp_path)
    assert line.startswith("p.yaml:2:1: YAML syntax: found character")
    assert line.endswith("(a tab: YAML indents with spaces)")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "p.yaml:1:1: the file is empty; expected a mapping"),
        (b"- a\n- b\n", "p.yaml:1:1: expected a mapping at the top level"),
        (b"a: 1\n---\nb: 2\n", "p.yaml:2:1: expected a single YAML document, found more than one"),
        (b"a: ok\nb: \xff\n", "p.yaml:2:4: not valid UTF-8"),
    ],
)
def test_bad_files(raw: bytes, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(raw)
    with pytest.raises(InputError) as info:
        load_policy(path)
    assert [str(p).replace(str(path), "p.yaml") for p in info.value.problems] == [expected]


def test_bom_is_accepted() -> None:
    assert yamlsource.parse("\ufeffa: 1", "t.yaml").data == {"a": 1}


def test_alias_bomb_is_bounded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (line,) = problems("\n".join(lines) + "\n", tmp_path)
    assert "document expands to more than" in line


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (line,) = problems("a: " + "[" * 5000 + "]" * 5000 + "\n", tmp_path)
    assert line.startswith("p.yaml:") and "nesting" in line


def test_missing_file() -> None:
    with pytest.raises(InputError) as info:
        load_policy("/nonexistent/policy.yaml")
    assert str(info.value) == "/nonexistent/policy.yaml: no such file"


def test_schema_errors_all_at_once_with_places(k_policy_text: str, tmp_path: Path) -> None:
    text = (
        k_policy_text.replace("    staff_trained: true\n\n", "    staff_trainde: true\n\n", 1)
        .replace("    personal: false\n", "    personal: no\n", 1)
        .replace("    locations: [FI]\n", "    locations: [NO, XX, 10]\n", 1)
        .replace("  email:\n    name:", "  email:\n    kind: email\n    name:", 1)
    )
    lines = text.splitlines()

    def line(needle: str, nth: int = 0) -> int:
        return [i for i, t in enumerate(lines, 1) if needle in t][nth]

    assert problems(text, tmp_path) == [
        f"p.yaml:{line('personal: no')}:15: expected true or false, got 'no'",
        f"p.yaml:{line('kind: email', 1)}:5: duplicate key 'kind' "
        f"(first defined on line {line('kind: email')})",
        f"p.yaml:{line('staff_trainde')}:5: unknown key 'staff_trainde'; "
        "did you mean 'staff_trained'?",
        f"p.yaml:{line('XX')}:21: 'XX' is not an ISO 3166-1 alpha-2 country code",
        f"p.yaml:{line('XX')}:25: expected a string, got '10' (quote it)",
    ]


def test_norway_unquoted_is_norway(k_policy_text: str, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(k_policy_text.replace("allowed: [EEA]", "allowed: [EU, NO, IS, LI]"))
    assert load_policy(path).model.transfers.allowed == ["EU", "NO", "IS", "LI"]


def test_missing_required_key_points_at_its_parent(tmp_path: Path) -> None:
    text = "seloste: 1\nkind: policy\ncontroller:\n  name: X\n"
    got = problems(text, tmp_path)
    assert got == [
        "p.yaml:1:1: missing required key 'fields'",
        "p.yaml:1:1: missing required key 'registers'",
        "p.yaml:1:1: missing required key 'transfers'",
        "p.yaml:4:3: missing required key 'contact'",
    ]


def test_wrong_kind_is_named(tmp_path: Path) -> None:
    assert problems("seloste: 1\nkind: polcy\n", tmp_path, load_any) == [
        "p.yaml:2:7: 'kind' is 'polcy'; expected one of: policy, bindings, flows"
    ]


def test_builtin_region_members_are_iso_countries() -> None:
    # The Place validator accepts these without asking pycountry (policy/model.py).
    import pycountry
    from seloste.policy.regions import members

    assert "FI" in members() and "NO" in members()
    assert [c for c in sorted(members()) if pycountry.countries.get(alpha_2=c) is None] == []


def test_an_unexpected_key_is_quoted_by_a_short_escaped_prefix(tmp_path: Path) -> None:
    """A file never meant to be YAML for seloste (its lines read as keys) is not copied into
    the messages: each unexpected key shows at most 32 characters, escaped."""
    shadow = "root:$6$Zt3\\e[2J\\u202eLongPasswordHashThatMustNotBeShown:19000:0:99999:7:::"
    path = tmp_path / "f.yaml"
    path.write_text(
        f'seloste: 1\nkind: flows\n"{shadow}": x\nflows: {{"{shadow}": {{}}}}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_any(path)
    prefix = "'root:$6$Zt3\\x1b[2J\\u202eLongPasswordH...'"
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        f"unknown key {prefix}; expected one of: seloste, kind, policy, description, flows",
        f"String should have at most 64 characters (got {prefix})",
        "missing required key 'fields'",
        "missing required key 'purpose'",
        "missing required key 'register'",
    ]


def test_sections_of_the_first_form_say_how_to_rewrite_them(
    k_policy_text: str, tmp_path: Path
) -> None:
    """A free section needs its title; complaint and disclosures have keys of their own."""
    message = (
        "a section has a title and a text: write {title: {fi: ..., en: ...}, text: {fi: ..., "
        "en: ...}}; a complaint or disclosures section is now notice.complaint or "
        "notice.disclosures"
    )
    for entry in ("opening_hours: {fi: Arkisin 9-16, en: Weekdays 9-16}", "complaint: {fi: a}"):
        text = k_policy_text.replace("    fi_registrar:\n", f"    {entry}\n    fi_registrar:\n")
        at, line = next((i, t) for i, t in enumerate(text.splitlines(), 1) if entry in t)
        assert problems(text, tmp_path) == [f"p.yaml:{at}:{line.index('{') + 1}: {message}"]
