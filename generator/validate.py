"""Stage 2: is this a document we can generate from? Every problem comes back with a location.

The checks run in rounds; each round assumes the ones before it passed, and the first round
that finds problems is what is reported:

1. the version gate (Swagger 2, a missing or unquoted `openapi`);
2. references: dangling, remote, to other files, to the wrong kind of object, cycles of pure
   `$ref`s or of `allOf` (the validator itself recurses forever on those), path item `$ref`s;
3. structure, against the OpenAPI JSON Schema; each error is narrowed to its most specific
   JSON pointer and said in one short sentence;
4. our semantic checks: operationIds, Python names, path parameters, bodies, tags, routes;
5. openapi-spec-validator's own checks (schema dialects, defaults), located.

Valid OpenAPI that the later stages cannot turn into code (XML-only bodies,
remote and multi-file `$ref`s, path item `$ref`s, schema `$ref`s outside
`#/components/schemas`) is reported in rounds 2 and 4 as "not supported", saying what to do.

At most `MAX_DIAGNOSTICS` problems are listed, sorted by line and pointer.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .document import (
    DATA_KEYS,
    component_schemas,
    deref,
    iter_operations,
    iter_refs,
    media_kind,
    pointer,
    pointer_tokens,
    ref_pointer,
    resolve_pointer,
)
from .errors import Diagnostic, SpecError
from .forked import ignore_interrupts, interrupts_held, stop_child
from .ir.naming import class_name, method_name, tag_module
from .load import LoadedSpec

# Media types the client and stub know how to send and receive.
SUPPORTED_REQUEST_MEDIA = ("application/json", "multipart/form-data", "application/octet-stream")
MAX_DIAGNOSTICS = 20
_PATH_PARAM_RE = re.compile(r"\{([^{}]+)\}")
_COMPONENT_KINDS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "request body",
    "headers": "header",
    "securitySchemes": "security scheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "path item",
}


def validate(spec: LoadedSpec) -> None:
    """Raise `SpecError` listing every problem found; return quietly for a usable document."""
    validate_structure(spec)
    _raise_if(spec, _keyword_errors(spec))


def validate_structure(spec: LoadedSpec) -> None:
    """Rounds 1 to 4: cheap, and all that the later stages rely on (every `$ref` resolves, no
    reference cycles, the document has the shape of OpenAPI, names and parameters are sound).
    """
    _check_version(spec)
    for check in (_reference_errors, _structure_errors, _semantic_errors):
        _raise_if(spec, list(check(spec)))


class KeywordRound:
    """Round 5, openapi-spec-validator's own checks, in a forked process.

    It is most of validation's time (0.6 s on the real spec, its import included) and
    nothing later depends on it, so the pipeline starts it first, runs rounds 1 to 4 and
    builds the models meanwhile, and calls `finish()` before writing anything (or `close()`
    when an earlier round failed: its problems are the ones reported). Where fork is
    unavailable, or the child dies, the round runs in this process instead: the answer is
    the same, only later.
    """

    def __init__(self, spec: LoadedSpec) -> None:
        import multiprocessing

        self._spec = spec
        self._process: Any = None
        self._receiver: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_keyword_child, args=(spec, sender), daemon=True)
        with interrupts_held():
            self._process.start()
        sender.close()  # the child holds the only writing end: a dead child means EOF

    def finish(self) -> None:
        """Wait for the round; raise `SpecError` when it found problems."""
        problems: list[Diagnostic] | None = None
        if self._receiver is not None:
            # EOF: the child died without answering, and the round reruns here
            with contextlib.suppress(EOFError):
                problems = self._receiver.recv()
        self.close()
        _raise_if(self._spec, _keyword_errors(self._spec) if problems is None else problems)

    def close(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted)."""
        stop_child(self._process, self._receiver)
        self._process = self._receiver = None


def _keyword_child(spec: LoadedSpec, sender: Any) -> None:
    ignore_interrupts()
    # This round has time to spare, the model process beside it does not: yield to it when
    # both want a core (on two cores a cold run is ~5% faster, in A/B runs of 15 alternations).
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)
    # What it inherited (the loaded spec, the modules) outlives it: frozen, the collector
    # does not rescan it at every collection the round's allocations set off.
    gc.freeze()
    problems = _keyword_errors(spec)
    try:
        sender.send(problems)
        sender.close()
    except OSError:  # the parent is gone (killed): nobody to tell
        pass


