"""Chat messages outsiders send that are not plain questions: small talk of every kind,
written Cantonese, greetings before a question, an investor describing the company asked
about, and near misses that ask a sum or a launch date the knowledge does not give.
The messages are the team's own, not those of any holdout set.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.evaluation import expectations_met, script_matches

SCRIPTS = ("zh-Hant", "zh-Hans", "en")

# Reactions, apologies, goodbyes, typos and stickers, beside greetings and thanks.
SMALL_TALK = {
    "zh-Hant": ["你是機器人嗎", "這要怎麼用", "不好意思打擾了", "下次見囉", "多謝晒！", "謝謝你ㄛ",
                "喔喔 好", "呷飽沒？", "係咩？", "你係咪AI嚟㗎？", "哈囉～好久不見"],
    "zh-Hans": ["你是机器人吗？", "你是ChatGPT吗", "不好意思", "晚安啦，睡了", "谢谢拉～", "哈哈哈",
                "[微笑][微笑]", "在马？", "你号", "嗯……", "666"],
    "en": ["gm ☀️", "helo", "thnaks", "wow", "lol", "hmm", "sorry", "are you ChatGPT?",
           "waht can u do", "good evening!", "👍"],
}


@pytest.mark.parametrize("language", SCRIPTS)
async def test_small_talk_of_every_kind_gets_a_friendly_reply(offline_engine: Engine,
                                                              language: str) -> None:
    for message in SMALL_TALK[language]:
        answer = await offline_engine.answer(message)
        assert answer.outcome == "smalltalk" and answer.citations == [], (message, answer.text)
        assert script_matches(answer.text, language), (message, answer.text)


@pytest.mark.parametrize(("message", "reply"), [
    ("不好意思打擾了", "沒關係"), ("不好意思", "没关系"), ("sorry!", "No problem")])
async def test_small_talk_an_apology_is_answered_kindly(offline_engine: Engine, message: str,
                                                       reply: str) -> None:
    answer = await offline_engine.answer(message)
    assert answer.text.startswith(reply), answer.text


@pytest.mark.parametrize(("question", "expected"), [
    # Written Cantonese: 邊個國家 (which country), 幾時 (when), 咩 (what).
    ("1X Technologies係邊個國家嘅公司？", [["挪威"]]),
    ("Figure 02 係幾時推出嘅？有咩功能？", [["2024年8月"], ["语音"]]),
    # A greeting before the question asks nothing.
    ("早安！OpenAI 最新一轮融资筹了多少钱？", [["66亿"]]),
    ("good morning! what's the name of Humane's wearable?", [["ai pin"]]),
    # The investor describing the company asked about is not a second subject, nor does
    # 领投 there ask who led a round.
    ("唔該，OpenAI領投嘅1X Technologies係邊個國家嘅公司？", [["挪威"]]),
    ("OpenAI投资的Humane后来怎么样了？", [["出售", "卖"]]),
    ("what's the name of the wearable from Humane, the OpenAI-backed startup?", [["ai pin"]]),
])
async def test_answer_classes_chat_wording_is_answered(offline_engine: Engine, question: str,
                                                       expected: list[list[str]]) -> None:
    answer = await offline_engine.answer(question)
    assert answer.outcome == "answered" and answer.citations, answer.text
    assert expectations_met(answer.text, expected), answer.text


@pytest.mark.parametrize("question", [
    # A sum of money no fact gives: the fund's count of start-ups is no amount raised.
    "Atomic Semi 融咗幾多錢？", "Atomic Semi 融了多少钱？", "how much did Atomic Semi raise?",
    # The launch of a thing no dated fact speaks of: GPT-5's year is not the chip's.
    "OpenAI 的晶片什麼時候上市？", "OpenAI 嘅晶片幾時上市？叫咩名？",
    "when will openai's chip ship?",
])
async def test_answer_classes_sum_or_launch_never_given_is_declined(offline_engine: Engine,
                                                                    question: str) -> None:
    answer = await offline_engine.answer(question)
    assert (answer.outcome, answer.citations) == ("not_covered", []), answer.text


@pytest.mark.parametrize(("question", "expected"), [
    ("OpenAI 融了多少钱？", "66亿"), ("Figure AI估值多少", "26亿"),
    ("how much is openai worth", "157 billion"), ("humain backed by who", "Microsoft"),
])
async def test_answer_classes_sums_given_are_still_answered(offline_engine: Engine,
                                                            question: str, expected: str) -> None:
    answer = await offline_engine.answer(question)
    assert answer.outcome == "answered" and expected in answer.text, answer.text


@pytest.mark.parametrize(("first", "follow_up", "expected"), [
    # Question words alone ask about what was just discussed.
    ("OpenAI 起初考慮過自建晶圓廠嗎？", "後來為什麼放棄？", [["成本"]]),
    ("Figure AI 2月那轮融资是谁投的？", "那笔钱有多少？", [["6.75亿"]]),
    ("Does Figure AI work with BMW?", "what for?", [["plant", "factor"]]),
    ("1X 的 B 轮融了多少？", "他们的机器人叫什么？", [["neo"]]),
    # 具体 (exactly) asks nothing of its own.
    ("OpenAI 最新一轮融了多少钱？", "具体哪天宣布的？", [["10月2日"]]),
    ("OpenAI 除了輝達還要用誰家的晶片？", "具體是哪個型號？", [["mi300"]]),
    # 那 opens a follow-up, but one naming whom it asks about is answered on its own.
    ("李開復說 GPT-5 怎麼了？", "那李開復現在是什麼身分？", [["创新工场", "零一万物"]]),
])
async def test_answer_classes_follow_up_of_question_words(offline_engine: Engine, first: str,
                                                          follow_up: str,
                                                          expected: list[list[str]]) -> None:
    await offline_engine.answer(first, follow_up)
    answer = await offline_engine.answer(follow_up, follow_up)
    assert answer.outcome == "answered", answer.text
    assert expectations_met(answer.text, expected), answer.text


@pytest.mark.parametrize(("first", "follow_up"), [
    ("1X 是哪國的公司？", "執行長是誰？"), ("Figure AI 是做什么的？", "那CEO是谁？"),
    ("where is 1X from?", "who's the ceo?"),
])
async def test_answer_classes_follow_up_the_knowledge_lacks_is_declined(
        offline_engine: Engine, first: str, follow_up: str) -> None:
    """Not OpenAI's CEO: the conversation is about another company."""
    await offline_engine.answer(first, follow_up)
    answer = await offline_engine.answer(follow_up, follow_up)
    assert (answer.outcome, answer.citations) == ("not_covered", []), answer.text


