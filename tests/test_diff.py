"""`python -m generator diff`: the API change report between two versions of a spec.

Each fixture pair (tests/fixtures/diff/cases.yaml: a base document and the edits that make its
old and new version, built by tests/diff_cases.py) makes one kind of change; the table below
says which checks (id, level) it must raise and the version bump it calls for.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator import cli
from generator.diff import CHECKS, ERR, INFO, WARN, Report, compare, render_json
from generator.load import LoadedSpec, load_spec, parse_spec
from generator.validate import validate

from . import diff_cases
from .conftest import FIXTURES, ROOT, dump_yaml, run_cli

REAL_SPEC = ROOT / "spec" / "cofactr-platform.yaml"
OPENAPI_DIFF = ROOT / "node_modules" / ".bin" / "openapi-diff"

# case -> (the (check id, level) pairs it raises, the suggested bump)
CASES: dict[str, tuple[set[tuple[str, str]], str]] = {
    "identical": (set(), "none"),
    "endpoint-added": ({("endpoint-added", INFO)}, "minor"),
    "operation-removed": ({("api-removed-without-deprecation", ERR)}, "major"),
    "path-removed": ({("api-path-removed-without-deprecation", ERR)}, "major"),
    "deprecated-operation-removed": ({("api-removed-with-deprecation", INFO)}, "major"),
    "operation-deprecated": ({("endpoint-deprecated", INFO)}, "patch"),
    "operation-id-changed": ({("operation-id-changed", ERR)}, "major"),
    "operation-id-spelling-changed": ({("operation-id-spelling-changed", INFO)}, "patch"),
    "tag-changed": ({("api-tag-changed", ERR)}, "major"),
    "path-changed": ({("api-path-changed", ERR)}, "major"),
    "method-changed": ({("api-method-changed", ERR)}, "major"),
    "request-parameter-removed": ({("request-parameter-removed", ERR)}, "major"),
    "new-required-request-parameter": ({("new-required-request-parameter", ERR)}, "major"),
    "new-optional-request-parameter": ({("new-optional-request-parameter", INFO)}, "minor"),
    "request-parameter-became-required": ({("request-parameter-became-required", ERR)}, "major"),
    "request-parameter-type-changed": ({("request-parameter-type-changed", ERR)}, "major"),
    "request-parameter-enum-changed": (
        {
            ("request-parameter-enum-value-removed", ERR),
            ("request-parameter-enum-value-added", INFO),
        },
        "major",
    ),
    "new-required-request-property": ({("new-required-request-property", ERR)}, "major"),
    "new-optional-request-property": ({("new-optional-request-property", INFO)}, "minor"),
    "request-property-removed": ({("request-property-removed", ERR)}, "major"),
    "request-property-became-required": ({("request-property-became-required", ERR)}, "major"),
    "request-property-type-changed": ({("request-property-type-changed", ERR)}, "major"),
    "request-property-enum-value-removed": (
        {("request-property-enum-value-removed", ERR)},
        "major",
    ),
    "request-property-enum-value-added": ({("request-property-enum-value-added", INFO)}, "minor"),
    "request-body-became-optional": ({("request-body-became-optional", INFO)}, "minor"),
    "response-required-property-removed": ({("response-required-property-removed", ERR)}, "major"),
    "response-optional-property-removed": ({("response-optional-property-removed", ERR)}, "major"),
    "response-optional-property-added": ({("response-optional-property-added", INFO)}, "minor"),
    "response-property-type-changed": ({("response-property-type-changed", ERR)}, "major"),
    "response-property-enum-value-added": ({("response-property-enum-value-added", WARN)}, "minor"),
    "response-property-became-nullable": ({("response-property-became-nullable", ERR)}, "major"),
    "response-property-became-optional": ({("response-property-became-optional", ERR)}, "major"),
    "response-success-status-changed": (
        {("response-success-status-removed", ERR), ("response-success-status-added", INFO)},
        "major",
    ),
    "response-body-type-changed": ({("response-body-type-changed", ERR)}, "major"),
    "response-one-of-added": ({("response-property-one-of-added", ERR)}, "major"),
    "recursive-schema-changed": ({("response-property-type-changed", ERR)}, "major"),
    "allof-refactor": ({("api-schema-added", INFO)}, "minor"),
    "schema-removed": ({("api-schema-removed", ERR)}, "major"),
    "provenance-changed": (
        {("provenance-became-documented", INFO), ("provenance-became-inferred", INFO)},
        "patch",
    ),
    "request-and-response-mixed": (
        {("new-optional-request-parameter", INFO), ("response-property-enum-value-added", WARN)},
        "minor",
    ),
    "openapi31-response-became-nullable": ({("response-property-became-nullable", ERR)}, "major"),
    "openapi31-webhook-removed": ({("webhook-removed", ERR)}, "major"),
}


def _loaded(document: dict[str, Any], name: str) -> LoadedSpec:
    spec = parse_spec(dump_yaml(document, sort_keys=False).encode(), name)
    validate(spec)
    return spec


def _pair(case: str) -> Report:
    old, new = diff_cases.pair(case)
    return compare(_loaded(old, f"{case}/old.yaml"), _loaded(new, f"{case}/new.yaml"))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture pair written out as <case>/{old,new}.yaml, for the command line."""
    root = tmp_path_factory.mktemp("diff-pairs")
    for case in diff_cases.cases():
        diff_cases.write_pair(case, root)
    return root


