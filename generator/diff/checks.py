"""The table of diff checks: each kind of change, how bad it is, and the bump it calls for.

Ids are oasdiff's where oasdiff has the check. Levels differ from oasdiff's where the generated
client turns a wire-compatible change into a source-incompatible one: removing a keyword
argument, a model attribute, an enum member or a model class breaks code that names it.
docs/diff.md lists the checks and compares the verdicts with openapi-diff.
"""

from __future__ import annotations

from dataclasses import dataclass

ERR, WARN, INFO = "ERR", "WARN", "INFO"
LEVEL_NAMES = {ERR: "Breaking changes", WARN: "Warnings", INFO: "Other changes"}
LEVEL_RANK = {ERR: 0, WARN: 1, INFO: 2}
BUMPS = ("none", "patch", "minor", "major")


@dataclass(frozen=True)
class Check:
    """One kind of change: its id, how bad it is, and the version bump it calls for."""

    id: str
    level: str
    bump: str
    description: str
    oasdiff: str = ""  # oasdiff's level for the same id; "" when the id is ours


# One check a row: id, level (ERR = breaking, WARN = may break, INFO = safe), bump, oasdiff's
# level for the same id ("-": no such oasdiff check); the description on the next line.
_TABLE = """
# operations
endpoint-added                         INFO  minor  INFO
    an operation was added
api-removed-without-deprecation        ERR   major  ERR
    an operation was removed (its path remains) without being deprecated first
api-removed-with-deprecation           INFO  major  INFO
    a deprecated operation was removed (its path remains); the client still loses a method
api-path-removed-without-deprecation   ERR   major  ERR
    a path and its operation were removed without being deprecated first
api-path-removed-with-deprecation      INFO  major  INFO
    a deprecated operation was removed with its path; the client still loses a method
operation-id-changed                   ERR   major  -
    same method and path, new operationId: the generated client method is renamed
operation-id-spelling-changed          INFO  patch  -
    the operationId changed but the generated method name did not
api-tag-changed                        ERR   major  -
    the operation's (first) tag changed: it moves to another client resource attribute
api-tag-spelling-changed               INFO  patch  -
    the operation's tag changed but the generated resource names did not
api-path-changed                       ERR   major  -
    same operationId, new path: clients built from the old spec call a gone URL
api-method-changed                     ERR   major  -
    same operationId, new HTTP method: clients built from the old spec use the wrong one
endpoint-deprecated                    INFO  patch  INFO
    an operation was deprecated
endpoint-reactivated                   INFO  patch  INFO
    an operation is no longer deprecated
webhook-added                          INFO  minor  INFO
    a webhook was added
webhook-removed                        ERR   major  ERR
    a webhook was removed

# parameters
new-required-request-parameter         ERR   major  ERR
    a required parameter was added
new-optional-request-parameter         INFO  minor  INFO
    an optional parameter was added
new-request-path-parameter             ERR   major  ERR
    a path parameter was added
request-parameter-removed              ERR   major  WARN
    a parameter was removed: the generated method loses a keyword argument
request-parameter-became-required      ERR   major  ERR
    a parameter became required
request-parameter-became-optional      INFO  minor  INFO
    a parameter became optional
request-parameter-type-changed         ERR   major  ERR
    a parameter's type or format changed incompatibly
request-parameter-type-generalized     INFO  minor  INFO
    a parameter accepts more types than before
request-parameter-enum-value-added     INFO  minor  INFO
    a parameter accepts a new value
request-parameter-enum-value-removed   ERR   major  ERR
    a parameter no longer accepts a value
request-parameter-became-enum          ERR   major  ERR
    a parameter is restricted to a list of values

# request bodies
added-required-request-body            ERR   major  ERR
    a required request body was added
added-optional-request-body            INFO  minor  INFO
    an optional request body was added
request-body-removed                   ERR   major  ERR
    the request body was removed
request-body-became-required           ERR   major  ERR
    the request body became required
request-body-became-optional           INFO  minor  INFO
    the request body became optional
request-body-media-type-added          INFO  minor  INFO
    the request body accepts a media type
request-body-media-type-removed        ERR   major  ERR
    the request body no longer accepts a media type
request-body-type-changed              ERR   major  ERR
    the request body's type changed
request-body-type-generalized          INFO  minor  INFO
    the request body accepts more types than before
request-body-became-nullable           INFO  minor  INFO
    the request body may be null
request-body-became-not-nullable       ERR   major  ERR
    the request body may no longer be null
request-body-enum-value-added          INFO  minor  -
    the request body accepts a new value
request-body-enum-value-removed        ERR   major  INFO
    the request body no longer accepts a value
request-body-became-enum               ERR   major  ERR
    the request body is restricted to a list of values
request-body-one-of-added              INFO  minor  INFO
    the request body accepts a new oneOf branch
request-body-one-of-removed            ERR   major  ERR
    a oneOf branch of the request body was removed
request-body-any-of-added              INFO  minor  INFO
    the request body accepts a new anyOf branch
request-body-any-of-removed            ERR   major  ERR
    an anyOf branch of the request body was removed

# request properties
new-required-request-property          ERR   major  ERR
    a required request property was added
new-optional-request-property          INFO  minor  INFO
    an optional request property was added
request-property-removed               ERR   major  WARN
    a request property was removed: the generated model or method loses it
request-property-became-required       ERR   major  ERR
    a request property became required
request-property-became-optional       INFO  minor  INFO
    a request property became optional
request-property-type-changed          ERR   major  ERR
    a request property's type or format changed incompatibly
request-property-type-generalized      INFO  minor  INFO
    a request property accepts more types than before
request-property-became-nullable       INFO  minor  INFO
    a request property may be null
request-property-became-not-nullable   ERR   major  ERR
    a request property may no longer be null
request-property-enum-value-added      INFO  minor  INFO
    a request property accepts a new value
request-property-enum-value-removed    ERR   major  ERR
    a request property no longer accepts a value
request-property-became-enum           ERR   major  ERR
    a request property is restricted to a list of values
request-property-one-of-added          INFO  minor  INFO
    a request property accepts a new oneOf branch
request-property-one-of-removed        ERR   major  ERR
    a oneOf branch of a request property was removed
request-property-any-of-added          INFO  minor  INFO
    a request property accepts a new anyOf branch
request-property-any-of-removed        ERR   major  ERR
    an anyOf branch of a request property was removed

# responses
response-success-status-added          INFO  minor  INFO
    a success status was added
response-success-status-removed        ERR   major  ERR
    a success status was removed
response-non-success-status-added      INFO  patch  INFO
    an error status was added
response-non-success-status-removed    INFO  patch  INFO
    an error status was removed
response-media-type-added              INFO  minor  INFO
    a success response has a new media type
response-media-type-removed            ERR   major  ERR
    a success response lost a media type (or its body)
response-body-type-changed             ERR   major  ERR
    the response body's type or format changed (or widened)
response-body-type-narrowed            INFO  patch  -
    the response body has fewer possible types than before
response-body-became-nullable          ERR   major  ERR
    the response body may be null
response-body-became-not-nullable      INFO  patch  INFO
    the response body is no longer null
response-body-enum-value-added         WARN  minor  -
    the response body may hold a new value that clients may not handle
response-body-enum-value-removed       ERR   major  -
    the response body lost a value: the generated enum loses a member
response-body-one-of-added             ERR   major  ERR
    the response body has a new oneOf branch
response-body-one-of-removed           INFO  patch  INFO
    a oneOf branch of the response body was removed
response-body-any-of-added             ERR   major  ERR
    the response body has a new anyOf branch
response-body-any-of-removed           INFO  patch  INFO
    an anyOf branch of the response body was removed

# response properties
response-required-property-added       INFO  minor  INFO
    a required response property was added
response-optional-property-added       INFO  minor  INFO
    an optional response property was added
response-required-property-removed     ERR   major  ERR
    a required response property was removed
response-optional-property-removed     ERR   major  WARN
    an optional response property was removed: the generated model loses the attribute
response-property-became-optional      ERR   major  ERR
    a response property became optional
response-property-became-required      INFO  patch  INFO
    a response property became required
response-property-type-changed         ERR   major  ERR
    a response property's type or format changed (or widened)
response-property-type-narrowed        INFO  patch  -
    a response property has fewer possible types than before
response-property-became-nullable      ERR   major  ERR
    a response property may be null
response-property-became-not-nullable  INFO  patch  INFO
    a response property is no longer null
response-property-enum-value-added     WARN  minor  WARN
    a response property may hold a new value that clients may not handle
response-property-enum-value-removed   ERR   major  INFO
    a response property lost a value: the generated enum loses a member
response-property-one-of-added         ERR   major  ERR
    a response property has a new oneOf branch
response-property-one-of-removed       INFO  patch  INFO
    a oneOf branch of a response property was removed
response-property-any-of-added         ERR   major  ERR
    a response property has a new anyOf branch
response-property-any-of-removed       INFO  patch  INFO
    an anyOf branch of a response property was removed

# components, provenance
api-schema-added                       INFO  minor  -
    a component schema (a generated model class) was added
api-schema-removed                     ERR   major  INFO
    a component schema was removed: its generated model class disappears
provenance-became-documented           INFO  patch  -
    an inferred fact (x-provenance) is now documented
provenance-became-inferred             INFO  patch  -
    a documented fact (x-provenance) is now only inferred
"""


def _read(table: str) -> dict[str, Check]:
    checks: dict[str, Check] = {}
    lines = [line for line in table.splitlines() if line.strip() and not line.startswith("#")]
    for row, description in zip(lines[::2], lines[1::2], strict=True):
        check_id, level, bump, oasdiff = row.split()
        checks[check_id] = Check(
            check_id, level, bump, description.strip(), "" if oasdiff == "-" else oasdiff
        )
    return checks


CHECKS: dict[str, Check] = _read(_TABLE)
