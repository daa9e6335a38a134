"""Turning answers into Telegram messages: escaped HTML, a source footer, and splitting.

Telegram refuses messages over 4,096 characters (counted in UTF-16 code units)
and HTML that does not parse. Every chunk is built as a pair: the HTML to send
and the same text in plain form, to resend when Telegram rejects the HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.answers import Answer, Citation, clean
from bot.citations import paragraph_label
from bot.language import Script
from handlers.texts import FOOTER_HEADING

MESSAGE_LIMIT = 4096
# However long a model's reply, one question gets at most this many messages.
MAX_ANSWER_MESSAGES = 2
# Where a long text may be cut, best first: paragraphs, lines, sentences, spaces.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[。！？!?；;.])\s*"),
           re.compile(r"(?<=[，,、])\s*"), re.compile(r" +"))


@dataclass(frozen=True)
class Chunk:
    """One Telegram message: HTML text and its plain equivalent."""

    html: str
    plain: str


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int) -> bool:
    return utf16_length(html.escape(text, quote=False)) <= limit


def _pieces(text: str, limit: int, level: int = 0) -> Iterator[str]:
    """Cut text into pieces that fit once escaped, at the best boundaries available."""
    if _fits(text, limit):
        yield text
        return
    if level == len(_BREAKS):
        # No boundary left: cut by characters.
        piece = ""
        for character in text:
            if not _fits(piece + character, limit):
                yield piece
                piece = ""
            piece += character
        if piece:
            yield piece
        return
    parts = [part for part in _split_keeping(text, _BREAKS[level]) if part]
    for part in parts:
        yield from _pieces(part, limit, level + 1)


def _split_keeping(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split after each match, keeping the separator with the text before it."""
    parts, start = [], 0
    for match in pattern.finditer(text):
        if match.end() > start:
            parts.append(text[start:match.end()])
            start = match.end()
    parts.append(text[start:])
    return parts


def split_for_telegram(text: str, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split plain text into messages that fit Telegram's limit once HTML-escaped.

    Cuts fall at paragraph breaks when possible, else line breaks, sentence ends,
    commas, spaces, and only as a last resort inside a word. Characters Telegram
    cannot show (control characters, lone surrogates) are left out, as are empty
    messages; a text with nothing to show becomes one "…".
    """
    text = clean(text)
    if not text.strip():
        return ["…"]
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        if current and not _fits(current + piece, limit):
            chunks.append(current)
            current = ""
        current += piece
    if current.strip():
        chunks.append(current)
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def footer(citations: list[Citation], outlet: dict[str, str], language: Script) -> str:
    """The short source line under an answer: [1] outlet ¶4 · [2] …"""
    items = [f"[{c.number}] {outlet.get(c.source, c.source)} "
             f"{paragraph_label(c.paragraphs, language)}" for c in citations]
    separator = "；" if language != "en" else "; "
    return FOOTER_HEADING[language] + separator.join(items)


def answer_chunks(answer: Answer, outlet: dict[str, str], *,
                  limit: int = MESSAGE_LIMIT) -> list[Chunk]:
    """The messages of an answer: its text, then a source footer in italics."""
    note = footer(answer.citations, outlet, answer.language) if answer.citations else ""
    reserve = utf16_length(html.escape(note)) + 10 if note else 0
    parts = split_for_telegram(answer.text, limit=limit - reserve)
    if len(parts) > MAX_ANSWER_MESSAGES:
        parts = [*parts[:MAX_ANSWER_MESSAGES - 1], parts[MAX_ANSWER_MESSAGES - 1][:-1] + "…"]
    chunks = [Chunk(html.escape(part, quote=False), part) for part in parts]
    if note:
        last = chunks[-1]
        chunks[-1] = Chunk(f"{last.html}\n\n<i>{html.escape(note, quote=False)}</i>",
                           f"{last.plain}\n\n{note}")
    return chunks


def plain_chunks(text: str, *, limit: int = MESSAGE_LIMIT) -> list[Chunk]:
    """Messages for a text that has no markup of its own."""
    return [Chunk(html.escape(part, quote=False), part)
            for part in split_for_telegram(text, limit=limit)]


def html_to_plain(text: str) -> str:
    """The visible text of the bot's own simple HTML (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
