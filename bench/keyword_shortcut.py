"""Does validation's keyword shortcut (`generator.validate.fast.keywords_clean`) agree with
openapi-spec-validator's walk, on every document of the corpus's even half that reaches that
round? It must never say clean where the walk finds something; this counts, and times both.

    python -m bench.keyword_shortcut [--jobs N]

A check, run by hand when the shortcut or the pinned validator changes (minutes: the library's
walk is the slow one); tests/test_validate.py holds the cases in small. Documents over
`MAX_BYTES` (Microsoft Graph's two, ten times the range the generator is built for) are left
out, saying so.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 15_000_000


def verdicts(path: str) -> tuple[str, str, float, float]:
    """(document, outcome, shortcut CPU s, library CPU s); the outcome is `earlier` (an
    earlier round refuses it), or the shortcut's verdict and the library's, as `sure/clean`,
    `unsure/found`, `unsure/clean` or `sure/found` (the one that must never happen)."""
    import warnings

    warnings.simplefilter("ignore")  # Python's notes on odd regexes: noise in a table
    from generator.errors import SpecError
    from generator.load import parse_spec
    from generator.validate import fast, keywords
    from generator.validate.deviations import deviations, repaired
    from generator.validate.references import reference_errors
    from generator.validate.semantics import semantic_errors
    from generator.validate.structure import structure_errors
    from generator.validate.version import check_version

    try:
        spec = parse_spec(Path(path).read_bytes(), path)
        check_version(spec)
        spec = repaired(spec, [repair for _warning, repair in deviations(spec)])
        for check in (reference_errors, structure_errors, semantic_errors):
            if any(d.level == "error" for d in check(spec)):
                return path, "earlier", 0.0, 0.0
    except SpecError:
        return path, "earlier", 0.0, 0.0
    start = time.process_time()
    document = keywords._without_path_extensions(spec.data)
    sure = fast.keywords_clean(document, keywords._located_validator(spec))
    shortcut = time.process_time() - start
    taken = fast.keywords_clean
    fast.keywords_clean = lambda *args: False  # type: ignore[assignment]
    start = time.process_time()
    try:
        problems, dropped = keywords.keyword_errors(spec)
    finally:
        fast.keywords_clean = taken
    library = time.process_time() - start
    found = "found" if problems or dropped else "clean"
    return path, f"{'sure' if sure else 'unsure'}/{found}", shortcut, library


def main() -> int:
    from .corpus import source

    parser = argparse.ArgumentParser(prog="python -m bench.keyword_shortcut", description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    cache = Path(os.environ.get("CORPUS_CACHE", ROOT / ".corpus-cache")).resolve()
    root = source.even_half(source.fetch(cache), cache)
    every = [root / name for name in source.documents(root)]
    paths = [str(path) for path in every if path.stat().st_size <= MAX_BYTES]
    print(f"{len(every) - len(paths)} documents over {MAX_BYTES:,} bytes left out")
    outcomes: dict[str, int] = {}
    wrong: list[str] = []
    times = [0.0, 0.0]
    with multiprocessing.Pool(args.jobs, maxtasksperchild=20) as pool:
        for path, outcome, shortcut, library in pool.imap_unordered(verdicts, paths):
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            times[0] += shortcut
            times[1] += library
            if outcome == "sure/found":
                wrong.append(path)
    for outcome in sorted(outcomes):
        print(f"{outcome:14} {outcomes[outcome]:5}")
    print(f"CPU s in round 5: shortcut {times[0]:.1f}, library's walk {times[1]:.1f}")
    for path in wrong:
        print(f"WRONG: the shortcut said clean where the library found something: {path}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
