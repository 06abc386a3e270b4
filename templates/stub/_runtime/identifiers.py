"""Which property of a record is its identifier, the value its item path parameter names.

A spec rarely says so outright: ``/pets/{petId}`` answers ``{"petId": 1}``, ``/bundles/{id}``
answers ``{"BundleID": "..."}``, ``/users/{user_id}`` answers ``{"id": "..."}``. The rules,
first match wins (all deterministic: they look at names and schemas, never at data):

1. a property named exactly like an item path parameter (``petId``), on the record, else on
   the body of the collection's create (the client names the record: ``analysisRuleType``
   for ``/analysisRule/{analysisRuleType}``, see ``chosen``);
2. ``id``; else a property of the create's answer named exactly like an item path parameter
   (DocuSign's ``newAccountSummary.accountId`` for ``/accounts/{accountId}``, whose read
   schema shows no identifier at all);
3. a property whose name matches an item path parameter's once case and ``_``/``-`` are
   ignored (``bundle_id`` for ``{bundleId}``, ``ID`` for ``{id}``);
4. ``<resource>Id`` by the same loose match, the resource being the collection's last literal
   segment or its singular (``BundleID``, ``bundle_id`` under ``/bundles/``); else the only
   property whose ``enum`` is an item path parameter's (Apicurio's ``/admin/rules/{rule}``,
   a ``RuleType``, names a ``Rule {config, type}`` by its ``type``, a ``RuleType`` too);
5. the only property marked ``readOnly`` whose name reads as an identifier (``uuid``,
   ``recordId``, ``record_id``: :func:`is_id_like`), else the only such property the schema
   requires, else the only one the create's body does not send (vRNI's data sources: the
   server assigns ``entity_id``, the client sends ``proxy_id``);
6. the only id-like property of the references the collection's list answers: items with
   some of the record's properties and no other (vRNI's ``{"entity_id", "entity_type"}``
   for managers created with the record's own schema, ``entity_id`` and ``proxy_id`` both);
   a list of references names its records by their identifier;
7. ``id`` (the stub then adds it to the records it stores).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .regex_sample import sample
from .schemas import SchemaTools, schema_types

_SEPARATORS = re.compile(r"[_\-.\s]")
_ID_SUFFIX = re.compile(r"(?:[_\-.][iI][dD]|[a-z0-9]I[dD])$")


def loose(name: str) -> str:
    """A name with case and separators ignored: ``Bundle_ID`` -> ``bundleid``."""
    return _SEPARATORS.sub("", name).lower()


def is_id_like(name: str) -> bool:
    """Whether a property's name reads as an identifier: ``id``, ``uuid``, ``petId``,
    ``BundleID``, ``bundle_id`` (not ``paid`` or ``valid``)."""
    return loose(name) in ("id", "uuid") or _ID_SUFFIX.search(name) is not None


def singular(word: str) -> str:
    """An English plural's singular, for the usual endings (``categories`` -> ``category``,
    ``boxes`` -> ``box``, ``pets`` -> ``pet``); other words unchanged."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 3:
        return word[:-3] + ("Y" if word[-3:].isupper() else "y")
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def resource_names(collection: str) -> list[str]:
    """The collection's last literal segment and its singular (``/v1/bundles/`` ->
    ``bundles``, ``bundle``)."""
    literals = [s for s in collection.split("/") if s and s != "{}"]
    if not literals:
        return []
    last = literals[-1]
    return list(dict.fromkeys([last, singular(last)]))


def identifier_field(
    tools: SchemaTools,
    schema: Any,
    collection: str,
    item_params: Iterable[str],
    create_body: Any = None,
    create_answer: Any = None,
    listed: Any = None,
    param_schemas: Iterable[Any] = (),
) -> str:
    """The property of a record of ``collection`` (``schema``) that its item path
    parameters (``item_params``, in the spec's order, of schemas ``param_schemas``) name,
    ``create_body``, ``create_answer`` and ``listed`` being the schemas of the collection's
    create body, of the record its create answers and of the items its list answers; see the
    module's rules."""
    props = tools.properties(schema)
    params = list(dict.fromkeys(item_params))
    sent = tools.properties(create_body)
    for param in [p for p in params if p in props] or [p for p in params if p in sent]:
        return param
    if "id" in props:
        return "id"
    answered = tools.properties(create_answer)
    for param in [p for p in params if p in answered]:
        return param
    by_loose: dict[str, str] = {}
    for name in props:  # the spec's order: the first of two loose twins wins
        by_loose.setdefault(loose(name), name)
    for param in params:
        if loose(param) in by_loose:
            return by_loose[loose(param)]
    for resource in resource_names(collection):
        if loose(resource) + "id" in by_loose:
            return by_loose[loose(resource) + "id"]
    enums = {found for found in (_enum(tools.resolve(p)) for p in param_schemas) if found}
    enumerated = [name for name, prop in props.items() if _enum(tools.resolve(prop)) in enums]
    if len(enumerated) == 1:
        return enumerated[0]
    id_like = [name for name in props if is_id_like(name)]
    read_only = [name for name in id_like if tools.read_only(props[name])]
    if len(read_only) == 1:
        return read_only[0]
    required = tools.required(schema)
    named = [name for name in id_like if name in required]
    if len(named) == 1:
        return named[0]
    unsent = [name for name in id_like if sent and name not in sent]
    if len(unsent) == 1:
        return unsent[0]
    shown = tools.properties(listed)
    if shown and set(shown) < set(props):  # references: some of the record's properties
        referenced = [name for name in id_like if name in shown]
        if len(referenced) == 1:
            return referenced[0]
    return "id"


