"""Actors and contacts for post-processing tests: typed records with only the fields a test is about."""

from __future__ import annotations

from typing import Any

from schemas import Actor, ActorKind, ContactMode, DiplomaticContact, Evidence

__all__ = ["contact", "person"]


def person(actor_id: str, name: str, **fields: Any) -> Actor:
    return Actor(id=actor_id, name=name, kind=ActorKind.PERSON, **fields)


def contact(participants: list[str], quote: str, start: int, **fields: Any) -> DiplomaticContact:
    evidence = [Evidence(quote=quote, start=start, end=start + len(quote))]
    return DiplomaticContact(
        participants=participants, mode=fields.pop("mode", ContactMode.MEETING), evidence=evidence, **fields
    )
