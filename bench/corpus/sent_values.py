"""The fields of a create's body the round trip (roundtrip.py) sends, beyond their minimal
values: readOnly ones left out, ones the record holds more strictly made to fit it, and
ones a form cannot send empty given a value. `tools` and `values` are the stub's own
`SchemaTools` and `ValueBuilder`, so what is sent is what the stub would take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def read_only(tools: Any, props: Mapping[str, Any], name: str) -> bool:
    """Whether the property `name` of `props` is marked readOnly (a create leaves it out)."""
    schema = tools.resolve(props.get(name))
    return isinstance(schema, Mapping) and schema.get("readOnly") is True


def as_recorded(
    tools: Any,
    values: Any,
    held: Mapping[str, Any],
    value: dict[str, Any],
    sent: Mapping[str, Any],
) -> dict[str, Any]:
    """`value` with each field the record's properties (`held`) hold more strictly than
    the body's (`sent`) given the record's minimal value, where the body takes it too:
    iQualify's `OfferingUser.email` is any text, the listed `OfferingUserResponse.email` an
    `email`, so `"x"` would be sent, shown as null, and the record not found by it."""
    out = dict(value)
    for name, item in value.items():
        if name not in held or tools.is_valid(item, held[name]):
            continue
        better = values.minimal(held[name])
        if tools.is_valid(better, held[name]) and tools.is_valid(better, sent.get(name, {})):
            out[name] = better
    return out


def form_fields(
    tools: Any, values: Any, value: dict[str, Any], props: Mapping[str, Any]
) -> dict[str, Any]:
    """A form cannot send an empty list or a null (the field is simply absent): a required
    list gets one item, a required untyped field (Twilio Sync's `Data`, "a JSON string") a
    short text where its schema takes one."""
    out = dict(value)
    for name, item in value.items():
        if item == []:
            items = (tools.resolve(props.get(name)) or {}).get("items", {})
            out[name] = [values.minimal(items)]
        elif item is None and tools.is_valid("x", props.get(name, {})):
            out[name] = "x"
    return out
