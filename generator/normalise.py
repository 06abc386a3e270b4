"""Stage 3: from a validated document to the IR.

Two steps. `normalise_document` makes the document regular: every operation has an
operationId, and every inline object schema in a request or response body is hoisted into
`components.schemas` under a name derived from its operationId, so every body has a model.
`build_api` then reads the regular document plus the generated models into frozen IR values,
sorted so that no spec key order leaks into the output.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import Any, cast

from .errors import SpecError, pointer
from .ir import (
    Api,
    BodyField,
    ErrorResponse,
    Operation,
    Param,
    ParamLocation,
    Poll,
    RequestBody,
    ResponseShape,
    Tag,
)
from .load import LoadedSpec
from .models import ModelsModule
from .names import class_name, pascal_case, python_identifier, snake_case, tag_words
from .text import py_string
from .validate import HTTP_METHODS, deref, iter_operations, media_kind

_SCHEMA_REF = "#/components/schemas/"
_RESERVED_ARGUMENTS = frozenset({"self", "body", "extra_headers", "extra_query", "timeout"})
# The public names the generated clients have from the runtime's SyncAPIClient and
# AsyncAPIClient and from their own class: a tag's attribute must not hide one (a tag
# "Request" would replace `client.request`). A test holds this to the runtime.
CLIENT_ATTRIBUTES = frozenset(
    {
        "aclose",
        "api_key_env_var",
        "auth_header",
        "auth_scheme",
        "base_url",
        "close",
        "default_base_url",
        "max_retries",
        "org_id",
        "package_version",
        "parse_response",
        "request",
        "request_page",
        "request_raw",
        "timeout",
        "user_agent",
    }
)
_STATUS_EXCEPTIONS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "413": "PayloadTooLargeError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def default_operation_id(method: str, path: str) -> str:
    """`GET /pets/{petId}` -> `get_pets_pet_id`, for operations the spec left unnamed."""
    words = [snake_case(part) for part in re.split(r"[/{}]+", path) if part]
    return "_".join([method, *[w for w in words if w]]) or method


def normalise_document(spec: LoadedSpec) -> dict[str, Any]:
    """A deep copy of the document with operationIds filled in and body schemas named."""
    data = copy.deepcopy(spec.data)
    components = data.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    taken = {class_name(name) for name in schemas}

    def hoist(container: dict[str, Any], base: str) -> None:
        schema = container.get("schema")
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            if "$ref" not in schema["items"] and _is_object_schema(schema["items"]):
                name = _unique(base + "Item", taken)
                schemas[name] = schema["items"]
                schema["items"] = {"$ref": _SCHEMA_REF + name}
            return
        if _is_object_schema(schema):
            name = _unique(base, taken)
            schemas[name] = schema
            container["schema"] = {"$ref": _SCHEMA_REF + name}

    for path, method, operation, _item in iter_operations(data):
        if not isinstance(operation.get("operationId"), str):
            operation["operationId"] = default_operation_id(method, path)
        base = pascal_case(operation["operationId"])
        body = operation.get("requestBody")
        if isinstance(body, dict) and "$ref" not in body:
            for media in sorted(body.get("content") or {}):
                hoist(body["content"][media], base + "Request")
        for status in sorted(operation.get("responses") or {}):
            response = operation["responses"][status]
            if isinstance(response, dict) and "$ref" not in response:
                for media in sorted(response.get("content") or {}):
                    suffix = "Response" if status.startswith("2") else f"Response{status}"
                    hoist(response["content"][media], base + suffix)
    _flatten_allof_overrides(schemas)
    _mark_raw_binary_strings(data)
    return data


def _mark_raw_binary_strings(value: Any) -> None:
    """OpenAPI 3.1 writes a file as `{type: string, contentMediaType: ...}` where 3.0 wrote
    `format: binary` (FastAPI does since 0.116): give such a string (one without
    `contentEncoding`, which would make it encoded text) `format: binary`, so the models and
    the client's arguments type it `bytes`, as they do the 3.0 form."""
    if isinstance(value, list):
        for item in value:
            _mark_raw_binary_strings(item)
    elif isinstance(value, dict):
        types = value.get("type")
        if (
            (types == "string" or (isinstance(types, list) and "string" in types))
            and isinstance(value.get("contentMediaType"), str)
            and "contentEncoding" not in value
            and "format" not in value
        ):
            value["format"] = "binary"
        for item in value.values():
            _mark_raw_binary_strings(item)


