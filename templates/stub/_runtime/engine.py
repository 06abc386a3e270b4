"""The request pipeline every generated route goes through.

``handle(request, operation_id)`` runs, in DRF's order: read the body (413 past the
limit), then in one SQLite transaction authenticate (401), throttle (429), validate path,
query, header parameters and the body against the spec (400 naming each field, 415 for an
unsupported content type), resolve the org scope (403 for an org the key does not reach), run the
named behaviour or the generic handler for the operation's kind, fit the reply to the
response schema and check it. The transaction commits before the response is returned, so
an answered write is durable; any failure rolls the whole request back. A handler that
answers :class:`Pending` (customer SQL) has started its work in a worker thread: the
transaction closes, and the request awaits the reply without holding the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from . import crud, jobs
from .behaviours import Behaviour, behaviour_for
from .bodies import read_body
from .context import Call, Pending, Reply, Runtime
from .errors import (
    NOT_AUTHENTICATED,
    NOT_FOUND,
    SERVER_ERROR,
    StubBug,
    StubError,
    detail,
    field_errors,
    throttled,
    too_large,
)
from .limits import BodyTooLarge, RateLimiter
from .oauth import TokenIssuer
from .offload import WorkerPool
from .operations import Operation, json_media_of, json_schema_of
from .path_params import path_values, route_key, template_shape
from .redaction import secret_params
from .schemas import REQUIRED_MESSAGE, SchemaTools, coerce_text, drf_errors, schema_types
from .security import Scheme, schemes_of
from .settings import StubSettings
from .spec_index import SpecIndex
from .store import Store
from .tenancy import (
    DEFAULT_KEY_HEADER,
    KeyHeader,
    Principal,
    anonymous,
    principal_for_key,
    resolve_scope,
)
from .values import ValueBuilder, now_iso

logger = logging.getLogger(__name__)

_SKIPPED_HEADERS = frozenset({"authorization", "content-type", "accept"})


class Engine:
    """One app's spec index, store and behaviours."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        settings: StubSettings,
        key_header: KeyHeader = DEFAULT_KEY_HEADER,
    ) -> None:
        self.key_header = key_header
        self.schemes = schemes_of(spec, key_header)
        self.tokens = TokenIssuer()  # OAuth2 client credentials (see `oauth`)
        self.secret_params = secret_params(spec, key_header.name)
        tools = SchemaTools(spec)
        store = Store(settings.db_path)
        store.apply_seed(settings.effective_seed())
        self.rt = Runtime(
            spec=spec,
            settings=settings,
            tools=tools,
            index=SpecIndex(spec, tools),
            values=ValueBuilder(tools),
            store=store,
            workers=WorkerPool(settings.sql_queries, settings.sql_queries_per_key),
        )
        self.limiter = RateLimiter(settings.rate_limit) if settings.rate_limit else None
        self._by_shape: dict[tuple[str, str], Operation] | None = None  # see `_by_route`
        operations = self.rt.index.operations
        found = {name: behaviour_for(name, op.method, op.path) for name, op in operations.items()}
        self.behaviours: dict[str, Behaviour] = {
            name: func for name, func in found.items() if func is not None
        }

    def close(self) -> None:
        """Stop the worker threads' jobs, then release the database."""
        self.rt.workers.close()
        self.rt.store.close()

    def _by_route(self, request: Request) -> Operation | None:
        """The operation of the matched route's method and path template: how a route finds
        its operation when the spec names none (the generator then made its own id)."""
        template = getattr(request.scope.get("route"), "path", None)
        if not isinstance(template, str):
            return None
        if self._by_shape is None:  # once, on the first request that needs it
            self._by_shape = {}
            for op in self.rt.index.operations.values():
                self._by_shape.setdefault((template_shape(op.path), op.method), op)
        return self._by_shape.get((template_shape(template), request.method))

    async def handle(self, request: Request, operation_id: str) -> Response:
        """Answer one request for ``operation_id`` (never raises)."""
        op = self.rt.index.operations.get(operation_id) or self._by_route(request)
        if op is None:
            return JSONResponse({"detail": NOT_FOUND, "code": "not_found"}, status_code=404)
        try:
            self._check_route(request, op)
            raw = await request.body()
        except StubError as err:
            return self._error(op, err)
        except BodyTooLarge as exc:
            return self._error(op, too_large(exc.limit))
        except ClientDisconnect:
            return JSONResponse({"detail": "Client disconnected.", "code": "parse_error"}, 400)
        try:
            with self.rt.store.transaction():
                call = self._prepare(request, op, raw)
                reply = self._dispatch(call)
                if not isinstance(reply, Pending):
                    return self._render(op, reply)
            return self._render(op, await asyncio.wrap_future(reply.reply))
        except StubError as err:
            return self._error(op, err)
        except StubBug as bug:
            logger.error("stub bug in %s: %s", operation_id, bug)
            return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
        except Exception:
            logger.exception("unexpected error in %s", operation_id)
            return JSONResponse({"detail": SERVER_ERROR}, status_code=500)

    # -- before the handler ---------------------------------------------------------------

    def _check_route(self, request: Request, op: Operation) -> None:
        """405 when a more specific spec path owns this URL (``/v1/boms/upsert_async/``
        must not reach ``get_bom`` as ``bom_id="upsert_async"``)."""
        # scope["path"], not request.url.path: URL parsing drops tabs and newlines.
        path = str(request.scope["path"])
        best = self.rt.index.best_template(path)
        if best is not None and route_key(best) != route_key(op.path):
            allowed = self.rt.index.path_methods(path)
            raise detail(
                405,
                f'Method "{request.method}" not allowed.',
                {"Allow": ", ".join(allowed)},
                code="method_not_allowed",
            )

    def _prepare(self, request: Request, op: Operation, raw: bytes) -> Call:
        self._one_credential(request)
        headers = {k.lower(): v for k, v in request.headers.items()}
        principal = self._principal(op, request, headers)
        if self.limiter is not None:
            wait = self.limiter.acquire(principal.key_id)
            if wait is not None:
                raise throttled(wait)
        errors: dict[str, list[str]] = {}
        path = self._params(op, "path", path_values(op.path, request.path_params), errors)
        query = self._query(op, request, errors)
        header_values = {
            p.name: headers[p.name.lower()]
            for p in op.params
            if p.location == "header" and p.name.lower() in headers
        }
        declared = self._params(op, "header", header_values, errors)
        # Cookie values arrive percent-encoded (the generated client encodes what RFC 6265
        # does not allow); they are validated like any other parameter, then not used.
        cookies = {name: unquote(value) for name, value in request.cookies.items()}
        self._params(op, "cookie", cookies, errors)
        parsed = read_body(op, self.rt.tools, headers.get("content-type"), raw, errors)
        if errors:
            raise field_errors(errors)
        scope = resolve_scope(
            principal,
            op,
            query,
            {k.lower(): str(v) for k, v in declared.items()},
            self.rt.store,
        )
        return Call(
            rt=self.rt,
            op=op,
            request=request,
            principal=principal,
            scope=scope,
            path=path,
            query=query,
            headers=headers,
            body=parsed.data if parsed else None,
            files=parsed.files if parsed else {},
            now=now_iso(),
        )

    def _one_credential(self, request: Request) -> None:
        """400 for a credential header sent more than once: which one counts would be the
        server's guess (the last, before), and proxies may keep a different one."""
        for name in sorted({"Authorization", self.key_header.name}):
            count = len(request.headers.getlist(name))
            if count > 1:
                raise detail(
                    400,
                    f"The {name} header was sent {count} times; send it once.",
                    code="parse_error",
                )

    def _principal(
        self, op: Operation, request: Request, headers: Mapping[str, str]
    ) -> Principal:
        """The caller, by the first alternative of the operation's requirement whose
        credentials it presented (each must be a stored key); 401 when it presented none of
        a requirement that needs one (see ``security``)."""
        store = self.rt.store
        query, cookies = request.query_params, request.cookies
        challenge: Scheme | None = None
        for alternative in op.security:
            schemes = [self.schemes[name] for name in alternative if name in self.schemes]
            if not schemes:
                continue
            keys = [scheme.credential(headers, query, cookies) for scheme in schemes]
            keys = [
                self.tokens.key_for(k) if k and s.kind == "bearer" else k
                for s, k in zip(schemes, keys, strict=True)
            ]
            if all(key is not None for key in keys):
                found = [
                    principal_for_key(key, store, scheme.challenge)
                    for scheme, key in zip(schemes, keys, strict=True)
                ]
                return found[0]
            challenge = challenge or schemes[0]
        if challenge is not None and op.security_required:
            raise detail(401, NOT_AUTHENTICATED, challenge.challenge, code="not_authenticated")
        return anonymous(store)

    def _params(
        self,
        op: Operation,
        location: str,
        given: Mapping[str, str],
        errors: dict[str, list[str]],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tools = self.rt.tools
        for param in op.params:
            if param.location != location or param.name.lower() in _SKIPPED_HEADERS:
                continue
            if param.name not in given:
                if param.required:
                    errors.setdefault(param.name, []).append(REQUIRED_MESSAGE)
                continue
            value = coerce_text(str(given[param.name]), param.schema, tools)
            errors.update(drf_errors(tools.errors(value, param.schema), param.name))
            out[param.name] = value
        return out

    def _query(
        self, op: Operation, request: Request, errors: dict[str, list[str]]
    ) -> dict[str, Any]:
        tools = self.rt.tools
        given = request.query_params
        out: dict[str, Any] = {}
        for param in op.params:
            if param.location != "query":
                continue
            if param.name not in given:
                if param.required:
                    errors.setdefault(param.name, []).append(REQUIRED_MESSAGE)
                continue
            schema = tools.resolve(param.schema)
            value: Any
            if "array" in schema_types(schema, tools):
                items = schema.get("items", {}) if isinstance(schema, Mapping) else {}
                value = [coerce_text(v, items, tools) for v in given.getlist(param.name)]
            else:
                value = coerce_text(given[param.name], schema, tools)
            errors.update(drf_errors(tools.errors(value, param.schema), param.name))
            out[param.name] = value
        return out

    # -- the handler ----------------------------------------------------------------------

    def _dispatch(self, call: Call) -> Reply | Pending:
        if jobs.is_async(call):
            return jobs.run_async(call, self._dispatch_now)
        return self._dispatch_sync(call)

    def _dispatch_now(self, call: Call) -> Reply:
        """For an async job's work, which is done within its request."""
        reply = self._dispatch_sync(call)
        if isinstance(reply, Pending):
            raise StubBug(f"{call.op.operation_id} cannot run as an async job's work")
        return reply

    def _dispatch_sync(self, call: Call) -> Reply | Pending:
        behaviour = self.behaviours.get(call.op.operation_id)
        if behaviour is not None:
            reply = behaviour(call)
            if reply is not None:
                return reply
        return crud.GENERIC[call.op.kind](call)

    # -- after the handler ----------------------------------------------------------------

    def _render(self, op: Operation, reply: Reply) -> Response:
        if reply.content is not None:
            return Response(
                reply.content,
                status_code=reply.status,
                media_type=reply.media_type,
                headers=reply.headers,
            )
        declared = op.response_for(reply.status)
        if declared is None:
            logger.warning("%s answered undocumented status %s", op.operation_id, reply.status)
        if reply.status == 204 or (declared is not None and not declared.get("content")):
            return Response(status_code=reply.status, headers=reply.headers)
        schema = json_schema_of(declared) if declared else None
        body = reply.body
        if schema is not None and reply.fit:
            body = self.rt.values.shape(body, schema)
        if schema is not None and self.rt.settings.validate_responses:
            problems = list(self.rt.tools.errors(body, schema))
            if problems:
                where = "/".join(str(p) for p in problems[0].absolute_path)
                raise StubBug(
                    f"{reply.status} response does not match the spec at '{where}': "
                    f"{problems[0].message}"
                )
        return JSONResponse(body, status_code=reply.status, headers=reply.headers)

    def _error(self, op: Operation, err: StubError) -> Response:
        """The error as the spec declares it for this status: its JSON media type (say
        ``application/problem+json``) and, when the DRF-style body does not fit the declared
        schema, a body fitted to it from RFC 7807's fields and the stub's own."""
        declared = op.response_for(err.status)
        schema = json_schema_of(declared) if declared else None
        media = (json_media_of(declared) if declared else None) or "*/*"
        media = "application/json" if media.startswith("*/*") else media
        body = err.body
        if declared is None:
            logger.info("%s answered undocumented status %s", op.operation_id, err.status)
        elif schema is not None and not self.rt.tools.is_valid(body, schema):
            props = self.rt.properties(schema)
            numeric = {n for n, p in props.items() if schema_types(p, self.rt.tools) & _NUMBERS}
            fitted = self.rt.values.shape(_problem(err.status, body, numeric), schema)
            if self.rt.tools.is_valid(fitted, schema):
                body = fitted
            else:
                logger.error("%s: error body does not match the spec: %s", op.operation_id, body)
        return JSONResponse(body, status_code=err.status, headers=err.headers, media_type=media)


_NUMBERS = frozenset({"integer", "number"})
# Where foreign error schemas put the reason and the code (`{code: int, message: string}`).
_MESSAGES = ("message", "error", "error_description", "description", "reason", "msg")
_CODES = ("code", "statusCode", "status_code", "errorCode", "error_code")


def _problem(status: int, body: Mapping[str, Any], numeric: set[str]) -> dict[str, Any]:
    """The error's fields under the names error schemas use: RFC 7807's, the DRF body's,
    the reason under each usual message name, the status under each numeric code name."""
    text = _detail(body)
    named: dict[str, Any] = {name: text for name in _MESSAGES}
    named.update({name: status for name in _CODES if name in numeric})
    return {"title": _reason(status), "status": status, "detail": text, **body, **named}


def _reason(status: int) -> str:
    """The status's reason phrase (``Not Found``), for an RFC 7807 ``title``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _detail(body: Mapping[str, Any]) -> str:
    """One line for an RFC 7807 ``detail``: DRF's ``detail``, or its field errors joined."""
    if isinstance(body.get("detail"), str):
        return str(body["detail"])
    parts = []
    for name, messages in sorted(body.items()):
        listed = messages if isinstance(messages, list) else [messages]
        parts.append(f"{name}: {' '.join(str(m) for m in listed)}")
    return "; ".join(parts)
