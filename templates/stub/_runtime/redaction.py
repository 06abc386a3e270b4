"""Credentials a caller puts in a URL stay out of the server's logs.

The stub reads API keys from a header only, but callers do send them in the query string
(``?api_key=...``), and uvicorn's access log writes every request's path and query at
``--log-level info`` (its ``trace`` level logs the ASGI scope, ``query_string`` included).
:class:`RedactSecrets` rewrites those records: the value of every query parameter named like
a credential becomes ``[redacted]``. The names are :data:`CREDENTIAL_PARAMS` plus, from the
spec, the names of API-key security schemes and the header the key travels in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote_plus

CREDENTIAL_PARAMS = frozenset(
    {
        "access_token",
        "api-key",
        "api_key",
        "apikey",
        "auth",
        "authorization",
        "client_secret",
        "id_token",
        "key",
        "password",
        "refresh_token",
        "secret",
        "token",
        "x-api-key",
    }
)
REDACTED = "[redacted]"
LOGGERS = ("uvicorn.access", "uvicorn.asgi")


def secret_params(spec: Mapping[str, Any], key_header: str) -> frozenset[str]:
    """Query parameter names whose values are never logged, lower-case."""
    names = set(CREDENTIAL_PARAMS) | {key_header.lower()}
    components = spec.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    for scheme in (schemes or {}).values() if isinstance(schemes, Mapping) else ():
        if isinstance(scheme, Mapping) and scheme.get("type") == "apiKey":
            names.add(str(scheme.get("name", "")).lower())
    names.discard("")
    return frozenset(names)


def redact_query(query: str, names: Iterable[str]) -> str:
    """``a=1&api_key=s3cret`` -> ``a=1&api_key=[redacted]`` (names compared decoded)."""
    secret = frozenset(names)
    parts = []
    for part in query.split("&"):
        name, sep, _ = part.partition("=")
        if sep and unquote_plus(name).strip().lower() in secret:
            part = f"{name}={REDACTED}"
        parts.append(part)
    return "&".join(parts)


def redact_target(target: str, names: Iterable[str]) -> str:
    """A request target (``/path?query``) with its secret query values redacted."""
    path, sep, query = target.partition("?")
    return path + sep + redact_query(query, names) if sep else target


class RedactSecrets(logging.Filter):
    """Redacts credential query values in uvicorn's access (and ASGI trace) records."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__()
        self.names = frozenset(names)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._redacted(arg) for arg in record.args)
        return True

    def _redacted(self, arg: Any) -> Any:
        if isinstance(arg, str) and "?" in arg:
            return redact_target(arg, self.names)
        if isinstance(arg, Mapping) and isinstance(arg.get("query_string"), bytes):
            query = arg["query_string"].decode("latin-1")
            return {**arg, "query_string": redact_query(query, self.names).encode("latin-1")}
        return arg

    def install(self) -> None:
        """Filter uvicorn's loggers that write request targets."""
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self)