@pytest.mark.parametrize(("history", "question"), [
    # Several names asked (哪些公司): the fact naming three, not the one naming Apple.
    (["Jim Keller 創辦的半導體公司叫什麼？"], "他之前在哪些公司待過？"),
    (["Jim Keller搞的那家半导体公司叫啥"], "他之前在哪些公司干过"),
    # Something asked of a company's founder: the founder, then their career.
    (["Atomic Semi 是什麼公司？"], "那創辦人之前在哪些公司待過？"),
    ([], "Where did the founder of Atomic Semi work before?"),
])
async def test_answer_classes_career_of_the_one_asked_about(offline_engine: Engine,
                                                           history: list[str],
                                                           question: str) -> None:
    for earlier in history:
        await offline_engine.answer(earlier, f"career {question}")
    answer = await offline_engine.answer(question, f"career {question}")
    assert expectations_met(answer.text, [["amd"], ["特斯拉", "tesla"]]), answer.text


@pytest.mark.parametrize(("question", "expected", "not_covered"), [
    # One part asks what no fact gives of a thing named: the other part is still answered,
    # and the first said to be not covered.
    ("OpenAI 的晶片用幾奈米製程？誰代工？", [["台积电"]], "奈米"),
    ("openai芯片啥时候量产？是跟谁合作的", [["合作"]], "量产"),
])
async def test_answer_classes_part_never_given_beside_a_part_answered(
        offline_engine: Engine, question: str, expected: list[list[str]],
        not_covered: str) -> None:
    answer = await offline_engine.answer(question)
    assert answer.outcome == "answered" and expectations_met(answer.text, expected), answer.text
    assert not_covered in answer.text.split("[1]")[-1], answer.text


@pytest.mark.parametrize("question", [
    "OpenAI那颗自研芯片啥时候量产啊？哪年能用上", "OpenAI 的晶片何時量產？哪一年能用到？",
    "When will OpenAI's chip be mass-produced? Which year?",
    "What is Sora? When did it come out?"])
async def test_answer_classes_every_part_never_given_is_declined(offline_engine: Engine,
                                                                question: str) -> None:
    answer = await offline_engine.answer(question)
    assert (answer.outcome, answer.citations) == ("not_covered", []), answer.text


