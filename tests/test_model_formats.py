"""Every format datamodel-code-generator knows gives models that import and validate with the
generated package's own dependencies (pydantic, the standard library): none needs a package
the package does not declare (pydantic's EmailStr needs email-validator, ULID python-ulid)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from generator import pipeline


def _every_format() -> dict[str, dict[str, str]]:
    from datamodel_code_generator.parser.schema_version import get_data_formats

    properties = {}
    for kind, formats in sorted(get_data_formats(is_openapi=True).items()):
        for given in sorted(formats):
            if kind in ("string", "integer", "number") and given != "default":
                name = f"{kind}_{given}".replace("-", "_").replace(" ", "_")
                properties[name] = {"type": kind, "format": given}
    return properties


def test_every_known_format_needs_no_package_the_generated_code_does_not_declare(
    tmp_path: Path,
) -> None:
    properties = _every_format()
    assert {"string_email", "string_idn_email", "string_ulid"} <= set(properties)
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"All": {"type": "object", "properties": properties}}},
    }
    spec = tmp_path / "formats.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "out"
    pipeline.generate(spec, out, package_name="formats")
    models = out / "formats" / "models.py"
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(ast.parse(models.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level == 0
    }
    assert imported <= {*sys.stdlib_module_names, "pydantic"}, imported
    pydantic_names = {
        alias.name
        for node in ast.walk(ast.parse(models.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "pydantic"
        for alias in node.names
    }
    assert not pydantic_names & {"EmailStr", "NameEmail"}  # they need email-validator
    check = (
        "import formats.models as m; "
        "print(m.All.model_validate({'string_idn_email': 'a@b.c', "
        "'string_ulid': '01ARZ3NDEKTSV4RRFFQ69G5FAV'}).string_ulid)"
    )
    run = subprocess.run(
        [sys.executable, "-c", check], cwd=out, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "01ARZ3NDEKTSV4RRFFQ69G5FAV\n"
