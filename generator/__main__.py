"""`python -m generator ...`, and the `cofactr-codegen` console script (`main`).

The first thing it does is take over Ctrl-C (`interrupts`): the CLI's imports (yaml, jinja2,
datamodel-code-generator, ...) take a noticeable fraction of a second, and a Ctrl-C while they
load ends the command with the same one line as a Ctrl-C later on, not a traceback.
"""

import os
import sys

from . import interrupts


def main() -> None:  # never returns: `run` ends the process (NoReturn would import typing)
    interrupts.install()
    try:
        from .cli import run
    except BaseException:
        if not interrupts.received():
            raise
        print("cofactr-codegen: interrupted; nothing written", file=sys.stderr, flush=True)
        # Not SystemExit: under `python -m`, Python exits by SIGINT instead of with our code if
        # the KeyboardInterrupt went through an `exec` of a string (dataclasses, namedtuple),
        # even though it was caught.
        os._exit(130)
    run()


if __name__ == "__main__":
    main()
