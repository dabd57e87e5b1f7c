"""Small articles built in code: a golden about four actors and four contacts, and ways to alter it.

The text is invented; every quote below occurs in it verbatim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from harness.goldens import GoldenArticle
from schemas import ActorKind, Article, ContactMode, ContactStatus

DOC_ID = "doc_a"
TEXT = (
    "OSLO: Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday to discuss trade talks. "
    "Berg later met Ambassador Eva Falk in Oslo about fishing rights. "
    "Dahl wrote to Falk on energy prices. "
    "Berg and Dahl may visit the Nordic Council next month."
)
CALL_QUOTE = "Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl on Monday"
MEETING_QUOTE = "Berg later met Ambassador Eva Falk in Oslo"
LETTER_QUOTE = "Dahl wrote to Falk on energy prices"
VISIT_QUOTE = "Berg and Dahl may visit the Nordic Council next month"


def actor(actor_id: str, name: str, *, kind: ActorKind = ActorKind.PERSON, **fields: Any) -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": kind, **fields}


def contact(participants: list[str], mode: ContactMode, quote: str, **fields: Any) -> dict[str, Any]:
    return {"participants": participants, "mode": mode, "evidence": [{"quote": quote}], **fields}


def golden_data() -> dict[str, Any]:
    """Three people and an organisation; three required contacts and one optional (planned) one."""
    return {
        "doc_id": DOC_ID,
        "published": "2024-03-06",
        "actors": [
            actor("berg", "Anna Berg", role="Foreign Minister", country="NOR", aliases=["Berg"]),
            actor("dahl", "Carl Dahl", role="Prime Minister", country="SWE", aliases=["Dahl"]),
            actor("falk", "Eva Falk", role="Ambassador", country="FIN", aliases=["Falk"]),
            actor("council", "Nordic Council", kind=ActorKind.ORGANIZATION),
        ],
        "contacts": [
            contact(
                ["berg", "dahl"],
                ContactMode.PHONE_CALL,
                CALL_QUOTE,
                initiator="berg",
                date=dt.date(2024, 3, 4),
                date_text="on Monday",
                topics=["trade talks"],
            ),
            contact(["berg", "falk"], ContactMode.MEETING, MEETING_QUOTE, location="Oslo", topics=["fishing rights"]),
            contact(["dahl", "falk"], ContactMode.CORRESPONDENCE, LETTER_QUOTE, initiator="dahl", topics=["energy"]),
            contact(
                ["berg", "dahl", "council"],
                ContactMode.VISIT,
                VISIT_QUOTE,
                status=ContactStatus.PLANNED,
                optional=True,
            ),
        ],
    }


def golden(data: dict[str, Any] | None = None) -> GoldenArticle:
    return GoldenArticle.model_validate(data if data is not None else golden_data())


def prediction_data(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Golden data as an extraction would give it: the same, less the golden-only ``optional`` flag."""
    data = data if data is not None else golden_data()
    contacts = [{key: value for key, value in item.items() if key != "optional"} for item in data["contacts"]]
    return {**data, "contacts": contacts}


def prediction(data: dict[str, Any] | None = None) -> Article:
    return Article.model_validate(prediction_data(data))
