"""The model-facing answer: what a language model writes for one article.

Kept smaller than ``Article`` because output tokens are time on a CPU: evidence is cited by
sentence number (the prompt numbers the article's sentences; post-processing turns a number into
the sentence's own text and offsets, so no quote can be invented or paraphrased), no ISO date
(the model copies the words; post-processing resolves them against the publication date), a
country in any spelling (post-processing maps it to ISO 3166-1 alpha-3), no aliases (a fifth of
every answer went to them, mostly forms the text does not have; post-processing takes a person's
surname and the title forms from the text). Validation takes the
document's sentence count as context (``{"sentences": n}``) to know which citations exist.

One faulty contact never costs the document: a contact naming an actor id the answer does not
define, or fewer than two different actors, is dropped; a citation of a sentence the article does
not have is dropped (the contact with it, when it cites nothing else: a small model that runs past
the article's end pads contacts with ever higher numbers, and re-asking repeated that three times
over); an initiator outside the participants is cleared (post-processing reads it from the text
again where the text says); each repair is kept in ``ArticleDraft.repairs`` for the result's
warnings. An answer whose every contact was faulty keeps its actors (something valid is left):
re-asking it cost a whole document of the dev set three times over, the model repeating its fault.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationInfo, model_validator

from schemas.article import MAX_EVIDENCE, MAX_TOPICS, ActorId
from schemas.enums import ActorKind, ContactMode, ContactStatus

__all__ = ["ArticleDraft", "DraftActor", "DraftContact"]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
SentenceNumber = Annotated[int, Field(ge=1)]

# Small models pad lists up to any cap; these are the most a short news article needs.
MAX_DRAFT_ACTORS = 12
MAX_DRAFT_CONTACTS = 8


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftActor(_Draft):
    """A person, organisation, country or group named in the article."""

    id: ActorId
    name: ShortText = Field(description="Full name as written, without title or rank.")
    kind: ActorKind
    role: ShortText | None = Field(default=None, description="Office or title, e.g. 'Foreign Minister'.")
    country: ShortText | None = Field(default=None, description="Country the actor represents.")


class DraftContact(_Draft):
    """A call, meeting, visit or exchange that the text reports between actors."""

    participants: list[ActorId] = Field(
        min_length=2, max_length=4, description="Ids of the actors who took part; at least two."
    )
    initiator: ActorId | None = Field(
        default=None, description="Id of the caller or visitor, if the text says; else null."
    )
    mode: ContactMode
    status: ContactStatus = ContactStatus.OCCURRED
    date_text: ShortText | None = Field(
        default=None, description="Words saying when, copied from the text, e.g. 'on Monday'."
    )
    location: ShortText | None = Field(default=None, description="Place, if the text says.")
    topics: list[ShortText] = Field(
        default_factory=list, max_length=MAX_TOPICS, description="Subjects discussed, a few words each."
    )
    reported_by: ShortText | None = Field(default=None, description="Source the article cites for it.")
    evidence: list[SentenceNumber] = Field(
        min_length=1,
        max_length=MAX_EVIDENCE,
        description="Numbers of the article's sentences that report this contact.",
    )


class ArticleDraft(_Draft):
    """The actors of one article and the diplomatic contacts between them."""

    dateline: ShortText | None = Field(default=None, description="Place in the dateline, if any.")
    outlet: ShortText | None = Field(default=None, description="Publication or agency, if named.")
    # Required, not defaulted: the decoder's grammar then makes the model write both lists, even empty.
    actors: list[DraftActor] = Field(max_length=MAX_DRAFT_ACTORS)
    contacts: list[DraftContact] = Field(max_length=MAX_DRAFT_CONTACTS)

    _repairs: list[str] = PrivateAttr(default_factory=list)

    @property
    def repairs(self) -> list[str]:
        """What validation mended or dropped in the model's answer, one line each."""
        return list(self._repairs)

    @model_validator(mode="after")
    def _mend_faulty_contacts(self, info: ValidationInfo) -> ArticleDraft:
        ids = {actor.id for actor in self.actors}
        count = info.context.get("sentences") if isinstance(info.context, dict) else None
        kept: list[DraftContact] = []
        for index, contact in enumerate(self.contacts):
            evidence = contact.evidence
            if isinstance(count, int):
                evidence = [number for number in contact.evidence if number <= count]
                missing = [number for number in contact.evidence if number > count]
                if not evidence:
                    self._repairs.append(
                        f"dropped contacts[{index}]: its evidence cites only sentences the article does not have "
                        f"(it has {count}): {missing}"
                    )
                    continue
                if missing:
                    self._repairs.append(
                        f"contacts[{index}]: dropped evidence {missing}, sentences the article does not have "
                        f"(it has {count})"
                    )
            unknown = sorted({p for p in contact.participants if p not in ids})
            if unknown:
                self._repairs.append(f"dropped contacts[{index}]: its participants use ids not in actors: {unknown}")
                continue
            participants = list(dict.fromkeys(contact.participants))
            if len(participants) < 2:
                self._repairs.append(f"dropped contacts[{index}]: its participants are not two different actors")
                continue
            initiator = contact.initiator
            if initiator is not None and initiator not in participants:
                self._repairs.append(f"contacts[{index}]: cleared initiator {initiator!r}, not one of its participants")
                initiator = None
            update = {"participants": participants, "initiator": initiator, "evidence": evidence}
            kept.append(contact.model_copy(update=update))
        self.contacts = kept
        return self
