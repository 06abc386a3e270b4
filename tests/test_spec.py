"""Checks of spec/cofactr-platform.yaml against the docs (tests/data) and docs/contracts.md.

The docs' navigation and the documented *Update Purchase Order* page are transcribed in
tests/data/docs_operations.json; nothing here reads ../shared.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from .conftest import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "cofactr-platform.yaml"
DOCS_PATH = Path(__file__).resolve().parent / "data" / "docs_operations.json"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROVENANCE = {"documented", "inferred"}
SOURCES = {"DOCS-PO", "DOCS-RAWBOM", "DOCS-NAV", "HELP", "WEBHOOKS", "DRF"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PART_ID_PATTERN = "^[A-Za-z0-9]{1,64}$"

# docs/contracts.md section 2, "Operation table": operationId, method, path, in docs order.
CONTRACT_TABLE = """
    list_boms                        GET    /v1/boms/
    create_bom                       POST   /v1/boms/
    parse_raw_bom                    POST   /v1/parse_raw_bom/
    get_bom                          GET    /v1/boms/{bom_id}/
    upsert_bom_async                 PUT    /v1/boms/upsert_async/
    update_bom                       PATCH  /v1/boms/{bom_id}/
    delete_bom                       DELETE /v1/boms/{bom_id}/
    approve_bom                      POST   /v1/boms/{bom_id}/approve/
    list_bom_lines                   GET    /v1/boms/{bom_id}/lines/
    create_bom_line                  POST   /v1/boms/{bom_id}/lines/
    get_bom_line                     GET    /v1/boms/{bom_id}/lines/{bom_line_id}/
    update_bom_line                  PATCH  /v1/boms/{bom_id}/lines/{bom_line_id}/
    delete_bom_line                  DELETE /v1/boms/{bom_id}/lines/{bom_line_id}/
    parse_raw_bom_line               POST   /v1/boms/{bom_id}/parse_raw_line/
    list_programs                    GET    /v1/programs/
    create_program                   POST   /v1/programs/
    get_program                      GET    /v1/programs/{program_id}/
    update_program                   PATCH  /v1/programs/{program_id}/
    delete_program                   DELETE /v1/programs/{program_id}/
    get_program_availabilities       GET    /v1/programs/{program_id}/availabilities/
    get_program_availabilities_async GET    /v1/programs/{program_id}/availabilities_async/
    get_program_reference_pricing    GET    /v1/programs/{program_id}/reference_pricing/
    list_program_lines               GET    /v1/programs/{program_id}/lines/
    get_program_line                 GET    /v1/programs/{program_id}/lines/{program_line_id}/
    update_program_line              PATCH  /v1/programs/{program_id}/lines/{program_line_id}/
    delete_program_line              DELETE /v1/programs/{program_id}/lines/{program_line_id}/
    create_program_line              POST   /v1/programs/{program_id}/lines/
    list_program_part_overrides      GET    /v1/programs/{program_id}/part_overrides/
    create_program_part_override     POST   /v1/programs/{program_id}/part_overrides/
    get_program_part_override        GET    /v1/programs/{program_id}/part_overrides/{part_override_id}/
    update_program_part_override     PATCH  /v1/programs/{program_id}/part_overrides/{part_override_id}/
    delete_program_part_override     DELETE /v1/programs/{program_id}/part_overrides/{part_override_id}/
    list_sub_orgs                    GET    /v1/sub_orgs/
    get_sub_org                      GET    /v1/sub_orgs/{sub_org_id}/
    update_sub_org                   PATCH  /v1/sub_orgs/{sub_org_id}/
    create_sub_org                   POST   /v1/sub_orgs/
    get_org                          GET    /v1/org/
    list_users                       GET    /v1/users/
    get_user                         GET    /v1/users/{user_id}/
    run_customer_sql_query           POST   /v1/reporting/sql_query/
    mark_outbound_email_sent         POST   /v1/outbound_emails/{outbound_email_id}/mark_sent/
    create_outbound_email            POST   /v1/outbound_emails/
    get_outbound_email               GET    /v1/outbound_emails/{outbound_email_id}/
    update_api_key                   PATCH  /v1/api_keys/{api_key_id}/
    get_async_job_status             GET    /v1/async_jobs/{job_id}/
    list_stock_documents             GET    /v1/stock_documents/
    get_stock_document               GET    /v1/stock_documents/{stock_document_id}/
    download_stock_document          GET    /v1/stock_documents/{stock_document_id}/download/
    create_stock_document            POST   /v1/stock_documents/
    create_supplier                  POST   /v1/suppliers/
    update_supplier                  PATCH  /v1/suppliers/{supplier_id}/
    get_supplier                     GET    /v1/suppliers/{supplier_id}/
    list_suppliers                   GET    /v1/suppliers/
    create_parts_async               POST   /v1/parts/create_async/
    upsert_parts_async               PUT    /v1/parts/upsert_async/
    get_part                         GET    /v1/parts/{part_id}/
    get_purchase_order               GET    /v1/purchase_orders/{purchase_id}/
    create_purchase_order            POST   /v1/purchase_orders/
    update_purchase_order            PATCH  /v1/purchase_orders/{purchase_id}/
    delete_purchase_order            DELETE /v1/purchase_orders/{purchase_id}/
    list_purchase_lines              GET    /v1/purchase_orders/{purchase_id}/lines/
    get_purchase_line                GET    /v1/purchase_orders/{purchase_id}/lines/{purchase_line_id}/
    create_purchase_line             POST   /v1/purchase_orders/{purchase_id}/lines/
    update_purchase_lines            PATCH  /v1/purchase_orders/{purchase_id}/lines/
    delete_purchase_line             DELETE /v1/purchase_orders/{purchase_id}/lines/{purchase_line_id}/
    list_nopart_purchase_lines       GET    /v1/purchase_orders/{purchase_id}/nopart_lines/
    create_nopart_purchase_line      POST   /v1/purchase_orders/{purchase_id}/nopart_lines/
    update_nopart_purchase_lines     PATCH  /v1/purchase_orders/{purchase_id}/nopart_lines/
    delete_nopart_purchase_line      DELETE /v1/purchase_orders/{purchase_id}/nopart_lines/{nopart_line_id}/
    create_purchase_event            POST   /v1/purchase_orders/{purchase_id}/events/
    update_supplier_bill             PATCH  /v1/supplier_bills/{supplier_bill_id}/
    update_supplier_bill_line        PATCH  /v1/supplier_bills/{supplier_bill_id}/lines/{supplier_bill_line_id}/
    create_supplier_bill             POST   /v1/supplier_bills/
    create_supplier_bill_line        POST   /v1/supplier_bills/{supplier_bill_id}/lines/
    list_teams                       GET    /v1/teams/
    create_team                      POST   /v1/teams/
    get_team                         GET    /v1/teams/{team_id}/
    update_team                      PATCH  /v1/teams/{team_id}/
    delete_team                      DELETE /v1/teams/{team_id}/
    archive_team                     POST   /v1/teams/{team_id}/archive/
    unarchive_team                   POST   /v1/teams/{team_id}/unarchive/
    list_team_types                  GET    /v1/team_types/
    create_team_type                 POST   /v1/team_types/
    get_team_type                    GET    /v1/team_types/{team_type_id}/
    update_team_type                 PATCH  /v1/team_types/{team_type_id}/
    delete_team_type                 DELETE /v1/team_types/{team_type_id}/
    list_custom_properties           GET    /v1/custom_properties/
    create_custom_property           POST   /v1/custom_properties/
    update_custom_property           PATCH  /v1/custom_properties/{custom_property_id}/
    get_custom_property              GET    /v1/custom_properties/{custom_property_id}/
    update_stock_lot                 PATCH  /v1/stock_lots/{stock_lot_id}/
    upsert_part_stock                PUT    /v1/stock_lots/upsert_part_stock/
    list_tags                        GET    /v1/tags/
    create_tag                       POST   /v1/tags/
    get_tag                          GET    /v1/tags/{tag_id}/
    update_tag                       PATCH  /v1/tags/{tag_id}/
    create_rfq                       POST   /v1/rfqs/
    update_rfq                       PATCH  /v1/rfqs/{rfq_id}/
    create_rfq_line                  POST   /v1/rfq_lines/
    update_rfq_line                  PATCH  /v1/rfq_lines/{rfq_line_id}/
    create_supplier_quote            POST   /v1/supplier_quotes/
    update_supplier_quote            PATCH  /v1/supplier_quotes/{supplier_quote_id}/
    create_supplier_quote_line       POST   /v1/supplier_quote_lines/
    update_supplier_quote_line       PATCH  /v1/supplier_quote_lines/{supplier_quote_line_id}/
