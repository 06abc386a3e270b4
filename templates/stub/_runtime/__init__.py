"""Runtime of a stateful stub server generated from an OpenAPI spec.

Copied verbatim into each generated stub package as ``_runtime``; it imports only the
stdlib, FastAPI/Starlette, uvicorn and jsonschema, and only relatively, so the package can
be renamed. Entry points:

* :func:`create_app` builds the FastAPI app from the spec, the routers and settings;
* :func:`handle` is what every generated route awaits;
* :func:`build_routers` makes those routes at run time (tests, foreign specs);
* :func:`main` is the ``python -m <pkg>_stub`` command line.
"""

from .app import build_routers, create_app, handle
from .cli import main
from .settings import (
    DEFAULT_API_KEY_ID,
    DEFAULT_ORG_ID,
    DEFAULT_USER_ID,
    Seed,
    SeedApiKey,
    SeedError,
    SeedOrg,
    SeedUser,
    StubSettings,
    load_seed,
    seed_from_dict,
)
from .tenancy import KeyHeader

__all__ = [
    "DEFAULT_API_KEY_ID",
    "DEFAULT_ORG_ID",
    "DEFAULT_USER_ID",
    "KeyHeader",
    "Seed",
    "SeedApiKey",
    "SeedError",
    "SeedOrg",
    "SeedUser",
    "StubSettings",
    "build_routers",
    "create_app",
    "handle",
    "load_seed",
    "main",
    "seed_from_dict",
]
