"""Errors of a foreign document come in its own error schema with the reason in it: a
`{code: integer, message: string}` body carries the status and the stub's message, not
`{"code": 0, "message": ""}`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import notes
from .harness import running

pytestmark = pytest.mark.slow

ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "integer", "format": "int32"}, "message": {"type": "string"}},
}


def test_an_error_body_in_the_declared_schema_says_why(tmp_path: Path) -> None:
    spec = notes()
    spec["components"]["schemas"]["Error"] = ERROR
    failure = {
        "description": "failure",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    spec["paths"]["/notes/{id}"]["get"]["responses"]["default"] = failure
    spec["paths"]["/notes"]["post"]["responses"]["default"] = failure
    with running(tmp_path, spec, "error_bodies") as api, api.client() as client:
        with pytest.raises(api.module.NotFoundError) as missing:
            client.notes.get_note("no-such-note")
        assert missing.value.body == {"code": 404, "message": "Not found."}
        assert "Not found." in str(missing.value)

        with pytest.raises(api.module.BadRequestError) as invalid:
            client.notes.create_note(text=5)  # type: ignore[arg-type]
        body = invalid.value.body
        assert body["code"] == 400 and body["message"].startswith("text: ")
