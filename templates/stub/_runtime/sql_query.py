"""``run_customer_sql_query``: a read-only SELECT over the caller's own data.

Isolation is structural: each query runs in a fresh in-memory SQLite database holding one
table per collection, filled with only the rows of the orgs in the request's scope. The
stub's own tables are not there to reach. On top of that an authorizer callback allows only
SELECT, reads of those tables and function calls, so a write, PRAGMA, ATTACH or a read of
``sqlite_master`` is refused before it runs; a progress handler stops a query after the
time limit and at most ``sql_row_limit`` rows are returned (``truncated`` says when more
were there).

Table names come from the collection paths: the literal segments after the version,
joined by ``_`` (``/v1/boms/`` -> ``boms``, ``/v1/boms/{bom_id}/lines/`` -> ``boms_lines``).
Columns are ``id``, ``org_id``, ``parent_id``, every top-level property of the record schema
(objects and arrays as JSON text, booleans as 0/1) and ``_record``, the whole record as JSON.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

from .context import Call, Reply
from .errors import bad_request

_VERSION = re.compile(r"^v\d+$")
_LEADING = re.compile(r"^\s*((--[^\n]*(\n|$))|(/\*.*?\*/)|\s)*", re.S)
_ACTION_NAMES = {
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
        "SQLITE_DROP_TABLE",
        "SQLITE_DROP_VIEW",
        "SQLITE_ALTER_TABLE",
        "SQLITE_ANALYZE",
        "SQLITE_REINDEX",
        "SQLITE_SAVEPOINT",
    )
    if hasattr(sqlite3, name)
}


def table_name(collection: str) -> str:
    """``/v1/boms/{}/lines/`` -> ``boms_lines``."""
    parts = [p for p in collection.strip("/").split("/") if p and p != "{}"]
    parts = [p for p in parts if not _VERSION.match(p)]
    name = "_".join(re.sub(r"\W", "_", p) for p in parts) or "records"
    return name.lstrip("@") or "records"


def run_sql(call: Call) -> Reply:
    """Run the body's ``query`` and answer ``{columns, rows, row_count, truncated}``."""
    query = _query_text(call.body)
    if not _LEADING.sub("", query, count=1).lower().startswith(("select", "with", "values")):
        raise bad_request("query", "Only read-only SELECT queries are allowed.")
    settings = call.rt.settings
    db = sqlite3.connect(":memory:")
    try:
        tables = _load(call, db)
        # No value over 10 MB: a query cannot make the stub build a gigabyte string.
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 10_000_000)
        denied: list[str] = []
        db.set_authorizer(_authorizer(set(tables), denied))
        deadline = time.monotonic() + settings.sql_time_limit_s
        db.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        try:
            cursor = db.execute(query)
            columns = [str(d[0]) for d in cursor.description or []]
            rows = cursor.fetchmany(settings.sql_row_limit + 1)
        except sqlite3.Error as exc:
            raise bad_request("query", _message(exc, denied, settings.sql_time_limit_s)) from exc
        except (ValueError, OverflowError, MemoryError) as exc:
            raise bad_request("query", f"Query failed: {exc}") from exc
    finally:
        db.close()
    truncated = len(rows) > settings.sql_row_limit
    rows = rows[: settings.sql_row_limit]
    body = {
        "columns": columns,
        "rows": [[_jsonable(v) for v in row] for row in rows],
        "row_count": len(rows),
        "truncated": truncated,
    }
    return Reply(call.op.success_status(200), body)


def _query_text(body: Any) -> str:
    if isinstance(body, Mapping):
        value = body.get("query", body.get("sql"))
        if isinstance(value, str) and value.strip():
            return value
    raise bad_request("query", "This field is required.")


def _load(call: Call, db: sqlite3.Connection) -> set[str]:
    """Create and fill one table per collection with the scope's rows."""
    names: set[str] = set()
    for collection in call.rt.index.collections():
        name = table_name(collection)
        if name in names:
            name = f"{name}_{len(names)}"
        names.add(name)
        schema = call.rt.index.item_schemas.get(collection)
        props = [p for p in call.rt.properties(schema) if p not in {"id", "org_id", "parent_id"}]
        columns = ["id", "org_id", "parent_id", *props, "_record"]
        quoted = ", ".join(_quote(c) for c in columns)
        db.execute(f"CREATE TABLE {_quote(name)} ({quoted})")
        records = call.store.records(collection, call.scope.org_ids)
        marks = ", ".join("?" for _ in columns)
        db.executemany(
            f"INSERT INTO {_quote(name)} VALUES ({marks})",
            [
                [r.id, r.org_id, r.parent_id]
                + [_cell(r.data.get(p)) for p in props]
                + [json.dumps(r.data, sort_keys=True)]
                for r in records
            ],
        )
    db.commit()
    return names


def _authorizer(tables: set[str], denied: list[str]) -> Any:
    def check(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            if arg1 in tables:
                return sqlite3.SQLITE_OK
            denied.append(f"access to table '{arg1}' is not allowed")
            return sqlite3.SQLITE_DENY
        denied.append(f"{_ACTION_NAMES.get(action, 'this statement')} is not allowed")
        return sqlite3.SQLITE_DENY

    return check


def _message(exc: sqlite3.Error, denied: list[str], limit: float) -> str:
    text = str(exc)
    if "interrupted" in text:
        return f"Query exceeded the time limit of {limit:g} s."
    if denied:
        return f"Only read-only SELECT queries over your org's tables are allowed: {denied[0]}."
    return f"Query failed: {text}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Mapping | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value
