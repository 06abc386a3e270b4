"""The round-trip column of `make corpus`: does a generated client agree with its own stub?

For each collection of a generated document that has a create and a get or a list (as the
stub classifies its operations, `_runtime/spec_index.py`; at most `trip.MAX_COLLECTIONS`, the
shallowest first), a record is created through the
generated client's own method and read back through its get (else its list), against the
document's stub run as a real process. Nested collections get their parents created first,
the same way. A create that answers no identifier is found again in the list by the scalars
it was sent. A document round-trips when every such collection does; documents without one
are not counted. A collection that cannot be read back through the client at all is counted
apart as "not checkable" (in the footnote), neither as a round trip nor as a failure: its
create answers no identifier and it has no list, or neither its get nor its list declares a
body to read a record from, or its reads answer a media type the client returns as raw bytes
(an XML API's), or a parent it is nested under is created with no identifier to name it by,
or neither an identifier nor a value it was sent tells it apart in its list, or it has no get
by an identifier and its list answers no array or map of records, or its create's
body (or a parent's) admits no object, provably (empty_bodies.py: `additionalProperties:
false` yet requiring an undeclared property), counted in a line of its own.
Bodies are built as the client method takes them (its `body` annotation): bytes for a media
type sent raw, text, else a mapping.

`run` (the benchmark's side) starts `python -m bench.corpus.roundtrip OUT PACKAGE` in a process
group of its own, which starts the stub and prints one JSON line: what happened.

The creating and reading back itself: trip.py. Which client method calls which operation:
client_methods.py. The plain JSON sent and read: trip_values.py. The fields of a create's body
made to fit the record and the form: sent_values.py. Create bodies that admit no object:
empty_bodies.py.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from . import proc
from .trip import Trip
from .trip_values import NotCheckable

ROOT = Path(__file__).resolve().parents[2]
KEY = "corpus-roundtrip-key-1"


def run(out: Path, package: str, timeout: float) -> dict[str, Any]:
    """Round-trip the generated package in `out` (the benchmark's record for it)."""
    finished = proc.run(
        [sys.executable, "-m", "bench.corpus.roundtrip", str(out), package],
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(out)])},
        cwd=out,
    )
    if finished.timed_out:
        return {"outcome": "failed", "detail": f"timed out after {timeout:g} s"}
    for line in reversed(finished.stdout.splitlines()):
        if line.startswith("{"):
            result: dict[str, Any] = json.loads(line)
            return result
    tail = [line for line in finished.stderr.splitlines() if line.strip()][-1:] or ["-"]
    return {"outcome": "failed", "detail": f"exit {finished.code}: {tail[0]}"}


def cell(results: list[dict[str, Any]]) -> tuple[str, str]:
    """The table's cell, documents that round-trip of those that have such a collection or
    whose round trip failed before it counted them (a client that does not import, a
    timeout: a failure, not a document left out), and the same count over collections."""
    tried = [
        r["roundtrip"]
        for r in results
        if r.get("roundtrip", {}).get("collections")
        or r.get("roundtrip", {}).get("outcome") == "failed"
    ]
    done = sum(1 for r in tried if r["outcome"] == "round-trip")
    collections = sum(r.get("collections", 0) for r in tried)
    ok = sum(r.get("collections_ok", 0) for r in tried)
    unchecked = sum(len(r.get("roundtrip", {}).get("unchecked", {})) for r in results)
    share = f"{100 * done / len(tried):5.1f}%" if tried else "    -"
    return f"{done:4d} / {len(tried)} {share}", (
        f"{ok} / {collections}; {unchecked} more not checkable (no identifier or no body to"
        " read a record back by, reads answering raw bytes, a list answering no array, a get"
        " by an enum, or a parent with no identifier)"
    )


def reasons(record: dict[str, Any]) -> list[str]:
    """Why a document's collections did not round-trip (one reason a collection)."""
    return list(record.get("roundtrip", {}).get("failed", {}).values()) or (
        [record["roundtrip"]["detail"]]
        if record.get("roundtrip", {}).get("outcome") == "failed"
        else []
    )


# -- the child process ------------------------------------------------------------------


class Stub:
    """The document's stub as a process, with the URL it announced."""

    def __init__(self, package: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"{package}_stub", "--port", "0", "--api-key", KEY],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        self.printed: list[str] = []
        for line in self.process.stdout:  # blocks until the announcement, or the end
            self.printed.append(line)
            if "listening on http://" in line:
                self.url = line.split("listening on ", 1)[1].split()[0]
                threading.Thread(target=self._drain, daemon=True).start()
                return
        raise RuntimeError("the stub exited: " + "".join(self.printed[-3:]).strip())

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _line in self.process.stdout:
            pass

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:300]}"


def main(argv: list[str]) -> int:
    out, package = Path(argv[0]), argv[1]
    sys.path.insert(0, str(out))
    module = importlib.import_module(package)
    names = [n for n in module._client.__all__ if not n.startswith("Async")]
    client_class = getattr(module, names[0])
    stub = Stub(package)
    results: dict[str, str] = {}  # the collections checked: "ok" or why not
    unchecked: dict[str, str] = {}
    try:
        with client_class(
            api_key=KEY,
            username="corpus-user",
            password=KEY,
            base_url=stub.url,
            max_retries=0,
        ) as client:
            trip = Trip(package, out / package, client)
            for collection in trip.collections():
                try:
                    trip.round_trip(collection)
                    results[collection] = "ok"
                except NotCheckable as exc:
                    unchecked[collection] = str(exc)
                except Exception as exc:  # the reason is the result
                    results[collection] = _reason(exc)
    finally:
        with contextlib.suppress(Exception):
            stub.stop()
    failed = {c: r for c, r in results.items() if r != "ok"}
    outcome = "not applicable" if not results else ("failed" if failed else "round-trip")
    print(
        json.dumps(
            {
                "outcome": outcome,
                "collections": len(results),
                "collections_ok": len(results) - len(failed),
                "detail": next(iter(failed.values()), ""),
                "failed": failed,
                "unchecked": unchecked,
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
