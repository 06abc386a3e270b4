"""Hand-written runtime of the generated client: HTTP, retries, errors, paging, parsing.

This package is copied verbatim into every generated client, so it imports only the
standard library, httpx and pydantic, and refers to its own modules relatively. Generated
code imports the names below from ``._runtime``; the private modules are:

``_base_client``  what both clients share: settings, auth, building requests, parsing
``_sync_client``  SyncAPIClient: send, retry, page (blocking)
``_async_client`` AsyncAPIClient: the same with asyncio
``_encoding``     path parameters, query, headers, JSON and multipart bodies
``_files``        FileTypes: what an upload may be, and its file name and media type
``_retry``        which failures may be retried and how long to wait
``_errors``       the exception tree
``_parsing``      strict and tolerant parsing into the generated models
``_records``      answers that did not fit, to a JSON-lines file for ``verify --from-records``
``_pagination``   SyncPage / AsyncPage / AsyncPaginator
``_polling``      poll_until / apoll_until
``_webhooks``     parse_webhook_event
``_auth``         security schemes: which credential goes where, per operation
``_oauth``        OAuth2 client credentials: tokens fetched, cached, refreshed
``_secret``       keeping the API key out of reprs, logs and tracebacks
``_sentinel``     NOT_GIVEN
``_response``     APIResponse: with_raw_response / with_streaming_response
``_options``      per-request extra_headers / extra_query / extra_body / timeout
``_logs``         logger names derived from the package name
"""

from ._async_client import AsyncAPIClient
from ._auth import AuthScheme
from ._base_client import ResponseKind
from ._encoding import (
    FileContent,
    FileTypes,
    build_body,
    build_multipart,
    cookie_header,
    encode_form,
    encode_text,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIKeyMissingError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PollTimeoutError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    WebhookParseError,
)
from ._options import ExtraBody, ExtraHeaders, ExtraQuery, RequestTimeout
from ._pagination import AsyncPage, AsyncPaginator, SyncPage
from ._parsing import MismatchHook, SchemaMismatch, parse_value
from ._polling import apoll_until, poll_until
from ._records import MismatchRecorder
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from ._sentinel import NOT_GIVEN, NotGiven
from ._sync_client import SyncAPIClient
from ._webhooks import WebhookEvent, parse_webhook_event

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIKeyMissingError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncAPIResponse",
    "AsyncPage",
    "AsyncPaginator",
    "AuthScheme",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ExtraBody",
    "ExtraHeaders",
    "ExtraQuery",
    "FileContent",
    "FileTypes",
    "InternalServerError",
    "MismatchHook",
    "MismatchRecorder",
    "NotFoundError",
    "NotGiven",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RequestTimeout",
    "ResponseKind",
    "ResponseValidationError",
    "SchemaMismatch",
    "SyncAPIClient",
    "SyncPage",
    "UnprocessableEntityError",
    "WebhookEvent",
    "WebhookParseError",
    "apoll_until",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "build_body",
    "build_multipart",
    "cookie_header",
    "encode_form",
    "encode_text",
    "parse_value",
    "parse_webhook_event",
    "poll_until",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]
