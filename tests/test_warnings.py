"""Two levels (issue 17): an ERROR stops generation; a WARNING names a deviation, where it is
and what the generated code does instead, and the rest generates. `--strict` makes warnings
fatal. (Each known deviation is a `strict: true` case in tests/fixtures/bad_specs.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.load import load_spec, parse_spec
from generator.settings import DEFAULT_SPEC
from generator.validate import validate

from .conftest import FIXTURES, ROOT, dump_yaml, run_cli

pytestmark = pytest.mark.filterwarnings("ignore:format of:UserWarning")


def _spec(schemas: dict[str, Any], version: str = "3.0.3") -> Any:
    data = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return parse_spec(dump_yaml(data, sort_keys=False).encode(), "t.yaml")


@pytest.mark.parametrize(
    "spec", [ROOT / DEFAULT_SPEC, FIXTURES / "specs" / "mini.yaml"], ids=lambda p: Path(p).name
)
def test_our_own_specs_generate_with_no_warning(spec: Path) -> None:
    assert validate(load_spec(spec)).warnings == ()


def test_every_default_that_does_not_match_is_reported_in_one_run_and_dropped() -> None:
    """Defaults were refused one per run (a document with forty of them took forty runs, each
    as long as generating): now every one is a warning of the same run, and none reaches the
    models."""
    fields = {f"f{i}": {"type": "integer", "default": f"x{i}"} for i in range(25)}
    fields |= {f"u{i}": {"type": "string", "format": "uri", "default": ""} for i in range(25)}
    fields["kind"] = {"type": "string", "enum": ["true", "false"], "default": True}
    fields["fine"] = {"type": "integer", "default": 3}
    validated = validate(_spec({"Thing": {"type": "object", "properties": fields}}))
    where = sorted(w.pointer.split("/")[-2] for w in validated.warnings)
    assert where == sorted([*(f"f{i}" for i in range(25)), *(f"u{i}" for i in range(25)), "kind"])
    assert all(w.level == "warning" and w.line for w in validated.warnings)
    properties = validated.spec.data["components"]["schemas"]["Thing"]["properties"]
    assert [name for name, p in properties.items() if "default" in p] == ["fine"]


def test_strict_makes_a_warning_fatal_and_writes_nothing(tmp_path: Path) -> None:
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    A: {type: integer, default: many}\n    B: {type: 'null'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    strict = run_cli("generate", "--spec", str(spec), "--out", str(out), "--strict")
    assert strict.returncode == 2, strict.stderr
    assert "t.yaml:6: warning at /components/schemas/A/default: " in strict.stderr
    assert "t.yaml:7: warning at /components/schemas/B/type: " in strict.stderr
    assert "2 warning(s), fatal with --strict; nothing written" in strict.stderr
    assert not out.exists()
    lenient = run_cli("generate", "--spec", str(spec), "--out", str(out))
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.count("warning at /components/schemas/A/default") == 1
    assert "2 warning(s)" in lenient.stderr
    generated = pipeline.generate(spec, tmp_path / "again", package_name="t")
    assert [w.pointer for w in generated.warnings] == [
        "/components/schemas/A/default",
        "/components/schemas/B/type",
    ]


def test_a_pattern_the_models_cannot_compile_is_dropped_so_they_import() -> None:
    """adyen's TerminalAPI (a pattern over pydantic-core's regex size limit) and amadeus's
    create-orders (a character class Python's `re` cannot close) failed at import."""
    schemas = {
        "Big": {"type": "string", "pattern": "^([a-z]{1,1000}){1,1000}$"},
        "Unclosed": {"type": "string", "pattern": "^[\\w[]+$"},
        "Fine": {"type": "string", "pattern": "^[A-Z]{3}$"},
    }
    validated = validate(_spec(schemas))
    assert sorted(w.pointer for w in validated.warnings) == [
        "/components/schemas/Big/pattern",
        "/components/schemas/Unclosed/pattern",
    ]
    kept = validated.spec.data["components"]["schemas"]
    assert [name for name, s in kept.items() if "pattern" in s] == ["Fine"]


def test_a_request_body_default_that_does_not_match_is_dropped_too() -> None:
    """openapi-spec-validator walks parameters' and responses' schemas, not request bodies':
    paypi.dev's `code: {type: string, default: 123456}` reached the models (a mypy error)."""
    data = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/check": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string", "default": 123456},
                                        "email": {"type": "string", "default": "a@b.c"},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "checked"}},
                }
            }
        },
    }
    spec = parse_spec(dump_yaml(data, sort_keys=False).encode(), "t.yaml")
    validated = validate(spec)
    body = "/paths/~1check/post/requestBody/content/application~1json/schema"
    assert [w.pointer for w in validated.warnings] == [f"{body}/properties/code/default"]
    assert validated.warnings[0].line == 16  # the line of `default: 123456`
    schema = validated.spec.data["paths"]["/check"]["post"]["requestBody"]["content"]
    properties = schema["application/json"]["schema"]["properties"]
    assert [name for name, p in properties.items() if "default" in p] == ["email"]


