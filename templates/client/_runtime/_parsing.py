"""Parsing JSON into the generated models, strictly or tolerantly.

Much of the schema was reconstructed from documentation and examples, so some of it is a
guess. A wrong guess must not make a working API unusable, hence two modes:

* ``strict=True``: plain pydantic validation; a mismatch raises (the caller wraps it in
  ``ResponseValidationError``).
* ``strict=False`` (the default): validate first, forbidding unknown fields so that they are
  noticed too. That is the fast path and almost always succeeds. On failure the value is
  rebuilt field by field: a field that validates is typed, one that does not keeps its raw
  JSON value, unknown fields are kept in ``model_extra`` (and as attributes), nested models
  and lists are repaired recursively, and the result is still an instance of the model
  (built with ``model_construct``). Each problem becomes a ``SchemaMismatch`` passed to the
  ``on_schema_mismatch`` hook and logged as a WARNING to ``"<pkg>.schema"``.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AliasChoices, BaseModel, RootModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from ._logs import schema_logger

__all__ = [
    "MismatchHook",
    "SchemaMismatch",
    "parse_value",
    "type_name",
    "validate_strict",
]

_MAX_MESSAGE_CHARS = 300
_MAX_VALUE_REPR = 200


@dataclass(frozen=True, slots=True)
class SchemaMismatch:
    """One place where a response did not match the schema and the raw value was kept.

    ``model`` is the model declaring the field (or the parsed type at the top level),
    ``location`` the dotted path from the top of the parsed document (``"lines.0.status"``,
    ``""`` for the document itself), ``message`` pydantic's explanation, ``value`` the raw
    JSON value that was kept.
    """

    model: str
    location: str
    message: str
    value: object


MismatchHook = Callable[[SchemaMismatch], None]

_adapters: dict[Any, TypeAdapter[Any]] = {}
_field_types: dict[tuple[type[BaseModel], str], Any] = {}
_QUALIFIED = re.compile(r"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)+([A-Za-z_][A-Za-z0-9_]*)")


def type_name(tp: Any) -> str:
    """A short, readable name for a type: ``BOM``, ``list[BOM]``, ``BOM | None``."""
    if isinstance(tp, type) and not get_args(tp):
        return tp.__name__
    return _QUALIFIED.sub(r"\1", repr(tp))


def _adapter(tp: Any) -> TypeAdapter[Any]:
    try:
        adapter = _adapters.get(tp)
    except TypeError:  # unhashable annotation metadata
        return TypeAdapter(tp)
    if adapter is None:
        adapter = TypeAdapter(tp)
        _adapters[tp] = adapter
    return adapter


def _is_model(tp: Any) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def validate_strict(data: object, tp: Any) -> Any:
    """``tp`` validated from ``data``; raises ``pydantic.ValidationError``."""
    if _is_model(tp):
        return tp.model_validate(data)
    return _adapter(tp).validate_python(data)


def _validate_exact(data: object, tp: Any) -> Any:
    """Like ``validate_strict`` but unknown fields are errors too (so they get reported)."""
    if _is_model(tp):
        return tp.model_validate(data, extra="forbid")
    return _adapter(tp).validate_python(data, extra="forbid")


def _location(path: Sequence[object]) -> str:
    return ".".join(str(p) for p in path)


def _messages(error: ValidationError | None) -> str:
    if error is None:
        return "does not match the schema"
    seen: list[str] = []
    for detail in error.errors(include_url=False, include_input=False):
        msg = detail["msg"]
        if msg not in seen:
            seen.append(msg)
    text = "; ".join(seen) or "does not match the schema"
    return (
        text if len(text) <= _MAX_MESSAGE_CHARS else text[:_MAX_MESSAGE_CHARS] + "..."
    )


def _field_type(model: type[BaseModel], name: str, info: FieldInfo) -> Any:
    key = (model, name)
    tp = _field_types.get(key)
    if tp is None:
        tp = (
            Annotated[(info.annotation, *info.metadata)]
            if info.metadata
            else info.annotation
        )
        _field_types[key] = tp
    return tp


def _input_keys(name: str, info: FieldInfo) -> list[str]:
    keys: list[str] = []
    alias = info.validation_alias
    if isinstance(alias, str):
        keys.append(alias)
    elif isinstance(alias, AliasChoices):
        keys.extend(c for c in alias.choices if isinstance(c, str))
    if info.alias and info.alias not in keys:
        keys.append(info.alias)
    if name not in keys:
        keys.append(name)
    return keys


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


_LIST_ORIGINS = (list, tuple, set, frozenset, Sequence, typing.Sequence)
_DICT_ORIGINS = (dict, Mapping, typing.Mapping)


def _shape_fits(tp: Any, value: object) -> bool:
    """Whether ``value`` has the container shape of ``tp`` (so repairing it makes sense)."""
    tp = _unwrap(tp)
    if _is_model(tp):
        if issubclass(tp, RootModel):
            return _shape_fits(tp.model_fields["root"].annotation, value)
        return isinstance(value, Mapping)
    origin = get_origin(tp)
    if origin in _LIST_ORIGINS:
        return isinstance(value, list)
    if origin in _DICT_ORIGINS:
        return isinstance(value, Mapping)
    return False


class _Repairer:
    """Rebuilds a value that failed validation, collecting a ``SchemaMismatch`` per problem."""

    def __init__(self) -> None:
        self.mismatches: list[SchemaMismatch] = []

    def parse(
        self, value: object, tp: Any, path: tuple[object, ...], owner: str
    ) -> Any:
        try:
            return _validate_exact(value, tp)
        except ValidationError as exc:
            return self.repair(value, tp, path, owner, exc)

    def keep(
        self,
        value: object,
        path: tuple[object, ...],
        owner: str,
        error: ValidationError | None,
    ) -> Any:
        self.mismatches.append(
            SchemaMismatch(owner, _location(path), _messages(error), value)
        )
        return value

    def repair(
        self,
        value: object,
        tp: Any,
        path: tuple[object, ...],
        owner: str,
        error: ValidationError | None,
    ) -> Any:
        base = _unwrap(tp)
        if _is_model(base):
            if issubclass(base, RootModel):
                root_info = base.model_fields["root"]
                root = self.parse(
                    value, _field_type(base, "root", root_info), path, owner
                )
                return base.model_construct(root)
            if isinstance(value, Mapping):
                return self.build_model(base, value, path)
            return self.keep(value, path, owner, error)
        origin = get_origin(base)
        args = get_args(base)
        if origin is Union or origin is types.UnionType:
            return self.repair_union(value, args, path, owner, error)
        if origin in _LIST_ORIGINS and isinstance(value, list):
            item_tp = args[0] if args else Any
            return [
                self.parse(v, item_tp, (*path, i), owner) for i, v in enumerate(value)
            ]
        if origin in _DICT_ORIGINS and isinstance(value, Mapping):
            value_tp = args[1] if len(args) == 2 else Any
            return {
                k: self.parse(v, value_tp, (*path, k), owner) for k, v in value.items()
            }
        return self.keep(value, path, owner, error)

    def repair_union(
        self,
        value: object,
        members: tuple[Any, ...],
        path: tuple[object, ...],
        owner: str,
        error: ValidationError | None,
    ) -> Any:
        candidates = [
            m for m in members if m is not type(None) and _shape_fits(m, value)
        ]
        if not candidates:
            return self.keep(value, path, owner, error)
        best: tuple[Any, list[SchemaMismatch]] | None = None
        for member in candidates:  # pick the member that needs the fewest repairs
            trial = _Repairer()
            result = trial.parse(value, member, path, owner)
            if best is None or len(trial.mismatches) < len(best[1]):
                best = (result, trial.mismatches)
        assert best is not None
        self.mismatches.extend(best[1])
        return best[0]

    def build_model(
        self, model: type[BaseModel], data: Mapping[Any, Any], path: tuple[object, ...]
    ) -> BaseModel:
        owner = model.__name__
        values: dict[str, Any] = {}
        fields_set: set[str] = set()
        used: set[object] = set()
        for name, info in model.model_fields.items():
            key = next((k for k in _input_keys(name, info) if k in data), None)
            if key is None:
                if info.is_required():
                    wire_name = _input_keys(name, info)[0]
                    self.mismatches.append(
                        SchemaMismatch(
                            owner, _location((*path, wire_name)), "Field required", None
                        )
                    )
                    values[name] = None
                continue
            used.add(key)
            fields_set.add(name)
            values[name] = self.parse(
                data[key], _field_type(model, name, info), (*path, key), owner
            )
        extras = {str(k): v for k, v in data.items() if k not in used}
        for key, value in extras.items():
            self.mismatches.append(
                SchemaMismatch(
                    owner,
                    _location((*path, key)),
                    "Unknown field (not in the schema)",
                    value,
                )
            )
        instance = model.model_construct(fields_set, **values)
        if extras:
            merged = dict(instance.__pydantic_extra__ or {})
            merged.update(extras)
            object.__setattr__(instance, "__pydantic_extra__", merged)
        return instance


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_VALUE_REPR else text[:_MAX_VALUE_REPR] + "..."


def report_mismatch(
    mismatch: SchemaMismatch, hook: MismatchHook | None, source: str = "Response"
) -> None:
    """Log ``mismatch`` as a WARNING to ``"<pkg>.schema"`` and pass it to ``hook``;
    ``source`` names what did not match (a ``"Response"``, a ``"Webhook"``)."""
    schema_logger.warning(
        "%s does not match the schema: %s at %r: %s (kept value %s)",
        source,
        mismatch.model,
        mismatch.location or "<root>",
        mismatch.message,
        _short_repr(mismatch.value),
    )
    if hook is not None:
        hook(mismatch)


def parse_value(
    data: object,
    tp: Any,
    *,
    strict: bool = False,
    on_mismatch: MismatchHook | None = None,
    path: tuple[object, ...] = (),
    source: str = "Response",
) -> Any:
    """Parse JSON ``data`` as ``tp`` (a model, ``list[Model]``, ``Any``, ...).

    ``strict`` raises ``pydantic.ValidationError`` on any mismatch; otherwise mismatches are
    reported (see the module docstring) and the raw values kept. ``path`` prefixes the
    reported locations, e.g. ``("results", 3)`` for an item of a page; ``source`` names
    what is parsed in the warning (see ``report_mismatch``).
    """
    if tp is Any or tp is object:
        return data
    if strict:
        return validate_strict(data, tp)
    try:
        return _validate_exact(data, tp)
    except ValidationError as exc:
        repairer = _Repairer()
        result = repairer.repair(data, tp, path, type_name(tp), exc)
    for mismatch in repairer.mismatches:
        report_mismatch(mismatch, on_mismatch, source)
    return result
