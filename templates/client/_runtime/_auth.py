"""Sending credentials where the spec's security schemes say.

The generated client declares its schemes (``auth_schemes``: name -> :class:`AuthScheme`), the
document's requirement (``security``: alternatives, each a tuple of scheme names that go
together) and the operations that override it (``operation_security``, keyed by method and
path template; ``()`` is an operation that needs no credential). :class:`SecurityAuth` picks,
per request, the first alternative the client holds every credential for and writes each
credential at send time:

* ``apiKey``: the key in the header, query parameter or cookie the scheme names (a header
  value may carry a word before the key, ``x-api-key-prefix``: ``Api-Key <key>``);
* ``bearer`` (HTTP bearer, OAuth2 and OpenID Connect access tokens): ``Authorization: Bearer
  <token>``;
* ``basic``: ``Authorization: Basic <base64(username:password)>``.

Credentials go on a copy of the request, so the request the client keeps (logged, retried)
never holds one; error messages are redacted by :meth:`Credentials.redact`.
"""

from __future__ import annotations

import base64
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import httpx

from ._encoding import cookie_header
from ._secret import Secret

__all__ = ["SECURITY_EXTENSION", "AuthScheme", "Credentials", "Security", "SecurityAuth"]

Security: TypeAlias = "tuple[tuple[str, ...], ...]"
"""Alternatives of a security requirement: any one of them, all schemes of it together."""

SECURITY_EXTENSION = "codegen_security"
"""The ``httpx.Request.extensions`` key that carries a request's own requirement."""


@dataclass(frozen=True, slots=True)
class AuthScheme:
    """One security scheme: what credential it takes and where it travels."""

    kind: Literal["apiKey", "basic", "bearer"]
    location: Literal["header", "query", "cookie"] = "header"
    name: str = "Authorization"
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class Credentials:
    """The secrets a client holds; empty ones are absent."""

    key: Secret
    username: Secret
    password: Secret

    def has(self, scheme: AuthScheme) -> bool:
        if scheme.kind == "basic":
            return bool(self.username.reveal() or self.password.reveal())
        return bool(self.key.reveal())

    def redact(self, text: str) -> str:
        """``text`` with every credential (and the basic token made of two) as ``***``."""
        for secret in (self._basic(), self.key, self.username, self.password):
            text = secret.redact(text)
        return text

    def _basic(self) -> Secret:
        if not (self.username.reveal() or self.password.reveal()):
            return Secret("")
        pair = f"{self.username.reveal()}:{self.password.reveal()}".encode()
        return Secret(base64.b64encode(pair).decode("ascii"))

    def header_value(self, scheme: AuthScheme) -> str:
        """What the scheme's header (or cookie, or query parameter) carries."""
        if scheme.kind == "basic":
            return f"Basic {self._basic().reveal()}"
        if scheme.kind == "bearer":
            return f"Bearer {self.key.reveal()}"
        key = self.key.reveal()
        return f"{scheme.prefix} {key}" if scheme.prefix else key

    def __repr__(self) -> str:
        return "Credentials('***')"


def chosen(
    schemes: Mapping[str, AuthScheme], security: Security, credentials: Credentials
) -> tuple[AuthScheme, ...]:
    """The schemes of the first alternative the client can satisfy (none when none can, or
    when an alternative needs no credential and comes first)."""
    for alternative in security:
        found = [schemes.get(name) for name in alternative]
        if all(s is not None and credentials.has(s) for s in found):
            return tuple(s for s in found if s is not None)
    return ()


class SecurityAuth(httpx.Auth):
    """httpx auth flow that sends, per request, the credentials its requirement asks for."""

    def __init__(
        self,
        schemes: Mapping[str, AuthScheme],
        security: Security,
        credentials: Credentials,
    ) -> None:
        self._schemes = dict(schemes)
        self._security = security
        self._credentials = credentials

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        security = request.extensions.get(SECURITY_EXTENSION, self._security)
        headers = request.headers.copy()
        query: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for scheme in chosen(self._schemes, security, self._credentials):
            value = self._credentials.header_value(scheme)
            if scheme.location == "query":
                query[scheme.name] = value
            elif scheme.location == "cookie":
                cookies[scheme.name] = value
            else:
                headers[scheme.name] = value
        if cookies:
            earlier = headers.get("Cookie")
            cookie = cookie_header(cookies) or ""
            headers["Cookie"] = f"{earlier}; {cookie}" if earlier else cookie
        # A copy: the request the client keeps (and logs, and retries) holds no credential.
        url = request.url.copy_merge_params(query) if query else request.url
        try:
            content = request.content  # bytes, read when the request was built
        except httpx.RequestNotRead:  # a stream: handed on as it is
            copy = httpx.Request(
                request.method,
                url,
                headers=headers,
                stream=request.stream,
                extensions=request.extensions,
            )
        else:
            copy = httpx.Request(
                request.method,
                url,
                headers=headers,
                content=content,
                extensions=request.extensions,
            )
        yield copy

    def __repr__(self) -> str:
        return "SecurityAuth('***')"
