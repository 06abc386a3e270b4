"""The one place where names from a spec become Python names.

Templates never case or escape raw spec names: the IR carries names made here, so a schema,
operation, parameter or tag is spelled the same in models, client and stub, and `diff` says
what a change does to the client in the names the client really has.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..document import component_schemas, iter_operations
from .runtime import client_attributes, client_exports

# Names a generated module defines or imports at top level; a spec name must not shadow them.
# (The models module's imports, and the runtime's names that every resource module imports
# beside its models.)
_RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "AnyUrl",
        "AsyncAPIClient",
        "AsyncAPIResponse",
        "APIResponse",
        "AsyncPage",
        "AsyncPaginator",
        "AwareDatetime",
        "Base64Str",
        "BaseModel",
        "ConfigDict",
        "Decimal",
        "Enum",
        "ExtraBody",
        "ExtraHeaders",
        "ExtraQuery",
        "Field",
        "IPv4Address",
        "IPv4Interface",
        "IPv4Network",
        "IPv6Address",
        "IPv6Interface",
        "IPv6Network",
        "IntEnum",
        "Json",
        "List",
        "Dict",
        "Literal",
        "Optional",
        "Union",
        "NaiveDatetime",
        "NotGiven",
        "RequestTimeout",
        "RootModel",
        "StrEnum",
        "SyncAPIClient",
        "SyncPage",
        "TypeAdapter",
        "UUID",
        "date",
        "datetime",
        "time",
        "timedelta",
    }
)
_BUILTIN_NAMES = frozenset(dir(builtins))
# The packages the generated code imports besides the standard library (a test keeps this in
# step with generated/): a generated package of the same name would shadow one of them.
GENERATED_CODE_IMPORTS = frozenset(
    {"fastapi", "httpx", "jsonschema", "pydantic", "referencing", "starlette", "uvicorn"}
)
# Top-level directories that tools leave in an output directory (`pip install ./generated`
# builds in build/): `check` ignores them, so no generated package may be named so.
OUTPUT_LEFTOVERS = frozenset({"build", "dist"})
# Longer names cannot fit a 100-column line in a `def`/`class` statement or an annotation.
MAX_NAME_LENGTH = 60
_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def _ascii_words(raw: str) -> list[str]:
    """Split any string into ASCII words (acronyms kept whole: `BOMs` -> ['BO', 'Ms'] avoided)."""
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    # Treat a plural acronym such as "BOMs" or "APIs" as one word.
    text = re.sub(r"([A-Z]{2,})s\b", lambda m: m.group(1).capitalize() + "s", text)
    return _WORD_RE.findall(text)


def snake_case(raw: str) -> str:
    """`Stock Documents` -> `stock_documents`, `RfqLines` -> `rfq_lines`, `BOMs` -> `boms`."""
    words = _ascii_words(raw)
    return "_".join(w.lower() for w in words)


def pascal_case(raw: str) -> str:
    """`purchase order` -> `PurchaseOrder`; keeps inner capitals of `PurchaseOrder`."""
    return "".join(w[:1].upper() + w[1:] for w in _ascii_words(raw))


def _capped(name: str, raw: str, separator: str) -> str:
    """Shorten an over-long name, keeping it unique: a prefix plus a hash of the raw name."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
    if separator == "":
        digest = digest.upper()
    return name[: MAX_NAME_LENGTH - len(digest) - len(separator)].rstrip("_") + separator + digest


def python_identifier(raw: str, *, fallback: str = "value") -> str:
    """A safe snake_case identifier: not a keyword, builtin or dunder; no leading digit."""
    name = snake_case(raw) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    name = _capped(name, raw, "_")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in _BUILTIN_NAMES:
        name += "_"
    return name


def tag_words(tag: str, paths: Iterable[str]) -> str:
    """What a tag's module, client attribute and class are named from: the tag itself, or, for
    a tag without ASCII letters or digits ('Счета', '订单', '🐾'), the first literal segment
    of its operations' first path ('/accounts/{id}/' -> 'accounts'; 'default' if none)."""
    if snake_case(tag):
        return tag
    for path in sorted(paths):
        for segment in path.split("/"):
            if snake_case(segment) and not segment.startswith("{"):
                return segment
    return "default"


def class_name(raw: str) -> str:
    """A safe PascalCase class name for a schema, tag or enum."""
    name = pascal_case(raw) or "Model"
    if name[0].isdigit():
        name = f"Model{name}"
    name = _capped(name, raw, "")
    if keyword.iskeyword(name) or name in _BUILTIN_NAMES or name in _RESERVED_CLASS_NAMES:
        name += "Model"
    return name


def suffixed(base: str, taken: set[str], separator: str = "") -> str:
    """`base`, or `base` + separator + 2, 3, ... : the first that is not taken (then taken)."""
    name, index = base, 2
    while name in taken:
        name = f"{base}{separator}{index}"
        index += 1
    taken.add(name)
    return name


