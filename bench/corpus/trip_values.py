"""Plain JSON the corpus round trip (roundtrip.py) sends and reads: bodies in the media type
a client method takes, records out of envelopes and lists, values compared as text; and
`NotCheckable`, a collection the client cannot read back at all."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any


class NotCheckable(Exception):
    """The client cannot read back the record it made: the create answers no identifier and
    the collection has no list, or its get and list declare no body, or it has no get by an
    identifier and its list answers no array, or its parent cannot be named. Counted apart,
    not as a failure and not as a round trip."""


def media_kind(media: str) -> str | None:
    """A media type as the generator classifies it (`generator.document.media_kind`)."""
    from generator.document import media_kind as kind

    return kind(media)


_PREFERENCE = ("json", "multipart", "form", "text", "binary")


def is_batch(body: Any) -> bool:
    """Whether a create's body is an array of records."""
    return isinstance(body, list) and bool(body) and isinstance(body[0], dict)


def is_json(media: str) -> bool:
    return media_kind(media) == "json"


def client_media(content: Mapping[str, Any]) -> str:
    """The media type the client sends among those declared, as the generator picks it
    (`generator.ir.operations`): by kind, JSON first; only unsupported ones: the first by name,
    sent raw."""
    supported = sorted(
        (m for m in content if media_kind(m) is not None),
        key=lambda m: _PREFERENCE.index(str(media_kind(m))),
    )
    return supported[0] if supported else sorted(content)[0]


def body_annotation(bound: Any) -> str:
    """The annotation of a client method's `body` parameter, as written ("" without one)."""
    import inspect

    param = inspect.signature(bound).parameters.get("body")
    return "" if param is None else str(param.annotation)


def raw(value: Any, media: str) -> bytes:
    """`value` as bytes of `media`: XML for an XML type, else its text or JSON; never empty (a
    required raw body must say something)."""
    if isinstance(value, bytes):
        return value or b"corpus"
    if "xml" in media and isinstance(value, dict):
        return xml("body", value).encode()
    text = value if isinstance(value, str) else json.dumps(value)
    return (text if text not in ("", "null") else "corpus").encode()


def xml(tag: str, value: Any) -> str:
    from xml.sax.saxutils import escape

    if isinstance(value, dict):
        inner = "".join(xml(str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        inner = "".join(xml("member", v) for v in value)
    else:
        inner = escape("" if value is None else str(value))
    return f"<{tag}>{inner}</{tag}>"


def reparented(path: Mapping[str, str], source: Any, op: Any) -> dict[str, str]:
    """`path`, the parent parameters of `source`, named as `op` names them: the same parent
    may be `{id}` on a create and `{id1}` on its collection's get."""
    by_collection = {c: path[name] for c, name in source.parents if name in path}
    out = dict(path)
    out.update({name: by_collection[c] for c, name in op.parents if c in by_collection})
    return out


def enveloped(answer: Mapping[str, Any], id_field: str) -> dict[str, Any] | None:
    """The record inside a create's answer that wraps it in an envelope: the one object
    property holding the identifier, else None."""
    inner = [v for v in answer.values() if isinstance(v, dict) and v.get(id_field) is not None]
    return inner[0] if len(inner) == 1 else None


def parsed(answer: Any) -> Any:
    """A read's answer, when the client parses it: one it returns as raw bytes (an XML API's)
    holds no record the client can name, so the collection is not checkable."""
    if isinstance(answer, bytes | bytearray):
        raise NotCheckable("the read answers raw bytes, which the client does not parse")
    return answer


def plain(value: Any) -> Any:
    if isinstance(value, list):
        return [plain(item) for item in value]
    dump = getattr(value, "model_dump", None)
    return dump(mode="json", by_alias=True) if callable(dump) else value


def records_at(answer: Any, where: tuple[str, ...] | None) -> list[Any]:
    """The records of a list's `answer` (plain JSON) kept `where` (`SpecIndex.list_path`):
    an envelope's array or map, else the answer's array, else its first array property."""
    for name in where or ():
        answer = answer.get(name) if isinstance(answer, dict) else None
    if where is not None and isinstance(answer, dict):
        return [plain(item) for item in answer.values()]
    return [plain(item) for item in items(answer)]


def items(answer: Any) -> Iterator[Any]:
    if isinstance(answer, list):
        yield from answer
        return
    results = getattr(answer, "results", None)
    if isinstance(results, list):
        yield from results
        return
    flat = plain(answer)
    if isinstance(flat, dict):
        for value in flat.values():
            if isinstance(value, list):
                yield from value
                return


def scalars(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if isinstance(v, str | int | bool)}


def matches(item: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(text_of(item.get(k)) == text_of(v) for k, v in wanted.items())


def text_of(value: Any) -> str:
    """A value as text to compare by: a number a model typed `float` reads `1.0` where the
    create's string answered `"1"`; both name record 1."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def path_value(value: Any) -> str:
    """A path parameter's value: the same for every call, never empty."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if text not in ("", "null") else "corpus-scope"


def short(value: Any) -> str:
    return json.dumps(value, default=str)[:120]