def _flatten_allof_overrides(schemas: dict[str, Any]) -> None:
    """`Child: {allOf: [{$ref: Parent}, {properties: {x: <another type>}}]}` would become a
    subclass redefining a field with an incompatible type (mypy rejects that); such a schema
    is merged into one flat object instead. Children that only add fields stay subclasses."""
    for name in sorted(schemas):
        schema = schemas[name]
        members = schema.get("allOf") if isinstance(schema, dict) else None
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            continue
        refs = [m for m in members if "$ref" in m]
        if len(refs) != 1 or not str(refs[0]["$ref"]).startswith(_SCHEMA_REF):
            continue
        parent = schemas.get(refs[0]["$ref"][len(_SCHEMA_REF) :])
        if not isinstance(parent, dict) or "allOf" in parent:
            continue
        parts = [parent, *(m for m in members if m is not refs[0]), schema]
        own = {k: v for part in parts[1:] for k, v in (part.get("properties") or {}).items()}
        inherited = parent.get("properties") or {}
        if not any(key in inherited and inherited[key] != own[key] for key in own):
            continue
        merged: dict[str, Any] = {"type": "object"}
        for part in parts:
            merged.update(
                {k: v for k, v in part.items() if k not in ("allOf", "properties", "required")}
            )
        merged["properties"] = {**inherited, **own}
        required = [r for part in parts for r in (part.get("required") or [])]
        if required:
            merged["required"] = list(dict.fromkeys(required))
        schemas[name] = merged


def _is_object_schema(schema: dict[str, Any]) -> bool:
    return (
        schema.get("type") == "object"
        or "properties" in schema
        or any(k in schema for k in ("allOf", "oneOf", "anyOf"))
    )


def _unique(name: str, taken: set[str]) -> str:
    candidate = class_name(name)
    index = 2
    while candidate in taken:
        candidate = f"{class_name(name)}{index}"
        index += 1
    taken.add(candidate)
    return candidate


def _literal(value: str | int) -> str:
    return py_string(value) if isinstance(value, str) else repr(value)


