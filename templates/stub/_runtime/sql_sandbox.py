"""The database one customer SQL query runs in, and what the query may do there.

Isolation is structural: each query gets its own in-memory SQLite connection holding one
table per collection, filled with only the rows of the orgs in the request's scope; the
stub's own tables are not there to reach. On top of that, before the query is prepared:

* SQLite's own limits are lowered (:data:`LIMITS`): no value longer than the result budget
  (or the longest copied record), no bound parameters, shallow expressions, short LIKE
  patterns, no attached databases;
* an authorizer allows SELECT, reads of the caller's tables, of the query's own CTEs and of
  the table-valued functions ``json_each``/``json_tree``, and calls of the functions in
  :data:`FUNCTIONS` (SQLite's ordinary scalar, aggregate, date, math, JSON and window
  functions). Everything else is refused before the statement runs, by name: writes,
  PRAGMA, ATTACH, ``sqlite_master``, ``pragma_*``/``dbstat``, ``fts3_tokenizer()`` (which
  returns a pointer), ``load_extension()``...;
* a progress handler stops the statement at the query's :class:`Deadline`, which also
  bounds the copy of the rows (the worker checks it between batches).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .store import RawRow

# SQLite's ordinary functions (3.38 to 3.47), none of which reaches outside the query's
# own database; every other function is refused.
_ALLOWED_FUNCTIONS = {
    "scalar": "abs char coalesce concat concat_ws format glob hex ifnull iif instr length like"
    " likelihood likely lower ltrim max min nullif octet_length printf quote random randomblob"
    " replace round rtrim sign soundex substr substring trim typeof unhex unicode unistr"
    " unistr_quote unlikely upper zeroblob",
    "aggregate": "avg count group_concat string_agg sum total median percentile"
    " percentile_cont percentile_disc",
    "window": "row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value"
    " last_value nth_value",
    "date and time": "date time datetime julianday unixepoch strftime timediff current_date"
    " current_time current_timestamp",
    "math": "acos acosh asin asinh atan atan2 atanh ceil ceiling cos cosh degrees exp floor ln"
    " log log10 log2 mod pi pow power radians sin sinh sqrt tan tanh trunc",
    "json": "json jsonb json_array jsonb_array json_array_length json_error_position"
    " json_extract jsonb_extract json_insert jsonb_insert json_object jsonb_object json_patch"
    " jsonb_patch json_pretty json_quote json_remove jsonb_remove json_replace jsonb_replace"
    " json_set jsonb_set json_type json_valid json_group_array jsonb_group_array"
    " json_group_object jsonb_group_object -> ->>",
}
FUNCTIONS = frozenset(name for names in _ALLOWED_FUNCTIONS.values() for name in names.split())
TABLE_FUNCTIONS = frozenset({"json_each", "json_tree"})
# Virtual table modules SQLite builds may have, for when PRAGMA module_list is not there.
_MODULES = frozenset(
    {
        "carray",
        "completion",
        "csv",
        "dbstat",
        "fsdir",
        "fts3",
        "fts3tokenize",
        "fts4",
        "fts4aux",
        "fts5",
        "fts5vocab",
        "generate_series",
        "geopoly",
        "rtree",
        "rtree_i32",
        "sqlite_dbdata",
        "sqlite_dbpage",
        "sqlite_dbptr",
        "sqlite_stmt",
        "zipfile",
    }
)
_SYSTEM = re.compile(r"^(sqlite_|pragma_)", re.I)

# SQLite limits for the query (the copy of the rows is done before they are set).
LIMITS = {
    "SQLITE_LIMIT_SQL_LENGTH": 100_000,
    "SQLITE_LIMIT_EXPR_DEPTH": 100,
    "SQLITE_LIMIT_COMPOUND_SELECT": 100,
    "SQLITE_LIMIT_VDBE_OP": 1_000_000,
    "SQLITE_LIMIT_ATTACHED": 0,
    "SQLITE_LIMIT_LIKE_PATTERN_LENGTH": 1000,
    "SQLITE_LIMIT_VARIABLE_NUMBER": 0,
    "SQLITE_LIMIT_TRIGGER_DEPTH": 0,
    "SQLITE_LIMIT_WORKER_THREADS": 0,
}
_ACTIONS = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_").replace("_", " ")
    for name in (
        "SQLITE_INSERT",
        "SQLITE_UPDATE",
        "SQLITE_DELETE",
        "SQLITE_PRAGMA",
        "SQLITE_ATTACH",
        "SQLITE_DETACH",
        "SQLITE_TRANSACTION",
        "SQLITE_CREATE_TABLE",
        "SQLITE_CREATE_TEMP_TABLE",
        "SQLITE_CREATE_VIEW",
        "SQLITE_CREATE_TEMP_VIEW",
        "SQLITE_CREATE_INDEX",
        "SQLITE_CREATE_TRIGGER",
        "SQLITE_CREATE_VTABLE",
        "SQLITE_DROP_TABLE",
        "SQLITE_DROP_VIEW",
        "SQLITE_DROP_VTABLE",
        "SQLITE_ALTER_TABLE",
        "SQLITE_ANALYZE",
        "SQLITE_REINDEX",
        "SQLITE_SAVEPOINT",
    )
    if hasattr(sqlite3, name)
}
_ROW_CHECK = 256  # rows copied between two looks at the deadline


class TimeUp(Exception):
    """The query's deadline passed (or the stub is shutting down: ``stopping``)."""

    def __init__(self, stopping: bool) -> None:
        super().__init__("stopped" if stopping else "time limit")
        self.stopping = stopping


