"""SQLite state of a stub: records of every collection, uploaded files, orgs, users, keys.

One connection, autocommit off by hand: each request runs inside :meth:`Store.transaction`
(``BEGIN IMMEDIATE`` ... ``COMMIT``), and the engine answers only after the commit. With a
file the journal is WAL with ``synchronous=NORMAL``: a commit is in the operating system's
hands before the answer goes out, so a ``kill -9`` (or a crash mid-request) loses nothing that
was answered and never leaves half a request behind. Only a power cut or an OS crash could
roll back the last commits, which a test double need not survive; ``FULL`` would fsync every
commit (0.4 ms each on the machine we measured, against 14 us).

Records are JSON documents keyed by (collection, id), where the collection is the spec's
path template with ``{}`` for parameters (see ``spec_index``); ``parent_id`` is the id of
the record the collection is nested under.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .settings import Seed, SeedOrg
from .values import now_iso


def record_id(value: object) -> str:
    """The text a record is stored under, from a path parameter's value: one typed
    ``number`` arrives as a float, and ``1.0`` names record ``1``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS orgs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    parent_id TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    org_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    parent_id TEXT,
    data TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX IF NOT EXISTS records_by_parent ON records (collection, parent_id);
CREATE INDEX IF NOT EXISTS records_by_org ON records (org_id, seq);
CREATE TABLE IF NOT EXISTS blobs (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    filename TEXT,
    body BLOB NOT NULL,
    PRIMARY KEY (collection, id)
);
"""


@dataclass
class Record:
    """One stored record."""

    collection: str
    id: str
    org_id: str
    parent_id: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class RawRow:
    """A stored record as read, its data still JSON text; ``seq`` orders records by age."""

    seq: int
    collection: str
    id: str
    org_id: str
    parent_id: str | None
    data: str


@dataclass(frozen=True)
class Blob:
    """An uploaded file."""

    content_type: str
    filename: str | None
    body: bytes


@dataclass(frozen=True)
class KeyRow:
    """An API key as stored: its hash, never the key."""

    id: str
    org_id: str
    user_id: str
    key_hash: str
    data: dict[str, Any]


class Store:
    """All state of one stub app."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.conn = sqlite3.connect(
            path or ":memory:", isolation_level=None, check_same_thread=False
        )
        self.lock = threading.RLock()
        if path:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA busy_timeout=5000")
        self.conn.executescript(_SCHEMA)
        self._depth = 0

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work; nested calls join the outer one."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    # -- records ------------------------------------------------------------------------

    def insert(
        self, collection: str, record_id: str, org_id: str, parent_id: str | None, data: Any
    ) -> Record:
        """Store a new record."""
        self.conn.execute(
            "INSERT INTO records (collection, id, org_id, parent_id, data) VALUES (?,?,?,?,?)",
            (collection, record_id, org_id, parent_id, _dump(data)),
        )
        return Record(collection, record_id, org_id, parent_id, dict(data))

    def get(self, collection: str, record_id: str) -> Record | None:
        """A record by collection and id."""
        row = self.conn.execute(
            "SELECT collection, id, org_id, parent_id, data FROM records"
            " WHERE collection = ? AND id = ?",
            (collection, record_id),
        ).fetchone()
        return _record(row) if row else None

    def next_number(self, collection: str) -> int:
        """One past the largest integer id of a collection (1 when it has none)."""
        row = self.conn.execute(
            "SELECT COALESCE(MAX(CAST(id AS INTEGER)), 0) + 1 FROM records WHERE collection = ?",
            (collection,),
        ).fetchone()
        return int(row[0])

    def find(self, record_id: str) -> Record | None:
        """A record by id in any collection (for ids that cross collections)."""
        row = self.conn.execute(
            "SELECT collection, id, org_id, parent_id, data FROM records WHERE id = ?"
            " ORDER BY seq LIMIT 1",
            (record_id,),
        ).fetchone()
        return _record(row) if row else None

    def save(self, record: Record) -> None:
        """Write a record's data back."""
        self.conn.execute(
            "UPDATE records SET data = ? WHERE collection = ? AND id = ?",
            (_dump(record.data), record.collection, record.id),
        )

    def delete(self, record: Record) -> None:
        """Delete a record, its file and, recursively, everything nested under it."""
        pending = [(record.collection, record.id)]
        while pending:
            collection, record_id = pending.pop()
            # LIKE narrows to nested collections; parent_id equality keeps it exact.
            children = self.conn.execute(
                "SELECT collection, id FROM records WHERE parent_id = ? AND collection LIKE ?",
                (record_id, collection + "{}/%"),
            ).fetchall()
            pending.extend((str(c), str(i)) for c, i in children)
            self.conn.execute(
                "DELETE FROM records WHERE collection = ? AND id = ?", (collection, record_id)
            )
            self.conn.execute(
                "DELETE FROM blobs WHERE collection = ? AND id = ?", (collection, record_id)
            )

    def records(
        self, collection: str, org_ids: Iterable[str], parent_id: str | None = None
    ) -> list[Record]:
        """Records of a collection in the given orgs (under one parent), oldest first."""
        orgs = sorted(set(org_ids))
        if not orgs:
            return []
        marks = ",".join("?" for _ in orgs)
        sql = (
            "SELECT collection, id, org_id, parent_id, data FROM records"
            f" WHERE collection = ? AND org_id IN ({marks})"
        )
        args: list[Any] = [collection, *orgs]
        if parent_id is not None:
            sql += " AND parent_id = ?"
            args.append(parent_id)
        rows = self.conn.execute(sql + " ORDER BY seq", args).fetchall()
        return [_record(row) for row in rows]

    def rows_of_orgs(self, org_ids: Iterable[str], batch: int = 200) -> Iterator[list[RawRow]]:
        """Every record of the given orgs, undecoded, a batch at a time: for a worker thread.

        Each batch is read under the store's lock between two requests, so a request on the
        event loop waits for at most one batch, never for the whole read. Records written
        meanwhile may or may not be seen.
        """
        for org_id in sorted(set(org_ids)):
            after = 0
            while True:
                with self.lock:
                    rows = self.conn.execute(
                        "SELECT seq, collection, id, org_id, parent_id, data FROM records"
                        " WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                        (org_id, after, batch),
                    ).fetchall()
                if not rows:
                    break
                yield [RawRow(*row) for row in rows]
                after = rows[-1][0]

    def put_blob(self, collection: str, record_id: str, blob: Blob) -> None:
        """Store (or replace) the file of a record."""
        self.conn.execute(
            "INSERT OR REPLACE INTO blobs (collection, id, content_type, filename, body)"
            " VALUES (?,?,?,?,?)",
            (collection, record_id, blob.content_type, blob.filename, blob.body),
        )

    def get_blob(self, collection: str, record_id: str) -> Blob | None:
        """The file of a record, if one was uploaded."""
        row = self.conn.execute(
            "SELECT content_type, filename, body FROM blobs WHERE collection = ? AND id = ?",
            (collection, record_id),
        ).fetchone()
        return Blob(str(row[0]), row[1], bytes(row[2])) if row else None

    # -- tenancy ------------------------------------------------------------------------

    def apply_seed(self, seed: Seed) -> None:
        """Insert the seed's orgs, users and keys; keeps what an earlier run changed."""
        with self.transaction():
            for org in seed.orgs:
                self._seed_org(org, None)

    def _seed_org(self, org: SeedOrg, parent_id: str | None) -> None:
        stamp = now_iso()
        data = {
            "id": org.id,
            "name": org.name,
            "parent_id": parent_id,
            "parent_org_id": parent_id,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.conn.execute(
            "INSERT OR IGNORE INTO orgs (id, parent_id, data) VALUES (?,?,?)",
            (org.id, parent_id, _dump(data)),
        )
        for user in org.users:
            user_data = {
                "id": user.id,
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "org_id": org.id,
                "created_at": stamp,
            }
            self.conn.execute(
                "INSERT OR IGNORE INTO users (id, org_id, data) VALUES (?,?,?)",
                (user.id, org.id, _dump(user_data)),
            )
        for key in org.api_keys:
            key_data = {
                "id": key.id,
                "name": key.name,
                "org_id": org.id,
                "user_id": key.user_id,
                "prefix": key.key[:4],
                "revoked": False,
                "created": stamp,
                "created_at": stamp,
            }
            self.conn.execute(
                "INSERT INTO api_keys (id, org_id, user_id, key_hash, data) VALUES (?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET key_hash = excluded.key_hash",
                (key.id, org.id, key.user_id, hash_key(key.key), _dump(key_data)),
            )
        for sub in org.sub_orgs:
            self._seed_org(sub, org.id)

    def api_keys(self) -> list[KeyRow]:
        """Every API key row."""
        rows = self.conn.execute(
            "SELECT id, org_id, user_id, key_hash, data FROM api_keys ORDER BY seq"
        ).fetchall()
        return [KeyRow(str(r[0]), str(r[1]), str(r[2]), str(r[3]), json.loads(r[4])) for r in rows]

    def save_key(self, key_id: str, data: dict[str, Any]) -> None:
        """Write an API key's data back (never its hash)."""
        self.conn.execute("UPDATE api_keys SET data = ? WHERE id = ?", (_dump(data), key_id))

    def org(self, org_id: str) -> dict[str, Any] | None:
        """An org's data."""
        row = self.conn.execute("SELECT data FROM orgs WHERE id = ?", (org_id,)).fetchone()
        return dict(json.loads(row[0])) if row else None

    def orgs_under(self, org_id: str) -> list[str]:
        """``org_id`` and every org below it, parents before children."""
        found = [org_id]
        index = 0
        while index < len(found):
            rows = self.conn.execute(
                "SELECT id FROM orgs WHERE parent_id = ? ORDER BY seq", (found[index],)
            ).fetchall()
            found.extend(str(row[0]) for row in rows if str(row[0]) not in found)
            index += 1
        return found

    def insert_org(self, data: dict[str, Any]) -> None:
        """Create an org (a sub-org when ``parent_id`` is set)."""
        self.conn.execute(
            "INSERT INTO orgs (id, parent_id, data) VALUES (?,?,?)",
            (data["id"], data.get("parent_id"), _dump(data)),
        )

    def save_org(self, data: dict[str, Any]) -> None:
        """Write an org's data back."""
        self.conn.execute("UPDATE orgs SET data = ? WHERE id = ?", (_dump(data), data["id"]))

    def user(self, user_id: str) -> dict[str, Any] | None:
        """A user's data."""
        row = self.conn.execute("SELECT data FROM users WHERE id = ?", (user_id,)).fetchone()
        return dict(json.loads(row[0])) if row else None

    def users(self, org_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Users of the given orgs, oldest first."""
        orgs = sorted(set(org_ids))
        marks = ",".join("?" for _ in orgs)
        rows = self.conn.execute(
            f"SELECT data FROM users WHERE org_id IN ({marks}) ORDER BY seq", orgs
        ).fetchall()
        return [dict(json.loads(row[0])) for row in rows]


def hash_key(key: str) -> str:
    """The SHA-256 hex digest stored instead of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _record(row: Any) -> Record:
    return Record(str(row[0]), str(row[1]), str(row[2]), row[3], dict(json.loads(row[4])))


def _dump(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)
