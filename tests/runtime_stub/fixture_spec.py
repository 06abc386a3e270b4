"""A small spec in the conventions of docs/contracts.md section 2, for the stub runtime tests.

It is built in Python (and dumped as JSON for the real-process launcher) so it stays short:
BOMs with nested lines, approve, upsert-async and raw parsing; purchase orders with
``x-org-id``/``blended`` and bulk-updated lines; programs with an async twin; parts with
non-uuid ids; async jobs; stock documents (multipart upload, binary download); SQL reporting;
the account operations.
"""

from __future__ import annotations

import copy
from typing import Any

UUID = {"type": "string", "format": "uuid"}
RO_UUID = {"type": "string", "format": "uuid", "readOnly": True}
STAMP = {"type": "string", "format": "date-time", "readOnly": True}
NULL_STAMP = {"type": ["string", "null"], "format": "date-time", "readOnly": True}
NAME = {"type": "string", "minLength": 1, "maxLength": 255}
NULL_TEXT = {"type": ["string", "null"], "maxLength": 255}
PART_ID = {"type": "string", "pattern": "^[A-Za-z0-9]{1,64}$"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def paginated(item: str) -> dict[str, Any]:
    return obj(
        ["count", "next", "previous", "results"],
        count={"type": "integer", "minimum": 0},
        next={"type": ["string", "null"], "format": "uri"},
        previous={"type": ["string", "null"], "format": "uri"},
        results={"type": "array", "items": ref(item)},
    )


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": True,
    },
    "User": obj(
        ["id", "email", "first_name", "last_name", "org_id"],
        id=UUID,
        email={"type": "string", "format": "email"},
        first_name={"type": "string"},
        last_name={"type": "string"},
        org_id=UUID,
    ),
    "Bom": obj(
        ["id", "name", "created_at", "updated_at"],
        id=RO_UUID,
        org_id=RO_UUID,
        name={"type": "string", "maxLength": 255},
        version=NULL_TEXT,
        approved={"type": "boolean"},
        approved_at=NULL_STAMP,
        archived={"type": "boolean", "readOnly": True},
        archived_at=NULL_STAMP,
        metadata={"type": "object"},
        lines={"type": "array", "items": ref("BomLine")},
        created_at=STAMP,
        updated_at=STAMP,
    ),
    "CreateBom": obj(
        ["name"],
        name=NAME,
        version={"type": ["string", "null"], "minLength": 1, "maxLength": 255},
        approved={"type": "boolean", "default": False},
        metadata={"type": "object", "default": {}},
        lines={"type": "array", "writeOnly": True, "items": ref("CreateBomLine")},
    ),
    "UpdateBom": {
        "type": "object",
        "properties": {"name": NAME, "version": NULL_TEXT, "metadata": {"type": "object"}},
    },
    "BomLine": obj(
        ["id", "bom_id", "quantity", "created_at", "updated_at"],
        id=RO_UUID,
        bom_id=RO_UUID,
        part_id={"type": ["string", "null"], "pattern": "^[A-Za-z0-9]{1,64}$"},
        mpn=NULL_TEXT,
        reference_designators_string=NULL_TEXT,
        quantity={"type": "integer"},
        metadata={"type": "object"},
        created_at=STAMP,
        updated_at=STAMP,
    ),
    "CreateBomLine": obj(
        ["part_id"],
        part_id=PART_ID,
        quantity={"type": "integer", "minimum": 0, "default": 0},
        metadata={"type": "object", "default": {}},
    ),
    "UpdateBomLine": {
        "type": "object",
        "properties": {"quantity": {"type": "integer", "minimum": 0}, "part_id": PART_ID},
    },
    "CreateRawBomLine": obj(
        [],
        mpn={"type": ["string", "null"], "minLength": 1, "maxLength": 255},
        reference_designators_string={"type": "string", "minLength": 1, "maxLength": 255},
        quantity={"type": "integer", "default": 0},
    ),
    "CreateRawBom": obj(
        ["name"],
        name=NAME,
        approved={"type": "boolean", "default": False},
        raw_lines={"type": "array", "items": ref("CreateRawBomLine")},
    ),
    "PurchaseOrder": obj(
        ["id", "org_id", "supplier_id", "notes", "created_at"],
        id=RO_UUID,
        org_id=UUID,
        supplier_id=UUID,
        notes={"type": "string", "minLength": 1},
        customer_po_number={"type": ["string", "null"]},
        approved={"type": "string", "readOnly": True},
        approved_at={"type": ["string", "null"], "format": "date-time"},
        approved_by={"oneOf": [ref("User"), {"type": "null"}]},
        sent_at={"type": ["string", "null"], "format": "date-time"},
        sent_by={"oneOf": [ref("User"), {"type": "null"}]},
        voided_at={"type": ["string", "null"], "format": "date-time"},
        created_by=ref("User"),
        created_at=STAMP,
        updated_at=STAMP,
    ),
    "CreatePurchaseOrder": obj(
        ["supplier_id"],
        supplier_id=UUID,
        notes={"type": "string", "minLength": 1},
        customer_po_number={"type": "string", "minLength": 1},
    ),
    "UpdatePurchaseOrder": {
        "type": "object",
        "properties": {
            "notes": {"type": "string", "minLength": 1},
            "approved": {"type": "boolean"},
            "approved_at": {"type": "string", "format": "date-time"},
            "sent": {"type": "boolean"},
            "sent_at": {"type": "string", "format": "date-time"},
            "voided": {"type": "boolean"},
        },
    },
    "PurchaseLine": obj(
        ["id", "purchase_id", "quantity"],
        id=RO_UUID,
        purchase_id=RO_UUID,
        part_id={"type": ["string", "null"]},
        quantity={"type": "integer"},
    ),
    "CreatePurchaseLine": obj(
        ["quantity"], part_id=PART_ID, quantity={"type": "integer", "minimum": 1}
    ),
    "UpdatePurchaseLine": obj(["id"], id=UUID, quantity={"type": "integer", "minimum": 1}),
    "Program": obj(
        ["id", "name", "created_at"], id=RO_UUID, name={"type": "string"}, created_at=STAMP
    ),
    "CreateProgram": obj(["name"], name=NAME),
    "ProgramAvailability": obj(
        ["program_id", "lines"],
        program_id=UUID,
        lines={"type": "array", "items": {"type": "object"}},
    ),
    "Part": obj(
        ["id", "mpn", "created_at"],
        id={"type": "string", "pattern": "^[A-Za-z0-9]{1,64}$", "readOnly": True},
        mpn={"type": "string", "maxLength": 255},
        created_at=STAMP,
    ),
    "CreatePart": obj(["mpn"], mpn=NAME),
    "AsyncJob": obj(
        ["id", "status", "job_type", "created_at"],
        id=UUID,
        status={"type": "string", "enum": ["pending", "running", "succeeded", "failed"]},
        job_type={"type": "string"},
        created_at={"type": "string", "format": "date-time"},
        started_at={"type": ["string", "null"], "format": "date-time"},
        finished_at={"type": ["string", "null"], "format": "date-time"},
        result={},
        error={"type": ["string", "null"]},
    ),
    "StockDocument": obj(
        ["id", "name", "document_type", "created_at"],
        id=RO_UUID,
        name={"type": "string", "maxLength": 255},
        document_type={"type": "string", "maxLength": 64},
        content_type={"type": "string", "readOnly": True},
        size={"type": "integer", "minimum": 0, "readOnly": True},
        created_at=STAMP,
    ),
    "CreateStockDocument": obj(
        ["file", "name", "document_type"],
        file={"type": "string", "format": "binary", "writeOnly": True},
        name=NAME,
        document_type={"type": "string", "minLength": 1, "maxLength": 64},
        pages={"type": "integer", "minimum": 1},
    ),
    "SqlQuery": obj(["query"], query={"type": "string", "minLength": 1, "maxLength": 10000}),
    "SqlQueryResult": obj(
        ["columns", "rows", "row_count", "truncated"],
        columns={"type": "array", "items": {"type": "string"}},
        rows={"type": "array", "items": {"type": "array", "items": {}}},
        row_count={"type": "integer", "minimum": 0},
        truncated={"type": "boolean"},
    ),
    "Org": obj(
        ["id", "name"],
        id=RO_UUID,
        name={"type": "string"},
        parent_org_id={"type": ["string", "null"], "format": "uuid", "readOnly": True},
    ),
    "SubOrg": obj(
        ["id", "name", "created_at"],
        id=RO_UUID,
        name={"type": "string", "maxLength": 255},
        parent_org_id={"type": "string", "format": "uuid", "readOnly": True},
        created_at=STAMP,
    ),
    "CreateSubOrg": obj(["name"], name=NAME),
    "ApiKey": obj(
        ["id", "name", "prefix", "revoked"],
        id=RO_UUID,
        name={"type": "string", "maxLength": 50},
        prefix={"type": "string", "readOnly": True},
        revoked={"type": "boolean"},
    ),
    "UpdateApiKey": {
        "type": "object",
        "properties": {"name": {"type": "string", "minLength": 1}, "revoked": {"type": "boolean"}},
    },
}
for _name in ("Bom", "BomLine", "PurchaseLine", "Program", "StockDocument", "SubOrg", "User"):
    SCHEMAS[f"Paginated{_name}List"] = paginated(_name)


