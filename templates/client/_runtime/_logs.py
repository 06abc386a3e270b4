"""Logger names, derived from the package this runtime is copied into.

The runtime is copied verbatim into ``<pkg>/_runtime/``, and the package may be renamed, so
the names are computed from ``__package__`` rather than written down: requests are logged to
``"<pkg>.http"`` and schema mismatches to ``"<pkg>.schema"``.
"""

from __future__ import annotations

import logging

__all__ = ["PACKAGE_NAME", "http_logger", "schema_logger"]

_runtime_package = __package__ or __name__.rpartition(".")[0]
# "<pkg>._runtime" -> "<pkg>"; a runtime imported on its own ("_runtime") keeps its name.
PACKAGE_NAME: str = _runtime_package.rpartition(".")[0] or _runtime_package

http_logger = logging.getLogger(PACKAGE_NAME + ".http")
schema_logger = logging.getLogger(PACKAGE_NAME + ".schema")
