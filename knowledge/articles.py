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

from knowledge.text import HAN_CHARACTER, has_han

MAX_UPLOAD_BYTES = 1_000_000
# Far above any news article (tens of paragraphs); keeps a refresh, which holds the write
# lock while it rebuilds the index, to a couple of seconds.
MAX_PARAGRAPHS = 2_000
_CHINESE_PUNCTUATION = "，。、「」；：？！（）《》"
_SENTENCE_END = "。！？!?.…」』\"'）)：:"
# A line this long that does not end a sentence was wrapped by an editor.
_WRAP_WIDTH = 40
_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|>\s?|\d+[.)]\s+)")


class ArticleError(Exception):
    """The upload is not a usable article; ``code`` says why (for the caller to explain)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


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
    """Decode an upload as UTF-8, else GB18030 or Big5; return the text and the encoding.

    GB18030 accepts almost any bytes, Big5 ones included, so when both decode the
    one whose text has more Chinese punctuation (，。「」) is the right one.
    """
    check_size(data)
    if looks_binary(data):
        raise ArticleError("binary")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = []
    for encoding in ("gb18030", "big5"):
        try:
            decoded.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise ArticleError("undecodable", "not UTF-8, GB18030 or Big5")
    return max(decoded, key=lambda item: sum(item[0].count(mark) for mark in _CHINESE_PUNCTUATION))


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


def article_passages(articles: Iterable[Article]) -> list[Passage]:
    """Every paragraph of the articles, as passages to index."""
    return [
        Passage(id=f"{article.id}-p{number}", source=article.id, paragraphs=[number],
                zh=text if article.chinese else "", en="" if article.chinese else text)
        for article in articles for number, text in enumerate(article.paragraphs, start=1)
    ]
