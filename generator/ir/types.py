"""The IR's types: everything templates need, nothing they must compute.

Frozen dataclasses with names already made safe (`naming`) and collections already sorted, so
rendering is a pure function of an `Api` value:

    Api ─ tags: Tag ─ operations: Operation ─ path/query/header/cookie params: Param
                                            ├ body: RequestBody ─ fields: BodyField
                                            ├ response: ResponseShape
                                            ├ errors: ErrorResponse
                                            └ poll: Poll
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ..document import route_path, router_path
from ..text import py_string

ParamLocation = Literal["path", "query", "header", "cookie"]
ResponseKind = Literal["json", "empty", "binary"]
BodyKind = Literal["json", "multipart", "binary", "form", "text"]
AuthKind = Literal["apiKey", "basic", "bearer"]
AuthLocation = Literal["header", "query", "cookie"]
Security = tuple[tuple[str, ...], ...]  # alternatives, each the scheme names sent together


def top_level_union(hint: str) -> list[str]:
    """The members of an annotation's outermost union (`A | list[B | C]` -> `A`,
    `list[B | C]`); one member when it is no union."""
    node: ast.expr = ast.parse(hint, mode="eval").body
    members: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members.append(node.right)
        node = node.left
    members.append(node)
    return [ast.get_source_segment(hint, m) or "" for m in reversed(members)]


def with_not_given(hint: str) -> str:
    """`X | None` -> `X | NotGiven | None`: the sentinel joins the union, None stays last."""
    parts = [p.strip() for p in hint.split(" | ")]
    nullable = "None" in parts
    parts = [p for p in parts if p != "None"] + ["NotGiven"] + (["None"] if nullable else [])
    return " | ".join(parts)


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter of an operation."""

    name: str  # as sent on the wire
    python_name: str
    location: ParamLocation
    required: bool
    type_hint: str  # without None / NotGiven
    description: str

    @property
    def argument_hint(self) -> str:
        """The annotation of the keyword argument: NotGiven added when optional, None last."""
        return self.type_hint if self.required else with_not_given(self.type_hint)


@dataclass(frozen=True)
class BodyField:
    """One property of an object request body, offered as a keyword argument."""

    name: str
    python_name: str
    type_hint: str
    required: bool  # by the model
    read_only: bool = False  # `readOnly` in the schema: the server's to set, never demanded

    @property
    def argument_hint(self) -> str:
        return with_not_given(self.type_hint)


@dataclass(frozen=True)
class RequestBody:
    kind: BodyKind
    content_type: str
    type_hint: str  # what `body=` accepts, e.g. "UpdatePurchaseOrder" or "list[UpdateLine]"
    model: str | None  # the model class when the body is one object model
    fields: tuple[BodyField, ...]  # keyword arguments; empty when only `body=` is offered
    required: bool
    description: str
    # form fields whose encoding object is not OpenAPI's default: (wire name, style, explode)
    encoding: tuple[tuple[str, str, bool], ...] = ()
    # multipart parts whose encoding object names a contentType: (wire name, content type)
    part_types: tuple[tuple[str, str], ...] = ()

    @property
    def stated_content_type(self) -> str | None:
        """The `Content-Type` the client states itself: None where httpx writes the right one
        (JSON, multipart with its boundary) or the spec names no single type (`*/*`)."""
        if self.kind == "multipart" or "*" in self.content_type:
            return None
        if self.content_type.split(";", 1)[0].strip().lower() == "application/json":
            return None
        return self.content_type

    @property
    def required_fields(self) -> tuple[BodyField, ...]:
        """The fields a caller must pass when not passing `body=`: those the schema requires
        and the server does not set (`readOnly`), of a body the operation requires. When there
        are any, the method is overloaded: either these as keyword arguments, or `body=`."""
        if not self.required or self.kind not in ("json", "multipart", "form"):
            return ()
        return tuple(f for f in self.fields if f.required and not f.read_only)

    @property
    def optional_fields(self) -> tuple[BodyField, ...]:
        """The other fields, in argument order (`required_fields`)."""
        demanded = self.required_fields
        return tuple(f for f in self.fields if f not in demanded)

    @property
    def renamed_fields(self) -> tuple[BodyField, ...]:
        """Fields whose keyword argument is not spelled like the wire name."""
        return tuple(f for f in self.fields if f.python_name != f.name)


@dataclass(frozen=True)
class ResponseShape:
    status: str
    kind: ResponseKind
    type_hint: str  # return annotation: a model, list[...], Any, bytes or None
    page_item: str | None  # item class when the response is a paginated envelope
    strict: bool  # documented schema: parse strictly; inferred: tolerate and report

    @property
    def cast_to(self) -> str:
        """The `cast_to` argument: the annotation itself when it is a class or a generic
        alias; a union (`A | B`, a `UnionType` as a value, which mypy does not read as a
        type) is cast to `type[A | B]` so that the call is typed as returning `A | B`."""
        if len(top_level_union(self.type_hint)) > 1:
            return f"cast({py_string(f'type[{self.type_hint}]')}, {self.type_hint})"
        return self.type_hint


@dataclass(frozen=True)
class Poll:
    """`x-poll` on an operation: call it until `attribute` holds one of `done`."""

    attribute: str  # python attribute of the response model
    done: tuple[str, ...]


