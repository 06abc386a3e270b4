"""The API change report: what changed between two versions of a spec, for a client user.

    python -m generator diff OLD_SPEC NEW_SPEC [--format markdown|json] [--fail-on-breaking]
    python -m generator diff --base GIT_REV [SPEC]        # SPEC at GIT_REV against the working copy

- `checks`: the one table of check ids, with their level (ERR = breaking, WARN = may break,
  INFO = safe) and the semantic-version bump each calls for;
- `operations`: a document's operations, with the client names the IR's naming gives them;
- `schema`: what a schema says, `$ref`s followed and `allOf` merged;
- `differ` and `schema_differ`: the comparison, part by part, always with the direction of
  the data in mind;
- `report`: the findings and their Markdown and JSON renderings;
- `command`: the `diff` command line.

docs/diff.md lists the checks and compares the verdicts with openapi-diff.
"""

from .checks import BUMPS, CHECKS, ERR, INFO, LEVEL_NAMES, WARN, Check
from .command import add_parser, load_checked, run
from .differ import compare
from .report import Change, Report, render, render_json, render_markdown

__all__ = [
    "BUMPS",
    "CHECKS",
    "ERR",
    "INFO",
    "LEVEL_NAMES",
    "WARN",
    "Change",
    "Check",
    "Report",
    "add_parser",
    "compare",
    "load_checked",
    "render",
    "render_json",
    "render_markdown",
    "run",
]
