"""Closed vocabularies of the domain; their values are part of the output contract."""

from enum import StrEnum

__all__ = ["ActorKind", "ContactMode", "ContactStatus"]


class ActorKind(StrEnum):
    """What sort of entity an actor is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    GROUP = "group"


class ContactMode(StrEnum):
    """How a diplomatic contact took place."""

    PHONE_CALL = "phone_call"
    VIDEO_CALL = "video_call"
    MEETING = "meeting"
    VISIT = "visit"
    CORRESPONDENCE = "correspondence"
    UNSPECIFIED = "unspecified"


class ContactStatus(StrEnum):
    """Whether the contact happened, is planned, or was called off."""

    OCCURRED = "occurred"
    PLANNED = "planned"
    CANCELLED = "cancelled"
