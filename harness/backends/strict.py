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

__all__ = ["closed_schema", "strict_schema", "with_strict_response_format"]

_UNSUPPORTED = frozenset({"minLength", "maxLength", "default"})


def _rewrite_objects(node: Any, drop: frozenset[str], all_required: bool) -> Any:
    if isinstance(node, list):
        return [_rewrite_objects(item, drop, all_required) for item in node]
    if not isinstance(node, dict):
        return node
    rewritten = {key: _rewrite_objects(value, drop, all_required) for key, value in node.items() if key not in drop}
    if "properties" in rewritten:
        rewritten["additionalProperties"] = False
        if all_required:
            rewritten["required"] = list(rewritten["properties"])
    return rewritten


def strict_schema(node: Any) -> Any:
    """A copy of a JSON Schema (part) that strict mode accepts; see the module's docstring."""
    return _rewrite_objects(node, _UNSUPPORTED, all_required=True)


def closed_schema(node: Any) -> Any:
    """A copy of a JSON Schema in which every object forbids the properties it does not list.

    JSON Schema allows unlisted properties unless told otherwise, and grammar compilers such as llguidance keep
    to that: a small model then invents keys (``"office"`` for ``role``) and can loop on them until
    ``max_tokens``. pydantic ignores extra keys, so closing the objects changes no valid answer.
    """
    return _rewrite_objects(node, frozenset(), all_required=False)


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
