"""Behaviours the API documents beyond plain CRUD, keyed by operationId.

Each handler takes the validated :class:`Call` and returns a :class:`Reply`, or ``None`` to
let the generic handler for the operation's kind answer instead. The engine only registers
handlers whose operationId is in the spec, so a spec without (say) ``approve_bom`` simply
never reaches that handler.

Choices the docs leave open, settled here:

* ``approve_bom`` on an approved BOM answers 200 with the BOM unchanged (idempotent).
* ``delete_bom`` on an approved BOM archives it (``archived``/``archived_at``; still
  gettable and listed) and answers 204 like a delete.
* ``create_bom_line`` sums into an existing line of the same BOM with the same part: the
  first of ``part_id``, ``cpid``, ``part``, ``mpn`` the body gives. It answers the existing
  line with 200 when the spec declares 200, else with the create status.
* ``parse_raw_bom_line`` sums when ``mpn`` and ``reference_designators_string`` both match.
* Purchase-order lifecycle: a request that sets ``approved``/``sent``/``voided``/
  ``fulfilled``/``closed``/``locked``/``archived`` (the boolean or its ``*_at``) gets
  ``*_at`` (now, unless given or already set), ``*_by`` and ``*_by_id`` (the key's user)
  from the server; setting the boolean false clears them.
* Account operations read and write the tenancy tables (orgs, users, API keys).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from .context import Call, Pending, Reply
from .crud import SERVER_FIELDS, apply_patch, create_record, insert, page
from .errors import not_found
from .sql_query import run_sql
from .store import Record

Behaviour = Callable[[Call], Reply | Pending | None]

PART_KEYS = ("part_id", "cpid", "part", "mpn")
LIFECYCLE_STATES = ("approved", "sent", "voided", "fulfilled", "closed", "locked", "archived")
_MISSING = object()


def _collection_of(call: Call, *operation_ids: str) -> str | None:
    for name in operation_ids:
        op = call.rt.index.operations.get(name)
        if op is not None and op.collection:
            return op.collection
    return None


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _merge_status(call: Call) -> int:
    return 200 if 200 in call.op.success_statuses() else call.op.success_status(201)


def _add_quantity(call: Call, record: Record, extra: Mapping[str, Any]) -> None:
    total = (record.data.get("quantity") or 0) + (extra.get("quantity") or 0)
    apply_patch(call, record, {"quantity": total})


# -- BOMs -----------------------------------------------------------------------------------


def delete_bom(call: Call) -> Reply | None:
    """Delete an unapproved BOM (generic delete); archive an approved one."""
    record = call.find_item()
    if not (_truthy(record.data.get("approved")) or record.data.get("approved_at")):
        return None
    apply_patch(call, record, {"archived": True, "archived_at": call.now})
    return Reply(call.op.success_status(204))


def approve_bom(call: Call) -> Reply:
    """Approve a BOM; approving an approved BOM changes nothing."""
    record = call.find_item()
    if not _truthy(record.data.get("approved")):
        apply_patch(call, record, _stamped(call, "approved", call.now))
    return Reply(call.op.success_status(200), record.data)


def create_bom_line(call: Call) -> Reply | None:
    """Sum quantities into an existing line with the same part, else create a line."""
    parent = call.find_parent()
    body = call.body if isinstance(call.body, Mapping) else {}
    key = next((k for k in PART_KEYS if body.get(k) not in (None, "")), None)
    if parent is None or key is None or call.op.collection is None:
        return None
    for record in call.store.records(call.op.collection, [parent.org_id], parent.id):
        if record.data.get(key) == body[key]:
            _add_quantity(call, record, body)
            return Reply(_merge_status(call), record.data)
    return None


def parse_raw_bom_line(call: Call) -> Reply | None:
    """Add a raw line to a BOM, summing into a line with the same mpn and refdes."""
    lines = _collection_of(call, "create_bom_line", "list_bom_lines", "get_bom_line")
    if lines is None:
        return None
    bom = call.find_item() if call.op.kind == "item_action" else call.find_parent()
    if bom is None:
        raise not_found()
    body = call.body if isinstance(call.body, Mapping) else {}
    record, merged = _add_raw_line(call, lines, bom, body)
    status = _merge_status(call) if merged else call.op.success_status(201)
    return Reply(status, record.data)


def parse_raw_bom(call: Call) -> Reply | None:
    """Turn a ``CreateRawBom`` (BOM fields plus ``raw_lines``) into a BOM and its lines."""
    boms = _collection_of(call, "create_bom", "get_bom", "list_boms")
    lines = _collection_of(call, "create_bom_line", "list_bom_lines", "get_bom_line")
    if boms is None:
        return None
    body = dict(call.body) if isinstance(call.body, Mapping) else {}
    raw_lines = body.pop("raw_lines", None) or []
    bom = insert(call, boms, body, None)
    if lines is not None:
        for raw in raw_lines:
            if isinstance(raw, Mapping):
                _add_raw_line(call, lines, bom, raw)
    data = dict(bom.data)
    if lines is not None:
        data["lines"] = [r.data for r in call.store.records(lines, [bom.org_id], bom.id)]
    return Reply(call.op.success_status(201), data)


def _add_raw_line(
    call: Call, collection: str, bom: Record, raw: Mapping[str, Any]
) -> tuple[Record, bool]:
    mpn = raw.get("mpn")
    refdes = raw.get("reference_designators_string")
    if mpn:
        for record in call.store.records(collection, [bom.org_id], bom.id):
            same_refdes = record.data.get("reference_designators_string") == refdes
            if record.data.get("mpn") == mpn and same_refdes:
                _add_quantity(call, record, raw)
                return record, True
    line = dict(raw)
    props = call.rt.properties(call.item_schema(collection))
    if mpn:
        # "Performs searches to convert into Cofactr data": a stable made-up part id.
        for name in ("part_id", "cpid"):
            if name in props and name not in line:
                line[name] = _part_id_for(call, str(mpn), props[name])
    return insert(call, collection, line, bom), False


def _part_id_for(call: Call, mpn: str, schema: Any) -> Any:
    digest = hashlib.sha256(mpn.upper().encode()).hexdigest().upper()
    for candidate in (digest[:12], str(uuid.uuid5(uuid.NAMESPACE_URL, f"mpn:{mpn}"))):
        if call.rt.tools.is_valid(candidate, schema):
            return candidate
    return None


# -- purchases ------------------------------------------------------------------------------


def _stamped(call: Call, state: str, stamp: Any) -> dict[str, Any]:
    user = call.user_ref()
    return {
        state: True,
        f"{state}_at": stamp,
        f"{state}_by": user,
        f"{state}_by_id": user.get("id"),
    }


def lifecycle(call: Call, body: Mapping[str, Any], existing: Mapping[str, Any]) -> dict[str, Any]:
    """The body with the server's ``*_at``/``*_by`` for every state it sets or clears."""
    out = dict(body)
    for state in LIFECYCLE_STATES:
        flag = body.get(state, _MISSING)
        stamp = body.get(f"{state}_at", _MISSING)
        if flag is _MISSING and stamp is _MISSING:
            continue
        on = flag is True or (flag is _MISSING and stamp is not None)
        if not on:
            out.update({state: False, f"{state}_at": None})
            out.update({f"{state}_by": None, f"{state}_by_id": None})
            continue
        already = existing.get(f"{state}_at")
        out.update(_stamped(call, state, stamp if isinstance(stamp, str) else already or call.now))
        if already and existing.get(f"{state}_by"):
            out[f"{state}_by"] = existing[f"{state}_by"]
            out[f"{state}_by_id"] = existing.get(f"{state}_by_id")
    return out


