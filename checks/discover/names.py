"""What a column's name says: its kind, the rule it may serve, and how much it resembles a
policy's field, from the words in ``words.yaml``.

Names are split into parts the way ``checks/snapshot/values.py`` splits them (``name_parts``),
so a name means the same to discover as to the special-category rule (SNP012).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from seloste.checks.snapshot.values import NOT_PERSONS, name_parts, special_category_of


@dataclass(frozen=True)
class Word:
    """One entry of the list, ready to match: its parts, and the entry as written."""

    parts: tuple[str, ...]
    text: str

    def found_in(self, parts: tuple[str, ...]) -> bool:
        n = len(self.parts)
        for i in range(len(parts) - n + 1):
            if all(_matches(p, w) for p, w in zip(parts[i : i + n], self.parts, strict=True)):
                return True
        joined = "".join(self.parts)  # "phone number" written as one part: phonenumber
        return n > 1 and any(_matches(p, joined) for p in parts)


@dataclass(frozen=True)
class Words:
    kinds: tuple[tuple[str, tuple[Word, ...]], ...]
    rule_columns: tuple[tuple[str, tuple[Word, ...]], ...]
    things: frozenset[str]
    plain: tuple[Word, ...]
    time_parts: frozenset[str]
    stop: frozenset[str]
    synonyms: dict[str, str]  # a word -> the first word of its group


def _matches(part: str, word: str) -> bool:
    if word.endswith("*"):
        return part.startswith(word[:-1])
    return part in (word, f"{word}s", f"{word}es")


def _word(text: str) -> Word:
    star = "*" if text.endswith("*") else ""
    parts = tuple(p for token in text.removesuffix("*").split() for p in [_fold(token)] if p)
    if star and parts:
        parts = (*parts[:-1], parts[-1] + star)
    return Word(parts, text)


def _fold(token: str) -> str:
    return "".join(name_parts(token))


def _entries(table: dict[str, list[str]]) -> tuple[tuple[str, tuple[Word, ...]], ...]:
    return tuple((key, tuple(_word(w) for w in words)) for key, words in table.items())


@cache
def words() -> Words:
    import yaml

    path = resources.files("seloste.checks.discover").joinpath("words.yaml")
    data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Words(
        kinds=_entries(data["kinds"]),
        rule_columns=_entries(data["rule_columns"]),
        things=frozenset(_fold(w) for w in data["things"]) | NOT_PERSONS,
        plain=tuple(_word(w) for w in data["plain"]),
        time_parts=frozenset(_fold(w) for w in data["time_parts"]),
        stop=frozenset(_fold(w) for w in data["stop"]),
        synonyms={_fold(w): _fold(group[0]) for group in data["synonyms"] for w in group},
    )


@dataclass(frozen=True)
class Named:
    """A kind (or a rule column) a name says, and the word that says it."""

    what: str
    word: str


def _best(
    entries: tuple[tuple[str, tuple[Word, ...]], ...], parts: tuple[str, ...]
) -> Named | None:
    """The entry whose longest word is found in ``parts``; the first listed on a tie."""
    best: tuple[int, Named] | None = None
    for key, entry in entries:
        for word in entry:
            if word.found_in(parts) and (best is None or len(word.parts) > best[0]):
                best = (len(word.parts), Named(key, word.text.removesuffix("*")))
    return best[1] if best else None


def kind_of(column: str, table: str) -> Named | None:
    """The kind a column's name says it holds (``reporter_email``: email), or None. A bare
    ``name`` in a table of things (``products.name``) is no person's."""
    special = special_category_of(column)
    if special is not None:
        return Named(*special)
    parts = name_parts(column)
    found = _best(words().kinds, parts)
    if found is None or found.what != "person_name":
        return found
    context = set(parts) | (set(name_parts(table)) if len(parts) == 1 else set())
    if context & words().things or {_singular(p) for p in context} & words().things:
        return None
    return found


def rule_column_of(column: str, keys: tuple[str, ...]) -> Named | None:
    """The binding key among ``keys`` (``relationship_end``, ``restricted``...) a column's
    name suits."""
    entries = tuple(e for e in words().rule_columns if e[0] in keys)
    return _best(entries, name_parts(column))


def says_time(column: str) -> bool:
    """A name that says it holds a time (``transferred_out_at``, ``issued_on``)."""
    parts = name_parts(column)
    return bool(parts) and parts[-1] in words().time_parts


def plain(column: str) -> str | None:
    """The word that says a column holds no personal data (``order_status``), if any."""
    parts = name_parts(column)
    return next((w.text for w in words().plain if w.found_in(parts)), None)


def _singular(part: str) -> str:
    if len(part) > 4 and part.endswith("ies"):
        return part[:-3] + "y"
    if len(part) > 3 and part.endswith("s") and not part.endswith("ss"):
        return part[:-1]
    return part


def stems(texts: Iterable[str]) -> frozenset[str]:
    """The meaningful parts of some names or texts, plurals made singular."""
    known = words()
    found = (p for text in texts for p in name_parts(text) if p not in known.stop and len(p) > 1)
    return frozenset(
        known.synonyms.get(p, known.synonyms.get(_singular(p), _singular(p))) for p in found
    )


def resemblance(column: str, table: str, field: Iterable[str]) -> tuple[int, int]:
    """How much a column resembles a field (its id, names and description): the parts its
    own name shares with the field, then the parts its table's name shares."""
    theirs = stems(field)
    return len(stems([column]) & theirs), len(stems([table]) & theirs)
