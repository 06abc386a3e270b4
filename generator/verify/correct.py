"""The overlay that makes the spec match what `verify` observed.

Fields seen but not declared are added with their observed types; a required field not sent is
no longer required; a type is widened by the observed one (null included); enum values are
added; an undeclared status is declared with the shape of its body. An `absent` operation is
marked `deprecated` with a note, never removed, and nothing not observed is touched. Every
node changed carries `x-provenance: observed`, `x-provenance-source: VERIFY` and
`x-provenance-date`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from ..document import pointer_tokens
from .compare import infer_schema
from .walk import Outcome


def marks(date: str) -> dict[str, str]:
    return {
        "x-provenance": "observed",
        "x-provenance-source": "VERIFY",
        "x-provenance-date": date,
    }


def to_jsonpath(data: Any, ptr: str) -> str:
    """A JSON pointer into `data` as an RFC 9535 normalized path: `$['paths']['/a/']`."""
    parts = ["$"]
    node = data
    for token in pointer_tokens(ptr):
        if isinstance(node, list):
            parts.append(f"[{int(token)}]")
            node = node[int(token)]
        else:
            escaped = token.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
            node = node[token] if isinstance(node, dict) else None
    return "".join(parts)


def _node(data: Any, ptr: str) -> Any:
    node = data
    for token in pointer_tokens(ptr):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _merge(into: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        elif isinstance(into.get(key), list) and isinstance(value, list):
            into[key].extend(v for v in value if v not in into[key])
        else:
            into[key] = value


def _widened(node: dict[str, Any], observed: str, date: str) -> dict[str, Any]:
    """The update that lets `node` take a value of JSON type `observed` too."""
    kind = node.get("type")
    if isinstance(kind, list):
        update: dict[str, Any] = {"type": [observed]}  # an update appends to a list
    elif isinstance(kind, str):
        update = {"type": [kind, observed]}
    elif isinstance(node.get("anyOf"), list):
        update = {"anyOf": [{"type": observed}]}
    elif isinstance(node.get("oneOf"), list):
        update = {"oneOf": [{"type": observed}]}
    else:
        update = {"type": [observed]}
    if observed == "null" and isinstance(node.get("enum"), list):
        update["enum"] = [None]
    return {**update, **marks(date)}


def overlay_for(data: dict[str, Any], outcomes: Sequence[Outcome], date: str) -> dict[str, Any]:
    """The overlay document (a dict) correcting `data` by `outcomes`."""
    updates: dict[str, dict[str, Any]] = {}
    removals: dict[str, None] = {}

    def update(ptr: str, change: dict[str, Any]) -> None:
        _merge(updates.setdefault(ptr, {}), change)

    for outcome in outcomes:
        if outcome.verdict == "absent":
            ptr = "/" + "/".join(
                t.replace("~", "~0").replace("/", "~1")
                for t in ("paths", outcome.path, outcome.method.lower())
            )
            note = (
                f"verify on {date}: {outcome.method} {outcome.path} answered {outcome.status}; "
                "the path or method is a guess the API does not know."
            )
            update(ptr, {"deprecated": True, **marks(date), "x-provenance-note": note})
        for d in outcome.differences:
            if d.kind == "unknown-field":
                field = {**infer_schema(d.sample), **marks(date)}
                update(d.schema, {"properties": {d.name: field}, **marks(date)})
            elif d.kind == "missing-field":
                escaped = d.name.replace("\\", "\\\\").replace("'", "\\'")
                removals[to_jsonpath(data, d.schema) + f"['required'][?@ == '{escaped}']"] = None
                update(d.schema, marks(date))
            elif d.kind in ("wrong-type", "unexpected-null"):
                observed = "null" if d.kind == "unexpected-null" else str(d.observed)
                node = _node(data, d.schema)
                if observed not in _types_of(updates.get(d.schema, {})):
                    update(d.schema, _widened(node, observed, date))
            elif d.kind == "new-enum-value":
                update(d.schema, {"enum": [d.sample], **marks(date)})
            elif d.kind == "undeclared-status":
                response: dict[str, Any] = {
                    "description": f"Observed by verify on {date}.",
                    **marks(date),
                }
                if d.sample is not None:
                    schema = infer_schema(d.sample)
                    response["content"] = {"application/json": {"schema": schema}}
                update(d.schema, {str(d.observed): response})
    actions: list[dict[str, Any]] = [
        {"target": to_jsonpath(data, ptr), "update": updates[ptr]} for ptr in sorted(updates)
    ]
    actions.extend({"target": target, "remove": True} for target in sorted(removals))
    return {
        "overlay": "1.0.0",
        "info": {
            "title": f"Corrections observed by cofactr-codegen verify on {date}",
            "version": date,
        },
        "actions": actions,
    }


def _types_of(update: dict[str, Any]) -> list[str]:
    kind = update.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def overlay_yaml(overlay: dict[str, Any]) -> str:
    header = (
        "# Written by `cofactr-codegen verify --write-overlay`: what the live API answered,\n"
        "# as corrections to the spec. Review it, then pass it to generate with --overlay.\n"
    )
    body = yaml.safe_dump(overlay, sort_keys=False, allow_unicode=True, width=100)
    return header + body
