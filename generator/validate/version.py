"""Round 1 of validation: the version gate (Swagger 2, a missing `openapi` field, a version
written as a number or one we do not read)."""

from __future__ import annotations

import re

from ..errors import SpecError
from ..load import LoadedSpec


def check_version(spec: LoadedSpec) -> None:
    data = spec.data
    if "swagger" in data:
        raise SpecError(
            [
                spec.diagnostic(
                    f"Swagger {data.get('swagger')} documents are not supported; convert the "
                    "document to OpenAPI 3 first (for example with `npx swagger2openapi`) "
                    "and generate from the result",
                    "/swagger",
                )
            ]
        )
    version = data.get("openapi")
    if version is None:
        keys = ", ".join(repr(k) for k in list(data)[:5])
        raise SpecError(
            [
                spec.diagnostic(
                    "not an OpenAPI document: the `openapi` version field is missing "
                    f"(top-level keys: {keys})"
                )
            ]
        )
    if isinstance(version, int | float) and not isinstance(version, bool):
        raise SpecError(
            [
                spec.diagnostic(
                    f"the OpenAPI version {version!r} is a number; write the full version as a "
                    'string, e.g. `openapi: "3.0.3"` or `openapi: "3.1.0"`',
                    "/openapi",
                )
            ]
        )
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+", version):
        raise SpecError(
            [
                spec.diagnostic(
                    f"unsupported OpenAPI version {version!r}; supported: 3.0.x and 3.1.x",
                    "/openapi",
                )
            ]
        )
