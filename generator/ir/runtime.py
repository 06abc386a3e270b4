"""What the generator must know about the client runtime it ships, read from the runtime.

The runtime under templates/client/_runtime is copied verbatim into every generated package.
A few facts about it shape the generated code: the names a client object already has (a tag's
attribute must not hide one), the exception class the client raises for each status (named in
method docstrings), and the errors the package re-exports for callers to catch. They are read
from the runtime's own source with `ast`, so each list exists once, in the runtime.
"""

from __future__ import annotations

import ast
from functools import cache

from .. import resources

CLIENT_RUNTIME = "client/_runtime"  # under the templates


@cache
def _module(name: str) -> ast.Module:
    source = resources.template(f"{CLIENT_RUNTIME}/{name}.py").read_text(encoding="utf-8")
    return ast.parse(source)


def _classes(module: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}


def _base_names(node: ast.ClassDef) -> list[str]:
    """The names of a class's bases (`_BaseClient[httpx.Client]` -> `_BaseClient`)."""
    names = []
    for base in node.bases:
        while isinstance(base, ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name):
            names.append(base.id)
    return names


def _defined_names(node: ast.ClassDef) -> set[str]:
    """What a class body defines (methods, properties, class attributes) and what its
    methods assign to `self.<name>`."""
    names: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(statement.name)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names.add(statement.target.id)
        elif isinstance(statement, ast.Assign):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Attribute)
            and isinstance(inner.ctx, ast.Store)
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "self"
        ):
            names.add(inner.attr)
    return names


@cache
def client_attributes() -> frozenset[str]:
    """The public names of `SyncAPIClient` and `AsyncAPIClient` (their base in
    `_base_client` included), which the generated client classes inherit."""
    classes = {
        name: node
        for module in ("_base_client", "_sync_client", "_async_client")
        for name, node in _classes(_module(module)).items()
    }
    names: set[str] = set()
    pending = ["SyncAPIClient", "AsyncAPIClient"]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in classes:
            continue
        seen.add(name)
        names |= _defined_names(classes[name])
        pending.extend(_base_names(classes[name]))
    return frozenset(n for n in names if not n.startswith("_"))


@cache
def status_exceptions() -> dict[str, str]:
    """HTTP status -> the exception class the client raises for it (`_errors._STATUS_ERRORS`)."""
    for node in _module("_errors").body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == "_STATUS_ERRORS":
            assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Dict)
            return {
                str(ast.literal_eval(key)): value.id
                for key, value in zip(node.value.keys, node.value.values, strict=True)
                if key is not None and isinstance(value, ast.Name)
            }
    raise LookupError(f"no _STATUS_ERRORS in the templates' {CLIENT_RUNTIME}/_errors.py")


def status_exception(status: str) -> str:
    """The exception class for an error status, as `make_status_error` chooses it: the
    status's own, else `InternalServerError` for 5XX and `APIStatusError` for the rest."""
    return status_exceptions().get(
        status, "InternalServerError" if status.startswith("5") else "APIStatusError"
    )


@cache
def request_errors() -> tuple[str, ...]:
    """The errors of talking to the API that callers catch: `APIError` and every class of
    `_errors` that derives from `APIConnectionError` or `APIStatusError` (the tree drawn in
    that module's docstring), sorted."""
    classes = _classes(_module("_errors"))

    def derives_from(name: str, root: str) -> bool:
        while name != root:
            bases = _base_names(classes[name]) if name in classes else []
            if not bases:
                return False
            name = bases[0]
        return True

    roots = ("APIConnectionError", "APIStatusError")
    found = {"APIError"} | {n for n in classes if any(derives_from(n, r) for r in roots)}
    return tuple(sorted(found))


# What callers of a client write in their own code and annotations, besides its errors.
_CALLER_NAMES = (
    "NOT_GIVEN",
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncPage",
    "AsyncPaginator",
    "FileTypes",
    "MismatchRecorder",
    "NotGiven",
    "SchemaMismatch",
    "SyncPage",
)


@cache
def public_errors() -> tuple[str, ...]:
    """Every exception class of `_errors` (those of talking to the API, `request_errors`,
    and those raised before or after it: a missing key, a poll that ran out of time, a
    webhook that cannot be parsed), sorted: callers catch them by name."""
    return tuple(sorted(n for n in _classes(_module("_errors")) if not n.startswith("_")))


def client_exports() -> tuple[str, ...]:
    """The runtime names the client package re-exports at its top level: every exception
    (`public_errors`), the NOT_GIVEN sentinel, the page and response types, the record
    `on_schema_mismatch` receives and the hook that writes answers to a file."""
    return (*_CALLER_NAMES, *public_errors())
