"""cofactr-codegen: OpenAPI 3 spec -> pydantic models, typed client, stub server."""

from .pipeline import CheckResult, check, generate

__all__ = ["CheckResult", "check", "generate"]