def schema_class_names(schemas: Iterable[str]) -> dict[str, str]:
    """Each schema name -> its model class. Names that make the same class (`User`, `user`;
    `a.b`, `a_b`) are all kept: the one spelled as the class (else the first, sorted) has it,
    the others have it with a number (`User2`), the same every run."""
    by_class: dict[str, list[str]] = defaultdict(list)
    for name in sorted(schemas):
        by_class[class_name(name)].append(name)
    taken = set(by_class)
    result: dict[str, str] = {}
    for cls in sorted(by_class):
        first, *others = sorted(by_class[cls], key=lambda n: (n != cls, n))
        result[first] = cls
        for name in others:
            result[name] = suffixed(cls, taken)
    return result


def package_name_problem(name: str) -> str | None:
    """What is wrong with `name` as the client package's name (the stub's is `<name>_stub`),
    or None. Both must be importable and must not shadow a module the generated code, or code
    beside it, imports: `--package-name platform` would hide the standard library's
    `platform` from everything on the same path."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        return "is not a valid lower-case package name"
    if keyword.iskeyword(name):
        return "is a Python keyword: `import` cannot name it"
    if name in OUTPUT_LEFTOVERS:
        return f"is a directory tools leave in the output ({name}/), which `check` ignores"
    for package in (name, f"{name}_stub"):
        if package in sys.stdlib_module_names:
            return f"would shadow the standard library's module {package!r}"
        if package in GENERATED_CODE_IMPORTS:
            return f"would shadow the {package!r} package the generated code imports"
    return None


def client_class_problem(name: str) -> str | None:
    """What is wrong with `name` as the client class (the async one is `Async<name>`), or
    None. It must be a PascalCase ASCII identifier and take no name the client package
    already uses: a runtime name, or a resource class (`<Tag>Resource`)."""
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        return "is not a PascalCase class name (ASCII letters and digits, first a capital)"
    if len(name) > MAX_NAME_LENGTH - len("Async"):
        return f"is longer than {MAX_NAME_LENGTH - len('Async')} characters"
    taken = (
        _RESERVED_CLASS_NAMES
        | _BUILTIN_NAMES
        | {*client_exports(), "ClassVar", "WebhookEvent"}  # in __init__.py, _client.py
    )
    if name in taken or f"Async{name}" in taken or keyword.iskeyword(name):
        return "is a name the generated client package already uses"
    if name.endswith("Resource"):
        return "ends in 'Resource', as the generated resource classes do"
    return None


def api_key_env_problem(name: str) -> str | None:
    """What is wrong with `name` as the environment variable the client reads its API key
    from, or None."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return "is not an environment variable name (letters, digits and _, not first a digit)"
    return None


def default_operation_id(method: str, path: str) -> str:
    """`GET /pets/{petId}` -> `get_pets_pet_id`, for operations the spec left unnamed."""
    words = [snake_case(part) for part in re.split(r"[/{}]+", path) if part]
    return "_".join([method, *[w for w in words if w]]) or method


def method_name(operation_id: str) -> str:
    """The client method (and stub handler) of an operation."""
    return python_identifier(operation_id, fallback="operation")


def operation_method_name(operation_id: str | None, method: str, path: str) -> str:
    """The method of an operation: from its operationId, or, when that has no ASCII letter or
    digit to name it by ('取得'), from its method and path (`get_pets_pet_id`)."""
    if operation_id is not None and snake_case(operation_id):
        return method_name(operation_id)
    return method_name(default_operation_id(method, path))


_VERSION = re.compile(r"^(api|v\d+([._]\d+)*)$", re.IGNORECASE)


def operation_tag(operation: dict[str, Any], path: str) -> str:
    """The tag that places an operation in the client: its first; without one, the first
    segment of its path that is neither a parameter nor a version (`/v1/customers/{id}` ->
    `customers`), else `default`. Such a name shares its module with a tag that makes the
    same module name (`tag_names`)."""
    tags = operation.get("tags")
    if tags:
        return str(tags[0])
    for segment in path.split("/"):
        if segment and "{" not in segment and not _VERSION.match(segment):
            return segment
    return "default"


def tag_module(tag: str, paths: Iterable[str]) -> str:
    """The module (resources/<module>.py, routes/<module>.py) of a tag's operations."""
    return python_identifier(tag_words(tag, paths), fallback="default")


@dataclass(frozen=True)
class TagNames:
    """How the generated code names one tag."""

    tag: str  # the spec's tag
    module: str
    attribute: str  # client.<attribute>
    class_name: str  # what the resource classes are named from (`resource_classes`)
    resource_class: str  # the class of client.<attribute> on the sync client
    async_resource_class: str  # ... on the async client


# The wrappers of each resource class (`<class>WithRawResponse`, ...), in its module.
RESOURCE_WRAPPERS = ("WithRawResponse", "WithStreamingResponse")