@pytest.mark.parametrize(("question", "expected"), [
    # Who someone is: the statement of their title first, beside what they said.
    ("杜雨是誰啊？他說 OpenAI 做晶片的必要性是什麼？", [["院长"], ["必要"]]),
    ("王笑龙是谁？他怎么看自研芯片", [["研究总监"]]),
    # "and does he …", ", and will they …" start a part of their own.
    ("who is zhu keli and does he think new ai devices will replace phones?",
     [["standing director"], ["phone"]]),
    ("who are they making the chip with, and will they still use nvidia?",
     [["broadcom"], ["nvidia"]]),
])
async def test_answer_classes_who_someone_is_and_what_they_said(
        offline_engine: Engine, question: str, expected: list[list[str]]) -> None:
    answer = await offline_engine.answer(question)
    assert answer.outcome == "answered" and expectations_met(answer.text, expected), answer.text
    assert expectations_met(answer.text.split("[1]")[0], expected[:1]), answer.text


@pytest.mark.parametrize(("message", "language"), [
    ("謝謝你的詳細說明，很清楚", "zh-Hant"), ("哈囉，今天天氣真好", "zh-Hant"),
    ("好的谢谢，我先去吃饭了", "zh-Hans"), ("你好，今天心情不错", "zh-Hans"),
    ("thanks, that was super clear", "en"), ("good morning, hope your day is going well", "en"),
    # Thanks said to the bot or with a particle, and asking what the bot can do.
    ("謝謝你，很有幫助", "zh-Hant"), ("謝謝喔，說明得很清楚", "zh-Hant"),
    ("你可以幫我做什麼呢？", "zh-Hant"),
])
async def test_small_talk_in_words_of_its_own_is_not_a_decline(offline_engine: Engine,
                                                               message: str,
                                                               language: str) -> None:
    """A greeting or thanks opening or closing a message the knowledge has nothing on."""
    answer = await offline_engine.answer(message)
    assert answer.outcome == "smalltalk" and script_matches(answer.text, language), answer.text


@pytest.mark.parametrize("message", [
    "推薦我台北好吃的牛肉麵", "推荐一个不错的餐厅", "thanks, now write me a poem about cats",
    # Found by a hostile review: a request, a wish or a complaint beside the greeting.
    "早安，帮我订一张去东京的机票", "哈囉，我想學做牛肉麵", "hello, book a flight to Tokyo for me",
    "你好笨", "謝謝，不過你答錯了", "thanks for nothing", "晚安，幫我設個鬧鐘",
])
async def test_small_talk_word_inside_an_off_topic_request_is_declined(
        offline_engine: Engine, message: str) -> None:
    answer = await offline_engine.answer(message)
    assert answer.outcome in ("not_covered", "refused"), answer.text



@pytest.mark.parametrize("chain", [
    # A bare "why?" is not answered by a fact giving no reason (the last answer again).
    ["Humane 的 AI Pin 怎么样？", "为什么？"], ["OpenAI 最新一輪融資多少？", "為什麼？"],
    ["Who is Jim Keller?", "what for?"],
    # A follow-up naming another company asks about it alone: 1X's valuation is not given.
    ["Figure AI 的估值多少？", "那 1X 的估值呢？"],
])
async def test_answer_classes_follow_up_the_facts_do_not_answer_is_declined(
        offline_engine: Engine, chain: list[str]) -> None:
    for earlier in chain[:-1]:
        await offline_engine.answer(earlier, " ".join(chain))
    answer = await offline_engine.answer(chain[-1], " ".join(chain))
    assert (answer.outcome, answer.citations) == ("not_covered", []), answer.text


@pytest.mark.parametrize(("chain", "expected"), [
    # A follow-up declined for a fact the knowledge lacks keeps the conversation's company.
    (["Tell me about Figure AI", "and its CEO?", "who invested?"], [["bezos"]]),
    (["Humane 是什么公司？", "CEO 是谁？", "谁投资了它？"], [["微软"]]),
    (["Figure AI 2月那轮融了多少？", "那1X呢？"], [["1亿"]]),
])
async def test_answer_classes_follow_up_after_a_decline_keeps_the_subject(
        offline_engine: Engine, chain: list[str], expected: list[list[str]]) -> None:
    for earlier in chain[:-1]:
        await offline_engine.answer(earlier, " ".join(chain))
    answer = await offline_engine.answer(chain[-1], " ".join(chain))
    assert answer.outcome == "answered" and expectations_met(answer.text, expected), answer.text
