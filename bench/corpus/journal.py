"""Each document's record written as it finishes, one JSON line each, flushed: a run that is
killed keeps every document it finished, and its table can still be printed
(`--table-from corpus.jsonl`). The first line is the run's meta; a document written again
(its mypy results added) replaces its earlier line when read."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any


class Journal:
    def __init__(self, path: Path, meta: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._file = path.open("w", encoding="utf-8")
        self._line({"meta": meta})

    def write(self, record: dict[str, Any]) -> None:
        self._line({"record": record})

    def close(self) -> None:
        self._file.close()

    def _line(self, value: dict[str, Any]) -> None:
        text = json.dumps(value, sort_keys=True) + "\n"
        with self._lock:
            self._file.write(text)
            self._file.flush()


def read(path: Path) -> dict[str, Any]:
    """A journal (or an earlier run's whole JSON) as `{**meta, "results": [...]}`, sorted by
    document. A last line cut short by a kill is skipped."""
    text = path.read_text(encoding="utf-8")
    if not path.name.endswith(".jsonl"):
        whole: dict[str, Any] = json.loads(text)
        return whole
    meta: dict[str, Any] = {}
    records: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "meta" in value:
            meta = value["meta"]
        elif "record" in value:
            records[value["record"]["document"]] = value["record"]
    return {**meta, "results": [records[d] for d in sorted(records)]}
