"""The behaviours the API documents, special-cased by operationId."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import httpx

from .conftest import AppMaker, StubClient, auth
from .fixture_spec import fixture_spec
from .runtime import USER_A

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\r\n--not-a-boundary\r\n\xff\xfe" + bytes(range(256))


def make_bom(client: StubClient, **extra: object) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/v1/boms/", json={"name": "b", **extra}, headers=auth()
    ).json()
    return body


def test_delete_unapproved_bom_deletes_it(client: StubClient) -> None:
    bom = make_bom(client)
    assert client.delete(f"/v1/boms/{bom['id']}/", headers=auth()).status_code == 204
    assert client.get(f"/v1/boms/{bom['id']}/", headers=auth()).status_code == 404


def test_delete_approved_bom_archives_it(client: StubClient) -> None:
    bom = make_bom(client)
    approved = client.post(f"/v1/boms/{bom['id']}/approve/", headers=auth())
    assert approved.status_code == 200
    body = approved.json()
    assert body["approved"] is True and body["approved_at"].endswith("Z")
    assert client.delete(f"/v1/boms/{bom['id']}/", headers=auth()).status_code == 204
    kept = client.get(f"/v1/boms/{bom['id']}/", headers=auth())
    assert kept.status_code == 200
    assert kept.json()["archived"] is True and kept.json()["archived_at"]


def test_approve_is_idempotent(client: StubClient) -> None:
    bom = make_bom(client)
    first = client.post(f"/v1/boms/{bom['id']}/approve/", headers=auth()).json()
    second = client.post(f"/v1/boms/{bom['id']}/approve/", headers=auth())
    assert second.status_code == 200 and second.json()["approved_at"] == first["approved_at"]
    created_approved = make_bom(client, approved=True)
    assert client.delete(f"/v1/boms/{created_approved['id']}/", headers=auth()).status_code == 204
    assert client.get(f"/v1/boms/{created_approved['id']}/", headers=auth()).status_code == 200


def test_create_bom_line_sums_quantities_of_the_same_part(client: StubClient) -> None:
    bom = make_bom(client)
    lines = f"/v1/boms/{bom['id']}/lines/"
    first = client.post(lines, json={"part_id": "ABC", "quantity": 2}, headers=auth()).json()
    again = client.post(lines, json={"part_id": "ABC", "quantity": 3}, headers=auth())
    assert again.status_code == 201  # the spec declares only 201
    assert again.json()["id"] == first["id"] and again.json()["quantity"] == 5
    other = client.post(lines, json={"part_id": "XYZ", "quantity": 1}, headers=auth()).json()
    assert other["id"] != first["id"]
    assert client.get(lines, headers=auth()).json()["count"] == 2


def test_parse_raw_bom_line_sums_only_same_part_and_refdes(client: StubClient) -> None:
    bom = make_bom(client)
    url = f"/v1/boms/{bom['id']}/parse_raw_line/"
    one = client.post(
        url, json={"mpn": "M1", "reference_designators_string": "R1", "quantity": 1}, headers=auth()
    )
    assert one.status_code == 201
    line = one.json()
    assert line["bom_id"] == bom["id"] and line["part_id"]  # "converted into Cofactr data"
    same = client.post(
        url, json={"mpn": "M1", "reference_designators_string": "R1", "quantity": 4}, headers=auth()
    )
    assert same.json()["id"] == line["id"] and same.json()["quantity"] == 5
    other_refdes = client.post(
        url, json={"mpn": "M1", "reference_designators_string": "R2", "quantity": 1}, headers=auth()
    )
    assert other_refdes.json()["id"] != line["id"]
    listed = client.get(f"/v1/boms/{bom['id']}/lines/", headers=auth()).json()
    assert sorted(item["quantity"] for item in listed["results"]) == [1, 5]
    assert (
        client.post(
            f"/v1/boms/{uuid.uuid4()}/parse_raw_line/", json={"mpn": "M"}, headers=auth()
        ).status_code
        == 404
    )


def test_parse_raw_bom_makes_a_bom_with_lines(client: StubClient) -> None:
    raw = {
        "name": "raw",
        "raw_lines": [
            {"mpn": "M1", "reference_designators_string": "R1", "quantity": 1},
            {"mpn": "M1", "reference_designators_string": "R1", "quantity": 2},
            {"mpn": "M2", "reference_designators_string": "C1", "quantity": 7},
        ],
    }
    response = client.post("/v1/parse_raw_bom/", json=raw, headers=auth())
    assert response.status_code == 201
    bom = response.json()
    assert bom["name"] == "raw" and "raw_lines" not in bom
    assert sorted((line["mpn"], line["quantity"]) for line in bom["lines"]) == [
        ("M1", 3),
        ("M2", 7),
    ]
    listed = client.get(f"/v1/boms/{bom['id']}/lines/", headers=auth()).json()
    assert listed["count"] == 2


def job_of(client: StubClient, response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    assert job["status"] == "succeeded"
    status = client.get(f"/v1/async_jobs/{job['id']}/", headers=auth())
    assert status.status_code == 200 and status.json() == job
    return job


def test_upsert_bom_async(client: StubClient) -> None:
    job = job_of(
        client, client.put("/v1/boms/upsert_async/", json={"name": "async"}, headers=auth())
    )
    assert job["job_type"] == "upsert_bom_async" and job["finished_at"]
    bom_id = job["result"]["id"]
    assert client.get(f"/v1/boms/{bom_id}/", headers=auth()).json()["name"] == "async"
    # the job belongs to the caller's org only
    assert client.get(f"/v1/async_jobs/{job['id']}/", headers=auth("key-b")).status_code == 404


def test_create_parts_async_with_non_uuid_ids(client: StubClient) -> None:
    body = [{"mpn": "LM358"}, {"mpn": "NE555"}]
    job = job_of(client, client.post("/v1/parts/create_async/", json=body, headers=auth()))
    parts = job["result"]
    assert [p["mpn"] for p in parts] == ["LM358", "NE555"]
    for part in parts:
        assert part["id"].isalnum()
        assert client.get(f"/v1/parts/{part['id']}/", headers=auth()).json()["mpn"] == part["mpn"]


def test_program_availabilities_async_matches_sync(client: StubClient) -> None:
    program = client.post("/v1/programs/", json={"name": "p"}, headers=auth()).json()
    sync = client.get(f"/v1/programs/{program['id']}/availabilities/", headers=auth()).json()
    job = job_of(
        client, client.get(f"/v1/programs/{program['id']}/availabilities_async/", headers=auth())
    )
    assert job["result"] == sync
    missing = client.get(f"/v1/programs/{uuid.uuid4()}/availabilities_async/", headers=auth())
    assert missing.status_code == 404


def test_stock_document_upload_and_download(client: StubClient) -> None:
    created = client.post(
        "/v1/stock_documents/",
        data={"name": "CoC", "document_type": "certificate", "pages": "3"},
        files={"file": ("coc.png", PNG, "image/png")},
        headers=auth(),
    )
    assert created.status_code == 201, created.text
    doc = created.json()
    assert doc["name"] == "CoC" and doc["content_type"] == "image/png" and doc["size"] == len(PNG)
    download = client.get(f"/v1/stock_documents/{doc['id']}/download/", headers=auth())
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "application/octet-stream"  # what the spec says
    assert (
        client.get(f"/v1/stock_documents/{doc['id']}/download/", headers=auth("key-b")).status_code
        == 404
    )
    listed = client.get("/v1/stock_documents/", headers=auth()).json()
    assert [d["id"] for d in listed["results"]] == [doc["id"]]


def test_a_download_is_sent_in_a_media_type_its_response_declares(make_client: AppMaker) -> None:
    """The uploaded media type when the response declares it (`*/*` declares any), else the
    first one it declares: never one it does not (before: always the uploaded one)."""
    spec = fixture_spec()
    content = spec["paths"]["/v1/stock_documents/{stock_document_id}/download/"]["get"][
        "responses"
    ]["200"]["content"]
    content["*/*"] = content["application/octet-stream"]
    for client, uploaded, sent in (
        (make_client(), "image/png", "application/octet-stream"),
        (make_client(spec), "image/png", "image/png"),
        (make_client(spec), "text/plain", "text/plain; charset=utf-8"),
        (make_client(spec), "no media type", "application/octet-stream"),
    ):
        created = client.post(
            "/v1/stock_documents/",
            data={"name": "CoC", "document_type": "certificate"},
            files={"file": ("coc.png", PNG, uploaded)},
            headers=auth(),
        )
        download = client.get(
            f"/v1/stock_documents/{created.json()['id']}/download/", headers=auth()
        )
        assert download.content == PNG
        assert download.headers["content-type"] == sent, uploaded


def test_stock_document_validation(client: StubClient) -> None:
    no_file = client.post(
        "/v1/stock_documents/",
        data={"name": "x", "document_type": "y"},
        files={"other": ("a", b"1")},
        headers=auth(),
    )
    assert no_file.status_code == 400 and no_file.json() == {"file": ["This field is required."]}
    bad_int = client.post(
        "/v1/stock_documents/",
        data={"name": "x", "document_type": "y", "pages": "many"},
        files={"file": ("a.txt", b"1", "text/plain")},
        headers=auth(),
    )
    assert bad_int.status_code == 400 and "pages" in bad_int.json()
    no_boundary = client.post(
        "/v1/stock_documents/",
        content=b"x",
        headers={**auth(), "Content-Type": "multipart/form-data"},
    )
    assert no_boundary.status_code == 400 and "Multipart" in no_boundary.json()["detail"]
    json_body = client.post("/v1/stock_documents/", json={"name": "x"}, headers=auth())
    assert json_body.status_code == 415


def test_purchase_order_lifecycle_stamps(client: StubClient) -> None:
    po = client.post(
        "/v1/purchase_orders/", json={"supplier_id": str(uuid.uuid4())}, headers=auth()
    ).json()
    assert po["created_by"]["id"] == USER_A and po["notes"]  # required, so filled in
    url = f"/v1/purchase_orders/{po['id']}/"
    approved = client.patch(url, json={"approved": True}, headers=auth()).json()
    assert approved["approved"] == "true"  # the spec types the read-only flag as a string
    assert approved["approved_at"].endswith("Z")
    assert (
        approved["approved_by"]["id"] == USER_A and approved["approved_by"]["email"] == "ada@a.test"
    )
    stamp = "2024-12-19T01:51:29Z"
    sent = client.patch(url, json={"sent_at": stamp}, headers=auth()).json()
    assert sent["sent_at"] == stamp and sent["sent_by"]["id"] == USER_A
    assert sent["approved_at"] == approved["approved_at"]  # untouched
    again = client.patch(url, json={"approved": True}, headers=auth()).json()
    assert again["approved_at"] == approved["approved_at"]
    cleared = client.patch(url, json={"approved": False}, headers=auth()).json()
    assert cleared["approved"] == "false" and cleared["approved_at"] is None
    assert cleared["approved_by"] is None


def test_behaviours_skip_operations_missing_from_the_spec(make_client: AppMaker) -> None:
    spec = fixture_spec()
    del spec["paths"]["/v1/boms/{bom_id}/approve/"]
    del spec["paths"]["/v1/parse_raw_bom/"]
    client = make_client(spec)
    bom = client.post("/v1/boms/", json={"name": "x"}, headers=auth()).json()
    assert client.post(f"/v1/boms/{bom['id']}/approve/", headers=auth()).status_code == 404
    assert client.delete(f"/v1/boms/{bom['id']}/", headers=auth()).status_code == 204


def test_every_behaviour_names_the_route_cofactrs_spec_has_its_operation_at() -> None:
    """A behaviour serves an operation only at the method and path its table names; were the
    spec to move one, the behaviour would silently stop serving it. Each row must be an
    operation of our spec, under that operationId."""
    import yaml

    from ..conftest import ROOT
    from .runtime import RUNTIME

    spec = yaml.safe_load((ROOT / "spec" / "cofactr-platform.yaml").read_text(encoding="utf-8"))
    routes = {
        op["operationId"]: f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    behaviours = importlib.import_module(RUNTIME.__name__ + ".behaviours")
    for name, (route, handler) in behaviours.REGISTRY.items():
        assert routes.get(name) == route, name
        method, path = route.split(" ", 1)
        assert behaviours.behaviour_for(name, method, path) is handler
        assert behaviours.behaviour_for(name, method, "/elsewhere" + path) is None
