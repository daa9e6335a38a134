"""The buttons under an answer: suggested questions, its sources, and 👍 / 👎.

Buttons carry the answer's short key and a number, never text: Telegram allows
64 bytes of callback data, and a question or a fact id could be longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import Answer
from handlers import texts

CALLBACK_DATA_LIMIT = 64
# Telegram shows about this much of a button's label on a phone; the rest is cut anyway.
LABEL_CHARACTERS = 64
TapKind = Literal["ask", "src", "vote"]
_TAP = re.compile(r"(ask):([A-Za-z0-9_-]{1,32}):(\d)|(src):([A-Za-z0-9_-]{1,32})|"
                  r"(vote):([A-Za-z0-9_-]{1,32}):([01])")
ASK_PATTERN = r"^ask:"
SOURCES_PATTERN = r"^src:"
VOTE_PATTERN = r"^vote:"


@dataclass(frozen=True)
class Tap:
    """What a button asks for: which answer, and which suggestion (or vote: 1 up, 0 down)."""

    kind: TapKind
    key: str
    number: int = 0


def parse_tap(data: str | None) -> Tap | None:
    """The tap a button's callback data stands for, or None when it is not one of ours."""
    match = _TAP.fullmatch(data or "")
    if match is None:
        return None
    kind, key, *number = [group for group in match.groups() if group is not None]
    return Tap(cast(TapKind, kind), key, int(number[0]) if number else 0)


def callback_data(tap: Tap) -> str:
    """A tap as callback data (checked against Telegram's 64-byte limit)."""
    data = f"{tap.kind}:{tap.key}" + (f":{tap.number}" if tap.kind != "src" else "")
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
    return data


def label(text: str) -> str:
    """A button label: one line, cut to what a phone shows."""
    line = " ".join(text.split())
    return line if len(line) <= LABEL_CHARACTERS else line[:LABEL_CHARACTERS - 1] + "…"


def answer_keyboard(answer: Answer) -> InlineKeyboardMarkup | None:
    """The buttons for an answer kept under a key: a row per suggested question, then
    sources and votes for an answer that cites facts (None when there is nothing to show)."""
    if answer.key is None:
        return None
    rows = [[InlineKeyboardButton(label(question),
                                  callback_data=callback_data(Tap("ask", answer.key, index)))]
            for index, question in enumerate(answer.suggestions)]
    if answer.answered and answer.citations:
        rows.append([
            InlineKeyboardButton(texts.SOURCES_BUTTON[answer.language],
                                 callback_data=callback_data(Tap("src", answer.key))),
            InlineKeyboardButton("👍", callback_data=callback_data(Tap("vote", answer.key, 1))),
            InlineKeyboardButton("👎", callback_data=callback_data(Tap("vote", answer.key, 0))),
        ])
    return InlineKeyboardMarkup(rows) if rows else None