def _param(name: str, where: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema}


PARAMETERS = {
    "OrgId": _param("org_id", "query", UUID),
    "XOrgId": _param("x-org-id", "header", {"type": "string"}),
    "Blended": _param("blended", "query", {"type": "string"}),
    "Limit": _param(
        "limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}
    ),
    "Offset": _param("offset", "query", {"type": "integer", "minimum": 0, "default": 0}),
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


RESPONSES = {
    "BadRequest": _error("Validation error."),
    "Unauthorized": _error("No or bad API key."),
    "Forbidden": _error("Not allowed."),
    "NotFound": _error("Not found."),
    "PayloadTooLarge": _error("Body too large."),
    "TooManyRequests": {
        **_error("Throttled."),
        "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 0}}},
    },
}


def _ref_param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _ref_resp(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def op(
    op_id: str,
    tag: str,
    status: str,
    schema: Any = None,
    *,
    body: Any = None,
    media: str = "application/json",
    path_params: tuple[str, ...] = (),
    listing: bool = False,
    purchases: bool = False,
    query: tuple[dict[str, Any], ...] = (),
    response_media: str = "application/json",
) -> dict[str, Any]:
    """One operation with the shared parameters and error responses."""
    params: list[Any] = [
        _param(p, "path", PART_ID if p == "part_id" else UUID, True) for p in path_params
    ]
    params.append(_ref_param("OrgId"))
    if purchases:
        params += [_ref_param("XOrgId"), _ref_param("Blended")]
    if listing:
        params += [_ref_param("Limit"), _ref_param("Offset")]
    params += list(query)
    responses: dict[str, Any] = {}
    if schema is None:
        responses[status] = {"description": "No content."}
    else:
        responses[status] = {"description": "OK", "content": {response_media: {"schema": schema}}}
    for code, name in (
        ("400", "BadRequest"),
        ("401", "Unauthorized"),
        ("403", "Forbidden"),
        ("404", "NotFound"),
        ("413", "PayloadTooLarge"),
        ("429", "TooManyRequests"),
    ):
        responses[code] = _ref_resp(name)
    out: dict[str, Any] = {
        "operationId": op_id,
        "tags": [tag],
        "summary": op_id.replace("_", " "),
        "parameters": params,
        "responses": responses,
    }
    if body is not None:
        out["requestBody"] = {"required": True, "content": {media: {"schema": body}}}
    return out


BOM = ("bom_id",)
LINE = ("bom_id", "bom_line_id")
PO = ("purchase_id",)
PATHS: dict[str, Any] = {
    "/v1/boms/": {
        "get": op(
            "list_boms",
            "BOMs",
            "200",
            ref("PaginatedBomList"),
            listing=True,
            query=(_param("name", "query", {"type": "string"}),),
        ),
        "post": op("create_bom", "BOMs", "201", ref("Bom"), body=ref("CreateBom")),
    },
    "/v1/parse_raw_bom/": {
        "post": op("parse_raw_bom", "BOMs", "201", ref("Bom"), body=ref("CreateRawBom")),
    },
    "/v1/boms/upsert_async/": {
        "put": op("upsert_bom_async", "BOMs", "202", ref("AsyncJob"), body=ref("CreateBom")),
    },
    "/v1/boms/{bom_id}/": {
        "get": op("get_bom", "BOMs", "200", ref("Bom"), path_params=BOM),
        "patch": op(
            "update_bom", "BOMs", "200", ref("Bom"), body=ref("UpdateBom"), path_params=BOM
        ),
        "delete": op("delete_bom", "BOMs", "204", path_params=BOM),
    },
    "/v1/boms/{bom_id}/approve/": {
        "post": op("approve_bom", "BOMs", "200", ref("Bom"), path_params=BOM),
    },
    "/v1/boms/{bom_id}/lines/": {
        "get": op(
            "list_bom_lines",
            "BOMs",
            "200",
            ref("PaginatedBomLineList"),
            path_params=BOM,
            listing=True,
        ),
        "post": op(
            "create_bom_line",
            "BOMs",
            "201",
            ref("BomLine"),
            body=ref("CreateBomLine"),
            path_params=BOM,
        ),
    },
    "/v1/boms/{bom_id}/lines/{bom_line_id}/": {
        "get": op("get_bom_line", "BOMs", "200", ref("BomLine"), path_params=LINE),
        "patch": op(
            "update_bom_line",
            "BOMs",
            "200",
            ref("BomLine"),
            body=ref("UpdateBomLine"),
            path_params=LINE,
        ),
        "delete": op("delete_bom_line", "BOMs", "204", path_params=LINE),
    },
    "/v1/boms/{bom_id}/parse_raw_line/": {
        "post": op(
            "parse_raw_bom_line",
            "BOMs",
            "201",
            ref("BomLine"),
            body=ref("CreateRawBomLine"),
            path_params=BOM,
        ),
    },
    "/v1/purchase_orders/": {
        "post": op(
            "create_purchase_order",
            "Purchases",
            "201",
            ref("PurchaseOrder"),
            body=ref("CreatePurchaseOrder"),
            purchases=True,
        ),
    },
    "/v1/purchase_orders/{purchase_id}/": {
        "get": op(
            "get_purchase_order",
            "Purchases",
            "200",
            ref("PurchaseOrder"),
            path_params=PO,
            purchases=True,
        ),
        "patch": op(
            "update_purchase_order",
            "Purchases",
            "200",
            ref("PurchaseOrder"),
            body=ref("UpdatePurchaseOrder"),
            path_params=PO,
            purchases=True,
        ),
        "delete": op("delete_purchase_order", "Purchases", "204", path_params=PO, purchases=True),
    },
    "/v1/purchase_orders/{purchase_id}/lines/": {
        "get": op(
            "list_purchase_lines",
            "Purchases",
            "200",
            ref("PaginatedPurchaseLineList"),
            path_params=PO,
            purchases=True,
            listing=True,
        ),
        "post": op(
            "create_purchase_line",
            "Purchases",
            "201",
            ref("PurchaseLine"),
            body=ref("CreatePurchaseLine"),
            path_params=PO,
            purchases=True,
        ),
        "patch": op(
            "update_purchase_lines",
            "Purchases",
            "200",
            {"type": "array", "items": ref("PurchaseLine")},
            body={"type": "array", "items": ref("UpdatePurchaseLine")},
            path_params=PO,
            purchases=True,
        ),
    },
    "/v1/programs/": {
        "post": op("create_program", "Programs", "201", ref("Program"), body=ref("CreateProgram")),
    },
    "/v1/programs/{program_id}/": {
        "get": op("get_program", "Programs", "200", ref("Program"), path_params=("program_id",)),
    },
    "/v1/programs/{program_id}/availabilities/": {
        "get": op(
            "get_program_availabilities",
            "Programs",
            "200",
            ref("ProgramAvailability"),
            path_params=("program_id",),
        ),
    },
    "/v1/programs/{program_id}/availabilities_async/": {
        "get": op(
            "get_program_availabilities_async",
            "Programs",
            "202",
            ref("AsyncJob"),
            path_params=("program_id",),
        ),
    },
    "/v1/parts/create_async/": {
        "post": op(
            "create_parts_async",
            "Parts",
            "202",
            ref("AsyncJob"),
            body={"type": "array", "items": ref("CreatePart"), "minItems": 1},
        ),
    },
    "/v1/parts/{part_id}/": {
        "get": op("get_part", "Parts", "200", ref("Part"), path_params=("part_id",)),
    },
    "/v1/async_jobs/{job_id}/": {
        "get": op(
            "get_async_job_status", "Async Jobs", "200", ref("AsyncJob"), path_params=("job_id",)
        ),
    },
    "/v1/stock_documents/": {
        "get": op(
            "list_stock_documents",
            "Stock Documents",
            "200",
            ref("PaginatedStockDocumentList"),
            listing=True,
        ),
        "post": op(
            "create_stock_document",
            "Stock Documents",
            "201",
            ref("StockDocument"),
            body=ref("CreateStockDocument"),
            media="multipart/form-data",
        ),
    },
    "/v1/stock_documents/{stock_document_id}/": {
        "get": op(
            "get_stock_document",
            "Stock Documents",
            "200",
            ref("StockDocument"),
            path_params=("stock_document_id",),
        ),
    },
    "/v1/stock_documents/{stock_document_id}/download/": {
        "get": op(
            "download_stock_document",
            "Stock Documents",
            "200",
            {"type": "string", "format": "binary"},
            path_params=("stock_document_id",),
            response_media="application/octet-stream",
        ),
    },
    "/v1/reporting/sql_query/": {
        "post": op(
            "run_customer_sql_query",
            "Reporting",
            "200",
            ref("SqlQueryResult"),
            body=ref("SqlQuery"),
        ),
    },
    "/v1/org/": {"get": op("get_org", "Account", "200", ref("Org"))},
    "/v1/sub_orgs/": {
        "get": op("list_sub_orgs", "Account", "200", ref("PaginatedSubOrgList"), listing=True),
        "post": op("create_sub_org", "Account", "201", ref("SubOrg"), body=ref("CreateSubOrg")),
    },
    "/v1/sub_orgs/{sub_org_id}/": {
        "get": op("get_sub_org", "Account", "200", ref("SubOrg"), path_params=("sub_org_id",)),
    },
    "/v1/users/": {
        "get": op("list_users", "Account", "200", ref("PaginatedUserList"), listing=True)
    },
    "/v1/users/{user_id}/": {
        "get": op("get_user", "Account", "200", ref("User"), path_params=("user_id",))
    },
    "/v1/api_keys/{api_key_id}/": {
        "patch": op(
            "update_api_key",
            "Auth",
            "200",
            ref("ApiKey"),
            body=ref("UpdateApiKey"),
            path_params=("api_key_id",),
        ),
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Runtime fixture API", "version": "0.0.1"},
    "servers": [{"url": "https://flagship-api.cofactr.com"}],
    "security": [{"ApiKeyAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}
        },
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "schemas": SCHEMAS,
    },
}


def fixture_spec() -> dict[str, Any]:
    """A fresh deep copy, so a test may not change another's spec."""
    return copy.deepcopy(SPEC)
