"""What the bot knows at one moment: the curated knowledge and the ingested articles."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from knowledge.articles import Article
from knowledge.loading import content_hash
from knowledge.schema import KnowledgeFile, LocalizedText, Source
from knowledge.text import script_of_characters

ARTICLE_OUTLET = LocalizedText(zh="管理員上傳的文章", en="Article uploaded by an admin")


@dataclass(frozen=True)
class KnowledgeState:
    """The curated knowledge file content plus the articles ingested on top of it."""

    knowledge: KnowledgeFile
    articles: tuple[Article, ...] = ()

    @property
    def version(self) -> str:
        """A short content hash: the same state always has the same version."""
        base = content_hash(self.knowledge)
        if not self.articles:
            return base
        joined = base + "".join(sorted(article.content_hash for article in self.articles))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    def article(self, source_id: str) -> Article | None:
        """The ingested article with this source id, or None."""
        return next((a for a in self.articles if a.id == source_id), None)


def article_source(article: Article) -> Source:
    """The source record of an ingested article (its paragraphs are its line numbers)."""
    language = "en"
    if article.chinese:
        language = script_of_characters(article.text) or "zh-Hant"
    return Source(id=article.id, title=LocalizedText(zh=article.title, en=article.title),
                  outlet=ARTICLE_OUTLET, language=language,
                  date=(article.added_at or datetime.now(UTC).isoformat())[:10],
                  paragraphs=len(article.paragraphs))