class _Builder:
    """Reads one regular document into IR values; holds the lookups the readers share."""

    def __init__(self, data: dict[str, Any], models: ModelsModule, spec_path: str) -> None:
        self.data = data
        self.models = models
        self.spec_path = spec_path
        self.schemas: dict[str, Any] = data["components"]["schemas"]

    # -- types ---------------------------------------------------------------------------
    def ref_class(self, ref: str) -> str | None:
        if ref.startswith(_SCHEMA_REF):
            name = ref[len(_SCHEMA_REF) :].replace("~1", "/").replace("~0", "~")
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
    def params(self, operation: dict[str, Any], item: dict[str, Any]) -> list[Param]:
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            param = deref(self.data, raw)
            merged[(param["name"], param["in"])] = param
        result = []
        for (name, location), param in merged.items():
            schema = param.get("schema") or {}
            hint = self.python_type(schema)
            if hint == "str" and (deref(self.data, schema) or {}).get("format") == "uuid":
                hint = "str | UUID"  # ids come back as UUID objects; accept them as they are
            result.append(
                Param(
                    name=name,
                    python_name=python_identifier(name, fallback="param"),
                    location=cast(ParamLocation, location),  # validated: OpenAPI's four
                    required=bool(param.get("required")) or location == "path",
                    type_hint=hint,
                    description=_text(param.get("description")),
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
            key=lambda m: ("json", "multipart", "form", "binary").index(str(media_kind(m))),
        )
        if not choices:
            return None
        media = choices[0]
        kind = media_kind(media)
        schema = (content[media] or {}).get("schema") or {}
        model = self.ref_class(schema["$ref"]) if "$ref" in schema else None
        fields: tuple[BodyField, ...] = ()
        if model and kind in ("json", "multipart", "form"):
            fields = self.body_fields(model, taken)
        type_hint = "bytes" if kind == "binary" else self.python_type(schema)
        return RequestBody(
            kind=kind,  # type: ignore[arg-type]
            content_type=media,
            type_hint=type_hint,
            model=model,
            fields=fields,
            required=bool(body.get("required")),
            description=_text(body.get("description")),
        )

    def body_fields(self, model: str, taken: set[str]) -> tuple[BodyField, ...]:
        result = []
        for field in self.models.fields.get(model, ()):
            python_name = python_identifier(field.wire_name, fallback="field")
            while python_name in taken or python_name in _RESERVED_ARGUMENTS:
                python_name += "_"
            taken.add(python_name)
            result.append(
                BodyField(
                    name=field.wire_name,
                    python_name=python_name,
                    type_hint=field.annotation,
                    required=field.required,
                )
            )
        return tuple(sorted(result, key=lambda f: f.python_name))

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
        return ResponseShape(status, "json", self.python_type(schema), None, strict)

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
                exception = _STATUS_EXCEPTIONS.get(
                    status, "InternalServerError" if status.startswith("5") else "APIStatusError"
                )
                result.append(
                    ErrorResponse(status, f"{exception}: {_text(response.get('description'))}")
                )
        return tuple(result)

    # -- operations and tags ---------------------------------------------------------------
    def operation(
        self, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
    ) -> Operation:
        params = self.params(op, item)
        by_location = defaultdict(list)
        for param in params:
            by_location[param.location].append(param)
        path_order = re.findall(r"\{([^{}]+)\}", path)
        path_params = sorted(by_location["path"], key=lambda p: path_order.index(p.name))
        keyword = sorted(
            by_location["query"] + by_location["header"] + by_location["cookie"],
            key=lambda p: (p.location, p.python_name),
        )
        renamed = [*path_params, *keyword]
        _dedupe_python_names(renamed)  # renames in place: take the renamed values back
        path_params, keyword = renamed[: len(path_params)], renamed[len(path_params) :]
        body = self.request_body(op, taken={p.python_name for p in renamed})
        tags = op.get("tags") or ["default"]
        return Operation(
            operation_id=op["operationId"],
            python_name=python_identifier(op["operationId"], fallback="operation"),
            method=method.upper(),
            path=path,
            tag=str(tags[0]),
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            deprecated=bool(op.get("deprecated")),
            path_params=tuple(path_params),
            query_params=tuple(p for p in keyword if p.location == "query"),
            header_params=tuple(p for p in keyword if p.location == "header"),
            cookie_params=tuple(p for p in keyword if p.location == "cookie"),
            body=body,
            response=self.response(op),
            errors=self.errors(op),
            provenance=_optional_text(op.get("x-provenance")),
            provenance_source=_optional_text(op.get("x-provenance-source")),
            provenance_note=_optional_text(op.get("x-provenance-note")),
            poll=self.poll(op),
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


def _client_attribute(module: str, taken: set[str]) -> str:
    """The client's attribute for a tag: its module's name, unless that is one of the
    client's own names (then with underscores added until free; `taken` is updated)."""
    if module not in CLIENT_ATTRIBUTES:
        return module
    attribute = module
    while attribute in taken:
        attribute += "_"
    taken.add(attribute)
    return attribute


def _dedupe_python_names(params: list[Param]) -> None:
    seen: set[str] = set()
    for index, param in enumerate(params):
        name = param.python_name
        while name in seen or name in _RESERVED_ARGUMENTS:
            name += "_"
        seen.add(name)
        if name != param.python_name:
            params[index] = Param(**{**param.__dict__, "python_name": name})


def _union(parts: Any) -> str:
    unique: list[str] = []
    for part in parts:
        for piece in part.split(" | "):
            if piece not in unique:
                unique.append(piece)
    return " | ".join(unique) if unique else "Any"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_KNOWN_MODULES = {"Any": "typing", "Literal": "typing", "UUID": "uuid"}


def _names_in(hint: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"'[^']*'|\"[^\"]*\"", "", hint)))


