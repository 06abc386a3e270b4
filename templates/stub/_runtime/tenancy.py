"""Who is calling (the API key) and which orgs a request may see.

Rules, as the API documents them and as the stub settles what it leaves open:

* ``Authorization: Api-Key <key>``: exactly that word, one space, one token (for another
  spec, the header and word its security scheme names, as the generated client sends them:
  :class:`KeyHeader`). Missing or
  malformed -> 401 "Authentication credentials were not provided."; an unknown (or revoked)
  key -> 401 "Invalid API key.". Keys are stored as SHA-256 hashes and compared with
  :func:`hmac.compare_digest` against every stored hash, so timing says nothing.
* A key reaches its org and every sub-org below it. Query ``org_id`` narrows a request to
  one org; header ``x-org-id`` does the same where the query does not (the query wins when
  both are given). Narrowing to an org the key does not reach (or that does not exist) is
  answered 403 "You do not have permission to perform this action." for every kind of
  operation, as the spec's ``Forbidden`` response says; a record of an org the key does not
  reach is answered 404 like a missing one, so ids never leak across orgs.
* Records are created in the narrowed org, else in the key's own org.
* Operations that declare a ``blended`` query parameter (purchases) look up records in the
  target org only, and also in its sub-orgs when ``blended`` is present (any value).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import INVALID_KEY, NOT_AUTHENTICATED, detail, permission_denied
from .operations import Operation
from .store import Store, hash_key


@dataclass(frozen=True)
class KeyHeader:
    """Where the API key travels: the header, and the word before the key ("" when the header
    holds the bare key). The generator renders the pair its client uses into the stub."""

    name: str = "Authorization"
    scheme: str = "Api-Key"

    def key(self, value: str | None) -> str | None:
        """The key in a header value, or None when the value is not ``<scheme> <key>``."""
        text = value or ""
        if self.scheme:
            if not text.startswith(self.scheme + " "):
                return None
            text = text[len(self.scheme) + 1 :]
        return text if text and not any(ch.isspace() for ch in text) else None

    def headers(self, key: str) -> dict[str, str]:
        """What a caller sends to present ``key`` (the generated client sends the same)."""
        return {self.name: f"{self.scheme} {key}" if self.scheme else key}

    @property
    def challenge(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.scheme or self.name}


DEFAULT_KEY_HEADER = KeyHeader()  # Cofactr's: `Authorization: Api-Key <key>`


@dataclass(frozen=True)
class Principal:
    """The caller: its key, its org and the user it acts as."""

    key_id: str
    org_id: str
    user: dict[str, Any]
    reachable: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """Where a request creates records and which orgs its lookups see."""

    target_org: str
    org_ids: tuple[str, ...]


def authenticate(
    value: str | None, store: Store, header: KeyHeader = DEFAULT_KEY_HEADER
) -> Principal:
    """The principal for the key header's value, or a 401 error."""
    return principal_for_key(header.key(value), store, header.challenge)


def principal_for_key(key: str | None, store: Store, challenge: Mapping[str, str]) -> Principal:
    """The principal whose stored key is ``key``; 401 (with ``challenge``) for none or an
    unknown, revoked or inactive one."""
    if not key:
        raise detail(401, NOT_AUTHENTICATED, dict(challenge), code="not_authenticated")
    digest = hash_key(key)
    found = None
    for row in store.api_keys():
        # Compare against every row so the time taken does not depend on the key.
        if hmac.compare_digest(row.key_hash, digest) and found is None:
            found = row
    if found is None or found.data.get("revoked") or found.data.get("is_active") is False:
        raise detail(401, INVALID_KEY, dict(challenge), code="authentication_failed")
    user = store.user(found.user_id) or {"id": found.user_id, "org_id": found.org_id}
    return Principal(
        key_id=found.id,
        org_id=found.org_id,
        user=user,
        reachable=tuple(store.orgs_under(found.org_id)),
    )


def anonymous(store: Store) -> Principal:
    """For operations that need no credential: act as the first key's org (with no key
    stored, as a caller of no org, whose records only such callers see)."""
    keys = store.api_keys()
    if not keys:
        return Principal("", "", {}, ("",))
    row = keys[0]
    user = store.user(row.user_id) or {"id": row.user_id, "org_id": row.org_id}
    return Principal(row.id, row.org_id, user, tuple(store.orgs_under(row.org_id)))


def resolve_scope(
    principal: Principal,
    op: Operation,
    query: Mapping[str, Any],
    headers: Mapping[str, str],
    store: Store,
) -> Scope:
    """The scope of one request (see the module docstring for the rules)."""
    narrowed = query.get("org_id") or headers.get("x-org-id") or None
    if narrowed is not None:
        narrowed = str(narrowed).lower()
        if narrowed not in principal.reachable:
            raise permission_denied()
    target = narrowed or principal.org_id
    if op.param("blended", "query") is not None:
        if "blended" in query:
            below = store.orgs_under(target)
            return Scope(target, tuple(o for o in below if o in principal.reachable))
        return Scope(target, (target,))
    if narrowed is not None:
        return Scope(target, (narrowed,))
    return Scope(target, principal.reachable)
