"""The shape of a knowledge file: sources, entities and facts.

A knowledge file is YAML (JSON is accepted too, being close to a subset of it).
Unknown fields are refused everywhere, so a typo in a field name is reported
instead of silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80,
                      pattern=r"^[a-z0-9][a-z0-9._-]*$"),
]
Statement = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Period = Annotated[str, StringConstraints(strip_whitespace=True,
                                          pattern=r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")]

Script = Literal["zh-Hant", "zh-Hans", "en"]
SCRIPTS: tuple[Script, ...] = ("zh-Hant", "zh-Hans", "en")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(StrictModel):
    """The same short text in Traditional Chinese and English (Simplified is derived)."""

    zh: ShortText
    en: ShortText


class Source(StrictModel):
    """An article the facts are drawn from; paragraph numbers are its line numbers."""

    id: Identifier
    title: LocalizedText
    outlet: LocalizedText
    reporter: LocalizedText | None = None
    place: LocalizedText | None = None
    date: Period
    date_note: LocalizedText | None = Field(
        default=None, description="How precise the date is, e.g. 'late October 2024'.")
    language: Script
    paragraphs: int = Field(ge=1, le=100_000)
    url: str | None = None


EntityKind = Literal["company", "person", "product", "organisation", "place", "fund", "event"]


class Entity(StrictModel):
    """Something facts talk about, with its names in each script and common aliases."""

    id: Identifier
    kind: EntityKind
    names: dict[Script, ShortText]
    aliases: list[ShortText] = Field(default_factory=list)
    description: LocalizedText | None = None
    known_for: list[ShortText] = Field(
        default_factory=list,
        description="What identifies it without its name (挪威, 人形機器人, wearable pin): a "
                    "question about 'the Norwegian robot company' is about it.")


class SynonymGroup(StrictModel):
    """Words that mean the same thing to a question, in any language or script."""

    id: Identifier
    terms: list[ShortText] = Field(min_length=2)


class Fact(StrictModel):
    """One statement from a source, in the project's own words, with where it comes from."""

    id: Identifier
    source: Identifier
    paragraphs: list[Annotated[int, Field(ge=1)]] = Field(min_length=1)
    zh: Statement = Field(description="The statement in Traditional Chinese.")
    en: Statement = Field(description="The statement in English.")
    entities: list[Identifier] = Field(default_factory=list)
    period: Period | None = Field(
        default=None, description="The date or period the statement refers to.")
    keywords: list[ShortText] = Field(
        default_factory=list,
        description="Extra search terms a user might type that the statements do not contain.")
    question: LocalizedText | None = Field(
        default=None,
        description="A short question this fact answers, offered to users as a suggestion.")


class KnowledgeFile(StrictModel):
    """A whole knowledge file."""

    schema_version: Literal[1] = 1
    sources: list[Source] = Field(min_length=1)
    entities: list[Entity] = Field(default_factory=list)
    synonyms: list[SynonymGroup] = Field(default_factory=list)
    facts: list[Fact] = Field(min_length=1)
