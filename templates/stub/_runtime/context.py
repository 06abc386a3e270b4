"""What a handler works with: the app-wide :class:`Runtime` and the per-request :class:`Call`.

Handlers (generic ones in ``crud``, named ones in ``behaviours``) take a ``Call`` and return
a :class:`Reply`; the engine fits the reply to the spec's response schema, checks it and
sends it after the transaction commits. A handler whose work must not run on the event loop
(customer SQL) starts it on the app's :class:`WorkerPool` and returns :class:`Pending`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from .bodies import UploadedFile
from .errors import not_found
from .identifiers import fresh_ids, patterns
from .offload import WorkerPool
from .operations import Operation
from .schemas import SchemaTools
from .settings import StubSettings
from .spec_index import SpecIndex
from .store import Record, Store, record_id
from .tenancy import Principal, Scope
from .values import ValueBuilder


@dataclass
class Runtime:
    """Everything built once per app from the spec and the settings."""

    spec: Mapping[str, Any]
    settings: StubSettings
    tools: SchemaTools
    index: SpecIndex
    values: ValueBuilder
    store: Store
    workers: WorkerPool

    def properties(self, schema: Any) -> dict[str, Any]:
        """Properties of an object schema, ``allOf`` parts merged."""
        return self.tools.properties(schema)


@dataclass
class Reply:
    """A handler's answer: JSON ``body`` (fitted to the schema unless ``fit`` is off) or raw
    ``content`` bytes with ``media_type``."""

    status: int
    body: Any = None
    content: bytes | None = None
    media_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fit: bool = True


@dataclass(frozen=True)
class Pending:
    """A reply still being worked out in a worker thread. The engine closes the request's
    transaction first (the worker reads the store between requests), then awaits it."""

    reply: Future[Reply]


@dataclass
class Call:
    """One validated request."""

    rt: Runtime
    op: Operation
    request: Request
    principal: Principal
    scope: Scope
    path: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any
    files: dict[str, UploadedFile]
    now: str

    @property
    def store(self) -> Store:
        """The app's store (inside this request's transaction)."""
        return self.rt.store

    def user_ref(self) -> dict[str, Any]:
        """The acting user, for ``*_by`` fields."""
        return dict(self.principal.user)

    def visible(self, record: Record | None) -> Record | None:
        """``record`` if this request may see it."""
        if record is None or record.org_id not in self.scope.org_ids:
            return None
        return record

    def find_parent(self, op: Operation | None = None) -> Record | None:
        """The record the op's collection is nested under (None at top level); 404 if any
        ancestor is missing or outside the scope.

        An ancestor collection the spec gives no create (``/users/{user_id}/notes/`` with no
        ``POST /users/``) holds records no client can make: its path parameter is taken as
        the id of a record that exists in the caller's org, so the collection below it can
        be used at all (:meth:`_given_parent`). The children are stored under that id and
        found again only under it."""
        op = op or self.op
        parent: Record | None = None
        for collection, name in op.parents:
            wanted = record_id(self.path.get(name, ""))
            stored = self.store.get(collection, self.key(collection, wanted, parent))
            if stored is None and self.rt.index.by_kind(collection, "create") is None:
                parent = self._given_parent(collection, wanted, parent)
                continue
            found = self.visible(stored)
            if found is None or (parent is not None and found.parent_id != parent.id):
                raise not_found()
            parent = found
        return parent

    def _given_parent(self, collection: str, wanted: str, above: Record | None) -> Record:
        """A record of a collection without a create, named by a path parameter: not stored,
        in the org of the record above it (else the request's target org)."""
        org = above.org_id if above is not None else self.scope.target_org
        return Record(collection, wanted, org, above.id if above else None, {})

    def find_item(self, op: Operation | None = None) -> Record:
        """The record an item operation names; 404 when unknown or not reachable."""
        op = op or self.op
        if not op.collection or not op.item_param:
            raise not_found()
        parent = self.find_parent(op)
        key = self.key(op.collection, self.path.get(op.item_param), parent)
        found = self.visible(self.store.get(op.collection, key))
        if found is None or found.parent_id != (parent.id if parent else None):
            raise not_found()
        return found

    def key(self, collection: str, value: object, parent: Record | None) -> str:
        """What a record of ``collection`` named ``value`` under ``parent`` is stored under:
        ``value`` as text, but the parent's key and it (``<table>/LIST``) where the client
        names the records (``SpecIndex.chosen_field``) under a parent, since a name it
        chooses names a record under its parent only."""
        text = record_id(value)
        if parent is not None and self.rt.index.chosen_field(collection) is not None:
            return f"{parent.id}/{text}"
        return text

    def sent_record(self) -> dict[str, Any]:
        """The record the request's body sends: the body, or the record it wraps
        (``{"account": {...}}``, ``SpecIndex.request_property``); {} for any other body."""
        body = self.body if isinstance(self.body, Mapping) else {}
        wrapper = self.rt.index.request_property(self.op)
        inner = body.get(wrapper) if wrapper is not None else None
        return dict(inner if isinstance(inner, Mapping) else body)

    def item_schema(self, collection: str | None = None) -> Any:
        """The record schema of a collection (default: this op's)."""
        return self.rt.index.item_schemas.get(collection or self.op.collection or "")

    def new_id(self, collection: str | None = None) -> str | int:
        """A new id that fits the collection's identifier property (``SpecIndex.id_field``)
        and every path parameter that names its records: uuid4 unless they forbid, the next
        integer when it is one, else a value shaped by their patterns
        (``identifiers.fresh_ids``)."""
        collection = collection or self.op.collection or ""
        schema = self.item_schema(collection)
        field_name = self.rt.index.id_field(collection)
        id_schema = self.rt.properties(schema).get(field_name) if schema else None
        if id_schema is not None and self.rt.tools.is_valid(1, id_schema):
            return self.store.next_number(collection)
        if self.rt.index.named_by_number(collection):
            number = self.store.next_number(collection)
            fits = id_schema is None or self.rt.tools.is_valid(number, id_schema)
            return number if fits else str(number)
        index = self.rt.index
        every = [s for s in (id_schema, *index.item_param_schemas(collection)) if s]
        own = [s for s in (id_schema, *index.item_param_schemas(collection, own=True)) if s]
        shapes = [p for s in every for p in patterns(self.rt.tools, s)]
        fresh = uuid.uuid4()
        # Where no id fits them all (1Password names an item by 26 characters at
        # /items/{itemUuid} and by a uuid at /items/{itemUuid}/files), one the record's own
        # item paths take: it can be read, changed and deleted.
        for wanted in (every, own):
            for candidate in fresh_ids(fresh, shapes):
                if all(self.rt.tools.is_valid(candidate, s) for s in wanted) and (
                    self.store.get(collection, candidate) is None
                ):
                    return candidate
        return str(fresh)
