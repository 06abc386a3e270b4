"""Which client method calls which operation, for the corpus round trip (roundtrip.py).

The client's methods are found by reading the generated resource modules (`ast`): each method
calls `self._client.request(METHOD, PATH, path_params={wire: argument}, query=...,
headers=...)`, which names the Python name of each parameter. Which operation a method is,
the stub's route module of the same name says (the route on the handler named as the method,
its path the document's key): the path a method sends does not tell apart operations whose
keys differ only by a `#fragment` or `?query` (`POST /meetings`, `POST
/meetings#operation=create-attendees`), which the client sends to the same path.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Method:
    """A client method: where it is, and the Python name of each parameter by wire name."""

    attribute: str  # client.<attribute>
    name: str
    path_params: dict[str, str] = field(default_factory=dict)
    keywords: dict[tuple[str, str], str] = field(default_factory=dict)  # (location, wire)


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _wire_names(node: ast.expr | None) -> dict[str, str]:
    if not isinstance(node, ast.Dict):
        return {}
    return {
        key: value.id
        for k, value in zip(node.keys, node.values, strict=True)
        if k is not None and (key := _literal(k)) is not None and isinstance(value, ast.Name)
    }


def client_methods(package_dir: Path, classes: Mapping[str, str]) -> dict[tuple[str, str], Method]:
    """Every sync resource method by (module, method name); `classes` maps a resource class
    name to its client attribute."""
    found: dict[tuple[str, str], Method] = {}
    for module in sorted((package_dir / "resources").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef) or cls.name not in classes:
                continue
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef):
                    continue
                for call in ast.walk(fn):
                    if not (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Attribute)
                        and call.func.attr in ("request", "request_page")
                        and len(call.args) >= 2
                    ):
                        continue
                    keywords = {k.arg: k.value for k in call.keywords if k.arg}
                    path_params = _wire_names(keywords.get("path_params"))
                    entry = Method(classes[cls.name], fn.name, path_params)
                    for location in ("query", "headers"):
                        for wire, name in _wire_names(keywords.get(location)).items():
                            entry.keywords[(location, wire.lower())] = name
                    found[(module.stem, fn.name)] = entry
                    break
    return found


def stub_routes(routes_dir: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every stub route by (METHOD, path as the router matches it, `?query` or `#fragment`
    kept), to its (module, handler name): the client's resource module and method of that
    operation bear the same names (both are the tag's module and the operation's Python
    name)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for module in sorted(routes_dir.glob("*.py")):
        for fn in ast.parse(module.read_text(encoding="utf-8")).body:
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            for decorator in fn.decorator_list:
                if not isinstance(decorator, ast.Call) or not decorator.args:
                    continue
                path = _literal(decorator.args[0])
                keywords = {k.arg: k.value for k in decorator.keywords if k.arg}
                methods = keywords.get("methods")
                if path is None or not isinstance(methods, ast.List):
                    continue
                for method in filter(None, map(_literal, methods.elts)):
                    found[(method.upper(), path)] = (module.stem, fn.name)
    return found


def router_path(path: str) -> str:
    """A path key as the stub's router matches it (`generator.document.router_path`)."""
    from generator.document import router_path as matched

    return matched(path)