"""  # noqa: E501
CONTRACT = [tuple(line.split()) for line in CONTRACT_TABLE.strip().splitlines()]

DOCUMENTED_PATHS = {
    "list_boms": "HELP",
    "parse_raw_bom": "DOCS-RAWBOM",
    "update_purchase_order": "DOCS-PO",
}
ASYNC_OPERATIONS = {
    "upsert_bom_async",
    "get_program_availabilities_async",
    "create_parts_async",
    "upsert_parts_async",
}
BULK_UPDATES = {
    "update_purchase_lines": ("UpdatePurchaseLine", "PurchaseLine"),
    "update_nopart_purchase_lines": ("UpdateNoPartPurchaseLine", "NoPartPurchaseLine"),
}
ERROR_RESPONSES = {
    "BadRequest": "400",
    "Unauthorized": "401",
    "Forbidden": "403",
    "NotFound": "404",
    "PayloadTooLarge": "413",
    "TooManyRequests": "429",
    "ServerError": "5XX",
}


# ------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data = load_yaml(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def docs() -> dict[str, Any]:
    data = json.loads(DOCS_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) in file order."""
    return list(iter_operations(spec))


@pytest.fixture(scope="module")
def by_id(
    operations: list[tuple[str, str, dict[str, Any]]],
) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {op["operationId"]: (path, method, op) for path, method, op in operations}


