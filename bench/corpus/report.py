"""The corpus run as one table: outcomes per generator, then the reasons behind each kind of
failure, grouped so that one class of problem is one row however many documents hit it."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from . import empty_bodies, roundtrip

Record = dict[str, Any]


def normalise(text: str) -> str:
    """A diagnostic without what is particular to one document, so that one class of problem
    groups together: the file and pointer before `error`, quoted names, paths and pointers,
    `{params}`, numbers."""
    _file, sep, tail = text.partition(": error")
    if sep:
        text = tail.removeprefix(":").strip()
        if text.startswith("at "):  # ` at /json/pointer: message`
            text = text.partition(": ")[2]
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r'"[^"]*"', '"…"', text)
    text = re.sub(r"`[^`]*`", "`…`", text)
    text = re.sub(r"(?<![\w.])#?/[^\s,;'\"]*", "<path>", text)
    text = re.sub(r"[\w./-]+\.py\b", "<file>.py", text)
    text = re.sub(r"\{[^}]*\}", "{…}", text)
    text = re.sub(r"\b0x[0-9a-f]+\b", "0x…", text)
    text = re.sub(r"\b(endpoint) \w+", r"\1 …", text)
    text = re.sub(r"\b\d+(?:\.\d+)?\b", "N", text)
    return " ".join(text.split())[:160]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _times(records: Iterable[Record]) -> str:
    seconds = sorted(float(r["seconds"]) for r in records)
    if not seconds:
        return "-"
    p90 = seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))]
    return f"{statistics.median(seconds):.1f} / {p90:.1f} / {seconds[-1]:.1f} s"


def _groups(
    results: list[Record], reasons: Callable[[Record], list[str]]
) -> list[tuple[int, str, str]]:
    """(documents, reason, an example document), most documents first; a document counts once
    per reason."""
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for record in results:
        for reason in dict.fromkeys(normalise(r) for r in reasons(record)):
            counts[reason] += 1
            example.setdefault(reason, record["document"])
    return [(n, reason, example[reason]) for reason, n in counts.most_common()]


def _section(title: str, rows: list[tuple[int, str, str]], lines: list[str], top: int) -> None:
    if not rows:
        return
    lines += ["", title]
    for count, reason, document in rows[:top]:
        lines.append(f"  {count:4d}  {reason}")
        lines.append(f"        e.g. {document}")
    if len(rows) > top:
        lines.append(f"        ... and {len(rows) - top} more (see the JSON)")


def _row(label: str, ours: str, peer: str) -> str:
    return f"{label:<40}{ours:<28}{peer}"


def table(meta: Record, results: list[Record], top: int = 12) -> str:
    """The printed report."""
    total = len(results)
    ours = [r["ours"] for r in results]
    peer = [r["peer"] for r in results if "peer" in r]
    made = [o for o in ours if o["outcome"] == "generated"]
    peer_made = [p for p in peer if p["outcome"] == "generated"]

    def count(records: list[Record], outcome: str) -> str:
        n = sum(1 for r in records if r["outcome"] == outcome)
        return f"{n:4d} {_percent(n, len(records))}" if records else "-"

    def clean(records: list[Record]) -> str:
        checked = [r for r in records if "mypy_errors" in r]
        n = sum(1 for r in checked if r["mypy_errors"] == 0)
        return f"{n:4d} / {len(checked)} {_percent(n, len(checked))}"

    operations = sum(r["operations"] for r in results if r["ours"]["outcome"] == "generated")
    peer_ops = sum(
        r["operations"] for r in results if r.get("peer", {}).get("outcome") == "generated"
    )
    dropped = sum(p["operations_dropped"] for p in peer_made)
    imported = sum(1 for o in made if o.get("imports"))
    whole = sum(1 for p in peer_made if not p["operations_dropped"])
    documents, collections = roundtrip.cell(results)
    all_good = sum(1 for o in made if o.get("imports") and o.get("mypy_errors") == 0)
    peer_label = f"openapi-python-client {meta['peer_version']}"
    lines = [
        f"{meta['package']}, even half ({meta['documents_in_half']:,} documents): sample of "
        f"{total} (seed {meta['seed']}), {meta['jobs']} jobs, {meta['timeout']:g} s a document",
        "",
        _row("", "cofactr-codegen", peer_label if peer else f"{peer_label}: {meta['peer_note']}"),
        _row("generated (exit 0)", count(ours, "generated"), count(peer, "generated")),
        _row("refused (exit 2, an ERROR)", count(ours, "refused"), "-"),
        _row("failed (peer: exit != 0)", "-", count(peer, "failed")),
        _row("crashed (other exit, timeout)", count(ours, "crashed"), count(peer, "crashed")),
        _row(
            "both packages import (of generated)",
            f"{imported:4d} / {len(made)} {_percent(imported, len(made))}",
            "not checked",
        ),
        _row("mypy --strict clean (of generated)", clean(made), clean(peer_made)),
        _row(
            "generated, no operation dropped",
            f"{len(made):4d} {_percent(len(made), total)}",
            f"{whole:4d} {_percent(whole, len(peer))}",
        ),
        _row(
            "generated, imports and mypy-clean",
            f"{all_good:4d} {_percent(all_good, total)}",
            "-",
        ),
        _row(
            "operations (of generated documents)",
            f"{operations:,}",
            f"{peer_ops:,}, {dropped:,} dropped in "
            f"{sum(1 for p in peer_made if p['operations_dropped'])} documents",
        ),
        _row(
            "warnings printed",
            f"{sum(o['warnings'] for o in ours):,} in {sum(1 for o in ours if o['warnings'])} "
            "documents",
            "-",
        ),
        _row(
            "schemas dropped",
            "-",
            f"{sum(p['schemas_dropped'] for p in peer_made):,} in "
            f"{sum(1 for p in peer_made if p['schemas_dropped'])} documents",
        ),
        _row("generate time median / p90 / max", _times(ours), _times(peer)),
        _row("round trip, client vs its stub (*)", documents, "-"),
        f"  (*) of documents with a collection that has a create and a get or list, or whose "
        f"round trip failed before counting them; collections: {collections}",
        empty_bodies.count_line(results),
    ]

    for title, reasons in _SECTIONS:
        if title.startswith("openapi-python-client") and not peer:
            continue
        _section(title, _groups(results, reasons), lines, top)
    return "\n".join(lines)


def _ours(key: str, outcome: str | None = None) -> Callable[[Record], list[str]]:
    """The reasons under `key` of our record (a list, or one line), for documents of `outcome`."""

    def reasons(record: Record) -> list[str]:
        ours = record["ours"]
        if outcome is not None and ours["outcome"] != outcome:
            return []
        value = ours.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    return reasons


def _peer(key: str) -> Callable[[Record], list[str]]:
    def reasons(record: Record) -> list[str]:
        value = record.get("peer", {}).get(key, [])
        return [value] if isinstance(value, str) else list(value)

    return reasons


def _mypy(reasons: Callable[[Record], list[str]]) -> Callable[[Record], list[str]]:
    """mypy's error lines without the file and line."""
    return lambda record: [re.sub(r"^.*?: error: ", "", line) for line in reasons(record)]


