"""Authentication, org isolation, sub-org reach, narrowing and ``blended``."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from .conftest import KEY_A, KEY_A_SUB, KEY_B, AppMaker, StubClient, auth
from .runtime import ORG_A, ORG_A_SUB, RUNTIME, USER_A, seed_two_orgs

NOT_PROVIDED = {
    "detail": "Authentication credentials were not provided.",
    "code": "not_authenticated",
}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Api-Key",
        "api-key key-a",
        "API-KEY key-a",
        "Api-Key  key-a",
        "Bearer key-a",
        "Api-Key key-a extra",
        "Api-Keykey-a",
    ],
)
def test_missing_or_malformed_header_is_401(client: StubClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/v1/boms/", headers=headers)
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED


def test_unknown_key_is_401_invalid(client: StubClient) -> None:
    response = client.get("/v1/boms/", headers=auth("nope"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid API key."


@pytest.mark.parametrize(
    "values",
    [
        ["Api-Key key-a", "Api-Key key-b"],  # before: the last one won (org B)
        ["Api-Key key-b", "Api-Key key-a"],
        ["Api-Key key-a", "Api-Key key-a"],
        ["Api-Key nope", "Api-Key key-a"],
    ],
)
def test_a_repeated_authorization_header_is_400(client: StubClient, values: list[str]) -> None:
    headers = [("Authorization", value) for value in values]
    for response in (
        client.get("/v1/boms/", headers=headers),
        client.post("/v1/boms/", json={"name": "x"}, headers=headers),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "detail": "The Authorization header was sent 2 times; send it once.",
            "code": "parse_error",
        }
    assert client.get("/v1/boms/", headers=auth()).json()["count"] == 0


def test_auth_comes_before_validation(client: StubClient) -> None:
    response = client.post(
        "/v1/boms/", content=b"{broken", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


def test_only_key_hashes_are_stored(make_client: AppMaker, tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    client = make_client(db_path=str(db))
    assert client.get("/v1/boms/", headers=auth()).status_code == 200
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert KEY_A.encode() not in raw and b"key-b" not in raw
    with sqlite3.connect(db) as conn:
        hashes = {row[0] for row in conn.execute("SELECT key_hash FROM api_keys")}
    assert len(hashes) == 3 and all(len(h) == 64 for h in hashes)


def test_default_seed_has_fixed_ids(make_client: AppMaker) -> None:
    client = make_client(seed=None, api_keys=["only-key"])
    org = client.get("/v1/org/", headers=auth("only-key")).json()
    assert org["id"] == RUNTIME.DEFAULT_ORG_ID
    users = client.get("/v1/users/", headers=auth("only-key")).json()["results"]
    assert [u["id"] for u in users] == [RUNTIME.DEFAULT_USER_ID]


def test_orgs_are_isolated(client: StubClient) -> None:
    bom = client.post("/v1/boms/", json={"name": "A's"}, headers=auth(KEY_A)).json()
    assert bom["org_id"] == ORG_A
    assert client.get(f"/v1/boms/{bom['id']}/", headers=auth(KEY_B)).status_code == 404
    assert (
        client.patch(f"/v1/boms/{bom['id']}/", json={"name": "x"}, headers=auth(KEY_B)).status_code
        == 404
    )
    assert client.delete(f"/v1/boms/{bom['id']}/", headers=auth(KEY_B)).status_code == 404
    assert client.get("/v1/boms/", headers=auth(KEY_B)).json()["count"] == 0
    lines = f"/v1/boms/{bom['id']}/lines/"
    assert client.post(lines, json={"part_id": "P1"}, headers=auth(KEY_B)).status_code == 404
    # narrowing to another org's id is refused (403, as the spec's Forbidden says)
    refused = client.get(f"/v1/boms/?org_id={ORG_A}", headers=auth(KEY_B))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You do not have permission to perform this action."
    assert (
        client.get(f"/v1/boms/{bom['id']}/?org_id={ORG_A}", headers=auth(KEY_B)).status_code == 403
    )


def test_key_reaches_sub_orgs_but_not_up(client: StubClient) -> None:
    sub_bom = client.post("/v1/boms/", json={"name": "sandbox"}, headers=auth(KEY_A_SUB)).json()
    assert sub_bom["org_id"] == ORG_A_SUB
    top_bom = client.post("/v1/boms/", json={"name": "top"}, headers=auth(KEY_A)).json()
    assert client.get(f"/v1/boms/{sub_bom['id']}/", headers=auth(KEY_A)).status_code == 200
    assert client.get(f"/v1/boms/{top_bom['id']}/", headers=auth(KEY_A_SUB)).status_code == 404
    everything = client.get("/v1/boms/", headers=auth(KEY_A)).json()
    assert {b["name"] for b in everything["results"]} == {"sandbox", "top"}
    # a line added through the parent key lands in the BOM's own org
    line = client.post(
        f"/v1/boms/{sub_bom['id']}/lines/", json={"part_id": "P9"}, headers=auth(KEY_A)
    )
    assert line.status_code == 201
    assert (
        client.get(f"/v1/boms/{sub_bom['id']}/lines/", headers=auth(KEY_A_SUB)).json()["count"] == 1
    )


def test_org_id_narrows_reads_and_writes(client: StubClient) -> None:
    client.post("/v1/boms/", json={"name": "top"}, headers=auth(KEY_A))
    made = client.post(f"/v1/boms/?org_id={ORG_A_SUB}", json={"name": "sub"}, headers=auth(KEY_A))
    assert made.json()["org_id"] == ORG_A_SUB
    narrowed = client.get(f"/v1/boms/?org_id={ORG_A_SUB}", headers=auth(KEY_A)).json()
    assert [b["name"] for b in narrowed["results"]] == ["sub"]
    top_only = client.get(f"/v1/boms/?org_id={ORG_A}", headers=auth(KEY_A)).json()
    assert [b["name"] for b in top_only["results"]] == ["top"]
    bom_id = made.json()["id"]
    assert client.get(f"/v1/boms/{bom_id}/?org_id={ORG_A}", headers=auth(KEY_A)).status_code == 404
    assert client.get(f"/v1/boms/?org_id={uuid.uuid4()}", headers=auth(KEY_A)).status_code == 403
    assert client.get("/v1/boms/?org_id=nope", headers=auth(KEY_A)).status_code == 400
    org = client.get(f"/v1/org/?org_id={ORG_A_SUB}", headers=auth(KEY_A)).json()
    assert org["id"] == ORG_A_SUB and org["parent_org_id"] == ORG_A


def test_purchases_use_target_org_unless_blended(client: StubClient) -> None:
    supplier = str(uuid.uuid4())
    po = client.post(
        "/v1/purchase_orders/",
        json={"supplier_id": supplier},
        headers={**auth(KEY_A), "x-org-id": ORG_A_SUB},
    ).json()
    assert po["org_id"] == ORG_A_SUB
    url = f"/v1/purchase_orders/{po['id']}/"
    # without blended the lookup is in the key's own org only
    assert client.get(url, headers=auth(KEY_A)).status_code == 404
    assert client.get(url + "?blended", headers=auth(KEY_A)).status_code == 200
    assert client.get(url + "?blended=false", headers=auth(KEY_A)).status_code == 200  # presence
    assert client.get(url, headers={**auth(KEY_A), "x-org-id": ORG_A_SUB}).status_code == 200
    assert client.get(url + f"?org_id={ORG_A_SUB}", headers=auth(KEY_A)).status_code == 200
    patched = client.patch(url + "?blended", json={"notes": "hi"}, headers=auth(KEY_A))
    assert patched.status_code == 200 and patched.json()["notes"] == "hi"
    assert client.get(url + "?blended", headers=auth(KEY_B)).status_code == 404
    refused = client.get(url, headers={**auth(KEY_B), "x-org-id": ORG_A_SUB})
    assert refused.status_code == 403


def test_account_operations(client: StubClient) -> None:
    subs = client.get("/v1/sub_orgs/", headers=auth(KEY_A)).json()
    assert [s["id"] for s in subs["results"]] == [ORG_A_SUB]
    assert client.get("/v1/sub_orgs/", headers=auth(KEY_B)).json()["count"] == 0
    made = client.post("/v1/sub_orgs/", json={"name": "new"}, headers=auth(KEY_A))
    assert made.status_code == 201 and made.json()["parent_org_id"] == ORG_A
    new_id = made.json()["id"]
    assert client.get(f"/v1/sub_orgs/{new_id}/", headers=auth(KEY_A)).status_code == 200
    assert client.get(f"/v1/sub_orgs/{new_id}/", headers=auth(KEY_B)).status_code == 404
    # the key reaches the new sub-org at once
    bom = client.post(f"/v1/boms/?org_id={new_id}", json={"name": "n"}, headers=auth(KEY_A))
    assert bom.status_code == 201
    user = client.get(f"/v1/users/{USER_A}/", headers=auth(KEY_A))
    assert user.status_code == 200 and user.json()["email"] == "ada@a.test"
    assert client.get(f"/v1/users/{USER_A}/", headers=auth(KEY_B)).status_code == 404


def test_revoking_a_key(client: StubClient) -> None:
    sub_key = seed_two_orgs().orgs[0].sub_orgs[0].api_keys[0]
    response = client.patch(
        f"/v1/api_keys/{sub_key.id}/", json={"revoked": True}, headers=auth(KEY_A)
    )
    assert response.status_code == 200 and response.json()["revoked"] is True
    assert "key" not in response.json() and "key_hash" not in response.json()
    assert client.get("/v1/boms/", headers=auth(KEY_A_SUB)).json()["detail"] == "Invalid API key."
    other = seed_two_orgs().orgs[0].api_keys[0]
    assert (
        client.patch(
            f"/v1/api_keys/{other.id}/", json={"name": "x"}, headers=auth(KEY_B)
        ).status_code
        == 404
    )


def test_sub_org_is_visible_when_narrowed_to_itself(client: StubClient) -> None:
    url = f"/v1/sub_orgs/{ORG_A_SUB}/?org_id={ORG_A_SUB}"
    assert client.get(url, headers=auth(KEY_A)).status_code == 200
    own = client.get(f"/v1/sub_orgs/{ORG_A}/", headers=auth(KEY_A))
    assert own.status_code == 404  # the primary org is no sub-org
