"""What each operation of the spec does, inferred once from its path, method and schemas.

The rules (so a foreign spec gets a sensible stub too):

* A path ending in ``{param}/`` is an *item*; its collection is the path minus that last
  ``{param}/``: GET = get, PATCH = update, PUT = replace, DELETE = delete.
* A path ending in a literal is a *collection* when some item path sits below it, when its
  GET answers a list (then for all its methods), when its PATCH takes an array (bulk update
  by ``id``) or when its POST answers 201 under an item
  (``/v1/purchase_orders/{id}/events/``). GET = list, POST = create.
* Otherwise ``<item>/<literal>/`` is an *item action* (``/v1/boms/{bom_id}/approve/``) and
  ``<collection>/<literal>/`` a *collection action* (``/v1/boms/upsert_async/``).
* Anything else is *standalone* (``/v1/org/``): it answers a value built from its schema.

Collections are keyed by their path template with every ``{name}`` replaced by ``{}`` and one
slash at each end, so operations that name the same parameter differently, and paths written
with or without a trailing slash (``/pets`` and ``/pets/{petId}``), still share records.

A record's identifier is the property its item path parameter names (``petId``, or
``BundleID`` for ``/bundles/{id}`` by the conventions in ``identifiers``), else ``id``:
:meth:`SpecIndex.id_field`. An operation as read from the spec is ``operations.Operation``;
the path templates' helpers are in ``path_params``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import envelopes
from .identifiers import answered_field, identifier_field
from .operations import Operation, Param, is_json, json_schema_of, requirement
from .path_params import join, normalise, param_name, route_key, segments
from .schemas import SchemaTools, schema_types

_SOME_UUID = "00000000-0000-4000-8000-000000000000"
# OpenAPI 3, Parameter Object: header parameters of these names "SHALL be ignored" (the
# generator's document.IGNORED_HEADERS; this runtime cannot import it).
_IGNORED_HEADERS = frozenset({"accept", "authorization", "content-type"})
RECORD_KINDS = frozenset({"create", "get", "update", "replace"})
"""The kinds of operation that answer one record (maybe inside an envelope)."""
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecIndex:
    """All operations of a spec, by operationId, with their inferred kinds."""

    def __init__(self, spec: Mapping[str, Any], tools: SchemaTools) -> None:
        self.spec = spec
        self.tools = tools
        self.operations: dict[str, Operation] = {}
        self.item_schemas: dict[str, Any] = {}
        self._id_fields: dict[str, str] = {}
        self._chosen_fields: dict[str, str | None] = {}
        self._by_number: dict[str, bool] = {}
        raw_ops = list(self._raw_operations())
        item_collections = {
            normalise(join(segments(path)[:-1]))
            for path, _, _ in raw_ops
            if segments(path) and param_name(segments(path)[-1])
        }
        self._item_parents = frozenset(item_collections)  # paths an item path is below
        # A path whose GET answers a list is a collection for its other methods too.
        item_collections |= {
            normalise(join(segments(path)))
            for path, method, op in raw_ops
            if method == "GET" and self._answers_list(self._responses(op))
        }
        for path, method, op in raw_ops:
            built = self._build(path, method, op, item_collections)
            self.operations[built.operation_id] = built
        self._find_item_schemas()

    def by_kind(self, collection: str, kind: str) -> Operation | None:
        """The first operation of ``kind`` on ``collection``."""
        for op in self.operations.values():
            if op.collection == collection and op.kind == kind:
                return op
        return None

    def id_field(self, collection: str) -> str:
        """The record property that holds a collection's identifier (the rules are in
        ``identifiers``: ``petId`` for ``{petId}``, ``BundleID`` for ``/bundles/{id}``)."""
        if collection not in self._id_fields:
            params = [
                op.item_param
                for op in self.operations.values()
                if op.collection == collection and op.item_param
            ]
            schema = self.item_schemas.get(collection)
            body = self.create_body_schema(collection)
            self._id_fields[collection] = identifier_field(
                self.tools,
                schema,
                collection,
                params,
                body,
                self._created_schema(collection),
                self._listed_schema(collection),
                self.item_param_schemas(collection),
            )
        return self._id_fields[collection]

    def _listed_schema(self, collection: str) -> Any:
        """The schema of the items a collection's list answers, or None."""
        op = self.by_kind(collection, "list")
        if op is None:
            return None
        return self.list_item_schema(json_schema_of(op.response_for(op.success_status()) or {}))

    def _created_schema(self, collection: str) -> Any:
        """The schema of the record a collection's create answers (inside its envelope), or
        None."""
        op = self.by_kind(collection, "create")
        if op is None:
            return None
        schema = self.tools.resolve(json_schema_of(op.response_for(op.success_status()) or {}))
        wrapper = self.record_property(op)
        return schema if wrapper is None else self.tools.properties(schema)[wrapper]

    def answered_field(self, collection: str, answer: Any) -> str:
        """The record property a create of ``collection`` answering a bare value of schema
        ``answer`` answers: its identifier, else another of the answer's type and format
        (``identifiers.answered_field``)."""
        schema = self.item_schemas.get(collection)
        return answered_field(self.tools, schema, self.id_field(collection), answer)

    def create_body_schema(self, collection: str) -> Any:
        """The schema of the body of a collection's create (its JSON one, else its first),
        or None."""
        op = self.by_kind(collection, "create")
        if op is None:
            return None
        schema = json_schema_of({"content": op.body_content})
        if schema is None:
            media = [m for m in op.body_content.values() if isinstance(m, Mapping)]
            schema = media[0].get("schema") if media else None
        return schema

    def chosen_field(self, collection: str) -> str | None:
        """The property of a collection's create body that carries the new record's
        identifier (``id_field``: ``POST /docks {"id": "catete"}``), unless readOnly; None
        when the server names new records (``chosen``). Asked on every read of a record
        (``Call.key``), so worked out once per collection."""
        if collection not in self._chosen_fields:
            name = self.id_field(collection)
            prop = self.tools.properties(self.create_body_schema(collection)).get(name)
            chosen = prop is not None and not self.tools.read_only(prop)
            self._chosen_fields[collection] = name if chosen else None
        return self._chosen_fields[collection]

    def named_by_number(self, collection: str) -> bool:
        """Whether the item path parameter of a collection takes integers and no uuid
        (``/Users/{userKey}`` typed integer while the record's ``id`` is a string): then
        the ids it names must be numbers for the record to be reachable at all."""
        if collection not in self._by_number:
            self._by_number[collection] = False
            for op in self.operations.values():
                if op.collection != collection or not op.item_param:
                    continue
                param = op.param(op.item_param, "path")
                if param is not None:
                    schema = param.schema
                    self._by_number[collection] = self.tools.is_valid(
                        1, schema
                    ) and not self.tools.is_valid(_SOME_UUID, schema)
                    break
        return self._by_number[collection]

    def record_property(self, op: Operation) -> str | None:
        """The property of ``op``'s answer that wraps its record (``{"SynthesisTask": {...}}``,
        see ``envelopes``), for a create, get, update or replace; None when it answers the
        record itself."""
        if op.kind not in RECORD_KINDS or not op.collection:
            return None
        schema = json_schema_of(op.response_for(op.success_status()) or {})
        return envelopes.record_property(self.tools, schema, op.collection)

    def request_property(self, op: Operation) -> str | None:
        """The property of ``op``'s request body that wraps the record it sends (``{"account":
        {...}}``, see ``envelopes``), for a create, update or replace; None when the body is
        the record itself."""
        if op.kind not in RECORD_KINDS or not op.collection:
            return None
        schema = json_schema_of({"content": op.body_content})
        return envelopes.request_property(self.tools, schema, op.collection)

    def item_param_schemas(self, collection: str, *, own: bool = False) -> list[Any]:
        """The schemas of the path parameters that name a collection's records, one per
        operation: its items' (``/pets/{petId}`` on GET and DELETE) and, unless ``own``, its
        children's (``/pets/{pet_id}/toys``). A new record's identifier must fit each, or some
        operation could not reach it."""
        schemas: list[Any] = []
        for op in self.operations.values():
            names = [] if own else [name for parent, name in op.parents if parent == collection]
            if op.collection == collection and op.item_param:
                names.append(op.item_param)
            for name in names:
                param = op.param(name, "path")
                if param is not None:
                    schemas.append(param.schema)
        return schemas

    def collections(self) -> list[str]:
        """Every collection key, sorted."""
        return sorted({op.collection for op in self.operations.values() if op.collection})

    def path_methods(self, path: str) -> list[str]:
        """Methods the spec declares for the path that owns a request path (``Allow``)."""
        best = self.best_template(path)
        if best is None:
            return []
        key = route_key(best)
        return sorted({op.method for op in self.operations.values() if route_key(op.path) == key})

    def best_template(self, path: str) -> str | None:
        """The spec path that owns a request path: literal segments beat parameters,
        earlier segments first (so ``/v1/boms/upsert_async/`` beats ``/v1/boms/{bom_id}/``)."""
        wanted = segments(path)
        best: tuple[tuple[bool, ...], str] | None = None
        for template in sorted({op.path for op in self.operations.values()}):
            parts = segments(template)
            if len(parts) != len(wanted):
                continue
            if not all(param_name(t) or t == w for t, w in zip(parts, wanted, strict=True)):
                continue
            rank = tuple(param_name(t) is None for t in parts)
            if best is None or rank > best[0]:
                best = (rank, template)
        return best[1] if best else None

    def _raw_operations(self) -> list[tuple[str, str, Mapping[str, Any]]]:
        out: list[tuple[str, str, Mapping[str, Any]]] = []
        paths = self.spec.get("paths") or {}
        for path, item in paths.items():
            item = self.tools.resolve(item)
            if not isinstance(item, Mapping):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, Mapping):
                    merged = dict(op)
                    merged["__path_params__"] = item.get("parameters") or []
                    out.append((str(path), method.upper(), merged))
        return out

    def _build(
        self, path: str, method: str, op: Mapping[str, Any], item_collections: set[str]
    ) -> Operation:
        params = self._params(op)
        body_required, body_content = self._body(op)
        responses = self._responses(op)
        security = requirement(op.get("security", self.spec.get("security")))
        operation_id = str(op.get("operationId") or f"{method.lower()}_{normalise(path)}")
        kind, collection, item_param, action = self._classify(
            path, method, responses, body_content, item_collections
        )
        parents = _parents(collection, path, item_collections) if collection else ()
        return Operation(
            operation_id=operation_id,
            method=method,
            path=path,
            kind=kind,
            collection=collection,
            item_param=item_param,
            parents=parents,
            action=action,
            params=params,
            body_required=body_required,
            body_content=body_content,
            responses=responses,
            security=security,
            raw=op,
        )

    def _responses(self, op: Mapping[str, Any]) -> dict[str, Any]:
        return {
            str(code): self.tools.resolve(resp)
            for code, resp in (op.get("responses") or {}).items()
        }

    def _params(self, op: Mapping[str, Any]) -> tuple[Param, ...]:
        merged: dict[tuple[str, str], Param] = {}
        for raw in [*op.get("__path_params__", []), *(op.get("parameters") or [])]:
            param = self.tools.resolve(raw)
            if not isinstance(param, Mapping) or "name" not in param:
                continue
            location = str(param.get("in", "query"))
            name = str(param["name"])
            if location == "header" and name.lower() in _IGNORED_HEADERS:
                continue
            merged[(name.lower(), location)] = Param(
                name=name,
                location=location,
                required=bool(param.get("required")) or location == "path",
                schema=param.get("schema", {}),
            )
        return tuple(merged.values())

    def _body(self, op: Mapping[str, Any]) -> tuple[bool, Mapping[str, Any]]:
        body = self.tools.resolve(op.get("requestBody"))
        if not isinstance(body, Mapping):
            return False, {}
        content = body.get("content") or {}
        return bool(body.get("required")), {str(k): v for k, v in content.items()}

    def _classify(
        self,
        path: str,
        method: str,
        responses: Mapping[str, Any],
        body_content: Mapping[str, Any],
        item_collections: set[str],
    ) -> tuple[str, str | None, str | None, str | None]:
        segs = segments(path)
        if not segs:
            return "standalone", None, None, None
        last = param_name(segs[-1])
        if last is not None and not self._lists_items_below(path, method, responses):
            kind = {"GET": "get", "PATCH": "update", "PUT": "replace", "DELETE": "delete"}
            return kind.get(method, "item_action"), normalise(join(segs[:-1])), last, None
        here = normalise(join(segs))
        if method == "POST" and self._answers_page(responses):
            # a search (botify's POST .../urls takes a query and answers a page), not a create:
            # it lists the collection, a page of its records
            return "list", here, None, None
        prefix = segs[:-1]
        prefix_param = param_name(prefix[-1]) if prefix else None
        listy = method == "GET" and self._answers_list(responses)
        bulky = method == "PATCH" and self._takes_array(body_content)
        nested_create = method == "POST" and "201" in responses and prefix_param is not None
        if here in item_collections or listy or bulky or nested_create:
            kind = {"GET": "list", "POST": "create", "PATCH": "bulk_update"}
            return kind.get(method, "collection_action"), here, None, None
        if prefix_param is not None:
            return "item_action", normalise(join(prefix[:-1])), prefix_param, segs[-1]
        if normalise(join(prefix)) in item_collections:
            return "collection_action", normalise(join(prefix)), None, segs[-1]
        return "standalone", None, None, segs[-1]

    def _lists_items_below(self, path: str, method: str, responses: Mapping[str, Any]) -> bool:
        """Whether a GET on ``/my/favourites/{type}`` lists the records of a collection of its
        own, not one of ``/my/favourites/``: it answers a list and an item path is below it
        (``/my/favourites/{type}/{id}``). A get answering a record in a list has none."""
        return (
            method == "GET"
            and normalise(join(segments(path))) in self._item_parents
            and self._answers_list(responses)
        )

    def _answers_list(self, responses: Mapping[str, Any]) -> bool:
        return any(
            "array" in schema_types(schema, self.tools) or self._holds_results(schema)
            for schema in self._success_schemas(responses)
        )

    def _answers_page(self, responses: Mapping[str, Any]) -> bool:
        """Whether a 2xx answers a page: ``results``, an array, beside ``count``, ``next`` or
        ``previous`` (a create answering its records in a plain array stays a create)."""
        return any(
            self._holds_results(schema)
            and any(name in schema["properties"] for name in ("count", "next", "previous"))
            for schema in self._success_schemas(responses)
        )

    def _success_schemas(self, responses: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        """The JSON schema of each 2xx response that has one, resolved."""
        for code, resp in responses.items():
            if code.startswith("2") and isinstance(resp, Mapping):
                schema = self.tools.resolve(json_schema_of(resp))
                if isinstance(schema, Mapping):
                    yield schema

    def _holds_results(self, schema: Mapping[str, Any]) -> bool:
        props = schema.get("properties")
        return (
            isinstance(props, Mapping)
            and "results" in props
            and "array" in schema_types(props["results"], self.tools)
        )

    def _takes_array(self, body_content: Mapping[str, Any]) -> bool:
        for media, content in body_content.items():
            if (
                is_json(media)
                and isinstance(content, Mapping)
                and "array" in schema_types(content.get("schema"), self.tools)
            ):
                return True
        return False

    def _find_item_schemas(self) -> None:
        """The record schema of each collection: from get, list, create, update."""
        for kind in ("get", "list", "create", "update", "replace"):
            for op in self.operations.values():
                if not op.collection or op.collection in self.item_schemas or op.kind != kind:
                    continue
                schema = self.tools.resolve(
                    json_schema_of(op.response_for(op.success_status()) or {})
                )
                if kind == "list":
                    schema = self.list_item_schema(schema)
                elif kind == "get" and self._plain_array(schema):
                    # a get answering its record in a list of one (gotomeeting's organizers)
                    schema = self.tools.resolve(schema["items"])
                elif (wrapper := self.record_property(op)) is not None:
                    schema = self.tools.resolve(self.tools.properties(schema)[wrapper])
                    # a second envelope inside the first: {"data": {"account": {...}}}
                    inner = envelopes.record_property(self.tools, schema, op.collection)
                    if inner is not None:
                        schema = self.tools.resolve(self.tools.properties(schema)[inner])
                if isinstance(schema, Mapping) and schema:
                    self.item_schemas[op.collection] = schema

    def _plain_array(self, schema: Any) -> bool:
        """Whether a resolved schema is an array of items, no envelope around it."""
        return (
            isinstance(schema, Mapping)
            and "items" in schema
            and "array" in schema_types(schema, self.tools)
        )

    def list_item_schema(self, schema: Any) -> Any:
        """The item schema of a list response (``envelopes.list_item_schema``)."""
        return envelopes.list_item_schema(self.tools, schema)

    def list_path(self, schema: Any) -> tuple[str, ...] | None:
        """Where a list envelope keeps its records: a property, or one inside an object
        property (``envelopes.list_path``)."""
        return envelopes.list_path(self.tools, schema)

    def records_schema(self, schema: Any, path: tuple[str, ...]) -> Any:
        """The schema at ``path`` of a list envelope (``envelopes.records_schema``)."""
        return envelopes.records_schema(self.tools, schema, path)

    def record_map_schema(self, schema: Any) -> Any:
        """The record schema of a map of records by id (``envelopes.record_map_schema``)."""
        return envelopes.record_map_schema(self.tools, schema)


def _parents(collection: str, path: str, collections: set[str]) -> tuple[tuple[str, str], ...]:
    """Ancestors of a collection: (ancestor collection key, the op's param naming it).

    In ``/v1/boms/{bom_id}/lines/{bom_line_id}/`` the collection ``/v1/boms/{}/lines/`` has
    one ancestor, ``("/v1/boms/", "bom_id")``: the i-th ``{}`` of the collection is the
    i-th parameter of the path. A parameter under a path that is no collection
    (``/{username}/feeds/``) names no record: it is not an ancestor.
    """
    names = [name for name in map(param_name, segments(path)) if name]
    segs = segments(collection)
    parents: list[tuple[str, str]] = []
    position = 0
    for index, seg in enumerate(segs):
        if seg != "{}" or position >= len(names):
            continue
        if join(segs[:index]) in collections:
            parents.append((join(segs[:index]), names[position]))
        position += 1
    return tuple(parents)