def _enum(schema: Any) -> frozenset[str] | None:
    """A schema's ``enum`` values as text, None without one."""
    values = schema.get("enum") if isinstance(schema, Mapping) else None
    return frozenset(map(str, values)) if isinstance(values, list) and values else None


def answered_field(tools: SchemaTools, schema: Any, id_field: str, answer: Any) -> str:
    """The property of a record (``schema``) that a create answering a bare value
    (``answer``, a scalar schema) answers: the identifier ``id_field``, unless its schema is of
    another type, or format, than ``answer`` and exactly one other property's is of the same
    (``token`` of ``{"id": int32, "token": uuid}`` for a create answering a uuid)."""
    props = tools.properties(schema)
    wanted = _scalar_kind(tools, answer)
    held = _scalar_kind(tools, props.get(id_field)) if id_field in props else wanted
    if held == wanted or (held[0] == wanted[0] and None in (held[1], wanted[1])):
        return id_field
    same = [n for n, p in props.items() if n != id_field and _scalar_kind(tools, p) == wanted]
    return same[0] if len(same) == 1 else id_field


def _scalar_kind(tools: SchemaTools, schema: Any) -> tuple[frozenset[str], str | None]:
    """A scalar schema's types (``null`` aside) and format."""
    resolved = tools.resolve(schema)
    if not isinstance(resolved, Mapping):
        return frozenset(), None
    fmt = resolved.get("format")
    types = frozenset(schema_types(resolved, tools) - {"null"})
    return types, fmt if isinstance(fmt, str) else None


def fresh_ids(fresh: uuid.UUID, patterns: Iterable[str]) -> Iterator[str]:
    """New identifiers made from one random uuid, most usual first: the uuid itself, 12
    upper-case letters and digits (Cofactr's part ids), its 32 hex digits in either case,
    then for each ``pattern`` a value it matches whose tail is those hex digits
    (``IS`` + 32 hex digits for ``^IS[0-9a-fA-F]{32}$``), then values of the string formats
    a record may be named by (iQualify's users are ``/users/{userEmail}``, an ``email``):
    an address and a ``urn:uuid:`` uri (no ``/`` to cut a path). The caller keeps the first
    that every schema naming the identifier accepts."""
    digits = fresh.hex
    yield from (str(fresh), digits.upper()[:12], digits, digits.upper(), digits[:12])
    for pattern in patterns:
        for stretch in (0, len(digits)):
            base = sample(pattern, stretch)
            if not base:
                continue
            for tail in (digits, digits.upper()):
                for size in range(min(len(base), len(tail)), 0, -1):
                    yield base[: len(base) - size] + tail[:size]
    yield from (f"{digits}@example.com", fresh.urn)


def patterns(tools: SchemaTools, schema: Any, depth: int = 0) -> list[str]:
    """The ``pattern`` of a string schema, and those of its ``anyOf``, ``oneOf`` and
    ``allOf`` members (Lucidtech's ``transitionId`` is one of two patterned strings): the
    shapes a new identifier may take, to try in order."""
    resolved = tools.resolve(schema)
    if not isinstance(resolved, Mapping) or depth > 4:
        return []
    found = [str(resolved["pattern"])] if isinstance(resolved.get("pattern"), str) else []
    for key in ("anyOf", "oneOf", "allOf"):
        members = resolved.get(key)
        for member in members if isinstance(members, list) else ():
            found.extend(p for p in patterns(tools, member, depth + 1) if p not in found)
    return found


def fresh_value(tools: SchemaTools, schema: Any) -> Any:
    """A new value that ``schema`` takes, for a property a create answers alone (a uuid, a
    patterned text, a large integer); None when none of those fits."""
    candidates = fresh_values(uuid.uuid4(), patterns(tools, schema))
    return next((value for value in candidates if tools.is_valid(value, schema)), None)


def fresh_values(fresh: uuid.UUID, patterns: Iterable[str]) -> Iterator[str | int]:
    """``fresh_ids``, then a large integer made from the same uuid: the new values to try, in
    order, for an identifier of any type."""
    yield from fresh_ids(fresh, patterns)
    yield fresh.int % 10**9
