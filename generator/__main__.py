"""`python -m generator ...`, and the `cofactr-codegen` console script (`main`).

The CLI's imports (yaml, jinja2, black, ...) take a noticeable fraction of a second; a Ctrl-C
while they load ends the command with the same one line as a Ctrl-C later on, not a traceback.
"""

import sys
from typing import NoReturn


def main() -> NoReturn:
    try:
        from .cli import run
    except KeyboardInterrupt:
        print("cofactr-codegen: interrupted; nothing written", file=sys.stderr)
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
