"""Reading and checking knowledge files, reporting every problem with its place.

``check_knowledge_text`` never raises for bad content: it returns the problems
(file, line, fact id, field, code, detail) so a caller can show them all at once.
``load_knowledge_file`` returns a valid :class:`KnowledgeFile` or raises
:class:`KnowledgeFileError` carrying those problems.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.schema import KnowledgeFile
from knowledge.text import has_han

Location = tuple[str | int, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML was built with it (several times faster), refusing
    a key given twice in one mapping, which YAML would let the last one win silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_LOADER = _Loader
# Characters a statement must not hold: controls (NUL cuts a text short in OpenCC) and the
# direction overrides that make text read other than it is stored.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
MAX_PROBLEMS = 100
# What one knowledge file may hold, checked before anything is built. A news article gives
# tens of facts; these leave room for a hundred articles and keep a refresh to seconds.
MAX_NODES = 200_000
MAX_DEPTH = 40
MAX_FACTS = 2_000
MAX_TEXT_CHARACTERS = 2_000_000
MAX_INDEX_TOKENS = 4_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge file, and where it is."""

    file: str
    code: str
    detail: str
    line: int | None = None
    fact_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.fact_id:
            parts.append(f"fact {self.fact_id}")
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, f"{self.detail} [{self.code}]"])


@dataclass
class KnowledgeFileError(Exception):
    """The knowledge file could not be used; ``problems`` says why."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def _line_map(root: yaml.Node) -> dict[Location, int]:
    """Map every path in a composed YAML document to its 1-based line number.

    Each node is visited once, so a node reached twice (an alias, were one let through)
    never multiplies the work.
    """
    lines: dict[Location, int] = {}
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, Location]] = [(root, ())]
    while pending:
        node, path = pending.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                # Point at the key: a problem with a block value is reported where it starts.
                lines[(*path, key.value)] = key.start_mark.line + 1
                pending.append((value, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, (*path, index)) for index, item in enumerate(node.value))
    return lines


class _Document:
    """A parsed file with what is needed to place problems in it."""

    def __init__(self, name: str, data: Any, text: str):
        self.name = name
        self.data = data
        self.text = text

    @functools.cached_property
    def lines(self) -> dict[Location, int]:
        """Line numbers of every path: composed only when a problem needs placing."""
        node = yaml.compose(self.text, Loader=_LOADER)
        return _line_map(node) if node is not None else {}

    def line(self, location: Location) -> int | None:
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get(())

    def fact_id(self, location: Location) -> str | None:
        if len(location) >= 2 and location[0] == "facts" and isinstance(location[1], int):
            facts = self.data.get("facts") if isinstance(self.data, dict) else None
            if isinstance(facts, list) and location[1] < len(facts):
                item = facts[location[1]]
                if isinstance(item, dict) and item.get("id") is not None:
                    return str(item["id"])
            return f"#{location[1] + 1}"
        return None

    def problem(self, location: Location, code: str, detail: str) -> Problem:
        in_fact = len(location) >= 2 and location[0] == "facts"
        field_path = location[2:] if in_fact else location
        return Problem(
            file=self.name, code=code, detail=detail, line=self.line(location),
            fact_id=self.fact_id(location),
            field=".".join(str(part) for part in field_path) or None,
        )


def _shape_problem(text: str, name: str) -> Problem | None:
    """A problem with the file's shape, found from its parse events before anything is built:
    anchors or aliases (``&x``/``*x``, which can make a tiny file expand without end), or
    too many nodes or levels of nesting."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Problem(file=name, code="yaml_alias", line=line, detail=(
                    "anchors and aliases (&name, *name) are not allowed: write each value out"))
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if nodes > MAX_NODES or depth > MAX_DEPTH:
                return Problem(file=name, code="too_large", line=line, detail=(
                    f"the file is too large or too deeply nested (limits: {MAX_NODES} values, "
                    f"{MAX_DEPTH} levels)"))
    except yaml.YAMLError:
        return None  # a syntax error: reported with its place by the parse itself
    return None


def _parse(text: str, name: str) -> _Document | Problem:
    if (problem := _shape_problem(text, name)) is not None:
        return problem
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = str(getattr(error, "problem", None) or error).strip()
        return Problem(file=name, code="syntax", detail=detail, line=line)
    except (ValueError, OverflowError) as error:
        # A value YAML reads as a date or a number that cannot be one (2024-13-45, an
        # integer of 5,000 digits): refused like any other bad value, never a crash.
        return Problem(file=name, code="bad_value", detail=f"a value cannot be read: {error}")
    if not isinstance(data, dict):
        return Problem(file=name, code="not_a_mapping",
                       detail="the file must hold a mapping with sources and facts", line=1)
    facts = data.get("facts")
    if isinstance(facts, list) and len(facts) > MAX_FACTS:
        return Problem(file=name, code="too_many_facts",
                       detail=f"{len(facts)} facts (limit {MAX_FACTS})")
    return _Document(name, data, text)