def _dropped(record: Record) -> list[str]:
    """Why the peer dropped each endpoint (`METHOD /path ... -> reason`)."""
    return [line.partition(" -> ")[2] for line in _peer("dropped")(record)]


# (title, what to group) for each list under the table
def _refusals(record: Record) -> list[str]:
    """Each ERROR of a refused document, without the count of those not shown (the generator
    shows the first problems of a kind and says how many more there are)."""
    errors = _ours("errors", "refused")(record)
    return [e for e in errors if not re.search(r"error: \d+ more problem", e)]


_SECTIONS: list[tuple[str, Callable[[Record], list[str]]]] = [
    ("cofactr-codegen refused: first ERROR (documents)", lambda r: _refusals(r)[:1]),
    ("cofactr-codegen refused: every ERROR (documents having it)", _refusals),
    ("cofactr-codegen crashed (documents)", _ours("detail", "crashed")),
    ("cofactr-codegen: import failures (documents)", _ours("import_error")),
    ("cofactr-codegen: mypy --strict errors (documents having them)", _mypy(_ours("mypy"))),
    ("cofactr-codegen: round-trip failures (documents having them)", roundtrip.reasons),
    ("openapi-python-client failed or crashed (documents)", _peer("detail")),
    ("openapi-python-client: why endpoints were dropped (documents)", _dropped),
    ("openapi-python-client: mypy --strict errors (documents having them)", _mypy(_peer("mypy"))),
]
