"""Records wrapped twice in their answers and once in their requests, as YNAB's API does: a
create sends `{"account": {...}}` and answers `{"data": {"account": {...}}}`, a get answers
the same, a list `{"data": {"accounts": [...], "server_knowledge": 1}}`. The stub stores the
account (not the request's wrapper) and finds its identifier inside both envelopes; driven
through the generated client against the stub process, and by the corpus round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip
from generator import pipeline

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _wrapper(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": [name], "properties": {name: schema}}


ACCOUNT = {
    "type": "object",
    "required": ["id", "name", "balance"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "balance": {"type": "integer"},
    },
}
SAVE_ACCOUNT = {
    "type": "object",
    "required": ["name", "balance"],
    "properties": {"name": {"type": "string"}, "balance": {"type": "integer"}},
}
ACCOUNTS = {
    "type": "object",
    "required": ["accounts", "server_knowledge"],
    "properties": {
        "accounts": {"type": "array", "items": _ref("Account")},
        "server_knowledge": {"type": "integer"},
    },
}
_BUDGET = path_param("budget_id")
WRAPPED: dict[str, Any] = document(
    {
        "Account": ACCOUNT,
        "SaveAccount": SAVE_ACCOUNT,
        "SaveAccountWrapper": _wrapper("account", _ref("SaveAccount")),
        "AccountResponse": _wrapper("data", _wrapper("account", _ref("Account"))),
        "AccountsResponse": _wrapper("data", ACCOUNTS),
    },
    {
        "/budgets/{budget_id}/accounts": {
            "parameters": [_BUDGET],
            "get": {"operationId": "getAccounts", "responses": ok(_ref("AccountsResponse"))},
            "post": {
                "operationId": "createAccount",
                "requestBody": {
                    "required": True,
                    "content": json_content(_ref("SaveAccountWrapper")),
                },
                "responses": ok(_ref("AccountResponse"), "201"),
            },
        },
        "/budgets/{budget_id}/accounts/{account_id}": {
            "parameters": [_BUDGET, path_param("account_id", {"type": "string", "format": "uuid"})],
            "get": {"operationId": "getAccountById", "responses": ok(_ref("AccountResponse"))},
        },
    },
)


def test_a_record_wrapped_in_its_request_and_twice_in_its_answer_is_stored_once(
    tmp_path: Path,
) -> None:
    with running(tmp_path, WRAPPED, "wrapped") as api, api.client() as client:
        made = client.budgets.create_account("last-used", account={"name": "Cash", "balance": 5})
        account = made.data.account
        assert (account.name, account.balance) == ("Cash", 5)
        found = client.budgets.get_account_by_id("last-used", str(account.id)).data.account
        assert (found.id, found.name, found.balance) == (account.id, "Cash", 5)
        listed = client.budgets.get_accounts("last-used").data.accounts
        assert [(a.id, a.name) for a in listed] == [(account.id, "Cash")]


def test_the_corpus_round_trip_reads_a_record_wrapped_twice(tmp_path: Path) -> None:
    spec = tmp_path / "wrapped.json"
    spec.write_text(json.dumps(WRAPPED))
    pipeline.generate(spec, tmp_path / "out", package_name="wrapped_rt")
    result = roundtrip.run(tmp_path / "out", "wrapped_rt", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 1)
