"""What the store reads back: a fact as stored, the counts of what is served, and times."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class FactRecord:
    """A fact as stored: both texts, where it comes from, and what it mentions."""

    id: str
    source: str
    paragraphs: tuple[int, ...]
    zh: str
    en: str
    entities: tuple[str, ...]
    period: str | None
    question_zh: str | None = None
    question_en: str | None = None


@dataclass(frozen=True)
class KnowledgeStats:
    """Counts describing the knowledge currently served."""

    facts: int
    entities: int
    sources: int
    cited_paragraphs: list[int]
    version: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "facts": self.facts, "entities": self.entities, "sources": self.sources,
            "cited_paragraphs": self.cited_paragraphs, "version": self.version,
        }


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, as stored in the database."""
    return datetime.now(UTC).isoformat(timespec="seconds")


FACT_COLUMNS = "pk, id, source, paragraphs, zh, en, entities, period, question"


def fact_record(row: dict[str, Any]) -> FactRecord:
    """A FactRecord from a row selected with FACT_COLUMNS."""
    asked = json.loads(row["question"]) if row["question"] else {}
    return FactRecord(
        id=row["id"], source=row["source"], paragraphs=tuple(json.loads(row["paragraphs"])),
        zh=row["zh"], en=row["en"], entities=tuple(json.loads(row["entities"])),
        period=row["period"], question_zh=asked.get("zh"), question_en=asked.get("en"),
    )
