"""The child side of the round trip (roundtrip.py): creating and reading back the records of
one document's collections through its generated client, against its stub.

`Trip` reads the document as the stub does (its own `SpecIndex`, `ValueBuilder` and
identifier rules, imported from the generated stub package), calls the client's own methods
(client_methods.py), builds the bodies they take (trip_values.py, sent_values.py) and raises
`NotCheckable` where the client cannot read a record back at all.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from .client_methods import Method, client_methods, router_path, stub_routes
from .empty_bodies import contradiction
from .sent_values import as_recorded, form_fields, read_only
from .trip_values import (
    NotCheckable,
    body_annotation,
    client_media,
    enveloped,
    is_batch,
    is_json,
    matches,
    media_kind,
    parsed,
    path_value,
    plain,
    raw,
    records_at,
    reparented,
    scalars,
    short,
    text_of,
)

MAX_COLLECTIONS = 12  # per document: enough to see a pattern, bounded on huge documents


class Trip:
    """Creating and reading back the records of one document's collections."""

    def __init__(self, package: str, package_dir: Path, client: Any) -> None:
        runtime = f"{package}_stub._runtime"
        schemas = importlib.import_module(f"{runtime}.schemas")
        spec_index = importlib.import_module(f"{runtime}.spec_index")
        operations = importlib.import_module(f"{runtime}.operations")
        values = importlib.import_module(f"{runtime}.values")
        self.identifiers = importlib.import_module(f"{runtime}.identifiers")
        self.coerce_text = schemas.coerce_text
        self.schema_types = schemas.schema_types
        self.chosen_count: dict[str, int] = {}  # identifiers chosen so far, by collection
        spec = json.loads((package_dir.parent / f"{package}_stub" / "openapi.json").read_text())
        self.tools = schemas.SchemaTools(spec)
        self.index = spec_index.SpecIndex(spec, self.tools)
        self.values = values.ValueBuilder(self.tools)
        self.json_schema_of = operations.json_schema_of
        self.client = client
        classes = {
            type(getattr(client, name)).__name__: name
            for name in dir(type(client))
            if isinstance(getattr(type(client), name, None), cached_property)
        }
        methods = client_methods(package_dir, classes)
        routes = package_dir.parent / f"{package}_stub" / "routes"
        self.methods = {
            route: methods[where]
            for route, where in stub_routes(routes).items()
            if where in methods
        }

    def collections(self) -> list[str]:
        """The collections with a create and a get or list, top-level ones first."""
        found = [
            c
            for c in self.index.collections()
            if self.index.by_kind(c, "create")
            and (self.index.by_kind(c, "get") or self.index.by_kind(c, "list"))
        ]
        return sorted(found, key=lambda c: (c.count("{}"), c))[:MAX_COLLECTIONS]

    def method(self, op: Any) -> tuple[Method, Any]:
        found = self.methods.get((op.method, router_path(op.path)))
        if found is None:
            raise LookupError(f"no client method for {op.method} {op.path}")
        return found, getattr(getattr(self.client, found.attribute), found.name)

    def call(self, op: Any, path: Mapping[str, str], **extra: Any) -> Any:
        """Call `op`'s client method with `path` (wire names) and its required parameters."""
        entry, bound = self.method(op)
        args: dict[str, Any] = {}
        for param in op.params:
            if param.location == "path":
                value = path.get(param.name) or path_value(self.values.minimal(param.schema))
                args[entry.path_params.get(param.name, param.name)] = value
            elif param.required and param.location in ("query", "header"):
                location = "query" if param.location == "query" else "headers"
                name = entry.keywords.get((location, param.name.lower()))
                if name is not None:
                    args[name] = self._sent_value(param.schema)
        return bound(**args, **extra)

    def _sent_value(self, schema: Any) -> Any:
        """A required parameter's value: its minimal one, but an array gets one item (an
        empty one is not sent at all, and the parameter would be missing)."""
        value = self.values.minimal(schema)
        if value == []:
            return [self.values.minimal((self.tools.resolve(schema) or {}).get("items", {}))]
        return value

    def parent_path(self, op: Any, known: dict[str, str]) -> dict[str, str]:
        """The path parameters of `op`'s parents: the records in `known` (by collection),
        else new ones, created first (and added to `known`)."""
        path: dict[str, str] = {}
        for collection, name in op.parents:
            if collection not in known and self.index.by_kind(collection, "create"):
                known[collection] = self.create(collection, known)[2]
                if not known[collection]:
                    raise NotCheckable(f"its parent {collection} was created with no identifier")
            if collection in known:
                path[name] = known[collection]
        return path

    def create(
        self, collection: str, known: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, Any], str]:
        """A new record of `collection` through the client: (its path parameters, what the
        create answered, else the scalars a record has of those it answered or was sent (see
        `matchable`), and its identifier: from the answer, else from the record the list
        shows with those scalars, else "")."""
        op = self.index.by_kind(collection, "create")
        refused = op.body_content and contradiction(
            self.index.spec, op, client_media(op.body_content)
        )
        if refused:  # a schema that admits no object: nothing to create it with
            raise NotCheckable(refused)
        path = self.parent_path(op, known)
        body = self.body(op, self.method(op)[1])
        chosen = self.choose(collection, body)
        extra = {} if body is None else {"body": body}
        answer = self.record(op, self.call(op, path, **extra))
        if is_batch(body):  # a batch of one: its record, first in the answer if it lists
            where = self.list_where(op)
            listed = where is not None or isinstance(answer, list)
            made = [item for item in (records_at(answer, where) if listed else [answer]) if item]
            answer, body = (made[0] if made else {}), body[0]
        record = answer if isinstance(answer, dict) else {}
        # a create may answer the new record's identifier alone (not a boolean: Magento's
        # gift messages answer `true`, a success flag, which names no record)
        id_field = self.index.id_field(collection)
        named = isinstance(answer, str | int) and not isinstance(answer, bool)
        found = answer if named else record.get(id_field)
        if found is None and (inner := enveloped(record, id_field)) is not None:
            record, found = inner, inner[id_field]  # {"status": ..., "data": {"id": ...}}
        if chosen is not None:
            found = chosen  # the client named the record
            # the other values it was sent: the identifier is compared as such, when shown
            sent = {k: v for k, v in body.items() if k != self.index.chosen_field(collection)}
            record = self.matchable(collection, record) or self.matchable(collection, sent)
        elif isinstance(answer, str | int) and not isinstance(answer, bool):
            schema = self.json_schema_of(op.response_for(op.success_status()) or {})
            name = self.index.answered_field(collection, schema)
            if name != id_field:  # another property of the record (`token`, beside an `id`)
                record, found = {name: answer}, self.listed_id(collection, path, {name: answer})
        if found is None:
            sent = plain(body) if isinstance(body, dict) else {}
            # an identifier it sent names no record where the server names them (the stub
            # stores its own): not a value to find the record by
            sent = {k: v for k, v in sent.items() if k != id_field}
            record = self.matchable(collection, record) or self.matchable(collection, sent)
            found = self.listed_id(collection, path, record)
        return path, record, "" if found is None else text_of(found)

    def choose(self, collection: str, body: Any) -> Any:
        """Name the new record in a create's `body` where the collection's records are named
        by a property of it (`SpecIndex.chosen_field`: `{"id": "catete"}`): a value its
        schemas and the item path parameters take (the next of their enum, else a new one
        shaped like the stub's own, `identifiers.fresh_values`). The value, else None."""
        name = self.index.chosen_field(collection)
        if name is None or not isinstance(body, dict):
            return None
        sent = self.tools.properties(self.index.create_body_schema(collection)).get(name)
        held = self.tools.properties(self.index.item_schemas.get(collection)).get(name)
        params = self.index.item_param_schemas(collection)
        resolved = [self.tools.resolve(s) for s in (sent, held, *params) if s is not None]
        count = self.chosen_count[collection] = self.chosen_count.get(collection, -1) + 1
        enums = [list(s["enum"]) for s in resolved if isinstance(s, dict) and s.get("enum")]
        patterns = [
            p
            for s in (sent, held, *params)
            if s is not None
            for p in self.identifiers.patterns(self.tools, s)
        ]
        candidates = (
            [*enums[0][count:], *enums[0][:count]]
            if enums
            else self.identifiers.fresh_values(uuid.uuid4(), patterns)
        )
        for value in candidates:
            if all(self.tools.is_valid(value, s) for s in (sent, held) if s is not None) and all(
                self.tools.is_valid(self.coerce_text(str(value), p, self.tools), p) for p in params
            ):
                body[name] = value
                return value
        return None

    def matchable(self, collection: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """The scalars of `values` a record of `collection` has, to find it in a list by:
        those its schema names (a create may answer a link, `{"href": ...}`, or be sent
        fields the record calls otherwise), all of them when the schema names none."""
        props = self.tools.properties(self.index.item_schemas.get(collection))
        return {k: v for k, v in scalars(values).items() if not props or k in props}

    def shows_identifier(self, collection: str) -> bool:
        """Whether a record of `collection` shows its identifier: one whose schema has no
        property for it does not. The client names it in the path only (gitea's
        `/admin/users/{username}`, a `User` with no `username`), or only the create answers
        it (DocuSign's `accountId`, which the account read back has not). A schema that
        names no property at all shows whatever the stub stored."""
        props = self.tools.properties(self.index.item_schemas.get(collection))
        id_field = self.index.id_field(collection)
        return id_field in props or (not props and self.index.chosen_field(collection) is None)

    def names_records(self, getter: Any, identifier: str) -> bool:
        """Whether `getter`'s item parameter can hold `identifier`: one whose schema is an
        enum names a fixed set of things, not the records a create makes, unless the record
        was named by one of them (Apicurio's rules, named by their type)."""
        param = getter.param(getter.item_param, "path")
        schema = self.tools.resolve(param.schema) if param is not None else None
        values = schema.get("enum") if isinstance(schema, Mapping) else None
        return not isinstance(values, list) or identifier in [text_of(v) for v in values]

    def reader(self, collection: str, kind: str) -> Any:
        """The collection's operation of `kind` (get, list) when its answer declares a body
        a record could be read from; None otherwise."""
        op = self.index.by_kind(collection, kind)
        response = op.response_for(op.success_status()) if op is not None else None
        return op if response and response.get("content") else None

    def holds_records(self, listing: Any) -> bool:
        """Whether `listing`'s answer has a place for records, by its schema: it is an array,
        or an object with an array property or a map of records by id. One that answers a
        single object (circuitsandbox's GET .../reply answers one SpaceReply) has none. A list
        that declares no schema (orbit.love's) is read: nothing says it cannot hold them."""
        schema = self.tools.resolve(
            self.json_schema_of(listing.response_for(listing.success_status()) or {})
        )
        if not schema:
            return True
        if "array" in self.schema_types(schema, self.tools) or self.index.list_path(schema):
            return True
        props = self.tools.properties(schema).values()
        return self.index.record_map_schema(schema) is not None or any(
            "array" in self.schema_types(prop, self.tools) for prop in props
        )

    def listed(self, listing: Any, path: Mapping[str, str]) -> list[Any]:
        """The records `listing` answers, as plain JSON: its array, or those in the property
        of the envelope the stub keeps them in, maybe one level deep (`SpecIndex.list_path`),
        a map's values."""
        answer = plain(parsed(self.call(listing, path)))
        return records_at(answer, self.list_where(listing))

    def list_where(self, op: Any) -> tuple[str, ...] | None:
        """Where `op`'s answer keeps the records it lists (`SpecIndex.list_path`), None for
        an array or a record."""
        schema = self.json_schema_of(op.response_for(op.success_status()) or {})
        where: tuple[str, ...] | None = self.index.list_path(self.tools.resolve(schema))
        return where

    def record(self, op: Any, answer: Any) -> Any:
        """What `op` answered, as plain JSON, out of the envelope the spec wraps its record in
        (`{"SynthesisTask": {...}}`: the stub's `SpecIndex.record_property`)."""
        flat = plain(answer)
        wrapper = self.index.record_property(op)
        if wrapper is not None and isinstance(flat, dict) and isinstance(flat.get(wrapper), dict):
            return flat[wrapper]
        return flat

    def listed_id(self, collection: str, path: Mapping[str, str], wanted: Mapping[str, Any]) -> Any:
        """The identifier of the newest listed record that has `wanted`'s scalars (None
        without a list, or when none has, or when `wanted` names nothing to match)."""
        listing = self.reader(collection, "list")
        if listing is None or not scalars(wanted):
            return None
        creator = self.index.by_kind(collection, "create")
        items = self.listed(listing, reparented(path, creator, listing))
        id_field = self.index.id_field(collection)
        matching = [i for i in items if isinstance(i, dict) and matches(i, scalars(wanted))]
        return matching[-1].get(id_field) if matching else None

    def body(self, op: Any, bound: Any) -> Any:
        """A valid body for `op` in the media type its client method sends, readOnly
        properties left out; None when it takes none. The method's `body` annotation says
        what it takes: bytes (a media type sent raw, XML among them), text, else a mapping
        (JSON, a form, multipart)."""
        if not op.body_content:
            return None
        takes = {part.strip() for part in body_annotation(bound).split("|")}
        media = client_media(op.body_content)
        schema = op.body_schema(media)
        value = self.values.minimal(schema)
        items = (self.tools.resolve(schema) or {}).get("items", {})
        first = self.values.minimal(items) if value == [] and is_json(media) else None
        held = self.tools.properties(self.index.item_schemas.get(op.collection or ""))
        if isinstance(first, dict):  # a batch of records: of one (none creates nothing)
            props = self.tools.properties(items)
            first = {k: v for k, v in first.items() if not read_only(self.tools, props, k)}
            value = [as_recorded(self.tools, self.values, held, first, props)]
        if isinstance(value, dict):
            props = self.tools.properties(schema)
            value = {k: v for k, v in value.items() if not read_only(self.tools, props, k)}
            value = as_recorded(self.tools, self.values, held, value, props)
            if media_kind(media) in ("form", "multipart"):
                value = form_fields(self.tools, self.values, value, props)
        if "bytes" in takes:
            return raw(value, media)
        if "str" in takes and not isinstance(value, str):
            return "" if value is None else json.dumps(value)
        return value

    def round_trip(self, collection: str) -> None:
        """Create one record of `collection` and find it again; raise when it is not found."""
        getter, listing = self.reader(collection, "get"), self.reader(collection, "list")
        if getter is None and listing is None:
            raise NotCheckable("its get and list declare no body to read a record from")
        made, record, identifier = self.create(collection, {})
        creator = self.index.by_kind(collection, "create")
        id_field = self.index.id_field(collection)
        if getter is not None and identifier and not self.names_records(getter, identifier):
            getter = None  # a filter (trakt's /sync/collection/{type}: movies or shows)
            if listing is None:
                raise NotCheckable(
                    "its get takes one of a fixed set of values (an enum) where a record's "
                    "identifier goes, and there is no list"
                )
        if getter is not None and identifier:
            path = {**reparented(made, creator, getter), getter.item_param: identifier}
            found = self.record(getter, parsed(self.call(getter, path)))
            # the record, or a list holding it where the spec answers a list
            among = found if isinstance(found, list) else [found]
            if isinstance(found, dict) and (inner := enveloped(found, id_field)) is not None:
                among.append(inner)  # {"data": <the record>}
            # a record whose schema has no property for its identifier (`shows_identifier`)
            # is told by the 2xx alone: the stub answers 404 for any other
            if self.shows_identifier(collection) and not any(
                isinstance(f, dict) and text_of(f.get(id_field)) == identifier for f in among
            ):
                raise AssertionError(f"get answered another record: {short(found)}")
            return
        if listing is None:
            raise NotCheckable("create answered no identifier, and there is no list")
        if not self.holds_records(listing):
            raise NotCheckable(
                "its list answers no array or map of records, and no get by an identifier"
            )
        # a record named in the path only is found by the values it was sent that it shows
        shown = identifier and self.shows_identifier(collection)
        others = {k: v for k, v in record.items() if k != id_field}
        wanted = {id_field: identifier} if shown else self.matchable(collection, others)
        if not wanted:  # any listed record would match: nothing tells ours apart
            raise NotCheckable("neither an identifier nor a value to find the record by")
        items = self.listed(listing, reparented(made, creator, listing))
        if not any(isinstance(i, dict) and matches(i, wanted) for i in items):
            raise AssertionError(f"the list has no record {short(wanted)} ({len(items)} items)")
