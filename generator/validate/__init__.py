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

import contextlib
import gc
import os
from typing import Any

from ..errors import Diagnostic, SpecError
from ..forked import ignore_interrupts, interrupts_held, stop_child
from ..load import LoadedSpec
from .common import MAX_DIAGNOSTICS
from .keywords import keyword_errors
from .references import reference_errors
from .semantics import semantic_errors
from .structure import structure_errors
from .version import check_version


def validate(spec: LoadedSpec) -> None:
    """Raise `SpecError` listing every problem found; return quietly for a usable document."""
    validate_structure(spec)
    _raise_if(spec, keyword_errors(spec))


def validate_structure(spec: LoadedSpec) -> None:
    """Rounds 1 to 4: cheap, and all that the later stages rely on (every `$ref` resolves, no
    reference cycles, the document has the shape of OpenAPI, names and parameters are sound).
    """
    check_version(spec)
    for check in (reference_errors, structure_errors, semantic_errors):
        _raise_if(spec, list(check(spec)))


class KeywordRound:
    """Round 5, openapi-spec-validator's own checks, in a forked process.

    It is most of validation's time (0.6 s on the real spec, its import included) and
    nothing later depends on it, so the pipeline starts it first, runs rounds 1 to 4 and
    builds the models meanwhile, and calls `finish()` before writing anything (or `close()`
    when an earlier round failed: its problems are the ones reported). Where fork is
    unavailable, or the child dies, the round runs in this process instead: the answer is
    the same, only later.
    """

    def __init__(self, spec: LoadedSpec) -> None:
        import multiprocessing

        self._spec = spec
        self._process: Any = None
        self._receiver: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_keyword_child, args=(spec, sender), daemon=True)
        with interrupts_held():
            self._process.start()
        sender.close()  # the child holds the only writing end: a dead child means EOF

    def finish(self) -> None:
        """Wait for the round; raise `SpecError` when it found problems."""
        problems: list[Diagnostic] | None = None
        if self._receiver is not None:
            # EOF: the child died without answering, and the round reruns here
            with contextlib.suppress(EOFError):
                problems = self._receiver.recv()
        self.close()
        _raise_if(self._spec, keyword_errors(self._spec) if problems is None else problems)

    def close(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted)."""
        stop_child(self._process, self._receiver)
        self._process = self._receiver = None


def _keyword_child(spec: LoadedSpec, sender: Any) -> None:
    ignore_interrupts()
    # This round has time to spare, the model process beside it does not: yield to it when
    # both want a core (on two cores a cold run is ~5% faster, in A/B runs of 15 alternations).
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(5)
    # What it inherited (the loaded spec, the modules) outlives it: frozen, the collector
    # does not rescan it at every collection the round's allocations set off.
    gc.freeze()
    problems = keyword_errors(spec)
    try:
        sender.send(problems)
        sender.close()
    except OSError:  # the parent is gone (killed): nobody to tell
        pass


def _raise_if(spec: LoadedSpec, diagnostics: list[Diagnostic]) -> None:
    if not diagnostics:
        return
    unique = sorted(set(diagnostics), key=lambda d: (d.file, d.line or 0, d.pointer, d.message))
    if len(unique) > MAX_DIAGNOSTICS:
        hidden = len(unique) - MAX_DIAGNOSTICS
        unique = unique[:MAX_DIAGNOSTICS]
        unique.append(Diagnostic(f"{hidden} more problem(s) not shown; fix these first", spec.path))
    raise SpecError(unique)
