"""The document's security schemes and requirements, as the client sends them and the stub
checks them (`templates/client/_runtime/_auth.py`, `templates/stub/_runtime/security.py`).

A scheme is one of three kinds of credential: `apiKey` (in a header, query parameter or
cookie; `x-api-key-prefix` names a word before the key in a header), `basic` (HTTP basic) and
`bearer` (HTTP bearer, and the access tokens of OAuth2 and OpenID Connect, RFC 6750; an
OAuth2 scheme with a `clientCredentials` flow keeps its `tokenUrl`, where the client can fetch
its token). Other
schemes (HTTP digest, mutual TLS) are left out: a requirement naming one cannot be met by the
client. A requirement is a tuple of alternatives, each a sorted tuple of scheme names.
"""

from __future__ import annotations

from typing import Any

from ..document import deref
from .types import AuthScheme, Security


def auth_schemes(data: dict[str, Any]) -> tuple[AuthScheme, ...]:
    """Every scheme the client can send, sorted by name."""
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    found = []
    for name in sorted(schemes):
        scheme = deref(data, schemes[name])
        made = _scheme(str(name), scheme) if isinstance(scheme, dict) else None
        if made is not None:
            found.append(made)
    return tuple(found)


def _scheme(name: str, scheme: dict[str, Any]) -> AuthScheme | None:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        prefix = scheme.get("x-api-key-prefix")
        return AuthScheme(
            name,
            "apiKey",
            scheme["in"],
            str(scheme.get("name", "")),
            prefix if isinstance(prefix, str) else "",
        )
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return AuthScheme(name, "basic", "header", "Authorization", "Basic")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return AuthScheme(name, "bearer", "header", "Authorization", "Bearer")
    if kind in ("oauth2", "openIdConnect"):
        return AuthScheme(name, "bearer", "header", "Authorization", "Bearer", _token_url(scheme))
    return None


def _token_url(scheme: dict[str, Any]) -> str:
    """An OAuth2 scheme's client credentials token URL ("" when it has no such flow)."""
    flows = scheme.get("flows") if scheme.get("type") == "oauth2" else None
    flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
    url = flow.get("tokenUrl") if isinstance(flow, dict) else None
    return url if isinstance(url, str) else ""


def requirement(value: Any) -> Security:
    """A `security` value as alternatives: `[]` (none needed) is `()`, `[{}]` is `((),)`."""
    if not isinstance(value, list):
        return ()
    return tuple(
        tuple(sorted(str(name) for name in alternative))
        for alternative in value
        if isinstance(alternative, dict)
    )


def operation_requirement(op: dict[str, Any]) -> Security | None:
    """An operation's own requirement; None when it keeps the document's."""
    return requirement(op["security"]) if "security" in op else None
