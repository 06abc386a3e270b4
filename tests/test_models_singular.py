"""The inline-model naming rule (`LabelItem`, not a schema's `Label`) asks inflect for a
singular only where datamodel-code-generator itself names something in the singular: inflect
takes seconds to import, and a document without arrays of inline models never needs it. Where
one does, it is asked through datamodel-code-generator, which loads inflect without typeguard's
instrumentation (most of its import time)."""

from __future__ import annotations

import subprocess
import sys

from generator.models.generate import has_inline_array_items

from .conftest import ROOT


def _printed(script: str, *args: str) -> list[str]:
    """What `script` prints, run in a fresh interpreter (which modules it imports is the
    point)."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


def test_only_arrays_of_inline_models_need_singular_names() -> None:
    assert has_inline_array_items({"a": {"type": "array", "items": {"properties": {}}}})
    assert has_inline_array_items({"a": {"items": {"items": {"enum": ["x"]}}}})
    assert not has_inline_array_items({"a": {"type": "array", "items": {"$ref": "#/x"}}})
    assert has_inline_array_items({"a": {"items": {"type": "string", "maxLength": 20}}})
    assert not has_inline_array_items({"a": {"items": {"type": "string", "format": "uuid"}}})
    assert not has_inline_array_items({"a": {"items": {"items": {"type": "integer"}}}})


def test_generating_a_document_without_them_does_not_import_inflect() -> None:
    script = (
        "import sys, tempfile, warnings\n"
        "from pathlib import Path\n"
        "from generator import pipeline\n"
        "warnings.simplefilter('ignore')\n"
        "pipeline.generate(Path(sys.argv[1]), Path(tempfile.mkdtemp()) / 'generated')\n"
        "print('inflect' in sys.modules)\n"
    )
    spec = ROOT / "spec" / "cofactr-platform.yaml"
    assert not has_inline_array_items(__import__("yaml").safe_load(spec.read_text()))
    assert _printed(script, str(spec)) == ["False"]


def test_singular_names_come_from_datamodel_code_generators_own_inflect() -> None:
    script = (
        "import sys, warnings\n"
        "from generator.models import generate_models\n"
        "warnings.simplefilter('ignore')\n"
        "label = {'type': 'object', 'properties': {'name': {'type': 'string'}}}\n"
        "card = {'type': 'object', 'properties': {'labels': {'type': 'array', 'items': {\n"
        "    'type': 'object', 'properties': {'colour': {'type': 'string'}}}}}}\n"
        "models = generate_models('3.1.0', {'Label': label, 'Card': card}, 'spec.yaml')\n"
        "print('class LabelItem(' in models.source, 'inflect' in sys.modules)\n"
    )
    assert _printed(script) == ["True", "False"]
