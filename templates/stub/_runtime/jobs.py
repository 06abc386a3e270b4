"""Async operations: the stub does the work at once and answers a finished job.

An operation is async when it answers 202 with a job schema (``status`` and ``job_type``
properties) or its operationId ends in ``_async``. Its work is its synchronous twin's
(``get_program_availabilities`` for ``get_program_availabilities_async``) when the spec has
one, else an upsert of the body into the collection (``upsert_bom_async``,
``create_parts_async``). The job is stored where the job-status operation reads it, so
``GET /v1/async_jobs/{job_id}/`` reports ``succeeded`` with the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from .context import Call, Reply
from .crud import collection_action, insert
from .operations import Operation, json_schema_of

FALLBACK_COLLECTION = "@async_jobs"
Dispatch = Callable[[Call], Reply]


def is_async(call: Call) -> bool:
    """Whether the call's operation should answer a job."""
    op = call.op
    if op.operation_id.endswith("_async"):
        return True
    if 202 not in op.success_statuses():
        return False
    props = call.rt.properties(json_schema_of(op.response_for(202) or {}))
    return {"status", "job_type"} <= set(props)


def run_async(call: Call, dispatch: Dispatch) -> Reply:
    """Run the work now and store a ``succeeded`` job holding its result."""
    twin = _twin(call)
    if twin is not None:
        inner = dispatch(dataclasses.replace(call, op=twin))
        schema = json_schema_of(twin.response_for(inner.status) or {})
        result = call.rt.values.shape(inner.body, schema) if schema else inner.body
    else:
        inner = collection_action(call) if call.op.collection else Reply(200, call.body)
        result = _fit_records(call, inner.body)
    collection = jobs_collection(call)
    job = {
        "status": "succeeded",
        "job_type": call.op.operation_id,
        "started_at": call.now,
        "finished_at": call.now,
        "result": result,
        "error": None,
    }
    record = insert(call, collection, job, None)
    return Reply(call.op.success_status(202), record.data)


def _twin(call: Call) -> Operation | None:
    name = call.op.operation_id
    if not name.endswith("_async"):
        return None
    twin = call.rt.index.operations.get(name[: -len("_async")])
    return twin if twin is not None and twin.method == call.op.method else None


def _fit_records(call: Call, body: Any) -> Any:
    schema = call.item_schema()
    if schema is None:
        return body
    if isinstance(body, list):
        return [call.rt.values.shape(item, schema) for item in body]
    return call.rt.values.shape(body, schema)


def jobs_collection(call: Call) -> str:
    """Where jobs live: the collection of the job-status operation."""
    index = call.rt.index
    named = index.operations.get("get_async_job_status")
    if named is not None and named.collection:
        return named.collection
    for op in index.operations.values():
        if op.kind == "get" and op.collection:
            props = call.rt.properties(json_schema_of(op.response_for(200) or {}))
            if {"status", "job_type", "result"} <= set(props):
                return op.collection
    return FALLBACK_COLLECTION
