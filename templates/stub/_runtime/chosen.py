"""Identifiers a client chooses: a create whose body carries the new record's identifier
(``POST /docks {"id": "catete", ...}`` read at ``/docks/{dockId}``; ``POST .../analysisRule
{"analysisRuleType": "LIST", ...}`` read at ``.../analysisRule/{analysisRuleType}``, see
``SpecIndex.chosen_field``).

The record is stored under the identifier sent when it is a usable one: not empty, and taken
by the record's identifier property and by every path parameter that names the collection's
records; otherwise the stub names the record, as for any create. Such names are unique under
a record's parent only (``Call.key``). An identifier that names a record already is a
conflict: 409 with its reason where the create declares 409 or any error response, else the
400 a Django REST Framework API answers for a unique field (``{"id": ["A record with this id
already exists."]}``), the stub's answer to a bad body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .context import Call
from .errors import StubError, bad_request, detail
from .schemas import coerce_text
from .store import Record


def chosen_id(
    call: Call, collection: str, data: Mapping[str, Any], parent: Record | None
) -> str | int | None:
    """The identifier a create's ``data`` chooses for its new record of ``collection`` under
    ``parent``, or None when it chooses none (or none usable); raises the conflict when it
    names a record there already."""
    name = call.rt.index.chosen_field(collection)
    value = data.get(name) if name is not None else None
    if name is None or isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    schema = call.item_schema(collection)
    id_schema = call.rt.properties(schema).get(name) if schema is not None else None
    tools = call.rt.tools
    if id_schema is not None and not tools.is_valid(value, id_schema):
        return None
    for param in call.rt.index.item_param_schemas(collection):
        if not tools.is_valid(coerce_text(str(value), param, tools), param):
            return None  # a path could not name it
    if call.store.get(collection, call.key(collection, value, parent)) is not None:
        raise conflict(call, name)
    return value


def conflict(call: Call, name: str) -> StubError:
    """The answer to a create naming a record that exists (see the module)."""
    message = f"A record with this {name} already exists."
    declared = [str(code) for code in call.op.responses]
    if any(code[:1] in ("4", "5") or code == "default" for code in declared):
        return detail(409, message, code="conflict")
    return bad_request(name, message)
