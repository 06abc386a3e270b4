"""How generation time grows with the size of the spec: `python -m tests.scaling [N ...]`.

Synthesises specs of N operations by replicating one resource (5 operations: list, create,
get, update, delete; 3 schemas) N/5 times, spread over N/50 tags, and times the whole
in-memory build (load, validate, normalise, models, render, format) of each. Prints one line
per size and the time per operation, which should stay about flat (linear growth).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from generator.load import load_spec
from generator.pipeline import build_tree


def resource(index: int, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The paths and schemas of resource number `index`."""
    name = f"Widget{index}"
    ref = {"$ref": f"#/components/schemas/{name}"}
    item_param = {
        "name": "widget_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Create{name}"}}},
    }
    ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
    paths = {
        f"/v1/widgets{index}/": {
            "get": {
                "operationId": f"list_widgets_{index}",
                "tags": [tag],
                "summary": "List widgets.",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/Paginated{name}List"}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": f"create_widget_{index}",
                "tags": [tag],
                "requestBody": body,
                "responses": {"201": ok},
            },
        },
        f"/v1/widgets{index}/{{widget_id}}/": {
            "parameters": [item_param],
            "get": {"operationId": f"get_widget_{index}", "tags": [tag], "responses": {"200": ok}},
            "patch": {
                "operationId": f"update_widget_{index}",
                "tags": [tag],
                "requestBody": body,
                "responses": {"200": ok},
            },
            "delete": {
                "operationId": f"delete_widget_{index}",
                "tags": [tag],
                "responses": {"204": {"description": "gone"}},
            },
        },
    }
    fields = {
        "name": {"type": "string", "maxLength": 255},
        "size": {"type": "integer", "minimum": 0},
        "colour": {"type": "string", "enum": ["red", "green", "blue"]},
        "notes": {"type": ["string", "null"]},
    }
    schemas = {
        name: {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": True},
                "created_at": {"type": "string", "format": "date-time", "readOnly": True},
                **fields,
            },
        },
        f"Create{name}": {"type": "object", "required": ["name"], "properties": fields},
        f"Paginated{name}List": {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": ["string", "null"]},
                "previous": {"type": ["string", "null"]},
                "results": {"type": "array", "items": ref},
            },
        },
    }
    return paths, schemas


def synthesise(operations: int) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for index in range(operations // 5):
        more_paths, more_schemas = resource(index, f"Group {index // 10}")
        paths.update(more_paths)
        schemas.update(more_schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Scaling", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _cpu_seconds() -> float:
    """CPU time of this process and of the processes it waited for (the format stage's ruff): wall
    time on a busy machine says little about growth."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            spec = Path(tmp) / f"spec-{size}.yaml"
            spec.write_text(yaml.safe_dump(synthesise(size), sort_keys=False))
            started, cpu_before = time.perf_counter(), _cpu_seconds()
            files = build_tree(load_spec(spec, display_path=spec.name), "scaling")
            seconds = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_before
            print(
                f"{size:6d} operations  {seconds:7.2f} s  {1000 * seconds / size:6.1f} ms/op  "
                f"CPU {cpu:7.2f} s  {1000 * cpu / size:6.1f} ms/op  "
                f"{len(files)} files  {spec.stat().st_size // 1024} KiB spec",
                flush=True,
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 500, 2000])
