"""The generated conveniences: `wait()` for async jobs (from the spec's `x-poll`) and webhook
parsing into the models of the records they carry."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def _job(status: str) -> dict[str, Any]:
    return {
        "id": JOB_ID,
        "status": status,
        "job_type": "upsert_bom",
        "created_at": "2026-11-25T10:00:00Z",
        "started_at": None,
        "finished_at": None,
        "result": None,
        "error": None,
    }


def _sequence(*statuses: str) -> tuple[list[httpx.Request], Any]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = statuses[min(len(seen), len(statuses)) - 1]
        return httpx.Response(200, json=_job(status))

    return seen, handler


def test_wait_polls_until_the_job_is_done() -> None:
    from cofactr_platform import CofactrClient

    seen, handler = _sequence("pending", "running", "running", "succeeded")
    client = CofactrClient(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    job = client.async_jobs.wait(JOB_ID, timeout=5, initial_interval=0.01, max_interval=0.02)
    assert job.status == "succeeded" and len(seen) == 4
    assert {r.url.path for r in seen} == {f"/v1/async_jobs/{JOB_ID}/"}


def test_wait_gives_up_after_the_timeout() -> None:
    from cofactr_platform import CofactrClient
    from cofactr_platform._runtime import PollTimeoutError

    seen, handler = _sequence("running")
    client = CofactrClient(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.raises(PollTimeoutError):
        client.async_jobs.wait(JOB_ID, timeout=0.1, initial_interval=0.02, max_interval=0.02)
    assert len(seen) >= 2


def test_async_wait_polls_without_blocking() -> None:
    from cofactr_platform import AsyncCofactrClient

    seen, handler = _sequence("pending", "failed")

    async def main() -> Any:
        transport = httpx.MockTransport(handler)
        async with AsyncCofactrClient(
            api_key="k", http_client=httpx.AsyncClient(transport=transport)
        ) as c:
            return await c.async_jobs.wait(JOB_ID, timeout=5, initial_interval=0.01)

    assert asyncio.run(main()).status == "failed" and len(seen) == 2


def test_webhook_payload_parses_into_the_record_model() -> None:
    from cofactr_platform import models, parse_webhook

    body = json.dumps(
        {
            "event_type": "updated",
            "record_type": "BOM",
            "id": JOB_ID,
            "data": {
                "id": JOB_ID,
                "name": "Main board",
                "created_at": "2026-11-25T10:00:00Z",
                "updated_at": "2026-11-25T10:00:00Z",
                "brand_new_field": 1,
            },
        }
    ).encode()
    mismatches: list[Any] = []
    event = parse_webhook(body, on_schema_mismatch=mismatches.append)
    assert event.event_type == "updated" and isinstance(event.data, models.Bom)
    assert event.data.name == "Main board"
    assert [m.location for m in mismatches] == ["data.brand_new_field"]  # kept, and reported
