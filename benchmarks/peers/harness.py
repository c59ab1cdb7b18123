"""A peer harness: a script run in the peer's own venv, kept up for a whole
benchmark and asked one JSON line at a time (so start-up is never timed).

The script prints ``{"ready": ...}`` first, then one JSON line per request
line. Glossa's Django variables are not passed on: the peer sets its own.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

DOCCANO_VENV = Path(os.environ.get("DOCCANO_VENV", "/work/peers/doccano-venv"))
HERE = Path(__file__).resolve().parent


class Harness:
    def __init__(
        self,
        venv: Path,
        script: str,
        *args: str,
        env: dict[str, str] | None = None,
    ) -> None:
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
        }
        self.script = script
        self.process = subprocess.Popen(
            [str(venv / "bin" / "python"), str(HERE / script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**clean, **(env or {})},
        )
        self.ready: dict = self._answer()

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise SystemExit(f"the peer's harness stopped ({self.script})")

    def ask(self, request: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
