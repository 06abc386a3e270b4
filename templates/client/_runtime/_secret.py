"""Keeping the API key out of reprs, logs, exception messages and tracebacks.

The key is wrapped in ``_Secret`` as soon as the client gets it; its ``repr`` is redacted,
so a traceback rendered with ``capture_locals=True`` shows ``_Secret('***')`` instead of
the key. Credentials are written by ``_auth.SecurityAuth`` at send time, inside
httpx, into an ``httpx.Headers`` object (whose repr httpx redacts): no frame of ours ever
holds the header value in a plain local variable.
"""

from __future__ import annotations

import os

from ._errors import APIKeyMissingError

__all__ = ["Secret", "check_api_key", "load_api_key"]


def _is_header_safe(value: str) -> bool:
    return (
        value.isascii() and value.isprintable() and not any(c.isspace() for c in value)
    )


class Secret:
    """A string that never shows itself in ``repr``/``str``; use ``reveal()`` to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of the secret replaced by ``***``."""
        return text.replace(self._value, "***") if self._value else text

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("Secret values cannot be pickled")


def load_api_key(api_key: str | None, env_var: str) -> Secret:
    """Wrap ``api_key``, or ``$env_var`` when it is ``None``; never raises.

    Callers drop their plain ``api_key`` right after this and only then call
    ``check_api_key``, so a traceback of its ``ValueError`` cannot show the key.
    """
    if api_key is None:
        api_key = os.environ.get(env_var, "") if env_var else ""
    return Secret(api_key)


def check_api_key(secret: Secret, env_var: str) -> None:
    """Raise ``APIKeyMissingError`` for an empty key, ``ValueError`` for a malformed one."""
    if not secret.reveal():
        raise APIKeyMissingError(env_var or "<api_key_env_var>")
    if not _is_header_safe(secret.reveal()):
        raise ValueError(
            "The API key contains whitespace or characters that are not printable ASCII; "
            "check for a stray newline or quote."
        )
