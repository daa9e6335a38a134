"""Finding known terms in text: entity names and synonyms, in any script.

Entities (輝達 / 英偉達 / NVIDIA) and synonym groups (創辦 / 成立 / founded /
started) each stand for one *tag* token. Facts are indexed with the tags their
text mentions and questions are searched with theirs, so a question reaches a
fact whatever spelling, script or wording either uses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from knowledge.schema import Entity, SynonymGroup
from knowledge.text import has_han, normalize, split_terms, word_token

T = TypeVar("T")


def entity_token(entity_id: str) -> str:
    """The index token standing for an entity (letters and digits only: FTS keeps it whole)."""
    return "ent" + re.sub(r"[^a-z0-9]", "", entity_id.lower())


def synonym_token(group_id: str) -> str:
    """The index token that stands for a synonym group."""
    return "syn" + re.sub(r"[^a-z0-9]", "", group_id.lower())


@dataclass(frozen=True)
class Mention:
    """A term found in a normalised text: its tag token, and where."""

    token: str
    start: int
    end: int
    entity_id: str | None = None


def _alternation(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        # Latin names must stand as whole words ("1x" not inside "11x"), plural or
        # possessive allowed ("H100s", "TSMC's").
        head = r"(?<![a-z0-9])" if re.match(r"[a-z0-9]", term) else ""
        tail = r"(?:'?s)?(?![a-z0-9])" if re.search(r"[a-z0-9]$", term) else ""
        parts.append(f"{head}{re.escape(term)}{tail}")
    return re.compile("|".join(parts)) if parts else None


def _lookup(table: Mapping[str, T], matched: str) -> T:
    """The id a matched term stands for, the plural or possessive ending taken off if needed."""
    for candidate in (matched, matched.removesuffix("'s"), matched.removesuffix("s")):
        if candidate in table:
            return table[candidate]
    raise KeyError(matched)


def _stems(term: str) -> tuple[str, ...]:
    return tuple(token for word in split_terms(term) if (token := word_token(word.text)))


def _shares_a_pair(alias: str, entity: Entity) -> bool:
    """Whether an alias has two characters in a row (or a word) in common with one of the
    entity's names: 台积 with 台积电, "Open AI" with OpenAI, 老黄家 not with 英伟达."""
    def pairs(text: str) -> set[str]:
        compact = re.sub(r"[\s·.-]", "", text)
        return {compact[i:i + 2] for i in range(len(compact) - 1)}
    names = set().union(*(pairs(normalize(name)) for name in entity.names.values()))
    return bool(pairs(alias) & names)


def _pointing_forms(phrase: str) -> tuple[str, ...]:
    """A description and the ways a chat points at the same thing: "the pin" is also
    "that pin" and "this pin"."""
    if not phrase.startswith("the "):
        return (phrase,)
    rest = phrase[4:]
    return (phrase, f"that {rest}", f"this {rest}")


class TermMatcher:
    """Finds entity names and synonyms in normalised text (see knowledge.text.normalize).

    Names are matched as written (whole words for Latin text); Latin synonyms are
    matched on stems, so "started" finds the group that lists "start".
    """

    def __init__(self, entities: Iterable[Entity], synonyms: Iterable[SynonymGroup] = ()):
        self._names: dict[str, str] = {}
        for entity in entities:
            for name in (*entity.names.values(), *entity.aliases):
                if alias := normalize(name).strip():
                    self._names.setdefault(alias, entity.id)
        self._name_pattern = _alternation(self._names)
        chinese: dict[str, str] = {}
        self._latin: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for group in synonyms:
            for term in group.terms:
                text = normalize(term).strip()
                if has_han(text):
                    chinese.setdefault(text, group.id)
                elif stems := _stems(text):
                    self._latin[stems[0]].append((stems, group.id))
        self._chinese = chinese
        self._chinese_pattern = _alternation(chinese)
        self._known_for: dict[str, set[str]] = defaultdict(set)
        for entity in entities:
            for phrase in entity.known_for:
                for form in _pointing_forms(normalize(phrase).strip()):
                    self._known_for[form].add(entity.id)
        self._known_for_pattern = _alternation(self._known_for)
        # Nicknames (护国神山 for TSMC, OAI for OpenAI) that share nothing with a name: a
        # sentence embedding cannot know them, so the semantic search reads the name.
        self._nicknames: dict[str, str] = {}
        for entity in entities:
            first = next(iter(entity.names.values()))
            for alias in map(str.strip, map(normalize, entity.aliases)):
                if alias and not _shares_a_pair(alias, entity):
                    # A Latin nickname by the English name, a Chinese one by the Chinese.
                    name = entity.names.get("en" if alias.isascii() else "zh-Hans") or first
                    self._nicknames.setdefault(alias, normalize(name))
        self._nickname_pattern = _alternation(self._nicknames)

    def find(self, normalized: str) -> list[Mention]:
        """Every entity and synonym mention in already-normalised text."""
        mentions = []
        if self._name_pattern is not None:
            for match in self._name_pattern.finditer(normalized):
                entity_id = _lookup(self._names, match.group(0))
                mentions.append(Mention(entity_token(entity_id), match.start(), match.end(),
                                        entity_id=entity_id))
        if self._chinese_pattern is not None:
            mentions += [Mention(synonym_token(_lookup(self._chinese, m.group(0))), m.start(),
                                 m.end()) for m in self._chinese_pattern.finditer(normalized)]
        mentions += self._latin_synonyms(normalized)
        return mentions

    def spell_out(self, normalized: str) -> str:
        """Normalised text with each nickname of an entity replaced by its name."""
        if self._nickname_pattern is None:
            return normalized
        return self._nickname_pattern.sub(
            lambda match: _lookup(self._nicknames, match.group(0)), normalized)

    def described(self, normalized: str) -> dict[str, list[str]]:
        """The entities a text describes without naming (by what they are known for), with
        the phrases of theirs it uses: 挪威的人形机器人公司 → {1X: [挪威, 人形机器人],
        Figure AI: [人形机器人]}."""
        if self._known_for_pattern is None:
            return {}
        phrases: dict[str, list[str]] = defaultdict(list)
        matches = self._known_for_pattern.finditer(normalized)
        for phrase in dict.fromkeys(match.group(0) for match in matches):
            for entity_id in _lookup(self._known_for, phrase):
                phrases[entity_id].append(phrase)
        return dict(phrases)

    def _latin_synonyms(self, normalized: str) -> list[Mention]:
        words = [(token, term.start, term.end) for term in split_terms(normalized)
                 if not term.chinese and (token := word_token(term.text))]
        found = []
        for index, (token, start, _) in enumerate(words):
            for stems, group_id in self._latin.get(token, ()):
                window = words[index:index + len(stems)]
                if tuple(word[0] for word in window) == stems:
                    found.append(Mention(synonym_token(group_id), start, window[-1][2]))
        return found

    def tags(self, texts: Iterable[str]) -> list[str]:
        """The tag tokens of every term the texts mention, each once."""
        return list(dict.fromkeys(mention.token for text in texts
                                  for mention in self.find(normalize(text))))

