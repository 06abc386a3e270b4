"""Turning call arguments into URL paths, query strings, headers and bodies.

Path parameters are the dangerous part: an id such as ``../x`` or ``a/b`` must address a
record, never another endpoint. Each value is percent-encoded with ``safe=""`` (so ``/``,
``?``, ``#`` and ``%`` are escaped), and a value made only of dots is written ``%2E``: httpx
(like any RFC 3986 client) removes literal ``.``/``..`` segments, but keeps encoded ones.
Empty values are refused, because ``/boms//`` may be normalised to ``/boms/`` by a server.
"""

from __future__ import annotations

import datetime as _dt
import enum
import io
import json as _json
import os
import re
import uuid
from collections.abc import Mapping
from typing import IO, Any, TypeAlias, overload
from urllib.parse import quote, urlencode

from pydantic import BaseModel, TypeAdapter

from ._files import FileTypes, file_part, is_file
from ._sentinel import NOT_GIVEN, NotGiven

__all__ = [
    "FileContent",
    "FileTypes",
    "build_body",
    "build_multipart",
    "build_path",
    "cookie_header",
    "encode_form",
    "encode_headers",
    "encode_json",
    "encode_multipart",
    "encode_multipart_fields",
    "encode_query",
    "encode_text",
]

FileContent: TypeAlias = IO[bytes] | bytes | bytearray
"""A raw binary request body: bytes or a binary file object (uploads: ``FileTypes``)."""

SINGLE_FILE_PART = "file"
"""The part a multipart body declared as one file (no object of parts) is sent as."""

_ANY: TypeAdapter[Any] = TypeAdapter(Any)
_PARAM = re.compile(r"\{([^{}]+)\}")
_templates: dict[str, tuple[list[str], list[str]]] = {}


def _split_template(template: str) -> tuple[list[str], list[str]]:
    """``"/a/{x}/b/"`` -> (``["/a/", "/b/"]``, ``["x"]``), cached per template."""
    parsed = _templates.get(template)
    if parsed is None:
        pieces = _PARAM.split(template)
        parsed = (pieces[0::2], pieces[1::2])
        if len(_templates) < 4096:  # generated code uses a fixed set of templates
            _templates[template] = parsed
    return parsed


def _path_segment(name: str, value: object) -> str:
    if value is None or isinstance(value, NotGiven):
        raise ValueError(f"path parameter {name!r} is required, got {value!r}")
    if isinstance(value, enum.Enum):
        value = value.value
    text = quote(str(value), safe="")
    if not text:
        raise ValueError(f"path parameter {name!r} must not be empty")
    if text in (".", ".."):  # a dot-segment: clients and servers would resolve it
        text = text.replace(".", "%2E")
    return text


def build_path(template: str, params: Mapping[str, object] | None) -> str:
    """Fill ``{name}`` placeholders with percent-encoded ``params``; the rest is kept as is."""
    literals, names = _split_template(template)
    if not names:
        if params:
            raise ValueError(
                f"{template!r} takes no path parameters, got {sorted(params)}"
            )
        return template
    if params is None:
        raise ValueError(f"missing path parameters for {template!r}: {names}")
    parts = [literals[0]]
    for name, literal in zip(names, literals[1:], strict=True):
        try:
            value = params[name]
        except KeyError:
            raise ValueError(
                f"missing path parameter {name!r} for {template!r}"
            ) from None
        parts.append(_path_segment(name, value))
        parts.append(literal)
    if len(params) != len(names):
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise ValueError(f"unknown path parameters for {template!r}: {unknown}")
    return "".join(parts)


