"""What importing the generated client costs has a shape, checked here (its time is in
`make bench`): the package imports no resource and no model module, a resource is imported
when the client's attribute is first used (and the models with it), and a model's validator
is built when it first validates, not when its class is declared.

Each check runs in a fresh interpreter: this session may have imported the package already.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from .conftest import GENERATED


def _run(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=GENERATED,
        env={"PYTHONPATH": str(GENERATED), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_importing_the_package_imports_no_resource_and_no_model() -> None:
    _run(
        """
        import sys
        import cofactr_platform

        loaded = sorted(m for m in sys.modules if m.startswith("cofactr_platform."))
        assert "cofactr_platform.models" not in loaded, loaded
        assert "cofactr_platform.webhooks" not in loaded, loaded
        assert not [m for m in loaded if m.startswith("cofactr_platform.resources.")], loaded

        # what the package names is still there, imported when asked for
        from cofactr_platform import models, parse_webhook
        from cofactr_platform.resources import AsyncPartsResource, PartsResource

        assert models.Bom.__name__ == "Bom"
        assert parse_webhook.__module__ == "cofactr_platform.webhooks"
        assert PartsResource.__module__ == AsyncPartsResource.__module__
        try:
            cofactr_platform.no_such_name
        except AttributeError as exc:
            assert "no_such_name" in str(exc)
        else:
            raise AssertionError("an unknown attribute resolved")
        """
    )


def test_a_resource_and_the_models_are_imported_on_first_use() -> None:
    _run(
        """
        import sys
        from cofactr_platform import CofactrClient

        client = CofactrClient(api_key="k")
        assert "cofactr_platform.models" not in sys.modules
        boms = client.boms
        assert type(boms).__module__ == "cofactr_platform.resources.boms"
        assert client.boms is boms
        assert "cofactr_platform.models" in sys.modules
        assert "cofactr_platform.resources.parts" not in sys.modules
        """
    )


def test_a_model_is_built_on_first_validation() -> None:
    _run(
        """
        from cofactr_platform.models import Bom, Tag

        assert not Bom.__pydantic_complete__
        assert not Tag.__pydantic_complete__
        try:
            Bom.model_validate({})
        except ValueError:
            pass
        assert Bom.__pydantic_complete__
        assert not Tag.__pydantic_complete__
        """
    )


def test_every_method_annotation_resolves_at_runtime() -> None:
    """Tools that read annotations (autodoc, `validate_call`) call `get_type_hints`; an alias
    written as a string (`"float | httpx.Timeout | None"`) made that raise for every method."""
    _run(
        """
        import typing
        import cofactr_platform.resources as resources

        checked = 0
        for name in resources.__all__:
            for attr in vars(getattr(resources, name)).values():
                if callable(attr) and not isinstance(attr, type):
                    typing.get_type_hints(attr)
                    checked += 1
        assert checked > 200, checked
        """
    )
