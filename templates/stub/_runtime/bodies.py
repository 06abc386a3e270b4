"""Request bodies: JSON, url-encoded forms and ``multipart/form-data``, decoded and
validated against the operation's body schema.

Multipart is parsed here (a few dozen lines over the stdlib) rather than with
python-multipart, so the stub needs no dependency beyond FastAPI and keeps uploaded bytes
exactly: the delimiter is ``CRLF--boundary``, and everything between two delimiters after
the part's header block is the part's content, byte for byte.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

from .errors import StubError, detail
from .operations import Operation
from .schemas import SchemaTools, coerce_text, drf_errors, request_errors, schema_types


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart body."""

    field: str
    filename: str | None
    content_type: str
    body: bytes


@dataclass
class ParsedBody:
    """A decoded body: ``data`` for validation, ``files`` for multipart uploads."""

    media_type: str
    data: Any
    files: dict[str, UploadedFile] = field(default_factory=dict)


def media_type_of(content_type: str | None) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_param(value: str, header: str, name: str) -> str | None:
    """A parameter of a structured header (quoted strings and RFC 2231 handled)."""
    message = Message()
    message[header] = value
    found = message.get_param(name, header=header)
    if isinstance(found, tuple):
        return str(found[2])
    return None if found is None else str(found)


def parse_json(raw: bytes) -> Any:
    """Decode JSON, answering DRF's 400 ``JSON parse error - ...`` when it is not.

    Like DRF, ``NaN``/``Infinity`` are refused, and so are numbers too large for a float
    (``1e400``), which Python would read as infinity. So are strings that are not valid
    Unicode (lone surrogates), integers of more than 4300 digits and nesting deeper than
    ``MAX_JSON_DEPTH``: the stub could neither store them safely nor send them back as JSON.
    """
    try:
        data = json.loads(
            raw.decode("utf-8"), parse_constant=_no_constants, parse_float=_finite_float
        )
    except (ValueError, RecursionError) as exc:
        reason = str(exc)
        if "integer string conversion" in reason:  # Python's advice is no help to a client
            reason = "an integer has more than 4300 digits"
        raise detail(400, f"JSON parse error - {reason}", code="parse_error") from exc
    problem = _unsafe(data)
    if problem:
        raise detail(400, f"JSON parse error - {problem}", code="parse_error")
    return data


MAX_JSON_DEPTH = 64