def _query_value(value: object) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, enum.Enum):
        return _query_value(value.value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [
            _query_value(v)
            for v in value
            if v is not None and not isinstance(v, NotGiven)
        ]
    return str(value)


def encode_query(
    query: Mapping[str, object] | None, defaults: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """Query parameters for httpx: ``None``/``NOT_GIVEN`` dropped, booleans as true/false.

    ``defaults`` (the client's ``org_id``) fill in names the call did not give a value for.
    """
    if not query:
        return dict(defaults) if defaults else None
    params: dict[str, Any] = {}
    for key, value in query.items():
        if value is None or isinstance(value, NotGiven):
            continue
        params[key] = _query_value(value)
    if defaults:
        for key, value in defaults.items():
            params.setdefault(key, value)
    # None, not {}: httpx parses the whole URL again to merge even an empty dict of params.
    return params or None


def _text(value: object) -> str:
    """A header or cookie value as text: booleans as JSON spells them, enums by value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def encode_headers(headers: Mapping[str, object] | None) -> dict[str, str] | None:
    """Per-call headers as strings, ``None``/``NOT_GIVEN`` dropped."""
    if not headers:
        return None
    out: dict[str, str] = {}
    for key, value in headers.items():
        if value is None or isinstance(value, NotGiven):
            continue
        out[key] = _text(value)
    return out or None


# RFC 6265 cookie-octet: printable ASCII but space, '"', ',', ';' and '\\'. Anything else is
# percent-encoded, so a value can never end its cookie early or smuggle in another one.
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def cookie_header(cookies: Mapping[str, object]) -> str | None:
    """The ``Cookie`` header for an operation's cookie parameters (``None``/``NOT_GIVEN``
    dropped; ``None`` when none is left). Values are percent-encoded; a list is sent in
    OpenAPI's default cookie style (``form``, not exploded): its items joined by commas."""
    pairs = []
    for name, value in cookies.items():
        if value is None or isinstance(value, NotGiven):
            continue
        items = value if isinstance(value, list | tuple) else [value]
        text = ",".join(quote(_text(item), safe=_COOKIE_SAFE) for item in items)
        pairs.append(f"{name}={text}")
    return "; ".join(pairs) or None


def encode_json(body: object) -> object:
    """``body`` as JSON-ready data; models are dumped without the fields left unset.

    ``exclude_unset`` is what makes a PATCH partial: only fields the caller set are sent,
    and a field explicitly set to ``None`` is sent as ``null``.
    """
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if body is None or isinstance(body, str | int | float | bool):
        return body
    if isinstance(body, Mapping):
        return {
            str(k): encode_json(v)
            for k, v in body.items()
            if not isinstance(v, NotGiven)
        }
    if isinstance(body, list | tuple):
        return [encode_json(v) for v in body]
    return _ANY.dump_python(body, mode="json")  # UUID, datetime, Enum, Decimal, ...


def _form_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _form_value(value.value)
    if isinstance(value, BaseModel | Mapping | list):
        return _json.dumps(encode_json(value), separators=(",", ":"))
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(value)


def encode_multipart(
    fields: Mapping[str, object],
) -> tuple[dict[str, str | list[str]], dict[str, Any]]:
    """Split a multipart mapping into httpx ``data`` (form fields) and ``files``.

    File values are any ``FileTypes`` (``_files``), sent with their file name and media
    type; ``None``/``NOT_GIVEN`` are dropped; a list of scalars is sent as a repeated field
    and other structured values as JSON text.
    """
    data: dict[str, str | list[str]] = {}
    files: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None or isinstance(value, NotGiven):
            continue
        if is_file(value):
            files[key] = file_part(value)
        elif isinstance(value, list) and all(
            isinstance(v, str | int | float) for v in value
        ):
            data[key] = [
                _form_value(v) for v in value
            ]  # repeated field, as HTML forms do
        else:
            data[key] = _form_value(value)
    return data, files


def encode_multipart_fields(data: Mapping[str, str | list[str]]) -> tuple[bytes, str]:
    """Form fields without any file as a ``multipart/form-data`` body, and its content type.

    httpx sends fields alone urlencoded (and nothing at all, with no content type, when there
    are none), where the spec declared multipart: so they are encoded here, as httpx encodes
    a field part (a name's quotes and line breaks percent-escaped)."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for key, value in data.items():
        name = (
            key.replace("\\", "\\\\")
            .replace('"', "%22")
            .replace("\r", "%0D")
            .replace("\n", "%0A")
        )
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        for one in value if isinstance(value, list) else [value]:
            out += head.encode() + one.encode("utf-8") + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def encode_form(
    fields: Mapping[str, object],
    encoding: Mapping[str, tuple[str, bool]] | None = None,
    *,
    required: bool = True,
) -> bytes | NotGiven:
    """An ``application/x-www-form-urlencoded`` body, each field in its encoding object's
    ``style`` and ``explode`` (``encoding``: wire name -> both; OpenAPI's default, ``form``
    exploded, for the others): an exploded list repeats its name, another is joined by its
    style's delimiter; an object is sent as its properties (``deepObject``: ``name[key]``),
    or, not exploded, as ``key,value,...`` pairs. An optional body with nothing in it is
    not sent."""
    if not required and not _given(fields):
        return NOT_GIVEN
    pairs: list[tuple[str, str]] = []
    for name, value in fields.items():
        if value is None or isinstance(value, NotGiven):
            continue
        style, explode = (encoding or {}).get(name, ("form", True))
        data = encode_json(value)
        if isinstance(data, list):
            items = [_form_value(item) for item in data]
            if explode:
                pairs.extend((name, item) for item in items)
            else:
                pairs.append((name, _DELIMITERS.get(style, ",").join(items)))
        elif isinstance(data, dict):
            if style == "deepObject":
                pairs.extend((f"{name}[{k}]", _form_value(v)) for k, v in data.items())
            elif explode:
                pairs.extend((str(k), _form_value(v)) for k, v in data.items())
            else:
                flat = [text for k, v in data.items() for text in (str(k), _form_value(v))]
                pairs.append((name, ",".join(flat)))
        else:
            pairs.append((name, _form_value(value)))
    return urlencode(pairs).encode("ascii")


def encode_text(body: str | NotGiven) -> bytes | NotGiven:
    """A ``text/plain`` body, UTF-8."""
    return body if isinstance(body, NotGiven) else body.encode("utf-8")


def _given(fields: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in fields.items() if not isinstance(v, NotGiven)}


def _split_body_args(args: tuple[object, ...]) -> tuple[object, Mapping[str, object]]:
    if len(args) == 3:  # (model, body, fields): the model only documents the shape
        args = args[1:]
    if len(args) != 2 or not isinstance(args[1], Mapping):
        raise TypeError("expected ([model,] body, fields)")
    return args[0], args[1]


@overload
def build_body(
    model: type[BaseModel],
    body: object,
    fields: Mapping[str, object],
    /,
    *,
    required: bool = ...,
) -> object: ...
@overload
def build_body(
    body: object, fields: Mapping[str, object], /, *, required: bool = ...
) -> object: ...
def build_body(*args: object, required: bool = True) -> object:
    """The JSON body of a generated method: its ``body`` argument or its field keywords.

    Generated methods accept either a whole body (a model, a list, plain data) or the
    body's fields as keyword arguments (``fields`` maps wire names to values, ``NOT_GIVEN``
    for the ones not passed). Keyword fields are sent as given, without client-side
    validation, so a schema that guessed a type wrong cannot block a valid request. An
    optional body given nothing is not sent (no ``{}``).
    """
    body, fields = _split_body_args(args)
    given = _given(fields)
    if isinstance(body, NotGiven) and not given and not required:
        return NOT_GIVEN
    if not isinstance(body, NotGiven):
        if given:
            raise TypeError(
                f"pass either body= or field arguments, not both: {sorted(given)}"
            )
        return body
    return given


@overload
def build_multipart(
    model: type[BaseModel],
    body: object,
    fields: Mapping[str, object],
    /,
    *,
    content_types: Mapping[str, str] | None = ...,
) -> dict[str, object]: ...
@overload
def build_multipart(
    body: object,
    fields: Mapping[str, object],
    /,
    *,
    content_types: Mapping[str, str] | None = ...,
) -> dict[str, object]: ...
def build_multipart(
    *args: object, content_types: Mapping[str, str] | None = None
) -> dict[str, object]:
    """The ``multipart`` mapping of a generated upload method (see ``build_body``).

    A model ``body`` is turned into its set fields (by alias) with file values untouched.
    ``content_types`` (part -> the ``contentType`` of its encoding object) sends those parts
    with that ``Content-Type``: JSON types as JSON, other values as text or bytes.
    """
    body, fields = _split_body_args(args)
    given = _given(fields)
    if isinstance(body, NotGiven):
        parts = given
    elif given:
        raise TypeError(
            f"pass either body= or field arguments, not both: {sorted(given)}"
        )
    elif isinstance(body, BaseModel):
        parts = {
            (info.alias or name): getattr(body, name)
            for name, info in type(body).model_fields.items()
            if name in body.model_fields_set
        }
    elif isinstance(body, Mapping):
        parts = _given(body)
    elif is_file(body):  # the spec's multipart body is one file, not an object: its part
        parts = {SINGLE_FILE_PART: body}
    else:
        raise TypeError(
            f"a multipart body must be a model or a mapping, got {type(body).__name__}"
        )
    for name, media in (content_types or {}).items():
        value = parts.get(name)
        if value is not None and not isinstance(value, tuple | io.IOBase | os.PathLike):
            parts[name] = (None, _part_bytes(value, media), media)
    return parts


def _part_bytes(value: object, media: str) -> bytes:
    """One part's content in its media type: JSON for JSON types, else text or bytes."""
    bare = media.split(";", 1)[0].strip().lower()
    if bare == "application/json" or bare.endswith("+json"):
        return _json.dumps(encode_json(value), separators=(",", ":")).encode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return _form_value(value).encode("utf-8")
