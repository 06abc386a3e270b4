"""Settings and the tenancy seed of a stub server.

The seed says which orgs, sub-orgs, users and API keys exist before the first request. It
comes from a JSON file (``--seed``) or, with only ``--api-key``, from :func:`default_seed`,
whose ids are fixed so documentation and tests can show them.

Seed file format (every ``id`` is optional; missing ids are derived from names, so the
same file always yields the same ids)::

    {
      "orgs": [
        {
          "id": "00000000-0000-4000-8000-000000000001",
          "name": "Acme",
          "users": [{"id": "...", "email": "ada@acme.test",
                     "first_name": "Ada", "last_name": "Lovelace"}],
          "api_keys": [{"id": "...", "key": "secret-key", "name": "ci", "user_id": "..."}],
          "sub_orgs": [ { ...same shape, nested to any depth... } ]
        }
      ]
    }

A key reaches its org and every org below it. A key's ``user_id`` defaults to the first
user of its org (one is made up if the org has none).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_ORG_ID = "00000000-0000-4000-8000-000000000001"
DEFAULT_USER_ID = "00000000-0000-4000-8000-000000000002"
DEFAULT_API_KEY_ID = "00000000-0000-4000-8000-000000000003"

_SEED_NAMESPACE = uuid.UUID("6f0c2d55-4d1e-4a53-9d55-1b4f5c3a9e10")


class SeedError(ValueError):
    """A seed file that cannot be used; the message says where."""


@dataclass(frozen=True)
class SeedUser:
    """A user of an org; API keys act as one user (``*_by`` fields)."""

    id: str
    email: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class SeedApiKey:
    """An API key. Only its SHA-256 hash is ever stored."""

    id: str
    key: str
    user_id: str
    name: str = ""


@dataclass(frozen=True)
class SeedOrg:
    """An org with its users, keys and sub-orgs."""

    id: str
    name: str
    users: tuple[SeedUser, ...] = ()
    api_keys: tuple[SeedApiKey, ...] = ()
    sub_orgs: tuple[SeedOrg, ...] = ()


@dataclass(frozen=True)
class Seed:
    """Everything that exists before the first request."""

    orgs: tuple[SeedOrg, ...] = ()

    def all_keys(self) -> list[SeedApiKey]:
        """Every API key in the seed, depth first."""
        keys: list[SeedApiKey] = []

        def walk(org: SeedOrg) -> None:
            keys.extend(org.api_keys)
            for sub in org.sub_orgs:
                walk(sub)

        for org in self.orgs:
            walk(org)
        return keys


@dataclass
class StubSettings:
    """How a stub app behaves; every field has a default good for tests.

    ``validate_responses`` checks each response against the spec before sending it; a
    response that does not validate is a stub bug, logged and answered with 500.

    Customer SQL: one query (copying the caller's rows, running, fetching) gets
    ``sql_time_limit_s``; its result at most ``sql_row_limit`` rows (``truncated`` beyond)
    and ``sql_result_bytes`` bytes of cells (400 beyond). At most ``sql_queries_per_key``
    queries run at once per API key (429 beyond) and ``sql_queries`` in all (503 beyond).
    """

    db_path: str | None = None
    api_keys: Sequence[str] = ()
    seed: Seed | None = None
    max_body_bytes: int = 1024 * 1024
    rate_limit: float | None = None
    validate_responses: bool = True
    sql_time_limit_s: float = 2.0
    sql_row_limit: int = 1000
    sql_result_bytes: int = 8 * 1024 * 1024
    sql_queries: int = 4
    sql_queries_per_key: int = 2

    def effective_seed(self) -> Seed:
        """The seed to apply: ``seed`` plus ``api_keys`` (added to its first org)."""
        seed = self.seed
        if seed is None or not seed.orgs:
            if not self.api_keys:
                return Seed()
            return default_seed(self.api_keys)
        if not self.api_keys:
            return seed
        first = seed.orgs[0]
        user_id = first.users[0].id if first.users else _derived_id("user", first.id)
        extra_keys = tuple(
            SeedApiKey(
                id=_derived_id("key", f"{first.id}:cli:{index}"),
                key=key,
                user_id=user_id,
                name="cli",
            )
            for index, key in enumerate(self.api_keys)
        )
        users = first.users or (_made_up_user(first.id, user_id),)
        first = SeedOrg(
            id=first.id,
            name=first.name,
            users=users,
            api_keys=first.api_keys + extra_keys,
            sub_orgs=first.sub_orgs,
        )
        return Seed(orgs=(first, *seed.orgs[1:]))


def default_seed(api_keys: Sequence[str]) -> Seed:
    """One org, one user and the given keys, with the fixed ``DEFAULT_*`` ids."""
    user = SeedUser(
        id=DEFAULT_USER_ID,
        email="stub.user@example.com",
        first_name="Stub",
        last_name="User",
    )
    keys = tuple(
        SeedApiKey(
            id=DEFAULT_API_KEY_ID if index == 0 else _derived_id("key", f"default:{index}"),
            key=key,
            user_id=user.id,
            name="default",
        )
        for index, key in enumerate(api_keys)
    )
    org = SeedOrg(id=DEFAULT_ORG_ID, name="Stub Org", users=(user,), api_keys=keys)
    return Seed(orgs=(org,))


def load_seed(path: str | Path) -> Seed:
    """Read a seed JSON file (format in the module docstring)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedError(f"cannot read seed file {path}: {exc}") from exc
    return seed_from_dict(data)


def seed_from_dict(data: Any) -> Seed:
    """Build a :class:`Seed` from parsed JSON, checking its shape."""
    if not isinstance(data, Mapping) or not isinstance(data.get("orgs"), list):
        raise SeedError('a seed must be an object with an "orgs" list')
    orgs = tuple(_org_from_dict(item, f"orgs[{i}]") for i, item in enumerate(data["orgs"]))
    seen: set[str] = set()
    for key in Seed(orgs=orgs).all_keys():
        if key.key in seen:
            raise SeedError("the same API key appears twice in the seed")
        seen.add(key.key)
    return Seed(orgs=orgs)


def _org_from_dict(data: Any, where: str) -> SeedOrg:
    if not isinstance(data, Mapping):
        raise SeedError(f"{where} must be an object")
    name = str(data.get("name") or where)
    org_id = _id_field(data, where, _derived_id("org", name))
    users = tuple(
        _user_from_dict(item, f"{where}.users[{i}]", org_id)
        for i, item in enumerate(_list_field(data, "users", where))
    )
    default_user = users[0].id if users else _derived_id("user", org_id)
    keys = tuple(
        _key_from_dict(item, f"{where}.api_keys[{i}]", default_user, f"{org_id}:{i}")
        for i, item in enumerate(_list_field(data, "api_keys", where))
    )
    if keys and not users:
        users = (_made_up_user(org_id, default_user),)
    subs = tuple(
        _org_from_dict(item, f"{where}.sub_orgs[{i}]")
        for i, item in enumerate(_list_field(data, "sub_orgs", where))
    )
    return SeedOrg(id=org_id, name=name, users=users, api_keys=keys, sub_orgs=subs)


def _user_from_dict(data: Any, where: str, org_id: str) -> SeedUser:
    if not isinstance(data, Mapping):
        raise SeedError(f"{where} must be an object")
    email = str(data.get("email") or f"user-{org_id[:8]}@example.com")
    return SeedUser(
        id=_id_field(data, where, _derived_id("user", email)),
        email=email,
        first_name=str(data.get("first_name", "")),
        last_name=str(data.get("last_name", "")),
    )


def _key_from_dict(data: Any, where: str, default_user: str, slot: str) -> SeedApiKey:
    if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
        raise SeedError(f'{where} must be an object with a string "key"')
    key = data["key"]
    if not key or any(ch.isspace() for ch in key):
        raise SeedError(f"{where}.key must be non-empty and contain no spaces")
    return SeedApiKey(
        # Derived from the key's place, never from the secret itself.
        id=_id_field(data, where, _derived_id("key", slot)),
        key=key,
        user_id=str(data.get("user_id") or default_user),
        name=str(data.get("name", "")),
    )


def _list_field(data: Mapping[str, Any], name: str, where: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise SeedError(f"{where}.{name} must be a list")
    return value


def _id_field(data: Mapping[str, Any], where: str, fallback: str) -> str:
    value = data.get("id")
    if value is None:
        return fallback
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise SeedError(f"{where}.id must be a UUID") from exc


def _made_up_user(org_id: str, user_id: str) -> SeedUser:
    return SeedUser(id=user_id, email=f"user-{org_id[:8]}@example.com", first_name="Api")


def _derived_id(kind: str, name: str) -> str:
    """A stable UUID for a seed object that has no explicit id."""
    return str(uuid.uuid5(_SEED_NAMESPACE, f"{kind}:{name}"))
