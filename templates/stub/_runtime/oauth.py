"""The token endpoint of OAuth2 client credentials flows (RFC 6749, section 4.4), so that a
generated client can fetch its tokens from its own stub.

For each OAuth2 scheme with a ``clientCredentials`` flow, the stub answers ``POST`` at the
path of its ``tokenUrl`` (unless the spec declares an operation there). The client
authenticates with HTTP basic (``client_secret_basic``) or with ``client_id`` and
``client_secret`` in the form (``client_secret_post``); the secret must be one of the stub's
API keys, and the client id must not be empty. The answer is a new opaque bearer token that
stands for that key until it expires (``expires_in``), RFC 6749's JSON errors otherwise
(``invalid_client`` 401, ``unsupported_grant_type`` and ``invalid_request`` 400).

Tokens live in memory only: they end with the process, like sessions. Neither a token nor a
secret is ever logged.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import StubError
from .store import Store
from .tenancy import principal_for_key

TOKEN_LIFETIME = 3600
"""Seconds a token is valid (``expires_in``)."""
MAX_TOKENS = 10_000  # issued tokens kept at once; the oldest go first


def token_paths(spec: Mapping[str, Any]) -> list[str]:
    """The paths of the spec's client credentials token URLs the stub serves, sorted."""
    components = spec.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    declared = set(spec.get("paths") or {})
    found: set[str] = set()
    for scheme in (schemes or {}).values() if isinstance(schemes, Mapping) else ():
        flows = scheme.get("flows") if isinstance(scheme, Mapping) else None
        flow = flows.get("clientCredentials") if isinstance(flows, Mapping) else None
        url = flow.get("tokenUrl") if isinstance(flow, Mapping) else None
        if isinstance(url, str) and url:
            path = urlsplit(url).path or "/"
            path = path if path.startswith("/") else "/" + path
            if path not in declared:
                found.add(path)
    return sorted(found)


class TokenIssuer:
    """Access tokens issued by the token endpoint, each standing for an API key."""

    def __init__(self, lifetime: int = TOKEN_LIFETIME) -> None:
        self.lifetime = lifetime
        self._tokens: dict[str, tuple[str, float]] = {}  # token -> (key, expiry)
        self._lock = threading.Lock()

    def issue(self, key: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            while len(self._tokens) >= MAX_TOKENS:
                del self._tokens[next(iter(self._tokens))]
            self._tokens[token] = (key, time.monotonic() + self.lifetime)
        return token

    def key_for(self, credential: str) -> str:
        """The API key an unexpired token stands for; any other credential as it is."""
        with self._lock:
            found = self._tokens.get(credential)
        if found is None or time.monotonic() >= found[1]:
            return credential
        return found[0]


def token_endpoint(
    issuer: TokenIssuer, store: Callable[[], Store]
) -> Callable[[Request], Awaitable[Response]]:
    """The route that answers a client credentials grant."""

    async def endpoint(request: Request) -> Response:
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "invalid_request", "The form is not UTF-8.")
        form = dict(parse_qsl(text, keep_blank_values=True))
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "Only client_credentials is served.")
        client_id, secret = _basic(request.headers.get("authorization"))
        if not secret:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if not client_id or not secret:
            return _error(401, "invalid_client", "Client id and secret are needed.")
        try:
            principal_for_key(secret, store(), {})
        except StubError:
            return _error(401, "invalid_client", "Unknown client secret.")
        return JSONResponse(
            {
                "access_token": issuer.issue(secret),
                "token_type": "Bearer",
                "expires_in": issuer.lifetime,
            },
            headers={"Cache-Control": "no-store"},
        )

    return endpoint


def _basic(value: str | None) -> tuple[str, str]:
    word, _, token = (value or "").partition(" ")
    if word.lower() != "basic":
        return "", ""
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def _error(status: int, code: str, description: str) -> Response:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="token"'
    return JSONResponse(
        {"error": code, "error_description": description}, status_code=status, headers=headers
    )
