"""Tolerating typos: "fundng", "Humain", "Kellar", and Chinese homophones (估直, 杜禹, 李開複).

A Latin-script word of the question that no fact uses is looked up among the words
the knowledge does use, allowing one edit (two for long words and for names): a
letter added, dropped, changed or two swapped. The index is the classic deletion
neighbourhood (every word with one letter removed), so a lookup is a few dictionary
probes, not a scan.

Chinese typists choose the wrong character of the right sound: a pair of characters
the knowledge never uses, which sounds like one it does use and shares a character
with it, is read as that pair (pinyin without tones, from ``pypinyin``).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import product

from pypinyin import Style, pinyin

from knowledge.text import CHINESE_STOP_CHARACTERS, normalize

MIN_LENGTH = 5  # shorter words are too often another name: Sora is not a typo of sort
NAME_LENGTH = 6  # from this length a name may be two edits off (Humain, Figuer)
LONG_LENGTH = 8
# Particles that sound like other characters (的 dì, 得 dé, 地 de): pairs holding one are
# neither corrected (觉得 is no mistyped 觉地) nor a correction.
# Negations and degree words as well: 不自 is no typo of 步自 (逐步自研).
# Numerals and measure words (一台, 两部, 几颗) are never a typo for a known word either.
_GRAMMATICAL = CHINESE_STOP_CHARACTERS | frozenset("得地着过不未别很太更最再才"
                                                   "一二三四五六七八九十两台部件张只颗款种次笔")
MAX_READINGS = 3  # of one character: enough for any real one, and a bound on the combinations
_WORD = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]|[a-z]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent swaps count as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@functools.lru_cache(maxsize=65536)
def _sounds(pair: str) -> frozenset[str]:
    """Every way a pair may be read, without tones: 勒 is lè in 凯勒 and lēi in 勒紧, and
    a typist choosing 凯乐 heard the first."""
    readings = pinyin(pair, style=Style.NORMAL, heteronym=True)
    return frozenset(" ".join(combination)
                     for combination in product(*(r[:MAX_READINGS] for r in readings)))


class Vocabulary:
    """The words and character pairs of the knowledge, and the nearest to a misspelt one.

    ``texts`` are normalised (lower case, Simplified); ``names`` are the Latin words of
    entity names, which may be further off.
    """

    def __init__(self, texts: Iterable[str], *, names: Iterable[str] = ()):
        texts = list(texts)
        self.words: set[str] = set()
        self.pairs: set[str] = set()
        for text in texts:
            self.words.update(_WORD.findall(text))
            for run in _HAN_RUN.findall(text):
                self.pairs.update(run[i:i + 2] for i in range(len(run) - 1))
        self.names = {word for name in names for word in _WORD.findall(name)}
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self.words | self.names:
            if len(word) >= MIN_LENGTH:
                for variant in _deletions(word) | {word}:
                    self._by_deletion[variant].add(word)
        # Pairs with a grammatical character (觉的) are no words to correct towards.
        self._by_sound: dict[str, set[str]] = defaultdict(set)
        for pair in self.pairs:
            if not set(pair) & _GRAMMATICAL:
                for sound in _sounds(pair):
                    self._by_sound[sound].add(pair)

    def correct(self, word: str) -> str:
        """The knowledge's word for ``word``: itself when known or too short, else the
        closest known word within one edit (two for long words, and for names)."""
        # Words with digits are names and figures (H100, 2024): one digit off is another one.
        known = self.words | self.names
        if word in known or len(word) < MIN_LENGTH or any(c.isdigit() for c in word):
            return word
        candidates = set().union(*(self._by_deletion.get(v, set())
                                   for v in _deletions(word) | {word}))
        scored = sorted((edit_distance(word, other), other not in self.names, other)
                        for other in candidates)
        for distance, not_a_name, other in scored:
            limit = 2 if len(word) >= LONG_LENGTH or (not not_a_name and
                                                      len(word) >= NAME_LENGTH) else 1
            if distance <= limit:
                return other
        return word

    def correct_chinese(self, run: str) -> str:
        """A run of Chinese characters with each unknown pair that sounds like a known pair
        sharing one of its characters replaced by that pair."""
        characters = list(run)

        def in_known_pair(index: int) -> bool:
            """Whether a character already forms a known pair with a neighbour (苹 and 果
            in 苹果开始 are right, whatever 果开 sounds like)."""
            return any("".join(characters[j:j + 2]) in self.pairs
                       for j in (index - 1, index) if j >= 0 and j + 2 <= len(characters))

        for i in range(len(characters) - 1):
            pair = characters[i] + characters[i + 1]
            if pair in self.pairs or set(pair) & _GRAMMATICAL:
                continue
            alike = sorted({known for sound in _sounds(pair)
                            for known in self._by_sound.get(sound, ())
                            if known[0] == pair[0] or known[1] == pair[1]})
            if len(alike) != 1:
                continue
            changed = [j for j, c in zip((i, i + 1), alike[0], strict=True) if characters[j] != c]
            if not any(in_known_pair(j) for j in changed):
                characters[i], characters[i + 1] = alike[0][0], alike[0][1]
        return "".join(characters)

    def correct_text(self, normalized: str) -> str:
        """Normalised text with its unknown words and pairs replaced by their corrections."""
        text = _WORD.sub(lambda match: self.correct(match.group(0)), normalized)
        return _HAN_RUN.sub(lambda match: self.correct_chinese(match.group(0)), text)


def knowledge_vocabulary(texts: Iterable[str], names: Iterable[str],
                         pairs: Iterable[str]) -> Vocabulary:
    """The vocabulary of the knowledge's texts (statements, keywords, synonyms) and entity
    names, normalised like the questions it corrects (a Traditional keyword, 賣身, would
    otherwise turn a Simplified word that sounds alike, 卖身, into one that nothing holds),
    with the index's Chinese pairs, which are normalised already."""
    return Vocabulary([*map(normalize, texts), " ".join(pairs)], names=map(normalize, names))
