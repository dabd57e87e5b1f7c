"""Golden annotations: an Article whose contacts may carry the golden-only ``optional`` flag, and which may still be
a ``draft`` (a model's extraction no person has corrected yet)."""

from __future__ import annotations

from pydantic import Field

from schemas.article import Article, DiplomaticContact

__all__ = ["GoldenArticle", "GoldenContact"]


class GoldenContact(DiplomaticContact):
    """A contact in a golden file; ``optional`` ones are neither required nor penalised."""

    optional: bool = Field(
        default=False,
        description="Planned, cancelled or too vague to require: matching it earns and costs nothing.",
    )


class GoldenArticle(Article):
    """The hand-written reference Article of one document."""

    contacts: list[GoldenContact] = Field(default_factory=list)  # type: ignore[assignment]
    draft: bool = Field(
        default=False,
        description="Written by `harness goldens new` from a model's extraction; a person removes it once the golden "
        "is corrected. A draft is refused by `goldens check` and by scoring.",
    )

    def as_article(self) -> Article:
        """This golden as a plain Article (its golden-only fields dropped): a perfect prediction."""
        golden_only = {"draft": True, "contacts": {"__all__": {"optional"}}}
        return Article.model_validate(self.model_dump(exclude=golden_only))