def update_purchase_order(call: Call) -> Reply:
    """PATCH a purchase order, the server stamping lifecycle changes."""
    record = call.find_item()
    body = call.body if isinstance(call.body, Mapping) else {}
    apply_patch(call, record, lifecycle(call, body, record.data))
    return Reply(call.op.success_status(200), record.data)


def create_purchase_order(call: Call) -> Reply:
    """Create a purchase order, the server stamping any state it starts in."""
    body = call.body if isinstance(call.body, Mapping) else {}
    call.body = lifecycle(call, body, {})
    return create_record(call)


# -- small state actions --------------------------------------------------------------------


def _set_state(state: str, on: bool) -> Behaviour:
    def handler(call: Call) -> Reply:
        record = call.find_item()
        if on:
            changes = {state: True, f"{state}_at": record.data.get(f"{state}_at") or call.now}
        else:
            changes = {state: False, f"{state}_at": None}
        apply_patch(call, record, changes)
        return Reply(call.op.success_status(200), record.data)

    handler.__doc__ = f"Set ``{state}`` {'on' if on else 'off'} with its timestamp."
    return handler


# -- account --------------------------------------------------------------------------------


def _clean(body: Any) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        return {}
    blocked = SERVER_FIELDS | {"parent_id", "parent_org_id", "key", "key_hash", "org", "prefix"}
    return {k: v for k, v in body.items() if k not in blocked}


def get_org(call: Call) -> Reply:
    """The target org (the key's own, or the one ``org_id`` names)."""
    org = call.store.org(call.scope.target_org)
    if org is None:
        raise not_found()
    return Reply(call.op.success_status(200), org)


def _sub_org_ids(call: Call) -> list[str]:
    """Sub-orgs the request sees: the target org's tree, less the key's own org."""
    tree = call.store.orgs_under(call.scope.target_org)
    own = call.principal.org_id
    return [org for org in tree if org != own and org in call.principal.reachable]


