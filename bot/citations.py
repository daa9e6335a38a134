"""Describing where a cited fact comes from, in the reader's language."""

from __future__ import annotations

from bot.answers import Citation
from bot.language import Script, to_script
from knowledge.schema import Source


def paragraph_label(paragraphs: tuple[int, ...] | list[int], language: Script) -> str:
    """Paragraph numbers as a reader expects them: 第 4、5 段 / ¶4, ¶5."""
    numbers = [str(number) for number in paragraphs]
    if language == "en":
        return ", ".join(f"¶{number}" for number in numbers)
    return f"第 {'、'.join(numbers)} 段"


def source_title(source: Source, language: Script) -> str:
    """The outlet and title of a source: 《中國經營報》〈…〉 or China Business Journal, "…"."""
    if language == "en":
        return f"{source.outlet.en}, \u201c{source.title.en}\u201d"
    outlet = to_script(source.outlet.zh, language)
    title = to_script(source.title.zh, language)
    return f"《{outlet}》〈{title}〉"


def source_date(source: Source, language: Script) -> str:
    """When a source was published, as precisely as it is known."""
    if source.date_note is None:
        return source.date
    return source.date_note.en if language == "en" else to_script(source.date_note.zh, language)


def source_outlet(source: Source, language: Script) -> str:
    """The outlet of a source with its date: China Business Journal (late October 2024)."""
    if language == "en":
        return f"{source.outlet.en} ({source_date(source, language)})"
    return f"{to_script(source.outlet.zh, language)}（{source_date(source, language)}）"


def citation_line(citation: Citation, source: Source | None, language: Script, *,
                  with_text: bool = False) -> str:
    """One line naming a citation's source and paragraphs, optionally with the cited statement."""
    where = source_title(source, language) if source else citation.source
    line = f"[{citation.number}] {where} {paragraph_label(citation.paragraphs, language)}"
    return f"{line}\n    {citation.text}" if with_text else line
