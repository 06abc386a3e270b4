"""Uploads through the generated client against the real stub process, sync and async: each
`FileTypes` form reaches the server as a file part with its file name and media type (read
back from the download, which the stub answers with both as they were uploaded)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from .server import KEY_A, StubProcess

pytestmark = pytest.mark.slow

CONTENT = b"%PDF-1.7\n\x00\xff certificate of conformance"


def arrived(client: Any, document_id: object) -> tuple[str, str, bytes]:
    """(Content-Disposition, Content-Type, body) of a stored document's download."""
    raw = client.stock_documents.with_raw_response.download_stock_document(document_id)
    return raw.headers.get("content-disposition", ""), raw.headers["content-type"], raw.read()


def uploads(tmp_path: Path) -> list[tuple[object, str, str]]:
    """(the `file=` argument, the file name and media type the server must see)."""
    path = tmp_path / "scan.png"
    path.write_bytes(CONTENT)
    return [
        (("coc.pdf", CONTENT, "application/pdf"), "coc.pdf", "application/pdf"),
        (("label.bin", CONTENT, "image/tiff"), "label.bin", "image/tiff"),
        (path, "scan.png", "image/png"),  # the name of a path, the type guessed from it
        (("renamed.zip", path), "renamed.zip", "application/zip"),
    ]


def test_uploads_arrive_with_name_and_media_type(
    client: Any, stub: StubProcess, tmp_path: Path
) -> None:
    for file, name, media in uploads(tmp_path):
        doc = client.stock_documents.create_stock_document(
            file=file, name="CoC", document_type="certificate"
        )
        disposition, content_type, body = arrived(client, doc.id)
        assert (disposition, content_type, body) == (
            f'attachment; filename="{name}"',
            media,
            CONTENT,
        ), file


def test_async_uploads_arrive_with_name_and_media_type(stub: StubProcess, tmp_path: Path) -> None:
    from cofactr_platform import AsyncCofactrClient

    async def scenario() -> list[tuple[str, str, bytes]]:
        found = []
        async with AsyncCofactrClient(api_key=KEY_A, base_url=stub.url, max_retries=0) as client:
            for file, _, _ in uploads(tmp_path):
                doc = await client.stock_documents.create_stock_document(
                    file=file, name="CoC", document_type="certificate"
                )
                raw = await client.stock_documents.with_raw_response.download_stock_document(doc.id)
                found.append(
                    (
                        raw.headers.get("content-disposition", ""),
                        raw.headers["content-type"],
                        await raw.read(),
                    )
                )
        return found

    expected = [
        (f'attachment; filename="{name}"', media, CONTENT) for _, name, media in uploads(tmp_path)
    ]
    assert asyncio.run(scenario()) == expected
