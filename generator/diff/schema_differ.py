"""Comparing two schemas where they sit in an operation, with the direction of the data in
mind: a request is what the client sends, so narrowing it breaks callers; a response is what
the client reads, so widening it breaks readers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .operations import SpecOperation
from .schema import SchemaView, covers, deref_or_empty, schema_view, shown, type_label

REQUEST, RESPONSE = "request", "response"
# emit(check id, message, operation, location)
Emit = Callable[[str, str, SpecOperation | None, str], None]


@dataclass(frozen=True)
class Site:
    """Where a schema sits: the operation, the part of it, and which way the data flows."""

    operation: SpecOperation
    section: str  # "request body", "response 200", "query parameter `limit`"
    direction: str  # REQUEST or RESPONSE
    parameter: bool = False

    def subject(self, where: str) -> str:
        if self.parameter:
            return "parameter"
        return "body" if not where else "property"

    def location(self, where: str) -> str:
        return f"{self.section} `{where}`" if where else self.section


class SchemaDiffer:
    """Reports the changes between an old and a new schema at one site (recursing into
    properties, items, additional properties and oneOf/anyOf branches)."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any], emit: Emit) -> None:
        self.old = old
        self.new = new
        self.emit = emit
        self._active: set[tuple[int, int]] = set()  # schema pairs being compared (recursion)

    def compare(self, site: Site, where: str, old_raw: Any, new_raw: Any) -> None:
        pair = (id(deref_or_empty(self.old, old_raw)), id(deref_or_empty(self.new, new_raw)))
        if pair in self._active:
            return  # a recursive schema: this pair is already being compared further up
        self._active.add(pair)
        try:
            self._compare_views(
                site, where, schema_view(self.old, old_raw), schema_view(self.new, new_raw)
            )
        finally:
            self._active.discard(pair)

    def _compare_views(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> None:
        if not site.parameter:
            self._nullability(site, where, old, new)
        if self._types(site, where, old, new):
            return  # an incompatible type: what is inside no longer compares
        self._enum(site, where, old, new)
        if not site.parameter:
            self._properties(site, where, old, new)
            self._branches(site, where, old, new)
            if old.additional is not None and new.additional is not None:
                self.compare(site, f"{where}.*" if where else "*", old.additional, new.additional)
        if old.items is not None and new.items is not None:
            self.compare(site, f"{where}[]", old.items, new.items)

    def _nullability(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> None:
        if old.nullable == new.nullable:
            return
        became = "became-nullable" if new.nullable else "became-not-nullable"
        what = f"`{where}`" if where else site.section
        self.emit(
            f"{site.direction}-{site.subject(where)}-{became}",
            f"{what} {'may now be' if new.nullable else 'may no longer be'} null",
            site.operation,
            site.location(where),
        )

    def _types(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> bool:
        """Report a type or format change; True when it is incompatible (stop descending)."""
        if old.types == new.types and old.format == new.format:
            return False
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        message = f"{what} type changed from `{type_label(old)}` to `{type_label(new)}`"
        widened = old.format == new.format and covers(new.types, old.types)
        narrowed = old.format == new.format and covers(old.types, new.types)
        if site.direction == REQUEST and widened:
            self.emit(f"{prefix}-type-generalized", message, site.operation, site.location(where))
            return False
        if site.direction == RESPONSE and narrowed:
            self.emit(f"{prefix}-type-narrowed", message, site.operation, site.location(where))
            return False
        self.emit(f"{prefix}-type-changed", message, site.operation, site.location(where))
        return not (widened or narrowed)

    def _enum(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> None:
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        location = site.location(where)
        if new.enum is None:
            return  # no enum any more: a widening, already visible as no restriction
        if old.enum is None:
            if site.direction == REQUEST:
                values = ", ".join(f"`{shown(new.enum[v])}`" for v in sorted(new.enum))
                self.emit(
                    f"{prefix}-became-enum",
                    f"{what} is restricted to {values}",
                    site.operation,
                    location,
                )
            return
        for value in sorted(old.enum.keys() - new.enum.keys()):
            self.emit(
                f"{prefix}-enum-value-removed",
                f"{what} lost the value `{shown(old.enum[value])}`",
                site.operation,
                location,
            )
        for value in sorted(new.enum.keys() - old.enum.keys()):
            self.emit(
                f"{prefix}-enum-value-added",
                f"{what} has a new value `{shown(new.enum[value])}`",
                site.operation,
                location,
            )

    def _visible(self, site: Site, old: SchemaView, new: SchemaView) -> tuple[set[str], set[str]]:
        """Property names that travel in this direction (readOnly never in requests...)."""
        hidden = "readOnly" if site.direction == REQUEST else "writeOnly"

        def names(doc: dict[str, Any], view: SchemaView) -> set[str]:
            return {
                name
                for name, raw in view.properties.items()
                if not (
                    isinstance(node := deref_or_empty(doc, raw), dict) and node.get(hidden) is True
                )
            }

        return names(self.old, old), names(self.new, new)

    def _properties(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> None:
        old_names, new_names = self._visible(site, old, new)
        for name in sorted(old_names | new_names):
            child = f"{where}.{name}" if where else name
            location = site.location(child)
            if name not in new_names:
                self._property_removed(site, child, location, name in old.required)
            elif name not in old_names:
                self._property_added(site, child, location, name in new.required)
            else:
                self._requiredness(
                    site, child, location, name in old.required, name in new.required
                )
                self.compare(site, child, old.properties[name], new.properties[name])

    def _property_removed(self, site: Site, child: str, location: str, required: bool) -> None:
        if site.direction == REQUEST:
            self.emit(
                "request-property-removed",
                f"removed the request property `{child}`",
                site.operation,
                location,
            )
        else:
            kind = "required" if required else "optional"
            self.emit(
                f"response-{kind}-property-removed",
                f"removed the {kind} response property `{child}`",
                site.operation,
                location,
            )

    def _property_added(self, site: Site, child: str, location: str, required: bool) -> None:
        kind = "required" if required else "optional"
        check = (
            f"new-{kind}-request-property"
            if site.direction == REQUEST
            else f"response-{kind}-property-added"
        )
        self.emit(
            check, f"added the {kind} {site.direction} property `{child}`", site.operation, location
        )

    def _requiredness(self, site: Site, child: str, location: str, was: bool, now: bool) -> None:
        if was == now:
            return
        state = "required" if now else "optional"
        self.emit(
            f"{site.direction}-property-became-{state}",
            f"the {site.direction} property `{child}` became {state}",
            site.operation,
            location,
        )

    def _branches(self, site: Site, where: str, old: SchemaView, new: SchemaView) -> None:
        prefix = f"{site.direction}-{site.subject(where)}"
        what = f"`{where}`" if where else site.section
        for key in sorted(old.branches.keys() | new.branches.keys()):
            kind, name = key.split(":", 1)
            check_kind = "one-of" if kind == "oneOf" else "any-of"
            if key not in new.branches:
                self.emit(
                    f"{prefix}-{check_kind}-removed",
                    f"{what} lost the {kind} branch `{name}`",
                    site.operation,
                    site.location(where),
                )
            elif key not in old.branches:
                self.emit(
                    f"{prefix}-{check_kind}-added",
                    f"{what} has a new {kind} branch `{name}`",
                    site.operation,
                    site.location(where),
                )
            else:
                self.compare(site, f"{where}<{name}>", old.branches[key], new.branches[key])
