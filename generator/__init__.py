"""cofactr-codegen: OpenAPI 3 spec -> pydantic models, typed client, stub server.

`generate`, `check` and `CheckResult` are imported on first use, not here: `python -m generator`
imports this package before its `__main__` can catch a Ctrl-C, so this module stays free of the
pipeline's imports (yaml, jinja2, ...) and an early Ctrl-C gets the CLI's one line, not a
traceback.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: importing typing takes a while (see above)
if TYPE_CHECKING:
    from .pipeline import CheckResult, check, generate

__all__ = ["CheckResult", "check", "generate"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
