"""Reading one operation of a regular document into IR values.

`OperationReader` holds what every part of an operation is read against (the document, the
models made from its schemas) and turns parameters, request body, success response, error
responses and `x-poll` into their IR values, typed with the model classes the models stage
produced.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, cast

from ..document import SCHEMA_REF, deref, ignored_parameter, media_kind
from ..text import black_quoted, py_string
from .naming import (
    RESERVED_ARGUMENTS,
    argument_names,
    operation_method_name,
    operation_tag,
    python_identifier,
)
from .runtime import status_exception
from .security import operation_requirement
from .types import (
    BodyField,
    BodyKind,
    ErrorResponse,
    Operation,
    Param,
    ParamLocation,
    Poll,
    RequestBody,
    ResponseShape,
    top_level_union,
)

if TYPE_CHECKING:
    from ..models import ModelsModule

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# The order a request body's media type is chosen in, when it offers several.
_BODY_PREFERENCE = ("json", "multipart", "form", "text", "binary")


def text(value: Any) -> str:
    """A spec's prose field, stripped; "" when absent or not a string."""
    return value.strip() if isinstance(value, str) else ""


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _literal(value: str | int) -> str:
    return py_string(value) if isinstance(value, str) else repr(value)


def _union(parts: Any) -> str:
    unique: list[str] = []
    for part in parts:
        for piece in part.split(" | "):
            if piece not in unique:
                unique.append(piece)
    return " | ".join(unique) if unique else "Any"


def _class_members(hint: str) -> str:
    """A return annotation whose every member is a class or generic alias, as `cast_to`
    needs: a `Literal[...]` member (an inline enum) is widened to the type of its values."""
    members = []
    for member in top_level_union(hint):
        if member.startswith("Literal["):
            values = ast.literal_eval(member.removeprefix("Literal"))  # a list
            member = " | ".join(dict.fromkeys(type(v).__name__ for v in values))
        members.append(member)
    return _union(members)


