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
  <token>``; the token is the one the client was given, or, for an OAuth2 scheme with a
  client credentials flow (``token_url``), one fetched with the client id and secret
  (``_oauth.TokenSource``: cached, refreshed before it expires);
* ``basic``: ``Authorization: Basic <base64(username:password)>``.

Credentials go on a copy of the request, so the request the client keeps (logged, retried)
never holds one; error messages are redacted by :meth:`Credentials.redact`.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator, Generator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import httpx

from ._encoding import cookie_header
from ._oauth import TOKEN_EXTENSION, TokenSource
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
    token_url: str = ""
    """A bearer scheme's client credentials token URL (OAuth2); relative to the base URL."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """The secrets a client holds; empty ones are absent."""

    key: Secret
    username: Secret
    password: Secret
    client_id: Secret = field(default_factory=lambda: Secret(""))
    client_secret: Secret = field(default_factory=lambda: Secret(""))

    def has(self, scheme: AuthScheme) -> bool:
        if scheme.kind == "basic":
            return bool(self.username.reveal() or self.password.reveal())
        return bool(self.key.reveal()) or self.fetches_token(scheme)

    def fetches_token(self, scheme: AuthScheme) -> bool:
        """Whether the client gets this scheme's token itself (client credentials, no token
        given)."""
        return bool(
            scheme.token_url
            and not self.key.reveal()
            and self.client_id.reveal()
            and self.client_secret.reveal()
        )

    def redact(self, text: str) -> str:
        """``text`` with every credential (and the basic token made of two) as ``***``."""
        secrets = (self._basic(), self.key, self.username, self.password)
        for secret in (*secrets, self.client_id, self.client_secret):
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
) -> tuple[tuple[str, AuthScheme], ...]:
    """The schemes (by name) of the first alternative the client can satisfy (none when none
    can, or when an alternative needs no credential and comes first)."""
    for alternative in security:
        found = [(name, schemes.get(name)) for name in alternative]
        if all(s is not None and credentials.has(s) for _, s in found):
            return tuple((name, s) for name, s in found if s is not None)
    return ()


class SecurityAuth(httpx.Auth):
    """httpx auth flow that sends, per request, the credentials its requirement asks for."""

    # Only token answers are read (by the flows below), not every answer: a streamed
    # download must stay unread.
    requires_response_body = False

    def __init__(
        self,
        schemes: Mapping[str, AuthScheme],
        security: Security,
        credentials: Credentials,
        tokens: Mapping[str, TokenSource] | None = None,
    ) -> None:
        self._schemes = dict(schemes)
        self._security = security
        self._credentials = credentials
        self.tokens = dict(tokens or {})
        """The token source of each scheme whose token the client fetches, by scheme name."""

    def redact(self, text: str) -> str:
        """``text`` with every credential, fetched tokens included, as ``***``."""
        for source in self.tokens.values():
            text = source.redact(text)
        return self._credentials.redact(text)

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.auth_flow(request)
        try:
            sent = next(flow)
            while True:
                response = yield sent
                if response.request.extensions.get(TOKEN_EXTENSION):
                    response.read()
                sent = flow.send(response)
        except StopIteration:
            return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self.auth_flow(request)
        try:
            sent = next(flow)
            while True:
                response = yield sent
                if response.request.extensions.get(TOKEN_EXTENSION):
                    await response.aread()
                sent = flow.send(response)
        except StopIteration:
            return

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        security = request.extensions.get(SECURITY_EXTENSION, self._security)
        fetched: dict[str, Secret] = {}
        cached = False
        for name, _scheme in chosen(self._schemes, security, self._credentials):
            source = self.tokens.get(name)
            if source is None:
                continue
            token = source.current()
            cached = cached or token is not None
            if token is None:
                answer = yield source.token_request()
                if not answer.is_success:
                    return  # the token endpoint's own answer is the client's error
                token = source.accept(answer)
            fetched[name] = token
        response = yield self._with_credentials(request, security, fetched)
        if response.status_code == 401 and cached and _replayable(request):
            # A cached token may have been revoked early: fresh tokens, one more try.
            for name in list(fetched):
                source = self.tokens[name]
                source.forget()
                answer = yield source.token_request()
                if not answer.is_success:
                    return
                fetched[name] = source.accept(answer)
            yield self._with_credentials(request, security, fetched)

    def _with_credentials(
        self, request: httpx.Request, security: Security, fetched: Mapping[str, Secret]
    ) -> httpx.Request:
        headers = request.headers.copy()
        query: dict[str, str] = {}
        cookies: dict[str, str] = {}
        for name, scheme in chosen(self._schemes, security, self._credentials):
            token = fetched.get(name)
            value = (
                f"Bearer {token.reveal()}"
                if token is not None
                else self._credentials.header_value(scheme)
            )
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
        return copy

    def __repr__(self) -> str:
        return "SecurityAuth('***')"


def _replayable(request: httpx.Request) -> bool:
    try:
        _ = request.content
    except httpx.RequestNotRead:  # a stream, already sent
        return False
    return True
