"""Run the stub runtime as a real server over the fixture spec, as ``python -m`` does.

``python -m tests.runtime_stub.launcher --port 0 --db state.sqlite --api-key KEY`` (from the
repository root). All arguments go to the runtime's ``main``.
"""

from __future__ import annotations

import sys

from .fixture_spec import fixture_spec
from .runtime import RUNTIME

if __name__ == "__main__":
    raise SystemExit(RUNTIME.main(sys.argv[1:], spec=fixture_spec()))
