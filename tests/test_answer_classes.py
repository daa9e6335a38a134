"""The kinds of question outsiders ask that word overlap broke on, in each script.

Each case is one class of failure (typos, chat wording, no company named, follow-ups,
near misses, several parts, comparisons, small talk); the questions are the team's
own, not those of any holdout set.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.evaluation import expectations_met, script_matches
from knowledge.answer_kinds import BODY_KINDS, counted_items, wanted_kinds
from knowledge.lexical import described_entity, lexical_search
from knowledge.store import KnowledgeStore

ANSWERED = {
    "typo": {
        "zh-Hant": ("李開複說 GPT-5 為什麼訓練不順？", [["10万", "h100", "集群"]]),
        "zh-Hans": ("OpenAI 融资后估直多少", [["1570亿"]]),
        "en": ("how much fundng did openai raise in oct", [["6.6 billion"]]),
    },
    "chat wording": {
        "zh-Hant": ("Figure AI 幾時成立的啊", [["2022"]]),
        "zh-Hans": ("OpenAI 搞芯片是图啥", [["依赖", "成本", "多样", "领先"]]),
        "en": ("how many bn did openai raise?", [["6.6 billion"]]),
    },
    "how the asker feels": {
        "zh-Hant": ("OpenAI 居然不自己蓋晶圓廠了 好奇為什麼", [["成本", "时间"]]),
        "zh-Hans": ("好奇一下 Humane 居然要卖掉自己 咋回事", [["出售"]]),
        "en": ("seriously?? humane wants to sell itself, why", [["sell", "sale"]]),
    },
    "which ones, not how many": {
        "zh-Hant": ("Jim Keller 以前待過哪幾家公司？", [["amd"], ["苹果", "apple"]]),
        "zh-Hans": ("OpenAI 做芯片找了哪几家公司合作", [["博通", "broadcom"], ["台积电", "tsmc"]]),
        "en": ("which companies did jim keller work for before", [["amd"], ["apple"]]),
    },
    "a speaker's view in two statements": {
        "zh-Hant": ("朱克力認為 AI 新裝置會不會取代手機？", [["取代"], ["多样"]]),
        "zh-Hans": ("按朱克力的看法，手机会被 AI 新设备取代吗", [["取代"], ["多样"]]),
        "en": ("does zhu keli expect new ai devices to replace phones", [["replace"],
                                                                         ["divers"]]),
    },
    "who raised more (amounts, not dates)": {
        "zh-Hant": ("Figure AI 跟 1X 誰融資比較多？", [["6.75亿"], ["1亿"], ["倍"]]),
        "zh-Hans": ("1X 和 Figure AI 谁拿的钱更多", [["6.75亿"], ["1亿"]]),
        "en": ("figure ai or 1x: who got more money?", [["675 million"], ["100 million"]]),
    },
    "a company described, not named": {
        "zh-Hant": ("做 AI 別針的那間公司是誰創辦的？", [["苹果", "apple"]]),
        "zh-Hans": ("那家挪威的机器人公司，B轮融了多少", [["1亿"]]),
        "en": ("the compnay that makes the wearable pin: who founded it?", [["apple"]]),
    },
    "a product and its maker described alike (the pin): the maker is asked for": {
        "zh-Hant": ("那個有 AI 助理的別針是哪家做的？", [["humane"]]),
        "zh-Hans": ("那个带AI助手的别针是哪家出的", [["humane"]]),
        "en": ("who makes that pin with the ai assistant?", [["humane"]]),
    },
    "chat nicknames, chat abbreviations and 'how long ago' (护国神山, OAI, 几年前)": {
        "zh-Hant": ("護國神山在這件事裡是什麼角色", [["代工"]]),
        "zh-Hans": ("OAI这轮融了多少钱", [["66亿"]]),
        "en": ("how many years ago did huawei set up hisilicon", [["20 years"]]),
    },
    "chat filler around the question": {
        "zh-Hant": ("欸 剛刷到這新聞 一頭霧水 Humane 後來怎麼了", [["出售"]]),
        "zh-Hans": ("刚刷到这新闻 一头雾水 OpenAI 为啥不自己盖厂了", [["成本"]]),
        "en": ("lol ok so who makes the NEO robot tbh", [["1x"]]),
    },
    "chat words for the news' own words (小玩意, 本事, 混过, broke the story)": {
        "zh-Hant": ("Humane 那個小玩意是在哪個展上火的", [["ces"]]),
        "zh-Hans": ("吉姆凯勒之前在哪几家混过", [["amd"], ["特斯拉"]]),
        "en": ("who broke the story about openai's chip deal", [["reuters"]]),
    },
    "no company named": {
        "zh-Hant": ("他們上一輪募了多少錢？", [["66亿"]]),
        "zh-Hans": ("他们最新一轮融了多少钱", [["66亿"]]),
        "en": ("how much did they raise last time?", [["6.6 billion"]]),
    },
    "several parts": {
        "zh-Hant": ("OpenAI 最新一輪募了多少？估值多少？", [["66亿"], ["1570亿"]]),
        "zh-Hans": ("Figure AI 哪年成立的？第二代机器人叫啥？", [["2022"], ["figure 02"]]),
        "en": ("When was Figure AI founded, and what is its second robot called?",
               [["2022"], ["figure 02"]]),
    },
    "a list of a given length": {
        "zh-Hant": ("龔斌覺得端側大模型會有哪三種樣子？", [["原生"], ["app"], ["聊天机器人"]]),
        "zh-Hans": ("龚斌讲的端侧大模型三种可能是啥", [["原生"], ["app"], ["聊天机器人"]]),
        "en": ("what are the three forms on-device models could take, per gong bin",
               [["native"], ["app"], ["chatbot"]]),
    },
    "a list counted in digits (哪3种, the 3 ways)": {
        "zh-Hant": ("龔斌說端側大模型有哪 3 種形式", [["原生"], ["app"], ["聊天机器人"]]),
        "zh-Hans": ("龚斌说端侧大模型有哪3种玩法", [["原生"], ["app"], ["聊天机器人"]]),
        "en": ("per gong bin, what are the 3 ways on-device llms could go",
               [["native"], ["app"], ["chatbot"]]),
    },
    "a list of unsaid length": {
        "zh-Hant": ("龔斌說端側大模型有哪幾種可能？", [["原生"], ["app"], ["聊天机器人"]]),
        "zh-Hans": ("龚斌说端侧有哪几种可能来着", [["原生"], ["app"], ["聊天机器人"]]),
        "en": ("what forms could on-device models take, according to gong bin",
               [["native"], ["app"], ["chatbot"]]),
    },
    "someone speaking of something (not a fact about each)": {
        "zh-Hant": ("李開復說 OpenAI 為啥急著推出 o1？", [["融资", "募资"]]),
        "zh-Hans": ("照李开复的说法，o1 为什么被急着推出来", [["融资", "募资"]]),
        "en": ("why did kai-fu lee say openai rushed out o1", [["raise", "fund"]]),
    },
    "chat idioms (their side says, get back to, 全靠, 危险)": {
        "zh-Hant": ("記者去問了 OpenAI，OpenAI 那邊怎麼說？", [["未", "没有"]]),
        "zh-Hans": ("为啥说 OpenAI 全靠英伟达很危险", [["依赖"]]),
        "en": ("did broadcom ever get back to the paper", [["no response", "none of the three"]]),
    },
    "still, other, looking for (the knowledge says 仍, 其他, 评估)": {
        "zh-Hant": ("OpenAI 現在還有在找別的晶片夥伴嗎", [["元件", "组件"]]),
        "zh-Hans": ("OpenAI 还在物色别家合作伙伴吗", [["组件"]]),
        "en": ("is openai still shopping around for other chip partners", [["component"]]),
    },
    "internet slang (官宣, 栗子, 呗)": {
        "zh-Hant": ("OpenAI 是哪天官宣募資的？", [["10月2"]]),
        "zh-Hans": ("那12家初创大多干啥的，举几个栗子呗",
                    [["cursor", "harvey", "kick", "speak", "descript"]]),
        "en": ("when'd openai announce its funding round lol", [["2 october"]]),
    },
    "which outlet (a name of that kind)": {
        "zh-Hant": ("Humane 想賣身是哪家媒體爆的料", [["彭博", "bloomberg"]]),
        "zh-Hans": ("是哪家媒体爆料 Humane 要卖身的", [["彭博", "bloomberg"]]),
        "en": ("which outlet broke the news that humane wants to sell itself",
               [["bloomberg"]]),
    },
    "parts asking for different kinds (a place, a date, a partner, a count)": {
        "zh-Hant": ("1X 是哪國的公司？NEO 是做什麼用的？", [["挪威"], ["家庭", "家用", "家务"]]),
        "zh-Hans": ("Startup Fund 哪年成立、跟谁一起、到2023年4月投了几家",
                    [["2022"], ["微软"], ["12"]]),
        "en": ("where's 1x from n what's neo for", [["norway"], ["home", "household"]]),
    },
    "years between two dates": {
        "zh-Hant": ("艾倫·凱說那句話的時候，跟蘋果開始自研晶片，中間隔了幾年？",
                    [["1971"], ["2010"], ["39 年"]]),
        "zh-Hans": ("苹果自研芯片和艾伦·凯那句话隔了多少年", [["1971"], ["2010"], ["39 年"]]),
        "en": ("how many years between alan kay's remark and apple making its own chips",
               [["1971"], ["2010"], ["39 years"]]),
    },
    "a part after a part about a product (the product's maker stays in)": {
        "zh-Hant": ("o1 是哪時候推出的？那募資是哪天宣布的？", [["9月"], ["10月2"]]),
        "zh-Hans": ("o1啥时候上线的 那融资又是哪天宣布的", [["9月"], ["10月2"]]),
        "en": ("when did o1 come out, and on what day was the funding announced?",
               [["september"], ["2 october"]]),
    },
    "comparison": {
        "zh-Hant": ("OpenAI 的估值是 Figure AI 的幾倍？", [["1570亿"], ["26亿"], ["倍"]]),
        "zh-Hans": ("1X 的 A2 轮和 B 轮哪个先？", [["2023年3月"], ["2024年1月"], ["早于"]]),
        "en": ("OpenAI's valuation vs Figure AI's?", [["157 billion"], ["2.6 billion"],
                                                     ["times"]]),
    },
}
DECLINED = {
    "zh-Hant": ["Humane 的執行長是誰？", "那間挪威的機器人新創有多少員工？",
                "OpenAI 的技術長是誰？",
                "OpenAI 有多少員工？", "OpenAI 的晶片會用幾奈米製程？", "輝達的市占率是多少？",
                "OpenAI 晶片用的製程（3奈米？4奈米？）是哪一種", "Figure 02 有多重？",
                "Humane 最後被誰收購了？", "GPT-5 確切哪一天推出？",
                "Sora 是什麼東西？哪時候出的？", "1X 的 B 輪是誰領投的？",
                "Sora 是什麼？其晶片由誰製造？",
                # Units sold, a stake, a founder's name, a view nobody quoted, a lean part.
                "AI Pin 到底賣了幾台？", "奧特曼持有 OpenAI 多少股份？",
                "Figure AI 的創辦人是誰？", "Humane 的創辦人叫什麼名字？",
                "微軟怎麼看 OpenAI 自研晶片？", "NEO 機器人什麼時候上市，要多少錢？",
                # A price, one investor's share, the date of something never mentioned.
                "AI Pin 售價多少？", "貝佐斯自己投了 Figure 多少錢？",
                "OpenAI 的晶片什麼時候量產？"],
    "zh-Hans": ["做 AI Pin 的那家公司的CEO是谁", "那家挪威机器人公司有多少员工",
                "OpenAI 的首席技术官是谁？",
                "OpenAI 有多少员工？", "OpenAI 的芯片用几纳米工艺？", "英伟达的市场份额是多少？",
                "OpenAI 芯片的工艺（3纳米？4纳米？）定了吗", "Figure 02 多重啊",
                "Humane 最后卖给了谁", "OpenAI 芯片团队有几个人", "Sora 是啥 啥时候上线的",
                "1X那个B轮是谁领投的", "Humane 的买家是？",
                "宝马厂里用了几台 Figure 的机器人", "奥特曼占 OpenAI 百分之几的股份",
                "Figure AI 的创始人是谁啊", "Humane 创始人叫啥名字",
                "英伟达咋看 OpenAI 自研芯片", "NEO 机器人啥时候开卖 多少钱",
                "AI Pin 卖多少钱一台", "微软一共投了 OpenAI 多少钱", "那颗芯片啥时候量产啊",
                "OpenAI 那轮是谁领投的，微软出了多少", "OpenAI 有几款自研芯片"],
    "en": ["how many employees does the norwegian robot startup have",
           "who is broadcom's ceo", "who's tsmc's chairman", "Who is Humane's CEO?",
           "How many employees does OpenAI have?", "What process node will OpenAI's chip use?",
           "What is Nvidia's market share?", "which node (3nm? 4nm?) is openai's chip built on",
           "how heavy is figure 02", "who bought humane in the end?",
           "what exact date does gpt-5 come out",
           "what is sora and when did openai launch it?", "who led 1x's series b?",
           "Who is the buyer of Humane?", "When did OpenAI release it, and what is Sora?",
           "how many ai pins has humane sold", "what percent of openai does microsoft own",
           "who founded figure ai", "what's the name of humane's founder",
           "what does microsoft think of openai making chips",
           "when does the neo robot go on sale and how much is it",
           "how much does the ai pin cost", "how much did microsoft invest in openai",
           "when will openai's chip enter mass production",
           "How many NEO robots has 1X sold?", "How much of Figure AI does OpenAI own?",
           "What does the NEO robot cost?", "How much money did Bezos put into Figure AI?",
           "Which investor led Figure AI's round?", "When will OpenAI's first chip ship?"],
}
SMALL_TALK = {"zh-Hant": ["你好，在嗎？", "謝謝！", "你是誰？", "謝謝你的回答！",
                          "你會回答哪些問題", "這個機器人是做什麼的", "掰掰～下次見",
                          "沒問題 了解", "謝啦 超讚der", "你是誰啊 可以做啥"],
              # 你好呀 shows no script: read as Simplified, the larger readership.
              "zh-Hans": ["你好，在吗？", "谢谢啦", "你能干啥", "你好呀", "早啊", "感恩",
                          "你能回答啥问题", "好吧", "你都知道些什么", "谢了 太牛了",
                          "你是谁呀 都能干点啥"],
              "en": ["hi there", "thanks!", "what can you do?", "what's up", "tysm",
                     "What's this bot?", "How does this work?",
                     "what kind of questions can you answer", "who made you", "help",
                     "who r u lmao", "thx lol"]}
# Small talk beside a question: the question is answered.
WITH_A_QUESTION = {"zh-Hant": ("謝謝！那 Humane 是誰創辦的？", [["苹果", "apple"]]),
                   "zh-Hans": ("好的 那 Figure AI 估值多少", [["26亿"]]),
                   "en": ("thanks! and who founded humane?", [["apple"]])}
SCRIPTS = ("zh-Hant", "zh-Hans", "en")


@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("kind", list(ANSWERED))
async def test_answer_classes_are_answered_in_the_question_script(
        offline_engine: Engine, kind: str, language: str) -> None:
    question, expected = ANSWERED[kind][language]
    answer = await offline_engine.answer(question)
    assert answer.answered and answer.citations, answer.text
    assert expectations_met(answer.text, expected), answer.text
    assert script_matches(answer.text, language), answer.text


@pytest.mark.parametrize("language", SCRIPTS)
async def test_answer_classes_near_misses_are_declined(offline_engine: Engine,
                                                       language: str) -> None:
    for question in DECLINED[language]:
        answer = await offline_engine.answer(question)
        assert (answer.outcome, answer.citations) == ("not_covered", []), (question, answer.text)


@pytest.mark.parametrize("language", SCRIPTS)
async def test_answer_classes_small_talk_gets_a_friendly_reply(offline_engine: Engine,
                                                               language: str) -> None:
    for message in SMALL_TALK[language]:
        answer = await offline_engine.answer(message, log=True)
        assert answer.outcome == "smalltalk" and answer.citations == [], message
        assert script_matches(answer.text, language) and "•" in answer.text


@pytest.mark.parametrize("language", SCRIPTS)
async def test_answer_classes_small_talk_beside_a_question_answers_it(offline_engine: Engine,
                                                                     language: str) -> None:
    question, expected = WITH_A_QUESTION[language]
    answer = await offline_engine.answer(question)
    assert answer.outcome == "answered" and answer.citations, answer.text
    assert expectations_met(answer.text, expected), answer.text


@pytest.mark.parametrize(("first", "follow_up", "expected", "not_about"), [
    ("1X Technologies 是哪國的公司？", "那它的 B 輪募了多少？", "1亿", "66亿"),
    ("Figure AI 是什么时候成立的？", "那它们推出了什么机器人？", "figure 02", "neo"),
    ("Tell me about Humane's AI Pin.", "and who invested in them?", "microsoft", "bezos"),
    # The subject is the person the previous answer names, not the company asked about.
    ("Atomic Semi 是誰創辦的？", "他以前在哪些公司待過？", "特斯拉", "cursor"),
    ("Atomic Semi 是谁创办的", "他之前在哪些公司干过", "特斯拉", "cursor"),
    ("Who founded Atomic Semi?", "where did he work before that?", "tesla", "cursor"),
    # Chat words for what was asked: 新品 (a new product), 拿了多少 (raised how much).
    ("Figure AI 是哪一年成立的？", "它去年8月出了什麼新品？", "figure 02", "26亿"),
    ("1X 拿过 OpenAI 的投资吗", "那它B轮拿了多少", "1亿", "26亿"),
    ("When was Figure AI founded?", "what new product did it launch in august?", "figure 02",
     "2.6 billion"),
    # An ordinal with its measure word (第二點): the second of the reasons just given.
    ("杜雨說 OpenAI 為何要自研晶片？", "那第二點是什麼", "依赖", "降本"),
    ("杜雨说 OpenAI 为啥要自研芯片", "第三点是啥", "领先", "降本"),
])
async def test_answer_classes_follow_up_keeps_the_subject(offline_engine: Engine, first: str,
                                                          follow_up: str, expected: str,
                                                          not_about: str) -> None:
    await offline_engine.answer(first, "subject")
    answer = await offline_engine.answer(follow_up, "subject")
    assert expectations_met(answer.text, [[expected]]), answer.text
    assert not expectations_met(answer.text, [[not_about]]), answer.text


@pytest.mark.parametrize("language", SCRIPTS)
async def test_answer_classes_one_fact_question_is_short_and_direct(offline_engine: Engine,
                                                                   language: str) -> None:
    question = {"zh-Hant": "Figure AI 哪年成立？", "zh-Hans": "Figure AI 哪年成立？",
                "en": "When was Figure AI founded?"}[language]
    answer = await offline_engine.answer(question)
    assert "2022" in answer.text.split("[1]")[0]  # the answer is in the first sentence
    assert len(answer.citations) == 1 and len(answer.text) < 160


# Questions a hostile review found broken by the first version of the kind rules above
# (a role, a head count, an ordinal, a list, an unknown name in one part, a year gap …).
STILL_ANSWERED = [
    ("端侧大模型好在哪", [["优点", "优势"]]), ("为啥不自己盖个芯片厂", [["成本"]]),
    # A title asked of the company that holds it, or of the person holding it.
    ("Who is OpenAI's CEO?", [["altman"]]), ("奥特曼是哪家公司的CEO", [["openai"]]),
    ("Who is Humane's founder?", [["apple"]]),
    ("Humane 的創辦人是誰？", [["苹果"]]),
    ("Who was the lead investor in 1X's A2 round?", [["openai"]]),
    ("OpenAI Startup Fund 投资了几个人工智能初创公司？", [["12"]]),
    ("杜雨说的第三个原因是什么？", [["领先"]]),
    ("What are the ways OpenAI has explored to diversify its chip supply?", [["lower cost"]]),
    ("Sora 是什么？OpenAI 还在评估其他合作伙伴吗？", [["组件"]]),
    ("Who is OpenAI building its first chip with? And what process node will it use?",
     [["broadcom"]]),
    ("Figure AI 和 1X 哪家公司融资更多？", [["6.75亿"], ["1亿"], ["倍"]]),
    ("Where does Humane's money come from?", [["microsoft"]]),
    ("华为前几年为什么要成立海思？", [["卡脖子"]]),
    ("Is Humane looking for a buyer?", [["sell"]]),
    ("What day was GPT-o1 released?", [["september"]]),
    ("How much is OpenAI's stock worth?", [["157"]]),
    ("1X A2轮是谁领投的", [["openai"]]),
    ("Did OpenAI lead a round in 1X Technologies?", [["a2"]]),  # "a round" is no Series A
    ("1X 的 A 轮是谁领投的？", [["openai"]]),  # A covers A2
    ("Humane 是谁投资的？其他机器人公司呢？", [["figure"]]),  # 其他 is no 他
    ("Who is the leader of OpenAI?", [["altman"]]),
    ("Jim Keller 创的公司叫什么？", [["atomic"]]),
    ("OpenAI 的执行长是谁", [["奥尔特曼", "altman"]]),
    ("How many years between Figure AI's founding and Figure 02?", [["2 years apart"]]),
    # A founder asked of the company a statement says founded it (not of a founder beside it).
    ("苹果的创始人是谁", [["乔布斯"]]), ("Who founded Atomic Semi?", [["keller"]]),
    ("Atomic Semi 是誰創辦的", [["凯勒"]]),
    # A view asked of someone the knowledge quotes; "think about" a plan is no view.
    ("What did Du Yu say about Apple's chips?", [["qualcomm", "2010"]]),
    ("李开复怎么看 GPT-5 的训练", [["h100"]]),
    ("did openai ever think about building its own chip factory?", [["cost"]]),
    # A round's total, asked of its backers together or of the company raising it.
    ("how much did investors put into figure ai in february", [["675"]]),
    ("OpenAI 总共融了多少钱", [["66亿"]]),
    ("OpenAI Startup Fund 一共投了多少家公司", [["12"]]),  # a count of companies, not money
    # Edges a hostile review found in the near-miss rules: who developed a product is no
    # founder; the backers together put in the round's total; a view word the facts phrase
    # otherwise (观点, Bloomberg's report); lowering a price is about costs; 几只基金 counts
    # funds; "who led" work is no round; 财报 is no report of the news.
    ("NEO是谁开发的？", [["1x"]]), ("Figure 02 有什麼厲害的地方", [["语音"]]),
    ("Who founded the Guoyan New Economy Research Institute?", [["zhu keli"]]),
    # 几年前 is answered by a date as by "20 years ago"; 后来在哪 asks where, not how it ended.
    ("Figure AI几年前成立的", [["2022"]]),
    ("How many years ago did Alan Kay say that?", [["1971"]]),
    ("Humane 的 AI Pin 后来在哪里出名", [["ces"]]),
    # Who broke the news first: the outlet the news cites, not the paper carrying the article.
    ("which news agency first reported the broadcom / tsmc thing", [["reuters"]]),
    ("OpenAI造芯这事最早哪家媒体爆的料", [["路透"]]),
    ("OpenAI Startup Fund一共投了多少初创企业？", [["12"]]),
    ("Figure AI这轮投资者总共投了多少钱？", [["6.75亿"]]),
    ("How much did the investors put into Figure AI?", [["675"]]),
    ("王笑龙的观点是什么？", [["募资", "融资"]]),
    ("What did Bloomberg say about Humane?", [["sell"]]),
    ("杜雨怎么看华为和海思？", [["海思"]]), ("What did Du Yu say about costs?", [["cost"]]),
    ("自研芯片能降低采购价格吗？", [["成本"]]),
    ("Does on-device AI lower the price of cloud computing?", [["cloud"]]),
    ("Who led AI chip development at Tesla?", [["keller"]]),
    # Each part its own fact, a yes-or-no part none beside it, OpenAI named beside Microsoft.
    ("When did OpenAI release o1, and what did Altman say about GPT-5?",
     [["september"], ["gpt-5"]]),
    ("OpenAI估值多少？微软投了多少？", [["1570亿"]]),
    # Units counted: GPUs in a cluster.
    ("How many H100 GPUs does the GPT-5 cluster have?", [["100,000"]]),
]


@pytest.mark.parametrize(("question", "expected"), STILL_ANSWERED)
async def test_answer_classes_kind_rules_keep_answering(offline_engine: Engine, question: str,
                                                        expected: list[list[str]]) -> None:
    answer = await offline_engine.answer(question)
    assert answer.answered and expectations_met(answer.text, expected), answer.text


async def test_answer_classes_year_gap_is_not_rounded_up(offline_engine: Engine) -> None:
    """Ten months apart is not "1 years apart"."""
    answer = await offline_engine.answer(
        "How many years apart were 1X's A2 round and its Series B?")
    assert "1 years" not in answer.text and "1 year apart" not in answer.text, answer.text


@pytest.mark.parametrize(("first", "follow_up"), [
    ("What is Humane's AI Pin?", "How does it work?"),
    ("Humane 的 AI Pin 是什么？", "怎么用？"),
    ("OpenAI 的第一款晶片是誰做的？", "Who built this?"),
])
async def test_answer_classes_follow_up_is_not_small_talk(offline_engine: Engine, first: str,
                                                          follow_up: str) -> None:
    await offline_engine.answer(first, "talk")
    answer = await offline_engine.answer(follow_up, "talk")
    assert answer.outcome != "smalltalk", answer.text


@pytest.mark.parametrize("question", ["是哪家媒體先報導的？", "是哪家媒体先报道的？",
                                      "which outlet reported it first?"])
def test_wanted_kinds_which_outlet_asks_for_a_body(question: str) -> None:
    """"Which outlet" asks for a company or body, in every script."""
    assert wanted_kinds(question).name == BODY_KINDS


@pytest.mark.parametrize(("question", "count"), [("有哪三個方面？", 3), ("三方合作", None),
                                                 ("what are the three reasons", 3)])
def test_counted_items_reads_whole_measure_words(question: str, count: int | None) -> None:
    """方面 counts as one measure word: 三方 (three parties) is no list of three."""
    assert counted_items(question) == count


@pytest.mark.parametrize(("text", "expected"), [
    ("那間挪威的機器人公司", "ent1xtechnologies"),
    ("那家挪威的机器人公司", "ent1xtechnologies"),
    ("the norwegian robot startup", "ent1xtechnologies"),
    # The company, not its product, when a company is spoken of; Figure AI has two phrases.
    ("the company that made the pin", "enthumane"),
    ("那家跟寶馬合作做人形機器人的公司", "entfigureai"),
    # Someone, by what they lead or wrote.
    ("謙詢智庫那位合夥人", "entgongbin"),
    ("那个写过 AI for Science 的专家", "entduyu"),
    ("the guy who wrote the book on ai for science", "entduyu"),
    # Two companies described equally, or no company or thing spoken of: nobody.
    ("那家人形机器人公司", None),
    ("挪威在哪裡", None),
])
def test_described_entity_is_the_one_a_description_fits(knowledge_store: KnowledgeStore,
                                                         text: str, expected: str | None) -> None:
    found = described_entity(knowledge_store, text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(("question", "word"), [
    ("Humane 前苹果高管创办", "前"),  # 前苹 is no word; 苹果 is
    ("那個前蘋果高管開的公司", "前"),
])
def test_lexical_search_cuts_a_character_beside_a_known_word(knowledge_store: KnowledgeStore,
                                                             question: str, word: str) -> None:
    units = lexical_search(knowledge_store, question).own
    assert {word} in [unit.tokens for unit in units]


def test_lexical_search_keeps_the_thing_asked_for_whole(knowledge_store: KnowledgeStore) -> None:
    """技术官 (a title no fact has) is not cut into 技术 and 官, which facts have."""
    search = lexical_search(knowledge_store, "OpenAI 的首席技术官是谁？")
    assert search.asks_about_the_unknown()


@pytest.mark.parametrize(("question", "expected"), [
    ("那間做人形機器人的新創估值多少？", "26亿"),
    ("那家做人形机器人的公司估值多少", "26亿"),
    ("the humanoid robot startup: how much did it raise in feb and at what valuation?", "2.6"),
])
async def test_answer_classes_companies_described_alike_are_the_subject(
        offline_engine: Engine, question: str, expected: str) -> None:
    # Figure AI and 1X are both humanoid-robot startups: one of them is asked about, so
    # OpenAI's valuation (US$157 billion) is not the answer.
    answer = await offline_engine.answer(question)
    assert expectations_met(answer.text, [[expected]]), answer.text
    assert not expectations_met(answer.text, [["1570", "157 billion"]]), answer.text


@pytest.mark.parametrize(("question", "expected", "not_after"), [
    ("Who founded Humane? Was it ex-Apple people?", "apple", "jobs"),
    ("Humane是谁创办的？是苹果的人吗？", "苹果", "乔布斯"),
])
async def test_answer_classes_yes_or_no_part_adds_no_fact(offline_engine: Engine, question: str,
                                                          expected: str, not_after: str) -> None:
    answer = await offline_engine.answer(question)
    assert expectations_met(answer.text, [[expected]]), answer.text
    assert not expectations_met(answer.text, [[not_after]]), answer.text


@pytest.mark.parametrize(("question", "said"), [
    ("Figure AI融了多少钱？谁领投的？", "谁领投"),
    ("What is the NEO and how much does it cost?", "how much does it cost"),
])
async def test_answer_classes_lean_part_nobody_answers_is_named(offline_engine: Engine,
                                                                question: str, said: str) -> None:
    answer = await offline_engine.answer(question)
    assert answer.answered and said in answer.text, answer.text


@pytest.mark.parametrize(("question", "expected"), [
    # What happened later: how things turned out, not the fact the first part's words favour.
    ("Humane 是誰創辦的？後來怎麼樣了？", [["苹果"], ["出售"]]),
    ("Humane是谁创办的 后来咋样了", [["苹果"], ["出售"]]),
    ("who founded humane and what happened to it later?", [["apple"], ["sell"]]),
    # Examples asked for: the fact naming some.
    ("那個創業基金投了幾家？舉幾個例子", [["12"], ["cursor"]]),
    ("那个基金投了几家 举几个例子", [["12"], ["cursor"]]),
    ("how many startups did the fund back? name a few", [["12"], ["cursor"]]),
])
async def test_answer_classes_part_asking_outcome_or_examples(offline_engine: Engine,
                                                              question: str,
                                                              expected: list[list[str]]) -> None:
    answer = await offline_engine.answer(question)
    assert expectations_met(answer.text, expected), answer.text
