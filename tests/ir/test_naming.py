"""Naming: the one place spec names become Python names, asked by the builder and by diff."""

from __future__ import annotations

import ast
import sys
from typing import Any

import pytest

from generator.ir.naming import (
    GENERATED_CODE_IMPORTS,
    TagNames,
    argument_names,
    class_name,
    default_operation_id,
    method_name,
    package_name_problem,
    python_identifier,
    snake_case,
    tag_names,
)

from ..conftest import ROOT


def _document(operations: dict[str, str]) -> dict[str, Any]:
    """One GET a path, tagged as given (path -> tag, "" for no tag)."""
    return {
        "paths": {
            path: {"get": {"operationId": f"op_{i}", **({"tags": [tag]} if tag else {})}}
            for i, (path, tag) in enumerate(operations.items())
        }
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Stock Documents", "stock_documents"),
        ("RfqLines", "rfq_lines"),
        ("BOMs", "boms"),
        ("class", "class_"),
        ("list", "list_"),
        ("2fa", "value_2fa"),
        ("Счета", "value"),
        ("__init__", "init"),
    ],
)
def test_python_identifiers_are_snake_case_and_safe(raw: str, expected: str) -> None:
    assert python_identifier(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("purchase order", "PurchaseOrder"),
        ("Decimal", "DecimalModel"),
        ("SyncPage", "SyncPageModel"),
        ("2nd", "Model2nd"),
    ],
)
def test_class_names_avoid_what_the_generated_modules_import(raw: str, expected: str) -> None:
    assert class_name(raw) == expected


def test_a_name_too_long_for_a_line_is_cut_and_kept_unique() -> None:
    long_a, long_b = "a_very_long_name_" * 5 + "one", "a_very_long_name_" * 5 + "two"
    assert len(python_identifier(long_a)) <= 60
    assert python_identifier(long_a) != python_identifier(long_b)


def test_an_operation_without_an_id_is_named_from_its_method_and_path() -> None:
    assert default_operation_id("get", "/pets/{petId}/toys") == "get_pets_pet_id_toys"
    assert method_name("listPets") == "list_pets"
    assert method_name("import") == "import_"


def test_each_tag_gets_a_module_an_attribute_and_classes() -> None:
    names = tag_names(_document({"/boms/": "BOMs", "/po/": "Purchase Orders", "/x/": ""}))
    assert {tag: (n.module, n.attribute, n.class_name) for tag, n in names.items()} == {
        "BOMs": ("boms", "boms", "Boms"),
        "Purchase Orders": ("purchase_orders", "purchase_orders", "PurchaseOrders"),
        "x": ("x", "x", "X"),  # untagged: named by its first path segment
    }


def test_a_tag_named_like_a_client_member_gets_an_attribute_that_does_not_hide_it() -> None:
    names = tag_names(_document({"/a/": "Request", "/b/": "close", "/c/": "Pets"}))
    assert (names["Request"].module, names["Request"].attribute) == ("request", "request_")
    assert (names["close"].module, names["close"].attribute) == ("close", "close_")
    assert names["Pets"].attribute == "pets"


def _classes(names: dict[str, TagNames]) -> dict[str, tuple[str, str]]:
    return {tag: (n.resource_class, n.async_resource_class) for tag, n in names.items()}


def test_a_tag_whose_name_starts_with_async_says_async_once_in_each_class() -> None:
    names = tag_names(_document({"/jobs/": "Async jobs", "/a/": "AsyncAPI", "/b/": "Asynchrony"}))
    assert _classes(names) == {
        "Async jobs": ("AsyncJobsResource", "AsyncJobsAsyncResource"),
        "AsyncAPI": ("AsyncAPIResource", "AsyncAPIAsyncResource"),
        "Asynchrony": ("AsynchronyResource", "AsyncAsynchronyResource"),  # another word
    }


def test_resource_classes_of_different_tags_never_share_a_name() -> None:
    # `Jobs` has `AsyncJobsResource` for its async class; `Async jobs` would have it for its
    # sync one: the tag whose name starts with Async gives way, with a number.
    names = tag_names(_document({"/a/": "Async jobs", "/b/": "Jobs"}))
    assert _classes(names) == {
        "Jobs": ("JobsResource", "AsyncJobsResource"),
        "Async jobs": ("AsyncJobs2Resource", "AsyncJobs2AsyncResource"),
    }
    every = [c for pair in _classes(names).values() for c in pair]
    assert len(set(every)) == len(every)


def test_no_resource_class_or_wrapper_takes_a_models_name() -> None:
    document = {
        **_document({"/a/": "Pets"}),
        "components": {"schemas": {"PetsResourceWithRawResponse": {"type": "object"}}},
    }
    assert _classes(tag_names(document)) == {"Pets": ("Pets2Resource", "AsyncPets2Resource")}


def test_a_tag_without_ascii_letters_is_named_from_its_operations_path() -> None:
    names = tag_names(_document({"/accounts/{id}/": "Счета", "/{id}/": "🐾"}))
    assert (names["Счета"].module, names["Счета"].class_name) == ("accounts", "Accounts")
    assert names["🐾"].module == "default"


def test_arguments_come_in_path_order_then_by_location_and_name() -> None:
    parameters = [("b", "query"), ("X-Trace", "header"), ("thing", "path"), ("org", "path")]
    named = argument_names("/orgs/{org}/things/{thing}", parameters)
    assert named == [
        (("org", "path"), "org"),
        (("thing", "path"), "thing"),
        (("X-Trace", "header"), "x_trace"),
        (("b", "query"), "b"),
    ]


def test_an_argument_named_like_another_or_like_the_methods_own_gets_underscores() -> None:
    parameters = [("pet", "path"), ("pet", "query"), ("body", "query"), ("timeout", "header")]
    named = dict(argument_names("/pets/{pet}", parameters))
    assert named == {
        ("pet", "path"): "pet",
        ("timeout", "header"): "timeout_",
        ("body", "query"): "body_",
        ("pet", "query"): "pet_",
    }


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("class", "is a Python keyword: `import` cannot name it"),
        ("json", "would shadow the standard library's module 'json'"),
        ("httpx", "would shadow the 'httpx' package the generated code imports"),
        ("Cofactr", "is not a valid lower-case package name"),
        ("cofactr_platform", None),
    ],
)
def test_package_names_that_cannot_work(name: str, problem: str | None) -> None:
    assert package_name_problem(name) == problem


def test_the_packages_a_name_must_not_shadow_are_what_the_generated_code_imports() -> None:
    imported: set[str] = set()
    for path in (ROOT / "generated").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) == GENERATED_CODE_IMPORTS


def test_snake_case_keeps_acronyms_whole() -> None:
    assert snake_case("APIKeys") == "api_keys"
    assert snake_case("getHTTPResponse") == "get_http_response"
