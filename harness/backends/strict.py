"""OpenAI's strict structured outputs: the answer schema rewritten into the subset strict mode accepts.

instructor's ``Mode.JSON_SCHEMA`` sends ``{"type": "json_schema", "json_schema": {"schema": ...}}``
without ``strict``, so OpenAI follows the schema only loosely. Strict mode constrains decoding to
the schema, as the embedded server's grammar does, but accepts a subset of JSON Schema: every object
lists all its properties as required and forbids others, and string lengths and defaults are not
allowed. Pydantic still validates the answer against the full model (lengths included), and a
property that has a default must now be written out: the model writes the default itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

__all__ = ["strict_schema", "with_strict_response_format"]

_UNSUPPORTED = frozenset({"minLength", "maxLength", "default"})


def strict_schema(node: Any) -> Any:
    """A copy of a JSON Schema (part) that strict mode accepts; see the module's docstring."""
    if isinstance(node, list):
        return [strict_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    strict = {key: strict_schema(value) for key, value in node.items() if key not in _UNSUPPORTED}
    if "properties" in strict:
        strict["required"] = list(strict["properties"])
        strict["additionalProperties"] = False
    return strict


def with_strict_response_format(create: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``create`` with instructor's ``json_schema`` response format made strict."""

    @wraps(create)
    async def create_strict(*args: Any, **kwargs: Any) -> Any:
        response_format = kwargs.get("response_format")
        if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            spec = response_format["json_schema"]
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {**spec, "schema": strict_schema(spec["schema"]), "strict": True},
            }
        return await create(*args, **kwargs)

    return create_strict
