"""Checked by `mypy --strict` (tests/client/test_typing.py), never run: signatures say what
the spec says. A body's required fields are required keyword arguments unless `body=` is
given; a record's read-only `id` that the spec requires is no `| None`; uploads take
`FileTypes`. `# type: ignore[code]` marks an expected error (an unused one fails the check)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import assert_type
from uuid import UUID

from cofactr_platform import (
    APIResponse,
    AsyncAPIResponse,
    AsyncCofactrClient,
    CofactrClient,
    FileTypes,
)
from cofactr_platform.models import Bom, CreateBom, PurchaseOrder, StockDocument


def required_fields(client: CofactrClient) -> None:
    assert_type(client.boms.create_bom(name="BOM"), Bom)
    assert_type(client.boms.create_bom(body=CreateBom(name="BOM")), Bom)
    # the per-request options go with either form
    assert_type(client.boms.create_bom(name="BOM", version="2", timeout=5), Bom)
    assert_type(
        client.boms.create_bom(
            body=CreateBom(name="BOM"),
            extra_headers={"X-Trace": "1"},
            extra_query={"dry_run": "1"},
            extra_body={"note": "n"},
        ),
        Bom,
    )
    client.boms.create_bom()  # type: ignore[call-overload]
    client.boms.create_bom(version="2")  # type: ignore[call-overload]
    client.boms.create_bom(name="BOM", body=CreateBom(name="BOM"))  # type: ignore[call-overload]
    raw = client.boms.with_raw_response.create_bom(name="BOM", timeout=5)
    assert_type(raw, APIResponse[Bom])
    by_body = client.boms.with_raw_response.create_bom(body=CreateBom(name="BOM"))
    assert_type(by_body, APIResponse[Bom])
    with client.boms.with_streaming_response.create_bom(name="BOM") as streamed:
        assert_type(streamed, APIResponse[Bom])


def read_only_ids(client: CofactrClient, po: PurchaseOrder) -> None:
    assert_type(po.id, UUID)
    assert_type(client.purchases.update_purchase_order(po.id, notes="n"), PurchaseOrder)
    fetched = client.purchases.get_purchase_order(po.id)
    if fetched.ship_to is not None:
        assert_type(fetched.ship_to.id, UUID)


def uploads(client: CofactrClient, path: Path) -> None:
    with path.open("rb") as opened:
        files: list[FileTypes] = [
            b"%PDF-1.7",
            bytearray(b"%PDF-1.7"),
            path,
            opened,
            io.BytesIO(b"%PDF-1.7"),
            ("coc.pdf", b"%PDF-1.7"),
            ("coc.pdf", b"%PDF-1.7", "application/pdf"),
            ("coc.pdf", path, None),
        ]
    for file in files:
        doc = client.stock_documents.create_stock_document(
            file=file, name="CoC", document_type="certificate"
        )
        assert_type(doc, StockDocument)
    client.stock_documents.create_stock_document(  # type: ignore[call-overload]
        file="coc.pdf",
        name="CoC",
        document_type="certificate",  # a str is no upload
    )
    client.stock_documents.create_stock_document(  # type: ignore[call-overload]
        name="CoC", document_type="certificate"
    )


async def async_client(client: AsyncCofactrClient, path: Path, po: PurchaseOrder) -> None:
    assert_type(await client.boms.create_bom(name="BOM", timeout=5), Bom)
    assert_type(await client.boms.create_bom(body=CreateBom(name="BOM")), Bom)
    await client.boms.create_bom()  # type: ignore[call-overload]
    raw = await client.boms.with_raw_response.create_bom(name="BOM")
    assert_type(raw, AsyncAPIResponse[Bom])
    await client.purchases.update_purchase_order(po.id)
    doc = await client.stock_documents.create_stock_document(
        file=("coc.pdf", path, "application/pdf"), name="CoC", document_type="certificate"
    )
    assert_type(doc, StockDocument)
