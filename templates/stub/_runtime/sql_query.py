"""``run_customer_sql_query``: a read-only SELECT over the caller's own data.

The query, and the copy of the caller's rows into its database (``sql_sandbox``), run in a
worker thread of the app's :class:`WorkerPool`, never on the event loop, under one time
limit: other callers are answered meanwhile. At most ``sql_queries_per_key`` queries run at
once per API key (one more is 429) and ``sql_queries`` in all (503). The result holds at
most ``sql_row_limit`` rows (``truncated`` says when more were there) and
``sql_result_bytes`` bytes of cells, added up while fetching: a larger result is a 400 that
says so, before the stub has built it.

Table names come from the collection paths: the literal segments after the version,
joined by ``_`` (``/v1/boms/`` -> ``boms``, ``/v1/boms/{bom_id}/lines/`` -> ``boms_lines``).
Columns are ``id``, ``org_id``, ``parent_id``, every top-level property of the record schema
(objects and arrays as JSON text, booleans as 0/1) and ``_record``, the whole record as JSON.
"""

from __future__ import annotations

import base64
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .context import Call, Pending, Reply
from .errors import StubError, bad_request, detail
from .offload import Busy, Closed
from .settings import StubSettings
from .sql_sandbox import Deadline, Sandbox, Table, TimeUp
from .store import Store

_VERSION = re.compile(r"^v\d+$")
_LEADING = re.compile(r"^\s*((--[^\n]*(\n|$))|(/\*.*?\*/)|\s)*", re.S)
_REFUSED = "Only read-only SELECT queries over your org's tables are allowed"


def table_name(collection: str) -> str:
    """``/v1/boms/{}/lines/`` -> ``boms_lines``."""
    parts = [p for p in collection.strip("/").split("/") if p and p != "{}"]
    parts = [p for p in parts if not _VERSION.match(p)]
    name = "_".join(re.sub(r"\W", "_", p) for p in parts) or "records"
    return name.lstrip("@") or "records"


@dataclass(frozen=True)
class _Job:
    """Everything the worker thread needs; nothing of the request's transaction."""

    query: str
    tables: tuple[Table, ...]
    org_ids: tuple[str, ...]
    store: Store
    settings: StubSettings
    success: int

    def __call__(self, deadline: Deadline) -> Reply:
        sandbox = Sandbox(deadline)
        limit = self.settings.sql_time_limit_s
        try:
            sandbox.load(self.tables, self.store.rows_of_orgs(self.org_ids))
            sandbox.lock_down(self.settings.sql_result_bytes)
            cursor = sandbox.execute(self.query)
            return Reply(self.success, _fetch(cursor, self.settings))
        except TimeUp as exc:
            raise _stopped(exc.stopping, limit) from None
        except sqlite3.Error as exc:
            if "interrupted" in str(exc):
                raise _stopped(deadline.stop.is_set(), limit) from None
            message = _message(exc, sandbox.denied, self.settings.sql_result_bytes)
            raise bad_request("query", message) from exc
        except (ValueError, OverflowError, MemoryError) as exc:
            raise bad_request("query", f"Query failed: {exc}") from exc
        finally:
            sandbox.close()


def run_sql(call: Call) -> Pending:
    """Start the body's ``query`` in a worker thread; it answers
    ``{columns, rows, row_count, truncated}``."""
    query = _query_text(call.body)
    if not _LEADING.sub("", query, count=1).lower().startswith(("select", "with", "values")):
        raise bad_request("query", "Only read-only SELECT queries are allowed.")
    settings = call.rt.settings
    job = _Job(
        query=query,
        tables=_tables(call),
        org_ids=tuple(call.scope.org_ids),
        store=call.store,
        settings=settings,
        success=call.op.success_status(200),
    )
    workers = call.rt.workers
    try:
        future = workers.submit(
            call.principal.key_id,
            lambda: job(Deadline(settings.sql_time_limit_s, workers.closing)),
        )
    except Busy as busy:
        raise _busy(busy) from None
    except Closed:
        raise _stopped(True, settings.sql_time_limit_s) from None
    return Pending(future)


def _query_text(body: Any) -> str:
    if isinstance(body, Mapping):
        value = body.get("query", body.get("sql"))
        if isinstance(value, str) and value.strip():
            return value
    raise bad_request("query", "This field is required.")


def _tables(call: Call) -> tuple[Table, ...]:
    """One table per collection, named after its path."""
    tables: list[Table] = []
    names: set[str] = set()
    for collection in call.rt.index.collections():
        name = table_name(collection)
        if name in names:
            name = f"{name}_{len(names)}"
        names.add(name)
        schema = call.rt.index.item_schemas.get(collection)
        props = [p for p in call.rt.properties(schema) if p not in {"id", "org_id", "parent_id"}]
        tables.append(Table(collection, name, tuple(props)))
    return tuple(tables)


def _fetch(cursor: sqlite3.Cursor, settings: StubSettings) -> dict[str, Any]:
    """Up to the row limit, counting the cells' bytes as they come."""
    columns = [str(d[0]) for d in cursor.description or []]
    budget = settings.sql_result_bytes
    used = sum(len(c.encode("utf-8", "replace")) + 3 for c in columns)
    rows: list[list[Any]] = []
    truncated = False
    for row in cursor:
        if len(rows) == settings.sql_row_limit:
            truncated = True
            break
        cells = [_jsonable(value) for value in row]
        used += sum(_size(cell) for cell in cells) + 2
        if used > budget:
            raise bad_request(
                "query",
                f"The result is larger than the limit of {budget} bytes after {len(rows)} "
                "rows; select fewer rows or columns (LIMIT, substr()).",
            )
        rows.append(cells)
    return {"columns": columns, "rows": rows, "row_count": len(rows), "truncated": truncated}


def _size(cell: Any) -> int:
    """About the bytes a cell takes in the JSON answer."""
    if isinstance(cell, str):
        return len(cell.encode("utf-8", "replace")) + 3
    return len(str(cell)) + 1


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def _stopped(stopping: bool, limit: float) -> StubError:
    if stopping:
        return detail(
            503, "The server is shutting down; the query was not completed.", code="shutdown"
        )
    return bad_request("query", f"Query exceeded the time limit of {limit:g} s.")


def _busy(busy: Busy) -> StubError:
    retry = {"Retry-After": "1"}
    if busy.per_key:
        return detail(
            429,
            f"Too many SQL queries running for this API key (at most {busy.limit} at once); "
            "retry when one has finished.",
            retry,
            code="throttled",
        )
    return detail(
        503,
        f"The server is running as many SQL queries as it allows ({busy.limit}); retry shortly.",
        retry,
        code="unavailable",
    )


def _message(exc: sqlite3.Error, denied: list[str], max_value: int) -> str:
    if denied:
        return f"{_REFUSED}: {denied[0]}."
    if isinstance(exc, sqlite3.DataError) and "too big" in str(exc):
        return f"Query failed: a value would be longer than the limit of {max_value} bytes."
    return f"Query failed: {exc}"