class Deadline:
    """One time limit for everything a query does; ``stop`` ends it early (shutdown)."""

    def __init__(self, seconds: float, stop: threading.Event) -> None:
        self.at = time.monotonic() + seconds
        self.stop = stop

    def passed(self) -> bool:
        """Whether the work must end now."""
        return self.stop.is_set() or time.monotonic() > self.at

    def check(self) -> None:
        """Raise :class:`TimeUp` once the work must end."""
        if self.passed():
            raise TimeUp(self.stop.is_set())


@dataclass(frozen=True)
class Table:
    """A collection as the query sees it: its table name and property columns."""

    collection: str
    name: str
    props: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, in order."""
        return ("id", "org_id", "parent_id", *self.props, "_record")


class Sandbox:
    """A fresh in-memory database for one query, used by one worker thread."""

    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline
        self.db = sqlite3.connect(":memory:")
        self.denied: list[str] = []
        self.tables: set[str] = set()
        self.longest_value = 0
        self.db.set_progress_handler(lambda: int(deadline.passed()), 1000)

    def close(self) -> None:
        """Free the database."""
        self.db.close()

    def load(self, tables: Iterable[Table], batches: Iterable[list[RawRow]]) -> None:
        """Create the tables and fill them with the rows, oldest first, within the deadline."""
        by_collection: dict[str, list[RawRow]] = {}
        for batch in batches:
            self.deadline.check()
            for row in batch:
                by_collection.setdefault(row.collection, []).append(row)
        for table in tables:
            self._create(table)
            rows = sorted(by_collection.get(table.collection, []), key=lambda r: r.seq)
            marks = ", ".join("?" for _ in table.columns)
            insert = f"INSERT INTO {quote(table.name)} VALUES ({marks})"
            for start in range(0, len(rows), _ROW_CHECK):
                self.deadline.check()
                cells = [self._cells(table, row) for row in rows[start : start + _ROW_CHECK]]
                self.db.executemany(insert, cells)
        self.db.commit()

    def _create(self, table: Table) -> None:
        columns = ", ".join(quote(c) for c in table.columns)
        self.db.execute(f"CREATE TABLE {quote(table.name)} ({columns})")
        self.tables.add(table.name)

    def _cells(self, table: Table, row: RawRow) -> list[Any]:
        data = json.loads(row.data)
        record = json.dumps(data, sort_keys=True)
        # ASCII JSON holding every cell: no cell of the row is longer in bytes.
        self.longest_value = max(self.longest_value, len(record))
        return [
            row.id,
            row.org_id,
            row.parent_id,
            *(_cell(data.get(p)) for p in table.props),
            record,
        ]

    def lock_down(self, max_value_bytes: int) -> None:
        """Set the limits and the authorizer: from now on only reads are possible."""
        # Eponymous virtual tables announce themselves with writes to sqlite_master the first
        # time a connection uses them; do that before the authorizer would refuse it.
        for name in sorted(TABLE_FUNCTIONS):
            self.db.execute(f"SELECT * FROM {name}('[]')").fetchall()
        listed = {str(r[0]).lower() for r in self.db.execute("PRAGMA module_list")}
        length = max(max_value_bytes, self.longest_value)
        self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length)
        for name, value in LIMITS.items():
            if hasattr(sqlite3, name):
                self.db.setlimit(getattr(sqlite3, name), value)
        self.db.set_authorizer(self._authorizer((listed | _MODULES) - TABLE_FUNCTIONS))

    def _authorizer(self, other_modules: set[str]) -> Any:
        tables = {name.lower() for name in self.tables}
        denied = self.denied

        def check(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
            if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
                return sqlite3.SQLITE_OK
            if action == sqlite3.SQLITE_FUNCTION:
                if (arg2 or "").lower() in FUNCTIONS:
                    return sqlite3.SQLITE_OK
                denied.append(f"the function {arg2}() is not allowed")
                return sqlite3.SQLITE_DENY
            name = (arg1 or "").lower()
            if name == "sqlite_master" and (
                action == sqlite3.SQLITE_UPDATE
                or (action == sqlite3.SQLITE_READ and arg2 == "ROWID")
            ):
                # How SQLite announces a virtual table (pragma_*, dbstat) before its own read
                # is checked below; it never lets a query write to sqlite_master.
                return sqlite3.SQLITE_OK
            if action == sqlite3.SQLITE_READ:
                # A name that is no table of the caller's, no system table and no virtual
                # table module can only be the query's own CTE (or json_each/json_tree).
                if name in tables or not (_SYSTEM.match(name) or name in other_modules):
                    return sqlite3.SQLITE_OK
                denied.append(f"reading {arg1} is not allowed")
                return sqlite3.SQLITE_DENY
            denied.append(_refused(action, arg1))
            return sqlite3.SQLITE_DENY

        return check

    def execute(self, query: str) -> sqlite3.Cursor:
        """Prepare and start the query (what it may do is checked here)."""
        return self.db.execute(query)


def _refused(action: int, arg1: str | None) -> str:
    what = _ACTIONS.get(action, "this statement")
    if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE) and arg1:
        return f"{what} on {arg1} is not allowed"
    if action == sqlite3.SQLITE_PRAGMA and arg1:
        return f"PRAGMA {arg1} is not allowed"
    return f"{what} is not allowed"


def quote(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Mapping | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)
    return value
