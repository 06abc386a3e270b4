"""Overlays (OpenAPI Overlay 1.0.0): each action kind, order, located errors, and `check`
noticing an edited overlay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.load import parse_spec
from generator.overlay import apply_overlays, load_overlay

from .conftest import FIXTURES, run_cli

BASE = b"""\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a/:
    get:
      operationId: get_a
      tags: [one, two]
      responses: {'200': {description: ok}}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
"""


def _overlay(tmp_path: Path, text: str, name: str = "fix.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _apply(tmp_path: Path, *texts: str) -> dict[str, object]:
    spec = parse_spec(BASE, "spec.yaml")
    overlays = [load_overlay(_overlay(tmp_path, t, f"o{i}.yaml")) for i, t in enumerate(texts)]
    result = apply_overlays(spec, overlays)
    assert spec.data["components"]["schemas"]["Thing"]["required"] == ["id", "name"]  # base kept
    return result.data


HEAD = "overlay: 1.0.0\ninfo: {title: fix, version: '1'}\nactions:\n"


def test_update_merges_objects_replaces_values_and_appends_arrays(tmp_path: Path) -> None:
    data = _apply(
        tmp_path,
        HEAD
        + "  - target: $.components.schemas.Thing\n"
        + "    update:\n"
        + "      description: new\n"
        + "      required: [extra]\n"
        + "      properties: {name: {type: integer}, extra: {type: boolean}}\n"
        + "  - target: $.paths['/a/'].get.tags\n"
        + "    update: three\n",
    )
    thing = data["components"]["schemas"]["Thing"]  # type: ignore[index]
    assert thing["description"] == "new"
    assert thing["required"] == ["id", "name", "extra"]
    assert thing["properties"] == {
        "id": {"type": "string"},
        "name": {"type": "integer"},
        "extra": {"type": "boolean"},
    }
    assert data["paths"]["/a/"]["get"]["tags"] == ["one", "two", "three"]  # type: ignore[index]


def test_remove_deletes_every_selected_node(tmp_path: Path) -> None:
    data = _apply(
        tmp_path,
        HEAD
        + "  - target: $.components.schemas.Thing.required[?@ == 'name']\n"
        + "    remove: true\n"
        + "  - target: $.components.schemas.Thing.properties[*].type\n"
        + "    remove: true\n",
    )
    thing = data["components"]["schemas"]["Thing"]  # type: ignore[index]
    assert thing["required"] == ["id"]
    assert thing["properties"] == {"id": {}, "name": {}}


def test_actions_and_overlays_apply_in_order(tmp_path: Path) -> None:
    first = (
        HEAD
        + "  - target: $.info\n    update: {description: one}\n"
        + "  - target: $.info.description\n    remove: true\n"
        + "  - target: $.info\n    update: {description: two}\n"
    )
    second = HEAD + "  - target: $.info\n    update: {description: three}\n"
    assert _apply(tmp_path, first)["info"]["description"] == "two"  # type: ignore[index]
    assert _apply(tmp_path, first, second)["info"]["description"] == "three"  # type: ignore[index]
    assert _apply(tmp_path, second, first)["info"]["description"] == "two"  # type: ignore[index]


def test_a_target_matching_nothing_is_located_in_the_overlay(tmp_path: Path) -> None:
    path = _overlay(
        tmp_path,
        HEAD
        + "  - target: $.info\n    update: {description: x}\n"
        + "  - target: $.components.schemas.Gone\n    update: {description: x}\n",
    )
    with pytest.raises(SpecError) as caught:
        apply_overlays(parse_spec(BASE, "spec.yaml"), [load_overlay(path)])
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == str(path)
    assert diagnostic.line == 6
    assert diagnostic.pointer == "/actions/1/target"
    assert "action 1" in diagnostic.message
    assert "matched nothing" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        (
            "overlay: 2.0.0\ninfo: {title: a, version: b}\nactions: [{target: $, remove: true}]\n",
            "/overlay",
            "must be one of 1.0.0",
        ),
        (HEAD + "  - target: $.paths[\n    remove: true\n", "/actions/0/target", "not a JSONPath"),
        (HEAD + "  - target: $.info\n", "/actions/0", "give `update` or `remove: true`"),
        ("overlay: 1.0.0\ninfo: {title: a, version: b}\nactions: []\n", "/actions", "non-empty"),
        (
            "overlay: 1.0.0\ninfo: {title: a}\nactions: [{target: $, remove: true}]\n",
            "/info",
            "`version`",
        ),
    ],
)
def test_a_bad_overlay_file_is_refused_with_its_location(
    tmp_path: Path, text: str, pointer: str, words: str
) -> None:
    with pytest.raises(SpecError) as caught:
        load_overlay(_overlay(tmp_path, text))
    assert [(d.pointer, words in d.message) for d in caught.value.diagnostics] == [(pointer, True)]
    assert caught.value.diagnostics[0].line is not None


def test_generate_with_an_overlay_that_matches_nothing_exits_2_and_writes_nothing(
    mini_spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    fix = _overlay(tmp_path, HEAD + "  - target: $.components.schemas.Nope\n    remove: true\n")
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out), "--overlay", str(fix))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "fix.yaml:4: error at /actions/0/target: action 0" in result.stderr
    assert not out.exists()


def test_the_overlaid_document_is_what_is_generated_and_check_notices_an_overlay_edit(
    mini_spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "generated"
    fix = _overlay(
        tmp_path,
        HEAD
        + "  - target: $.components.schemas.Pet.properties\n"
        + "    update: {nickname: {type: string, description: Seen live.}}\n",
    )
    flags = ["--spec", str(mini_spec), "--out", str(out), "--overlay", str(fix)]
    assert run_cli("generate", *flags).returncode == 0
    assert "nickname" in (out / "cofactr_platform" / "models.py").read_text()
    served = json.loads((out / "cofactr_platform_stub" / "openapi.json").read_text())
    assert "nickname" in served["components"]["schemas"]["Pet"]["properties"]
    manifest = json.loads((out / ".codegen-manifest.json").read_text())
    assert manifest["inputs"]["overlays"].startswith("fix.yaml=")
    assert "--overlay fix.yaml" in manifest["regenerate"]
    assert run_cli("check", *flags).returncode == 0

    fix.write_text(fix.read_text().replace("Seen live.", "Seen live twice."))
    check = run_cli("check", *flags)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "note: the overlay fix.yaml changed since the output was made" in check.stdout
    without = run_cli("check", "--spec", str(mini_spec), "--out", str(out))
    assert without.returncode == 1
    assert "the overlay fix.yaml was applied when the output was made, not now" in without.stdout


def test_the_settings_table_lists_overlays(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "spec").mkdir(parents=True)
    (project / "spec" / "mini.yaml").write_bytes((FIXTURES / "specs" / "mini.yaml").read_bytes())
    _overlay(project, HEAD + "  - target: $.info\n    update: {title: Overlaid}\n")
    (project / "pyproject.toml").write_text(
        '[tool.cofactr-codegen]\nspec = "spec/mini.yaml"\noverlays = ["fix.yaml"]\n'
    )
    assert run_cli("generate", cwd=project).returncode == 0
    stub = project / "generated" / "cofactr_platform_stub"
    served = json.loads((stub / "openapi.json").read_text())
    assert served["info"]["title"] == "Overlaid"
    (project / "pyproject.toml").write_text(
        '[tool.cofactr-codegen]\nspec = "spec/mini.yaml"\noverlays = "fix.yaml"\n'
    )
    bad = run_cli("generate", cwd=project)
    assert bad.returncode == 2
    assert "overlays must be a list of file paths" in bad.stderr


def test_diff_applies_overlays_to_the_new_spec(mini_spec: Path, tmp_path: Path) -> None:
    fix = _overlay(
        tmp_path,
        HEAD + "  - target: $.components.schemas.Pet.properties\n"
        "    update: {nickname: {type: string}}\n",
    )
    result = run_cli("diff", str(mini_spec), str(mini_spec), "--overlay", str(fix))
    assert result.returncode == 0, result.stderr
    assert "`nickname`" in result.stdout


def test_an_error_in_the_base_spec_keeps_its_line_under_an_overlay(
    mini_spec: Path, tmp_path: Path
) -> None:
    text = mini_spec.read_text()
    assert text.splitlines()[20].strip().startswith("owner: {$ref:")
    mini_spec.write_text(text.replace("schemas/User'}", "schemas/Nobody'}", 1))
    fix = _overlay(tmp_path, HEAD + "  - target: $.info\n    update: {title: Overlaid}\n")
    out = tmp_path / "generated"
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out), "--overlay", str(fix))
    assert result.returncode == 2
    assert "mini.yaml:21: error at /components/schemas/Pet/properties/owner/$ref" in result.stderr
    assert not out.exists()


def test_an_error_an_overlay_writes_points_into_the_overlay(
    mini_spec: Path, tmp_path: Path
) -> None:
    fix = _overlay(
        tmp_path,
        HEAD
        + "  - target: $.info\n    update: {title: Fine}\n"
        + "  - target: $.components.schemas.Pet.properties\n"
        + "    update:\n"
        + "      buddy:\n"
        + "        $ref: '#/components/schemas/Nobody'\n",
    )
    out = tmp_path / "generated"
    result = run_cli("generate", "--spec", str(mini_spec), "--out", str(out), "--overlay", str(fix))
    assert result.returncode == 2
    assert "fix.yaml:9: error at /components/schemas/Pet/properties/buddy/$ref" in result.stderr, (
        result.stderr
    )
    assert "(written by the overlay's action 1)" in result.stderr
    assert not out.exists()
