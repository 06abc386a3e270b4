"""The operations of a document as the diff pairs them, each with the names the generated
client gives it (asked of the IR's naming, so the report names what users call)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import HTTP_METHODS
from ..ir.naming import (
    TagNames,
    operation_method_name,
    operation_tag,
    tag_names,
)

JSON_MEDIA = "application/json"


@dataclass(frozen=True)
class SpecOperation:
    """One operation (or webhook) of a document."""

    key: str  # operationId, or "METHOD path" when there is none
    operation_id: str | None
    method: str  # upper case
    path: str  # `webhook <name>` for a webhook
    node: dict[str, Any]
    item: dict[str, Any]
    python_name: str  # the client method
    names: TagNames | None  # the client attribute and classes of its tag; None for webhooks
    webhook: str | None = None  # the webhook's name for webhooks

    @property
    def tag(self) -> str:
        return operation_tag(self.node, self.path)

    @property
    def client_call(self) -> str:
        attribute = self.names.attribute if self.names is not None else "webhooks"
        return f"client.{attribute}.{self.python_name}()"

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True


def spec_operations(doc: dict[str, Any]) -> dict[str, SpecOperation]:
    """Every operation and webhook, keyed by operationId (or `METHOD path`)."""
    names = tag_names(doc)
    found: dict[str, SpecOperation] = {}
    for section, webhook in (("paths", False), ("webhooks", True)):
        for path, item in (doc.get(section) or {}).items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                node = item.get(method)
                if not isinstance(node, dict):
                    continue
                op_id = node.get("operationId")
                op_id = op_id if isinstance(op_id, str) else None
                shown = f"webhook {path}" if webhook else str(path)
                key = op_id or f"{method.upper()} {shown}"
                found[key] = SpecOperation(
                    key=key,
                    operation_id=op_id,
                    method=method.upper(),
                    path=shown,
                    node=node,
                    item=item,
                    python_name=operation_method_name(op_id, method, str(path)),
                    names=None if webhook else names.get(operation_tag(node, str(path))),
                    webhook=str(path) if webhook else None,
                )
    return found


def media_label(media: str) -> str:
    return "" if media == JSON_MEDIA else f" ({media})"


def is_success(status: str) -> bool:
    return status.upper() == "2XX" or (len(status) == 3 and status.startswith("2"))
