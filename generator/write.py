"""Stage 6: put a rendered tree on disk all at once, or compare it with what is there.

The new tree is written to a hidden staging directory beside the output, fsynced, and then
swapped with the old one in a single `renameat2(RENAME_EXCHANGE)` (Linux), so a reader or a
killed process only ever sees the whole old tree or the whole new one. Where the kernel lacks
the exchange call, two renames are used and a crash between them is repaired on the next run.
An exclusive `flock` on the parent directory keeps two runs from interleaving, without leaving
a lock file behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import itertools
import json
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import GenerationLockedError, OutputDirectoryError
from .ir.naming import OUTPUT_LEFTOVERS

MANIFEST_NAME = ".codegen-manifest.json"
_STAGING_MARK = ".codegen-staging-"
_OLD_MARK = ".codegen-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _no_step(step: str) -> None:
    """Default for `on_step`: nothing to do."""


# Test seam: called with a stage name at each step, so tests can interrupt a write there.
on_step: Callable[[str], None] = _no_step


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(
    files: dict[str, bytes],
    inputs: dict[str, str],
    rendered: dict[str, str],
    settings: dict[str, str],
    command: str,
) -> bytes:
    """The manifest: input hashes, the settings and the command that made the output, each
    file's hash, and each formatted file's pre-format hash."""
    body = {
        "generator": "cofactr-codegen",
        "inputs": inputs,
        "settings": settings,
        "regenerate": command,
        "files": {path: sha256(files[path]) for path in sorted(files)},
        "rendered": {path: rendered[path] for path in sorted(rendered)},
    }
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


@contextlib.contextmanager
def locked(out_dir: Path, *, wait_seconds: float) -> Iterator[None]:
    """Hold an exclusive lock for `out_dir` (on its parent directory) while writing."""
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GenerationLockedError(
                        f"another cofactr-codegen run is writing next to {out_dir}; "
                        f"waited {wait_seconds:.0f}s for it to finish"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _leftovers(out_dir: Path) -> list[Path]:
    prefix = f".{out_dir.name}"
    return sorted(
        p
        for p in out_dir.parent.glob(f"{prefix}.codegen-*")
        if p.name.startswith((prefix + _STAGING_MARK, prefix + _OLD_MARK))
    )


def _recover(out_dir: Path) -> None:
    """Finish or undo what a killed run left: restore a lost tree, remove staging copies."""
    leftovers = _leftovers(out_dir)
    if not out_dir.exists():
        olds = [p for p in leftovers if _OLD_MARK in p.name]
        if olds:
            olds[-1].rename(out_dir)
            leftovers.remove(olds[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the kernel or libc cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Changes:
    """What a write did to the files of an output directory (its manifest aside)."""

    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    total: int  # files written

    @classmethod
    def between(cls, before: Mapping[str, bytes], after: Mapping[str, bytes]) -> Changes:
        old = {path for path in before if path != MANIFEST_NAME}
        new = {path for path in after if path != MANIFEST_NAME}
        return cls(
            changed=tuple(sorted(p for p in old & new if before[p] != after[p])),
            added=tuple(sorted(new - old)),
            removed=tuple(sorted(old - new)),
            total=len(new),
        )


def write_tree(
    out_dir: Path,
    files: dict[str, bytes],
    *,
    previous: Mapping[str, bytes] | None = None,
    wait_seconds: float = 30.0,
) -> Changes:
    """Replace `out_dir` with exactly `files`, atomically, and say what changed. `previous`
    is what the directory holds, if the caller has read it already.

    What tools leave inside the output (`build/`, `dist/`, `*.egg-info`, caches; see
    `_ignored`) is not the generator's: it is moved into the new tree where its directory is
    still there, and dropped with the directories that are not. An operating-system error (no
    permission, no space, a read-only file system) becomes `OutputDirectoryError`; before the
    swap (where nearly all of them happen) the old tree is left as it was."""
    out_dir = out_dir.absolute()
    try:
        return _write_tree(out_dir, files, previous, wait_seconds)
    except OSError as exc:
        raise OutputDirectoryError(f"cannot write {out_dir}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def _write_tree(
    out_dir: Path,
    files: dict[str, bytes],
    previous: Mapping[str, bytes] | None,
    wait_seconds: float,
) -> Changes:
    with locked(out_dir, wait_seconds=wait_seconds):
        _recover(out_dir)
        check_replaceable(out_dir, files)  # so what is read now is ours, or nothing
        changes = Changes.between(previous if previous is not None else read_tree(out_dir), files)
        token = f"{os.getpid()}-{time.monotonic_ns()}"
        staging = out_dir.parent / f".{out_dir.name}{_STAGING_MARK}{token}"
        staging.mkdir()
        try:
            for relative in sorted(files):
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(files[relative])
                    handle.flush()
                    os.fsync(handle.fileno())
                on_step("file-written")
            on_step("staged")
            _keep_leftovers(out_dir, staging)
            if out_dir.exists():
                if not _exchange(staging, out_dir):
                    old = out_dir.parent / f".{out_dir.name}{_OLD_MARK}{token}"
                    out_dir.rename(old)
                    on_step("between-renames")
                    staging.rename(out_dir)
                    staging = old
            else:
                staging.rename(out_dir)
                staging = Path()
            _fsync_dir(out_dir.parent)
            on_step("swapped")
        finally:
            if staging != Path() and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return changes


def _keep_leftovers(out_dir: Path, staging: Path) -> None:
    """Move what tools left in `out_dir` into the staged tree, each where its directory is
    still there. A run killed after this and before the swap loses them: caches and build
    output, made again by the tool that made them."""
    if not out_dir.is_dir():
        return
    for directory, names, file_names in os.walk(out_dir):
        relative = Path(directory).relative_to(out_dir)
        kept = [n for n in names if _ignored(relative / n, is_dir=True)]
        kept += [n for n in file_names if _ignored(relative / n)]
        for name in kept:
            target = staging / relative / name
            if target.parent.is_dir() and not os.path.lexists(target):
                os.rename(Path(directory) / name, target)
        names[:] = [name for name in names if name not in kept]


def check_replaceable(out_dir: Path, files: Collection[str]) -> None:
    """Raise `OutputDirectoryError` unless replacing `out_dir` with `files` loses nothing of
    anybody else's: it must not exist, or be a directory with our manifest (ours: files in it
    that we no longer write are ours to remove, and `check` names them first), or hold only
    files this run writes (ours, its manifest deleted). A file, or a directory of someone
    else's files (`--out .` or `--out src` by mistake), is refused."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputDirectoryError(f"{out_dir} exists and is not a directory; nothing written")
    if has_manifest(out_dir):
        return
    # Six at most: enough to show, and `--out ~` by mistake is not walked to the end.
    foreign = sorted(itertools.islice((p for p in _files_under(out_dir) if p not in files), 6))
    if foreign:
        shown = ", ".join(foreign[:5]) + (" and more" if len(foreign) > 5 else "")
        raise OutputDirectoryError(
            f"{out_dir} has no {MANIFEST_NAME}, so cofactr-codegen did not make it, and it holds "
            f"files this run would not write ({shown}); nothing written: choose an empty or new "
            "directory, or move those files away"
        )