def test_a_schema_ref_to_a_schema_outside_components_is_followed(tmp_path: Path) -> None:
    """dnd5eapi.co refers to schemas inside a response, codat.io to a parameter's, nexmo.com to
    a response component's: valid OpenAPI, refused as "not supported". Each target is moved to
    components.schemas and shared by everything that refers to it."""
    spec = tmp_path / "t.yaml"
    spec.write_text(
        """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{pet_id}:
    get:
      operationId: get_pet
      parameters:
        - $ref: '#/components/parameters/PetId'
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  tags: {type: array, items: {type: object, properties: {x: {type: integer}}}}
components:
  parameters:
    PetId: {name: pet_id, in: path, required: true, schema: {type: string, maxLength: 9}}
  schemas:
    Copy: {$ref: '#/paths/~1pets~1%7Bpet_id%7D/get/responses/200/content/application~1json/schema'}
    Owner:
      type: object
      properties:
        pet: {$ref: '#/components/parameters/PetId/schema'}
        tag:
          $ref: '#/paths/~1pets~1{pet_id}/get/responses/200/content/application~1json/schema/\
properties/tags/items'
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = pipeline.generate(spec, out, package_name="t")
    assert result.warnings == ()
    models = (out / "t" / "models.py").read_text(encoding="utf-8")
    deferred = "    model_config = ConfigDict(defer_build=True)\n\n"
    owner = "    pet: PetId | None = None\n    tag: Tags | None = None"
    assert f"class Owner(BaseModel):\n{deferred}{owner}" in models, models
    assert f"class Tags(BaseModel):\n{deferred}    x: int | None = None" in models


def test_a_schema_ref_to_a_response_is_dropped_with_a_warning(tmp_path: Path) -> None:
    """rev.ai's caption answers: `schema: {$ref: '#/components/responses/CaptionSrt'}`. The
    document was refused for one media type's schema; it is that schema that is degraded."""
    caption = {"description": "SRT", "content": {"application/x-subrip": {"schema": {}}}}
    bad = {"$ref": "#/components/responses/Caption"}
    data = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/captions": {
                "get": {
                    "operationId": "getCaption",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": bad}},
                        }
                    },
                }
            }
        },
        "components": {"responses": {"Caption": caption}},
    }
    spec = tmp_path / "captions.yaml"
    spec.write_text(dump_yaml(data, sort_keys=False))
    validated = validate(load_spec(spec))
    (warning,) = validated.warnings
    assert warning.pointer.endswith("/application~1json/schema/$ref")
    assert "points to a response; it is dropped" in warning.message
    assert warning.line is not None
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "cofactr_platform" / "models.py").is_file()


def test_a_format_the_generated_code_does_not_know_is_a_located_warning_on_every_run(
    tmp_path: Path,
) -> None:
    """datamodel-code-generator said "format of 'int64' not understood for 'string'" with no
    place, only on a run that made the models, and `--strict` did not count it. Each (type,
    format) is now one warning at its first place by pointer, on cold and warm runs alike."""
    spec = tmp_path / "t.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    B:\n      properties:\n        size: {type: string, format: int64}\n"
        "        count: {type: integer, format: uint32}\n"
        "    A:\n      properties:\n        id: {type: string, format: int64}\n"
        "        when: {type: string, format: date-time}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    expected = [
        "t.yaml:9: warning at /components/schemas/B/properties/count: format 'uint32' is not "
        "one the generated code knows for type 'integer': such values are a plain int (the "
        "only one)",
        "t.yaml:12: warning at /components/schemas/A/properties/id: format 'int64' is not one "
        "the generated code knows for type 'string': such values are a plain str (2 schemas "
        "have it)",
    ]
    for run in ("cold", "warm"):  # the warm run reuses the models on disk
        lenient = run_cli("generate", "--spec", str(spec), "--out", str(out))
        assert lenient.returncode == 0, lenient.stderr
        lines = [line for line in lenient.stderr.splitlines() if "format" in line]
        assert lines == expected, run
    strict = run_cli("generate", "--spec", str(spec), "--out", str(tmp_path / "s"), "--strict")
    assert strict.returncode == 2, strict.stderr
    assert "2 warning(s), fatal with --strict; nothing written" in strict.stderr
    assert not (tmp_path / "s").exists()


def test_a_response_ref_to_a_schema_is_read_as_a_json_response_of_it(tmp_path: Path) -> None:
    """swaggerhub's errors: `400: {$ref: '#/components/schemas/BadRequest'}`. The document was
    refused; the response is read as JSON of that schema, by the client and the stub alike."""
    problem = {"type": "object", "properties": {"message": {"type": "string"}}}
    data = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/apis": {
                "get": {
                    "operationId": "listApis",
                    "responses": {
                        "200": {"description": "ok"},
                        "400": {"$ref": "#/components/schemas/BadRequest"},
                    },
                }
            }
        },
        "components": {"schemas": {"BadRequest": problem}},
    }
    spec = tmp_path / "apis.yaml"
    spec.write_text(dump_yaml(data, sort_keys=False))
    validated = validate(load_spec(spec))
    (warning,) = validated.warnings
    assert warning.pointer == "/paths/~1apis/get/responses/400/$ref"
    assert "is read as a JSON response of that schema" in warning.message
    assert warning.line is not None
    read = validated.spec.data["paths"]["/apis"]["get"]["responses"]["400"]
    schema = {"$ref": "#/components/schemas/BadRequest"}
    assert read["content"] == {"application/json": {"schema": schema}}
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", str(spec), "--out", str(out))
    assert result.returncode == 0, result.stderr
    served = (out / "cofactr_platform_stub" / "openapi.json").read_text()
    assert '"$ref": "#/components/schemas/BadRequest"' in served
