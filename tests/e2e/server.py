"""Start the generated stub (`python -m cofactr_platform_stub`) as a real uvicorn process."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"

ORG_A = "0a000000-0000-4000-8000-00000000000a"
SUB_A1 = "0a000000-0000-4000-8000-0000000000a1"
ORG_B = "0b000000-0000-4000-8000-00000000000b"
USER_A = "0a000000-0000-4000-8000-0000000000aa"
KEY_A_ID = "0a000000-0000-4000-8000-0000000000ac"
KEY_A = "key-org-a-7c1e"
KEY_B = "key-org-b-91fd"

SEED = {
    "orgs": [
        {
            "id": ORG_A,
            "name": "Acme Electronics",
            "users": [
                {
                    "id": USER_A,
                    "email": "buyer@acme.example",
                    "first_name": "Ada",
                    "last_name": "Buyer",
                }
            ],
            "api_keys": [{"id": KEY_A_ID, "key": KEY_A, "name": "ci"}],
            "sub_orgs": [{"id": SUB_A1, "name": "Acme Sandbox"}],
        },
        {
            "id": ORG_B,
            "name": "Other Corp",
            "users": [{"email": "ops@other.example", "first_name": "Bo", "last_name": "Ops"}],
            "api_keys": [{"key": KEY_B, "name": "other"}],
        },
    ]
}


class StubProcess:
    """A running stub and the URL it announced; never sees the keys on its output.

    By default the stub of generated/, run by this interpreter; `python`, `package` and
    `pythonpath` (None: nothing added) run another, such as one installed in a virtual
    environment of its own."""

    def __init__(
        self,
        workdir: Path,
        db: Path,
        *extra: str,
        python: Path | str = sys.executable,
        package: str = "cofactr_platform_stub",
        pythonpath: Path | None = GENERATED,
    ) -> None:
        seed = workdir / "seed.json"
        seed.write_text(json.dumps(SEED))
        env = dict(os.environ)
        if pythonpath is not None:
            env["PYTHONPATH"] = str(pythonpath)
        self.proc = subprocess.Popen(
            [
                str(python),
                "-m",
                package,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--db",
                str(db),
                "--seed",
                str(seed),
                *extra,
            ],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        lines: queue.Queue[str] = queue.Queue()

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                lines.put(line)
            lines.put("")

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + 60
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if not line:
                raise AssertionError("the stub exited:\n" + "".join(self.output))
            if "listening on http://" in line:
                self.url = line.split("listening on ", 1)[1].split()[0]
                return

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)
            assert self.proc.returncode == 0, self.printed()  # a graceful stop

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The process stopped (SIGSTOP) until the block ends: it accepts and answers
        nothing, so only a client-side timeout can end a call made meanwhile."""
        self.proc.send_signal(signal.SIGSTOP)
        _, status = os.waitpid(self.proc.pid, os.WUNTRACED)  # returns once it is stopped
        assert os.WIFSTOPPED(status)
        try:
            yield
        finally:
            self.proc.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=20)

    def printed(self) -> str:
        return "".join(self.output)