def _character_problems(document: _Document) -> list[Problem]:
    """Every text holding a control or direction-override character, with its place."""
    problems: list[Problem] = []
    pending: list[tuple[Any, Location]] = [(document.data, ())]
    while pending and len(problems) < MAX_PROBLEMS:
        value, location = pending.pop()
        if isinstance(value, dict):
            pending += [(item, (*location, key)) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [(item, (*location, index)) for index, item in enumerate(value)]
        elif isinstance(value, str) and (found := _FORBIDDEN.search(value)):
            problems.append(document.problem(location, "bad_character", (
                f"holds the invisible character U+{ord(found.group()):04X}: remove it")))
    return problems


def _schema_problems(document: _Document, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False)[:MAX_PROBLEMS]:
        location = tuple(item["loc"])
        detail = item["msg"]
        if item["type"] == "string_too_short":
            detail = "must not be empty"
        problems.append(document.problem(location, item["type"], detail))
    return problems


def _items(data: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    """The mapping items of a top-level list, with their positions (other items are skipped)."""
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _duplicates(document: _Document, section: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, item in _items(document.data, section):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            problems.append(document.problem((section, index, "id"), "duplicate_id",
                                             f"id {item_id!r} is used more than once"))
        seen.add(item_id)
    return problems


def _fact_reference_problems(document: _Document, index: int, fact: dict[str, Any],
                             sources: dict[str, int], entities: set[str]) -> list[Problem]:
    problems = []
    source_id, paragraphs = fact.get("source"), fact.get("paragraphs")
    if isinstance(source_id, str) and source_id not in sources:
        problems.append(document.problem(("facts", index, "source"), "unknown_source",
                                         f"no source has the id {source_id!r}"))
    limit = sources.get(source_id) if isinstance(source_id, str) else None
    for position, number in enumerate(paragraphs if isinstance(paragraphs, list) else []):
        if isinstance(number, int) and limit is not None and not 1 <= number <= limit:
            problems.append(document.problem(
                ("facts", index, "paragraphs", position), "paragraph_out_of_range",
                f"paragraph {number} is outside {source_id} (1-{limit})"))
    mentioned = fact.get("entities")
    for position, entity_id in enumerate(mentioned if isinstance(mentioned, list) else []):
        if isinstance(entity_id, str) and entity_id not in entities:
            problems.append(document.problem(("facts", index, "entities", position),
                                             "unknown_entity",
                                             f"no entity has the id {entity_id!r}"))
    zh, en = fact.get("zh"), fact.get("en")
    if isinstance(zh, str) and zh.strip() and not has_han(zh):
        problems.append(document.problem(("facts", index, "zh"), "not_chinese",
                                         "the zh statement holds no Chinese text"))
    if isinstance(en, str) and has_han(en):
        # English readers get this text as it is: Chinese characters would be unreadable.
        problems.append(document.problem(("facts", index, "en"), "not_english",
                                         "the en statement holds Chinese characters"))
    return problems


def _reference_problems(document: _Document) -> list[Problem]:
    """Problems between items: duplicate ids, unknown references, paragraphs out of range."""
    problems = [p for section in ("sources", "entities", "synonyms", "facts")
                for p in _duplicates(document, section)]
    sources = {item["id"]: item["paragraphs"] for _, item in _items(document.data, "sources")
               if isinstance(item.get("id"), str) and isinstance(item.get("paragraphs"), int)}
    entities = {item["id"] for _, item in _items(document.data, "entities")
                if isinstance(item.get("id"), str)}
    for index, fact in _items(document.data, "facts"):
        problems += _fact_reference_problems(document, index, fact, sources, entities)
    return problems


def cost_problems(knowledge: KnowledgeFile, *, name: str) -> list[Problem]:
    """What makes a valid knowledge file too costly to serve: too many facts, too much text,
    or an index too large (estimated before it is built)."""
    facts = knowledge.facts
    texts = [text for fact in facts for text in (fact.zh, fact.en, *fact.keywords)]
    characters = sum(len(text) for text in texts)
    # Every Chinese character starts a bigram and every English word is a token.
    tokens = sum(len(text.split()) + sum(1 for c in text if has_han(c)) for text in texts)
    for over, code, detail in (
            (len(facts) > MAX_FACTS, "too_many_facts",
             f"{len(facts)} facts (limit {MAX_FACTS})"),
            (characters > MAX_TEXT_CHARACTERS, "too_much_text",
             f"{characters} characters of statements and keywords (limit {MAX_TEXT_CHARACTERS})"),
            (tokens > MAX_INDEX_TOKENS, "index_too_large",
             f"about {tokens} search terms to index (limit {MAX_INDEX_TOKENS})")):
        if over:
            return [Problem(file=name, code=code, detail=detail)]
    return []


def check_knowledge_text(text: str, *, name: str) -> tuple[KnowledgeFile | None, list[Problem]]:
    """Parse and check a knowledge file's text; return the model (when valid) and all problems."""
    parsed = _parse(text, name)
    if isinstance(parsed, Problem):
        return None, [parsed]
    knowledge: KnowledgeFile | None = None
    try:
        knowledge = KnowledgeFile.model_validate(parsed.data)
        problems = cost_problems(knowledge, name=name)
    except ValidationError as error:
        problems = _schema_problems(parsed, error)
    problems += _reference_problems(parsed) + _character_problems(parsed)
    problems.sort(key=lambda problem: problem.line or 0)
    return (None if problems else knowledge), problems


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file (a byte-order mark is tolerated)."""
    return path.read_text(encoding="utf-8-sig")


def load_knowledge_file(path: Path) -> KnowledgeFile:
    """Load a knowledge file, raising KnowledgeFileError with every problem when it is invalid."""
    try:
        text = read_text_file(path)
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem(file=str(path), code="unreadable", detail=str(error))
        raise KnowledgeFileError([problem]) from error
    knowledge, problems = check_knowledge_text(text, name=str(path))
    if knowledge is None:
        raise KnowledgeFileError(problems)
    return knowledge


def content_hash(knowledge: KnowledgeFile) -> str:
    """A short hash of the knowledge content; formatting and comments do not change it."""
    canonical = json.dumps(knowledge.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
