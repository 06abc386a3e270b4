"""Generic handlers, one per operation kind (see ``spec_index`` for how kinds are found).

They know nothing about Cofactr: records are JSON documents, the server sets ``id`` (unless
the client chose it, see ``chosen``), ``org_id``, ``created_at``/``updated_at`` and
``created_by``/``updated_by`` where the record schema has them, and PATCH changes only what
was sent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from .chosen import chosen_id
from .context import Call, Reply
from .errors import not_found
from .identifiers import fresh_value
from .operations import json_schema_of
from .schemas import schema_types
from .store import Record, record_id
from .uploads import answers_binary, download, store_upload

Handler = Callable[[Call], Reply]

SERVER_FIELDS = frozenset({"id", "org_id", "created_at", "created_by", "created_by_id"})
PAGING_PARAMS = frozenset({"limit", "offset", "org_id", "blended", "ordering", "search"})


def list_records(call: Call) -> Reply:
    """GET on a collection: records in scope, filtered by declared query params, paged."""
    parent = call.find_parent()
    assert call.op.collection is not None
    records = call.store.records(
        call.op.collection, call.scope.org_ids, parent.id if parent else None
    )
    items = [record.data for record in _filtered(call, records)]
    return page(call, items)


def _filtered(call: Call, records: list[Record]) -> list[Record]:
    """Keep records equal to every declared, given query param that names a field."""
    props = call.rt.properties(call.item_schema())
    wanted = {
        param.name: call.query[param.name]
        for param in call.op.params
        if param.location == "query"
        and param.name in call.query
        and param.name not in PAGING_PARAMS
        and param.name in props
    }
    if not wanted:
        return records
    return [
        record
        for record in records
        if all(_same(record.data.get(name), value) for name, value in wanted.items())
    ]


def _same(stored: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return any(_same(stored, one) for one in wanted)
    if isinstance(stored, bool) or isinstance(wanted, bool):
        return str(stored).lower() == str(wanted).lower()
    return str(stored) == str(wanted)


def page(call: Call, items: list[Any]) -> Reply:
    """A DRF ``{count, next, previous, results}`` page, or a plain array if so declared."""
    status = call.op.success_status(200)
    schema = call.rt.tools.resolve(json_schema_of(call.op.response_for(status) or {}))
    props = call.rt.properties(schema)
    if "results" not in props:
        path = call.rt.index.list_path(schema)
        # another envelope: the records in its list (or its map by id), maybe one level deep
        # (``{"_embedded": {"members": [...]}}``), the rest filled in from its schema
        if path is None:
            return Reply(status, items)
        records: Any = items
        if call.rt.index.record_map_schema(call.rt.index.records_schema(schema, path)):
            id_field = call.rt.index.id_field(call.op.collection or "")
            records = {str(item.get(id_field)): item for item in items}
        for name in reversed(path):
            records = {name: records}
        return Reply(status, records)
    limit = _count(call.query.get("limit")) or _count(_default(call, "limit")) or 100
    offset = _count(call.query.get("offset")) or 0
    url = call.request.url
    next_url = None
    if offset + limit < len(items):
        next_url = str(url.include_query_params(limit=limit, offset=offset + limit))
    previous = None
    if offset > 0:
        back = url.include_query_params(limit=limit)
        back = (
            back.remove_query_params("offset")
            if offset - limit <= 0
            else back.include_query_params(offset=offset - limit)
        )
        previous = str(back)
    body = {
        "count": len(items),
        "next": next_url,
        "previous": previous,
        "results": items[offset : offset + limit],
    }
    return Reply(status, body)


def _count(value: Any) -> int | None:
    """A non-negative int from a (validated, but maybe loosely typed) parameter."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number >= 0 else None


def _default(call: Call, name: str) -> Any:
    param = call.op.param(name, "query")
    if param is None:
        return None
    schema = call.rt.tools.resolve(param.schema)
    return schema.get("default") if isinstance(schema, Mapping) else None


def create_record(call: Call) -> Reply:
    """POST on a collection: a new record in the parent's org (or the target org)."""
    assert call.op.collection is not None
    if isinstance(call.body, list) and any(isinstance(item, Mapping) for item in call.body):
        return _create_batch(call)
    parent = call.find_parent()
    body = call.sent_record()
    _apply_defaults(call, body)
    nested = _nested_bodies(call, call.op.collection, body)
    record = insert(call, call.op.collection, body, parent)
    for collection, items in nested.items():
        for item in items:
            insert(call, collection, dict(item), record)
    store_upload(call, record)
    status = call.op.success_status(201)
    schema = json_schema_of(call.op.response_for(status) or {})
    types = schema_types(schema, call.rt.tools)
    if types and not types & {"object", "array"}:
        # the create answers the new identifier alone, or another property of the record
        # that the answer's type and format name (``token``, a uuid, beside an integer id)
        name = call.rt.index.answered_field(call.op.collection, schema)
        if name not in body and name != call.rt.index.id_field(call.op.collection):
            record.data[name] = fresh_value(call.rt.tools, schema)
            call.store.save(record)
        if call.rt.tools.is_valid(record.data.get(name), schema):
            return Reply(status, record.data[name])
    return Reply(status, answer(call, record))