def list_sub_orgs(call: Call) -> Reply:
    """Sub-orgs below the target org (and the target itself when it is a sub-org)."""
    orgs = [call.store.org(org_id) for org_id in _sub_org_ids(call)]
    return page(call, [org for org in orgs if org is not None])


def _find_sub_org(call: Call) -> dict[str, Any]:
    org_id = str(call.path.get(call.op.item_param or "", ""))
    found = call.store.org(org_id) if org_id in _sub_org_ids(call) else None
    if found is None:
        raise not_found()
    return found


def get_sub_org(call: Call) -> Reply:
    """One sub-org the key reaches."""
    return Reply(call.op.success_status(200), _find_sub_org(call))


def create_sub_org(call: Call) -> Reply:
    """A new sub-org under the target org; the key reaches it at once."""
    data = _clean(call.body)
    data.update(
        id=str(uuid.uuid4()),
        parent_id=call.scope.target_org,
        parent_org_id=call.scope.target_org,
        created_at=call.now,
        updated_at=call.now,
    )
    call.store.insert_org(data)
    return Reply(call.op.success_status(201), data)


def update_sub_org(call: Call) -> Reply:
    """PATCH a sub-org."""
    data = _find_sub_org(call)
    data.update(_clean(call.body))
    data["updated_at"] = call.now
    call.store.save_org(data)
    return Reply(call.op.success_status(200), data)


def list_users(call: Call) -> Reply:
    """Users of the orgs in scope."""
    return page(call, call.store.users(call.scope.org_ids))


def get_user(call: Call) -> Reply:
    """One user of an org in scope."""
    user = call.store.user(str(call.path.get(call.op.item_param or "", "")))
    if user is None or user.get("org_id") not in call.scope.org_ids:
        raise not_found()
    return Reply(call.op.success_status(200), user)


def update_api_key(call: Call) -> Reply:
    """PATCH an API key's data (name, revoked...) in an org the caller reaches."""
    key_id = str(call.path.get(call.op.item_param or "", ""))
    row = next((k for k in call.store.api_keys() if k.id == key_id), None)
    if row is None or row.org_id not in call.scope.org_ids:
        raise not_found()
    data = dict(row.data)
    data.update(_clean(call.body))
    data["updated_at"] = call.now
    call.store.save_key(row.id, data)
    return Reply(call.op.success_status(200), data)


REGISTRY: dict[str, tuple[str, Behaviour]] = {
    "delete_bom": ("DELETE /v1/boms/{bom_id}/", delete_bom),
    "approve_bom": ("POST /v1/boms/{bom_id}/approve/", approve_bom),
    "create_bom_line": ("POST /v1/boms/{bom_id}/lines/", create_bom_line),
    "parse_raw_bom_line": ("POST /v1/boms/{bom_id}/parse_raw_line/", parse_raw_bom_line),
    "parse_raw_bom": ("POST /v1/parse_raw_bom/", parse_raw_bom),
    "update_purchase_order": ("PATCH /v1/purchase_orders/{purchase_id}/", update_purchase_order),
    "create_purchase_order": ("POST /v1/purchase_orders/", create_purchase_order),
    "archive_team": ("POST /v1/teams/{team_id}/archive/", _set_state("archived", True)),
    "unarchive_team": ("POST /v1/teams/{team_id}/unarchive/", _set_state("archived", False)),
    "mark_outbound_email_sent": (
        "POST /v1/outbound_emails/{outbound_email_id}/mark_sent/",
        _set_state("sent", True),
    ),
    "run_customer_sql_query": ("POST /v1/reporting/sql_query/", run_sql),
    "get_org": ("GET /v1/org/", get_org),
    "list_sub_orgs": ("GET /v1/sub_orgs/", list_sub_orgs),
    "get_sub_org": ("GET /v1/sub_orgs/{sub_org_id}/", get_sub_org),
    "create_sub_org": ("POST /v1/sub_orgs/", create_sub_org),
    "update_sub_org": ("PATCH /v1/sub_orgs/{sub_org_id}/", update_sub_org),
    "list_users": ("GET /v1/users/", list_users),
    "get_user": ("GET /v1/users/{user_id}/", get_user),
    "update_api_key": ("PATCH /v1/api_keys/{api_key_id}/", update_api_key),
}
"""operationId -> the method and path Cofactr's spec has it at, and its handler. A behaviour
serves only that operation, not one of another document that happens to share its
operationId (Airflow's ``get_user`` is ``GET /users/{username}``, a record of its own ``POST
/users``, not one of the stub's org users). The async operations (``*_async``) and the
stock-document upload and download are handled generically (``jobs``,
``uploads.store_upload``/``uploads.download``)."""


def behaviour_for(name: str, method: str, path: str) -> Behaviour | None:
    """The behaviour of the operation ``name`` at ``method`` ``path``, if it is Cofactr's."""
    route, handler = REGISTRY.get(name, ("", None))
    return handler if route == f"{method.upper()} {path}" else None
