"""Articles uploaded by admins: decoding, splitting into paragraphs, and checks.

An article is plain text or Markdown. Its first line is its title and, as in the
built-in article, paragraph numbers are the numbers of its non-empty lines (a
paragraph spread over several lines, Markdown style, counts as one).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.schema import has_chinese

MAX_UPLOAD_BYTES = 1_000_000
ENCODINGS = ("utf-8-sig", "gb18030", "big5")
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
    """Decode an upload as UTF-8, else GB18030, else Big5; return the text and the encoding."""
    check_size(data)
    if looks_binary(data):
        raise ArticleError("binary")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding.replace("-sig", "")
        except UnicodeDecodeError:
            continue
    raise ArticleError("undecodable", "not UTF-8, GB18030 or Big5")


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: its non-empty lines, or its blank-line blocks when a
    paragraph runs over several lines; Markdown markers are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    wrapped = any(len([line for line in block.split("\n") if line.strip()]) > 1 for block in blocks)
    if wrapped and len(blocks) > 1:
        candidates = [" ".join(line.strip() for line in block.split("\n")) for block in blocks]
    else:
        candidates = text.split("\n")
    paragraphs = [_MARKDOWN_PREFIX.sub("", line).strip() for line in candidates]
    return [paragraph for paragraph in paragraphs if paragraph]


def parse_article(data: bytes) -> Article:
    """Decode and split an uploaded article; raise ArticleError when it is not usable."""
    text, encoding = decode_text(data)
    paragraphs = split_paragraphs(text)
    if len(paragraphs) < 2:
        # A title alone is not an article: nothing to answer questions from.
        raise ArticleError("no_paragraphs")
    content_hash = hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()
    return Article(id=f"article-{content_hash[:10]}", content_hash=content_hash,
                   title=paragraphs[0][:200], paragraphs=tuple(paragraphs),
                   chinese=has_chinese(" ".join(paragraphs[:20])), encoding=encoding)