def _found(report: Report) -> set[tuple[str, str]]:
    return {(change.id, change.level) for change in report.changes}


def _spec(data: dict[str, Any], name: str = "new.yaml") -> LoadedSpec:
    return parse_spec(dump_yaml(data, sort_keys=False).encode(), name)


# ------------------------------------------------------------------------------ fixture pairs


def test_every_fixture_pair_has_an_expectation() -> None:
    assert set(diff_cases.cases()) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_pair(case: str) -> None:
    expected, bump = CASES[case]
    report = _pair(case)
    assert _found(report) == expected
    assert report.bump == bump
    assert report.breaking == any(level == ERR for _, level in expected)


def test_changes_name_the_operation_and_the_field() -> None:
    [change] = _pair("request-property-became-required").changes
    assert (change.operation, change.method, change.path) == (
        "create_widget",
        "POST",
        "/v1/widgets/",
    )
    assert change.location == "request body `size`"
    [change] = _pair("request-parameter-removed").changes
    assert change.location == "query parameter `limit`"
    assert "keyword argument `limit`" in change.message


def test_a_response_schema_change_is_reported_for_every_operation_using_it() -> None:
    report = _pair("response-property-type-changed")
    assert {(c.operation, c.location) for c in report.changes} == {
        ("list_widgets", "response 200 `[].size`"),
        ("create_widget", "response 201 `size`"),
        ("get_widget", "response 200 `size`"),
    }


def test_a_renamed_operation_id_is_one_change_with_the_python_names() -> None:
    [change] = _pair("operation-id-changed").changes
    assert change.operation == "find_gadgets"
    assert "client.gadgets.list_gadgets()" in change.message
    assert "client.gadgets.find_gadgets()" in change.message
    [tag] = _pair("tag-changed").changes
    assert "client.gadgets.list_gadgets()" in tag.message
    assert "client.tools.list_gadgets()" in tag.message


def _named_like_the_client(tags: dict[str, str], params: list[str]) -> dict[str, Any]:
    """A document with one operation a tag (tag -> path), each taking `params` as queries."""
    query = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in params]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "paths": {
            path: {
                "get": {
                    "operationId": f"list_{index}",
                    "tags": [tag],
                    "parameters": query,
                    "responses": {"204": {"description": "none"}},
                }
            }
            for index, (tag, path) in enumerate(tags.items())
        },
    }


