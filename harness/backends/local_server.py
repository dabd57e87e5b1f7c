"""The embedded backend's process: llama.cpp's OpenAI-compatible server (xllamacpp) on a loopback port.

One server is started per job and reused for every document; it is always stopped when the
job ends, whether it finished, failed or was interrupted (terminate, then kill after a grace
period), so no model keeps a gigabyte of memory after harness exits.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from harness.errors import ConfigError

__all__ = ["LOG_FILE", "LocalServer", "default_threads", "free_loopback_port"]

LOG_FILE = "llama-server.log"
"""The server's stdout and stderr, written into the job's folder."""

_HOST = "127.0.0.1"
_STARTUP_TIMEOUT_S = 180.0  # loading a 1 GB model from a cold disk on a slow machine, with room to spare
_POLL_INTERVAL_S = 0.25
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Loaded here, not in the forked child, where loading a library could wait on a lock another thread held.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_STOP_GRACE_S = 5.0  # the server exits on EOF at once; one that does not (a native hang) is then killed
_LOG_TAIL_LINES = 20


def _die_with_parent() -> None:
    """In the server's process before it runs: on Linux, ask the kernel to kill it when harness dies.

    ``stop`` covers every exit harness sees; this covers the one it cannot, ``kill -9`` of harness.
    """
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((_HOST, 0))
        return int(probe.getsockname()[1])


def _log_tail(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as log:
            return "".join(deque(log, maxlen=_LOG_TAIL_LINES)).rstrip()
    except OSError:
        return "(no log)"


def default_threads() -> int:
    """One model thread per core this process may run on: llama.cpp decodes fastest with every core busy."""
    return len(os.sched_getaffinity(0))


class LocalServer:
    """``python -m harness.backends.embedded_server`` serving one GGUF file; a sync or async context manager.

    ``base_url`` (``http://127.0.0.1:<port>/v1``) is known from the start, so a client can be built before
    the server runs; it answers once ``start`` returns (or the context is entered).
    """

    def __init__(
        self,
        model_path: Path,
        log_dir: Path,
        *,
        model_alias: str,
        chat_format: str | None = None,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        startup_timeout_s: float = _STARTUP_TIMEOUT_S,
    ) -> None:
        self.model_path = model_path
        self.log_path = log_dir / LOG_FILE
        self.model_alias = model_alias
        """The model name the server lists and answers to."""
        self.chat_format = chat_format
        """The chat template (llama.cpp's built-in name, e.g. ``chatml``); None: the GGUF file's own."""
        self.n_ctx = n_ctx
        # llama.cpp runs fastest with one thread per core it may use.
        self.n_threads = n_threads or default_threads()
        self.startup_timeout_s = startup_timeout_s
        self.port = free_loopback_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{_HOST}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def config(self) -> dict[str, Any]:
        """What the server process is told (``embedded_server.server_params``)."""
        return {
            "model_path": str(self.model_path),
            "model_alias": self.model_alias,
            "host": _HOST,
            "port": self.port,
            "n_ctx": self.n_ctx,
            "n_threads": self.n_threads,
            "chat_template": self.chat_format,
        }

    def command(self) -> list[str]:
        """The server's command line."""
        return [sys.executable, "-m", "harness.backends.embedded_server", json.dumps(self.config())]

    def start(self) -> None:
        """Start the server and wait until it answers; raise ``ConfigError`` with its log if it cannot."""
        if self.running:
            return
        if importlib.util.find_spec("xllamacpp") is None:
            raise ConfigError(
                "the embedded model needs xllamacpp: pip install 'harness[local]' "
                "(or pass --base-url to use a model served elsewhere)"
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.command(),
                stdin=subprocess.PIPE,  # closing it stops the server; so does harness dying
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout_s
        with httpx.Client(timeout=_POLL_INTERVAL_S * 4) as http:
            while True:
                code = self._process.poll()
                if code is not None:
                    raise ConfigError(
                        f"the embedded model server exited with code {code} while starting; "
                        f"its log ends:\n{_log_tail(self.log_path)}",
                        path=self.log_path,
                    )
                with contextlib.suppress(httpx.TransportError):
                    if http.get(f"{self.base_url}/models").status_code == httpx.codes.OK:
                        return
                if time.monotonic() > deadline:
                    raise ConfigError(
                        f"the embedded model server did not answer within {self.startup_timeout_s:.0f} s; "
                        f"its log ends:\n{_log_tail(self.log_path)}",
                        path=self.log_path,
                    )
                time.sleep(_POLL_INTERVAL_S)

    def stop(self) -> None:
        """Terminate the server, killing it if it outlives the grace period; safe to call twice."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()
        if process.poll() is not None:
            return
        try:
            process.terminate()
            process.wait(timeout=_STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            pass
        finally:  # also when a second signal interrupts the wait: the kill is sent before anything else can
            if process.poll() is None:
                process.kill()
                process.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        # Started synchronously: nothing else runs before the server answers, and a start in a worker
        # thread could outlive a cancelled job and leave the server running.
        self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        # Stopped synchronously: a cancelled job (Ctrl-C) must not be able to skip the shutdown.
        self.stop()