def _create_batch(call: Call) -> Reply:
    """POST on a collection with an array of objects (a batch): a record for each,
    answered as the collection's list answers records (``page``) where the answer is a list
    or a list's envelope, else the first of them."""
    assert call.op.collection is not None and isinstance(call.body, list)
    parent = call.find_parent()
    items = [dict(item) for item in call.body if isinstance(item, Mapping)]
    made = [insert(call, call.op.collection, item, parent).data for item in items]
    status = call.op.success_status(201)
    schema = call.rt.tools.resolve(json_schema_of(call.op.response_for(status) or {}))
    if "array" in schema_types(schema, call.rt.tools) or call.rt.index.list_path(schema):
        return page(call, made)
    return Reply(status, made[0] if made else {})


def answer(call: Call, record: Record) -> Any:
    """A record as the operation answers it: itself, or inside the envelope the spec wraps
    it in (``{"SynthesisTask": {...}}``, see ``envelopes``)."""
    wrapper = call.rt.index.record_property(call.op)
    return record.data if wrapper is None else {wrapper: record.data}


def _apply_defaults(call: Call, body: dict[str, Any]) -> None:
    """Fields the request left out take the request schema's `default` (a server's model
    defaults: `approved` is false, `metadata` is {}), as a Django REST Framework API would."""
    schema = call.op.body_schema()
    for name, prop in call.rt.properties(schema).items():
        resolved = call.rt.tools.resolve(prop)
        if name not in body and isinstance(resolved, Mapping) and "default" in resolved:
            body[name] = copy.deepcopy(resolved["default"])


def _nested_bodies(
    call: Call, collection: str, body: dict[str, Any]
) -> dict[str, list[Mapping[str, Any]]]:
    """Pop arrays of objects named like a nested collection (``CreateBom.lines`` ->
    ``/v1/boms/{}/lines/``); they become child records."""
    known = set(call.rt.index.collections())
    nested: dict[str, list[Mapping[str, Any]]] = {}
    for name, value in list(body.items()):
        child = f"{collection}{{}}/{name}/"
        if child in known and isinstance(value, list):
            nested[child] = [item for item in value if isinstance(item, Mapping)]
            del body[name]
    return nested


def insert(
    call: Call,
    collection: str,
    data: dict[str, Any],
    parent: Record | None,
    org_id: str | None = None,
) -> Record:
    """Store a new record with the server-set fields, filled out to its schema."""
    org = org_id or (parent.org_id if parent else call.scope.target_org)
    schema = call.item_schema(collection)
    props = call.rt.properties(schema)
    id_field = call.rt.index.id_field(collection)
    chosen = chosen_id(call, collection, data, parent)  # the client's own, else the stub's
    data = {k: v for k, v in data.items() if k not in SERVER_FIELDS and k != id_field}
    data.update(org_id=org, created_at=call.now, updated_at=call.now)
    data[id_field] = call.new_id(collection) if chosen is None else chosen
    if _is_uuid_field(call, props.get("org")):
        data["org"] = org
    _stamp_user(call, data, props, ("created_by", "updated_by"))
    status = call.rt.tools.resolve(props.get("status"))
    if isinstance(status, Mapping) and status.get("readOnly") and "status" not in data:
        data["status"] = call.rt.values.minimal(status)  # the first enum value
    if parent is not None:
        # the parent's own identifier, not its key (which may hold its parent's, ``Call.key``)
        named = record_id(parent.data.get(call.rt.index.id_field(parent.collection), parent.id))
        for name in _parent_fields(call, collection, props):
            data[name] = named
    if schema is not None:
        filled = call.rt.values.shape(data, schema)
        if isinstance(filled, Mapping):
            data = {**filled, **data}
    key = call.key(collection, data[id_field], parent)
    return call.store.insert(collection, key, org, parent.id if parent else None, data)


def _parent_fields(call: Call, collection: str, props: Mapping[str, Any]) -> list[str]:
    """Fields that hold the parent's id: the path param's name (``bom_id``) or its stem."""
    op = next((o for o in call.rt.index.operations.values() if o.collection == collection), None)
    if op is None or not op.parents:
        return []
    name = op.parents[-1][1]
    names = [name]
    if name.endswith("_id"):
        names.append(name[:-3])
    return [n for n in names if n in props and _is_uuid_field(call, props[n])]


