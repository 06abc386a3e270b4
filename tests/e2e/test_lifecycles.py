"""A full lifecycle for every tag of the spec, through the generated client, against the
generated stub running as a real uvicorn process on loopback with a SQLite file."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from .server import KEY_A, KEY_A_ID, USER_A, StubProcess

pytestmark = pytest.mark.slow


def test_boms(client: Any) -> None:
    from cofactr_platform import NotFoundError

    bom = client.boms.create_bom(name="Main board", version="A")
    assert bom.approved is False  # the request schema's default, applied by the server
    assert client.boms.get_bom(bom.id).name == "Main board"
    updated = client.boms.update_bom(bom.id, part_number="PCB-001")
    assert updated.part_number == "PCB-001" and updated.version == "A"  # PATCH keeps the rest
    assert bom.id in {b.id for b in client.boms.list_boms()}

    line = client.boms.create_bom_line(bom.id, part_id="IM60640MOX6H", quantity=2)
    again = client.boms.create_bom_line(bom.id, part_id="IM60640MOX6H", quantity=3)
    assert again.id == line.id and again.quantity == 5  # the docs: quantities are summed
    raw = client.boms.parse_raw_bom_line(
        bom.id, mpn="LM358", reference_designators_string="U1", quantity=1
    )
    raw_again = client.boms.parse_raw_bom_line(
        bom.id, mpn="LM358", reference_designators_string="U1", quantity=4
    )
    assert raw_again.id == raw.id and raw_again.quantity == 5
    assert client.boms.get_bom_line(bom.id, line.id).quantity == 5
    assert client.boms.update_bom_line(bom.id, line.id, quantity=7).quantity == 7
    assert {ln.id for ln in client.boms.list_bom_lines(bom.id)} == {line.id, raw.id}
    client.boms.delete_bom_line(bom.id, raw.id)
    with pytest.raises(NotFoundError):
        client.boms.get_bom_line(bom.id, raw.id)

    approved = client.boms.approve_bom(bom.id)
    assert approved.approved is True and approved.approved_at is not None
    client.boms.delete_bom(bom.id)  # approved: archived, not deleted
    archived = client.boms.get_bom(bom.id)
    assert archived.archived is True and archived.archived_at is not None

    draft = client.boms.create_bom(name="Draft")
    client.boms.delete_bom(draft.id)  # unapproved: really deleted
    with pytest.raises(NotFoundError):
        client.boms.get_bom(draft.id)

    from_raw = client.boms.parse_raw_bom(
        name="Imported",
        raw_lines=[{"mpn": "NE555", "quantity": 2, "reference_designators_string": "U2"}],
    )
    assert [ln.mpn for ln in client.boms.list_bom_lines(from_raw.id)] == ["NE555"]

    job = client.boms.upsert_bom_async(name="Upserted", integration_record_id="erp-1")
    done = client.async_jobs.wait(job.id, timeout=10)
    assert done.status == "succeeded" and done.result is not None


def test_programs(client: Any) -> None:
    bom = client.boms.create_bom(name="For program")
    program = client.programs.create_program(name="Q3 build")
    assert client.programs.get_program(program.id).name == "Q3 build"
    assert client.programs.update_program(program.id, name="Q4 build").name == "Q4 build"
    assert program.id in {p.id for p in client.programs.list_programs()}
    line = client.programs.create_program_line(program.id, bom_id=bom.id, quantity=100)
    assert client.programs.get_program_line(program.id, line.id).quantity == 100
    assert client.programs.update_program_line(program.id, line.id, quantity=50).quantity == 50
    assert [ln.id for ln in client.programs.list_program_lines(program.id)] == [line.id]
    override = client.programs.create_program_part_override(program.id, part_id="ABC123")
    assert client.programs.get_program_part_override(program.id, override.id).part_id == "ABC123"
    client.programs.update_program_part_override(program.id, override.id, do_not_purchase=True)
    overrides = list(client.programs.list_program_part_overrides(program.id))
    assert [(o.part_id, o.do_not_purchase) for o in overrides] == [("ABC123", True)]
    client.programs.get_program_availabilities(program.id)
    client.programs.get_program_reference_pricing(program.id)
    job = client.programs.get_program_availabilities_async(program.id)
    assert client.async_jobs.get_async_job_status(job.id).status == "succeeded"
    client.programs.delete_program_part_override(program.id, override.id)
    client.programs.delete_program_line(program.id, line.id)
    client.programs.delete_program(program.id)
    assert program.id not in {p.id for p in client.programs.list_programs()}


def test_account(client: Any) -> None:
    org = client.account.get_org()
    sub = client.account.create_sub_org(name="Sandbox 2")
    assert client.account.get_sub_org(sub.id).name == "Sandbox 2"
    assert client.account.update_sub_org(sub.id, name="Sandbox II").name == "Sandbox II"
    assert sub.id in {s.id for s in client.account.list_sub_orgs()}
    assert str(org.id) != str(sub.id)
    users = list(client.account.list_users())
    assert USER_A in {str(u.id) for u in users}
    assert client.account.get_user(USER_A).email == "buyer@acme.example"


def test_reporting_email_auth(client: Any) -> None:
    client.tags.create_tag(name="reporting-probe")
    result = client.reporting.run_customer_sql_query(query="SELECT count(*) AS n FROM tags")
    assert result.columns == ["n"] and result.rows[0][0] >= 1
    email = client.email.create_outbound_email(
        to_emails=["supplier@example.com"], subject="PO 42", body_="Please confirm."
    )
    sent = client.email.mark_outbound_email_sent(email.id)
    assert client.email.get_outbound_email(email.id).sent_at is not None and sent.id == email.id
    key = client.auth.update_api_key(KEY_A_ID, name="ci (renamed)")
    assert key.name == "ci (renamed)"


def test_stock_documents_and_lots(client: Any, stub: StubProcess) -> None:
    content = b"%PDF-1.7\n\x00\xffcertificate of conformance"
    doc = client.stock_documents.create_stock_document(
        file=("coc.pdf", content, "application/pdf"), name="CoC", document_type="certificate"
    )
    assert client.stock_documents.get_stock_document(doc.id).name == "CoC"
    assert client.stock_documents.download_stock_document(doc.id) == content
    # sent as uploaded: the spec declares the stored media type (`*/*`) besides octet-stream
    raw = httpx.get(
        f"{stub.url}/v1/stock_documents/{doc.id}/download/",
        headers={"Authorization": f"Api-Key {KEY_A}"},
    )
    assert raw.headers["content-type"] == "application/pdf" and raw.content == content
    assert doc.id in {d.id for d in client.stock_documents.list_stock_documents()}
    lot = client.stock_lots.upsert_part_stock(
        part_id="IM60640MOX6H", stock_location_id=str(uuid.uuid4()), quantity=10
    )
    assert client.stock_lots.update_stock_lot(lot.id, quantity=8).quantity == 8


def test_suppliers_parts_purchases(client: Any) -> None:
    supplier = client.suppliers.create_supplier(name="Digi-Key")
    assert client.suppliers.update_supplier(supplier.id, name="DigiKey").name == "DigiKey"
    assert client.suppliers.get_supplier(supplier.id).name == "DigiKey"
    assert supplier.id in {s.id for s in client.suppliers.list_suppliers()}

    job = client.parts.create_parts_async(body=[{"mpn": "LM358"}])
    assert client.async_jobs.get_async_job_status(job.id).status == "succeeded"
    client.parts.upsert_parts_async(body=[{"mpn": "LM358", "description": "op-amp"}])

    po = client.purchases.create_purchase_order(supplier_id=supplier.id)
    assert client.purchases.get_purchase_order(po.id).id == po.id
    approved = client.purchases.update_purchase_order(po.id, approved=True, notes="ok")
    assert approved.approved_at is not None and approved.notes == "ok"  # set by the server
    line = client.purchases.create_purchase_line(po.id, part_id="IM60640MOX6H", quantity=5)
    assert client.purchases.get_purchase_line(po.id, line.id).quantity == 5
    client.purchases.update_purchase_lines(po.id, body=[{"id": str(line.id), "quantity": 6}])
    assert [ln.quantity for ln in client.purchases.list_purchase_lines(po.id)] == [6]
    nopart = client.purchases.create_nopart_purchase_line(po.id, description="Freight", quantity=1)
    client.purchases.update_nopart_purchase_lines(
        po.id, body=[{"id": str(nopart.id), "quantity": 2}]
    )
    assert [ln.quantity for ln in client.purchases.list_nopart_purchase_lines(po.id)] == [2]
    client.purchases.create_purchase_event(po.id, event_type="shipped")
    bill = client.purchases.create_supplier_bill(supplier_id=supplier.id, bill_number="INV-1")
    bill_line = client.purchases.create_supplier_bill_line(bill.id, quantity=5, unit_price="1.25")
    client.purchases.update_supplier_bill_line(bill.id, bill_line.id, quantity=4)
    client.purchases.update_supplier_bill(bill.id, bill_number="INV-1b")
    client.purchases.delete_nopart_purchase_line(po.id, nopart.id)
    client.purchases.delete_purchase_line(po.id, line.id)
    client.purchases.delete_purchase_order(po.id)


def test_teams_properties_tags(client: Any) -> None:
    team_type = client.teams.create_team_type(name="Assembly")
    assert client.teams.update_team_type(team_type.id, name="SMT").name == "SMT"
    assert client.teams.get_team_type(team_type.id).name == "SMT"
    team = client.teams.create_team(name="Line 1")
    assert client.teams.archive_team(team.id).archived is True
    assert client.teams.unarchive_team(team.id).archived is False
    assert client.teams.update_team(team.id, name="Line 2").name == "Line 2"
    assert client.teams.get_team(team.id).name == "Line 2"
    assert team.id in {t.id for t in client.teams.list_teams()}
    assert team_type.id in {t.id for t in client.teams.list_team_types()}
    client.teams.delete_team(team.id)
    client.teams.delete_team_type(team_type.id)

    prop = client.custom_properties.create_custom_property(
        name="Risk", key="risk", record_type="bom", value_type="select"
    )
    client.custom_properties.update_custom_property(prop.id, name="Supply risk")
    assert client.custom_properties.get_custom_property(prop.id).name == "Supply risk"
    assert prop.id in {p.id for p in client.custom_properties.list_custom_properties()}

    tag = client.tags.create_tag(name="urgent")
    assert client.tags.update_tag(tag.id, name="very urgent").name == "very urgent"
    assert client.tags.get_tag(tag.id).name == "very urgent"
    assert tag.id in {t.id for t in client.tags.list_tags()}


def test_rfqs_and_quotes(client: Any) -> None:
    rfq = client.rfqs.create_rfq(name="RFQ Q3")
    assert client.rfqs.update_rfq(rfq.id, name="RFQ Q3 v2").name == "RFQ Q3 v2"
    rfq_line = client.rfq_lines.create_rfq_line(rfq_id=rfq.id, part_id="LM358", quantity=1000)
    assert client.rfq_lines.update_rfq_line(rfq_line.id, quantity=2000).quantity == 2000
    supplier = client.suppliers.create_supplier(name="Mouser")
    quote = client.supplier_quote.create_supplier_quote(supplier_id=supplier.id)
    client.supplier_quote.update_supplier_quote(quote.id, notes="valid 30 days")
    quote_line = client.supplier_quote_lines.create_supplier_quote_line(
        supplier_quote_id=quote.id, part_id="LM358", quantity=1000, unit_price="0.12"
    )
    updated = client.supplier_quote_lines.update_supplier_quote_line(
        quote_line.id, unit_price="0.11"
    )
    assert updated.unit_price == "0.11"
