"""The API change report: what changed between two versions of a spec, for a client user.

    python -m generator diff OLD_SPEC NEW_SPEC [--format markdown|json] [--fail-on-breaking]
    python -m generator diff --base GIT_REV [SPEC]        # SPEC at GIT_REV against the working copy

Operations are matched by `operationId`, which names the generated client's method. When an
operationId disappears while another appears on the same method and path, the operation was
renamed (`operation-id-changed`). Within a matched pair the parameters, the request body and
the success responses are compared structurally: `$ref`s resolved (recursion guarded), `allOf`
merged, `oneOf`/`anyOf` branches matched by `$ref` name or type (best effort), always with the
direction in mind. A request is what the client sends, so narrowing it breaks callers; a
response is what the client reads, so widening it breaks readers.

Every finding is a `Change` naming a check of `CHECKS`, the one table of check ids with their
level (ERR = breaking, WARN = may break, INFO = safe) and the semantic-version bump they call
for. Ids are oasdiff's where oasdiff has the check. Levels differ from oasdiff's where the
generated client turns a wire-compatible change into a source-incompatible one: removing a
keyword argument, a model attribute, an enum member or a model class breaks code that names
it. docs/diff.md lists the checks and compares the verdicts with openapi-diff.

Exit codes: 0 report written; 1 with `--fail-on-breaking` when an ERR change was found;
2 bad input (unreadable or invalid spec, unknown git revision).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, SpecError
from .load import LoadedSpec, load_spec, parse_spec
from .names import class_name, python_identifier

ERR, WARN, INFO = "ERR", "WARN", "INFO"
LEVEL_NAMES = {ERR: "Breaking changes", WARN: "Warnings", INFO: "Other changes"}
_LEVEL_RANK = {ERR: 0, WARN: 1, INFO: 2}
BUMPS = ("none", "patch", "minor", "major")
REQUEST, RESPONSE = "request", "response"
DEFAULT_SPEC = Path("spec/cofactr-platform.yaml")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_MEDIA = "application/json"


# ---------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """One kind of change: its id, how bad it is, and the version bump it calls for."""

    id: str
    level: str
    bump: str
    description: str
    oasdiff: str = ""  # oasdiff's level for the same id; "" when the id is ours


def _checks(*rows: tuple[str, str, str, str, str]) -> dict[str, Check]:
    return {row[0]: Check(*row) for row in rows}


# id, level, bump, description, oasdiff level ("" = no such oasdiff check)
CHECKS: dict[str, Check] = _checks(
    # -- operations
    ("endpoint-added", INFO, "minor", "an operation was added", INFO),
    (
        "api-removed-without-deprecation",
        ERR,
        "major",
        "an operation was removed (its path remains) without being deprecated first",
        ERR,
    ),
    (
        "api-removed-with-deprecation",
        INFO,
        "major",
        "a deprecated operation was removed (its path remains); the client still loses a method",
        INFO,
    ),
    (
        "api-path-removed-without-deprecation",
        ERR,
        "major",
        "a path and its operation were removed without being deprecated first",
        ERR,
    ),
    (
        "api-path-removed-with-deprecation",
        INFO,
        "major",
        "a deprecated operation was removed with its path; the client still loses a method",
        INFO,
    ),
    (
        "operation-id-changed",
        ERR,
        "major",
        "same method and path, new operationId: the generated client method is renamed",
        "",
    ),
    (
        "operation-id-spelling-changed",
        INFO,
        "patch",
        "the operationId changed but the generated method name did not",
        "",
    ),
    (
        "api-tag-changed",
        ERR,
        "major",
        "the operation's (first) tag changed: it moves to another client resource attribute",
        "",
    ),
    (
        "api-tag-spelling-changed",
        INFO,
        "patch",
        "the operation's tag changed but the generated resource names did not",
        "",
    ),
    (
        "api-path-changed",
        ERR,
        "major",
        "same operationId, new path: clients built from the old spec call a gone URL",
        "",
    ),
    (
        "api-method-changed",
        ERR,
        "major",
        "same operationId, new HTTP method: clients built from the old spec use the wrong one",
        "",
    ),
    ("endpoint-deprecated", INFO, "patch", "an operation was deprecated", INFO),
    ("endpoint-reactivated", INFO, "patch", "an operation is no longer deprecated", INFO),
    ("webhook-added", INFO, "minor", "a webhook was added", INFO),
    ("webhook-removed", ERR, "major", "a webhook was removed", ERR),
    # -- parameters
    ("new-required-request-parameter", ERR, "major", "a required parameter was added", ERR),
    ("new-optional-request-parameter", INFO, "minor", "an optional parameter was added", INFO),
    ("new-request-path-parameter", ERR, "major", "a path parameter was added", ERR),
    (
        "request-parameter-removed",
        ERR,
        "major",
        "a parameter was removed: the generated method loses a keyword argument",
        WARN,
    ),
    ("request-parameter-became-required", ERR, "major", "a parameter became required", ERR),
    ("request-parameter-became-optional", INFO, "minor", "a parameter became optional", INFO),
    (
        "request-parameter-type-changed",
        ERR,
        "major",
        "a parameter's type or format changed incompatibly",
        ERR,
    ),
    (
        "request-parameter-type-generalized",
        INFO,
        "minor",
        "a parameter accepts more types than before",
        INFO,
    ),
    ("request-parameter-enum-value-added", INFO, "minor", "a parameter accepts a new value", INFO),
    (
        "request-parameter-enum-value-removed",
        ERR,
        "major",
        "a parameter no longer accepts a value",
        ERR,
    ),
    (
        "request-parameter-became-enum",
        ERR,
        "major",
        "a parameter is restricted to a list of values",
        ERR,
    ),
    # -- request bodies
    ("added-required-request-body", ERR, "major", "a required request body was added", ERR),
    ("added-optional-request-body", INFO, "minor", "an optional request body was added", INFO),
    ("request-body-removed", ERR, "major", "the request body was removed", ERR),
    ("request-body-became-required", ERR, "major", "the request body became required", ERR),
    ("request-body-became-optional", INFO, "minor", "the request body became optional", INFO),
    ("request-body-media-type-added", INFO, "minor", "the request body accepts a media type", INFO),
    (
        "request-body-media-type-removed",
        ERR,
        "major",
        "the request body no longer accepts a media type",
        ERR,
    ),
    ("request-body-type-changed", ERR, "major", "the request body's type changed", ERR),
    (
        "request-body-type-generalized",
        INFO,
        "minor",
        "the request body accepts more types than before",
        INFO,
    ),
    ("request-body-became-nullable", INFO, "minor", "the request body may be null", INFO),
    (
        "request-body-became-not-nullable",
        ERR,
        "major",
        "the request body may no longer be null",
        ERR,
    ),
    ("request-body-enum-value-added", INFO, "minor", "the request body accepts a new value", ""),
    (
        "request-body-enum-value-removed",
        ERR,
        "major",
        "the request body no longer accepts a value",
        INFO,
    ),
    (
        "request-body-became-enum",
        ERR,
        "major",
        "the request body is restricted to a list of values",
        ERR,
    ),
    (
        "request-body-one-of-added",
        INFO,
        "minor",
        "the request body accepts a new oneOf branch",
        INFO,
    ),
    (
        "request-body-one-of-removed",
        ERR,
        "major",
        "a oneOf branch of the request body was removed",
        ERR,
    ),
    (
        "request-body-any-of-added",
        INFO,
        "minor",
        "the request body accepts a new anyOf branch",
        INFO,
    ),
    (
        "request-body-any-of-removed",
        ERR,
        "major",
        "an anyOf branch of the request body was removed",
        ERR,
    ),
    # -- request properties
    ("new-required-request-property", ERR, "major", "a required request property was added", ERR),
    (
        "new-optional-request-property",
        INFO,
        "minor",
        "an optional request property was added",
        INFO,
    ),
    (
        "request-property-removed",
        ERR,
        "major",
        "a request property was removed: the generated model or method loses it",
        WARN,
    ),
    ("request-property-became-required", ERR, "major", "a request property became required", ERR),
    ("request-property-became-optional", INFO, "minor", "a request property became optional", INFO),
    (
        "request-property-type-changed",
        ERR,
        "major",
        "a request property's type or format changed incompatibly",
        ERR,
    ),
    (
        "request-property-type-generalized",
        INFO,
        "minor",
        "a request property accepts more types than before",
        INFO,
    ),
    ("request-property-became-nullable", INFO, "minor", "a request property may be null", INFO),
    (
        "request-property-became-not-nullable",
        ERR,
        "major",
        "a request property may no longer be null",
        ERR,
    ),
    (
        "request-property-enum-value-added",
        INFO,
        "minor",
        "a request property accepts a new value",
        INFO,
    ),
    (
        "request-property-enum-value-removed",
        ERR,
        "major",
        "a request property no longer accepts a value",
        ERR,
    ),
    (
        "request-property-became-enum",
        ERR,
        "major",
        "a request property is restricted to a list of values",
        ERR,
    ),
    (
        "request-property-one-of-added",
        INFO,
        "minor",
        "a request property accepts a new oneOf branch",
        INFO,
    ),
    (
        "request-property-one-of-removed",
        ERR,
        "major",
        "a oneOf branch of a request property was removed",
        ERR,
    ),
    (
        "request-property-any-of-added",
        INFO,
        "minor",
        "a request property accepts a new anyOf branch",
        INFO,
    ),
    (
        "request-property-any-of-removed",
        ERR,
        "major",
        "an anyOf branch of a request property was removed",
        ERR,
    ),
    # -- responses
    ("response-success-status-added", INFO, "minor", "a success status was added", INFO),
    ("response-success-status-removed", ERR, "major", "a success status was removed", ERR),
    ("response-non-success-status-added", INFO, "patch", "an error status was added", INFO),
    ("response-non-success-status-removed", INFO, "patch", "an error status was removed", INFO),
    ("response-media-type-added", INFO, "minor", "a success response has a new media type", INFO),
    (
        "response-media-type-removed",
        ERR,
        "major",
        "a success response lost a media type (or its body)",
        ERR,
    ),
    (
        "response-body-type-changed",
        ERR,
        "major",
        "the response body's type or format changed (or widened)",
        ERR,
    ),
    (
        "response-body-type-narrowed",
        INFO,
        "patch",
        "the response body has fewer possible types than before",
        "",
    ),
    ("response-body-became-nullable", ERR, "major", "the response body may be null", ERR),
    (
        "response-body-became-not-nullable",
        INFO,
        "patch",
        "the response body is no longer null",
        INFO,
    ),
    (
        "response-body-enum-value-added",
        WARN,
        "minor",
        "the response body may hold a new value that clients may not handle",
        "",
    ),
    (
        "response-body-enum-value-removed",
        ERR,
        "major",
        "the response body lost a value: the generated enum loses a member",
        "",
    ),
    ("response-body-one-of-added", ERR, "major", "the response body has a new oneOf branch", ERR),
    (
        "response-body-one-of-removed",
        INFO,
        "patch",
        "a oneOf branch of the response body was removed",
        INFO,
    ),
    ("response-body-any-of-added", ERR, "major", "the response body has a new anyOf branch", ERR),
    (
        "response-body-any-of-removed",
        INFO,
        "patch",
        "an anyOf branch of the response body was removed",
        INFO,
    ),
    # -- response properties
    (
        "response-required-property-added",
        INFO,
        "minor",
        "a required response property was added",
        INFO,
    ),
    (
        "response-optional-property-added",
        INFO,
        "minor",
        "an optional response property was added",
        INFO,
    ),
    (
        "response-required-property-removed",
        ERR,
        "major",
        "a required response property was removed",
        ERR,
    ),
    (
        "response-optional-property-removed",
        ERR,
        "major",
        "an optional response property was removed: the generated model loses the attribute",
        WARN,
    ),
    ("response-property-became-optional", ERR, "major", "a response property became optional", ERR),
    (
        "response-property-became-required",
        INFO,
        "patch",
        "a response property became required",
        INFO,
    ),
    (
        "response-property-type-changed",
        ERR,
        "major",
        "a response property's type or format changed (or widened)",
        ERR,
    ),
    (
        "response-property-type-narrowed",
        INFO,
        "patch",
        "a response property has fewer possible types than before",
        "",
    ),
    ("response-property-became-nullable", ERR, "major", "a response property may be null", ERR),
    (
        "response-property-became-not-nullable",
        INFO,
        "patch",
        "a response property is no longer null",
        INFO,
    ),
    (
        "response-property-enum-value-added",
        WARN,
        "minor",
        "a response property may hold a new value that clients may not handle",
        WARN,
    ),
    (
        "response-property-enum-value-removed",
        ERR,
        "major",
        "a response property lost a value: the generated enum loses a member",
        INFO,
    ),
    (
        "response-property-one-of-added",
        ERR,
        "major",
        "a response property has a new oneOf branch",
        ERR,
    ),
    (
        "response-property-one-of-removed",
        INFO,
        "patch",
        "a oneOf branch of a response property was removed",
        INFO,
    ),
    (
        "response-property-any-of-added",
        ERR,
        "major",
        "a response property has a new anyOf branch",
        ERR,
    ),
    (
        "response-property-any-of-removed",
        INFO,
        "patch",
        "an anyOf branch of a response property was removed",
        INFO,
    ),
    # -- components, provenance
    (
        "api-schema-added",
        INFO,
        "minor",
        "a component schema (a generated model class) was added",
        "",
    ),
    (
        "api-schema-removed",
        ERR,
        "major",
        "a component schema was removed: its generated model class disappears",
        INFO,
    ),
    (
        "provenance-became-documented",
        INFO,
        "patch",
        "an inferred fact (x-provenance) is now documented",
        "",
    ),
    (
        "provenance-became-inferred",
        INFO,
        "patch",
        "a documented fact (x-provenance) is now only inferred",
        "",
    ),
)


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Change:
    """One finding. `operation`, `method` and `path` are None for document-level changes."""

    id: str
    operation: str | None
    method: str | None
    path: str | None
    location: str
    message: str

    @property
    def check(self) -> Check:
        return CHECKS[self.id]

    @property
    def level(self) -> str:
        return self.check.level

    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        return (
            _LEVEL_RANK[self.level],
            self.operation or "",
            self.path or "",
            self.method or "",
            self.location,
            self.id,
            self.message,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "location": self.location,
            "message": self.message,
        }


@dataclass(frozen=True)
class Report:
    """Every change between two specs, in a deterministic order."""

    old: str
    new: str
    old_version: str | None
    new_version: str | None
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        return any(change.level == ERR for change in self.changes)

    @property
    def bump(self) -> str:
        return max((change.check.bump for change in self.changes), key=BUMPS.index, default="none")

    def counts(self) -> dict[str, int]:
        return {level: sum(c.level == level for c in self.changes) for level in _LEVEL_RANK}


# ---------------------------------------------------------------------------------- schemas


@dataclass
class _View:
    """What a schema says, with `$ref`s followed, `allOf` merged and null folded into a flag."""

    types: frozenset[str] | None = None  # None: any type
    nullable: bool = False
    format: str | None = None
    enum: dict[str, Any] | None = None  # canonical JSON of each value -> the value
    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    additional: Any = None
    branches: dict[str, dict[str, Any]] = field(default_factory=dict)  # oneOf/anyOf: key -> raw
    read_only: bool = False
    write_only: bool = False


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _shown(value: Any) -> str:
    """An enum value as a user would write it: strings bare, anything else as JSON."""
    return value if isinstance(value, str) else _canonical(value)


def _deref(doc: dict[str, Any], node: Any) -> Any:
    from .validate import deref

    try:
        return deref(doc, node)
    except KeyError:
        return {}


def _is_null_schema(doc: dict[str, Any], raw: Any) -> bool:
    node = _deref(doc, raw)
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("type") == ["null"])


def _branch_key(doc: dict[str, Any], raw: Any, taken: set[str]) -> str:
    """A name for a oneOf/anyOf branch that survives reordering: its $ref name, else its type."""
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        key = str(raw["$ref"]).rsplit("/", 1)[-1]
    else:
        view = _view(doc, raw)
        key = "|".join(sorted(view.types)) if view.types else "any"
    unique, index = key, 2
    while unique in taken:
        unique, index = f"{key}#{index}", index + 1
    taken.add(unique)
    return unique


def _view(doc: dict[str, Any], raw: Any, seen: frozenset[int] = frozenset()) -> _View:
    node = _deref(doc, raw)
    view = _View()
    if not isinstance(node, dict) or id(node) in seen:
        return view
    seen = seen | {id(node)}
    _read_own_keywords(node, view)
    for part in node.get("allOf") or []:
        _merge(view, _view(doc, part, seen))
    for kind in ("oneOf", "anyOf"):
        _read_branches(doc, node, kind, view, seen)
    if view.types is None and view.properties:
        view.types = frozenset({"object"})
    if view.types is None and view.items is not None:
        view.types = frozenset({"array"})
    return view


def _read_own_keywords(node: dict[str, Any], view: _View) -> None:
    raw_type = node.get("type")
    types = {raw_type} if isinstance(raw_type, str) else set(raw_type or [])
    view.nullable = "null" in types or node.get("nullable") is True
    types.discard("null")
    view.types = frozenset(str(t) for t in types) or None
    view.format = node.get("format") if isinstance(node.get("format"), str) else None
    values = node.get("enum") if isinstance(node.get("enum"), list) else None
    if "const" in node:
        values = [node["const"]]
    if values is not None:
        view.nullable = view.nullable or None in values
        view.enum = {_canonical(v): v for v in values if v is not None}
    properties = node.get("properties")
    view.properties = dict(properties) if isinstance(properties, dict) else {}
    view.required = frozenset(r for r in node.get("required") or [] if isinstance(r, str))
    view.items = node.get("items") if isinstance(node.get("items"), dict) else None
    additional = node.get("additionalProperties")
    view.additional = additional if isinstance(additional, dict) else None
    view.read_only = node.get("readOnly") is True
    view.write_only = node.get("writeOnly") is True


def _merge(view: _View, part: _View) -> None:
    """Merge an allOf member into `view` (best effort: properties and requirements add up)."""
    if part.types is not None:
        view.types = part.types if view.types is None else (view.types & part.types or view.types)
    view.nullable = view.nullable or part.nullable
    view.format = view.format or part.format
    view.enum = view.enum if view.enum is not None else part.enum
    for name, schema in part.properties.items():
        view.properties.setdefault(name, schema)
    view.required |= part.required
    view.items = view.items if view.items is not None else part.items
    view.additional = view.additional if view.additional is not None else part.additional
    for key, raw in part.branches.items():
        view.branches.setdefault(key, raw)
    view.read_only = view.read_only or part.read_only
    view.write_only = view.write_only or part.write_only


def _read_branches(
    doc: dict[str, Any], node: dict[str, Any], kind: str, view: _View, seen: frozenset[int]
) -> None:
    members = node.get(kind)
    if not isinstance(members, list):
        return
    real = [m for m in members if not _is_null_schema(doc, m)]
    if len(real) < len(members):
        view.nullable = True
    if len(real) == 1 and view.types is None and not view.properties:
        _merge(view, _view(doc, real[0], seen))  # `anyOf: [X, {type: null}]` is a nullable X
        return
    taken: set[str] = set()
    for member in real:
        view.branches[f"{kind}:{_branch_key(doc, member, taken)}"] = member


def _covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Does a value of any type in `narrow` also fit `wide`? (an integer is a number)"""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def _type_label(view: _View) -> str:
    label = " | ".join(sorted(view.types)) if view.types else "any"
    if view.format:
        label += f" ({view.format})"
    return label