def _is_uuid_field(call: Call, schema: Any) -> bool:
    """Whether a field holds a uuid: one validates, and it is no object schema (one with
    properties but no ``type`` validates a string too)."""
    sample = "00000000-0000-4000-8000-000000000000"
    return (
        schema is not None
        and not call.rt.properties(schema)
        and call.rt.tools.is_valid(sample, schema)
    )


def _stamp_user(
    call: Call, data: dict[str, Any], props: Mapping[str, Any], names: tuple[str, ...]
) -> None:
    for name in names:
        if name in props:
            data[name] = call.user_ref()
        if f"{name}_id" in props:
            data[f"{name}_id"] = call.principal.user.get("id")


def get_record(call: Call) -> Reply:
    """GET on an item."""
    return Reply(call.op.success_status(200), answer(call, call.find_item()))


def update_record(call: Call) -> Reply:
    """PATCH on an item: only the fields sent change."""
    record = call.find_item()
    apply_patch(call, record, call.sent_record())
    return Reply(call.op.success_status(200), answer(call, record))


def apply_patch(call: Call, record: Record, changes: Mapping[str, Any]) -> None:
    """Merge ``changes`` into a record, refresh ``updated_*`` and save it."""
    props = call.rt.properties(call.item_schema(record.collection))
    id_field = call.rt.index.id_field(record.collection)
    for name, value in changes.items():
        if name not in SERVER_FIELDS and name != id_field:
            record.data[name] = value
    record.data["updated_at"] = call.now
    _stamp_user(call, record.data, props, ("updated_by",))
    call.store.save(record)


def replace_record(call: Call) -> Reply:
    """PUT on an item: the body replaces every field the server does not own."""
    record = call.find_item()
    id_field = call.rt.index.id_field(record.collection)
    keep = {
        k: v for k, v in record.data.items() if k in SERVER_FIELDS or k in ("org", id_field)
    }
    body = call.sent_record()
    record.data = {**{k: v for k, v in body.items() if k not in SERVER_FIELDS}, **keep}
    apply_patch(call, record, {})
    return Reply(call.op.success_status(200), answer(call, record))


def delete_record(call: Call) -> Reply:
    """DELETE on an item (and everything nested under it)."""
    call.store.delete(call.find_item())
    return Reply(call.op.success_status(204))


def bulk_update(call: Call) -> Reply:
    """PATCH on a collection with an array body: update each ``{id, ...}``; 404 if one is
    unknown (and then nothing changes: the request is one transaction)."""
    assert call.op.collection is not None
    parent = call.find_parent()
    updated: list[Any] = []
    for change in call.body if isinstance(call.body, list) else []:
        if not isinstance(change, Mapping):
            continue
        record = call.visible(call.store.get(call.op.collection, str(change.get("id"))))
        if record is None or record.parent_id != (parent.id if parent else None):
            raise not_found()
        apply_patch(call, record, change)
        updated.append(record.data)
    return Reply(call.op.success_status(200), updated)


def item_action(call: Call) -> Reply:
    """``<item>/<action>/`` without a named behaviour: answer the record (or its file)."""
    record = call.find_item()
    if answers_binary(call):
        return download(call, record)
    return Reply(call.op.success_status(200), record.data)


def collection_action(call: Call) -> Reply:
    """``<collection>/<action>/`` (e.g. an upsert): upsert each object of the body."""
    assert call.op.collection is not None
    items, many = _body_items(call.body)
    done = [upsert(call, call.op.collection, item).data for item in items]
    return Reply(call.op.success_status(200), done if many else (done[0] if done else {}))


def _body_items(body: Any) -> tuple[list[dict[str, Any]], bool]:
    """The records a body carries: an array, an object with one array of objects, or the
    object itself."""
    if isinstance(body, list):
        return [dict(item) for item in body if isinstance(item, Mapping)], True
    if isinstance(body, Mapping):
        arrays = [
            value
            for value in body.values()
            if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value)
        ]
        if len(arrays) == 1 and len(body) == 1:
            return [dict(item) for item in arrays[0]], True
        return [dict(body)], False
    return [], False


def upsert(call: Call, collection: str, data: dict[str, Any]) -> Record:
    """Update the record with ``data["id"]`` if this request sees it, else create one."""
    existing = call.visible(call.store.get(collection, str(data.get("id"))))
    if existing is not None:
        apply_patch(call, existing, data)
        return existing
    return insert(call, collection, data, None)


def standalone(call: Call) -> Reply:
    """A path that is no resource: answer the minimal valid value of its schema."""
    return Reply(call.op.success_status(), {})


GENERIC: dict[str, Handler] = {
    "list": list_records,
    "create": create_record,
    "get": get_record,
    "update": update_record,
    "replace": replace_record,
    "delete": delete_record,
    "bulk_update": bulk_update,
    "item_action": item_action,
    "collection_action": collection_action,
    "standalone": standalone,
}