@dataclass(frozen=True)
class ErrorResponse:
    status: str
    description: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    python_name: str
    method: str  # upper case
    path: str
    tag: str
    summary: str
    description: str
    deprecated: bool
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    cookie_params: tuple[Param, ...]  # sent together in one `Cookie` header
    body: RequestBody | None
    response: ResponseShape
    errors: tuple[ErrorResponse, ...]
    provenance: str | None
    provenance_source: str | None
    provenance_note: str | None
    poll: Poll | None = None
    security: Security | None = None  # None: the document's requirement

    @property
    def is_inferred(self) -> bool:
        return self.provenance == "inferred"

    @property
    def keyword_params(self) -> tuple[Param, ...]:
        return self.query_params + self.header_params + self.cookie_params

    @property
    def request_path(self) -> str:
        """The path the client sends (`path` is the spec's key, which may carry a `#fragment`
        or `?query` that only tells operations apart)."""
        return route_path(self.path)

    @property
    def router_path(self) -> str:
        """The path the stub's route matches (`document.router_path`)."""
        return router_path(self.path)

    @property
    def content_type_header(self) -> str | None:
        """The `Content-Type` the client states for the body (`RequestBody.stated_content_type`:
        a form, text, raw bytes in a media type the client has no encoder for such as
        `application/cbor`, vendor JSON), unless a header parameter sets it."""
        if self.body is None or any(p.name.lower() == "content-type" for p in self.header_params):
            return None
        return self.body.stated_content_type


@dataclass(frozen=True)
class Tag:
    name: str  # as in the spec
    module: str  # resources/<module>.py and routes/<module>.py
    attribute: str  # client.<attribute>
    class_name: str  # what the resource classes are named from
    resource_class: str  # <ClassName>Resource
    async_resource_class: str  # Async<ClassName>Resource (`naming.resource_classes`)
    description: str
    operations: tuple[Operation, ...]
    model_imports: tuple[str, ...]  # model classes the resource module uses
    other_imports: tuple[tuple[str, str], ...]  # (module, `name` or `name as alias`), sorted
    runtime_imports: tuple[str, ...]  # runtime names the resource module uses, as ruff sorts

    @property
    def poll_operation(self) -> Operation | None:
        """The operation `wait()` polls, when the tag has one (the first, by path)."""
        return next((op for op in self.operations if op.poll is not None), None)

    @cached_property
    def shared_errors(self) -> tuple[ErrorResponse, ...]:
        """The errors every operation of the tag can raise (same status, same description),
        in the first operation's order: the resource classes' docstrings list them once."""
        if not self.operations:
            return ()
        first, *others = (op.errors for op in self.operations)
        return tuple(e for e in first if all(e in errors for errors in others))

    def own_errors(self, operation: Operation) -> tuple[ErrorResponse, ...]:
        """The errors `operation` can raise besides the tag's shared ones: what its method's
        docstring lists."""
        shared = self.shared_errors
        return tuple(e for e in operation.errors if e not in shared)

    @property
    def resource_classes(self) -> tuple[str, ...]:
        """The sync and async resource class names, sorted as `__all__` lists them."""
        return tuple(sorted((self.resource_class, self.async_resource_class)))


@dataclass(frozen=True)
class AuthScheme:
    """A security scheme the client sends (see `ir/security.py`)."""

    name: str  # as in the spec
    kind: AuthKind
    location: AuthLocation
    parameter: str  # the header, query parameter or cookie
    prefix: str  # the word before the credential in a header ("Api-Key", "Bearer", "Basic")
    token_url: str = ""  # OAuth2 client credentials: where the client fetches its token


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    base_url: str
    spec_path: str  # as shown in headers
    auth_header: str
    auth_scheme: str  # prefix of the header value, e.g. "Api-Key"; "" for a bare key
    api_key_env_var: str
    tags: tuple[Tag, ...]
    models_source: str
    webhook_record_types: tuple[tuple[str, str], ...]  # (record_type, model class)
    auth_schemes: tuple[AuthScheme, ...] = ()
    security: Security = ()  # the document's requirement; () needs no credential
    base_url_env_var: str = ""  # read when no base_url is passed; "": none

    @cached_property
    def shared_errors(self) -> tuple[ErrorResponse, ...]:
        """The errors every operation of the tag can raise (same status, same description),
        in the first operation's order: the resource classes' docstrings list them once."""
        if not self.operations:
            return ()
        first, *others = (op.errors for op in self.operations)
        return tuple(e for e in first if all(e in errors for errors in others))

    def own_errors(self, operation: Operation) -> tuple[ErrorResponse, ...]:
        """The errors `operation` can raise besides the tag's shared ones: what its method's
        docstring lists."""
        shared = self.shared_errors
        return tuple(e for e in operation.errors if e not in shared)

    @property
    def resource_classes(self) -> tuple[str, ...]:
        return tuple(sorted(name for tag in self.tags for name in tag.resource_classes))

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(op for tag in self.tags for op in tag.operations)

    @property
    def security_overrides(self) -> tuple[Operation, ...]:
        """Operations whose requirement is not the document's, by path and method."""
        return tuple(
            op for op in self.operations if op.security is not None and op.security != self.security
        )
