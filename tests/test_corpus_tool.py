"""The pure parts of `make corpus` (bench/corpus): which documents it may use, how it checks
the package, how it groups reasons and reads the peer's warnings. The benchmark itself runs
with `make corpus`, not here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import journal, peer, report, roundtrip, source


def test_the_half_is_decided_by_the_hash_of_the_path() -> None:
    # sha256("api/adafruit.com.json") starts with 6; of "api/example.com.json", with 7
    assert source.in_even_half("api/adafruit.com.json")
    assert not source.in_even_half("api/example.com.json")


def test_a_tarball_that_is_not_the_published_one_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / source.TARBALL
    fake.write_bytes(b"not the package")
    with pytest.raises(source.CorpusError, match="digest mismatch"):
        source.verify(fake)


def test_the_sample_is_fixed_by_its_seed() -> None:
    paths = [f"api/p{i}.json" for i in range(100)]
    first = source.sample(paths, 10, seed=17)
    assert first == source.sample(list(reversed(paths)), 10, seed=17)
    assert first != source.sample(paths, 10, seed=18)
    assert len(set(first)) == 10
    assert source.sample(paths[:5], 10, seed=17) == paths[:5]


def test_one_class_of_refusal_groups_together_whatever_the_document() -> None:
    lines = [
        "a.json:1: error at /paths/~1x#y: path '/x#y' contains a query string or fragment; "
        "declare query parameters instead",
        "b.json:1: error at /paths/~1tags~1{arn}#tagKeys: path '/tags/{arn}#tagKeys' contains "
        "a query string or fragment; declare query parameters instead",
    ]
    assert report.normalise(lines[0]) == report.normalise(lines[1])
    assert report.normalise(lines[0]) == (
        "path '…' contains a query string or fragment; declare query parameters instead"
    )
    other = "c.json:1: error at /p/get/parameters/4/schema/default: default value does not match"
    assert report.normalise(other) == "default value does not match"
    assert report.normalise("spec: error: cannot generate: KeyError: 'x1'") == (
        "cannot generate: KeyError: '…'"
    )


def test_the_peers_dropped_endpoints_are_read_with_their_reason() -> None:
    stderr = (
        "Warning(s) encountered while generating. Client was generated, but some pieces may be"
        " missing\n"
        "WARNING parsing POST /a#b within default. Endpoint will not be generated.\n"
        "\n"
        "Could not find reference in parsed models or enums\n"
        "\n"
        "Unable to process schema /components/schemas/X:\n"
    )
    assert peer._dropped(stderr) == [
        "POST /a#b within default. Endpoint will not be generated. -> "
        "Could not find reference in parsed models or enums"
    ]


def test_why_the_peer_failed_is_one_line() -> None:
    ruff = "Error(s) encountered while generating, client was not created\nruff failed\n\n"
    ruff += "error: Failed to parse api/a.py:19:5: Parameter without a default cannot follow\n"
    assert peer._failure(ruff) == (
        "ruff failed on its output: Failed to parse api/a.py:19:5: Parameter without a default "
        "cannot follow"
    )
    traceback = (
        "│ ❱ 214 │   raise ValueError( │\n╰────╯\nValueError: Duplicate key KML in enum\nx.Y\n"
    )
    assert peer._failure(traceback) == "ValueError: Duplicate key KML in enum x.Y"


def test_a_killed_run_keeps_every_finished_document_and_its_table(tmp_path: Path) -> None:
    """The results were kept in memory until the end: a run killed at document 150 of 200
    lost all of them. Each is now a flushed line as it finishes; a later line for the same
    document (its mypy results) replaces the earlier; a line cut short is skipped."""
    path = tmp_path / "corpus.jsonl"
    log = journal.Journal(path, {"n": 3, "seed": 17})
    log.write({"document": "api/b.json", "ours": {"outcome": "generated"}})
    log.write({"document": "api/a.json", "ours": {"outcome": "refused"}})
    log.write({"document": "api/b.json", "ours": {"outcome": "generated", "mypy_errors": 0}})
    # not closed: read while the run is still going (or after it was killed)
    with path.open("a", encoding="utf-8") as cut:
        cut.write('{"record": {"document": "api/c.js')
    earlier = journal.read(path)
    assert earlier["n"] == 3 and earlier["seed"] == 17
    assert [r["document"] for r in earlier["results"]] == ["api/a.json", "api/b.json"]
    assert earlier["results"][1]["ours"]["mypy_errors"] == 0


def test_a_round_trip_that_crashed_counts_as_a_failed_document() -> None:
    """A document whose round trip died before it counted its collections (its client does
    not import, say) is a failure, not left out of the figure."""
    ok = {"outcome": "round-trip", "collections": 2, "collections_ok": 2}
    crashed = {"outcome": "failed", "detail": "exit 1: Unable to evaluate type annotation"}
    results = [
        {"roundtrip": ok},
        {"roundtrip": crashed},
        {"roundtrip": {"outcome": "not applicable", "collections": 0, "collections_ok": 0}},
    ]
    documents, collections = roundtrip.cell(results)
    assert documents.split() == ["1", "/", "2", "50.0%"]
    assert collections.startswith("2 / 2;")
