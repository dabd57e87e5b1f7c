"""The embedded model server's own process: llama.cpp's native OpenAI-compatible server, through xllamacpp.

``python -m harness.backends.embedded_server CONFIG_JSON`` loads one GGUF file, serves it on the
loopback port the config names, and exits when its stdin closes (``LocalServer.stop``, or harness
dying). It runs in a child process rather than in harness itself: a native crash, a stop while a
request is in flight (the server's destructor waits for open connections, which would deadlock a
client in the same process) or a ``kill -9`` of harness then costs nothing but the child, and the
operating system frees the model, threads and port at once.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

__all__ = ["server_params"]


def server_params(config: dict[str, Any]) -> Any:
    """xllamacpp's ``CommonParams`` from ``LocalServer.config()``."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = config["model_path"]
    params.model_alias = {config["model_alias"]}  # the names /v1/models lists and requests may use
    params.hostnames = [config["host"]]
    params.port = config["port"]
    params.n_parallel = 1  # one slot: on a CPU, parallel slots share the same cores and gain little
    params.n_ctx = config["n_ctx"]
    params.cpuparams.n_threads = config["n_threads"]
    params.cpuparams_batch.n_threads = config["n_threads"]
    # Threads wait for work asleep rather than spinning: a spinning thread takes a core from whatever else
    # runs on a small machine (the job's own client included) and made decoding no faster here.
    params.cpuparams.poll = params.cpuparams_batch.poll = 0
    params.cache_prompt = True  # reuse the prompt prefix (system prompt) the previous request shared
    params.warmup = False  # a warm-up decode costs seconds on a CPU and changes no answer
    if config.get("chat_template"):
        params.chat_template = config["chat_template"]
    return params


def _serve(config: dict[str, Any]) -> None:
    """Hold the server until stdin closes."""
    import xllamacpp

    # Ctrl-C reaches the whole process group: harness decides, then stops this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        server = xllamacpp.Server(server_params(config))
    except RuntimeError as error:  # the reason is in llama.cpp's log, on this process's stderr
        print(f"the model server did not start: {error}", file=sys.stderr, flush=True)
        sys.exit(3)
    print(f"serving {config['model_alias']} at {server.listening_address}", file=sys.stderr, flush=True)
    sys.stdin.buffer.read()  # blocks until EOF
    os._exit(0)  # no destructor to wait on: the OS frees the model, threads and port at once


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