# ---------------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class _Operation:
    key: str  # operationId, or "METHOD path" when there is none
    operation_id: str | None
    method: str
    path: str
    node: dict[str, Any]
    item: dict[str, Any]
    webhook: str | None = None  # the webhook's name for webhooks

    @property
    def tag(self) -> str:
        tags = self.node.get("tags") or ["default"]
        return str(tags[0])

    @property
    def python_name(self) -> str:
        return python_identifier(self.operation_id or "", fallback="operation")

    @property
    def client_call(self) -> str:
        return f"client.{python_identifier(self.tag, fallback='default')}.{self.python_name}()"

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True


def _operations(doc: dict[str, Any]) -> dict[str, _Operation]:
    found: dict[str, _Operation] = {}
    for section, webhook in (("paths", False), ("webhooks", True)):
        for path, item in (doc.get(section) or {}).items():
            if not isinstance(item, dict):
                continue
            for method in _HTTP_METHODS:
                node = item.get(method)
                if not isinstance(node, dict):
                    continue
                op_id = node.get("operationId")
                op_id = op_id if isinstance(op_id, str) else None
                shown = f"webhook {path}" if webhook else str(path)
                key = op_id or f"{method.upper()} {shown}"
                found[key] = _Operation(
                    key, op_id, method.upper(), shown, node, item, str(path) if webhook else None
                )
    return found