def resource_classes(base: str) -> tuple[str, str]:
    """A tag's sync and async resource classes: `<Base>Resource`, `Async<Base>Resource`; for
    a base whose first word is Async (tag 'Async jobs'), `AsyncJobsResource` and
    `AsyncJobsAsyncResource`, which says async once per meaning (not `AsyncAsyncJobsResource`)."""
    if re.match(r"Async(?![a-z])", base):
        return f"{base}Resource", f"{base}AsyncResource"
    return f"{base}Resource", f"Async{base}Resource"


def _resource_class_names(bases: dict[str, str], models: set[str]) -> dict[str, str]:
    """Each tag -> the base of its resource classes (`resource_classes`): the tag's own
    (`bases`), or with a number (`Jobs2`) where one of its classes, or of their wrappers,
    would take a name an earlier tag's classes or a model have. Tags come in the order of
    `bases` (their modules'), those whose base starts with Async last, so a tag 'Jobs' keeps
    `AsyncJobsResource` from a tag 'Async jobs'."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for tag in sorted(bases, key=lambda t: bool(re.match("Async(?![a-z])", bases[t]))):
        name, number = bases[tag], 2
        while True:
            classes = resource_classes(name)
            names = {*classes, *(c + w for c in classes for w in RESOURCE_WRAPPERS)}
            if not names & (taken | models):
                break
            name, number = f"{bases[tag]}{number}", number + 1
        taken.update(names)
        result[tag] = name
    return result


def tag_names(document: dict[str, Any]) -> dict[str, TagNames]:
    """Each tag that places an operation (see `operation_tag`) -> its names in the client.
    Every tag has a module of its own, and no resource class takes a model's name.

    A tag's attribute is its module's name, unless that is a name the client already has
    (`request`, `close`, ...): then underscores are added until it is free.
    """
    paths: dict[str, list[str]] = defaultdict(list)
    for path, _method, operation, _item in iter_operations(document):
        paths[operation_tag(operation, path)].append(path)
    first: dict[str, str] = {}  # module -> tag
    module_of: dict[str, str] = {}
    by_module: dict[str, list[str]] = defaultdict(list)
    for tag in sorted(paths):
        by_module[python_identifier(tag_words(tag, paths[tag]), fallback="default")].append(tag)
    # Tags that make one module (`Users`, `users`): the one spelled as the module (else the
    # first, sorted) has it, the others have it with a number (`users_2`).
    modules = set(by_module)
    for module in sorted(by_module):
        tags = sorted(by_module[module], key=lambda t: (t != module, t))
        for index, tag in enumerate(tags):
            module_of[tag] = module if index == 0 else suffixed(module, modules, "_")
            first[module_of[tag]] = tag
    # A model named like a resource class keeps its name.
    models = set(schema_class_names(component_schemas(document)).values())
    in_module_order = sorted(module_of, key=lambda t: (module_of[t], t))
    bases = _resource_class_names(
        {tag: class_name(tag_words(tag, paths[tag])) for tag in in_module_order}, models
    )
    reserved = client_attributes()
    taken = set(reserved) | set(first)
    attributes: dict[str, str] = {}
    for module in sorted(first):
        attribute = module
        if module in reserved:
            while attribute in taken:
                attribute += "_"
            taken.add(attribute)
        attributes[module] = attribute
    return {
        tag: TagNames(
            first[module], module, attributes[module], bases[tag], *resource_classes(bases[tag])
        )
        for tag, module in module_of.items()
    }


# What a generated resource object has besides its operations' methods: an operation named so
# gets a number, as two operations of one name do.
RESOURCE_ATTRIBUTES = ("with_raw_response", "with_streaming_response")


# The generated methods' own arguments, and `cast` (typing's, which a method returning a union
# calls): a parameter or body field named so is renamed.
RESERVED_ARGUMENTS = frozenset(
    {"self", "body", "cast", "extra_body", "extra_headers", "extra_query", "timeout"}
)


def argument_names(
    path: str, parameters: Iterable[tuple[str, str]]
) -> list[tuple[tuple[str, str], str]]:
    """The arguments of an operation's method for its (name, location) parameters, in the
    order the method takes them: path parameters as the path names them, then the others by
    location and name. A name already taken, or one of the method's own, gets underscores."""
    first = {key: python_identifier(key[0], fallback="param") for key in parameters}
    path_order = re.findall(r"\{([^{}]+)\}", path)
    in_path = sorted(
        (k for k in first if k[1] == "path"),
        key=lambda k: path_order.index(k[0]) if k[0] in path_order else len(path_order),
    )
    others = sorted((k for k in first if k[1] != "path"), key=lambda k: (k[1], first[k]))
    seen: set[str] = set()
    named = []
    for key in [*in_path, *others]:
        name = first[key]
        while name in seen or name in RESERVED_ARGUMENTS:
            name += "_"
        seen.add(name)
        named.append((key, name))
    return named
