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
import contextlib
import json
import math
import os
import signal
import socket
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import uvicorn

from .app import build_routers, create_app
from .redaction import CREDENTIAL_PARAMS, RedactSecrets
from .settings import SeedError, StubSettings, load_seed

AppFactory = Callable[[StubSettings], Any]
KEY_ENV = "STUB_API_KEY"


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def _port(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return value


def _positive_integer(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None


def _positive_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def _prog() -> str | None:
    """``python -m <stub package>`` when this runtime sits in one (``<stub>._runtime``)."""
    package = (__package__ or "").rpartition(".")[0]
    return f"python -m {package}" if package else None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line (see ``--help``); a bad value exits 2 with a one-line reason."""
    parser = argparse.ArgumentParser(prog=_prog(), description="Run the stateful API stub server.")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8000, help="port; 0 picks a free one")
    parser.add_argument("--db", help="SQLite file for the state (default: in memory)")
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        help=f"accepted API key (repeatable; or env {KEY_ENV}); with no --seed it gets "
        "one org with fixed ids",
    )
    parser.add_argument("--seed", help="JSON file with orgs, sub-orgs, users and API keys")
    parser.add_argument(
        "--max-body-bytes",
        type=_positive_integer,
        default=1024 * 1024,
        help="larger request bodies get 413 (default 1 MiB)",
    )
    parser.add_argument("--rate-limit", type=_positive_rate, help="requests per second per key")
    parser.add_argument("--spec", help="JSON spec to serve when no app factory is given")
    parser.add_argument(
        "--no-validate-responses",
        action="store_true",
        help="send responses even if they do not match the spec (default: 500 instead)",
    )
    parser.add_argument("--log-level", default="warning", choices=LOG_LEVELS)
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
    """Run the server until interrupted; returns the process exit code: 0 once it has served
    and been stopped (Ctrl-C or SIGTERM, gracefully), 2 for what it cannot use (a value, a
    database, a port in use), 130 for a Ctrl-C and 143 for SIGTERM before it listened."""
    try:
        return _serve(argv, app_factory, spec)
    except KeyboardInterrupt:
        print("Stub server interrupted while starting", file=sys.stderr)
        return 130


def _serve(
    argv: Sequence[str] | None,
    app_factory: AppFactory | None,
    spec: Mapping[str, Any] | None,
) -> int:
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
            try:
                spec = _read_spec(args.spec)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        if spec is None:
            print("error: no app factory and no --spec", file=sys.stderr)
            return 2
        served = spec

        def app_factory(stub_settings: StubSettings) -> Any:
            return create_app(served, build_routers(served), stub_settings)

    try:
        app = app_factory(settings)
    except sqlite3.Error as exc:
        print(
            f"error: cannot use the state database {args.db or ':memory:'}: {exc}", file=sys.stderr
        )
        return 2
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        _close(app)
        where = f"[{args.host}]" if ":" in args.host else args.host
        print(
            f"error: cannot listen on {where}:{args.port}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level)
    RedactSecrets(_secret_params(app)).install()  # after uvicorn has set its logging up
    server = _AnnouncingServer(config, db=args.db)
    with _sigterm_raises(), sock:
        try:
            server.run(sockets=[sock])
        # Ctrl-C or SIGTERM: uvicorn raises it again once it has shut down gracefully.
        except (KeyboardInterrupt, _Terminated) as stopped:
            if not server.started:
                if isinstance(stopped, KeyboardInterrupt):
                    raise
                print("Stub server terminated while starting", file=sys.stderr)
                return 128 + signal.SIGTERM
    return 0 if server.started else 1


def _bind(host: str, port: int) -> socket.socket:
    """The server's socket, bound as uvicorn binds one (IPv6 when the host has a colon), so
    that a port in use is one line here rather than uvicorn's logged traceback and exit 3.

    The protocol is named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on accepted
    sockets whose protocol is IPPROTO_TCP, and an accepted socket inherits the listening one's.
    With it on, a response's body waits for the client's delayed ACK of its headers (40 ms
    on Linux) on every request."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _Terminated(Exception):
    """SIGTERM arrived (uvicorn raises it again after its graceful shutdown)."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`_Terminated` instead of killing the process, so that a stub
    stopped by it once serving exits 0, as after Ctrl-C (128 + 15 = 143 before)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers; uvicorn then sets none either
        return

    def terminated(signum: int, frame: Any) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _close(app: Any) -> None:
    """Release what a stub app holds (its database), when it is one."""
    engine = getattr(getattr(app, "state", None), "stub_engine", None)
    close = getattr(engine, "close", None)
    if callable(close):
        close()


def _secret_params(app: Any) -> frozenset[str]:
    """The query parameters the app's access log must not show (a stub app knows them)."""
    engine = getattr(getattr(app, "state", None), "stub_engine", None)
    names = getattr(engine, "secret_params", None)
    return names if isinstance(names, frozenset) else CREDENTIAL_PARAMS


def _read_spec(path: str) -> dict[str, Any]:
    """The JSON spec at `path`; ValueError saying what is wrong with it."""
    try:
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
    except OSError as exc:
        raise ValueError(f"cannot read --spec {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise ValueError(f"--spec {path} is not a JSON document: {exc}") from None
    if not isinstance(spec, dict):
        raise ValueError(f"--spec {path} is not an OpenAPI document (a JSON object)")
    return spec


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