@dataclass(frozen=True)
class _Site:
    """Where a schema sits: the operation, the part of it, and which way the data flows."""

    operation: _Operation
    section: str  # "request body", "response 200", "query parameter `limit`"
    direction: str  # REQUEST or RESPONSE
    parameter: bool = False

    def subject(self, where: str) -> str:
        if self.parameter:
            return "parameter"
        return "body" if not where else "property"

    def location(self, where: str) -> str:
        return f"{self.section} `{where}`" if where else self.section


def _media_label(media: str) -> str:
    return "" if media == _JSON_MEDIA else f" ({media})"


def _is_success(status: str) -> bool:
    return status.upper() == "2XX" or (len(status) == 3 and status.startswith("2"))


# ---------------------------------------------------------------------------------- the differ


class _Differ:
    """Collects the changes between two documents; one method per part of the spec."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self._active: set[tuple[int, int]] = set()  # schema pairs being compared (recursion)

    # -- output
    def emit(
        self, check_id: str, message: str, op: _Operation | None = None, location: str = "operation"
    ) -> None:
        if check_id not in CHECKS:
            raise KeyError(f"unknown check id {check_id!r}")
        self.changes.append(
            Change(
                id=check_id,
                operation=op.key if op else None,
                method=op.method if op else None,
                path=op.path if op else None,
                location=location,
                message=message,
            )
        )

    # -- the whole document
    def run(self) -> list[Change]:
        self._operations()
        self._schemas()
        self._provenance(self._document_marks(self.old), self._document_marks(self.new), None)
        return self.changes

    def _operations(self) -> None:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        pairs = [(old_ops[k], new_ops[k]) for k in sorted(old_ops.keys() & new_ops.keys())]
        gone = {k: v for k, v in old_ops.items() if k not in new_ops}
        added = {k: v for k, v in new_ops.items() if k not in old_ops}
        by_place = {(op.method, op.path): op for op in added.values()}
        for key in sorted(gone):
            renamed = by_place.get((gone[key].method, gone[key].path))
            if renamed is not None and renamed.key in added:
                pairs.append((gone.pop(key), added.pop(renamed.key)))
        for old_op, new_op in pairs:
            self._operation(old_op, new_op)
        for op in gone.values():
            self._removed(op)
        for op in added.values():
            if op.webhook is not None:
                self.emit("webhook-added", f"added webhook `{op.webhook}` ({op.key})", op)
            else:
                self.emit(
                    "endpoint-added",
                    f"added operation {op.method} `{op.path}` as `{op.client_call}`",
                    op,
                )

    def _removed(self, op: _Operation) -> None:
        if op.webhook is not None:
            self.emit("webhook-removed", f"removed webhook `{op.webhook}` ({op.key})", op)
            return
        path_kept = op.path in (self.new.get("paths") or {})
        deprecated = "with" if op.deprecated else "without"
        check = (
            f"api-removed-{deprecated}-deprecation"
            if path_kept
            else f"api-path-removed-{deprecated}-deprecation"
        )
        what = "removed deprecated operation" if op.deprecated else "removed operation"
        self.emit(
            check,
            f"{what} {op.method} `{op.path}`; the generated client loses " f"`{op.client_call}`",
            op,
        )

    # -- one operation
    def _operation(self, old: _Operation, new: _Operation) -> None:
        self._identity(old, new)
        self._provenance(_marks(old.node), _marks(new.node), new)
        if new.webhook is not None:
            # Cofactr sends the payload and the client receives it: a response, direction-wise.
            self._request_body(old, new, direction=RESPONSE)
            return
        self._parameters(old, new)
        self._request_body(old, new, direction=REQUEST)
        self._responses(old, new)

    def _identity(self, old: _Operation, new: _Operation) -> None:
        if old.key != new.key:
            if old.python_name != new.python_name:
                self.emit(
                    "operation-id-changed",
                    f"operationId `{old.key}` became `{new.key}`: the generated method "
                    f"`{old.client_call}` is now `{new.client_call}`",
                    new,
                )
            else:
                self.emit(
                    "operation-id-spelling-changed",
                    f"operationId `{old.key}` became `{new.key}`; the method stays "
                    f"`{new.client_call}`",
                    new,
                )
        if old.webhook is None and old.path != new.path:
            self.emit("api-path-changed", f"path `{old.path}` became `{new.path}`", new)
        if old.method != new.method:
            self.emit("api-method-changed", f"method {old.method} became {new.method}", new)
        if old.webhook is None and old.tag != new.tag:
            self._tag(old, new)
        if old.deprecated != new.deprecated:
            check = "endpoint-deprecated" if new.deprecated else "endpoint-reactivated"
            self.emit(
                check,
                f"operation `{new.key}` is "
                f"{'now' if new.deprecated else 'no longer'} deprecated",
                new,
            )

    def _tag(self, old: _Operation, new: _Operation) -> None:
        old_names = (python_identifier(old.tag, fallback="default"), class_name(old.tag))
        new_names = (python_identifier(new.tag, fallback="default"), class_name(new.tag))
        if old_names != new_names:
            self.emit(
                "api-tag-changed",
                f"tag `{old.tag}` became `{new.tag}`: `{old.client_call}` moves to "
                f"`{new.client_call}`",
                new,
                "tags",
            )
        else:
            self.emit(
                "api-tag-spelling-changed",
                f"tag `{old.tag}` became `{new.tag}`; the client keeps " f"`{new.client_call}`",
                new,
                "tags",
            )

    # -- parameters
    def _params_of(self, doc: dict[str, Any], op: _Operation) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        for raw in [*(op.item.get("parameters") or []), *(op.node.get("parameters") or [])]:
            param = _deref(doc, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                where = str(param.get("in", "query"))
                name = param["name"].lower() if where == "header" else param["name"]
                found[(where, name)] = param
        return found

    def _parameters(self, old: _Operation, new: _Operation) -> None:
        old_params, new_params = self._params_of(self.old, old), self._params_of(self.new, new)
        for key in sorted(old_params.keys() | new_params.keys()):
            before, after = old_params.get(key), new_params.get(key)
            name = str(_mapping(after if after is not None else before).get("name"))
            label = f"{key[0]} parameter `{name}`"
            py = python_identifier(name, fallback="param")
            if after is None:
                self.emit(
                    "request-parameter-removed",
                    f"removed {label}; the generated method " f"loses the keyword argument `{py}`",
                    new,
                    label,
                )
            elif before is None:
                self._added_parameter(new, label, after)
            else:
                self._changed_parameter(new, label, before, after)

    def _added_parameter(self, op: _Operation, label: str, param: dict[str, Any]) -> None:
        if param.get("in") == "path":
            self.emit("new-request-path-parameter", f"added {label}", op, label)
        elif param.get("required") is True:
            self.emit("new-required-request-parameter", f"added required {label}", op, label)
        else:
            self.emit("new-optional-request-parameter", f"added optional {label}", op, label)

    def _changed_parameter(
        self, op: _Operation, label: str, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        was, now = before.get("required") is True, after.get("required") is True
        if was != now:
            check = (
                "request-parameter-became-required" if now else "request-parameter-became-optional"
            )
            self.emit(check, f"{label} became {'required' if now else 'optional'}", op, label)
        site = _Site(op, label, REQUEST, parameter=True)
        self._schema(site, "", _param_schema(before), _param_schema(after))

    # -- request body
    def _request_body(self, old: _Operation, new: _Operation, direction: str) -> None:
        before = _deref(self.old, old.node.get("requestBody"))
        after = _deref(self.new, new.node.get("requestBody"))
        section = "webhook payload" if new.webhook is not None else "request body"
        if not isinstance(before, dict) and not isinstance(after, dict):
            return
        if not isinstance(before, dict):
            required = isinstance(after, dict) and after.get("required") is True
            check = "added-required-request-body" if required else "added-optional-request-body"
            self.emit(
                check,
                f"added a{' required' if required else 'n optional'} request body",
                new,
                section,
            )
            return
        if not isinstance(after, dict):
            self.emit("request-body-removed", "removed the request body", new, section)
            return
        was, now = before.get("required") is True, after.get("required") is True
        if was != now and direction == REQUEST:
            check = "request-body-became-required" if now else "request-body-became-optional"
            self.emit(
                check, f"the request body became {'required' if now else 'optional'}", new, section
            )
        self._content(new, section, before, after, direction)

    def _content(
        self,
        op: _Operation,
        section: str,
        before: dict[str, Any],
        after: dict[str, Any],
        direction: str,
    ) -> None:
        old_media, new_media = _mapping(before.get("content")), _mapping(after.get("content"))
        prefix = "request-body" if direction == REQUEST else "response"
        for media in sorted(old_media.keys() | new_media.keys()):
            here = section + _media_label(media)
            if media not in new_media:
                self.emit(
                    f"{prefix}-media-type-removed",
                    f"{section} no longer has media type " f"`{media}`",
                    op,
                    here,
                )
            elif media not in old_media:
                self.emit(
                    f"{prefix}-media-type-added",
                    f"{section} has a new media type " f"`{media}`",
                    op,
                    here,
                )
            else:
                site = _Site(op, here, direction)
                self._schema(
                    site,
                    "",
                    _mapping(old_media[media]).get("schema"),
                    _mapping(new_media[media]).get("schema"),
                )

    # -- responses
    def _responses(self, old: _Operation, new: _Operation) -> None:
        before = old.node.get("responses") or {}
        after = new.node.get("responses") or {}
        for status in sorted(set(before) | set(after)):
            kind = "success" if _is_success(status) else "non-success"
            if status not in after:
                self.emit(
                    f"response-{kind}-status-removed",
                    f"removed the {kind} response status {status}",
                    new,
                    f"response {status}",
                )
            elif status not in before:
                self.emit(
                    f"response-{kind}-status-added",
                    f"added the {kind} response status {status}",
                    new,
                    f"response {status}",
                )
            elif kind == "success":
                old_response = _deref(self.old, before[status])
                new_response = _deref(self.new, after[status])
                self._content(
                    new,
                    f"response {status}",
                    old_response if isinstance(old_response, dict) else {},
                    new_response if isinstance(new_response, dict) else {},
                    RESPONSE,
                )

    # -- schemas
    def _schema(self, site: _Site, where: str, old_raw: Any, new_raw: Any) -> None:
        pair = (id(_deref(self.old, old_raw)), id(_deref(self.new, new_raw)))
        if pair in self._active:
            return  # a recursive schema: this pair is already being compared further up
        self._active.add(pair)
        try:
            self._compare_views(site, where, _view(self.old, old_raw), _view(self.new, new_raw))
        finally:
            self._active.discard(pair)

    def _compare_views(self, site: _Site, where: str, old: _View, new: _View) -> None:
        if not site.parameter:
            self._nullability(site, where, old, new)
        if self._types(site, where, old, new):
            return  # an incompatible type: what is inside no longer compares
        self._enum(site, where, old, new)
        if not site.parameter:
            self._properties(site, where, old, new)
            self._branches(site, where, old, new)
            if old.additional is not None and new.additional is not None:
                self._schema(site, f"{where}.*" if where else "*", old.additional, new.additional)
        if old.items is not None and new.items is not None:
            self._schema(site, f"{where}[]", old.items, new.items)

    def _nullability(self, site: _Site, where: str, old: _View, new: _View) -> None:
        if old.nullable == new.nullable:
            return
        became = "became-nullable" if new.nullable else "became-not-nullable"
        what = f"`{where}`" if where else site.section
        self.emit(
            f"{site.direction}-{site.subject(where)}-{became}",
            f"{what} {'may now be' if new.nullable else 'may no longer be'} null",
            site.operation,
            site.location(where),
        )

    def _types(self, site: _Site, where: str, old: _View, new: _View) -> bool:
        """Report a type or format change; True when it is incompatible (stop descending)."""
        if old.types == new.types and old.format == new.format:
            return False
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        message = f"{what} type changed from `{_type_label(old)}` to `{_type_label(new)}`"
        widened = old.format == new.format and _covers(new.types, old.types)
        narrowed = old.format == new.format and _covers(old.types, new.types)
        if site.direction == REQUEST and widened:
            self.emit(f"{prefix}-type-generalized", message, site.operation, site.location(where))
            return False
        if site.direction == RESPONSE and narrowed:
            self.emit(f"{prefix}-type-narrowed", message, site.operation, site.location(where))
            return False
        self.emit(f"{prefix}-type-changed", message, site.operation, site.location(where))
        return not (widened or narrowed)

    def _enum(self, site: _Site, where: str, old: _View, new: _View) -> None:
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        location = site.location(where)
        if new.enum is None:
            return  # no enum any more: a widening, already visible as no restriction
        if old.enum is None:
            if site.direction == REQUEST:
                values = ", ".join(f"`{_shown(new.enum[v])}`" for v in sorted(new.enum))
                self.emit(
                    f"{prefix}-became-enum",
                    f"{what} is restricted to {values}",
                    site.operation,
                    location,
                )
            return
        for value in sorted(old.enum.keys() - new.enum.keys()):
            self.emit(
                f"{prefix}-enum-value-removed",
                f"{what} lost the value `{_shown(old.enum[value])}`",
                site.operation,
                location,
            )
        for value in sorted(new.enum.keys() - old.enum.keys()):
            self.emit(
                f"{prefix}-enum-value-added",
                f"{what} has a new value `{_shown(new.enum[value])}`",
                site.operation,
                location,
            )

    def _visible(self, site: _Site, old: _View, new: _View) -> tuple[set[str], set[str]]:
        """Property names that travel in this direction (readOnly never in requests...)."""
        hidden = "readOnly" if site.direction == REQUEST else "writeOnly"

        def names(doc: dict[str, Any], view: _View) -> set[str]:
            return {
                name
                for name, raw in view.properties.items()
                if not (isinstance(node := _deref(doc, raw), dict) and node.get(hidden) is True)
            }

        return names(self.old, old), names(self.new, new)

    def _properties(self, site: _Site, where: str, old: _View, new: _View) -> None:
        old_names, new_names = self._visible(site, old, new)
        for name in sorted(old_names | new_names):
            child = f"{where}.{name}" if where else name
            location = site.location(child)
            if name not in new_names:
                self._property_removed(site, child, location, name in old.required)
            elif name not in old_names:
                self._property_added(site, child, location, name in new.required)
            else:
                self._requiredness(
                    site, child, location, name in old.required, name in new.required
                )
                self._schema(site, child, old.properties[name], new.properties[name])

    def _property_removed(self, site: _Site, child: str, location: str, required: bool) -> None:
        if site.direction == REQUEST:
            self.emit(
                "request-property-removed",
                f"removed the request property `{child}`",
                site.operation,
                location,
            )
        else:
            kind = "required" if required else "optional"
            self.emit(
                f"response-{kind}-property-removed",
                f"removed the {kind} response property `{child}`",
                site.operation,
                location,
            )

    def _property_added(self, site: _Site, child: str, location: str, required: bool) -> None:
        kind = "required" if required else "optional"
        check = (
            f"new-{kind}-request-property"
            if site.direction == REQUEST
            else f"response-{kind}-property-added"
        )
        self.emit(
            check, f"added the {kind} {site.direction} property `{child}`", site.operation, location
        )

    def _requiredness(self, site: _Site, child: str, location: str, was: bool, now: bool) -> None:
        if was == now:
            return
        state = "required" if now else "optional"
        self.emit(
            f"{site.direction}-property-became-{state}",
            f"the {site.direction} property `{child}` became {state}",
            site.operation,
            location,
        )

    def _branches(self, site: _Site, where: str, old: _View, new: _View) -> None:
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        for key in sorted(old.branches.keys() | new.branches.keys()):
            kind, name = key.split(":", 1)
            check_kind = "one-of" if kind == "oneOf" else "any-of"
            if key not in new.branches:
                self.emit(
                    f"{prefix}-{check_kind}-removed",
                    f"{what} lost the {kind} branch " f"`{name}`",
                    site.operation,
                    site.location(where),
                )
            elif key not in old.branches:
                self.emit(
                    f"{prefix}-{check_kind}-added",
                    f"{what} has a new {kind} branch " f"`{name}`",
                    site.operation,
                    site.location(where),
                )
            else:
                self._schema(site, f"{where}<{name}>", old.branches[key], new.branches[key])

    # -- component schemas (generated model classes)
    def _schemas(self) -> None:
        def classes(doc: dict[str, Any]) -> dict[str, str]:
            schemas = (doc.get("components") or {}).get("schemas") or {}
            return {class_name(name): name for name in schemas}

        old_classes, new_classes = classes(self.old), classes(self.new)
        for cls in sorted(old_classes.keys() - new_classes.keys()):
            self.emit(
                "api-schema-removed",
                f"removed schema `{old_classes[cls]}`: the model "
                f"class `{cls}` is no longer generated",
                None,
                f"components/schemas/{old_classes[cls]}",
            )
        for cls in sorted(new_classes.keys() - old_classes.keys()):
            self.emit(
                "api-schema-added",
                f"added schema `{new_classes[cls]}` (model class " f"`{cls}`)",
                None,
                f"components/schemas/{new_classes[cls]}",
            )

    # -- provenance
    def _document_marks(self, doc: dict[str, Any]) -> dict[str, str]:
        rest = {k: v for k, v in doc.items() if k not in ("paths", "webhooks")}
        return _marks(rest)

    def _provenance(self, old: dict[str, str], new: dict[str, str], op: _Operation | None) -> None:
        for where in sorted(old.keys() & new.keys()):
            if old[where] == new[where] or new[where] not in ("documented", "inferred"):
                continue
            location = where or "operation"
            subject = f"`{where}`" if where else f"operation `{op.key if op else ''}`"
            self.emit(
                f"provenance-became-{new[where]}",
                f"{subject} is now {new[where]} (was {old[where]})",
                op,
                location,
            )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _param_schema(param: dict[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    for media in (param.get("content") or {}).values():
        if isinstance(media, dict):
            return media.get("schema")
    return None


def _marks(node: Any, where: str = "") -> dict[str, str]:
    """Every `x-provenance` under `node`, keyed by a readable path (list items by name)."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        if isinstance(node.get("x-provenance"), str):
            found[where] = node["x-provenance"]
        for key, child in node.items():
            if key not in ("example", "examples", "default", "enum", "const"):
                found.update(_marks(child, f"{where}/{key}" if where else str(key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            name = child.get("name") if isinstance(child, dict) else None
            token = str(name) if isinstance(name, str) else str(index)
            found.update(_marks(child, f"{where}/{token}"))
    return found


# ---------------------------------------------------------------------------------- entry points


def compare(old: LoadedSpec, new: LoadedSpec) -> Report:
    """All changes from `old` to `new` (both already loaded; see `load_checked`)."""
    changes = sorted(set(_Differ(old.data, new.data).run()), key=Change.sort_key)
    return Report(
        old=old.path,
        new=new.path,
        old_version=_version(old.data),
        new_version=_version(new.data),
        changes=tuple(changes),
    )


def _version(doc: dict[str, Any]) -> str | None:
    version = (doc.get("info") or {}).get("version")
    return str(version) if version is not None else None


def load_checked(path: Path, *, revision: str | None = None) -> LoadedSpec:
    """Load and validate a spec from a file, or from a git revision of that file."""
    from .validate import validate

    spec = _read_revision(path, revision) if revision else load_spec(path)
    validate(spec)
    return spec


def _read_revision(path: Path, revision: str) -> LoadedSpec:
    """`git show REV:./NAME`, run in the spec's directory, so any working directory works."""
    shown = f"{revision}:{path}"
    try:
        result = subprocess.run(
            ["git", "show", f"{revision}:./{path.name}"],
            cwd=path.resolve().parent,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpecError([Diagnostic(f"cannot run git: {exc}", shown)]) from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        message = reason[-1] if reason else f"git show exited {result.returncode}"
        raise SpecError([Diagnostic(f"cannot read the spec at {revision}: {message}", shown)])
    return parse_spec(result.stdout, shown)


def _load_pair(pairs: Iterable[tuple[Path, str | None]]) -> list[LoadedSpec]:
    """Load every spec; report the problems of all of them at once."""
    loaded: list[LoadedSpec] = []
    problems: list[Diagnostic] = []
    for path, revision in pairs:
        try:
            loaded.append(load_checked(path, revision=revision))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise SpecError(problems)
    return loaded


# ---------------------------------------------------------------------------------- rendering


def render_json(report: Report) -> str:
    document = {
        "old": {"spec": report.old, "version": report.old_version},
        "new": {"spec": report.new, "version": report.new_version},
        "breaking": report.breaking,
        "bump": report.bump,
        "counts": report.counts(),
        "changes": [change.as_json() for change in report.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_markdown(report: Report) -> str:
    lines = [f"## API changes: {_code(report.old)} → {_code(report.new)}", ""]
    if report.old_version != report.new_version:
        lines += [
            f"Spec version {_code(str(report.old_version))} → "
            f"{_code(str(report.new_version))}.",
            "",
        ]
    if not report.changes:
        return "\n".join([*lines, "No API changes. Suggested version bump: **none**.", ""])
    counts = report.counts()
    verdict = "**breaking**" if report.breaking else "not breaking"
    lines += [
        f"{verdict}: {counts[ERR]} ERR, {counts[WARN]} WARN, {counts[INFO]} INFO. "
        f"Suggested version bump: **{report.bump}**.",
        "",
    ]
    for level in _LEVEL_RANK:
        rows = [c for c in report.changes if c.level == level]
        if rows:
            lines += _markdown_table(f"{LEVEL_NAMES[level]} ({level})", rows)
    return "\n".join(lines)


def _markdown_table(title: str, rows: list[Change]) -> list[str]:
    lines = [f"### {title}", "", "| Operation | Check | Location | Change |", "|---|---|---|---|"]
    for change in rows:
        operation = "—"
        if change.operation is not None:
            operation = f"{_code(change.operation)} {change.method} {_code(change.path or '')}"
        lines.append(
            "| "
            + " | ".join(
                _cell(text)
                for text in (operation, _code(change.id), change.location, change.message)
            )
            + " |"
        )
    return [*lines, ""]


def render(report: Report, output_format: str) -> str:
    return render_json(report) if output_format == "json" else render_markdown(report)


# ---------------------------------------------------------------------------------- CLI


def add_parser(commands: Any) -> None:
    """Register `diff` on the CLI's subparsers."""
    command = commands.add_parser(
        "diff",
        help="report API changes between two specs (breaking or not, suggested version bump)",
        description="Compare two versions of an OpenAPI spec: OLD NEW, or --base GIT_REV "
        f"[SPEC] (SPEC defaults to the settings' spec: {DEFAULT_SPEC} or the `spec` of the "
        "[tool.cofactr-codegen] table of pyproject.toml) to compare it at a git revision with "
        "the working copy.",
    )
    command.add_argument(
        "specs",
        nargs="*",
        type=Path,
        metavar="SPEC",
        help="OLD_SPEC NEW_SPEC, or with --base only SPEC",
    )
    command.add_argument(
        "--base", metavar="GIT_REV", help="compare SPEC at this git revision with the working copy"
    )
    command.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown for a pull request (default), json for tools",
    )
    command.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit 1 when a breaking (ERR) change was found",
    )


def run(args: argparse.Namespace, default_spec: Path = DEFAULT_SPEC) -> int:
    """The `diff` command; raises `SpecError` on bad input (the CLI prints it, exit 2).
    `default_spec` is the SPEC of `--base` when none is given (the settings' spec)."""
    specs: list[Path] = list(args.specs)
    if args.base is not None:
        if len(specs) > 1:
            return _usage("with --base give at most one SPEC (the working copy)")
        spec = specs[0] if specs else default_spec
        old, new = _load_pair([(spec, args.base), (spec, None)])
    else:
        if len(specs) != 2:
            return _usage("give OLD_SPEC and NEW_SPEC, or --base GIT_REV [SPEC]")
        old, new = _load_pair([(specs[0], None), (specs[1], None)])
    report = compare(old, new)
    sys.stdout.write(render(report, args.format))
    return 1 if args.fail_on_breaking and report.breaking else 0


def _usage(message: str) -> int:
    print(f"cofactr-codegen diff: error: {message}", file=sys.stderr)
    return 2
