"""Generic resource behaviour: CRUD, nesting, paging, validation, routing."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest

from .conftest import AppMaker, StubClient, auth
from .fixture_spec import fixture_spec
from .runtime import PACKAGE

UNKNOWN = str(uuid.uuid4())


def make_bom(client: StubClient, name: str = "Main board", **extra: object) -> dict[str, Any]:
    response = client.post("/v1/boms/", json={"name": name, **extra}, headers=auth())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_crud_lifecycle(client: StubClient) -> None:
    bom = make_bom(client, version="A")
    assert uuid.UUID(bom["id"]).version == 4
    assert bom["name"] == "Main board" and bom["version"] == "A"
    assert bom["created_at"].endswith("Z") and bom["created_at"] == bom["updated_at"]
    url = f"/v1/boms/{bom['id']}/"

    got = client.get(url, headers=auth())
    assert got.status_code == 200 and got.json() == bom

    patched = client.patch(url, json={"version": "B"}, headers=auth())
    assert patched.status_code == 200
    body = patched.json()
    assert body["version"] == "B" and body["name"] == "Main board"  # only what was sent
    assert body["updated_at"] > bom["updated_at"] and body["created_at"] == bom["created_at"]

    assert client.delete(url, headers=auth()).status_code == 204
    gone = client.get(url, headers=auth())
    assert gone.status_code == 404 and gone.json()["detail"] == "Not found."


def test_server_fields_cannot_be_sent(client: StubClient) -> None:
    bom = make_bom(client)
    response = client.patch(
        f"/v1/boms/{bom['id']}/", json={"name": "x", "id": UNKNOWN}, headers=auth()
    )
    # UpdateBom has no "id": ignored like any unknown field, and never applied.
    assert response.status_code == 200 and response.json()["id"] == bom["id"]


def test_unknown_ids_are_404(client: StubClient) -> None:
    for path in (f"/v1/boms/{UNKNOWN}/", f"/v1/boms/{UNKNOWN}/lines/"):
        response = client.get(path, headers=auth())
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "code": "not_found"}
    assert client.delete(f"/v1/boms/{UNKNOWN}/", headers=auth()).status_code == 404


def test_paging_with_absolute_next_and_previous(client: StubClient) -> None:
    for i in range(5):
        make_bom(client, f"bom {i}")
    first = client.get("/v1/boms/?limit=2", headers=auth()).json()
    assert first["count"] == 5 and [b["name"] for b in first["results"]] == ["bom 0", "bom 1"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/v1/boms/?")
    second = client.get(first["next"], headers=auth()).json()
    assert [b["name"] for b in second["results"]] == ["bom 2", "bom 3"]
    assert second["previous"] and "offset" not in second["previous"]
    last = client.get(second["next"], headers=auth()).json()
    assert [b["name"] for b in last["results"]] == ["bom 4"] and last["next"] is None
    default = client.get("/v1/boms/", headers=auth()).json()
    assert len(default["results"]) == 5


def test_list_filters_on_declared_params_and_ignores_unknown(client: StubClient) -> None:
    make_bom(client, "alpha")
    make_bom(client, "beta")
    named = client.get("/v1/boms/?name=beta&colour=red", headers=auth()).json()
    assert [b["name"] for b in named["results"]] == ["beta"]


def test_nested_lines(client: StubClient) -> None:
    bom = make_bom(client)
    other = make_bom(client, "other")
    lines = f"/v1/boms/{bom['id']}/lines/"
    line = client.post(lines, json={"part_id": "ABC123", "quantity": 2}, headers=auth())
    assert line.status_code == 201
    line_body = line.json()
    assert line_body["bom_id"] == bom["id"] and line_body["quantity"] == 2
    listed = client.get(lines, headers=auth()).json()
    assert [item["id"] for item in listed["results"]] == [line_body["id"]]
    assert client.get(f"/v1/boms/{other['id']}/lines/", headers=auth()).json()["count"] == 0
    # the line is not reachable under another BOM, nor under an unknown one
    wrong_parent = f"/v1/boms/{other['id']}/lines/{line_body['id']}/"
    assert client.get(wrong_parent, headers=auth()).status_code == 404
    no_parent = client.post(
        f"/v1/boms/{UNKNOWN}/lines/", json={"part_id": "ABC123"}, headers=auth()
    )
    assert no_parent.status_code == 404
    # deleting the (unapproved) BOM deletes its lines
    assert client.delete(f"/v1/boms/{bom['id']}/", headers=auth()).status_code == 204
    assert client.get(lines + f"{line_body['id']}/", headers=auth()).status_code == 404


def test_create_with_nested_array_creates_children(client: StubClient) -> None:
    bom = make_bom(client, lines=[{"part_id": "P1", "quantity": 1}, {"part_id": "P2"}])
    assert "lines" not in bom or bom["lines"] == []
    listed = client.get(f"/v1/boms/{bom['id']}/lines/", headers=auth()).json()
    assert [line["part_id"] for line in listed["results"]] == ["P1", "P2"]
    assert listed["results"][1]["quantity"] == 0


def test_bulk_update_by_id(client: StubClient) -> None:
    po = client.post("/v1/purchase_orders/", json={"supplier_id": UNKNOWN}, headers=auth()).json()
    lines = f"/v1/purchase_orders/{po['id']}/lines/"
    one = client.post(lines, json={"quantity": 1}, headers=auth()).json()
    two = client.post(lines, json={"quantity": 2}, headers=auth()).json()
    changes = [{"id": one["id"], "quantity": 10}, {"id": two["id"], "quantity": 20}]
    response = client.patch(lines, json=changes, headers=auth())
    assert response.status_code == 200
    assert [line["quantity"] for line in response.json()] == [10, 20]
    bad = client.patch(
        lines, json=[{"id": one["id"], "quantity": 5}, {"id": UNKNOWN}], headers=auth()
    )
    assert bad.status_code == 404
    # one request, one transaction: the first change was rolled back
    again = client.get(lines, headers=auth()).json()["results"]
    assert [line["quantity"] for line in again] == [10, 20]


def test_validation_errors_name_the_field(client: StubClient) -> None:
    missing = client.post("/v1/boms/", json={"version": "A"}, headers=auth())
    assert missing.status_code == 400
    assert missing.json() == {"name": ["This field is required."]}
    nested = client.post(
        "/v1/boms/", json={"name": "x", "lines": [{"part_id": "P", "quantity": -1}]}, headers=auth()
    )
    assert nested.status_code == 400 and list(nested.json()) == ["lines.0.quantity"]
    null = client.post("/v1/boms/", json={"name": None}, headers=auth())
    assert null.json() == {"name": ["This field may not be null."]}
    path = client.get("/v1/boms/not-a-uuid/", headers=auth())
    assert path.status_code == 400 and "bom_id" in path.json()
    limit = client.get("/v1/boms/?limit=0", headers=auth())
    assert limit.status_code == 400 and "limit" in limit.json()
    text = client.get("/v1/boms/?limit=ten", headers=auth())
    assert text.status_code == 400 and "limit" in text.json()
    body = client.post("/v1/boms/", json=["not", "an", "object"], headers=auth())
    assert body.status_code == 400 and "non_field_errors" in body.json()


def test_malformed_json_and_media_types(client: StubClient) -> None:
    broken = client.post(
        "/v1/boms/",
        content=b'{"name": ',
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON parse error - ")
    plain = client.post(
        "/v1/boms/", content=b"name=x", headers={**auth(), "Content-Type": "text/plain"}
    )
    assert plain.status_code == 415
    assert plain.json()["detail"] == 'Unsupported media type "text/plain" in request.'
    empty = client.post("/v1/boms/", headers=auth())
    assert empty.status_code == 400 and empty.json() == {"name": ["This field is required."]}


def test_openapi_json_is_the_spec_without_auth(client: StubClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.json() == fixture_spec()
    assert client.get("/docs").status_code == 404


def test_no_trailing_slash_is_404_and_wrong_method_405(client: StubClient) -> None:
    assert client.get("/v1/boms", headers=auth()).status_code == 404
    wrong = client.put("/v1/boms/", headers=auth())
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) == {"GET", "POST"}
    # a literal path is not a {bom_id}: GET on the PUT-only upsert path is 405, not 400
    literal = client.get("/v1/boms/upsert_async/", headers=auth())
    assert literal.status_code == 405 and literal.headers["allow"] == "PUT"


def test_invalid_responses_are_500_in_strict_mode(make_client: AppMaker) -> None:
    spec = fixture_spec()
    impossible = {"type": "string", "pattern": "^never$", "minLength": 10, "maxLength": 2}
    spec["components"]["schemas"]["Org"]["properties"]["name"] = impossible
    strict = make_client(spec)
    assert strict.get("/v1/org/", headers=auth()).status_code == 500
    strict.statuses.clear()  # the 500 above is the point of this test
    loose = make_client(spec, validate_responses=False)
    assert loose.get("/v1/org/", headers=auth()).status_code == 200


def test_json_the_stub_could_not_send_back_is_refused(client: StubClient) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    for raw in (
        b'{"name": "x", "metadata": {"n": NaN}}',
        b'{"name": "x", "metadata": {"n": Infinity}}',
        b'{"name": "x", "metadata": {"n": -Infinity}}',
        b'{"name": "x", "metadata": {"n": 1e400}}',  # Python reads it as infinity
        b'{"name": "x", "metadata": {"n": -1e400}}',
        b'{"name": "x", "metadata": {"n": [1.5, 2E+999]}}',
        b'{"name": "x", "metadata": {"n": 1' + b"0" * 400 + b".5}}",
        b'{"name": "x", "metadata": {"n": 1' + b"0" * 5000 + b"}}",
        b'{"name": "\\ud800"}',
        b'{"name": "x", "metadata": ' + b'{"a": ' * 100 + b"1" + b"}" * 100 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
    ):
        response = client.post("/v1/boms/", content=raw, headers=headers)
        assert response.status_code == 400, raw[:40]
        assert response.json()["detail"].startswith("JSON parse error - ")
    assert client.get("/v1/boms/", headers=auth()).json()["count"] == 0
    tiny = client.post(
        "/v1/boms/", content=b'{"name": "x", "metadata": {"n": 1e-400}}', headers=headers
    )
    assert tiny.status_code == 201 and tiny.json()["metadata"] == {"n": 0.0}


@pytest.mark.parametrize("value", ["1" + "0" * 5000, "1e400", "-1e400", "nan", "inf", "Infinity"])
def test_numbers_json_cannot_carry_are_refused_in_parameters(
    client: StubClient, value: str
) -> None:
    response = client.get(f"/v1/boms/?limit={value}", headers=auth())
    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_odd_path_segments_are_validated_not_rerouted(client: StubClient) -> None:
    response = client.get("/v1/boms/%09/", headers=auth())
    assert response.status_code == 400 and "bom_id" in response.json()


def test_a_required_body_that_is_missing_is_rejected(client: StubClient) -> None:
    """The spec requires a body on every PATCH; sending none is a 400 even when `{}` is valid."""
    bom = make_bom(client)
    url = f"/v1/boms/{bom['id']}/"
    response = client.patch(url, headers=auth())
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["No data provided."]}
    assert client.patch(url, headers=auth(), json={}).status_code == 200


def test_number_parameters_json_cannot_carry_stay_text() -> None:
    """Query, path, header and form values of `number` type: `1e400` would be infinity,
    which no response could carry; kept as text, validation refuses it (400, not 500)."""
    schemas = importlib.import_module(PACKAGE + "._runtime.schemas")
    tools = schemas.SchemaTools({})
    number = {"type": "number"}
    for text in ("1e400", "-1e400", "nan", "inf", "-Infinity", "1" + "0" * 5000):
        assert schemas.coerce_text(text, number, tools) == text
        assert not tools.is_valid(schemas.coerce_text(text, number, tools), number)
    assert schemas.coerce_text("1.5e3", number, tools) == 1500.0
    assert schemas.coerce_text("-7", number, tools) == -7


def test_long_inputs_are_cut_in_error_messages(client: StubClient) -> None:
    long = "z" * 60_000  # httpx refuses URLs of 64 KiB and more
    sql = "/v1/reporting/sql_query/"
    for response, field in (
        (client.get(f"/v1/boms/{long}/", headers=auth()), "bom_id"),
        (client.get(f"/v1/boms/?limit={long}", headers=auth()), "limit"),
        (client.post(sql, json={"query": f"SELECT {long}"}, headers=auth()), "query"),
        # within the query's maxLength: SQLite's message quotes the token
        (client.post(sql, json={"query": f"SELECT 1 + {long[:9000]}"}, headers=auth()), "query"),
    ):
        assert response.status_code == 400
        assert len(response.content) < 1000, response.content[:200]
        (message,) = response.json()[field]
        assert "zzz...[" in message and " characters cut]...zzz" in message
    key = client.post("/v1/boms/", json={"name": "x", "metadata": {long: 1}}, headers=auth())
    assert key.status_code == 201  # a long input that is valid is kept in full
    assert list(key.json()["metadata"]) == [long]
