"""Make the client runtime importable the way a generated package holds it.

``templates/client/_runtime`` is loaded as ``acme_client._runtime``: a parent package whose
``__path__`` is ``templates/client``. That mirrors ``<pkg>/_runtime`` in a generated
client (relative imports, ``"<pkg>.schema"`` logger name) under a name that is not the real
package's, which proves the runtime does not depend on it. Loading it as a top-level
``_runtime`` would also clash with the stub runtime's package of the same name.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "client"
PACKAGE = "acme_client"

if PACKAGE not in sys.modules:
    _parent = types.ModuleType(PACKAGE)
    _parent.__path__ = [str(TEMPLATES)]
    _parent.__package__ = PACKAGE
    sys.modules[PACKAGE] = _parent
# No __pycache__ inside templates/: that folder is copied into generated packages.
_previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True
try:
    importlib.import_module(PACKAGE + "._runtime")
finally:
    sys.dont_write_bytecode = _previous