def read_tree(out_dir: Path) -> dict[str, bytes]:
    """Every file under `out_dir` (caches excluded), keyed by relative POSIX path."""
    try:
        return {relative: (out_dir / relative).read_bytes() for relative in _files_under(out_dir)}
    except OSError as exc:
        raise OutputDirectoryError(f"cannot read {out_dir}: {_reason(exc)}") from None


class FilesOnDisk(Mapping[str, bytes]):
    """The files under a directory (caches excluded), each read only when asked for.

    `check` compares a directory without our manifest this way: only the files the spec
    produces are read, and the rest are only named as stray, so `check --out ~` by mistake
    does not read a home directory into memory.
    """

    def __init__(self, out_dir: Path) -> None:
        self._dir = out_dir
        try:
            self._paths = frozenset(_files_under(out_dir))
        except OSError as exc:
            raise OutputDirectoryError(f"cannot read {out_dir}: {_reason(exc)}") from None

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        try:
            return (self._dir / relative).read_bytes()
        except OSError as exc:
            raise OutputDirectoryError(f"cannot read {self._dir}: {_reason(exc)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


def has_manifest(out_dir: Path) -> bool:
    """Whether `out_dir` is a tree cofactr-codegen made (and so one a run may reuse)."""
    return (out_dir / MANIFEST_NAME).is_file()


def _files_under(out_dir: Path) -> Iterator[str]:
    """The relative POSIX paths of the files under `out_dir`, caches excluded, lazily."""
    if not out_dir.is_dir():
        return
    for path in out_dir.rglob("*"):
        relative = path.relative_to(out_dir)
        if path.is_file() and not _ignored(relative):
            yield relative.as_posix()


_TOOL_CACHES = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")


def _ignored(relative: Path, *, is_dir: bool = False) -> bool:
    """What tools leave inside an output directory, which is neither drift nor read: caches
    anywhere (`__pycache__`, `*.pyc`, `.mypy_cache`, ...), `*.egg-info`, and at the top the
    `build/` and `dist/` directories of `pip install ./generated` or a wheel build."""
    parts = relative.parts
    return (parts[0] in OUTPUT_LEFTOVERS and (len(parts) > 1 or is_dir)) or any(
        part in _TOOL_CACHES or part.endswith((".pyc", ".egg-info")) for part in parts
    )
