"""How a model is reached: the embedded llama.cpp server's lifecycle and the OpenAI-compatible client."""

from harness.backends.client import (
    API_KEY_ENV,
    BASE_URL_ENV,
    Backend,
    BackendKind,
    DecodingParams,
    connect,
    open_backend,
)
from harness.backends.local_server import LocalServer
from harness.backends.retry import is_retryable, retry_after_seconds

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "Backend",
    "BackendKind",
    "DecodingParams",
    "LocalServer",
    "connect",
    "is_retryable",
    "open_backend",
    "retry_after_seconds",
]
