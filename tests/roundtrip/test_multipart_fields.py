"""A `multipart/form-data` body given no file (or nothing at all) is still sent as multipart,
with a boundary: httpx alone would send fields without files urlencoded, and an empty body
with no content type, both refused by a stub that takes what the spec declares."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from .harness import running
from .test_multipart import SPEC

pytestmark = pytest.mark.slow

OPTIONAL = copy.deepcopy(SPEC)
OPTIONAL["components"]["schemas"]["Upload"]["required"] = ["id"]


def test_fields_without_a_file_go_as_multipart(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    spec: dict[str, Any] = OPTIONAL
    with (
        running(tmp_path, spec, "multipart_fields") as api,
        api.client(http_client=http) as client,
    ):
        created = client.uploads.create_upload(title='a "quoted"\r\nname')
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        found = client.uploads.get_upload(created.id)
        assert found.title == 'a "quoted"\r\nname'

        bare = client.uploads.create_upload()
        assert sent[-1].headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert client.uploads.get_upload(bare.id).title is None
