"""Operations without tags are grouped by the first path segment that names something."""

from __future__ import annotations

from pathlib import Path

import pytest

from .documents import notes
from .harness import running

pytestmark = pytest.mark.slow


def test_untagged_operations_are_grouped_by_their_path(tmp_path: Path) -> None:
    spec = notes()
    for item in spec["paths"].values():
        for operation in item.values():
            del operation["tags"]
    spec["paths"] = {f"/v1{path}": item for path, item in spec["paths"].items()}
    with running(tmp_path, spec, "untagged") as api, api.client() as client:
        assert not hasattr(client, "default")
        created = client.notes.create_note(text="grouped")
        assert [note.text for note in client.notes.list_notes()] == ["grouped"]
        assert client.notes.get_note(created.id).text == "grouped"
