"""The generator's own files: the templates and runtime modules it renders and copies, and the
hashes of them and of its code that the manifest records.

The templates live in `templates/` at the top of the repository and ship inside the installed
package as `generator._templates` (pyproject.toml maps the one onto the other). They are read
only through `importlib.resources`, never through a path relative to this file, so a wheel, an
sdist and an editable install behave alike, and the hashes come out the same from each. A file
of them that cannot be found is a broken installation (`InstallationError`), never a problem
of the user's spec.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable

from .errors import InstallationError

GENERATOR_PACKAGE = __name__.rpartition(".")[0]
TEMPLATES_PACKAGE = f"{GENERATOR_PACKAGE}._templates"
_TEMPLATES_DIR_NAME = TEMPLATES_PACKAGE.rpartition(".")[2]


def templates() -> Traversable:
    """The root of the templates (an installed package's data, or the checkout's templates/
    through the editable install's mapping)."""
    try:
        return resources.files(TEMPLATES_PACKAGE)
    except ModuleNotFoundError:
        raise InstallationError(f"its templates package {TEMPLATES_PACKAGE} is missing") from None


def template(relative: str) -> Traversable:
    """One file under the templates, by its POSIX path; `InstallationError` if it is not there."""
    root = templates()
    found = root.joinpath(*relative.split("/"))
    if not found.is_file():
        raise missing(relative)
    return found


def missing(relative: str) -> InstallationError:
    """The error for a file of the templates that is not there."""
    return InstallationError(f"{relative} is missing from its templates ({templates()})")


def files_under(root: Traversable) -> list[tuple[str, Traversable]]:
    """Every file under `root` with its relative POSIX path, sorted by it; the bytecode caches
    an installer or an import leaves (`__pycache__`, `*.pyc`) are not the package's files."""
    found: list[tuple[str, Traversable]] = []

    def walk(directory: Traversable, prefix: str) -> None:
        for entry in directory.iterdir():
            if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append((f"{prefix}{entry.name}", entry))

    walk(root, "")
    return sorted(found, key=lambda item: item[0])


def templates_sha256() -> str:
    """One hash of every file of the templates, names included."""
    return _tree_sha256(files_under(templates()))


def generator_sha256() -> str:
    """One hash of the generator's Python modules. An installed package holds the templates
    under it (`_templates/`); they are hashed apart (`templates_sha256`), as in the checkout,
    where they are not under generator/."""
    return _tree_sha256(
        (relative, entry)
        for relative, entry in files_under(resources.files(GENERATOR_PACKAGE))
        if relative.endswith(".py") and relative.split("/")[0] != _TEMPLATES_DIR_NAME
    )


def _tree_sha256(entries: Iterable[tuple[str, Traversable]]) -> str:
    lines = [
        f"{relative}:{hashlib.sha256(entry.read_bytes()).hexdigest()}"
        for relative, entry in entries
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