def test_the_report_names_what_the_client_calls_where_naming_had_to_rename() -> None:
    """A tag named like a client member (`request`) is the attribute `request_`; a tag without
    ASCII letters is named from its operations' path; a parameter named like the method's own
    argument (`timeout`) is the keyword `timeout_`. The report says so, as the client does."""
    tags = {"Request": "/requests/", "Счета": "/accounts/"}
    old = _spec(_named_like_the_client(tags, ["timeout", "q"]), "old.yaml")
    new = _spec(_named_like_the_client(tags, ["q"]), "new.yaml")
    removed = {c.operation: c.message for c in compare(old, new).changes}
    assert removed["list_0"].endswith("loses the keyword argument `timeout_`")
    empty = _spec({**_named_like_the_client({}, []), "paths": {}}, "old.yaml")
    added = {c.operation: c.message for c in compare(empty, new).changes}
    assert "`client.request_.list_0()`" in added["list_0"]
    assert "`client.accounts.list_1()`" in added["list_1"]
    moved = _spec(_named_like_the_client({"Request": "/requests/", "Other": "/accounts/"}, []))
    [tag] = [c for c in compare(new, moved).changes if c.id.startswith("api-tag")]
    assert tag.id == "api-tag-changed"
    assert "`client.accounts.list_1()` moves to `client.other.list_1()`" in tag.message


def test_recursive_schemas_terminate_and_report_once_per_level() -> None:
    [change] = _pair("recursive-schema-changed").changes
    assert change.location == "response 200 `label`"
    hostile = load_spec(FIXTURES / "specs" / "hostile.yaml")
    assert compare(hostile, hostile).changes == ()


# ------------------------------------------------------------------------------ check table


def test_the_check_table_is_consistent() -> None:
    for check in CHECKS.values():
        assert check.level in (ERR, WARN, INFO), check.id
        assert check.bump in ("patch", "minor", "major"), check.id
        assert check.oasdiff in ("", ERR, WARN, INFO), check.id
        if check.level == ERR:
            assert check.bump == "major", check.id


def test_docs_list_every_check() -> None:
    docs = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    missing = [check_id for check_id in CHECKS if f"`{check_id}`" not in docs]
    assert not missing


# ------------------------------------------------------------------------------ the real spec


@pytest.fixture(scope="module")
def real() -> LoadedSpec:
    return load_spec(REAL_SPEC)


def _modified(real: LoadedSpec, *edits: Any) -> Report:
    return compare(real, _edited(real, *edits))


def _edited(real: LoadedSpec, *edits: Any) -> LoadedSpec:
    data = copy.deepcopy(real.data)
    for edit in edits:
        edit(data)
    return _spec(data)


def _remove_delete_bom(data: dict[str, Any]) -> None:
    del data["paths"]["/v1/boms/{bom_id}/"]["delete"]


def _add_search_param(data: dict[str, Any]) -> None:
    data["paths"]["/v1/boms/"]["get"]["parameters"].append(
        {"name": "search", "in": "query", "required": False, "schema": {"type": "string"}}
    )


