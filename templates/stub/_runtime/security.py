"""Which credential an operation demands and where the caller puts it, read from the spec's
security schemes as the generated client sends them (its ``_runtime/_auth.py``):

* ``apiKey`` in a header, query parameter or cookie (in a header, ``x-api-key-prefix`` names
  a word before the key; the app's :class:`~.tenancy.KeyHeader` gives it for its header);
* ``bearer``: HTTP bearer, and OAuth2 and OpenID Connect access tokens (RFC 6750):
  ``Authorization: Bearer <token>``;
* ``basic``: ``Authorization: Basic <base64(username:password)>``; the password is the key,
  the username must not be empty.

Every credential is checked against the stored API keys (:func:`~.tenancy.authenticate`). An
operation's requirement is its own ``security`` or the document's: alternatives, each a set of
schemes presented together. No requirement, or an empty alternative, needs no credential; a
scheme of another kind (HTTP digest, mutual TLS) cannot be checked and is taken as met.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .tenancy import KeyHeader


@dataclass(frozen=True)
class Scheme:
    """One security scheme the stub checks."""

    kind: str  # apiKey, basic or bearer
    location: str  # header, query or cookie
    parameter: str
    prefix: str

    def credential(
        self,
        headers: Mapping[str, str],
        query: Mapping[str, str],
        cookies: Mapping[str, str],
    ) -> str | None:
        """The key this scheme carries in a request; "" when it is there but malformed; None
        when it is absent."""
        if self.location == "query":
            return _bare(query.get(self.parameter))
        if self.location == "cookie":
            value = cookies.get(self.parameter)
            return None if value is None else _bare(unquote(value))
        value = headers.get(self.parameter.lower())
        if value is None:
            return None
        if self.kind == "apiKey":
            return KeyHeader(self.parameter, self.prefix).key(value) or ""
        word, _, rest = value.partition(" ")
        if word.lower() != self.prefix.lower():
            return ""
        if self.kind == "bearer":
            return _bare(rest) or ""
        return _basic_password(rest)

    @property
    def challenge(self) -> dict[str, str]:
        """The ``WWW-Authenticate`` header of a 401 for this scheme."""
        if self.kind == "basic":
            return {"WWW-Authenticate": 'Basic realm="api"'}
        return {"WWW-Authenticate": self.prefix or self.parameter}


def _bare(value: str | None) -> str | None:
    if value is None:
        return None
    return value if value and not any(ch.isspace() for ch in value) else ""


def _basic_password(token: str) -> str:
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    username, sep, password = decoded.partition(":")
    return password if sep and username and password else ""


def schemes_of(spec: Mapping[str, Any], key_header: KeyHeader) -> dict[str, Scheme]:
    """The schemes of a spec the stub can check, by name."""
    components = spec.get("components")
    declared = components.get("securitySchemes") if isinstance(components, Mapping) else None
    found: dict[str, Scheme] = {}
    for name, scheme in (declared or {}).items() if isinstance(declared, Mapping) else ():
        made = _scheme(scheme, key_header) if isinstance(scheme, Mapping) else None
        if made is not None:
            found[str(name)] = made
    return found


def _scheme(scheme: Mapping[str, Any], key_header: KeyHeader) -> Scheme | None:
    kind = scheme.get("type")
    http = str(scheme.get("scheme", "")).lower()
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        parameter = str(scheme.get("name", ""))
        prefix = scheme.get("x-api-key-prefix")
        if scheme["in"] == "header" and parameter.lower() == key_header.name.lower():
            prefix = key_header.scheme
        return Scheme("apiKey", str(scheme["in"]), parameter, str(prefix or ""))
    if kind == "http" and http == "basic":
        return Scheme("basic", "header", "Authorization", "Basic")
    if (kind == "http" and http == "bearer") or kind in ("oauth2", "openIdConnect"):
        return Scheme("bearer", "header", "Authorization", "Bearer")
    return None
