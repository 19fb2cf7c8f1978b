"""Helpers shared by several test modules: a live ``jingwen serve`` process, and the batch tests' seeds.

A plain module (not a conftest): import what you need, ``from tests.support import ServerProcess``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


# -- a live server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+) ")


class ServerProcess:
    """``python -m jingwen serve`` on a free loopback port; stderr goes to a log file, removed on :meth:`stop`.

    The server binds port 0 and the kernel picks the port at bind time (a port probed free here could
    be taken by any other socket during the seconds the server spends loading its model); ``port`` and
    ``url`` are known once uvicorn has logged them, which :meth:`wait_ready` waits for.

    The server gets the caller's environment without any ``JINGWEN_*`` variable (its flags say it
    all), plus ``env``; with ``one_thread``, ``OMP_NUM_THREADS=1`` unless the environment sets it.
    Used as a context manager, it waits until ``/readyz`` answers 200 on entry and stops on exit.
    """

    def __init__(
        self,
        models_dir: Path,
        *args: str,
        env: dict[str, str] | None = None,
        one_thread: bool = False,
        log_name: str = "http",
        ready_timeout: float = 90,
        stop_timeout: float = 20,
    ) -> None:
        self._port: int | None = None
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        fd, name = tempfile.mkstemp(prefix=f"jingwen-{log_name}-", suffix=".log", dir=os.environ.get("TMPDIR", "/tmp"))
        self.log = Path(name)
        self._log = os.fdopen(fd, "wb")
        cmd = [sys.executable, "-m", "jingwen", "serve", "--host", "127.0.0.1", "--port", "0",
               "--models-dir", str(models_dir), *args]
        base = {k: v for k, v in os.environ.items() if not k.startswith("JINGWEN_")}
        if one_thread:
            base.setdefault("OMP_NUM_THREADS", "1")
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=self._log, env={**base, **(env or {})})

    @property
    def port(self) -> int:
        """The port the server listens on (from its log; it has bound its socket once it says so)."""
        if self._port is None:
            match = _LISTENING.search(self.log_text())
            if match is None:
                raise RuntimeError(f"server has not bound its port yet (call wait_ready first):\n{self.log_text()}")
            self._port = int(match.group(1))
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float | None = None) -> None:
        """Until ``/readyz`` answers 200 (at most ``timeout``, default ``ready_timeout``, seconds)."""
        timeout = self.ready_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                if self._port is not None or _LISTENING.search(self.log_text()):
                    if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                        return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        log = self.log_text()  # before stop() closes and removes the log
        self.stop()
        raise RuntimeError(f"server not ready after {timeout}s:\n{log}")

    def wait_for_log(self, text: str, count: int, timeout: float | None = None) -> str:
        """The log once ``text`` appears ``count`` times in it: a multi-worker server answers ``/readyz``
        as soon as its first worker is ready, while the others may still be loading the model."""
        timeout = self.ready_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while (log := self.log_text()).count(text) < count:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{text!r} seen {log.count(text)} of {count} times in {timeout}s:\n{log}")
            time.sleep(0.1)
        return log

    def log_text(self) -> str:
        self._log.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        self.log.unlink(missing_ok=True)

    def __enter__(self) -> ServerProcess:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- the batch tests: the seeds, one BLAS thread -----------------------------------------------------------------


def read_seed_texts() -> list[str]:
    """The seed documents (``seeds/*.txt``), in file-name order."""
    return [p.read_text(encoding="utf-8") for p in SEEDS]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """One BLAS/OpenMP thread, as in the CLI and the batch workers: on a busy machine the model's
    OpenMP threads otherwise spin against each other and in-process cleaning gets many times slower."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield
