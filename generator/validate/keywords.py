"""Round 5 of validation: openapi-spec-validator's own checks (schema dialects, defaults that
do not match their schema), each located by the schema it was found in. A default that does
not match its schema is no error: it is dropped, with a warning (every one, in one run).
A document `fast.keywords_clean` shows the walk would find nothing in is not walked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from ..document import (
    iter_schema_dicts,
    pointer,
    ref_pointer,
    resolve_pointer,
)
from ..errors import Diagnostic
from ..load import LoadedSpec
from . import fast
from .common import MAX_DIAGNOSTICS, TOO_DEEP, enum_message, narrow, short


def keyword_errors(spec: LoadedSpec) -> tuple[list[Diagnostic], dict[str, str]]:
    """Schema dialect checks and the like, and the defaults that do not match their schema
    (the pointer of each `default` -> why). Errors from the validator's schema walk are
    located by the schema they were found in."""
    from jsonschema.exceptions import best_match
    from openapi_spec_validator.validation.exceptions import (
        DuplicateOperationIDError,
        ParameterDuplicateError,
        UnresolvableParameterError,
    )

    covered = (DuplicateOperationIDError, ParameterDuplicateError, UnresolvableParameterError)
    validator = _located_validator(spec)
    document = _without_path_extensions(spec.data)
    if fast.keywords_clean(document, validator):
        return [], {}
    problems = []
    defaults: dict[str, str] = {}
    try:
        for error in validator(document).iter_errors():
            if isinstance(error, covered):
                continue  # our semantic round says the same, with a location
            default_parts = getattr(error, "cofactr_default", None)
            if default_parts is not None:
                lines = str(getattr(error, "message", error)).strip().splitlines()
                where = _real_pointer(spec.data, default_parts)
                defaults.setdefault(where, short(lines[0] if lines else "", 120))
                continue
            parts = getattr(error, "cofactr_parts", None)
            if parts is None and getattr(error, "absolute_path", None):
                # the fast structural check, stricter than the Python one (regex syntax)
                ptr = pointer(*error.absolute_path)
                problems.append(spec.diagnostic(_strict_message(spec, error, ptr), ptr))
                continue
            ptr = _real_pointer(spec.data, parts) if parts is not None else ""
            narrowed = narrow(error, best_match) if getattr(error, "context", None) else error
            first = str(getattr(narrowed, "message", narrowed)).strip().splitlines()
            message = first[0] if first else type(error).__name__
            if getattr(narrowed, "validator", None) == "enum":
                message = enum_message(narrowed)
            if parts is not None and getattr(error, "cofactr_relative", False):
                ptr = _real_pointer(spec.data, (*parts, *narrowed.absolute_path))
            what = getattr(error, "cofactr_what", "")
            problems.append(spec.diagnostic(f"invalid OpenAPI: {what}{short(message, 200)}", ptr))
            if len(problems) > 4 * MAX_DIAGNOSTICS:
                break
    except RecursionError:
        problems.append(spec.diagnostic(TOO_DEEP))
    except Exception as exc:  # the validator raises on documents it cannot walk
        message = short(f"invalid OpenAPI: {type(exc).__name__}: {exc}", 300)
        problems.append(spec.diagnostic(message))
    return problems, defaults


def _without_path_extensions(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the `x-` keys of its Paths Object left out: the validator reads every key
    there as a path (`x-codegen-contextRoot: /apis/registry/v2` raised KeyError, and a valid
    document was refused). The paths kept are the same objects, so pointers stay true."""
    paths = data.get("paths")
    if not isinstance(paths, dict) or not any(str(key).startswith("x-") for key in paths):
        return data
    return {**data, "paths": {k: v for k, v in paths.items() if not str(k).startswith("x-")}}


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
        text = short(message, 200)
    try:
        value = resolve_pointer(spec.data, "#" + ptr)
    except KeyError:
        value = None
    for where, node in iter_schema_dicts(value, ptr):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and not portable_regex(pattern):
            text += (
                f" (`pattern` {short(repr(pattern), 80)} at {where}/pattern is not a "
                f"valid ECMA-262 regular expression: {ecma_problem(pattern)})"
            )
            break
    return f"invalid OpenAPI: {text}"


def portable_regex(pattern: str) -> bool:
    return ecma_problem(pattern) is None


@cache
def ecma_problem(pattern: str) -> str | None:
    """Why `pattern` is no ECMA-262 regular expression as the validators read `format: regex`
    (jsonschema-rs: Unicode mode, where a lone brace is an error), or None."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover
        return None
    try:
        checker = jsonschema_rs.validator_for({"format": "regex"}, validate_formats=True)
        if checker.is_valid(pattern):
            return None
    except Exception:  # pragma: no cover - a different jsonschema-rs
        pass
    return _lone_brace(pattern) or "not an ECMA-262 regular expression"


def _lone_brace(pattern: str) -> str | None:
    """The usual reason, named: a `{` or `}` that is no `{n}`/`{n,}`/`{n,m}` quantifier."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif not in_class and char == "{":
            quantifier = re.match(r"\{\d+(,\d*)?\}", pattern[index:])
            if quantifier is None:
                return (
                    f"the `{{` at offset {index} starts no {{n,m}} quantifier; escape it as `\\{{`"
                )
            index += quantifier.end()
            continue
        elif not in_class and char == "}":
            return f"the `}}` at offset {index} closes no {{n,m}} quantifier; escape it as `\\}}`"
        index += 1
    return None


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


class _IdList(list[int]):
    """The validator's registries of schemas already seen are lists it asks `id in` for each
    schema it walks: quadratic in the schemas of a document (most of the keyword round's own
    time on a large one). A list that answers `in` from a set; the same answers."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, value: int) -> None:
        super().append(value)
        self._members.add(value)

    def __contains__(self, value: object) -> bool:
        return value in self._members


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

    if v31:
        schema_keyword = fast.with_fast_dialect_check(schema_keyword)

    class LocatedSchemaValidator(schema_keyword):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.visited_schema_ids = _IdList()
            self.meta_checked_schema_ids = _IdList()

        def __call__(self, schema: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            for error in super().__call__(schema, *args, **kwargs):
                if getattr(error, "cofactr_parts", None) is None:
                    parts = tuple(schema.parts)
                    if not isinstance(error, OpenAPIValidationError):
                        # a default value that does not match its schema
                        error = OpenAPIValidationError.create_from(error)
                        # Notes for the reporter ride on the error object itself.
                        error.cofactr_default = (*parts, "default")  # type: ignore[attr-defined]
                    else:
                        error.cofactr_relative = True  # type: ignore[attr-defined]
                    error.cofactr_parts = parts  # type: ignore[attr-defined]
                yield error

    class BodyWalkingOperationValidator(base.keyword_validators["operation"]):  # type: ignore[misc, name-defined]
        """The validator walks parameters' and responses' schemas but not request bodies':
        theirs are checked the same way (a default that does not match, a bad dialect)."""

        def __call__(self, url: str, name: str, operation: Any, *args: Any) -> Iterator[Any]:
            yield from super().__call__(url, name, operation, *args)
            body = operation / "requestBody" if "requestBody" in operation else None
            if body is not None and "content" in body:
                yield from self.registry["content"](body / "content")

    keywords = {
        **base.keyword_validators,
        "schema": LocatedSchemaValidator,
        "operation": BodyWalkingOperationValidator,
    }
    return type(base.__name__, (base,), {"keyword_validators": keywords})
