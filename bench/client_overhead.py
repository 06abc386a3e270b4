"""Client overhead: the generated client against a bare httpx.Client doing the same request
(same transport, same JSON, parsed into the same model), per request, as a ratio."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import httpx
from cofactr_platform import CofactrClient
from cofactr_platform.models import PurchaseOrder

body = json.loads(sys.argv[2])
raw = json.dumps(body).encode()
def handler(request):
    return httpx.Response(200, content=raw, headers={"content-type": "application/json"})
transport = httpx.MockTransport(handler)
bare = httpx.Client(transport=transport, base_url="https://flagship-api.cofactr.com",
                    headers={"Authorization": "Api-Key k"})
ours = CofactrClient(api_key="k", http_client=httpx.Client(transport=transport), max_retries=0)
pid = body["id"]

def bare_call():
    r = bare.patch(f"/v1/purchase_orders/{pid}/", json={"notes": "n"})
    r.raise_for_status()
    return PurchaseOrder.model_validate(r.json())

def our_call():
    return ours.purchases.update_purchase_order(pid, notes="n")

def per_call(fn, n):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n

for fn in (bare_call, our_call):
    per_call(fn, 300)
# Rounds alternate between the two, so a slower or faster stretch of the machine lands on
# both sides alike instead of on whichever ran then.
b, o = [], []
for _ in range(21):
    b.append(per_call(bare_call, 300))
    o.append(per_call(our_call, 300))
print(json.dumps({"bare": b, "ours": o}))
"""


def _purchase_order() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests" / "client"))
    import yaml
    from schema_values import minimal  # type: ignore[import-not-found]

    spec = yaml.safe_load((ROOT / "spec" / "cofactr-platform.yaml").read_text())
    value: dict[str, Any] = minimal(spec, {"$ref": "#/components/schemas/PurchaseOrder"})
    value["id"] = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
    return value


def client_overhead(spec: Path, runs: int, work: Path) -> list[dict[str, object]]:
    del spec, runs, work  # measured on the committed generated/ client
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(ROOT / "generated"), json.dumps(_purchase_order())],
        capture_output=True,
        text=True,
        check=True,
    )
    samples = json.loads(result.stdout)
    bare, ours = statistics.median(samples["bare"]), statistics.median(samples["ours"])
    bare_name = "bare httpx.Client + model_validate, per request"
    return [
        {
            "name": bare_name,
            "value": bare,
            "unit": "s",
            "runs": len(samples["bare"]),
            "min": min(samples["bare"]),
            "compare_to": None,
        },
        {
            "name": "generated client, per request (same transport)",
            "value": ours,
            "unit": "s",
            "runs": len(samples["ours"]),
            "min": min(samples["ours"]),
            "compare_to": bare_name,
        },
    ]