# ------------------------------------------------------------------------------ helpers
def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a node without one."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert isinstance(ref, str) and ref.startswith("#/"), ref
        assert ref not in seen, f"$ref cycle at {ref}"
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            assert isinstance(target, dict) and part in target, f"unresolvable $ref {ref}"
            target = target[part]
        node = target
    return node


def schema_name(node: dict[str, Any]) -> str:
    ref = node.get("$ref")
    assert isinstance(ref, str) and ref.startswith("#/components/schemas/"), node
    return ref.rsplit("/", 1)[1]


def parameters(spec: dict[str, Any], path: str, op: dict[str, Any]) -> list[dict[str, Any]]:
    item_params = spec["paths"][path].get("parameters", [])
    return [resolve(spec, p) for p in [*item_params, *op.get("parameters", [])]]


def param_refs(op: dict[str, Any]) -> list[str]:
    return [p["$ref"].rsplit("/", 1)[1] for p in op.get("parameters", []) if "$ref" in p]


def types_of(schema: dict[str, Any]) -> list[str]:
    """The JSON types a schema admits, through a type list or an `anyOf` of typed branches."""
    if "anyOf" in schema:
        return [t for branch in schema["anyOf"] for t in types_of(branch)]
    t = schema.get("type")
    if t is None:
        return []
    return [t] if isinstance(t, str) else list(t)


def format_of(schema: dict[str, Any]) -> str | None:
    """The format of a string schema, also when it is the string branch of a nullable anyOf."""
    if "anyOf" in schema:
        formats = {format_of(branch) for branch in schema["anyOf"]} - {None}
        return formats.pop() if len(formats) == 1 else None
    value = schema.get("format")
    return value if isinstance(value, str) else None


def json_body_schema(content: dict[str, Any]) -> dict[str, Any]:
    assert list(content) == ["application/json"], list(content)
    schema = content["application/json"]["schema"]
    assert isinstance(schema, dict)
    return schema