class _Files(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name("FileTypes", node.ctx) if node.id == "bytes" else node


def _file_types(annotation: str) -> str:
    """A multipart field's annotation with `bytes` (a `format: binary` part) read as any
    upload the runtime's `FileTypes` names: bytes, a path, a file object, a named tuple."""
    if "bytes" not in annotation:
        return annotation
    tree = _Files().visit(ast.parse(annotation, mode="eval"))
    return black_quoted(ast.unparse(tree))


def _form_encoding(media_object: Any) -> tuple[tuple[str, str, bool], ...]:
    """A form body's encoding objects that differ from OpenAPI's default (`form`, exploded),
    sorted by field."""
    encoding = media_object.get("encoding") if isinstance(media_object, dict) else None
    found = []
    for name, entry in sorted((encoding or {}).items()):
        if not isinstance(entry, dict):
            continue
        style = str(entry.get("style", "form"))
        explode = entry.get("explode", style == "form")
        if (style, explode) != ("form", True):
            found.append((str(name), style, bool(explode)))
    return tuple(found)


def _part_types(media_object: Any) -> tuple[tuple[str, str], ...]:
    """A multipart body's parts whose encoding object names a `contentType` (the first of a
    list, which the client sends), sorted by part."""
    encoding = media_object.get("encoding") if isinstance(media_object, dict) else None
    found = []
    for name, entry in sorted((encoding or {}).items()):
        kind = entry.get("contentType") if isinstance(entry, dict) else None
        if isinstance(kind, str) and kind.split(",")[0].strip():
            found.append((str(name), kind.split(",")[0].strip()))
    return tuple(found)


class OperationReader:
    """Reads the operations of one regular document into IR values."""

    def __init__(self, data: dict[str, Any], models: ModelsModule) -> None:
        self.data = data
        self.models = models

    # -- types ---------------------------------------------------------------------------
    def ref_class(self, ref: str) -> str | None:
        if ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :].replace("~1", "/").replace("~0", "~")
            return self.models.schema_classes.get(name)
        return None

    def python_type(self, schema: Any) -> str:
        """A Python annotation for a schema outside the models (parameters, return values)."""
        if not isinstance(schema, dict) or not schema:
            return "Any"
        if "$ref" in schema:
            cls = self.ref_class(schema["$ref"])
            return cls if cls else self.python_type(deref(self.data, schema))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list):
                return _union(self.python_type(s) for s in schema[key])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [v for v in schema["enum"] if v is not None]
            if values and all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
                return "Literal[" + ", ".join(_literal(v) for v in values) + "]"
        types = schema.get("type")
        if isinstance(types, list):
            return _union(self.python_type({**schema, "type": t}) for t in types if t != "null")
        if types == "array":
            return f"list[{self.python_type(schema.get('items'))}]"
        if types == "object":
            return "dict[str, Any]"
        if types == "string" and schema.get("format") == "binary":
            return "bytes"
        return _PRIMITIVES.get(str(types), "Any")

    def provenance_strict(self, schema: Any) -> bool:
        """Documented (or unmarked) schemas parse strictly; inferred ones tolerate and report."""
        target = deref(self.data, schema) if isinstance(schema, dict) else None
        return not (isinstance(target, dict) and target.get("x-provenance") == "inferred")

    # -- parameters ----------------------------------------------------------------------
    def params(self, path: str, operation: dict[str, Any], item: dict[str, Any]) -> list[Param]:
        """The operation's parameters (its own over its path item's), in argument order."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            param = deref(self.data, raw)
            if not ignored_parameter(param):  # Accept, Content-Type, Authorization
                merged[(param["name"], param["in"])] = param
        result = []
        for (name, location), python_name in argument_names(path, merged):
            param = merged[(name, location)]
            schema = param.get("schema") or {}
            hint = self.python_type(schema)
            if hint == "str" and (deref(self.data, schema) or {}).get("format") == "uuid":
                hint = "str | UUID"  # ids come back as UUID objects; accept them as they are
            result.append(
                Param(
                    name=name,
                    python_name=python_name,
                    location=cast(ParamLocation, location),  # validated: OpenAPI's four
                    required=bool(param.get("required")) or location == "path",
                    type_hint=hint,
                    description=text(param.get("description")),
                )
            )
        return result

    # -- bodies --------------------------------------------------------------------------
    def request_body(self, operation: dict[str, Any], taken: set[str]) -> RequestBody | None:
        body = deref(self.data, operation.get("requestBody"))
        if not isinstance(body, dict):
            return None
        content = body.get("content") or {}
        choices = sorted(
            (m for m in content if media_kind(m) is not None),
            key=lambda m: _BODY_PREFERENCE.index(str(media_kind(m))),
        )
        if not choices and not content:
            return None
        # Only unsupported media types (application/cbor, application/xml): raw bytes sent
        # with the first one as their content type (validation warned).
        media = choices[0] if choices else sorted(content)[0]
        kind = cast(BodyKind, media_kind(media) or "binary")
        schema = (content[media] or {}).get("schema") or {}
        model = self.ref_class(schema["$ref"]) if "$ref" in schema else None
        fields: tuple[BodyField, ...] = ()
        if model and kind in ("json", "multipart", "form"):
            fields = self.body_fields(model, taken, deref(self.data, schema), kind == "multipart")
        type_hint = {"binary": "bytes", "text": "str"}.get(kind) or self.python_type(schema)
        return RequestBody(
            kind=kind,
            content_type=media,
            type_hint=type_hint,
            model=model,
            fields=fields,
            required=bool(body.get("required")),
            description=text(body.get("description")),
            encoding=_form_encoding(content[media]) if kind == "form" else (),
            part_types=_part_types(content[media]) if kind == "multipart" else (),
        )

    def body_fields(
        self, model: str, taken: set[str], schema: Any, multipart: bool
    ) -> tuple[BodyField, ...]:
        """The model's fields as keyword arguments, renamed where a parameter (in `taken`,
        which grows) or the method's own argument has the name. `schema` (the body's, resolved)
        says which are `readOnly`; a multipart body's `bytes` fields take any `FileTypes`."""
        properties = self.properties(schema)
        result = []
        for field in self.models.fields.get(model, ()):
            python_name = python_identifier(field.wire_name, fallback="field")
            while python_name in taken or python_name in RESERVED_ARGUMENTS:
                python_name += "_"
            taken.add(python_name)
            prop = deref(self.data, (properties or {}).get(field.wire_name))
            hint = _file_types(field.annotation) if multipart else field.annotation
            result.append(
                BodyField(
                    name=field.wire_name,
                    python_name=python_name,
                    type_hint=hint,
                    required=field.required,
                    read_only=self.read_only(prop),
                )
            )
        return tuple(sorted(result, key=lambda f: f.python_name))

    def properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """A schema's properties with those of its `allOf` members (a model's base classes)."""
        schema = deref(self.data, schema)
        if not isinstance(schema, dict) or depth > 20:
            return {}
        found: dict[str, Any] = {}
        for member in schema.get("allOf") or []:
            found.update(self.properties(member, depth + 1))
        found.update(schema.get("properties") or {})
        return found

    def read_only(self, schema: Any, depth: int = 0) -> bool:
        """Whether a property is the server's to set: `readOnly` on it, or on a schema its
        `$ref` or any of its `allOf` members names (`allOf: [{$ref: Id}]` beside a
        description, `Id` being `readOnly`)."""
        schema = deref(self.data, schema)
        if not isinstance(schema, dict) or depth > 20:
            return False
        if schema.get("readOnly") is True:
            return True
        members = schema.get("allOf")
        return isinstance(members, list) and any(self.read_only(m, depth + 1) for m in members)

    # -- responses -----------------------------------------------------------------------
    def is_file(self, media_object: Any) -> bool:
        """Whether a media type object holds raw bytes (`type: string, format: binary`): so a
        `*/*` response of that schema is a file of any type, not JSON."""
        if not isinstance(media_object, dict):
            return False
        schema = deref(self.data, media_object.get("schema"))
        return (
            isinstance(schema, dict)
            and schema.get("type") == "string"
            and schema.get("format") == "binary"
        )

    def response(self, operation: dict[str, Any]) -> ResponseShape:
        """The first success response (else `default`): what the method returns."""
        responses = operation.get("responses") or {}
        success = sorted(s for s in responses if s.startswith("2")) or (
            ["default"] if "default" in responses else []
        )
        if not success:
            return ResponseShape("", "empty", "None", None, True)
        status = success[0]
        content = (deref(self.data, responses[status]) or {}).get("content") or {}
        if not content or status == "204":
            return ResponseShape(status, "empty", "None", None, True)
        kinds = {m: media_kind(m) for m in content}
        json_media = sorted(
            m for m, k in kinds.items() if k == "json" and not self.is_file(content[m])
        )
        if not json_media:
            return ResponseShape(status, "binary", "bytes", None, True)
        schema = (content[json_media[0]] or {}).get("schema")
        page_item = self.page_item(schema)
        if page_item is not None:
            item_schema = deref(self.data, schema)["properties"]["results"]["items"]
            return ResponseShape(
                status, "json", page_item, page_item, self.provenance_strict(item_schema)
            )
        strict = self.provenance_strict(schema)
        if isinstance(schema, dict) and schema.get("type") == "array":
            strict = self.provenance_strict(schema.get("items"))
        return ResponseShape(status, "json", _class_members(self.python_type(schema)), None, strict)

    def page_item(self, schema: Any) -> str | None:
        """The item class when a response is a DRF page: {count, next, previous, results: [X]}."""
        target = deref(self.data, schema) if isinstance(schema, dict) else None
        if not isinstance(target, dict):
            return None
        properties = target.get("properties") or {}
        results = properties.get("results") or {}
        items = results.get("items") if isinstance(results, dict) else None
        if "next" in properties and isinstance(items, dict) and "$ref" in items:
            return self.ref_class(items["$ref"])
        return None

    def errors(self, operation: dict[str, Any]) -> tuple[ErrorResponse, ...]:
        result = []
        for status, raw in sorted((operation.get("responses") or {}).items()):
            if status[:1] in ("4", "5"):
                response = deref(self.data, raw) or {}
                exception = status_exception(status)
                result.append(
                    ErrorResponse(status, f"{exception}: {text(response.get('description'))}")
                )
        return tuple(result)

    # -- the operation -------------------------------------------------------------------
    def operation(
        self, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
    ) -> Operation:
        params = self.params(path, op, item)
        body = self.request_body(op, taken={p.python_name for p in params})
        return Operation(
            operation_id=op["operationId"],
            python_name=operation_method_name(op["operationId"], method, path),
            method=method.upper(),
            path=path,
            tag=operation_tag(op, path),
            summary=text(op.get("summary")),
            description=text(op.get("description")),
            deprecated=bool(op.get("deprecated")),
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            cookie_params=tuple(p for p in params if p.location == "cookie"),
            body=body,
            response=self.response(op),
            errors=self.errors(op),
            provenance=_optional_text(op.get("x-provenance")),
            provenance_source=_optional_text(op.get("x-provenance-source")),
            provenance_note=_optional_text(op.get("x-provenance-note")),
            poll=self.poll(op),
            security=operation_requirement(op),
        )

    def poll(self, op: dict[str, Any]) -> Poll | None:
        """`x-poll: {property, done}` on a JSON operation with one path parameter."""
        spec = op.get("x-poll")
        if not isinstance(spec, dict) or not isinstance(spec.get("property"), str):
            return None
        done = spec.get("done")
        if not isinstance(done, list) or not all(isinstance(v, str) for v in done):
            return None
        attribute = next(
            (
                field.python_name
                for field in self.models.fields.get(self.response(op).type_hint, ())
                if field.wire_name == spec["property"]
            ),
            None,
        )
        if attribute is None:
            return None
        return Poll(attribute, tuple(done))
