"""Stage 2: is this a document we can generate from? Every problem comes back with a location.

The checks run in rounds, one module each; each round assumes the ones before it passed, and
the first round that finds problems is what is reported:

1. `version`: the version gate (Swagger 2, a missing or unquoted `openapi`);
2. `references`: dangling, remote, to other files, to the wrong kind of object, cycles of pure
   `$ref`s or of `allOf` (the validator itself recurses forever on those), path item `$ref`s;
3. `structure`: against the OpenAPI JSON Schema; each error is narrowed to its most specific
   JSON pointer and said in one short sentence;
4. `semantics`: operationIds, Python names, path parameters, bodies, tags, routes;
5. `keywords`: openapi-spec-validator's own checks (schema dialects, defaults), located.

Valid OpenAPI that the later stages cannot turn into code (XML-only bodies,
remote and multi-file `$ref`s, path item `$ref`s, schema `$ref`s outside
`#/components/schemas`) is reported in rounds 2 and 4 as "not supported", saying what to do.

At most `MAX_DIAGNOSTICS` problems are listed, sorted by line and pointer.
"""

from __future__ import annotations

from ..errors import Diagnostic, SpecError
from ..load import LoadedSpec
from .common import MAX_DIAGNOSTICS
from .keywords import keyword_errors
from .references import reference_errors
from .semantics import semantic_errors
from .structure import structure_errors
from .version import check_version


def validate(spec: LoadedSpec) -> None:
    """Raise `SpecError` listing every problem the first failing round found; return quietly
    for a usable document."""
    check_version(spec)
    for check in (reference_errors, structure_errors, semantic_errors, keyword_errors):
        _raise_if(spec, list(check(spec)))


def _raise_if(spec: LoadedSpec, diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        return
    unique = sorted(set(diagnostics), key=lambda d: (d.file, d.line or 0, d.pointer, d.message))
    if len(unique) > MAX_DIAGNOSTICS:
        hidden = len(unique) - MAX_DIAGNOSTICS
        unique = unique[:MAX_DIAGNOSTICS]
        unique.append(Diagnostic(f"{hidden} more problem(s) not shown; fix these first", spec.path))
    raise SpecError(unique)