def _tag_imports(
    operations: list[Operation], models: ModelsModule
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Which model classes and other names a resource module mentions: imports on use."""
    hints: list[str] = []
    for op in operations:
        hints += [p.type_hint for p in (*op.path_params, *op.keyword_params)]
        hints.append(op.response.type_hint)
        if op.body is not None:
            hints.append(op.body.type_hint)
            hints += [f.type_hint for f in op.body.fields]
            if op.body.model:
                hints.append(op.body.model)
    used = set().union(*(_names_in(h) for h in hints)) if hints else set()
    model_names = tuple(sorted(used & models.classes))
    other: set[tuple[str, str]] = set()
    for name in used - models.classes:
        module, original = models.imports.get(name) or (_KNOWN_MODULES.get(name), name)
        if module and module != "__future__":
            other.add((module, name if original == name else f"{original} as {name}"))
    return model_names, tuple(sorted(other))


def build_api(
    data: dict[str, Any], models: ModelsModule, *, spec_path: str, api_key_env: str
) -> Api:
    """Read a normalised document and its models into the IR."""
    builder = _Builder(data, models, spec_path)
    by_tag: dict[str, list[Operation]] = defaultdict(list)
    for path, method, op, item in iter_operations(data):
        operation = builder.operation(path, method, op, item)
        by_tag[operation.tag].append(operation)
    grouped: dict[str, list[Operation]] = defaultdict(list)
    tag_names: dict[str, str] = {}
    tag_classes: dict[str, str] = {}
    for tag in sorted(by_tag):
        words = tag_words(tag, (o.path for o in by_tag[tag]))
        module = python_identifier(words, fallback="default")
        grouped[module].extend(by_tag[tag])
        tag_names.setdefault(module, tag)
        tag_classes.setdefault(module, class_name(words))
    descriptions = {t.get("name"): _text(t.get("description")) for t in data.get("tags") or []}
    tags = []
    taken_attributes = set(CLIENT_ATTRIBUTES) | set(grouped)
    for module in sorted(grouped):
        operations = sorted(
            grouped[module], key=lambda o: (o.path, HTTP_METHODS.index(o.method.lower()))
        )
        _check_unique_methods(operations, spec_path)
        model_imports, other_imports = _tag_imports(operations, models)
        name = tag_names[module]
        tags.append(
            Tag(
                name=name,
                module=module,
                attribute=_client_attribute(module, taken_attributes),
                class_name=tag_classes[module],
                description=descriptions.get(name, ""),
                operations=tuple(operations),
                model_imports=model_imports,
                other_imports=other_imports,
            )
        )
    header, scheme = _auth(data)
    info = data.get("info") or {}
    return Api(
        title=_text(info.get("title")) or "API",
        version=str(info.get("version", "")),
        description=_text(info.get("description")),
        base_url=_base_url(data),
        spec_path=spec_path,
        auth_header=header,
        auth_scheme=scheme,
        api_key_env_var=api_key_env,
        tags=tuple(tags),
        models_source=models.source,
        webhook_record_types=_record_types(builder),
    )


def _check_unique_methods(operations: list[Operation], spec_path: str) -> None:
    seen: dict[str, Operation] = {}
    for op in operations:
        if op.python_name in seen:
            from .errors import Diagnostic

            raise SpecError(
                [
                    Diagnostic(
                        f"operationIds {seen[op.python_name].operation_id!r} and "
                        f"{op.operation_id!r} collide as the method {op.python_name!r}",
                        spec_path,
                        pointer("paths", op.path, op.method.lower(), "operationId"),
                    )
                ]
            )
        seen[op.python_name] = op


def _auth(data: dict[str, Any]) -> tuple[str, str]:
    """The header that carries the key and the word before it (`Api-Key`, `Bearer`, or none)."""
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for name in sorted(schemes):
        scheme = deref(data, schemes[name])
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            prefix = scheme.get("x-api-key-prefix")
            return str(scheme.get("name")), str(prefix) if isinstance(prefix, str) else ""
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return "Authorization", "Bearer"
        if scheme.get("type") in ("oauth2", "openIdConnect"):  # access tokens: RFC 6750
            return "Authorization", "Bearer"
    return "Authorization", ""


def _base_url(data: dict[str, Any]) -> str:
    servers = data.get("servers") or []
    if not servers or not isinstance(servers[0], dict):
        return "http://localhost"
    url = str(servers[0].get("url", ""))
    for name, variable in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(variable.get("default", "")))
    if not re.match(r"^https?://", url):
        return "http://localhost" + ("" if url.startswith("/") or not url else "/") + url
    return url.rstrip("/")


def _record_types(builder: _Builder) -> tuple[tuple[str, str], ...]:
    """Models a webhook `record_type` may name: the responses of single-record GETs."""
    found: set[tuple[str, str]] = set()
    for path, method, op, _item in iter_operations(builder.data):
        if method == "get" and path.rstrip("/").endswith("}"):
            shape = builder.response(op)
            if shape.kind == "json" and shape.type_hint in builder.models.classes:
                found.add((shape.type_hint, shape.type_hint))
    return tuple(sorted(found))