def walk(node: Any, where: str = "#") -> Iterator[tuple[str, Any, Any]]:
    """Every (location, key, value) pair of the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield where, key, value
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


# ------------------------------------------------------------------------------ document
def test_validates_as_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_text_has_no_tabs_and_no_nullable() -> None:
    text = SPEC_PATH.read_text(encoding="utf-8")
    assert "\t" not in text
    assert "nullable:" not in text, "use 3.1 type lists, e.g. type: [string, 'null']"


def test_every_ref_resolves(spec: dict[str, Any]) -> None:
    refs = [value for _, key, value in walk(spec) if key == "$ref"]
    assert len(refs) > 500
    for ref in refs:
        resolve(spec, {"$ref": ref})


def test_conventions(spec: dict[str, Any]) -> None:
    assert [server["url"] for server in spec["servers"]] == ["https://flagship-api.cofactr.com"]
    scheme = spec["components"]["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Api-Key <key>" in scheme["description"]
    assert spec["security"] == [{"ApiKeyAuth": []}]
    org_id = spec["components"]["parameters"]["OrgId"]
    assert (org_id["name"], org_id["in"], org_id["schema"]) == (
        "org_id",
        "query",
        {"type": "string", "format": "uuid"},
    )


# ------------------------------------------------------------------------------ docs navigation
def test_104_operations_in_19_tags(spec: dict[str, Any], operations: list[Any]) -> None:
    assert len(operations) == 104
    assert len(spec["tags"]) == 19
    for _, _, op in operations:
        assert len(op["tags"]) == 1, op["operationId"]


def test_tags_are_the_docs_tags_in_docs_order(spec: dict[str, Any], docs: dict[str, Any]) -> None:
    docs_tags = list(dict.fromkeys(entry["tag"] for entry in docs["operations"]))
    assert len(docs_tags) == 19
    assert [tag["name"] for tag in spec["tags"]] == docs_tags
    for tag in spec["tags"]:
        assert tag.get("description"), tag["name"]


def test_summaries_are_the_docs_titles(operations: list[Any], docs: dict[str, Any]) -> None:
    actual = [(op["tags"][0], op["summary"]) for _, _, op in operations]
    expected = [(entry["tag"], entry["summary"]) for entry in docs["operations"]]
    assert len(expected) == 104
    assert Counter(actual) == Counter(expected)
    assert len(set(expected)) == 104


def test_operations_appear_in_docs_order(operations: list[Any], docs: dict[str, Any]) -> None:
    """File order is docs order, except that YAML keeps every method of a path in one path item.

    So the expected order is: walk the docs; at the first operation of a path, emit every
    operation of that path, in docs order. Tags then form contiguous blocks in docs order.
    """
    actual = [(op["tags"][0], op["summary"]) for _, _, op in operations]
    path_of = {(op["tags"][0], op["summary"]): path for path, _, op in operations}
    docs_order = [(entry["tag"], entry["summary"]) for entry in docs["operations"]]
    expected: list[tuple[str, str]] = []
    emitted: set[str] = set()
    for entry in docs_order:
        path = path_of[entry]
        if path not in emitted:
            emitted.add(path)
            expected.extend(e for e in docs_order if path_of[e] == path)
    assert actual == expected
    tag_blocks = [tag for i, (tag, _) in enumerate(actual) if i == 0 or actual[i - 1][0] != tag]
    assert tag_blocks == list(dict.fromkeys(tag for tag, _ in docs_order))


def test_documented_methods(operations: list[Any], docs: dict[str, Any]) -> None:
    by_title = {(op["tags"][0], op["summary"]): method for _, method, op in operations}
    documented = [entry for entry in docs["operations"] if entry["method"]]
    assert len(documented) == 50  # BOMs 14, Programs 18, Purchases 18
    for entry in documented:
        assert by_title[(entry["tag"], entry["summary"])] == entry["method"].lower(), entry


# ------------------------------------------------------------------------------ contracts.md
def test_operation_table_of_contracts(operations: list[Any], docs: dict[str, Any]) -> None:
    assert len(CONTRACT) == 104
    table = {opid: (method.lower(), path) for opid, method, path in CONTRACT}
    assert len(table) == 104
    for path, method, op in operations:
        assert table[op["operationId"]] == (method, path), op["operationId"]
    # The contract table lists operations in docs order: it pairs each operationId with a title.
    titles = {op["operationId"]: (op["tags"][0], op["summary"]) for _, _, op in operations}
    assert [titles[opid] for opid, _, _ in CONTRACT] == [
        (entry["tag"], entry["summary"]) for entry in docs["operations"]
    ]


def test_operation_ids_unique_snake_case_identifiers(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in iter_operations(spec)]
    ids += [op["operationId"] for item in spec.get("webhooks", {}).values() for op in item.values()]
    assert len(ids) == len(set(ids)) == 106
    for opid in ids:
        assert opid.isidentifier() and SNAKE.match(opid), opid


def test_paths_start_with_v1_and_end_with_slash(spec: dict[str, Any]) -> None:
    for path in spec["paths"]:
        assert path.startswith("/v1/") and path.endswith("/"), path


def test_path_parameters_declared_both_ways(spec: dict[str, Any], operations: list[Any]) -> None:
    for path, _, op in operations:
        in_path = re.findall(r"{([^}]+)}", path)
        declared = [p for p in parameters(spec, path, op) if p["in"] == "path"]
        assert sorted(p["name"] for p in declared) == sorted(in_path), op["operationId"]
        for p in declared:
            assert p["required"] is True
            if p["name"] == "part_id":
                assert p["schema"] == {"type": "string", "pattern": PART_ID_PATTERN}
            else:
                assert p["schema"] == {"type": "string", "format": "uuid"}, p["name"]


def test_org_scoping_parameters(spec: dict[str, Any], operations: list[Any]) -> None:
    for path, _, op in operations:
        opid = op["operationId"]
        refs = param_refs(op)
        assert "OrgId" in refs, opid
        purchases = op["tags"] == ["Purchases"]
        assert ("XOrgId" in refs) is purchases, opid
        assert ("Blended" in refs) is purchases, opid
        names = [(p["in"], p["name"]) for p in parameters(spec, path, op)]
        assert len(names) == len(set(names)), opid


# ------------------------------------------------------------------------------ provenance
def test_provenance_on_operations_tags_and_schemas(spec: dict[str, Any]) -> None:
    marked: list[tuple[str, dict[str, Any]]] = []
    marked += [(op["operationId"], op) for _, _, op in iter_operations(spec)]
    for item in spec["webhooks"].values():
        marked += [(op["operationId"], op) for op in item.values()]
    marked += [(f"tag {tag['name']}", tag) for tag in spec["tags"]]
    marked += [(f"schema {name}", s) for name, s in spec["components"]["schemas"].items()]
    for where, node in marked:
        assert node.get("x-provenance") in PROVENANCE, where
        assert node.get("x-provenance-source") in SOURCES, where
    # Field-level marks (documented schemas with inferred parts) use the same vocabulary.
    for where, key, value in walk(spec):
        if key == "x-provenance":
            assert value in PROVENANCE, where
        if key == "x-provenance-source":
            assert value in SOURCES, where


def test_operation_provenance(operations: list[Any]) -> None:
    for _, _, op in operations:
        opid = op["operationId"]
        if opid in DOCUMENTED_PATHS:
            assert op["x-provenance"] == "documented", opid
            assert op["x-provenance-source"] == DOCUMENTED_PATHS[opid], opid
            continue
        assert op["x-provenance"] == "inferred", opid
        assert op["x-provenance-source"] == "DOCS-NAV", opid
        note = op["x-provenance-note"]
        if op["tags"][0] in {"BOMs", "Programs", "Purchases"}:
            assert "method documented" in note and "path inferred" in note, opid
        else:
            assert "method and path inferred" in note, opid
    documented = {
        op["operationId"]: (method, path)
        for path, method, op in operations
        if op["x-provenance"] == "documented"
    }
    assert documented == {
        "list_boms": ("get", "/v1/boms/"),
        "parse_raw_bom": ("post", "/v1/parse_raw_bom/"),
        "update_purchase_order": ("patch", "/v1/purchase_orders/{purchase_id}/"),
    }


# ------------------------------------------------------------------------------ Update PO
def check_fields(
    spec: dict[str, Any],
    schema: dict[str, Any],
    fields: list[dict[str, Any]],
    contradictions: dict[str, Any] | None = None,
) -> None:
    """The schema has exactly the documented fields, in docs order, with their constraints."""
    props = schema["properties"]
    assert list(props) == [f["name"] for f in fields]
    required = set(schema.get("required", []))
    # A field the docs leave optional is required only where the property says it is inferred.
    inferred = {
        name
        for name, prop in props.items()
        if str(prop.get("x-provenance-note", "")).startswith("Required: inferred.")
    }
    assert required - inferred == {f["name"] for f in fields if f["required"]}
    assert inferred <= required
    allowed_keys = {
        "type",
        "format",
        "items",
        "title",
        "description",
        "minLength",
        "maxLength",
        "readOnly",
        "enum",
        "$ref",
        "x-provenance",
        "x-provenance-source",
        "x-provenance-note",
    }
    for f in fields:
        name = f["name"]
        prop = props[name]
        assert set(prop) <= allowed_keys, (name, set(prop) - allowed_keys)
        if f["ref"]:
            assert schema_name(prop) == f["ref"], name
            assert resolve(spec, prop)["type"] == f["type"] == "object", name
            continue
        if contradictions and name in contradictions:
            # The docs' own type first, then what the other half of the docs says.
            both = contradictions[name]
            assert prop["type"] == [both["response"], both["request"]], name
            assert prop["description"], name
        else:
            assert prop["type"] == f["type"], name
        assert prop.get("format") == f["format"], name
        assert prop.get("minLength") == f["minLength"], name
        assert prop.get("maxLength") == f["maxLength"], name
        assert prop.get("readOnly", False) == f["readOnly"], name
        assert prop.get("enum") == f["enum"], name
        assert prop.get("title") == f["title"], name
        if f["items"]:
            assert prop["items"] == {"type": f["items"]}, name
        if f["description"]:
            assert prop["description"] == f["description"], name


def test_update_purchase_order_operation(
    spec: dict[str, Any], by_id: dict[str, Any], docs: dict[str, Any]
) -> None:
    documented = docs["update_purchase_order"]
    path, method, op = by_id["update_purchase_order"]
    assert (method.upper(), path) == (documented["method"], documented["path"])
    assert op["description"] == documented["description"]
    params = {(p["in"], p["name"]): p for p in parameters(spec, path, op)}
    for kind in ("path", "query", "header"):
        for doc_param in documented[f"{kind}_params"]:
            param = params[(kind, doc_param["name"])]
            assert param["schema"]["type"] == doc_param["type"], doc_param
            assert param.get("required", False) is doc_param["required"], doc_param
            if "description" in doc_param:
                assert param["description"].startswith(doc_param["description"]), doc_param
    # x-org-id and blended are plain strings in the docs: no invented format.
    assert params[("header", "x-org-id")]["schema"] == {"type": "string"}
    assert params[("query", "blended")]["schema"] == {"type": "string"}


def test_update_purchase_order_request_body(
    spec: dict[str, Any], by_id: dict[str, Any], docs: dict[str, Any]
) -> None:
    documented = docs["update_purchase_order"]["request"]
    _, _, op = by_id["update_purchase_order"]
    ref = json_body_schema(op["requestBody"]["content"])
    assert schema_name(ref) == documented["schema"]
    schema = resolve(spec, ref)
    assert schema["x-provenance"] == "documented"
    assert len(documented["fields"]) == 31
    check_fields(spec, schema, documented["fields"])


def test_update_purchase_order_response(
    spec: dict[str, Any], by_id: dict[str, Any], docs: dict[str, Any]
) -> None:
    documented = docs["update_purchase_order"]
    _, _, op = by_id["update_purchase_order"]
    response = op["responses"][documented["response"]["status"]]
    ref = json_body_schema(response["content"])
    assert schema_name(ref) == documented["response"]["schema"]
    schema = resolve(spec, ref)
    assert len(documented["response"]["fields"]) == 39
    check_fields(spec, schema, documented["response"]["fields"], documented["contradictions"])
    sizes = {"Supplier": 51, "StockLocationLite": 26, "User": 6}
    for name, fields in documented["nested"].items():
        assert len(fields) == sizes[name]
        nested = spec["components"]["schemas"][name]
        assert nested["x-provenance"] == "documented", name
        check_fields(spec, nested, fields)


def test_create_raw_bom_only_name_required(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    raw = schemas["CreateRawBom"]
    assert raw["required"] == ["name"]
    assert "name" in raw["description"]
    assert raw["properties"]["name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "title": "Name",
    }
    assert schema_name(raw["properties"]["raw_lines"]["items"]) == "CreateRawBomLine"
    line = schemas["CreateRawBomLine"]
    assert "required" not in line
    assert len(line["properties"]) == 17
    assert line["properties"]["quantity"] == {"type": "integer", "default": 0, "title": "Quantity"}


# ------------------------------------------------------------------------------ shapes
def test_bodies_are_named_schemas(spec: dict[str, Any], operations: list[Any]) -> None:
    for _, _, op in operations:
        opid = op["operationId"]
        bodies: list[tuple[str, dict[str, Any]]] = []
        if "requestBody" in op:
            bodies += list(op["requestBody"]["content"].items())
        for response in op["responses"].values():
            bodies += list(resolve(spec, response).get("content", {}).items())
        for media_type, media in bodies:
            schema = media["schema"]
            if media_type in ("application/octet-stream", "*/*"):
                assert schema == {"type": "string", "format": "binary"}, opid
            elif schema.get("type") == "array":
                schema_name(schema["items"])
            else:
                schema_name(schema)


def test_list_operations_paginate(spec: dict[str, Any], operations: list[Any]) -> None:
    lists = [(path, op) for path, method, op in operations if op["operationId"].startswith("list_")]
    assert len(lists) == 15
    for path, op in lists:
        opid = op["operationId"]
        refs = param_refs(op)
        assert "Limit" in refs and "Offset" in refs, opid
        params = {p["name"]: p for p in parameters(spec, path, op)}
        assert params["limit"]["schema"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "default": 100,
        }
        assert params["offset"]["schema"] == {"type": "integer", "minimum": 0, "default": 0}
        name = schema_name(json_body_schema(op["responses"]["200"]["content"]))
        assert re.fullmatch(r"Paginated\w+List", name), opid
        page = spec["components"]["schemas"][name]
        assert page["required"] == ["count", "next", "previous", "results"]
        assert page["properties"]["count"]["type"] == "integer"
        for link in ("next", "previous"):
            assert sorted(types_of(page["properties"][link])) == ["null", "string"]
            assert format_of(page["properties"][link]) == "uri"
        item = schema_name(page["properties"]["results"]["items"])
        assert name == f"Paginated{item}List", opid
    for _, _, op in operations:
        if not op["operationId"].startswith("list_"):
            assert "Paginated" not in json.dumps(op["responses"]), op["operationId"]


def test_error_responses(spec: dict[str, Any], operations: list[Any]) -> None:
    responses = spec["components"]["responses"]
    for name in ERROR_RESPONSES:
        assert schema_name(json_body_schema(responses[name]["content"])) == "Error", name
    retry_after = responses["TooManyRequests"]["headers"]["Retry-After"]
    assert retry_after["schema"]["type"] == "integer"
    for path, _, op in operations:
        opid = op["operationId"]
        codes = op["responses"]
        for code in ("400", "401", "403", "429", "5XX"):
            assert code in codes, (opid, code)
        assert ("404" in codes) is ("{" in path), opid
        assert ("413" in codes) is ("requestBody" in op), opid
        for code, response in codes.items():
            if code[0] in "45":
                name = response["$ref"].rsplit("/", 1)[1]
                assert ERROR_RESPONSES[name] == code, (opid, code)


def test_success_statuses(spec: dict[str, Any], operations: list[Any]) -> None:
    for _, method, op in operations:
        opid = op["operationId"]
        success = [code for code in op["responses"] if code.startswith("2")]
        assert len(success) == 1, opid
        code = success[0]
        if opid in ASYNC_OPERATIONS:
            expected = "202"
        elif method == "delete":
            expected = "204"
        elif opid.startswith("create_") or opid == "parse_raw_bom" or opid == "parse_raw_bom_line":
            expected = "201"
        else:
            expected = "200"
        assert code == expected, opid
        if code == "204":
            assert "content" not in op["responses"][code], opid


def test_async_operations_return_async_job(spec: dict[str, Any], by_id: dict[str, Any]) -> None:
    for opid in ASYNC_OPERATIONS:
        _, _, op = by_id[opid]
        assert schema_name(json_body_schema(op["responses"]["202"]["content"])) == "AsyncJob", opid
        link = op["responses"]["202"]["links"]["GetAsyncJobStatus"]
        assert link == {
            "operationId": "get_async_job_status",
            "parameters": {"job_id": "$response.body#/id"},
        }
    _, _, poll = by_id["get_async_job_status"]
    assert schema_name(json_body_schema(poll["responses"]["200"]["content"])) == "AsyncJob"
    job = spec["components"]["schemas"]["AsyncJob"]
    assert job["properties"]["status"]["enum"] == ["pending", "running", "succeeded", "failed"]
    assert set(job["properties"]) == {
        "id",
        "status",
        "job_type",
        "created_at",
        "started_at",
        "finished_at",
        "result",
        "error",
    }


def test_stock_document_upload_and_download(spec: dict[str, Any], by_id: dict[str, Any]) -> None:
    _, _, create = by_id["create_stock_document"]
    content = create["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    form = resolve(spec, content["multipart/form-data"]["schema"])
    assert form["properties"]["file"]["type"] == "string"
    assert form["properties"]["file"]["format"] == "binary"
    assert set(form["required"]) == {"file", "name", "document_type"}
    assert "stock_lot_id" in form["properties"]
    _, _, download = by_id["download_stock_document"]
    # the stored file's media type, octet-stream when the upload named none
    assert list(download["responses"]["200"]["content"]) == ["application/octet-stream", "*/*"]


def test_sql_query(spec: dict[str, Any], by_id: dict[str, Any]) -> None:
    _, method, op = by_id["run_customer_sql_query"]
    assert method == "post"
    query = resolve(spec, json_body_schema(op["requestBody"]["content"]))
    assert query["required"] == ["query"]
    assert query["properties"]["query"] == {"type": "string", "minLength": 1, "maxLength": 10000}
    result = resolve(spec, json_body_schema(op["responses"]["200"]["content"]))
    assert set(result["required"]) == {"columns", "rows", "row_count", "truncated"}


def test_bulk_line_updates_take_and_return_arrays(
    spec: dict[str, Any], by_id: dict[str, Any]
) -> None:
    for opid, (item, record) in BULK_UPDATES.items():
        _, method, op = by_id[opid]
        assert method == "patch"
        body = json_body_schema(op["requestBody"]["content"])
        assert body["type"] == "array" and schema_name(body["items"]) == item
        assert spec["components"]["schemas"][item]["required"] == ["id"]
        answer = json_body_schema(op["responses"]["200"]["content"])
        assert answer["type"] == "array" and schema_name(answer["items"]) == record


def test_webhooks(spec: dict[str, Any]) -> None:
    hooks = spec["webhooks"]
    assert set(hooks) == {"recordCreated", "recordUpdated"}
    for hook in hooks.values():
        body = json_body_schema(hook["post"]["requestBody"]["content"])
        assert schema_name(body) == "WebhookEvent"
    event = spec["components"]["schemas"]["WebhookEvent"]
    assert event["properties"]["event_type"]["enum"] == ["created", "updated"]
    assert event["properties"]["id"]["format"] == "uuid"
    assert set(event["required"]) == {"event_type", "record_type", "id", "data"}


def test_links_walk_create_get_update_delete(
    spec: dict[str, Any], operations: list[Any], by_id: dict[str, Any]
) -> None:
    creates = [(path, op) for path, method, op in operations if "201" in op["responses"]]
    without_links = {"create_purchase_event"}  # the docs have no get/update/delete for events
    for path, op in creates:
        opid = op["operationId"]
        links = op["responses"]["201"].get("links", {})
        assert bool(links) is (opid not in without_links), opid
        source_params = set(re.findall(r"{([^}]+)}", path))
        for link in links.values():
            target_path, _, _ = by_id[link["operationId"]]
            target_params = re.findall(r"{([^}]+)}", target_path)
            assert sorted(link["parameters"]) == sorted(target_params), (opid, link)
            for name, expr in link["parameters"].items():
                if name in source_params:
                    assert expr == f"$request.path.{name}", (opid, name)
                else:
                    assert expr == "$response.body#/id", (opid, name)
        # Every get/update/delete on the new record's own path is reachable.
        record = schema_name(json_body_schema(op["responses"]["201"]["content"]))
        linked = {link["operationId"] for link in links.values()}
        for other_path, method, other in operations:
            one_level_down = other_path.count("{") == path.count("{") + 1
            same_record = other_path.startswith(path) and one_level_down
            if same_record and method in {"get", "patch", "delete"} and other_path.endswith("}/"):
                assert other["operationId"] in linked, (opid, other["operationId"], record)


# ------------------------------------------------------------------------------ schema rules
def test_create_fields_exist_in_the_record(spec: dict[str, Any]) -> None:
    """A server that stores a Create<Name> body can answer it as <Name>."""
    schemas = spec["components"]["schemas"]
    pairs = [
        (name, name[len("Create") :])
        for name in schemas
        if name.startswith("Create") and name[len("Create") :] in schemas
    ]
    pairs.append(("UpsertPartStock", "StockLot"))
    assert len(pairs) >= 20
    for create_name, record_name in pairs:
        create, record = schemas[create_name], schemas[record_name]
        for field, prop in create["properties"].items():
            if prop.get("writeOnly"):
                continue
            if field not in record["properties"] and field.endswith("_id"):
                assert field[: -len("_id")] in record["properties"], (create_name, field)
                continue
            assert field in record["properties"], (create_name, field)
            target = resolve(spec, record["properties"][field])
            source = resolve(spec, prop)
            assert set(types_of(source)) <= set(types_of(target)), (create_name, field)
        # An inferred record requires only what the server sets or the create body requires.
        if create["x-provenance"] == record["x-provenance"] == "inferred":
            for field in record.get("required", []):
                server_set = record["properties"][field].get("readOnly", False)
                assert server_set or field in create.get("required", []), (record_name, field)


def test_request_and_response_schemas_are_separate(
    spec: dict[str, Any], operations: list[Any]
) -> None:
    schemas = spec["components"]["schemas"]
    for _, _, op in operations:
        if "requestBody" not in op:
            continue
        body = next(iter(op["requestBody"]["content"].values()))["schema"]
        name = schema_name(body["items"] if body.get("type") == "array" else body)
        assert re.match(r"(Create|Update|Upsert|SqlQuery$)", name), (op["operationId"], name)
        for prop in schemas[name]["properties"].values():
            assert not prop.get("readOnly"), (name, prop)
        if name.startswith("Update"):
            assert "minProperties" not in schemas[name], name
            allowed_required = ["id"] if name in {i for i, _ in BULK_UPDATES.values()} else None
            assert schemas[name].get("required") == allowed_required, name


def test_record_server_fields_are_read_only(spec: dict[str, Any]) -> None:
    server_set = re.compile(r"^(id|created_at|updated_at|created|\w+_by|\w+_by_id|status)$")
    checked = 0
    for name, schema in spec["components"]["schemas"].items():
        if (
            name.startswith(("Create", "Update", "Upsert", "Paginated", "Program"))
            or schema.get("type") != "object"
        ):
            continue
        if name in {
            "Supplier",
            "User",
            "WebhookEvent",
            "AsyncJob",
            "Error",
            "SqlQuery",
            "SqlQueryResult",
        }:
            continue  # documented without read-only marks, or not a stored record
        for field, prop in schema["properties"].items():
            if server_set.match(field) and "$ref" not in prop:
                assert prop.get("readOnly") is True, (name, field)
                checked += 1
    assert checked > 40


NOT_UUID_IDS = {"part_id", "custom_id", "component_cloud_id", "integration_record_id"}


def test_formats_are_consistent(spec: dict[str, Any]) -> None:
    """date-time for *_at, uuid for ids, email for e-mail fields, minimum 0 for quantities."""
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            kinds = types_of(prop)
            where = (name, field)
            if "string" not in kinds and "integer" not in kinds:
                continue
            if field.endswith("_at"):
                assert format_of(prop) == "date-time", where
            is_id = field == "id" or field.endswith("_id")
            if is_id and field not in NOT_UUID_IDS and name != "Part":
                assert format_of(prop) == "uuid", where
            # The documented Supplier types its e-mail fields as plain strings.
            if field.endswith("email") and name != "Supplier":
                assert format_of(prop) == "email", where
            # BomLine echoes the documented raw-line quantity, which has no minimum.
            if field == "quantity" and name not in {"CreateRawBomLine", "BomLine"}:
                assert prop.get("minimum") == 0, where
    assert spec["components"]["schemas"]["Part"]["properties"]["id"]["pattern"] == PART_ID_PATTERN
