"""Reading stored times and flags in SQL, the same way on every source.

A rule asks two things of a column: which rows hold a value "before the cut-off" (or "set",
for a flag), and which rows hold a value that cannot be read at all. Both are SQL conditions
evaluated in the database, inside the one aggregate query per table, in each dialect's own
functions; what a value means is defined once, in ``policy/times.py`` (times) and here
(flags), and ``tests/test_snapshot_reading.py`` holds every source to that definition.

How a column stores its values decides how it is read:

- a native time type: ``TIMESTAMP WITH TIME ZONE`` is an instant; ``TIMESTAMP``/``DATETIME``
  without a zone is a wall-clock time in the bindings' time zone (MariaDB's ``TIMESTAMP`` is
  UTC: sessions run with ``time_zone = '+00:00'``); ``DATE`` is the instant its day begins there;
- numbers: seconds or milliseconds since 1970 when the bindings declare the column
  ``epoch_seconds``/``epoch_milliseconds``, else unreadable;
- text: ISO 8601 (the grammar in ``policy/times.py``), or the declared epoch or pattern;
- SQLite has no column types: each value is read by what it is (``typeof``).

Naive values are compared with the cut-off's wall-clock time in their zone rather than turned
into instants in SQL, so no source needs a time zone database; within the hour that repeats
when clocks go back, a wall-clock time is compared as written.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from seloste.policy import times

if TYPE_CHECKING:
    from seloste.checks.snapshot.values import Candidates

# Flag text, compared after lower() and trim(); a readable time is "set" too (opted_out_at).
TRUE_WORDS = ("1", "true", "t", "yes", "y", "x", "on")
FALSE_WORDS = ("0", "false", "f", "no", "n", "off", "")

# The SQL function SQLite reads a declared pattern with (registered on its connection).
SQLITE_PATTERN_FUNCTION = "seloste_time"


def _b(value: Any, type_: Any = None) -> Any:
    return sa.bindparam(None, value, type_=type_ or sa.String())


class Cutoff:
    """One cut-off as each kind of stored time is compared with it."""

    def __init__(self, moment: datetime, tz: tzinfo) -> None:
        self.utc = times.whole_second(moment.astimezone(UTC))
        self.wall = times.local(self.utc, tz)
        day = self.wall.date()
        # A date is its midnight: before the cut-off when that midnight is.
        self.day: date = day if self.wall.time() == datetime.min.time() else day + timedelta(1)

    def epoch(self, per_second: int) -> int:
        return int(self.utc.timestamp()) * per_second


# --- what a column holds ----------------------------------------------------------------------


def storage(dialect: str, kind: Any) -> str:
    """How a column stores values: dynamic (SQLite), instant, utc, wall, date, number, text,
    or other (nothing in it can be read as a time)."""
    if dialect == "sqlite":
        return "dynamic"
    if isinstance(kind, sa.DateTime):
        if getattr(kind, "timezone", False):
            return "instant"
        if dialect in ("mysql", "mariadb") and isinstance(kind, sa.TIMESTAMP):
            return "utc"
        return "wall"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.Integer | sa.Numeric | sa.Float) and not isinstance(kind, sa.Boolean):
        return "number"
    if isinstance(kind, sa.String | sa.types.NullType):
        return "text"
    return "other"


class Reader:
    """Conditions over one source's columns: before a cut-off, unreadable, flag set."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect

    # --- times ------------------------------------------------------------------------------

    def before(self, col: Any, kind: Any, fmt: str, tz: tzinfo, cutoff: datetime) -> Any:
        """Rows whose value is a readable time strictly before ``cutoff``."""
        cut = Cutoff(cutoff, tz)
        how = storage(self.dialect, kind)
        if how == "dynamic":
            return self._sqlite_before(col, fmt, cut)
        if how == "instant":
            return col < _b(cut.utc, sa.DateTime(timezone=True))
        if how == "utc":
            return col < _b(cut.utc.replace(tzinfo=None), sa.DateTime())
        if how == "wall":
            return col < _b(cut.wall, sa.DateTime())
        if how == "date":
            return col < _b(cut.day, sa.Date())
        if how == "number" and fmt in times.EPOCHS:
            return sa.func.floor(col) < _b(cut.epoch(times.EPOCHS[fmt]), sa.BigInteger())
        if how == "text":
            # CASE, not AND: only CASE fixes the order of evaluation (a WHERE clause's ANDed
            # parts may be reordered), and a cast must never see a value that is not a time.
            return sa.case(
                (self._text_ok(col, fmt), self._text_before(col, fmt, cut)), else_=sa.false()
            )
        return sa.false()

    def unreadable_time(self, col: Any, kind: Any, fmt: str) -> Any:
        """Rows holding a value that is not a time (NULL is not counted here); None when the
        column's type can hold nothing else."""
        how = storage(self.dialect, kind)
        if how in ("instant", "utc", "wall", "date"):
            return None
        if how == "number" and fmt in times.EPOCHS:
            return None
        if how == "dynamic":
            return sa.and_(col.is_not(None), sa.not_(self._sqlite_ok(col, fmt)))
        if how == "text":
            return sa.and_(col.is_not(None), sa.not_(self._text_ok(col, fmt)))
        return col.is_not(None)

    # --- candidates of a kind, for a full scan -----------------------------------------------

    def candidate(self, col: Any, kind: Any, found: Candidates) -> Any:
        """Rows whose value may hold the kind (a superset, confirmed in Python afterwards).

        On SQLite any column may hold text, whatever it was declared as; one that was not
        declared as text is tested only where a value is text, which costs little."""
        if self.dialect != "sqlite":
            # The pattern alone: its selectivity the planner can estimate, so it plans a
            # parallel scan (behind a CASE it would guess that every row matches).
            return self._match(col, found.regex)
        # Shorter text cannot hold the kind, and SQLite's length() costs far less than its
        # GLOB; CASE makes it test the length first.
        long = sa.func.length(col) >= found.shortest
        if not isinstance(kind, sa.String | sa.types.NullType):
            long = sa.and_(sa.func.typeof(col) == "text", long)
        return sa.case((long, sa.or_(*(_glob(col, p) for p in found.globs))), else_=sa.false())

    # --- flags ------------------------------------------------------------------------------

    def flag_set(self, col: Any, kind: Any) -> Any:
        """Rows whose flag is set: true, non-zero, a time (``opted_out_at``) or 'yes'-like text."""
        how = storage(self.dialect, kind)
        if how == "dynamic":
            return sa.case(
                (sa.func.typeof(col).in_(["integer", "real"]), col != 0),
                (sa.func.typeof(col) == "text", self._text_flag_set(col)),
                else_=sa.false(),
            )
        if isinstance(kind, sa.Boolean):
            return col.is_(sa.true())
        if how == "number":
            return col != 0
        if how in ("instant", "utc", "wall", "date"):
            return col.is_not(None)
        if how == "text":
            return self._text_flag_set(col)
        return sa.false()

    def unreadable_flag(self, col: Any, kind: Any) -> Any:
        """Rows whose flag is neither set nor unset by the words above; None when the column's
        type can hold nothing else."""
        how = storage(self.dialect, kind)
        if how == "dynamic":
            return sa.case(
                (sa.func.typeof(col).in_(["integer", "real", "null"]), sa.false()),
                (sa.func.typeof(col) == "text", sa.not_(self._text_flag_known(col))),
                else_=sa.true(),
            )
        if isinstance(kind, sa.Boolean) or how in ("number", "instant", "utc", "wall", "date"):
            return None
        if how == "text":
            return sa.and_(col.is_not(None), sa.not_(self._text_flag_known(col)))
        return col.is_not(None)

    def _word(self, col: Any) -> Any:
        return sa.func.lower(sa.func.trim(col))

    def _text_flag_set(self, col: Any) -> Any:
        return sa.or_(self._word(col).in_(TRUE_WORDS), self._iso_ok(col))

    def _text_flag_known(self, col: Any) -> Any:
        word = self._word(col)
        return sa.or_(word.in_(TRUE_WORDS + FALSE_WORDS), self._iso_ok(col))

    # --- text, on the servers and DuckDB ----------------------------------------------------

    def _match(self, col: Any, regex: str) -> Any:
        if self.dialect == "postgresql":
            return col.op("~", is_comparison=True)(_b(regex))
        if self.dialect in ("mysql", "mariadb"):
            # REGEXP follows the column's collation, which is usually case-insensitive; and
            # PCRE's $ also matches before a final newline, \z only at the end.
            anchored = regex[:-1] + "\\z" if regex.endswith("$") else regex
            return col.op("REGEXP", is_comparison=True)(_b(f"(?-i){anchored}"))
        if self.dialect == "sqlite":
            raise AssertionError("SQLite has no regular expressions; see _sqlite_*")
        if self.dialect == "spark":
            return col.op("RLIKE", is_comparison=True)(_b(_java(regex)))
        return sa.func.regexp_matches(col, _b(regex), type_=sa.Boolean())

    def _replace(self, col: Any, regex: str, replacement: str) -> Any:
        if self.dialect in ("postgresql", "duckdb"):
            return sa.func.regexp_replace(col, _b(regex), _b(replacement), _b("g"))
        if self.dialect == "spark":
            # Java writes a group in the replacement as $1, where \1 is a plain 1.
            groups = re.sub(r"\\([0-9])", r"$\1", replacement)
            return sa.func.regexp_replace(col, _b(_java(regex)), _b(groups))
        return sa.func.regexp_replace(col, _b(regex), _b(replacement))

    def _iso_ok(self, col: Any) -> Any:
        if self.dialect == "sqlite":
            return _sqlite_iso_ok(col)
        return self._match(col, times.ISO_RE)

    def _text_ok(self, col: Any, fmt: str) -> Any:
        if fmt == times.ISO:
            return self._iso_ok(col)
        if fmt in times.EPOCHS:
            return self._match(col, times.EPOCH_INTEGER_RE)
        return sa.and_(
            self._match(col, _full(times.pattern(fmt).regex)), self._canonical_ok(col, fmt)
        )

    def _canonical(self, col: Any, fmt: str) -> Any:
        """A value in a declared pattern as canonical naive text ``YYYY-MM-DD hh:mm:ss``: the
        groups rearranged, each one-digit group padded (via a marker, as SQL cannot pad a
        back-reference)."""
        found = times.pattern(fmt)
        where = {g: i + 1 for i, g in enumerate(found.groups)}

        def part(name: str) -> str:
            if name not in where:
                return "00"
            ref = f"\\{where[name]}"
            return ref if name == "Y" else f"x{ref}"

        template = f"{part('Y')}-{part('m')}-{part('d')} {part('H')}:{part('M')}:{part('S')}"
        marked = self._replace(col, _full(found.regex), template)
        return sa.func.replace(self._replace(marked, "x([0-9]{2})", "\\1"), "x", "0")

    def _canonical_ok(self, col: Any, fmt: str) -> Any:
        return self._match(self._canonical(col, fmt), times.ISO_RE)

    def _text_before(self, col: Any, fmt: str, cut: Cutoff) -> Any:
        if fmt in times.EPOCHS:
            number = sa.cast(
                col, sa.Numeric(38, 0) if self.dialect != "postgresql" else sa.Numeric()
            )
            return number < _b(cut.epoch(times.EPOCHS[fmt]), sa.BigInteger())
        if fmt != times.ISO:
            return sa.cast(self._canonical(col, fmt), sa.DateTime()) < _b(cut.wall, sa.DateTime())
        whole = self._replace(col, times.FRACTION_RE, "")
        zoned = self._match(col, times.ZONE_AT_END_RE)
        if self.dialect == "postgresql":
            return sa.case(
                (
                    zoned,
                    sa.cast(whole, sa.DateTime(timezone=True))
                    < _b(cut.utc, sa.DateTime(timezone=True)),
                ),
                else_=sa.cast(whole, sa.DateTime()) < _b(cut.wall, sa.DateTime()),
            )
        # MariaDB and DuckDB: the wall-clock part, and the offset in minutes moved to the
        # cut-off's side (naive - offset < cut  <=>  naive < cut + offset).
        wall = sa.cast(self._replace(whole, times.ZONE_AT_END_RE, ""), sa.DateTime())
        sign = sa.case((sa.func.substr(whole, -6, 1) == "-", -1), else_=1)
        hours = sa.cast(sa.func.substr(whole, -5, 2), sa.Integer())
        minutes = sa.cast(sa.func.substr(whole, -2, 2), sa.Integer())
        offset = sa.case(
            (sa.func.substr(whole, -1, 1) == "Z", 0), else_=sign * (hours * 60 + minutes)
        )
        utc_cut = _b(cut.utc.replace(tzinfo=None), sa.DateTime())
        if self.dialect == "duckdb":
            shifted = utc_cut + sa.func.to_minutes(offset)
        else:
            shifted = sa.func.timestampadd(sa.literal_column("MINUTE"), offset, utc_cut)
        return sa.case((zoned, wall < shifted), else_=wall < _b(cut.wall, sa.DateTime()))

    # --- SQLite: every value by its own type ------------------------------------------------

    def _sqlite_ok(self, col: Any, fmt: str) -> Any:
        text = sa.func.typeof(col) == "text"
        if fmt == times.ISO:
            return sa.and_(text, _sqlite_iso_ok(col))
        if fmt in times.EPOCHS:
            number = sa.func.typeof(col).in_(["integer", "real"])
            return sa.or_(number, sa.and_(text, _sqlite_integer_text(col)))
        return sa.and_(text, getattr(sa.func, SQLITE_PATTERN_FUNCTION)(col, _b(fmt)).is_not(None))

    def _sqlite_before(self, col: Any, fmt: str, cut: Cutoff) -> Any:
        ok = self._sqlite_ok(col, fmt)
        if fmt in times.EPOCHS:
            units = sa.cast(col, sa.Integer())
            # CAST truncates toward zero; a negative fraction is floored one further.
            floor = units - sa.case(
                (sa.and_(sa.func.typeof(col) == "real", col < units), 1), else_=0
            )
            return sa.and_(ok, floor < _b(cut.epoch(times.EPOCHS[fmt]), sa.BigInteger()))
        if fmt != times.ISO:
            canonical = getattr(sa.func, SQLITE_PATTERN_FUNCTION)(col, _b(fmt))
            return sa.and_(
                ok, sa.func.julianday(canonical) < sa.func.julianday(_b(_text(cut.wall)))
            )
        whole = sa.case(
            (
                sa.func.substr(col, 20, 1) == ".",
                sa.func.substr(col, 1, 19).concat(_sqlite_zone(col)),
            ),
            else_=col,
        )
        day = sa.func.julianday(whole)
        if cut.wall == cut.utc.replace(tzinfo=None):  # UTC: one comparison for every form
            return sa.and_(ok, day < sa.func.julianday(_b(_text(cut.wall))))
        zoned = _sqlite_zone(col) != ""
        return sa.and_(
            ok,
            sa.case(
                (zoned, day < sa.func.julianday(_b(_text(cut.utc)))),
                else_=day < sa.func.julianday(_b(_text(cut.wall))),
            ),
        )