def _require_bom_version(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["CreateBom"]["required"].append("version")


def _retype_line_count(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["Bom"]["properties"]["line_count"]["type"] = "string"


def _add_job_status(data: dict[str, Any]) -> None:
    data["components"]["schemas"]["AsyncJob"]["properties"]["status"]["enum"].append("cancelled")


def _mark(value: str) -> Any:
    """An edit setting three x-provenance marks (an operation, a schema, a property) to `value`."""

    def edit(data: dict[str, Any]) -> None:
        data["paths"]["/v1/boms/"]["post"]["x-provenance"] = value
        data["components"]["schemas"]["Bom"]["x-provenance"] = value
        raw_bom = data["components"]["schemas"]["CreateRawBom"]["properties"]
        raw_bom["synced_from_integration_at"]["x-provenance"] = value

    return edit


def test_real_spec_identical(real: LoadedSpec) -> None:
    report = compare(real, real)
    assert report.changes == ()
    assert report.bump == "none"


def test_real_spec_operation_removed(real: LoadedSpec) -> None:
    report = _modified(real, _remove_delete_bom)
    assert [(c.id, c.operation) for c in report.changes] == [
        ("api-removed-without-deprecation", "delete_bom")
    ]
    assert "client.boms.delete_bom()" in report.changes[0].message


def test_real_spec_optional_query_parameter(real: LoadedSpec) -> None:
    report = _modified(real, _add_search_param)
    assert [(c.id, c.operation, c.location) for c in report.changes] == [
        ("new-optional-request-parameter", "list_boms", "query parameter `search`")
    ]
    assert (report.bump, report.breaking) == ("minor", False)


def test_real_spec_request_field_required(real: LoadedSpec) -> None:
    report = _modified(real, _require_bom_version)
    assert [(c.id, c.operation, c.location) for c in report.changes] == [
        ("request-property-became-required", "create_bom", "request body `version`")
    ]
    assert report.breaking


def test_real_spec_response_field_retyped(real: LoadedSpec) -> None:
    report = _modified(real, _retype_line_count)
    assert {c.id for c in report.changes} == {"response-property-type-changed"}
    where = {(c.operation, c.location) for c in report.changes}
    assert ("list_boms", "response 200 `results[].line_count`") in where
    assert ("get_bom", "response 200 `line_count`") in where
    assert ("create_bom", "response 201 `line_count`") in where


def test_real_spec_response_enum_value_added(real: LoadedSpec) -> None:
    report = _modified(real, _add_job_status)
    assert {(c.id, c.level) for c in report.changes} == {
        ("response-property-enum-value-added", WARN)
    }
    assert "get_async_job_status" in {c.operation for c in report.changes}
    assert (report.bump, report.breaking) == ("minor", False)


def test_real_spec_provenance(real: LoadedSpec) -> None:
    inferred, documented = _edited(real, _mark("inferred")), _edited(real, _mark("documented"))
    report = compare(inferred, documented)
    assert {(c.id, c.operation, c.location) for c in report.changes} == {
        ("provenance-became-documented", "create_bom", "operation"),
        ("provenance-became-documented", None, "components/schemas/Bom"),
        (
            "provenance-became-documented",
            None,
            "components/schemas/CreateRawBom/properties/synced_from_integration_at",
        ),
    }
    assert (report.bump, report.breaking) == ("patch", False)
    back = compare(documented, inferred)
    assert {(c.id, c.level) for c in back.changes} == {("provenance-became-inferred", INFO)}


def test_real_spec_all_at_once_through_the_cli(real: LoadedSpec, tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_bytes(_edited(real, _mark("inferred")).raw)
    new.write_bytes(
        _edited(
            real,
            _mark("documented"),
            _remove_delete_bom,
            _add_search_param,
            _require_bom_version,
            _retype_line_count,
            _add_job_status,
        ).raw
    )
    result = run_cli("diff", str(old), str(new), "--format", "json", "--fail-on-breaking")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert (document["breaking"], document["bump"]) == (True, "major")
    assert {c["id"] for c in document["changes"]} == {
        "api-removed-without-deprecation",
        "new-optional-request-parameter",
        "request-property-became-required",
        "response-property-type-changed",
        "response-property-enum-value-added",
        "provenance-became-documented",
    }


# ------------------------------------------------------------------------------ output


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output(pairs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = pairs / "request-and-response-mixed"
    code, out, _ = _main(capsys, str(case / "old.yaml"), str(case / "new.yaml"), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["old", "new", "breaking", "bump", "counts", "changes"]
    assert (document["breaking"], document["bump"]) == (False, "minor")
    assert document["counts"] == {"ERR": 0, "WARN": 3, "INFO": 1}
    assert [c["level"] for c in document["changes"]] == ["WARN", "WARN", "WARN", "INFO"]
    assert [c["operation"] for c in document["changes"]] == [
        "create_widget",
        "get_widget",
        "list_widgets",
        "list_widgets",
    ]  # worst first, then by name
    for change in document["changes"]:
        assert list(change) == ["id", "level", "operation", "method", "path", "location", "message"]
        assert change["message"]


def test_json_document_level_changes_have_no_operation(
    pairs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = pairs / "schema-removed"
    _, out, _ = _main(capsys, str(case / "old.yaml"), str(case / "new.yaml"), "--format", "json")
    [change] = json.loads(out)["changes"]
    assert (change["operation"], change["method"], change["path"]) == (None, None, None)
    assert change["location"] == "components/schemas/Gadget"


def test_markdown_output(pairs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = pairs / "response-success-status-changed"
    code, out, _ = _main(capsys, str(case / "old.yaml"), str(case / "new.yaml"))
    assert code == 0
    assert out.startswith("## API changes: ")
    assert "**breaking**: 1 ERR, 0 WARN, 1 INFO. Suggested version bump: **major**." in out
    assert "### Breaking changes (ERR)" in out
    assert "### Other changes (INFO)" in out
    assert "### Warnings (WARN)" not in out
    assert (
        "| `create_widget` POST `/v1/widgets/` | `response-success-status-removed` | response 201 |"
    ) in out
    assert out.index("response-success-status-removed") < out.index("response-success-status-added")


def test_markdown_escapes_table_cells() -> None:
    old = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a|b": {"get": {"operationId": "get_ab", "responses": {"200": {"description": "ok"}}}}
        },
    }
    new = copy.deepcopy(old)
    new["paths"]["/a|b"]["get"]["responses"]["201"] = {"description": "ok"}
    from generator.diff import render_markdown

    text = render_markdown(compare(_spec(old, "old.yaml"), _spec(new)))
    row = next(line for line in text.splitlines() if "response-success-status-added" in line)
    assert "`/a\\|b`" in row
    assert row.count(" | ") == 3


def test_identical_specs(pairs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = str(pairs / "identical" / "old.yaml")
    code, out, _ = _main(capsys, spec, spec, "--fail-on-breaking")
    assert code == 0
    assert "No API changes. Suggested version bump: **none**." in out
    code, out, _ = _main(capsys, spec, spec, "--format", "json")
    document = json.loads(out)
    assert (document["breaking"], document["bump"], document["changes"]) == (False, "none", [])


# ------------------------------------------------------------------------------ exit codes


@pytest.mark.parametrize(
    ("case", "flag", "expected"),
    [
        ("operation-removed", True, 1),
        ("operation-removed", False, 0),
        ("response-property-enum-value-added", True, 0),  # WARN is not breaking
        ("deprecated-operation-removed", True, 0),  # announced by deprecation: INFO (but major)
        ("endpoint-added", True, 0),
    ],
)
def test_fail_on_breaking(
    pairs: Path, capsys: pytest.CaptureFixture[str], case: str, flag: bool, expected: int
) -> None:
    args = [str(pairs / case / "old.yaml"), str(pairs / case / "new.yaml")]
    code, _, _ = _main(capsys, *args, *(["--fail-on-breaking"] if flag else []))
    assert code == expected


def test_bad_input_exits_2(pairs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = str(pairs / "identical" / "old.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: [\n", encoding="utf-8")
    not_openapi = tmp_path / "not_openapi.yaml"
    not_openapi.write_text("info: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8")
    for args in (
        [good, str(broken)],
        [str(not_openapi), good],
        [good, str(tmp_path / "missing.yaml")],
    ):
        code, out, err = _main(capsys, *args)
        assert code == 2, args
        assert out == ""
        assert "error" in err
    code, out, err = _main(capsys, str(broken), str(not_openapi))
    assert code == 2
    assert "broken.yaml:3: error: invalid YAML" in err  # file:line, and
    assert "not_openapi.yaml:1: error" in err  # both specs reported at once
    code, _, err = _main(capsys, good)
    assert code == 2
    assert "OLD_SPEC and NEW_SPEC" in err


# ------------------------------------------------------------------------------ --base


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(pairs: Path, tmp_path: Path) -> Path:
    """A git repository whose spec/cofactr-platform.yaml changes after the first commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    spec = repo / "spec" / "cofactr-platform.yaml"
    shutil.copyfile(pairs / "operation-removed" / "old.yaml", spec)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "spec")
    shutil.copyfile(pairs / "operation-removed" / "new.yaml", spec)
    return repo


def test_base_compares_a_revision_with_the_working_copy(repo: Path) -> None:
    result = run_cli("diff", "--base", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["old"]["spec"] == "HEAD:spec/cofactr-platform.yaml"
    assert [c["id"] for c in document["changes"]] == ["api-removed-without-deprecation"]
    # From any working directory, with an explicit SPEC, and failing on the breaking change.
    spec = repo / "spec" / "cofactr-platform.yaml"
    result = run_cli("diff", "--base", "HEAD", str(spec), "--fail-on-breaking")
    assert result.returncode == 1, result.stderr
    assert "api-removed-without-deprecation" in result.stdout


def test_base_with_an_unknown_revision_exits_2(repo: Path) -> None:
    result = run_cli("diff", "--base", "no-such-rev", cwd=repo)
    assert result.returncode == 2
    assert "no-such-rev:spec/cofactr-platform.yaml" in result.stderr
    assert result.stdout == ""


def test_base_takes_at_most_one_spec(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = str(repo / "spec" / "cofactr-platform.yaml")
    code, _, err = _main(capsys, "--base", "HEAD", spec, spec)
    assert code == 2
    assert "at most one SPEC" in err


# ------------------------------------------------------------------------------ determinism


def _shuffled(value: Any, *, reverse_lists: bool = False) -> Any:
    """Reverse every mapping's key order, and the lists whose order means nothing."""
    if isinstance(value, dict):
        return {
            k: _shuffled(
                value[k], reverse_lists=k in ("required", "enum", "parameters", "oneOf", "anyOf")
            )
            for k in reversed(list(value))
        }
    if isinstance(value, list):
        items = [_shuffled(item) for item in value]
        return items[::-1] if reverse_lists else items
    return value


def test_same_bytes_twice(pairs: Path) -> None:
    case = pairs / "request-and-response-mixed"
    runs = [
        run_cli("diff", str(case / "old.yaml"), str(case / "new.yaml"), *fmt)
        for fmt in ([], [], ["--format", "json"], ["--format", "json"])
    ]
    assert all(r.returncode == 0 for r in runs)
    assert runs[0].stdout == runs[1].stdout
    assert runs[2].stdout == runs[3].stdout


@pytest.mark.parametrize(
    "case",
    [
        "request-and-response-mixed",
        "request-parameter-enum-changed",
        "response-success-status-changed",
        "response-one-of-added",
        "provenance-changed",
        "openapi31-webhook-removed",
    ],
)
def test_key_order_of_the_input_is_irrelevant(pairs: Path, case: str) -> None:
    old = load_spec(pairs / case / "old.yaml")
    new = load_spec(pairs / case / "new.yaml")
    plain = render_json(compare(old, new))
    shuffled = render_json(
        compare(_spec(_shuffled(old.data), old.path), _spec(_shuffled(new.data), new.path))
    )
    assert shuffled == plain


def test_reordering_union_branches_and_enum_values_is_no_change(pairs: Path) -> None:
    old = load_spec(pairs / "response-one-of-added" / "new.yaml")
    data = copy.deepcopy(old.data)
    data["components"]["schemas"]["Drawing"]["properties"]["shape"]["oneOf"].reverse()
    assert compare(old, _spec(data)).changes == ()


# ------------------------------------------------------------------------------ schema details


def _doc(job: dict[str, Any], version: str = "3.1.0") -> LoadedSpec:
    return _spec(
        {
            "openapi": version,
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/jobs/": {
                    "get": {
                        "operationId": "get_job",
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {"schema": job}},
                            }
                        },
                    }
                }
            },
        }
    )


def _ids(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {c.id for c in compare(_doc(old), _doc(new)).changes}


def test_nullable_spellings_are_equivalent() -> None:
    plain = {"type": "object", "properties": {"at": {"type": "string"}}}
    type_list = {"type": "object", "properties": {"at": {"type": ["string", "null"]}}}
    any_of = {
        "type": "object",
        "properties": {"at": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    }
    openapi30 = {"type": "object", "properties": {"at": {"type": "string", "nullable": True}}}
    for nullable in (type_list, any_of, openapi30):
        assert _ids(plain, nullable) == {"response-property-became-nullable"}
        assert _ids(nullable, plain) == {"response-property-became-not-nullable"}
    assert _ids(type_list, any_of) == set()
    assert _ids(any_of, openapi30) == set()


def test_type_changes_depend_on_direction_and_format_always_counts() -> None:
    integer = {"type": "object", "properties": {"n": {"type": "integer"}}}
    number = {"type": "object", "properties": {"n": {"type": "number"}}}
    uuid = {"type": "object", "properties": {"n": {"type": "string", "format": "uuid"}}}
    text = {"type": "object", "properties": {"n": {"type": "string"}}}
    assert _ids(integer, number) == {"response-property-type-changed"}  # widened response
    assert _ids(number, integer) == {"response-property-type-narrowed"}
    assert _ids(uuid, text) == {"response-property-type-changed"}
    assert _ids(text, uuid) == {"response-property-type-changed"}


def test_all_of_members_are_merged() -> None:
    flat = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
    }
    composed = {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "integer"}}},
        ]
    }
    assert _ids(flat, composed) == set()
    wider = copy.deepcopy(composed)
    wider["allOf"][1]["properties"]["c"] = {"type": "boolean"}
    assert _ids(composed, wider) == {"response-optional-property-added"}


