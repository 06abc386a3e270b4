"""Which operations `verify` tries, in which order, with which ids, and the verdict on each.

Read-only: the GET operations, those without path parameters (lists) first, then those with
more and more, each path parameter taken from what an earlier answer returned: the values its
`links` name (`$response.body#/results/0/id`), or, by the path's shape, the `id` of the first
item of a list at the path's prefix (`/v1/boms/` gives `bom_id` of `/v1/boms/{bom_id}/`).
Every other operation is `not-tried`, with why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

from ..document import (
    PATH_PARAM,
    deref,
    iter_operations,
    media_kind,
    pointer,
    resolve_pointer,
)
from ..ir.naming import default_operation_id
from .compare import Checker, Difference
from .probe import Answer, OutOfBudget, Prober

VERDICTS = ("confirmed", "mismatch", "absent", "not-tried")
KINDS = (
    "unknown-field",
    "missing-field",
    "wrong-type",
    "unexpected-null",
    "new-enum-value",
    "undeclared-status",
)


@dataclass(frozen=True)
class Outcome:
    """The verdict on one operation, as the report gives it."""

    operation_id: str
    method: str
    path: str
    verdict: str
    status: int | None = None
    differences: tuple[Difference, ...] = ()
    reason: str = ""


@dataclass
class Op:
    path: str
    method: str
    node: dict[str, Any]

    @property
    def operation_id(self) -> str:
        # unnamed: the name the generated client and stub give it
        return str(self.node.get("operationId") or default_operation_id(self.method, self.path))

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)

    def skipped(self, reason: str) -> Outcome:
        return Outcome(
            self.operation_id, self.method.upper(), self.path, "not-tried", reason=reason
        )


def marked_absent(node: dict[str, Any]) -> bool:
    """An operation an earlier `verify` found absent (its overlay made it deprecated)."""
    return bool(node.get("deprecated")) and node.get("x-provenance-source") == "VERIFY"


class Walk:
    def __init__(self, data: dict[str, Any], base_url: str, prober: Prober | None) -> None:
        self.data = data
        self.base_url = base_url.rstrip("/")
        self.prober = prober
        self.checker = Checker(data)
        self.values: dict[str, str] = {}
        self.ops = [Op(path, method, op) for path, method, op, _ in iter_operations(data)]

    def run(self, *, allow_writes: bool = False) -> list[Outcome]:
        outcomes: list[Outcome] = []
        reads = sorted(
            (op for op in self.ops if op.method == "get"),
            key=lambda op: (len(op.path_params), op.path),
        )
        out_of_budget = False
        for op in reads:
            if out_of_budget:
                outcomes.append(op.skipped(self._budget))
                continue
            try:
                outcomes.append(self._read(op))
            except OutOfBudget:
                out_of_budget = True
                outcomes.append(op.skipped(self._budget))
        written: dict[str, Outcome] = {}
        if allow_writes and not out_of_budget:
            from .writes import WriteWalk

            writer = WriteWalk(self)
            try:
                writer.run()
            except OutOfBudget:  # what it created so far is named in its verdicts' reasons
                writer.stopped(self._budget)
            written = writer.outcomes
        why = (
            "a write no create's links reach (--allow-writes walks creates and their links)"
            if allow_writes
            else "a write: verify is read-only unless --allow-writes (use a sandbox)"
        )
        for op in self.ops:
            if op.method != "get":
                outcomes.append(written.get(op.operation_id) or op.skipped(why))
        return sorted(outcomes, key=lambda o: (o.path, o.method))

    @property
    def _budget(self) -> str:
        return f"--max-requests {self.prober.max_requests if self.prober else 0} reached"

    def judge_records(self, records: list[tuple[str, int, Any]]) -> list[Outcome]:
        """Verdicts from recorded answers `(operation_id, status, body)` instead of calls; an
        operation with several records gets every difference they show."""
        outcomes: list[Outcome] = []
        for op in self.ops:
            judged = [
                self.judge(op, Answer(status, "application/json", json.dumps(body).encode()))
                for operation_id, status, body in records
                if operation_id == op.operation_id
            ]
            if not judged:
                outcomes.append(op.skipped("no record of an answer"))
                continue
            for verdict in ("mismatch", "absent", "confirmed", "not-tried"):
                chosen = [o for o in judged if o.verdict == verdict]
                if chosen:
                    differences = {
                        (d.kind, d.schema, d.name): d
                        for o in reversed(chosen)
                        for d in o.differences
                    }
                    outcomes.append(replace(chosen[0], differences=tuple(differences.values())))
                    break
        return sorted(outcomes, key=lambda o: (o.path, o.method))

    def _read(self, op: Op) -> Outcome:
        if marked_absent(op.node):
            return op.skipped("deprecated: an earlier verify found it absent")
        path = op.path
        for name in op.path_params:
            if name not in self.values:
                return op.skipped(f"no value for the path parameter {name}: no answer gave one")
            path = path.replace("{" + name + "}", quote(self.values[name], safe=""))
        query, missing = self._query(op)
        if missing:
            return op.skipped(f"needs the query parameter {missing} and the spec gives no example")
        url = self.base_url + path + (f"?{urlencode(query)}" if query else "")
        assert self.prober is not None
        answer = self.prober.get(url)
        return self.judge(op, answer)

    def _query(self, op: Op) -> tuple[dict[str, str], str]:
        query: dict[str, str] = {}
        for raw in op.node.get("parameters") or []:
            param = deref(self.data, raw)
            if not isinstance(param, dict) or not param.get("required"):
                continue
            if param.get("in") in ("header", "cookie"):
                return {}, str(param.get("name"))
            if param.get("in") != "query":
                continue
            schema = deref(self.data, param.get("schema") or {})
            for source in (param, schema if isinstance(schema, dict) else {}):
                for key in ("example", "default"):
                    if key in source:
                        query[str(param["name"])] = str(source[key])
                        break
                else:
                    continue
                break
            else:
                return {}, str(param.get("name"))
        return query, ""

    def judge(self, op: Op, answer: Answer) -> Outcome:
        base = (op.operation_id, op.method.upper(), op.path)
        status = answer.status
        if status in (404, 405):
            return Outcome(*base, "absent", status, reason=f"the API answered {status}")
        if status in (429, 503) or status >= 500:
            return Outcome(*base, "not-tried", status, reason=f"the API answered {status}")
        is_json, body = answer.json()
        responses = op.node.get("responses") or {}
        key = response_key(responses, status)
        if key is None:
            declared = sorted(str(k) for k in responses)
            where = _ptr(op, "responses")
            sample = body if is_json else None
            difference = Difference("undeclared-status", "", declared, status, where, sample)
            return Outcome(*base, "mismatch", status, (difference,))
        response = deref(self.data, responses[key])
        schema, schema_ptr = self._schema(op, key, response)
        differences: list[Difference] = []
        if schema is not None and is_json:
            differences = self.checker.check(schema, schema_ptr, body)
        if 200 <= status < 300 and is_json:
            self._learn(op, key, response, body)
        verdict = "mismatch" if differences else "confirmed"
        return Outcome(*base, verdict, status, tuple(differences))

    def _schema(self, op: Op, key: str, response: Any) -> tuple[Any, str]:
        content = response.get("content") if isinstance(response, dict) else None
        for media, entry in (content or {}).items():
            if media_kind(media) == "json" and isinstance(entry, dict) and "schema" in entry:
                raw = (op.node.get("responses") or {})[key]
                where = raw["$ref"][1:] if isinstance(raw, dict) and "$ref" in raw else None
                where = where or _ptr(op, "responses", key)
                return entry["schema"], where + pointer("content", media, "schema")
        return None, ""

    def _learn(self, op: Op, key: str, response: Any, body: Any) -> None:
        """Path parameter values from a successful answer: its links, then the list shape."""
        for link in (
            (response.get("links") if isinstance(response, dict) else None) or {}
        ).values():
            link = deref(self.data, link)
            for name, expression in ((link or {}).get("parameters") or {}).items():
                if isinstance(expression, str) and expression.startswith("$response.body#"):
                    try:
                        value = resolve_pointer(body, expression[len("$response.body") :])
                    except KeyError:
                        continue
                    if isinstance(value, (str, int)) and not isinstance(value, bool):
                        self.values.setdefault(name, str(value))
        items = body.get("results") if isinstance(body, dict) else body
        first = items[0] if isinstance(items, list) and items else None
        if not (isinstance(first, dict) and isinstance(first.get("id"), (str, int))):
            return
        prefix = op.path if op.path.endswith("/") else op.path + "/"
        for other in self.ops:
            match = re.fullmatch(re.escape(prefix) + r"\{([^{}/]+)\}/?", other.path)
            if match:
                self.values.setdefault(match.group(1), str(first["id"]))


def response_key(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def _ptr(op: Op, *more: str) -> str:
    return pointer("paths", op.path, op.method, *more)
