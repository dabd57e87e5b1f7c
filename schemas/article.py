"""The extraction contract: an Article with its actors and the diplomatic contacts between them.

Field names are read by other tools; field descriptions become the JSON Schema a model reads,
so they state the annotation rules briefly. Invariants that need the source text (quotes occur
verbatim, offsets match) are checked when the text is passed as validation context:
``Article.model_validate(data, context={"text": raw_text})``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pycountry
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from schemas.enums import ActorKind, ContactMode, ContactStatus

__all__ = [
    "Actor",
    "ActorId",
    "Article",
    "DiplomaticContact",
    "Evidence",
    "source_text",
]

# Caps keep small models from padding lists until they loop; they are generous for real articles.
MAX_ALIASES = 8
MAX_TOPICS = 6
MAX_EVIDENCE = 4
MAX_QUOTE_CHARS = 400

ActorId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$"),
    Field(description="Short lowercase slug naming an actor of this article, e.g. 'smith'."),
]


def source_text(info: ValidationInfo) -> str | None:
    """The document text passed as validation context, if any."""
    context = info.context
    if isinstance(context, dict):
        text = context.get("text")
        if isinstance(text, str):
            return text
    return None


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True)


class Evidence(_Record):
    """A verbatim quote from the article that supports a record, with its character offsets."""

    quote: str = Field(
        min_length=1,
        max_length=MAX_QUOTE_CHARS,
        description="Exact words copied from the article (one sentence or less) that report the contact.",
    )
    start: int | None = Field(default=None, ge=0, description="Offset of the quote's first character in the raw text.")
    end: int | None = Field(
        default=None, ge=0, description="Offset just past the quote's last character in the raw text."
    )

    @model_validator(mode="after")
    def _offsets_match_text(self, info: ValidationInfo) -> Evidence:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end must be given together")
        if self.start is not None and self.end is not None and self.end - self.start != len(self.quote):
            raise ValueError(f"end - start = {self.end - self.start} but the quote has {len(self.quote)} characters")
        text = source_text(info)
        if text is None:
            return self
        if self.start is None:
            if self.quote not in text:
                raise ValueError(f"quote does not occur verbatim in the text: {self.quote!r}")
        elif text[self.start : self.end] != self.quote:
            raise ValueError(
                f"text[{self.start}:{self.end}] is {text[self.start : self.end]!r}, not the quote {self.quote!r}"
            )
        return self


class Actor(_Record):
    """A person, organisation, country or group named in the article."""

    id: ActorId
    name: str = Field(
        min_length=1,
        max_length=120,
        description="Fullest form of the name as written in the text, without titles or ranks.",
    )
    kind: ActorKind = Field(description="person, organization, country or group.")
    role: str | None = Field(
        default=None,
        max_length=120,
        description="Office or title as the text gives it, e.g. 'Foreign Minister'; null if none.",
    )
    affiliation: str | None = Field(
        default=None,
        max_length=120,
        description="Government, army, party or body the actor belongs to, as the text gives it.",
    )
    country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 code of the country the actor represents, e.g. 'FRA'.",
    )
    aliases: list[str] = Field(
        default_factory=list,
        max_length=MAX_ALIASES,
        description="Other forms the text uses for this actor: surname alone, title + name, acronym.",
    )

    @field_validator("country")
    @classmethod
    def _iso_alpha3(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code")
        return code

    @field_validator("aliases")
    @classmethod
    def _distinct_aliases(cls, value: list[str]) -> list[str]:
        seen: list[str] = []
        for alias in value:
            if alias and alias not in seen:
                seen.append(alias)
        return seen

    @model_validator(mode="after")
    def _aliases_in_text(self, info: ValidationInfo) -> Actor:
        text = source_text(info)
        if text is not None and (info.context or {}).get("strict_aliases"):
            missing = [alias for alias in self.aliases if alias not in text]
            if missing:
                raise ValueError(f"aliases not found in the text: {missing}")
        return self


class DiplomaticContact(_Record):
    """One phone call, meeting, visit or other exchange between two or more actors."""

    participants: list[ActorId] = Field(
        min_length=2,
        max_length=8,
        description="Ids of the actors who took part in this contact, at least two different ones.",
    )
    initiator: ActorId | None = Field(
        default=None,
        description="Id of the caller or visitor when the text shows who initiated; else null.",
    )
    mode: ContactMode = Field(
        description="phone_call, video_call, meeting, visit, correspondence, or unspecified.",
    )
    status: ContactStatus = Field(
        default=ContactStatus.OCCURRED,
        description="occurred, planned or cancelled.",
    )
    date: dt.date | None = Field(
        default=None,
        description="ISO date of the contact when it can be worked out; else null.",
    )
    date_text: str | None = Field(
        default=None,
        max_length=80,
        description="The words the text uses for when it happened, e.g. 'on Monday'.",
    )
    location: str | None = Field(default=None, max_length=120, description="Where it took place, if the text says.")
    topics: list[Annotated[str, StringConstraints(max_length=80)]] = Field(
        default_factory=list,
        max_length=MAX_TOPICS,
        description="What was discussed, as short phrases.",
    )
    reported_by: str | None = Field(
        default=None,
        max_length=120,
        description="Who the article attributes the report to, e.g. a ministry or spokesperson.",
    )
    evidence: list[Evidence] = Field(
        min_length=1,
        max_length=MAX_EVIDENCE,
        description="Verbatim quotes from the text that report this contact.",
    )

    @model_validator(mode="after")
    def _participants_distinct(self) -> DiplomaticContact:
        if len(set(self.participants)) < 2:
            raise ValueError(f"participants must name at least two distinct actors: {self.participants}")
        if len(set(self.participants)) != len(self.participants):
            raise ValueError(f"participants repeat an actor: {self.participants}")
        if self.initiator is not None and self.initiator not in self.participants:
            raise ValueError(f"initiator {self.initiator!r} is not one of the participants {self.participants}")
        return self

    def pair_key(self) -> tuple[frozenset[str], str | None]:
        """Identity of a contact: symmetric in participants, distinguished by initiator."""
        return frozenset(self.participants), self.initiator


class Article(_Record):
    """Everything extracted from one news article."""

    doc_id: str = Field(min_length=1, description="Identifier of the source document.")
    headline: str | None = Field(default=None, description="The article's headline, if it has one.")
    outlet: str | None = Field(default=None, description="The publication or agency, if named.")
    published: dt.date | None = Field(default=None, description="Publication date, if known.")
    dateline: str | None = Field(default=None, description="Place named in the dateline, if any.")
    actors: list[Actor] = Field(default_factory=list)
    contacts: list[DiplomaticContact] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Article:
        ids = [actor.id for actor in self.actors]
        duplicated = sorted({actor_id for actor_id in ids if ids.count(actor_id) > 1})
        if duplicated:
            raise ValueError(f"actor ids are not unique: {duplicated}")
        known = set(ids)
        for index, contact in enumerate(self.contacts):
            unknown = [p for p in contact.participants if p not in known]
            if unknown:
                raise ValueError(f"contacts[{index}].participants name unknown actor ids {unknown}")
        return self

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError if absent)."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)

    @classmethod
    def validate_against(cls, data: Any, text: str, *, strict_aliases: bool = False) -> Article:
        """Validate ``data`` with the checks that need the source text."""
        return cls.model_validate(data, context={"text": text, "strict_aliases": strict_aliases})
