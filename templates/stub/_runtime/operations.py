"""An operation of the spec as the stub reads it: its parameters, body, responses and security
requirement (:class:`Operation`), and which of the media types its bodies and answers declare
is the JSON one the client sends or parses (:func:`json_schema_of`). What the operation does
(its kind, collection, parents) is inferred in ``spec_index``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON_TYPES = ("application/json",)
Security = tuple[tuple[str, ...], ...]
"""A security requirement: alternatives, each the scheme names presented together."""


@dataclass(frozen=True)
class Param:
    """One path, query, header or cookie parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: Any


@dataclass(frozen=True)
class Operation:
    """An operation and what the engine should do for it."""

    operation_id: str
    method: str
    path: str
    kind: str
    collection: str | None
    item_param: str | None
    parents: tuple[tuple[str, str], ...]
    action: str | None
    params: tuple[Param, ...]
    body_required: bool
    body_content: Mapping[str, Any]
    responses: Mapping[str, Any]
    security: Security
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def security_required(self) -> bool:
        """Whether every alternative of the requirement names a scheme."""
        return bool(self.security) and all(self.security)

    def param(self, name: str, location: str) -> Param | None:
        """The parameter called ``name`` in ``location``, if declared."""
        for param in self.params:
            if param.location == location and param.name.lower() == name.lower():
                return param
        return None

    def success_statuses(self) -> list[int]:
        """Declared 2xx statuses, lowest first."""
        codes: list[int] = []
        for key in self.responses:
            text = str(key)
            if text.isdigit() and 200 <= int(text) < 300:
                codes.append(int(text))
        if not codes and any(str(k).upper() == "2XX" for k in self.responses):
            codes.append(200)
        return sorted(codes)

    def success_status(self, preferred: int | None = None) -> int:
        """``preferred`` if declared, else the lowest declared 2xx (200 if none); but where
        ``preferred`` answers a body (not 204) and declares none while another 2xx does,
        that one: Springfox documents every POST with a bare ``201 Created`` beside the
        ``200`` that carries the answer, which the client's method returns."""
        codes = self.success_statuses()
        if preferred is not None and preferred in codes:
            if preferred == 204 or self._has_content(preferred):
                return preferred
            return next((code for code in codes if self._has_content(code)), preferred)
        return codes[0] if codes else (preferred or 200)

    def _has_content(self, status: int) -> bool:
        response = self.response_for(status)
        return isinstance(response, Mapping) and bool(response.get("content"))

    def response_for(self, status: int) -> Mapping[str, Any] | None:
        """The response object for a status: exact, then ``4XX`` style, then default."""
        for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if key in self.responses:
                found = self.responses[key]
                return found if isinstance(found, Mapping) else None
        return None

    def body_schema(self, media_type: str = "application/json") -> Any:
        """The request body schema for a media type, or None."""
        content = self.body_content.get(media_type)
        return content.get("schema") if isinstance(content, Mapping) else None


def requirement(value: Any) -> Security:
    """A ``security`` value as alternatives of scheme names (``[]``: none needed)."""
    if not isinstance(value, list):
        return ()
    return tuple(
        tuple(sorted(str(name) for name in alt)) for alt in value if isinstance(alt, Mapping)
    )


def is_json(media: str) -> bool:
    """Whether a declared media type is JSON, parameters aside, as the client's
    ``media_kind`` reads it: ``application/json``, ``+json`` types and ``*/*``."""
    base = str(media).split(";", 1)[0].strip().lower()
    return base in JSON_TYPES or base.endswith("+json") or base == "*/*"


def json_media_of(response_or_body: Mapping[str, Any]) -> str | None:
    """The JSON media type a response declares, chosen as the client chooses the one it
    parses: the first by name of those that are JSON (``application/json; charset=utf-8``
    too) and no file; None when there is none."""
    content = response_or_body.get("content") or {}
    found = sorted(
        str(m)
        for m in content
        if isinstance(content[m], Mapping) and is_json(str(m)) and not _is_file(content[m])
    )
    return found[0] if found else None


def _is_file(media_object: Mapping[str, Any]) -> bool:
    """A media type object of raw bytes (``type: string, format: binary``): a ``*/*`` answer
    of that schema is a file of any type, not JSON (as the client reads it)."""
    schema = media_object.get("schema")
    return (
        isinstance(schema, Mapping)
        and schema.get("type") == "string"
        and schema.get("format") == "binary"
    )


def json_schema_of(response_or_body: Mapping[str, Any]) -> Any:
    """The JSON schema inside a response/body ``content``, or None."""
    media = json_media_of(response_or_body)
    return None if media is None else response_or_body["content"][media].get("schema")


def media_types(response: Mapping[str, Any] | None) -> list[str]:
    """Media types a response declares."""
    if not response:
        return []
    return [str(m) for m in (response.get("content") or {})]
