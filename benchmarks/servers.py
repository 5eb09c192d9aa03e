"""Start an ASGI app under uvicorn in a subprocess for benchmarking.

``serve()`` runs ``<sys.executable> -m uvicorn`` in its own session/process group on
127.0.0.1, waits until it answers, yields ``(host, port)`` and kills the whole process group
(workers included) on exit.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from app.server import uvicorn_args

__all__ = ["REPO_ROOT", "Server", "free_port", "serve"]

REPO_ROOT = Path(__file__).resolve().parent.parent


class Server(tuple[str, int]):
    """``(host, port)`` tuple that also knows the server's process-group id."""

    pid: int

    def __new__(cls, host: str, port: int, pid: int) -> Server:
        self = super().__new__(cls, (host, port))
        self.pid = pid
        return self

    @property
    def host(self) -> str:
        return self[0]

    @property
    def port(self) -> int:
        return self[1]

    def cpu_seconds(self) -> float:
        """User+system CPU seconds used so far by every live process of the server's group."""
        return _group_cpu_seconds(self.pid)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _group_cpu_seconds(pgid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        # fields[0] is field 3 (state): pgrp is field 5, utime/stime are fields 14/15.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _answers(host: str, port: int, ready_path: str | None) -> bool:
    try:
        if ready_path is None:
            with socket.create_connection((host, port), timeout=1):
                return True
        conn = http.client.HTTPConnection(host, port, timeout=2)
        try:
            conn.request("GET", ready_path)
            return conn.getresponse().status < 500
        finally:
            conn.close()
    except (OSError, http.client.HTTPException):
        return False


def _kill_group(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure no worker of the group survives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        return


@contextlib.contextmanager
def serve(
    app_path: str,
    *,
    env: dict[str, str] | None = None,
    workers: int = 1,
    port: int | None = None,
    factory: bool = False,
    ready_path: str | None = "/health",
    host: str = "127.0.0.1",
    extra_args: Sequence[str] = (),
    cwd: str | os.PathLike[str] | None = None,
    startup_timeout: float = 60.0,
) -> Iterator[Server]:
    """Run ``uvicorn app_path`` (``--factory`` if ``factory``) and yield ``(host, port)``.

    Readiness: ``GET ready_path`` answers with any status < 500 (a 404 counts: the server is
    up); ``ready_path=None`` only waits for the TCP port to accept. ``env`` is added to the
    current environment. The working directory defaults to the repo root, so
    ``"benchmarks.bare_app:app"`` and ``"app.main:create_app"`` style paths import. Server
    output goes to a temp file whose tail is shown if startup fails.
    """
    port = port or free_port(host)
    cmd = [
        sys.executable, "-m", "uvicorn", app_path,
        "--host", host, "--port", str(port),
        "--workers", str(workers),
        # The options ``eventops serve`` runs with, for the bare app too (same server).
        *uvicorn_args(), "--log-level", "warning",
    ]  # fmt: skip
    if factory:
        cmd.append("--factory")
    cmd.extend(extra_args)
    full_env = {**os.environ, **(env or {})}
    workdir = Path(cwd) if cwd is not None else REPO_ROOT
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(workdir), full_env.get("PYTHONPATH", "")) if p
    )
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            cmd,
            cwd=workdir,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: killpg gets workers too
        )

        def log_tail() -> str:
            log.seek(0)
            return log.read()[-4000:].decode(errors="replace")

        try:
            deadline = time.monotonic() + startup_timeout
            while not _answers(host, port, ready_path):
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"server {app_path!r} exited with {proc.returncode}:\n{log_tail()}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError(f"server {app_path!r} not ready:\n{log_tail()}")
                time.sleep(0.05)
            if workers > 1:  # first answer came from one worker; let the others boot too
                time.sleep(0.5 * workers)
            yield Server(host, port, proc.pid)
            if proc.poll() is not None:
                print(
                    f"warning: server {app_path!r} died during the run:\n{log_tail()}",
                    file=sys.stderr,
                )
        finally:
            _kill_group(proc)
