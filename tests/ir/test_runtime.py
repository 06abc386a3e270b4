"""What the generator reads from the client runtime it ships (templates/client/_runtime)."""

from __future__ import annotations

import ast

from generator import resources
from generator.ir import runtime


def _source(module: str) -> str:
    return resources.template(f"{runtime.CLIENT_RUNTIME}/{module}.py").read_text(encoding="utf-8")


def _runtime_classes(module: str) -> dict[str, ast.ClassDef]:
    tree = ast.parse(_source(module))
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def test_each_status_maps_to_a_status_error_class_of_the_runtime() -> None:
    classes = _runtime_classes("_errors")
    statuses = runtime.status_exceptions()
    assert statuses["404"] == "NotFoundError" and statuses["429"] == "RateLimitError"
    for status, name in statuses.items():
        assert status.isdigit() and 400 <= int(status) < 500, status
        bases = [b.id for b in classes[name].bases if isinstance(b, ast.Name)]
        assert bases == ["APIStatusError"], name
    assert runtime.status_exception("502") == "InternalServerError"
    assert runtime.status_exception("418") == "APIStatusError"


def test_the_errors_the_package_re_exports_are_the_runtimes_and_catch_every_status() -> None:
    errors = runtime.request_errors()
    exported = ast.literal_eval(
        next(
            node.value
            for node in ast.parse(_source("__init__")).body
            if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
        )
    )
    assert set(errors) <= set(exported)
    assert {"APIError", "APIStatusError", "APIConnectionError", "InternalServerError"} <= {*errors}
    assert set(runtime.status_exceptions().values()) <= set(errors)
    assert "APIKeyMissingError" not in errors  # a ValueError before any request, not an API error


def test_the_client_attributes_include_what_both_clients_define() -> None:
    attributes = runtime.client_attributes()
    assert {"request", "close", "aclose", "base_url", "timeout", "max_retries"} <= attributes
    assert not any(name.startswith("_") for name in attributes)
