"""The differ: the changes between two documents, operation by operation.

Operations are matched by `operationId`, which names the generated client's method. When an
operationId disappears while another appears on the same method and path, the operation was
renamed (`operation-id-changed`). Within a matched pair the parameters, the request body and
the success responses are compared (their schemas by `schema_differ`); then the component
schemas (the model classes) and the `x-provenance` marks.
"""

from __future__ import annotations

from typing import Any

from ..document import DATA_KEYS
from ..ir.naming import argument_names, schema_class_names
from ..load import LoadedSpec
from .checks import CHECKS
from .operations import SpecOperation, is_success, media_label, spec_operations
from .report import Change, Report
from .schema import deref_or_empty
from .schema_differ import REQUEST, RESPONSE, SchemaDiffer, Site


class Differ:
    """Collects the changes between two documents; one method per part of the spec."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.schemas = SchemaDiffer(old, new, self.emit)

    # -- output
    def emit(
        self,
        check_id: str,
        message: str,
        op: SpecOperation | None = None,
        location: str = "operation",
    ) -> None:
        if check_id not in CHECKS:
            raise KeyError(f"unknown check id {check_id!r}")
        self.changes.append(
            Change(
                id=check_id,
                operation=op.key if op else None,
                method=op.method if op else None,
                path=op.path if op else None,
                location=location,
                message=message,
            )
        )

    # -- the whole document
    def run(self) -> list[Change]:
        self._operations()
        self._component_schemas()
        self._provenance(self._document_marks(self.old), self._document_marks(self.new), None)
        return self.changes

    def _operations(self) -> None:
        old_ops, new_ops = spec_operations(self.old), spec_operations(self.new)
        pairs = [(old_ops[k], new_ops[k]) for k in sorted(old_ops.keys() & new_ops.keys())]
        gone = {k: v for k, v in old_ops.items() if k not in new_ops}
        added = {k: v for k, v in new_ops.items() if k not in old_ops}
        by_place = {(op.method, op.path): op for op in added.values()}
        for key in sorted(gone):
            renamed = by_place.get((gone[key].method, gone[key].path))
            if renamed is not None and renamed.key in added:
                pairs.append((gone.pop(key), added.pop(renamed.key)))
        for old_op, new_op in pairs:
            self._operation(old_op, new_op)
        for op in gone.values():
            self._removed(op)
        for op in added.values():
            if op.webhook is not None:
                self.emit("webhook-added", f"added webhook `{op.webhook}` ({op.key})", op)
            else:
                self.emit(
                    "endpoint-added",
                    f"added operation {op.method} `{op.path}` as `{op.client_call}`",
                    op,
                )

    def _removed(self, op: SpecOperation) -> None:
        if op.webhook is not None:
            self.emit("webhook-removed", f"removed webhook `{op.webhook}` ({op.key})", op)
            return
        path_kept = op.path in (self.new.get("paths") or {})
        deprecated = "with" if op.deprecated else "without"
        check = (
            f"api-removed-{deprecated}-deprecation"
            if path_kept
            else f"api-path-removed-{deprecated}-deprecation"
        )
        what = "removed deprecated operation" if op.deprecated else "removed operation"
        self.emit(
            check,
            f"{what} {op.method} `{op.path}`; the generated client loses `{op.client_call}`",
            op,
        )

    # -- one operation
    def _operation(self, old: SpecOperation, new: SpecOperation) -> None:
        self._identity(old, new)
        self._provenance(_marks(old.node), _marks(new.node), new)
        if new.webhook is not None:
            # Cofactr sends the payload and the client receives it: a response, direction-wise.
            self._request_body(old, new, direction=RESPONSE)
            return
        self._parameters(old, new)
        self._request_body(old, new, direction=REQUEST)
        self._responses(old, new)

    def _identity(self, old: SpecOperation, new: SpecOperation) -> None:
        if old.key != new.key:
            if old.python_name != new.python_name:
                self.emit(
                    "operation-id-changed",
                    f"operationId `{old.key}` became `{new.key}`: the generated method "
                    f"`{old.client_call}` is now `{new.client_call}`",
                    new,
                )
            else:
                self.emit(
                    "operation-id-spelling-changed",
                    f"operationId `{old.key}` became `{new.key}`; the method stays "
                    f"`{new.client_call}`",
                    new,
                )
        if old.webhook is None and old.path != new.path:
            self.emit("api-path-changed", f"path `{old.path}` became `{new.path}`", new)
        if old.method != new.method:
            self.emit("api-method-changed", f"method {old.method} became {new.method}", new)
        if old.webhook is None and old.tag != new.tag:
            self._tag(old, new)
        if old.deprecated != new.deprecated:
            check = "endpoint-deprecated" if new.deprecated else "endpoint-reactivated"
            self.emit(
                check,
                f"operation `{new.key}` is {'now' if new.deprecated else 'no longer'} deprecated",
                new,
            )

    def _tag(self, old: SpecOperation, new: SpecOperation) -> None:
        if _client_names(old) != _client_names(new):
            self.emit(
                "api-tag-changed",
                f"tag `{old.tag}` became `{new.tag}`: `{old.client_call}` moves to "
                f"`{new.client_call}`",
                new,
                "tags",
            )
        else:
            self.emit(
                "api-tag-spelling-changed",
                f"tag `{old.tag}` became `{new.tag}`; the client keeps `{new.client_call}`",
                new,
                "tags",
            )

    # -- parameters
    def _params_of(self, doc: dict[str, Any], op: SpecOperation) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        for raw in [*(op.item.get("parameters") or []), *(op.node.get("parameters") or [])]:
            param = deref_or_empty(doc, raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                where = str(param.get("in", "query"))
                name = param["name"].lower() if where == "header" else param["name"]
                found[(where, name)] = param
        return found

    def _argument_names(self, doc: dict[str, Any], op: SpecOperation) -> dict[tuple[str, str], str]:
        """`_params_of`'s keys -> the generated method's argument for each parameter."""
        params = self._params_of(doc, op)
        keys = {(str(p["name"]), key[0]): key for key, p in params.items()}
        return {keys[wire]: name for wire, name in argument_names(op.path, keys)}

    def _parameters(self, old: SpecOperation, new: SpecOperation) -> None:
        old_params, new_params = self._params_of(self.old, old), self._params_of(self.new, new)
        for key in sorted(old_params.keys() | new_params.keys()):
            before, after = old_params.get(key), new_params.get(key)
            name = str(_mapping(after if after is not None else before).get("name"))
            label = f"{key[0]} parameter `{name}`"
            if after is None:
                py = self._argument_names(self.old, old).get(key, name)
                self.emit(
                    "request-parameter-removed",
                    f"removed {label}; the generated method loses the keyword argument `{py}`",
                    new,
                    label,
                )
            elif before is None:
                self._added_parameter(new, label, after)
            else:
                self._changed_parameter(new, label, before, after)

    def _added_parameter(self, op: SpecOperation, label: str, param: dict[str, Any]) -> None:
        if param.get("in") == "path":
            self.emit("new-request-path-parameter", f"added {label}", op, label)
        elif param.get("required") is True:
            self.emit("new-required-request-parameter", f"added required {label}", op, label)
        else:
            self.emit("new-optional-request-parameter", f"added optional {label}", op, label)

    def _changed_parameter(
        self, op: SpecOperation, label: str, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        was, now = before.get("required") is True, after.get("required") is True
        if was != now:
            check = (
                "request-parameter-became-required" if now else "request-parameter-became-optional"
            )
            self.emit(check, f"{label} became {'required' if now else 'optional'}", op, label)
        site = Site(op, label, REQUEST, parameter=True)
        self.schemas.compare(site, "", _param_schema(before), _param_schema(after))

    # -- request body
    def _request_body(self, old: SpecOperation, new: SpecOperation, direction: str) -> None:
        before = deref_or_empty(self.old, old.node.get("requestBody"))
        after = deref_or_empty(self.new, new.node.get("requestBody"))
        section = "webhook payload" if new.webhook is not None else "request body"
        if not isinstance(before, dict) and not isinstance(after, dict):
            return
        if not isinstance(before, dict):
            required = isinstance(after, dict) and after.get("required") is True
            check = "added-required-request-body" if required else "added-optional-request-body"
            self.emit(
                check,
                f"added a{' required' if required else 'n optional'} request body",
                new,
                section,
            )
            return
        if not isinstance(after, dict):
            self.emit("request-body-removed", "removed the request body", new, section)
            return
        was, now = before.get("required") is True, after.get("required") is True
        if was != now and direction == REQUEST:
            check = "request-body-became-required" if now else "request-body-became-optional"
            self.emit(
                check, f"the request body became {'required' if now else 'optional'}", new, section
            )
        self._content(new, section, before, after, direction)

    def _content(
        self,
        op: SpecOperation,
        section: str,
        before: dict[str, Any],
        after: dict[str, Any],
        direction: str,
    ) -> None:
        old_media, new_media = _mapping(before.get("content")), _mapping(after.get("content"))
        prefix = "request-body" if direction == REQUEST else "response"
        for media in sorted(old_media.keys() | new_media.keys()):
            here = section + media_label(media)
            if media not in new_media:
                self.emit(
                    f"{prefix}-media-type-removed",
                    f"{section} no longer has media type `{media}`",
                    op,
                    here,
                )
            elif media not in old_media:
                self.emit(
                    f"{prefix}-media-type-added",
                    f"{section} has a new media type `{media}`",
                    op,
                    here,
                )
            else:
                site = Site(op, here, direction)
                self.schemas.compare(
                    site,
                    "",
                    _mapping(old_media[media]).get("schema"),
                    _mapping(new_media[media]).get("schema"),
                )

    # -- responses
    def _responses(self, old: SpecOperation, new: SpecOperation) -> None:
        before = old.node.get("responses") or {}
        after = new.node.get("responses") or {}
        for status in sorted(set(before) | set(after)):
            kind = "success" if is_success(status) else "non-success"
            if status not in after:
                self.emit(
                    f"response-{kind}-status-removed",
                    f"removed the {kind} response status {status}",
                    new,
                    f"response {status}",
                )
            elif status not in before:
                self.emit(
                    f"response-{kind}-status-added",
                    f"added the {kind} response status {status}",
                    new,
                    f"response {status}",
                )
            elif kind == "success":
                old_response = deref_or_empty(self.old, before[status])
                new_response = deref_or_empty(self.new, after[status])
                self._content(
                    new,
                    f"response {status}",
                    old_response if isinstance(old_response, dict) else {},
                    new_response if isinstance(new_response, dict) else {},
                    RESPONSE,
                )

    # -- component schemas (generated model classes)
    def _component_schemas(self) -> None:
        def classes(doc: dict[str, Any]) -> dict[str, str]:
            schemas = (doc.get("components") or {}).get("schemas") or {}
            return {cls: name for name, cls in schema_class_names(schemas).items()}

        old_classes, new_classes = classes(self.old), classes(self.new)
        for cls in sorted(old_classes.keys() - new_classes.keys()):
            self.emit(
                "api-schema-removed",
                f"removed schema `{old_classes[cls]}`: the model "
                f"class `{cls}` is no longer generated",
                None,
                f"components/schemas/{old_classes[cls]}",
            )
        for cls in sorted(new_classes.keys() - old_classes.keys()):
            self.emit(
                "api-schema-added",
                f"added schema `{new_classes[cls]}` (model class `{cls}`)",
                None,
                f"components/schemas/{new_classes[cls]}",
            )

    # -- provenance
    def _document_marks(self, doc: dict[str, Any]) -> dict[str, str]:
        rest = {k: v for k, v in doc.items() if k not in ("paths", "webhooks")}
        return _marks(rest)

    def _provenance(
        self, old: dict[str, str], new: dict[str, str], op: SpecOperation | None
    ) -> None:
        for where in sorted(old.keys() & new.keys()):
            if old[where] == new[where] or new[where] not in ("documented", "inferred"):
                continue
            location = where or "operation"
            subject = f"`{where}`" if where else f"operation `{op.key if op else ''}`"
            self.emit(
                f"provenance-became-{new[where]}",
                f"{subject} is now {new[where]} (was {old[where]})",
                op,
                location,
            )


def _client_names(op: SpecOperation) -> tuple[str, str, str] | None:
    """What the client calls an operation's tag: its module, attribute and class."""
    if op.names is None:
        return None
    return op.names.module, op.names.attribute, op.names.class_name


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _param_schema(param: dict[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    for media in (param.get("content") or {}).values():
        if isinstance(media, dict):
            return media.get("schema")
    return None


def _marks(node: Any, where: str = "") -> dict[str, str]:
    """Every `x-provenance` under `node`, keyed by a readable path (list items by name)."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        if isinstance(node.get("x-provenance"), str):
            found[where] = node["x-provenance"]
        for key, child in node.items():
            if key not in DATA_KEYS:
                found.update(_marks(child, f"{where}/{key}" if where else str(key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            name = child.get("name") if isinstance(child, dict) else None
            token = str(name) if isinstance(name, str) else str(index)
            found.update(_marks(child, f"{where}/{token}"))
    return found


def compare(old: LoadedSpec, new: LoadedSpec) -> Report:
    """All changes from `old` to `new` (both already loaded; see `load_checked`)."""
    changes = sorted(set(Differ(old.data, new.data).run()), key=Change.sort_key)
    return Report(
        old=old.path,
        new=new.path,
        old_version=_version(old.data),
        new_version=_version(new.data),
        changes=tuple(changes),
    )


def _version(doc: dict[str, Any]) -> str | None:
    version = (doc.get("info") or {}).get("version")
    return str(version) if version is not None else None
