"""Uploads kept with the record a multipart create made, and sent back as they came: the
first file of the request, its name and media type, served by an item action that answers
binary content."""

from __future__ import annotations

import re

from .bodies import match_media
from .context import Call, Reply
from .operations import json_schema_of
from .store import Blob, Record

# type/subtype as RFC 6838 spells them: what a stored upload's media type must be to be sent.
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


def store_upload(call: Call, record: Record) -> None:
    """Keep the first uploaded file of a multipart create with its record."""
    if not call.files:
        return
    upload = next(iter(call.files.values()))
    call.store.put_blob(
        record.collection,
        record.id,
        Blob(upload.content_type, upload.filename, upload.body),
    )
    props = call.rt.properties(call.item_schema(record.collection))
    record.data.pop(upload.field, None)
    facts = {
        ("filename", "file_name", "original_filename"): upload.filename,
        ("content_type", "mime_type", "media_type"): upload.content_type,
        ("size", "file_size", "size_bytes"): len(upload.body),
    }
    for names, value in facts.items():
        for name in names:
            if name in props and value is not None and name not in record.data:
                record.data[name] = value
    call.store.save(record)


def download(call: Call, record: Record) -> Reply:
    """The uploaded bytes of a record, in the media type they were uploaded with when the
    response declares it (``*/*`` does), else in the first media type it declares."""
    blob = call.store.get_blob(record.collection, record.id)
    status = call.op.success_status(200)
    declared = [str(m) for m in (call.op.response_for(status) or {}).get("content") or {}]
    concrete = [m for m in declared if "*" not in m] or ["application/octet-stream"]
    if blob is None:
        return Reply(status, content=b"", media_type=concrete[0])
    headers = {}
    if blob.filename:
        headers["Content-Disposition"] = f'attachment; filename="{_quoted(blob.filename)}"'
    stored = blob.content_type
    media = stored if _MEDIA_TYPE.fullmatch(stored) and match_media(stored, declared) else None
    return Reply(status, content=blob.body, media_type=media or concrete[0], headers=headers)


def _quoted(name: str) -> str:
    return "".join(ch for ch in name if ch.isprintable() and ch not in '"\\')


def answers_binary(call: Call) -> bool:
    """Whether the operation answers a file (content without a JSON schema)."""
    response = call.op.response_for(call.op.success_status(200)) or {}
    content = response.get("content") or {}
    return bool(content) and json_schema_of(response) is None