def _java(regex: str) -> str:
    """A pattern for Spark (Java), whose ``$`` also matches before a final line break: ``\\z``
    matches only at the end, as ``$`` does on PostgreSQL and DuckDB."""
    return regex[:-1] + "\\z" if regex.endswith("$") else regex


def _full(regex: str) -> str:
    return f"^{regex}$"


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# --- SQLite's ISO grammar, in GLOB and date functions -----------------------------------------


def _glob(col: Any, pattern: str) -> Any:
    return col.op("GLOB", is_comparison=True)(_b(pattern))


def _sqlite_zone_ok(text: Any) -> Any:
    """``Z`` or an offset ``+hh:mm`` up to 14:59."""
    offset = sa.and_(
        _glob(text, "[-+][01][0-9]:[0-5][0-9]"), sa.func.substr(text, 2, 2) <= _b("14")
    )
    return sa.or_(text == "Z", offset)


def _sqlite_zone(col: Any) -> Any:
    """The ``Z`` or offset a readable value ends with, or ''."""
    return sa.case(
        (sa.func.length(col) <= 16, ""),
        (_glob(col, "*Z"), "Z"),
        (sa.func.substr(col, -6, 1).in_(["+", "-"]), sa.func.substr(col, -6)),
        else_="",
    )


def _sqlite_iso_ok(col: Any) -> Any:
    """``col`` (text) in the ISO grammar of ``policy/times.py``, decided by shape (GLOB) and
    by SQLite's own calendar: a day that does not exist comes back from ``date(day, '+0
    days')`` as another day (without a modifier SQLite prints the day as written)."""
    day = sa.func.substr(col, 1, 10)
    after_minutes = sa.func.substr(col, 17)  # '', a zone, or ':ss' with more
    after_seconds = sa.func.substr(col, 20)  # '', a zone, or '.f' with a zone or not
    fraction = sa.case(
        (
            _glob(after_seconds, "*Z"),
            sa.func.substr(after_seconds, 1, sa.func.length(after_seconds) - 1),
        ),
        (
            sa.and_(
                sa.func.length(after_seconds) >= 8,
                _sqlite_zone_ok(sa.func.substr(after_seconds, -6)),
            ),
            sa.func.substr(after_seconds, 1, sa.func.length(after_seconds) - 6),
        ),
        else_=after_seconds,
    )
    fraction_ok = sa.and_(
        _glob(fraction, ".[0-9]*"), sa.not_(_glob(sa.func.substr(fraction, 2), "*[^0-9]*"))
    )
    seconds_ok = sa.and_(
        _glob(sa.func.substr(col, 17, 3), ":[0-5][0-9]"),
        sa.or_(after_seconds == "", _sqlite_zone_ok(after_seconds), fraction_ok),
    )
    time_ok = sa.and_(
        sa.func.substr(col, 11, 1).in_(["T", " "]),
        _glob(sa.func.substr(col, 12, 5), "[0-2][0-9]:[0-5][0-9]"),
        sa.func.substr(col, 12, 2) < _b("24"),
        sa.or_(after_minutes == "", _sqlite_zone_ok(after_minutes), seconds_ok),
    )
    return sa.and_(
        _glob(col, "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"),
        sa.func.substr(col, 1, 4) != "0000",
        sa.func.date(day, _b("+0 days")).is_not_distinct_from(day),  # NULL for month 13
        sa.or_(sa.func.length(col) == 10, time_ok),
    )


def _sqlite_integer_text(col: Any) -> Any:
    digits = sa.case((sa.func.substr(col, 1, 1) == "-", sa.func.substr(col, 2)), else_=col)
    return sa.and_(digits != "", sa.not_(_glob(digits, "*[^0-9]*")))


def sqlite_pattern_function(value: Any, fmt: Any) -> str | None:
    """``seloste_time(value, pattern)`` for SQLite: the canonical text of a value written in a
    declared pattern, or NULL (SQLite has no regular expressions to do it in SQL)."""
    if not isinstance(value, str) or not isinstance(fmt, str):
        return None
    return times.pattern_cached(fmt).canonical(value)


def register(raw_connection: Any) -> None:
    """Give a SQLite connection the functions reading needs."""
    raw_connection.create_function(
        SQLITE_PATTERN_FUNCTION, 2, sqlite_pattern_function, deterministic=True
    )
