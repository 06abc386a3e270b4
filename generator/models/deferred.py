"""Models whose validators are built on first use, not at import.

A spec of a thousand operations has thousands of schemas: pydantic building every class's
validator when models.py is imported made importing a generated client cost tens of seconds
and hundreds of MiB. With `defer_build=True` in each model's config a class is only declared
at import; its schema and validator are built the first time it validates (or is asked for
its JSON schema), and only for the models that use needs.

Every class that subclasses pydantic's `BaseModel` or `RootModel[...]` directly gets it; the
others inherit it (pydantic merges a subclass's config with its bases').

A root model's base needs it too: `RootModel[list[Pet]]` is a class of its own, which pydantic
makes, and builds (with `Pet`'s schema inside), as the base expression is evaluated, so every
root model cost a build at import. Root models subclass `_DeferredRootModel[...]` instead,
defined in models.py: pydantic's `RootModel` with the setting, which its parametrisations
inherit. (Where a schema took one of the names that needs, they keep `RootModel[...]`.)
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .defaults import replace_nodes

_SETTING = "defer_build=True"


def deferred_builds(source: str, tree: ast.Module) -> str:
    """`source` (parsed as `tree`) with `defer_build=True` in the config of every model that
    subclasses a pydantic base directly."""
    pydantic = next(
        (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "pydantic"), None
    )
    if pydantic is None:  # enums only: nothing of pydantic's
        return source
    local = {alias.name: alias.asname or alias.name for alias in pydantic.names}
    bases = {local[name] for name in ("BaseModel", "RootModel") if name in local}
    taken = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    config = local.get("ConfigDict") or next(
        name for name in ("ConfigDict", "PydanticConfigDict", "ConfigDict_") if name not in taken
    )
    encoded = source.encode()
    line_starts = [0]  # of each line, in UTF-8 bytes as ast counts (once: source is large)
    for text in encoded.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(text))

    def segment(node: ast.stmt) -> str:
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = line_starts[node.lineno - 1] + node.col_offset
        return encoded[start : line_starts[node.end_lineno - 1] + node.end_col_offset].decode()

    root = local.get("RootModel", "")
    deferred_root = bool(root) and not taken & {_ROOT, _ROOT_TYPE, "Generic", "TypeVar"}
    edits: list[tuple[ast.expr | ast.stmt, str]] = []
    roots = 0
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(_names(base, bases) for base in node.bases):
            edits.append(_edit(node, config, segment))
            for base in node.bases:
                if deferred_root and isinstance(base, ast.Subscript) and _names(base, {root}):
                    edits.append((base.value, _ROOT))
                    roots += 1
    if not edits:
        return source
    texts = {id(pydantic): segment(pydantic)}
    if "ConfigDict" not in local:
        names = [ast.unparse(alias) for alias in pydantic.names]
        alias = "ConfigDict" if config == "ConfigDict" else f"ConfigDict as {config}"
        texts[id(pydantic)] = f"from pydantic import {', '.join(sorted([*names, alias]))}"
    last = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)][-1]
    if roots:
        texts[id(last)] = texts.get(id(last), segment(last)) + _root_class(root, config)
    edits += [(n, texts[id(n)]) for n in (pydantic, last) if id(n) in texts]
    return replace_nodes(source, list({id(node): (node, text) for node, text in edits}.values()))


_ROOT = "_DeferredRootModel"
_ROOT_TYPE = "_RootT"


def _root_class(root_model: str, config: str) -> str:
    """The base of every root model, put after models.py's imports."""
    return f'''
from typing import Generic, TypeVar

{_ROOT_TYPE} = TypeVar("{_ROOT_TYPE}")


class {_ROOT}({root_model}[{_ROOT_TYPE}], Generic[{_ROOT_TYPE}]):
    """pydantic's `RootModel`, whose parametrisations are built on first use too."""

    model_config = {config}({_SETTING})
'''


def _names(base: ast.expr, bases: set[str]) -> bool:
    """Whether `base` is one of pydantic's bases: `BaseModel`, or `RootModel[...]`."""
    if isinstance(base, ast.Subscript):
        base = base.value
    return isinstance(base, ast.Name) and base.id in bases


def _edit(
    node: ast.ClassDef, config: str, segment: Callable[[ast.stmt], str]
) -> tuple[ast.expr | ast.stmt, str]:
    """The edit that puts the setting in one class: into its `model_config = ConfigDict(...)`
    when it has one, else a line of its own after the docstring (or instead of `pass`)."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and [ast.unparse(t) for t in statement.targets] == ["model_config"]
            and isinstance(statement.value, ast.Call)
            and not statement.value.args
        ):
            call = statement.value
            given = [ast.unparse(k) for k in call.keywords]
            return call, f"{ast.unparse(call.func)}({', '.join([_SETTING, *given])})"
    line = f"model_config = {config}({_SETTING})"
    first = node.body[0]
    text = segment(first)
    if isinstance(first, ast.Pass):
        return first, line
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):  # the docstring
        return first, f"{text}\n\n    {line}\n"
    return first, f"{line}\n\n    {text}"
