"""Golden annotations: an Article whose contacts may carry the golden-only ``optional`` flag."""

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

    def as_article(self) -> Article:
        """This golden as a plain Article (its golden-only ``optional`` flags dropped): a perfect prediction."""
        return Article.model_validate(self.model_dump(exclude={"contacts": {"__all__": {"optional"}}}))