def _raise_if(spec: LoadedSpec, diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        return
    unique = sorted(set(diagnostics), key=lambda d: (d.file, d.line or 0, d.pointer, d.message))
    if len(unique) > MAX_DIAGNOSTICS:
        hidden = len(unique) - MAX_DIAGNOSTICS
        unique = unique[:MAX_DIAGNOSTICS]
        unique.append(Diagnostic(f"{hidden} more problem(s) not shown; fix these first", spec.path))
    raise SpecError(unique)


# -- 1. version ------------------------------------------------------------------------------
def _check_version(spec: LoadedSpec) -> None:
    data = spec.data
    if "swagger" in data:
        raise SpecError(
            [
                spec.diagnostic(
                    f"Swagger {data.get('swagger')} documents are not supported; convert the "
                    "document to OpenAPI 3 first (for example with `npx swagger2openapi`) "
                    "and generate from the result",
                    "/swagger",
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        keys = ", ".join(repr(k) for k in list(data)[:5])
        raise SpecError(
            [
                spec.diagnostic(
                    "not an OpenAPI document: the `openapi` version field is missing "
                    f"(top-level keys: {keys})"
                )
            ]
        )
    if isinstance(version, int | float) and not isinstance(version, bool):
        raise SpecError(
            [
                spec.diagnostic(
                    f"the OpenAPI version {version!r} is a number; write the full version as a "
                    'string, e.g. `openapi: "3.0.3"` or `openapi: "3.1.0"`',
                    "/openapi",
                )
            ]
        )
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+", version):
        raise SpecError(
            [
                spec.diagnostic(
                    f"unsupported OpenAPI version {version!r}; supported: 3.0.x and 3.1.x",
                    "/openapi",
                )
            ]
        )


# -- shared helpers --------------------------------------------------------------------------
_TOO_DEEP = "invalid OpenAPI: the document recurses too deeply to check"


def _enum_message(error: Any) -> str:
    return (
        f"{_short(repr(error.instance), 40)} is not one of "
        f"{_short(repr(error.validator_value), 100)}"
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# -- 2. references ---------------------------------------------------------------------------
def _position_kind(tokens: list[str]) -> str | None:
    """What kind of object a `$ref` stands for, from where it sits (`None`: cannot tell)."""
    if tokens[:2] == ["components", "schemas"]:
        return "schemas"
    for index, token in enumerate(tokens):
        if token == "schema" and (
            index == 0
            or tokens[index - 1] not in ("headers", "examples", "links", "callbacks", "properties")
        ):
            return "schemas"
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in _COMPONENT_KINDS:
        return tokens[1]
    if len(tokens) == 2 and tokens[0] in ("paths", "webhooks"):
        return "pathItems"
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2:
        parent = tokens[-2]
        if parent == "parameters" and tokens[-1].isdigit():
            return "parameters"
        if parent in ("responses", "headers", "examples", "links", "callbacks"):
            return {
                "responses": "responses",
                "headers": "headers",
                "examples": "examples",
                "links": "links",
                "callbacks": "callbacks",
            }[parent]
    return None


def _reference_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    base = spec.location.parent if spec.location is not None else Path(spec.path).parent
    for ptr, ref in iter_refs(data):
        holder = pointer_tokens(ptr)[:-1]
        kind = _position_kind(holder)
        if kind == "pathItems" and holder[0] == "paths":
            yield spec.diagnostic(
                f"path item $ref {ref!r} is not supported; write the operations under the path "
                "itself",
                ptr,
            )
            continue
        if not ref.startswith("#"):
            target = ref.split("#", 1)[0]
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                yield spec.diagnostic(
                    f"remote $ref {ref!r} is not supported; bundle the document into one file "
                    "(for example `npx @redocly/cli bundle`)",
                    ptr,
                )
            elif not (base / target).is_file():
                yield spec.diagnostic(
                    f"$ref {ref!r}: file {target!r} does not exist (looked in the spec's "
                    "directory)",
                    ptr,
                )
            else:
                yield spec.diagnostic(
                    f"$ref {ref!r} refers to another file; multi-file specs are not supported "
                    "yet: bundle the document into one file (for example `npx @redocly/cli "
                    "bundle`)",
                    ptr,
                )
            continue
        try:
            target_value = resolve_pointer(data, ref)
        except KeyError:
            yield spec.diagnostic(f"$ref {ref!r} points to nothing", ptr)
            continue
        target_tokens = pointer_tokens(ref_pointer(ref))
        target_kind = (
            target_tokens[1]
            if len(target_tokens) >= 3 and target_tokens[0] == "components"
            else None
        )
        if kind == "schemas" and target_kind is None:
            yield spec.diagnostic(
                f"schema $ref {ref!r} points outside #/components/schemas; that is not "
                "supported: move the schema to #/components/schemas and refer to it there",
                ptr,
            )
        elif kind == "schemas" and target_kind != "schemas":
            yield spec.diagnostic(
                f"$ref {ref!r} is where a schema belongs, but points to "
                f"{_a(_COMPONENT_KINDS.get(str(target_kind), str(target_kind)))}",
                ptr,
            )
        elif kind not in (None, "schemas") and target_kind is not None and target_kind != kind:
            yield spec.diagnostic(
                f"$ref {ref!r} is where {_a(_COMPONENT_KINDS[kind])} belongs, but points to "
                f"{_a(_COMPONENT_KINDS.get(target_kind, target_kind))}",
                ptr,
            )
        elif kind not in (None, "schemas") and not isinstance(target_value, dict):
            yield spec.diagnostic(f"$ref {ref!r} points to a value that is not an object", ptr)
    yield from _discriminator_errors(spec)
    yield from _cycle_errors(spec)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _iter_schema_dicts(value: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping under `value` (skipping data keys), with its pointer."""
    stack: list[tuple[Any, str]] = [(value, ptr)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            yield where, node
            stack.extend(
                (child, where + pointer(key))
                for key, child in node.items()
                if key not in DATA_KEYS
            )
        elif isinstance(node, list):
            stack.extend((child, where + pointer(i)) for i, child in enumerate(node))


def _discriminator_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    schemas = component_schemas(spec.data)
    for where, node in _iter_schema_dicts(spec.data.get("components"), "/components"):
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            continue
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            continue
        for value_name, target in mapping.items():
            at = where + pointer("discriminator", "mapping", value_name)
            if not isinstance(target, str):
                continue
            if target.startswith("#"):
                try:
                    resolve_pointer(spec.data, target)
                except KeyError:
                    yield spec.diagnostic(
                        f"discriminator mapping {value_name!r} -> {target!r} points to nothing", at
                    )
            elif "/" in target or "." in target:
                yield spec.diagnostic(
                    f"discriminator mapping {value_name!r} -> {target!r} refers to another file; "
                    "not supported",
                    at,
                )
            elif target not in schemas:
                yield spec.diagnostic(
                    f"discriminator mapping {value_name!r} -> {target!r}: no schema of that name "
                    "in #/components/schemas",
                    at,
                )


def _cycle_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """`A: {$ref: B}`, `B: {$ref: A}` names nothing; `A: {allOf: [{$ref: A}]}` extends itself.
    Both are infinite: the validator and the model generator recurse forever on them."""
    data = spec.data
    reported: set[frozenset[str]] = set()

    def edges(ptr: str) -> list[tuple[str, str]]:
        """(how, target pointer) for what the node at `ptr` *is made of*."""
        try:
            node = resolve_pointer(data, "#" + ptr)
        except KeyError:
            return []
        result = []
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
                result.append(("$ref", ref_pointer(node["$ref"])))
            members = node.get("allOf")
            for index in range(len(members) if isinstance(members, list) else 0):
                result.append(("allOf", ptr + pointer("allOf", index)))
        return result

    def walk(start: str) -> list[str] | None:
        path = [start]
        on_path = {start}
        stack = [iter(edges(start))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            target = step[1]
            if target in on_path:
                return [*path[path.index(target) :], target]
            if len(path) > 200:
                return None
            path.append(target)
            on_path.add(target)
            stack.append(iter(edges(target)))
        return None

    starts = [ptr[: -len("/$ref")] for ptr, _ in iter_refs(data)]
    starts += [
        where
        for where, node in _iter_schema_dicts(data.get("components"), "/components")
        if isinstance(node.get("allOf"), list)
    ]
    for start in sorted(set(starts)):
        cycle = walk(start)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        names = [_component_name(p) for p in cycle]
        shown = " -> ".join(n for i, n in enumerate(names) if i == 0 or n != names[i - 1])
        if any("/allOf/" in p for p in cycle):
            message = (
                f"schema cycle through allOf ({shown}): a schema cannot extend itself; "
                "recursion is only supported through properties or items"
            )
        else:
            message = f"circular $ref chain ({shown}): these references never reach a schema"
        yield spec.diagnostic(message, min(cycle, key=lambda p: (spec.line_of(p) or 0, p)))


def _component_name(ptr: str) -> str:
    tokens = pointer_tokens(ptr)
    if len(tokens) >= 3 and tokens[0] == "components":
        return tokens[2]
    return ptr


# -- 3. structure ----------------------------------------------------------------------------
def _structure_errors(spec: LoadedSpec) -> list[Diagnostic]:
    """Validate against the OpenAPI JSON Schema: fast (Rust) first, then, only when something
    is wrong, the Python validator, whose errors carry the context to pinpoint each one."""
    v31 = spec.data["openapi"].startswith("3.1")
    fast = _fast_structure_validator("3.1" if v31 else "3.0")
    try:
        if fast is not None and fast.is_valid(spec.data):
            return []
    except Exception:
        pass  # fall through to the Python validator
    from jsonschema.exceptions import best_match
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    validator = create_validator(schema_v31 if v31 else schema_v30)
    problems = []
    try:
        for error in validator.iter_errors(spec.data):
            narrowed = _narrow(error, best_match)
            conditional = "then" in narrowed.schema_path or "else" in narrowed.schema_path
            problems.append((_structure_diagnostic(spec, narrowed), conditional))
            if len(problems) > 4 * MAX_DIAGNOSTICS:
                break
    except RecursionError:
        problems.append((spec.diagnostic(_TOO_DEEP), False))
    # An if/then rule (`responses` needs `default` when it has no valid status code) is noise
    # next to a more specific error inside the same object.
    return [
        d
        for d, conditional in problems
        if not conditional
        or not any(o.pointer.startswith(d.pointer + "/") for o, _ in problems if o is not d)
    ]


def _narrow(error: Any, best_match: Any) -> Any:
    """The most specific error under a oneOf/anyOf failure: the deepest one, ignoring the
    "it is not a $ref either" branch."""
    while error.context:
        candidates = [
            c
            for c in error.context
            if not (c.validator == "required" and "'$ref'" in str(c.message))
        ]
        if not candidates:
            break
        deepest = max(len(c.absolute_path) for c in candidates)
        error = best_match([c for c in candidates if len(c.absolute_path) == deepest])
    return error


def _fast_structure_validator(version: str) -> Any:
    """jsonschema-rs over openapi-spec-validator's own copy of the OpenAPI schema, which is
    what that library validates with when jsonschema-rs is installed. The file is read
    without importing the library: its import (a third of a second) is left to the
    keyword round, which runs in parallel."""
    try:
        with interrupts_held():  # a Ctrl-C in its import is a Rust panic, printed by Rust
            import jsonschema_rs
    except ImportError:  # pragma: no cover
        return None
    package = importlib.util.find_spec("openapi_spec_validator")
    if package is None or not package.submodule_search_locations:  # pragma: no cover
        return None
    location = Path(package.submodule_search_locations[0])
    schema_file = location / "resources" / "schemas" / f"v{version}" / "schema.json"
    try:
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        return jsonschema_rs.validator_cls_for(schema)(schema)
    except (OSError, ValueError):  # pragma: no cover - a different library layout
        return None


def _structure_diagnostic(spec: LoadedSpec, error: Any) -> Diagnostic:
    path = list(error.absolute_path)
    validator = error.validator
    message = str(error.message)
    if validator == "required":
        match = re.match(r"^'?(.*?)'? is a required property$", message)
        message = f"missing required field {match.group(1)!r}" if match else message
    elif validator in ("additionalProperties", "unevaluatedProperties"):
        extra = _unexpected_keys(error)
        if len(extra) == 1:
            path.append(extra[0])
        message = _unexpected_message(path, extra)
    elif validator == "propertyNames" or _is_key_error(spec, path, error):
        if isinstance(error.instance, str):
            path.append(error.instance)
        message = (
            f"name {error.instance!r} is not allowed: component names may contain only "
            "ASCII letters, digits, '.', '_' and '-'"
        )
    elif validator == "type" and path and path[-1] == "type" and isinstance(error.instance, list):
        message = (
            "`type` must be one string in OpenAPI 3.0 (a list of types needs OpenAPI "
            "3.1; for null use `nullable: true`)"
        )
    elif validator in ("oneOf", "anyOf"):
        kinds = [_definition_name(s) for s in (error.validator_value or []) if isinstance(s, dict)]
        kinds = [k for k in kinds if k]
        what = " or ".join(kinds) + " object" if kinds else "any of the allowed forms"
        message = f"not a valid {what}"
        if (path and path[-1] == "schema") or path[:2] == ["components", "schemas"]:
            message += " (check its keywords and their types)"
    elif validator == "enum":
        message = _enum_message(error)
    elif validator == "type":
        message = f"{_short(repr(error.instance), 40)} is not of type {error.validator_value!r}"
    elif validator == "pattern":
        message = f"{_short(repr(error.instance), 60)} does not match {error.validator_value!r}"
    ptr = pointer(*path)
    return spec.diagnostic(f"invalid OpenAPI: {_short(message, 200)}", ptr)


def _is_key_error(spec: LoadedSpec, path: list[Any], error: Any) -> bool:
    """A propertyNames failure: reported at the mapping, about one of its keys."""
    if not isinstance(error.instance, str) or error.validator not in ("pattern", "propertyNames"):
        return False
    try:
        node = resolve_pointer(spec.data, "#" + pointer(*path))
    except KeyError:
        return False
    return isinstance(node, dict) and error.instance in node


def _unexpected_keys(error: Any) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        known = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or {})
        return [
            k
            for k in instance
            if k not in known and not any(re.search(p, str(k)) for p in patterns)
        ]
    found = re.findall(r"'([^']*)'", str(error.message).split("(", 1)[-1])
    return [k for k in found if k in instance] or found


def _unexpected_message(path: list[Any], extra: list[str]) -> str:
    listed = ", ".join(repr(k) for k in extra) or "some field"
    parent = path[-2] if len(extra) == 1 and len(path) >= 2 else (path[-1] if path else "")
    if parent == "paths":
        return f"path {listed} must start with '/'"
    if parent == "responses":
        return (
            f"response code {listed} is not a status code (100-599), a range (1XX-5XX) "
            "or default"
        )
    return f"unexpected field {listed} (not allowed here; extensions start with 'x-')"


def _definition_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return re.sub(r"(?<!^)(?=[A-Z])", " ", ref.rsplit("/", 1)[-1]).lower()
    return ""


# -- 4. semantics ----------------------------------------------------------------------------
def _semantic_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    data = spec.data
    by_operation_id: dict[str, list[str]] = defaultdict(list)
    by_python_name: dict[str, list[str]] = defaultdict(list)
    for path, method, operation, item in iter_operations(data):
        op_ptr = pointer("paths", path, method)
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            by_operation_id[op_id].append(op_ptr)
            by_python_name[method_name(op_id)].append(op_ptr)
        yield from _parameter_errors(spec, path, method, operation, item)
        yield from _body_errors(spec, op_ptr, operation)
    for op_id, places in by_operation_id.items():
        if len(places) > 1:
            for place in places:
                yield spec.diagnostic(f"duplicate operationId {op_id!r}", place + "/operationId")
    for name, places in by_python_name.items():
        ids = {resolve_pointer(data, "#" + p)["operationId"] for p in places}
        if len(places) > 1 and len(ids) > 1:
            listed = ", ".join(sorted(repr(i) for i in ids))
            for place in places:
                yield spec.diagnostic(
                    f"operationIds {listed} collide as the Python name {name!r}",
                    place + "/operationId",
                )
    by_class: dict[str, list[str]] = defaultdict(list)
    for schema_name in component_schemas(data):
        by_class[class_name(schema_name)].append(schema_name)
    for cls, names in by_class.items():
        if len(names) > 1:
            listed = ", ".join(repr(n) for n in sorted(names))
            for schema_name in names:
                yield spec.diagnostic(
                    f"schema names {listed} collide as the Python class {cls!r}",
                    pointer("components", "schemas", schema_name),
                )
    yield from _path_errors(spec)
    yield from _tag_errors(spec)


def _path_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """Paths that cannot be routes, and paths that are one route under two spellings."""
    paths = spec.data.get("paths")
    by_shape: dict[str, list[str]] = defaultdict(list)
    for path in paths if isinstance(paths, dict) else ():
        if path.startswith("x-"):
            continue
        ptr = pointer("paths", path)
        if "?" in path or "#" in path:
            yield spec.diagnostic(
                f"path {path!r} contains a query string or fragment; declare query parameters "
                "instead",
                ptr,
            )
        if path.count("{") != path.count("}") or re.search(r"\{[^}]*\{|\{\}", path):
            yield spec.diagnostic(f"path {path!r} has unbalanced or empty {{}} braces", ptr)
        names = _PATH_PARAM_RE.findall(path)
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield spec.diagnostic(
                f"path {path!r} names {{{name}}} more than once; a path parameter can stand "
                "in one place only (rename one, e.g. {" + name + "_2})",
                ptr,
            )
        by_shape[_PATH_PARAM_RE.sub("{}", path)].append(path)
    for shape_paths in by_shape.values():
        if len(shape_paths) > 1:
            listed = ", ".join(repr(p) for p in shape_paths)
            for path in shape_paths:
                yield spec.diagnostic(
                    f"paths {listed} are the same route with different parameter names; "
                    "use one spelling",
                    pointer("paths", path),
                )


def _tag_errors(spec: LoadedSpec) -> Iterator[Diagnostic]:
    """The first tag of an operation becomes a module and a class: two tags must not share
    one name (`naming.tag_words` makes one for a tag without ASCII letters or digits)."""
    tag_paths: dict[str, list[str]] = defaultdict(list)
    tag_pointers: dict[str, str] = {}
    for path, method, operation, _item in iter_operations(spec.data):
        tags = operation.get("tags")
        op_ptr = pointer("paths", path, method)
        if isinstance(tags, list) and tags:
            tag, tag_ptr = tags[0], op_ptr + "/tags/0"
        else:
            tag, tag_ptr = "default", op_ptr
        if not isinstance(tag, str):
            continue
        tag_paths[tag].append(path)
        tag_pointers.setdefault(tag, tag_ptr)
    by_module: dict[str, dict[str, str]] = defaultdict(dict)
    for tag, paths in tag_paths.items():
        module = tag_module(tag, paths)
        by_module[module][tag] = tag_pointers[tag]
    for module, tags_here in by_module.items():
        if len(tags_here) > 1:
            listed = ", ".join(repr(t) for t in sorted(tags_here))
            for tag in sorted(tags_here):
                yield spec.diagnostic(
                    f"tags {listed} collide as the Python module {module!r} (an operation's "
                    "first tag names its module); rename one",
                    tags_here[tag],
                )


def _parameter_errors(
    spec: LoadedSpec, path: str, method: str, operation: dict[str, Any], item: dict[str, Any]
) -> Iterator[Diagnostic]:
    data = spec.data
    op_ptr = pointer("paths", path, method)
    declared: dict[tuple[str, str], str] = {}
    for source, params in (("item", item.get("parameters")), ("op", operation.get("parameters"))):
        seen_here: set[tuple[str, str]] = set()
        for index, raw in enumerate(params or []):
            base_ptr = pointer("paths", path) if source == "item" else op_ptr
            param_ptr = base_ptr + pointer("parameters", index)
            param = deref(data, raw)
            if not isinstance(param, dict):
                continue
            key = (str(param.get("name")), str(param.get("in")))
            if key in seen_here:
                yield spec.diagnostic(
                    f"parameter {key[0]!r} in {key[1]} is declared twice", param_ptr
                )
            seen_here.add(key)
            declared[key] = param_ptr
    in_template = _PATH_PARAM_RE.findall(path)
    for name in in_template:
        if (name, "path") not in declared:
            yield spec.diagnostic(
                f"path parameter {{{name}}} is not declared for {method.upper()} {path}", op_ptr
            )
    for (name, where), param_ptr in sorted(declared.items()):
        if where == "path" and name not in in_template:
            yield spec.diagnostic(
                f"path parameter {name!r} is declared for {method.upper()} but {path!r} has no "
                f"{{{name}}}",
                param_ptr,
            )


def _body_errors(spec: LoadedSpec, op_ptr: str, operation: dict[str, Any]) -> Iterator[Diagnostic]:
    data = spec.data
    body = deref(data, operation.get("requestBody"))
    if isinstance(body, dict):
        content = body.get("content") or {}
        usable = [m for m in content if media_kind(m) is not None]
        if content and not usable:
            listed = ", ".join(sorted(content))
            yield spec.diagnostic(
                f"request body media type(s) {listed} not supported; supported: "
                + ", ".join(SUPPORTED_REQUEST_MEDIA),
                op_ptr + "/requestBody/content",
            )
    for status, raw in (operation.get("responses") or {}).items():
        response = deref(data, raw)
        if not isinstance(response, dict):
            continue
        for media, media_obj in (response.get("content") or {}).items():
            # Without a schema the body is typed `Any` and the stub answers the example; with
            # neither there is nothing to type or to answer.
            if (
                media_kind(media) == "json"
                and isinstance(media_obj, dict)
                and "schema" not in media_obj
                and "example" not in media_obj
                and not media_obj.get("examples")
            ):
                yield spec.diagnostic(
                    f"response {status} declares {media} content but no schema (nor an "
                    "example); add `schema: {}` if it may be any JSON",
                    op_ptr + pointer("responses", status, "content", media),
                )


# -- 5. openapi-spec-validator's own checks ------------------------------------------------
def _keyword_errors(spec: LoadedSpec) -> list[Diagnostic]:
    """Schema dialect checks, defaults that do not match their schema, and the like. Errors
    from the validator's schema walk are located by the schema they were found in."""
    from jsonschema.exceptions import best_match
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        ParameterDuplicateError,
        UnresolvableParameterError,
    )

    covered = (DuplicateOperationIDError, ParameterDuplicateError, UnresolvableParameterError)
    problems = []
    try:
        for error in _located_validator(spec)(spec.data).iter_errors():
            if isinstance(error, covered):
                continue  # our semantic round says the same, with a location
            parts = getattr(error, "cofactr_parts", None)
            if parts is None and getattr(error, "absolute_path", None):
                # the fast structural check, stricter than the Python one (regex syntax)
                ptr = pointer(*error.absolute_path)
                problems.append(spec.diagnostic(_strict_message(spec, error, ptr), ptr))
                continue
            ptr = _real_pointer(spec.data, parts) if parts is not None else ""
            narrowed = _narrow(error, best_match) if getattr(error, "context", None) else error
            first = str(getattr(narrowed, "message", narrowed)).strip().splitlines()
            message = first[0] if first else type(error).__name__
            if getattr(narrowed, "validator", None) == "enum":
                message = _enum_message(narrowed)
            if parts is not None and getattr(error, "cofactr_relative", False):
                ptr = _real_pointer(spec.data, (*parts, *narrowed.absolute_path))
            what = getattr(error, "cofactr_what", "")
            problems.append(spec.diagnostic(f"invalid OpenAPI: {what}{_short(message, 200)}", ptr))
            if len(problems) > 4 * MAX_DIAGNOSTICS:
                break
    except RecursionError:
        problems.append(spec.diagnostic(_TOO_DEEP))
    except Exception as exc:  # the validator raises on documents it cannot walk
        message = _short(f"invalid OpenAPI: {type(exc).__name__}: {exc}", 300)
        problems.append(spec.diagnostic(message))
    return problems


def _strict_message(spec: LoadedSpec, error: Any, ptr: str) -> str:
    """A short message for an error of the Rust structural check, whose message starts with
    the whole offending value."""
    message = str(getattr(error, "message", error)).strip()
    match = re.search(r" (is not valid under .*|is not of type .*|is not one of .*)$", message)
    if match:
        text = f"this value {match.group(1)}"
    elif message.startswith(("{", "[")):
        text = "this value is not valid here"
    else:
        text = _short(message, 200)
    try:
        value = resolve_pointer(spec.data, "#" + ptr)
    except KeyError:
        value = None
    for where, node in _iter_schema_dicts(value, ptr):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and not _portable_regex(pattern):
            text += (
                f" (`pattern` {_short(repr(pattern), 80)} at {where}/pattern is not a "
                "valid ECMA-262 regular expression)"
            )
            break
    return f"invalid OpenAPI: {text}"


def _portable_regex(pattern: str) -> bool:
    try:
        import jsonschema_rs

        jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    except ImportError:  # pragma: no cover
        return True
    except Exception:
        return False
    return True


def _real_pointer(data: Any, parts: tuple[Any, ...]) -> str:
    """The pointer of what `parts` reaches, following `$ref`s on the way as the validator does
    (so an error inside a referenced schema points into that schema, not through the ref)."""
    ptr = ""
    node = data
    for part in parts:
        hops = 0
        while (
            isinstance(node, dict)
            and isinstance(node.get("$ref"), str)
            and str(part) not in node
            and hops < 50
        ):
            ref = node["$ref"]
            try:
                node = resolve_pointer(data, ref)
            except KeyError:
                break
            ptr = ref_pointer(ref)
            hops += 1
        ptr += pointer(part)
        if isinstance(node, dict):
            node = node.get(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return ptr


def _located_validator(spec: LoadedSpec) -> Any:
    """The validator class for the document's version, whose schema checks remember where
    each schema is (as `error.cofactr_parts`)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    v31 = spec.data["openapi"].startswith("3.1")
    base = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    schema_keyword = base.keyword_validators.get("schema")
    if schema_keyword is None:  # pragma: no cover - a different validator version
        return base

    fast_meta = _fast_dialect_validator() if v31 else None

    class LocatedSchemaValidator(schema_keyword):  # type: ignore[misc, valid-type]
        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            # The check of each schema against its dialect is most of this round's time in
            # the pure-Python validator. jsonschema-rs answers first; its regular
            # expressions are not Python's, so those go to the validator's own format
            # checker; and the Python validator has the last word on any schema that does
            # not pass both.
            if (
                fast_meta is not None
                and isinstance(schema_value, dict)
                and self._get_schema_dialect_id(schema, schema_value) == fast_meta[0]
                and fast_meta[1].is_valid(schema_value)
                and all(
                    self.schema_validator_format_checker.conforms(pattern, "regex")
                    for pattern in _regexes(schema_value)
                )
            ):
                return None
            return super()._validate_schema_meta(schema, schema_value)

        def __call__(self, schema: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            for error in super().__call__(schema, *args, **kwargs):
                if getattr(error, "cofactr_parts", None) is None:
                    parts = tuple(schema.parts)
                    if not isinstance(error, OpenAPIValidationError):
                        # a default value that does not match its schema
                        parts += ("default", *getattr(error, "path", ()))
                        error = OpenAPIValidationError.create_from(error)
                        # Notes for the reporter ride on the error object itself.
                        error.cofactr_what = "default value does not match its schema: "  # type: ignore[attr-defined]
                    else:
                        error.cofactr_relative = True  # type: ignore[attr-defined]
                    error.cofactr_parts = parts  # type: ignore[attr-defined]
                yield error

    keywords = {**base.keyword_validators, "schema": LocatedSchemaValidator}
    return type(base.__name__, (base,), {"keyword_validators": keywords})


def _fast_dialect_validator() -> tuple[str, Any] | None:
    """(dialect id, jsonschema-rs validator) for the OpenAPI 3.1 schema dialect, built from
    the metaschema files openapi-schema-validator ships; None where that cannot be done."""
    try:
        from importlib.resources import files

        import jsonschema_rs

        root = files("openapi_schema_validator").joinpath("schemas", "oas3.1")
        documents = [
            json.loads(root.joinpath(*name).read_text(encoding="utf-8"))
            for name in (("metaschema.json",), ("vocabularies", "base"))
        ]
        registry = jsonschema_rs.Registry([(d["$id"], d) for d in documents])
        return documents[0]["$id"], jsonschema_rs.validator_for(documents[0], registry=registry)
    except Exception:  # pragma: no cover - a different library layout: Python validates
        return None


def _regexes(value: Any) -> Iterator[str]:
    """Every string under a `pattern` key and every key of a `patternProperties` object, at
    any depth (data under such a key too: a surplus only sends the schema to Python)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "pattern" and isinstance(item, str):
                yield item
            elif key == "patternProperties" and isinstance(item, dict):
                yield from (k for k in item if isinstance(k, str))
            yield from _regexes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _regexes(item)
