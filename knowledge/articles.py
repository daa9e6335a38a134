"""Articles uploaded by admins: decoding, splitting into paragraphs, and checks.

An article is plain text or Markdown. Its first line is its title and, as in the
built-in article, paragraph numbers are the numbers of its non-empty lines (a
paragraph spread over several lines, Markdown style, counts as one).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from knowledge.errors import CodedError
from knowledge.schema import LocalizedText
from knowledge.screening import Flag, screen_paragraph
from knowledge.text import HAN_CHARACTER, has_han, to_simplified

MAX_UPLOAD_BYTES = 1_000_000
# Far above any news article (tens of paragraphs); keeps a refresh, which holds the write
# lock while it rebuilds the index, to a couple of seconds.
MAX_PARAGRAPHS = 2_000
# A passage longer than this is hard to cite and breaks messages (an inline answer is at
# most 4,096 characters): long paragraphs are served in pieces.
MAX_PASSAGE_CHARACTERS = 800
# Tried in this order for text that is not UTF-8; the same reading keeps the first name.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp950", "big5hkscs")
MIN_SCORE = 0.6
MIN_MARGIN = 0.15
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_SENTENCE_END = "。！？!?.…」』\"'）)：:"
# A line this long that does not end a sentence was wrapped by an editor.
_WRAP_WIDTH = 40
_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s?|\d+[.)]\s+)")


ArticleCode = Literal["too_large", "empty", "binary", "undecodable", "no_paragraphs",
                      "too_many_paragraphs"]


class ArticleError(CodedError):
    """The upload is not a usable article; ``code`` says why (for the caller to explain)."""

    code: ArticleCode

    def __init__(self, code: ArticleCode, detail: str = ""):
        super().__init__(code, detail)


@dataclass(frozen=True)
class Article:
    """A decoded article: id (from its content hash), title, paragraphs, language."""

    id: str
    content_hash: str
    title: str
    paragraphs: tuple[str, ...]
    chinese: bool
    encoding: str
    added_at: str = ""
    added_by: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def flagged(self) -> dict[int, Flag]:
        """The paragraphs (by number) that are not served, and why: they read like
        instructions to an AI, or carry links."""
        return {number: flag for number, paragraph in enumerate(self.paragraphs, start=1)
                if (flag := screen_paragraph(paragraph)) is not None}


def check_size(data: bytes) -> None:
    """Refuse empty uploads and uploads over the size limit."""
    if not data.strip():
        raise ArticleError("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ArticleError("too_large", f"{len(data)} bytes (limit {MAX_UPLOAD_BYTES})")


def looks_binary(data: bytes) -> bool:
    """Tell whether bytes are not text: NUL bytes, or many control characters."""
    if b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return control > len(sample) * 0.01


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode an upload as UTF-8, else as the Chinese encoding that reads most like Chinese;
    return the text and the encoding.

    GB18030 accepts almost any bytes, Big5 ones included, so every legacy encoding that
    decodes is scored by how natural its text is (see ``chinese_score``) and the best one
    wins, but only when it is clearly right: a text that reads like nothing, or two
    different readings scoring alike, is refused rather than stored as mojibake.
    """
    check_size(data)
    if looks_binary(data):
        raise ArticleError("binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings: dict[str, tuple[float, str]] = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.setdefault(text, (chinese_score(text), encoding))
    ranked = sorted(readings.items(), key=lambda item: item[1][0], reverse=True)
    if not ranked or ranked[0][1][0] < MIN_SCORE or (
            len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < MIN_MARGIN):
        raise ArticleError("undecodable", "not clearly UTF-8, GB18030 or Big5")
    text, (_, encoding) = ranked[0]
    return text, encoding


def _is_common(character: str) -> bool:
    """Tell whether a Simplified character is among GB2312's 3,755 most frequent (level 1)."""
    try:
        encoded = character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def chinese_score(text: str) -> float:
    """How much a text reads like Chinese: the share of its Han characters that are common
    ones (once in Simplified script), private-use characters counting as uncommon.

    Real text in either script scores about 0.9 or more; bytes read in the wrong encoding
    give rare characters and private-use ones, and score far lower.
    """
    han = HAN_CHARACTER.findall(text)
    private = len(_PRIVATE_USE.findall(text))
    if not han:
        return 0.0
    simplified = to_simplified("".join(han))
    return sum(map(_is_common, simplified)) / (len(han) + private)


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text, Markdown markers dropped.

    Each non-empty line is a paragraph, except that a long line which does not end
    a sentence continues on the next line of its block (text wrapped by an editor).
    """
    paragraphs: list[str] = []
    joining = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MARKDOWN_PREFIX.sub("", raw).strip()
        if not line:
            joining = False
            continue
        if joining:
            separator = "" if HAN_CHARACTER.match(line) else " "
            paragraphs[-1] += separator + line
        else:
            paragraphs.append(line)
        joining = len(raw.strip()) >= _WRAP_WIDTH and not raw.rstrip().endswith(
            tuple(_SENTENCE_END)) and not raw.lstrip().startswith("#")
    return paragraphs


def parse_article(data: bytes) -> Article:
    """Decode and split an uploaded article; raise ArticleError when it is not usable."""
    text, encoding = decode_text(data)
    paragraphs = split_paragraphs(text)
    if len(paragraphs) < 2:
        # A title alone is not an article: nothing to answer questions from.
        raise ArticleError("no_paragraphs")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise ArticleError("too_many_paragraphs", f"{len(paragraphs)} (limit {MAX_PARAGRAPHS})")
    content_hash = hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()
    return Article(id=f"article-{content_hash[:10]}", content_hash=content_hash,
                   title=paragraphs[0][:200], paragraphs=tuple(paragraphs),
                   chinese=has_han(" ".join(paragraphs[:20])), encoding=encoding)


@dataclass(frozen=True)
class Passage:
    """A paragraph of an ingested article, indexed like a fact (one language only)."""

    id: str
    source: str
    paragraphs: list[int]
    zh: str
    en: str
    entities: tuple[str, ...] = ()
    period: str | None = None
    keywords: tuple[str, ...] = ()
    question: LocalizedText | None = None  # passages have no curated question


def article_passages(articles: Iterable[Article]) -> list[Passage]:
    """Every paragraph of the articles that may be served, as passages to index.

    A long paragraph becomes several passages (at sentence ends, each at most
    MAX_PASSAGE_CHARACTERS), all cited as that paragraph.
    """
    passages = []
    for article in articles:
        flagged = article.flagged
        for number, text in enumerate(article.paragraphs, start=1):
            if number in flagged:
                continue
            for piece, part in enumerate(split_long(text, MAX_PASSAGE_CHARACTERS), start=1):
                suffix = "" if piece == 1 else f"-{piece}"
                passages.append(Passage(
                    id=f"{article.id}-p{number}{suffix}", source=article.id,
                    paragraphs=[number], zh=part if article.chinese else "",
                    en="" if article.chinese else part))
    return passages


# A sentence with the spaces after it; "6.6" is not a sentence end, ". " is.
_SENTENCE = re.compile(r".+?(?:[。！？；]+|[.!?;]+(?=\s)|$)\s*", re.DOTALL)


def split_long(text: str, limit: int) -> list[str]:
    """A text cut into pieces of at most ``limit`` characters, at sentence ends when it can."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        if current and len(current) + len(sentence) > limit:
            pieces.append(current.strip())
            current = ""
        while len(sentence) > limit:  # one sentence longer than the limit
            pieces.append(sentence[:limit].strip())
            sentence = sentence[limit:]
        current += sentence
    if current.strip():
        pieces.append(current.strip())
    return pieces
