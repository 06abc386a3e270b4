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
remote and multi-file `$ref`s, path item `$ref`s) is reported in rounds 2 and 4 as "not
supported", saying what to do. (A schema `$ref` to a schema outside `#/components/schemas` is
followed: normalise moves the schema there.)

At most `MAX_DIAGNOSTICS` errors are listed, sorted by line and pointer.

Known deviations are WARNINGS, not errors (see `errors`): `deviations` finds and repairs
those the later rounds would refuse (`schema: null`, `type: 'null'` in 3.0, patterns the
models cannot compile, format defaults), `semantics` and `keywords` say which of their findings
are warnings (a `#fragment` in a path key, one route under two names, a response without a
schema, an unsupported media type, a default that does not match its schema, which is
dropped). Every warning is reported, each once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Diagnostic, SpecError, sorted_diagnostics
from ..load import LoadedSpec
from .common import MAX_DIAGNOSTICS
from .deviations import deviations, repaired
from .keywords import keyword_errors
from .references import reference_errors
from .semantics import semantic_errors
from .structure import structure_errors
from .version import check_version


@dataclass(frozen=True)
class Validated:
    """A usable document, as the later stages are to read it (`spec`, its deviations
    repaired), and the warnings that say how it was read."""

    spec: LoadedSpec
    warnings: tuple[Diagnostic, ...]


def validate(spec: LoadedSpec) -> Validated:
    """Raise `SpecError` listing every error the first failing round found; return the
    document as read, with every warning, for a usable one."""
    check_version(spec)
    found = list(deviations(spec))
    warnings = [warning for warning, _repair in found]
    spec = repaired(spec, [repair for _warning, repair in found])
    for check in (reference_errors, structure_errors, semantic_errors):
        problems = list(check(spec))
        warnings += [d for d in problems if d.level == "warning"]
        _raise_if(spec, [d for d in problems if d.level == "error"])
    problems, dropped = keyword_errors(spec)
    _raise_if(spec, problems)
    spec = repaired(spec, [(where.rsplit("/", 1)[0], _drop_default) for where in dropped])
    warnings += [
        spec.warning(f"the default does not match its schema ({why}); it is dropped", where)
        for where, why in dropped.items()
    ]
    return Validated(spec, tuple(sorted_diagnostics(warnings)))


def _drop_default(node: dict[str, object]) -> None:
    node.pop("default", None)


def _raise_if(spec: LoadedSpec, diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        return
    unique = sorted_diagnostics(diagnostics)
    if len(unique) > MAX_DIAGNOSTICS:
        hidden = len(unique) - MAX_DIAGNOSTICS
        unique = unique[:MAX_DIAGNOSTICS]
        unique.append(Diagnostic(f"{hidden} more problem(s) not shown; fix these first", spec.path))
    raise SpecError(unique)