def _no_constants(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {text}")
    return value


def _unsafe(data: Any) -> str | None:
    """Why a decoded document cannot be kept, or None."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"nesting deeper than {MAX_JSON_DEPTH} levels"
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return "invalid Unicode in a string"
        elif isinstance(node, dict):
            stack.extend((key, depth + 1) for key in node)
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
    return None


def parse_form(raw: bytes) -> list[tuple[str, str]]:
    """An ``application/x-www-form-urlencoded`` body's pairs, in order."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise detail(400, f"Form parse error - {exc}", code="parse_error") from exc
    return parse_qsl(text, keep_blank_values=True)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _form_fields(
    pairs: list[tuple[str, str]], schema: Any, encoding: Any, tools: SchemaTools
) -> dict[str, str | list[str]]:
    """Form pairs by field, as the encoding object says the client sent them: an array field
    exploded (OpenAPI's default) repeats its name, another joins its items with its style's
    delimiter; any other field keeps its last value."""
    props = tools.properties(schema)
    fields: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if "array" not in schema_types(props.get(name), tools):
            fields[name] = value
            continue
        entry = encoding.get(name) if isinstance(encoding, Mapping) else None
        entry = entry if isinstance(entry, Mapping) else {}
        style = str(entry.get("style", "form"))
        if entry.get("explode", style == "form"):
            listed = fields.setdefault(name, [])
            if isinstance(listed, list):
                listed.append(value)
        else:
            fields[name] = value.split(_DELIMITERS.get(style, ",")) if value else []
    return fields


def parse_multipart(
    raw: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Split a ``multipart/form-data`` body into text fields and files."""
    boundary = header_param(content_type, "content-type", "boundary")
    if not boundary:
        raise _malformed("Invalid boundary in multipart: None")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    chunks = (b"\r\n" + raw).split(delimiter)
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    closed = False
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            closed = True
            break
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise _malformed("a part has no header block")
        headers = _part_headers(head)
        disposition = headers.get("content-disposition", "")
        name = header_param(disposition, "content-disposition", "name")
        if name is None:
            raise _malformed("a part has no name")
        filename = header_param(disposition, "content-disposition", "filename")
        media = media_type_of(headers.get("content-type"))
        if filename is None and (media == "application/json" or media.endswith("+json")):
            try:  # a JSON part (its encoding object's contentType): a value, not a file
                fields[name] = json.dumps(parse_json(content))
            except StubError as exc:
                raise _malformed(f"part {name!r} is not JSON") from exc
        elif filename is not None or media not in ("", "text/plain"):
            files[name] = UploadedFile(
                field=name,
                filename=filename,
                content_type=media_type_of(headers.get("content-type"))
                or "application/octet-stream",
                body=content,
            )
        else:
            try:
                fields[name] = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _malformed(str(exc)) from exc
    if not closed:
        raise _malformed("missing closing boundary")
    return fields, files


def _malformed(reason: str) -> StubError:
    return detail(400, f"Multipart form parse error - {reason}", code="parse_error")


def _part_headers(head: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").split("\r\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise _malformed("malformed part header")
        headers[name.strip().lower()] = value.strip()
    return headers


def read_body(
    op: Operation,
    tools: SchemaTools,
    content_type: str | None,
    raw: bytes,
    errors: dict[str, list[str]],
) -> ParsedBody | None:
    """Decode and validate a request body; field errors go to ``errors``.

    No body where none is required is None. A required body that is empty is validated
    as ``{}``, so DRF's "This field is required." names each missing field (and when the
    schema requires no field, the answer is DRF's "No data provided."; an empty form sent as
    one is the form of no fields). A missing
    ``Content-Type`` is taken as the first declared one (JSON when declared); an
    undeclared one is 415.
    """
    if not op.body_content:
        return None
    if not raw.strip() and not op.body_required:
        return None
    media = media_type_of(content_type)
    accepted = list(op.body_content)
    if not media:
        media = "application/json" if "application/json" in accepted else accepted[0]
    declared = match_media(media, accepted)
    if declared is None:
        message = f'Unsupported media type "{content_type or ""}" in request.'
        raise detail(415, message, code="unsupported_media_type")
    schema = op.body_schema(declared)
    media_object = op.body_content.get(declared)
    encoding = media_object.get("encoding") if isinstance(media_object, Mapping) else None
    parsed = _decode(media, content_type or media, raw, schema, tools, encoding)
    if schema is not None and not isinstance(parsed.data, bytes):
        errors.update(drf_errors(request_errors(tools.errors(parsed.data, schema), tools)))
    empty_form = content_type is not None and media == "application/x-www-form-urlencoded"
    if not raw.strip() and not errors and not empty_form:
        # The spec requires a body; `{}` satisfied the schema but nothing was sent at all. (An
        # empty form, its Content-Type given, is that form's encoding of `{}`: a body.)
        errors["non_field_errors"] = ["No data provided."]
    if isinstance(parsed.data, dict):
        for name in parsed.files:
            parsed.data.pop(name, None)
    return parsed


def _decode(
    media: str,
    content_type: str,
    raw: bytes,
    schema: Any,
    tools: SchemaTools,
    encoding: Any = None,
) -> ParsedBody:
    if media == "application/json" or media.endswith("+json"):
        return ParsedBody(media, parse_json(raw) if raw.strip() else {})
    if media == "multipart/form-data":
        fields, files = parse_multipart(raw, content_type)
        if len(files) == 1 and not fields and schema_types(schema, tools) == {"string"}:
            # a body declared as one file, not an object of parts: the file is the body
            return ParsedBody(media, next(iter(files.values())).body, files)
        return ParsedBody(media, _form_values(fields, files, schema, tools), files)
    if media == "application/x-www-form-urlencoded":
        form = _form_fields(parse_form(raw), schema, encoding, tools)
        return ParsedBody(media, _form_values(form, {}, schema, tools))
    if media == "text/plain" and schema_types(schema, tools) == {"string"}:
        try:
            return ParsedBody(media, raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise detail(400, f"Text parse error - {exc}", code="parse_error") from exc
    return ParsedBody(media, raw)


def _form_values(
    fields: Mapping[str, str | list[str]],
    files: Mapping[str, UploadedFile],
    schema: Any,
    tools: SchemaTools,
) -> dict[str, Any]:
    """Form strings converted to the body schema's types (JSON text for objects and
    arrays); files stand in as their file name so ``required`` checks see them."""
    props = tools.properties(schema)
    data: dict[str, Any] = {}
    for name, text in fields.items():
        prop = props.get(name, {})
        if isinstance(text, list):
            resolved = tools.resolve(prop)
            items = resolved.get("items", {}) if isinstance(resolved, Mapping) else {}
            data[name] = [coerce_text(item, items, tools) for item in text]
            continue
        if schema_types(prop, tools) & {"object", "array"} and text.strip()[:1] in {"{", "["}:
            try:
                data[name] = parse_json(text.encode("utf-8"))
                continue
            except StubError:
                pass
        data[name] = coerce_text(text, prop, tools)
    for name, upload in files.items():
        data[name] = upload.filename or ""
    return data


def match_media(media: str, accepted: list[str]) -> str | None:
    """The declared media type that accepts ``media`` (exact, ``type/*`` or ``*/*``)."""
    for declared in accepted:
        bare = media_type_of(declared)
        if bare == media or bare == "*/*" or (bare.endswith("/*") and media.startswith(bare[:-1])):
            return declared
    return None
