"""OAuth2 access tokens fetched with the client credentials grant (RFC 6749, section 4.4).

A :class:`TokenSource` belongs to one OAuth2 security scheme with a ``clientCredentials``
flow. ``_auth.SecurityAuth`` asks it for a token before sending a request that needs one:

* a cached token is used while it has more than :data:`REFRESH_MARGIN` of its lifetime left
  (or half of it, for short-lived tokens), so it is refreshed before it expires, never after;
* otherwise a token request is sent first, through the same httpx client and transport:
  ``POST <token URL>`` with ``grant_type=client_credentials`` as a form, the client id and
  secret in HTTP basic (``client_secret_basic``, the method every server must support);
* a request answered 401 while it carried a cached token gets one fresh token and is sent once
  more (the server may have revoked it early).

The token, the client id and the secret live in :class:`~._secret.Secret` wrappers: never in a
repr, a log line or an error message. A failed token request is raised as the status error of
its own response (the token URL named, not the operation's).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from urllib.parse import quote_plus, urlencode

import httpx

from ._errors import ResponseValidationError
from ._secret import Secret

__all__ = ["REFRESH_MARGIN", "TOKEN_EXTENSION", "TokenSource", "shown_token_request"]

TOKEN_EXTENSION = "codegen_token_request"
"""The ``httpx.Request.extensions`` key that marks a token request (its answer is read in the
auth flow, and an error made of it names the token URL)."""

REFRESH_MARGIN = 60.0
"""Seconds before its expiry at which a cached token is replaced."""


class TokenSource:
    """Client-credentials tokens for one token URL, cached until shortly before expiry."""

    def __init__(self, token_url: str, client_id: Secret, client_secret: Secret) -> None:
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._token = Secret("")
        self._refresh_at: float | None = None  # None: valid until the server refuses it
        self.clock: Callable[[], float] = time.monotonic
        """Where "now" comes from; replace on an instance to test expiry without waiting."""

    def current(self) -> Secret | None:
        """The cached token while it is fresh, else None (a token request is due)."""
        if not self._token.reveal():
            return None
        if self._refresh_at is not None and self.clock() >= self._refresh_at:
            return None
        return self._token

    def forget(self) -> None:
        """Drop the cached token (the server refused it)."""
        self._token = Secret("")
        self._refresh_at = None

    def token_request(self) -> httpx.Request:
        """The client credentials grant, as the request to send."""
        # RFC 6749, 2.3.1: each of the pair form-encoded before the basic encoding
        client_id = quote_plus(self._client_id.reveal())
        pair = f"{client_id}:{quote_plus(self._client_secret.reveal())}".encode()
        return httpx.Request(
            "POST",
            self.token_url,
            headers={
                "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            content=urlencode({"grant_type": "client_credentials"}).encode("ascii"),
            extensions={TOKEN_EXTENSION: True},
        )

    def accept(self, response: httpx.Response) -> Secret:
        """Keep the token a successful token response carries (``access_token``,
        ``expires_in``) and return it."""
        try:
            data = response.json()
        except ValueError:
            data = None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            response.request = shown_token_request(response.request)
            raise ResponseValidationError(
                f"The token endpoint {self.token_url} answered without an access_token",
                response=response,
                body=None,  # it may hold secrets: never kept
            )
        lifetime = data.get("expires_in") if isinstance(data, dict) else None
        self._token = Secret(token)
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool):
            margin = min(REFRESH_MARGIN, lifetime / 2)
            self._refresh_at = self.clock() + lifetime - margin
        else:
            self._refresh_at = None
        return self._token

    def redact(self, text: str) -> str:
        for secret in (self._token, self._client_id, self._client_secret):
            text = secret.redact(text)
        return text

    def __repr__(self) -> str:
        return f"TokenSource({self.token_url!r}, '***')"


def shown_token_request(request: httpx.Request) -> httpx.Request:
    """A token request as an error may show it: without the client id and secret."""
    headers = request.headers.copy()
    del headers["Authorization"]
    return httpx.Request(
        request.method, request.url, headers=headers, extensions=request.extensions
    )