def test_a_webhook_payload_is_read_by_the_client(pairs: Path) -> None:
    old = load_spec(pairs / "openapi31-webhook-removed" / "old.yaml")
    data = copy.deepcopy(old.data)
    del data["components"]["schemas"]["Job"]["properties"]["result"]
    report = compare(old, _spec(data))
    assert {(c.id, c.operation, c.location) for c in report.changes} == {
        ("response-optional-property-removed", "get_job", "response 200 `result`"),
        ("response-optional-property-removed", "job_finished_webhook", "webhook payload `result`"),
    }


def test_read_only_properties_are_not_part_of_a_request() -> None:
    body = {
        "type": "object",
        "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
    }
    new_body = copy.deepcopy(body)
    new_body["properties"]["id"]["type"] = "integer"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x/": {
                "post": {
                    "operationId": "make_x",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    changed = copy.deepcopy(spec)
    media = changed["paths"]["/x/"]["post"]["requestBody"]["content"]["application/json"]
    media["schema"] = new_body
    assert compare(_spec(spec, "old.yaml"), _spec(changed)).changes == ()


# ------------------------------------------------------------------------------ openapi-diff

# What openapi-diff 0.24.1 says about a few pairs (docs/diff.md has the whole table).
OPENAPI_DIFF_VERDICTS = {
    "operation-removed": (1, "breaking"),
    "request-parameter-removed": (0, "no changes"),
    "new-optional-request-property": (1, "breaking"),
    "response-property-enum-value-added": (0, "no changes"),
    "openapi31-webhook-removed": (1, "error"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(OPENAPI_DIFF_VERDICTS))
def test_openapi_diff_verdicts_recorded_in_the_docs(
    pairs: Path, case: str, node_modules: Path
) -> None:
    assert OPENAPI_DIFF.exists()
    result = subprocess.run(
        [str(OPENAPI_DIFF), "old.yaml", "new.yaml"],
        cwd=pairs / case,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    first_line = (result.stdout or result.stderr).splitlines()[0]
    verdict = (
        "no changes"
        if first_line.startswith("No changes found")
        else (
            "breaking"
            if first_line.startswith("Breaking changes found")
            else "non-breaking"
            if first_line.startswith("Non breaking changes found")
            else "error"
        )
    )
    assert (result.returncode, verdict) == OPENAPI_DIFF_VERDICTS[case]
