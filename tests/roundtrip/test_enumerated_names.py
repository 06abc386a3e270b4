"""A record named by a value from a fixed set, driven through the generated client: Apicurio
Registry's rules are read at `/admin/rules/{rule}`, `rule` being a `RuleType` (`VALIDITY`,
`COMPATIBILITY`), and the record `Rule {config, type}` holds its name in `type`, a
`RuleType` too; the create answers 204 and the list answers the rules' names. The record is
named by the only property whose enum is the path parameter's (the same `$ref`, or the same
values written inline under an artifact), so the rule created is the one read back; it was
named by an `id` the schema does not show, and the get by `VALIDITY` answered 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.corpus import roundtrip

from .documents import document, json_content, ok, path_param
from .harness import running

pytestmark = pytest.mark.slow

RULE_TYPE = {"type": "string", "enum": ["VALIDITY", "COMPATIBILITY"], "example": "VALIDITY"}
RULE = {
    "type": "object",
    "required": ["config"],
    "properties": {"config": {"type": "string"}, "type": {"$ref": "#/components/schemas/RuleType"}},
}
_RULE = {"$ref": "#/components/schemas/Rule"}
_NAMES = {"type": "array", "items": {"$ref": "#/components/schemas/RuleType"}}


def _rules(
    prefix: str, name: str, rule: dict[str, Any], parents: list[dict[str, Any]]
) -> dict[str, Any]:
    """`<prefix>/rules` (list the names, create answering 204) and `<prefix>/rules/{rule}`."""
    tags = ["rules"]
    return {
        f"{prefix}/rules": {
            "parameters": parents,
            "get": {"operationId": f"list{name}Rules", "tags": tags, "responses": ok(_NAMES)},
            "post": {
                "operationId": f"create{name}Rule",
                "tags": tags,
                "requestBody": {"required": True, "content": json_content(_RULE)},
                "responses": {"204": {"description": "created"}},
            },
        },
        f"{prefix}/rules/{{rule}}": {
            "parameters": [*parents, path_param("rule", rule)],
            "get": {"operationId": f"get{name}Rule", "tags": tags, "responses": ok(_RULE)},
        },
    }


ARTIFACT = {
    "type": "object",
    "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
}
_ARTIFACT = {"$ref": "#/components/schemas/Artifact"}
REGISTRY = document(
    {"RuleType": RULE_TYPE, "Rule": RULE, "Artifact": ARTIFACT},
    {
        **_rules("/admin", "Admin", {"$ref": "#/components/schemas/RuleType"}, []),
        "/artifacts": {
            "post": {
                "operationId": "createArtifact",
                "tags": ["artifacts"],
                "requestBody": {"required": True, "content": json_content(_ARTIFACT)},
                "responses": ok(_ARTIFACT),
            },
        },
        "/artifacts/{artifactId}": {
            "parameters": [path_param("artifactId")],
            "get": {
                "operationId": "getArtifact",
                "tags": ["artifacts"],
                "responses": ok(_ARTIFACT),
            },
        },
        **_rules(
            "/artifacts/{artifactId}",
            "Artifact",
            {"type": "string", "enum": ["VALIDITY", "COMPATIBILITY"]},
            [path_param("artifactId")],
        ),
    },
)


def test_a_record_named_by_an_enumerated_path_parameter_is_read_back(tmp_path: Path) -> None:
    with running(tmp_path, REGISTRY, "registry_direct") as api, api.client() as client:
        models = api.module.models
        client.rules.create_admin_rule(
            body=models.Rule(config="FULL", type=models.RuleType.VALIDITY)
        )
        found = client.rules.get_admin_rule(models.RuleType.VALIDITY)
        assert (found.config, found.type) == ("FULL", models.RuleType.VALIDITY)
        artifact = client.artifacts.create_artifact(name="a1")
        assert artifact.id is not None
        rule = models.Rule(config="NONE", type=models.RuleType.COMPATIBILITY)
        client.rules.create_artifact_rule(artifact.id, body=rule)
        found = client.rules.get_artifact_rule(artifact.id, "COMPATIBILITY")
        assert (found.config, found.type) == ("NONE", models.RuleType.COMPATIBILITY)


def test_the_corpus_round_trip_reads_back_rules_named_by_their_type(tmp_path: Path) -> None:
    with running(tmp_path, REGISTRY, "registry"):
        pass  # generated into tmp_path / "registry"
    result = roundtrip.run(tmp_path / "registry", "registry", timeout=300)
    assert (result["outcome"], result["failed"], result["collections_ok"]) == ("round-trip", {}, 3)
