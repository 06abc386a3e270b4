"""``python -m <pkg>_stub``: run a stub as a real HTTP server with uvicorn.

The generated ``__main__.py`` passes an ``app_factory`` that builds its app from settings::

    from ._runtime import main
    from .app import build_app

    raise SystemExit(main(app_factory=build_app))

Without a factory, ``--spec openapi.json`` serves any JSON spec with routes built at run time.
On start-up one line says where the server listens (never the key), once it really does,
so ``--port 0`` works and a launcher can read the port from it.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import uvicorn

from .app import build_routers, create_app
from .settings import SeedError, StubSettings, load_seed

AppFactory = Callable[[StubSettings], Any]
KEY_ENV = "STUB_API_KEY"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(description="Run the stateful API stub server.")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one")
    parser.add_argument("--db", help="SQLite file for the state (default: in memory)")
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        help=f"accepted API key (repeatable; or env {KEY_ENV}); with no --seed it gets "
        "one org with fixed ids",
    )
    parser.add_argument("--seed", help="JSON file with orgs, sub-orgs, users and API keys")
    parser.add_argument("--max-body-bytes", type=int, default=1024 * 1024)
    parser.add_argument("--rate-limit", type=float, help="requests per second per key")
    parser.add_argument("--spec", help="JSON spec to serve when no app factory is given")
    parser.add_argument(
        "--no-validate-responses",
        action="store_true",
        help="send responses even if they do not match the spec (default: 500 instead)",
    )
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> StubSettings:
    """StubSettings for parsed arguments."""
    keys = list(args.api_key)
    if not keys and os.environ.get(KEY_ENV):
        keys.append(os.environ[KEY_ENV])
    return StubSettings(
        db_path=args.db,
        api_keys=tuple(keys),
        seed=load_seed(args.seed) if args.seed else None,
        max_body_bytes=args.max_body_bytes,
        rate_limit=args.rate_limit,
        validate_responses=not args.no_validate_responses,
    )


def main(
    argv: Sequence[str] | None = None,
    *,
    app_factory: AppFactory | None = None,
    spec: Mapping[str, Any] | None = None,
) -> int:
    """Run the server until interrupted; returns the process exit code."""
    args = parse_args(argv)
    try:
        settings = settings_from_args(args)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    has_state = bool(args.db) and os.path.exists(args.db)
    if not settings.api_keys and settings.seed is None and not has_state:
        print(f"error: give --api-key (or {KEY_ENV}) or --seed", file=sys.stderr)
        return 2
    if app_factory is None:
        if spec is None and args.spec:
            with open(args.spec, encoding="utf-8") as handle:
                spec = json.load(handle)
        if spec is None:
            print("error: no app factory and no --spec", file=sys.stderr)
            return 2
        served = spec

        def app_factory(stub_settings: StubSettings) -> Any:
            return create_app(served, build_routers(served), stub_settings)

    app = app_factory(settings)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level)
    server = _AnnouncingServer(config, db=args.db)
    server.run()
    return 0 if server.started else 1


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints its real address once it listens."""

    def __init__(self, config: uvicorn.Config, db: str | None) -> None:
        super().__init__(config)
        self.db = db

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.started:
            return
        host, port = self.config.host, self.config.port
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                host, port = sock.getsockname()[:2]
                break
        where = self.db or "memory"
        print(f"Stub server listening on http://{host}:{port} (state: {where})", flush=True)
