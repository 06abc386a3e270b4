"""Overlays (OpenAPI Overlay Specification 1.0.0): corrections kept beside the spec, applied to
it in order before any stage sees it.

An overlay is `{overlay: 1.0.0, info: {title, version}, actions: [...]}`; each action has a
`target` (an RFC 9535 JSONPath query, evaluated by python-jsonpath in its strict mode) and
either `update` (merged into every node the target selects) or `remove: true` (every selected
node removed from its parent). Merging follows the specification: an object into an object
recursively, a property's value replaced unless both sides are objects (merged) or arrays
(the update's items appended); into an array target, the update is appended (an array update
adds each of its items). A target that selects nothing is an error, as is an update of a
primitive value: both usually mean the spec moved under the overlay.

Errors point into the overlay (file, line, JSON pointer, `action N`). The overlaid document
keeps the base document's line numbers for every node still at its pointer, so an error in
the base spec found by a later stage still points at its line.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .document import pointer
from .errors import Diagnostic, SpecError
from .load import LoadedSpec, parse_spec

SUPPORTED = ("1.0.0",)


@dataclass(frozen=True)
class Overlay:
    """One overlay file, read and checked: its actions, and where each came from."""

    path: str  # as messages show it
    raw: bytes
    document: LoadedSpec  # the overlay itself, with its line numbers

    @property
    def actions(self) -> list[dict[str, Any]]:
        actions: list[dict[str, Any]] = self.document.data["actions"]
        return actions

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def error(self, message: str, ptr: str = "") -> Diagnostic:
        return self.document.diagnostic(message, ptr)


def load_overlay(path: Path, *, shown: str | None = None) -> Overlay:
    """Read and check one overlay file; `SpecError` located in it when it is not one."""
    name = shown or str(path)
    try:
        if path.is_dir():
            raise SpecError([Diagnostic("cannot read overlay: it is a directory", name)])
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Diagnostic(f"cannot read overlay: {exc.strerror or exc}", name)]) from None
    document = parse_spec(raw, name)
    overlay = Overlay(name, raw, document)
    problems = _shape_problems(overlay)
    if problems:
        raise SpecError(problems)
    return overlay


def _shape_problems(overlay: Overlay) -> list[Diagnostic]:
    """What makes the document no Overlay 1.0.0 document, each at its pointer."""
    from jsonpath import JSONPathError

    data = overlay.document.data
    problems: list[Diagnostic] = []
    version = data.get("overlay")
    if version not in SUPPORTED:
        problems.append(
            overlay.error(
                f"not an overlay: `overlay` must be one of {', '.join(SUPPORTED)}, not {version!r}",
                "/overlay" if "overlay" in data else "",
            )
        )
    info = data.get("info")
    named = isinstance(info, dict) and all(
        isinstance(info.get(k), str) for k in ("title", "version")
    )
    if not named:
        problems.append(overlay.error("`info` must have a string `title` and `version`", "/info"))
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        problems.append(overlay.error("`actions` must be a non-empty list", "/actions"))
        return problems
    for index, action in enumerate(actions):
        where = pointer("actions", index)
        if not isinstance(action, dict):
            problems.append(overlay.error(f"action {index} is not a mapping", where))
            continue
        target = action.get("target")
        if not isinstance(target, str) or not target:
            problems.append(overlay.error(f"action {index}: `target` must be a JSONPath", where))
        else:
            try:
                _environment().compile(target)
            except JSONPathError as exc:
                first = str(exc).splitlines()[0]
                problems.append(
                    overlay.error(
                        f"action {index}: target {target!r} is not a JSONPath (RFC 9535): {first}",
                        where + "/target",
                    )
                )
        remove = action.get("remove", False)
        if not isinstance(remove, bool):
            problems.append(overlay.error(f"action {index}: `remove` must be true or false", where))
        elif not remove and "update" not in action:
            problems.append(
                overlay.error(f"action {index}: give `update` or `remove: true`", where)
            )
    return problems


def _environment() -> Any:
    from jsonpath import JSONPathEnvironment

    return JSONPathEnvironment(strict=True)


@dataclass(frozen=True)
class OverlaidSpec(LoadedSpec):
    """A spec with overlays applied. `origins` maps each pointer an update wrote to the
    overlay node that wrote it (`relocate` points errors there)."""

    origins: dict[str, Diagnostic] = field(default_factory=dict)


def apply_overlays(spec: LoadedSpec, overlays: Sequence[Overlay]) -> LoadedSpec:
    """The spec with each overlay's actions applied in order; the base is left as it was.
    `SpecError` (located in the overlay) when an action cannot be applied."""
    if not overlays:
        return spec
    data = copy.deepcopy(spec.data)
    origins: dict[str, Diagnostic] = {}
    for overlay in overlays:
        for index, action in enumerate(overlay.actions):
            data = _apply(data, overlay, index, action, origins)
    if not isinstance(data, dict):
        raise SpecError([Diagnostic("the overlays leave no OpenAPI document", overlays[-1].path)])
    return OverlaidSpec(spec.path, data, spec.raw, spec.lines, spec.location, origins=origins)


def validated(spec: LoadedSpec, overlays: Sequence[Overlay]) -> LoadedSpec:
    """The spec with the overlays applied, validated once (as `generate` sees it: a fault of
    the base that an overlay mends is no fault); a problem an overlay wrote is located in the
    overlay, one of the base document keeps its place."""
    from .validate import validate

    overlaid = apply_overlays(spec, overlays)
    try:
        validate(overlaid)
    except SpecError as exc:
        raise relocate(exc, overlaid) from None
    return overlaid


def relocate(error: SpecError, spec: LoadedSpec) -> SpecError:
    """`error` with each problem found in what an overlay wrote pointed at the overlay's line
    and action; problems in the base document keep their place."""
    if not isinstance(spec, OverlaidSpec) or not spec.origins:
        return error
    moved = []
    for diagnostic in error.diagnostics:
        ptr = diagnostic.pointer
        origin = None
        if diagnostic.file == spec.path:
            while True:
                origin = spec.origins.get(ptr)
                if origin is not None or not ptr:
                    break
                ptr = ptr.rsplit("/", 1)[0]
        if origin is None:
            moved.append(diagnostic)
        else:
            message = f"{diagnostic.message} (written by the overlay's {origin.message})"
            moved.append(replace(diagnostic, file=origin.file, line=origin.line, message=message))
    return SpecError(moved)


def _written(
    origins: dict[str, Diagnostic], overlay: Overlay, at: str, value: Any, source: str, index: int
) -> None:
    """Record `at` (and everything under `value`) as written by the overlay node `source`."""
    origins[at] = overlay.error(f"action {index}", source)
    if isinstance(value, dict):
        for key, item in value.items():
            _written(origins, overlay, at + pointer(key), item, source + pointer(key), index)


def _apply(
    data: Any, overlay: Overlay, index: int, action: dict[str, Any], origins: dict[str, Diagnostic]
) -> Any:
    where = pointer("actions", index)
    target = action["target"]
    matches = list(_environment().finditer(target, data))
    if not matches:
        raise SpecError(
            [overlay.error(f"action {index}: target {target!r} matched nothing", where + "/target")]
        )
    if action.get("remove", False):
        # Remove the deepest and last first, so earlier indexes of a list stay valid.
        for parts in sorted((tuple(m.parts) for m in matches), key=_removal_order, reverse=True):
            if not parts:
                raise SpecError([overlay.error(f"action {index}: cannot remove the root", where)])
            parent = _node_at(data, parts[:-1])
            del parent[parts[-1]]
        return data
    update = action["update"]
    for match in matches:
        node = match.obj
        at = str(match.pointer())
        if isinstance(node, dict) and isinstance(update, dict):
            _merge(node, update)
            for key, value in update.items():
                source = where + "/update" + pointer(key)
                _written(origins, overlay, at + pointer(key), value, source, index)
        elif isinstance(node, list):
            items = update if isinstance(update, list) else [update]
            for offset, item in enumerate(items):
                source = where + "/update" + (f"/{offset}" if isinstance(update, list) else "")
                _written(origins, overlay, f"{at}/{len(node) + offset}", item, source, index)
            node.extend(copy.deepcopy(items))
        else:
            what = "a mapping" if isinstance(node, dict) else type(node).__name__
            raise SpecError(
                [
                    overlay.error(
                        f"action {index}: cannot update {match.path} ({what}) with this "
                        "`update`: an update merges a mapping into a mapping or adds to a list",
                        where + "/update",
                    )
                ]
            )
    return data


def _removal_order(parts: tuple[Any, ...]) -> tuple[int, tuple[str, ...]]:
    return len(parts), tuple(f"{p:020d}" if isinstance(p, int) else str(p) for p in parts)


def _node_at(data: Any, parts: Sequence[Any]) -> Any:
    node = data
    for part in parts:
        node = node[part]
    return node


def _merge(node: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        current = node.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            node[key] = copy.deepcopy(value)


def load_overlays(paths: Sequence[Path], shown: Sequence[str] | None = None) -> list[Overlay]:
    """Every overlay file, read and checked; the problems of all of them at once."""
    loaded: list[Overlay] = []
    problems: list[Diagnostic] = []
    for index, path in enumerate(paths):
        try:
            loaded.append(load_overlay(path, shown=shown[index] if shown else None))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise SpecError(problems)
    return loaded


def fingerprint(overlays: Sequence[Overlay]) -> str:
    """The manifest's record of the overlays: `path=sha256` in the order they apply."""
    return ", ".join(f"{o.path}={o.sha256}" for o in overlays)
