"""Fuzzing: any text through retrieval, the engine and the Telegram formatter.

No exception escapes, no message goes over Telegram's limit, and no HTML is
sent that Telegram would reject (checked with the fake Bot API's parser, which
follows the documented HTML rules).
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answers import Answer, Citation
from bot.engine import Engine
from handlers.formatting import MESSAGE_LIMIT, answer_chunks, plain_chunks, utf16_length
from knowledge.retrieval import retrieve_facts
from knowledge.store import KnowledgeStore
from tests.support.fakes.telegram_html import render_text

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
HOSTILE = st.one_of(
    ANY_TEXT,
    st.sampled_from(['"', "NOT", "a:b", "AND OR", "NEAR(x y)", "*", "^", "(", "{zh}", "zh:晶片",
                     "<b>", "</i>", "<a href='x'>", "&amp;", "&", "<", "**bold**", "`code`",
                     "[link](http://x)", "\u202e\u200f", "\x00", "\ud800", "😀" * 50]),
    st.lists(st.sampled_from(["晶片", "TSMC", "<", "&", "\n", " ", "[1]", "。", "😀", "\x00",
                              "台積電", "**", "OpenAI", "\u202e"]), max_size=80).map("".join),
)
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_sendable(html: str, plain: str) -> None:
    """Telegram would accept both forms of a message (parse, non-empty, length)."""
    render_text(html, "HTML")
    render_text(plain, None)
    assert utf16_length(plain) <= MESSAGE_LIMIT


@FUZZ
@given(question=HOSTILE)
@example(question="x" * 100_000)
@example(question="台" * 100_000)
def test_fuzz_retrieval_never_raises(knowledge_store: KnowledgeStore, question: str) -> None:
    result = retrieve_facts(knowledge_store, question)
    assert all(0 <= hit.coverage <= 1 for hit in result.hits)


@FUZZ
@given(question=HOSTILE)
@example(question="\x00" * 10 + "<script>alert(1)</script>")
@example(question="晶片" * 50_000)
def test_fuzz_engine_always_answers_sendably(offline_engine: Engine, question: str) -> None:
    answer = asyncio.run(offline_engine.answer(question, "fuzz"))
    assert answer.text.strip()
    for chunk in answer_chunks(answer, {"cbj-2024-openai-hardware": "CBJ"}):
        assert_sendable(chunk.html, chunk.plain)


@FUZZ
@given(text=st.text(st.characters(codec=None, exclude_categories=()), min_size=0,
                    max_size=12_000) | HOSTILE)
@example(text="<b>" * 3000)
@example(text="&" * 5000)
@example(text="😀" * 3000)
@example(text="a" * 9000)
def test_fuzz_formatter_splits_and_escapes_anything(text: str) -> None:
    answer = Answer(text=text, answered=True, language="en", backend="openai",
                    outcome="answered",
                    citations=[Citation(1, "f", "cbj-2024-openai-hardware", (4,), "x")])
    chunks = answer_chunks(answer, {"cbj-2024-openai-hardware": "China Business Journal"})
    assert chunks and chunks[-1].plain.endswith("¶4")
    for chunk in [*chunks, *plain_chunks(text)]:
        assert_sendable(chunk.html, chunk.plain)
