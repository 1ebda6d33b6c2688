"""Run Stoplight Prism as a mock server for one vendored spec, on a free loopback port.

Prism (npm ``@stoplight/prism-cli``, pinned by ``package-lock.json``, installed by ``npm ci``) serves
responses built from the spec and validates every request against it: a request that breaks the
spec gets an ``sl-violations`` response header. The contract tests start one Prism per vendored spec,
wait until it answers, and stop it by PID at the end of the session.

    with PrismServer.start(binary, spec=Path("specs/shipbob.yaml"), log_dir=tmp) as prism:
        httpx.get(f"{prism.base_url}/1.0/product/1/inventory", headers={"Authorization": "Bearer x"})
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from pipeline.errors import PipelineError
from pipeline.loading import load_document

__all__ = ["PRISM_SEED", "PrismServer", "PrismStartError"]

# Prism reseeds its faker with this on every dynamic response, so `Prefer: dynamic=true` answers are
# reproducible. With the pinned Prism, seed 3 gives non-empty result lists for both vendored specs
# (seed 42, for one, gives ShipBob an empty list, which would test nothing).
PRISM_SEED = "3"
_READY_ATTEMPTS = 300  # x 0.1 s: node on a busy 2-core machine can take a while to load the spec
_PORT_ATTEMPTS = 3  # a free port can be taken between our probe and Prism's bind; retry a few times
_STOP_GRACE_SECONDS = 10.0
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class PrismStartError(RuntimeError):
    """Prism did not come up for ``spec``; the message carries the end of its log."""

    def __init__(self, spec: Path, problem: str, log_tail: str) -> None:
        super().__init__(f"Prism for {spec}: {problem}\n--- Prism log (tail) ---\n{log_tail}")
        self.spec = spec


def _drop_keyword_prism_crashes_on(parameter: Any) -> bool:
    schema = parameter.get("schema") if isinstance(parameter, dict) else None
    if isinstance(schema, dict) and schema.get("type") not in (None, "object") and "additionalProperties" in schema:
        del schema["additionalProperties"]
        return True
    return False


def _string_header(header: Any) -> bool:
    schema = header.get("schema") if isinstance(header, dict) else None
    if isinstance(schema, dict) and schema.get("type") == "object" and not schema.get("properties"):
        header["schema"] = {"type": "string"}
        return True
    return False


def served_copy(spec: Path, directory: Path) -> Path:
    """``spec`` itself, or a copy without the two constructs Prism 5.14 crashes on.

    Prism dies (``TypeError: Cannot read properties of null (reading 'split')`` in its simple-style
    deserializer), taking every later test down, on a header it deserializes as an object and finds
    missing. ShipBob's .NET spec has two such: ``additionalProperties: false`` on string parameter
    schemas (the keyword means nothing on a non-object, so the copy drops it), and response headers
    typed ``object`` without properties (``Page-Number``, ``Next-Page``: the copy types them as
    ``string``, what they are on the wire). Nothing else changes, and nothing about requests.
    """
    try:
        document: Any = load_document(spec)
    except PipelineError:
        return spec  # not a spec we can read: Prism gets it as it is and reports the problem itself
    changed = False
    for item in (document.get("paths") or {}).values():
        for operation in [item, *(item.get(m) for m in _METHODS if isinstance(item.get(m), dict))]:
            for parameter in operation.get("parameters") or []:
                changed |= _drop_keyword_prism_crashes_on(parameter)
    for parameter in ((document.get("components") or {}).get("parameters") or {}).values():
        changed |= _drop_keyword_prism_crashes_on(parameter)
    for item in (document.get("paths") or {}).values():
        for method in _METHODS:
            for response in ((item.get(method) or {}).get("responses") or {}).values():
                for header in ((response.get("headers") or {}) if isinstance(response, dict) else {}).values():
                    changed |= _string_header(header)
    if not changed:
        return spec
    copy = directory / f"{spec.stem}.served.json"
    copy.write_text(json.dumps(document, default=str), encoding="utf-8")
    return copy


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class PrismServer:
    """One running Prism process; a context manager that stops it (terminate, then kill) on exit."""

    def __init__(self, *, spec: Path, base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.spec = spec
        self.base_url = base_url
        self.log = log
        self._process = process

    @property
    def pid(self) -> int:
        return self._process.pid

    @classmethod
    def start(cls, binary: Path, *, spec: Path, log_dir: Path, seed: str = PRISM_SEED) -> Self:
        """Start Prism on a free 127.0.0.1 port and return once it answers HTTP."""
        log_dir.mkdir(parents=True, exist_ok=True)
        problem = "never started"
        log = log_dir / f"prism-{spec.stem}.log"
        for attempt in range(_PORT_ATTEMPTS):
            port = _free_loopback_port()
            log = log_dir / f"prism-{spec.stem}-{attempt}.log"
            # -m false: one process (no fork), so stopping our PID stops the whole server.
            command = [str(binary), "mock", "-m", "false", "-h", "127.0.0.1", "-p", str(port), "--seed", seed]
            with log.open("wb") as sink:
                served = served_copy(spec, log_dir)
                process = subprocess.Popen([*command, str(served)], stdout=sink, stderr=subprocess.STDOUT)
            server = cls(spec=spec, base_url=f"http://127.0.0.1:{port}", process=process, log=log)
            problem = server._wait_until_ready()
            if not problem:
                return server
            server.stop()
            if "EADDRINUSE" not in _tail(log):
                break
        raise PrismStartError(spec, problem, _tail(log))

    def _wait_until_ready(self) -> str:
        """``""`` once Prism answers any HTTP request, else what went wrong."""
        with httpx.Client(timeout=1.0) as probe:
            for _ in range(_READY_ATTEMPTS):
                if self._process.poll() is not None:
                    return f"exited with status {self._process.returncode} before answering"
                try:
                    probe.get(f"{self.base_url}/")
                except httpx.TransportError:
                    time.sleep(0.1)
                    continue
                return ""
        return f"did not answer on {self.base_url} after {_READY_ATTEMPTS} attempts"

    def stop(self) -> None:
        """Stop our Prism process (by its PID): SIGTERM, then SIGKILL if it lingers."""
        if self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=_STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=_STOP_GRACE_SECONDS)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"PrismServer(spec={str(self.spec)!r}, base_url={self.base_url!r}, pid={self.pid})"
