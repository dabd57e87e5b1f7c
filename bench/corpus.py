"""The benchmark's articles and the answers a model would give them, built from the golden sets.

Each golden becomes the ``ArticleDraft`` a model that got it right would write (evidence as the numbers of the
sentences its quotes lie in), so post-processing does its real work: names, countries, dates, merging. A
corpus of any size repeats the goldens' texts under new ids; the endpoint recognises an article by its first
numbered sentence and answers with that golden's draft.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from harness.documents import Document
from harness.goldens import combine_sets, load_golden_set, resolve_sets
from harness.sentences import split_sentences
from schemas.draft import MAX_DRAFT_ACTORS, MAX_DRAFT_CONTACTS, ArticleDraft

__all__ = ["Corpus", "load_corpus"]


@dataclass(frozen=True)
class Corpus:
    """The golden articles and, for each, the first line the prompt shows of it and the draft answering it."""

    documents: list[Document]
    answers: dict[str, str]
    """The draft's JSON by the first numbered sentence (``[1] ...``) of the article it answers."""

    def documents_named(self, count: int, prefix: str = "doc") -> Iterator[Document]:
        """``count`` documents cycling through the goldens' texts, with ids ``<prefix>-000001`` on."""
        for index in range(count):
            golden = self.documents[index % len(self.documents)]
            yield Document(id=f"{prefix}-{index + 1:06d}", text=golden.text, published=golden.published)

    def write_jsonl(self, path: Path, count: int) -> Path:
        """``count`` documents as a ``.jsonl`` input file, written line by line."""
        with path.open("w", encoding="utf-8") as file:
            for document in self.documents_named(count):
                published = document.published.isoformat() if document.published else None
                file.write(json.dumps({"id": document.id, "text": document.text, "published": published}) + "\n")
        return path


def _draft_of(golden: dict, text: str) -> ArticleDraft:
    sentences = split_sentences(text)

    def numbers(evidence: list[dict]) -> list[int]:
        cited = {
            sentence.number
            for quote in evidence
            for sentence in sentences
            if sentence.start < quote["end"] and quote["start"] < sentence.end
        }
        return sorted(cited)[:3] or [1]

    actors = [
        {key: actor.get(key) for key in ("id", "name", "kind", "role", "country")}
        for actor in golden["actors"][:MAX_DRAFT_ACTORS]
    ]
    contacts = [
        {
            "participants": contact["participants"][:4],
            "initiator": contact["initiator"],
            "mode": contact["mode"],
            "status": contact["status"],
            "date_text": contact.get("date_text"),
            "location": contact.get("location"),
            "topics": contact["topics"][:5],
            "reported_by": contact.get("reported_by"),
            "evidence": numbers(contact["evidence"]),
        }
        for contact in golden["contacts"]
        if set(contact["participants"]) <= {actor["id"] for actor in actors}
    ][:MAX_DRAFT_CONTACTS]
    draft = {"dateline": golden.get("dateline"), "outlet": golden.get("outlet"), "actors": actors}
    return ArticleDraft.model_validate(draft | {"contacts": contacts}, context={"sentences": len(sentences)})


def load_corpus() -> Corpus:
    """Every golden set's articles, each with its draft."""
    everything = combine_sets([load_golden_set(folder, name) for name, folder in resolve_sets([]).items()])
    documents, answers = [], {}
    for doc_id, document in everything.documents.items():
        golden = everything.goldens[doc_id].model_dump(mode="json")
        draft = _draft_of(golden, document.text)
        first = split_sentences(document.text)[0].text
        answers[f"[1] {first}"] = draft.model_dump_json(exclude_none=True)
        documents.append(document)
    return Corpus(documents, answers)
