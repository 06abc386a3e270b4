"""`--allow-writes` (for a sandbox): the create -> get -> update -> delete walks the spec's
links describe, cleaning up what they create.

Each create operation without path parameters whose answer declares links is called with the
smallest body its schema allows (required properties only, from `example`, `default`, `const`,
the first `enum` value or a placeholder of the type). From the created record's answer its
links are followed: reads first, then updates (sent `{}`, which changes nothing), then the
creates of children (walked the same way, two levels deep at most, each deleted before its
parent), then the delete. A record whose delete is missing or failed is named in the verdict's
reason, so nothing is left behind unnoticed.
"""

from __future__ import annotations

from typing import Any

from ..document import deref, media_kind
from .walk import Op, Outcome, Walk, response_key

PLACEHOLDERS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "email": "verify@example.com",
    "uri": "https://example.com/verify",
}
_ORDER = {"get": 0, "patch": 1, "put": 1, "post": 2, "delete": 3}
MAX_DEPTH = 2


class Missing(Exception):
    """A required value the schema gives no way to make (a uuid naming another record)."""


class WriteWalk:
    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.outcomes: dict[str, Outcome] = {}
        self.by_id = {op.operation_id: op for op in walk.ops}
        self.pending: list[tuple[str, str]] = []  # (create operation, URL) not yet deleted

    def run(self) -> dict[str, Outcome]:
        creates = [
            op
            for op in self.walk.ops
            if op.method == "post" and not op.path_params and self._linked(op)
        ]
        for op in sorted(creates, key=lambda op: op.path):
            self._create(op, {}, 0)
        return self.outcomes

    def stopped(self, why: str) -> None:
        """The walk was cut short: each record created and not yet deleted is named."""
        for op_id, url in self.pending:
            op = self.by_id[op_id]
            self.outcomes[op_id] = op.skipped(f"{why}; left behind: the record created at {url}")

    def _linked(self, op: Op) -> bool:
        for response in (op.node.get("responses") or {}).values():
            if (deref(self.walk.data, response) or {}).get("links"):
                return True
        return False

    def _record(self, outcome: Outcome) -> None:
        if self.outcomes.get(outcome.operation_id, outcome).verdict in (
            "not-tried",
            outcome.verdict,
        ):
            self.outcomes[outcome.operation_id] = outcome

    def _url(self, op: Op, values: dict[str, str]) -> str | None:
        from urllib.parse import quote

        path = op.path
        for name in op.path_params:
            value = values.get(name, self.walk.values.get(name))
            if value is None:
                return None
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return self.walk.base_url + path

    def _create(self, op: Op, values: dict[str, str], depth: int) -> None:
        url = self._url(op, values)
        if url is None:
            return
        try:
            body = self._body(op, update=False)
        except Missing as exc:
            self._record(op.skipped(f"cannot make a body: {exc}"))
            return
        answer = self.walk.prober.send("POST", url, body) if self.walk.prober else None
        if answer is None:
            return
        outcome = self.walk.judge(op, answer)
        is_json, created = answer.json()
        if not (200 <= answer.status < 300 and is_json):
            self._record(outcome)
            return
        key = response_key(op.node.get("responses") or {}, answer.status)
        response = deref(self.walk.data, (op.node.get("responses") or {})[key]) if key else {}
        steps: list[tuple[Op, dict[str, str]]] = []
        for link in (response.get("links") or {}).values():
            link = deref(self.walk.data, link)
            target = self.by_id.get(str(link.get("operationId")))
            if target is None:
                continue
            params = dict(values)
            for name, expression in (link.get("parameters") or {}).items():
                if isinstance(expression, str) and expression.startswith("$response.body#"):
                    value = _pointer(created, expression[len("$response.body#") :])
                    if value is not None:
                        params[name] = str(value)
            steps.append((target, params))
        steps.sort(key=lambda step: (_ORDER.get(step[0].method, 2), step[0].path))
        self.pending.append((op.operation_id, url))
        deleted = False
        for target, params in steps:
            if target.method == "post":
                if depth < MAX_DEPTH:
                    self._create(target, params, depth + 1)
                continue
            target_url = self._url(target, params)
            if target_url is None or self.walk.prober is None:
                continue
            send_body = (
                self._body(target, update=True) if target.method in ("patch", "put") else None
            )
            result = self.walk.judge(
                target, self.walk.prober.send(target.method.upper(), target_url, send_body)
            )
            self._record(result)
            deleted = deleted or (
                target.method == "delete" and result.status is not None and result.status < 300
            )
        self.pending.pop()
        if not deleted:
            outcome = Outcome(
                outcome.operation_id,
                outcome.method,
                outcome.path,
                outcome.verdict,
                outcome.status,
                outcome.differences,
                reason=f"left behind: the record it created at {url} (no delete link succeeded)",
            )
        self._record(outcome)

    def _body(self, op: Op, *, update: bool) -> Any:
        body = deref(self.walk.data, op.node.get("requestBody") or {})
        for media, entry in (body.get("content") or {}).items():
            if media_kind(media) == "json" and isinstance(entry, dict):
                return {} if update else minimal(self.walk.data, entry.get("schema") or {}, "")
        if update or not body.get("required"):
            return None
        raise Missing("the request body is not JSON")


def minimal(data: dict[str, Any], schema: Any, where: str) -> Any:
    """The smallest value `schema` takes, from what it says."""
    schema = deref(data, schema)
    if not isinstance(schema, dict):
        return None
    for key in ("const", "example", "default"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            if deref(data, branch).get("type") != "null":
                return minimal(data, branch, where)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema or "allOf" in schema:
        value: dict[str, Any] = {}
        for part in [schema, *[deref(data, p) for p in schema.get("allOf") or []]]:
            properties = part.get("properties") or {}
            for name in part.get("required") or []:
                if name in properties and name not in value:
                    if deref(data, properties[name]).get("readOnly"):
                        continue
                    value[name] = minimal(data, properties[name], f"{where}/{name}")
        return value
    if kind == "array":
        count = int(schema.get("minItems") or 0)
        return [minimal(data, schema.get("items") or {}, f"{where}/0") for _ in range(count)]
    if kind == "integer" or kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "string":
        form = schema.get("format")
        if form == "uuid":
            raise Missing(f"{where or '/'} is a uuid naming another record")
        return PLACEHOLDERS.get(str(form), "cofactr-codegen-verify")
    return None


def _pointer(document: Any, ptr: str) -> Any:
    node = document
    for token in ptr.split("/")[1:] if ptr else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node if isinstance(node, (str, int)) and not isinstance(node, bool) else None
