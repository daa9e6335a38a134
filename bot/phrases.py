"""The engine's own words, in Traditional Chinese, Simplified Chinese and English.

These are parts of answers (notes, refusals, suggestions). The Telegram and
terminal interfaces keep their own texts.
"""

from __future__ import annotations

import zlib

from bot.language import Script

SCOPE = {
    "zh-Hant": "我只能根據《中國經營報》2024 年 10 月底的一篇報導，回答 OpenAI 硬體生態的問題："
               "自研 AI 晶片與合作夥伴（博通、台積電）、AMD 與輝達的晶片、融資與估值、"
               "對裝置與機器人新創（Humane、Figure AI、1X）的投資，以及端側 AI。",
    "zh-Hans": "我只能根据《中国经营报》2024 年 10 月底的一篇报道，回答 OpenAI 硬件生态的问题："
               "自研 AI 芯片与合作伙伴（博通、台积电）、AMD 与英伟达的芯片、融资与估值、"
               "对设备与机器人初创公司（Humane、Figure AI、1X）的投资，以及端侧 AI。",
    "en": "I can only answer questions about OpenAI's hardware ecosystem, based on a China "
          "Business Journal report from late October 2024: its in-house AI chip and partners (Broadcom, "
          "TSMC), AMD and NVIDIA chips, funding and valuation, investments in device and robot "
          "start-ups (Humane, Figure AI, 1X), and on-device AI.",
}

NOT_COVERED = {
    "zh-Hant": "抱歉，我的知識庫沒有這個問題的答案。",
    "zh-Hans": "抱歉，我的知识库没有这个问题的答案。",
    "en": "Sorry, my knowledge base does not cover that.",
}

REFUSAL = {
    "zh-Hant": "抱歉，這個要求我無法處理。",
    "zh-Hans": "抱歉，这个要求我无法处理。",
    "en": "Sorry, I can't help with that request.",
}

EMPTY_QUESTION = {
    "zh-Hant": "請輸入一個問題，例如：",
    "zh-Hans": "请输入一个问题，例如：",
    "en": "Please type a question, for example:",
}

TOO_LONG = {
    "zh-Hant": "這個問題太長了（上限 {limit} 字），請縮短後再問一次。",
    "zh-Hans": "这个问题太长了（上限 {limit} 字），请缩短后再问一次。",
    "en": "That question is too long (limit: {limit} characters). Please shorten it and ask again.",
}

BUSY = {
    "zh-Hant": "抱歉，我現在忙不過來，請稍後再問一次。",
    "zh-Hans": "抱歉，我现在忙不过来，请稍后再问一次。",
    "en": "Sorry, I'm too busy to answer right now. Please ask again in a moment.",
}

SMALL_TALK = {
    "greeting": {
        "zh-Hant": "你好！👋 我可以回答 OpenAI 硬體生態的問題，每個回答都附上來源。",
        "zh-Hans": "你好！👋 我可以回答 OpenAI 硬件生态的问题，每个回答都附上来源。",
        "en": "Hi! 👋 I answer questions about OpenAI's hardware ecosystem, with sources.",
    },
    "thanks": {
        "zh-Hant": "不客氣！還想知道什麼都可以問我。",
        "zh-Hans": "不客气！还想知道什么都可以问我。",
        "en": "You're welcome! Ask me anything else you'd like to know.",
    },
    "about": {
        "zh-Hant": "我是回答 OpenAI 硬體生態問題的機器人，根據《中國經營報》2024 年 10 月底的報導回答，"
                   "並附上來源。",
        "zh-Hans": "我是回答 OpenAI 硬件生态问题的机器人，根据《中国经营报》2024 年 10 月底的报道回答，"
                   "并附上来源。",
        "en": "I'm a bot that answers questions about OpenAI's hardware ecosystem from a China "
              "Business Journal report (late October 2024), with sources.",
    },
    "ack": {
        "zh-Hant": "好的！還有其他想知道的嗎？",
        "zh-Hans": "好的！还有其他想知道的吗？",
        "en": "Great! Anything else you'd like to know?",
    },
    "sorry": {
        "zh-Hant": "沒關係！有什麼想問的儘管問。",
        "zh-Hans": "没关系！有什么想问的尽管问。",
        "en": "No problem at all! Ask me anything.",
    },
    "bye": {
        "zh-Hant": "再見！有問題隨時回來問我。",
        "zh-Hans": "再见！有问题随时回来问我。",
        "en": "Bye! Come back any time with a question.",
    },
}

TRY_ASKING = {"zh-Hant": "你可以問：", "zh-Hans": "你可以问：", "en": "You could ask:"}

PART_NOT_COVERED = {
    "zh-Hant": "至於「{part}」，知識庫沒有提到。",
    "zh-Hans": "至于“{part}”，知识库没有提到。",
    "en": "The knowledge base does not say: {part}.",
}

# For a part of the question not fit to quote back (a link, a handle, a long text).
REST_NOT_COVERED = {
    "zh-Hant": "問題的其餘部分，知識庫沒有提到。",
    "zh-Hans": "问题的其余部分，知识库没有提到。",
    "en": "The knowledge base does not cover the rest of the question.",
}

FALLBACK_NOTE = {
    "zh-Hant": "⚠️ AI 模型暫時無法使用，以下直接列出知識庫中的相關事實。",
    "zh-Hans": "⚠️ AI 模型暂时无法使用，以下直接列出知识库中的相关事实。",
    "en": "⚠️ The AI model is unavailable right now, so here are the matching facts from the "
          "knowledge base.",
}


SUGGESTIONS = {
    "zh-Hant": [
        "OpenAI 的首款自研晶片跟哪些公司合作？",
        "OpenAI 為什麼要自己做 AI 晶片？",
        "OpenAI 最新一輪融資籌了多少錢？估值多少？",
        "OpenAI 投資了哪些機器人公司？",
        "Humane 的 AI Pin 賣得怎麼樣？",
        "端側大模型有什麼優勢？",
    ],
    "zh-Hans": [
        "OpenAI 的首款自研芯片和哪些公司合作？",
        "OpenAI 为什么要自己做 AI 芯片？",
        "OpenAI 最新一轮融资筹了多少钱？估值多少？",
        "OpenAI 投资了哪些机器人公司？",
        "Humane 的 AI Pin 卖得怎么样？",
        "端侧大模型有什么优势？",
    ],
    "en": [
        "Who is OpenAI building its first AI chip with?",
        "Why does OpenAI want its own AI chips?",
        "How much did OpenAI raise in its latest round, and at what valuation?",
        "Which robot start-ups has OpenAI invested in?",
        "How did Humane's AI Pin do?",
        "What are the advantages of on-device AI models?",
    ],
}


def suggestions(language: Script, seed: str, *, count: int = 3) -> list[str]:
    """A few example questions, varying with ``seed`` but stable for the same seed."""
    pool = SUGGESTIONS[language]
    start = zlib.crc32(seed.encode("utf-8")) % len(pool)
    return [pool[(start + offset * 2) % len(pool)] for offset in range(count)]


def small_talk_reply(kind: str, language: Script, seed: str) -> str:
    """A short friendly reply to small talk, with questions to try."""
    return (f"{SMALL_TALK[kind][language]}\n\n{TRY_ASKING[language]}\n"
            f"{bullet_list(suggestions(language, seed))}")


def bullet_list(items: list[str]) -> str:
    """Items as lines starting with a bullet."""
    return "\n".join(f"• {item}" for item in items)


def decline_text(language: Script, seed: str, *, reason: str) -> str:
    """A polite refusal: what went wrong, what the bot knows about, and questions to try."""
    lead = {"not_covered": NOT_COVERED, "refused": REFUSAL}[reason][language]
    return (f"{lead}{'' if language != 'en' else ' '}{SCOPE[language]}\n\n"
            f"{TRY_ASKING[language]}\n{bullet_list(suggestions(language, seed))}")


# The terminal chat's own words (python -m bot chat).
SOURCES_HEADING: dict[Script, str] = {"zh-Hant": "來源：", "zh-Hans": "来源：", "en": "Sources:"}
NO_SOURCES: dict[Script, str] = {
    "zh-Hant": "上一個回答沒有引用任何來源。",
    "zh-Hans": "上一个回答没有引用任何来源。",
    "en": "The last answer cited no sources.",
}
RESET_DONE: dict[Script, str] = {
    "zh-Hant": "好的，已忘記這段對話。",
    "zh-Hans": "好的，已忘记这段对话。",
    "en": "Done: this conversation is forgotten.",
}
CHAT_HELP: dict[Script, str] = {
    "zh-Hant": "輸入問題即可（繁體、简体或 English）。指令：/sources 上一個回答的來源，"
               "/reset 忘記對話，/help 說明，/quit 離開。",
    "zh-Hans": "输入问题即可（繁體、简体或 English）。指令：/sources 上一个回答的来源，"
               "/reset 忘记对话，/help 说明，/quit 退出。",
    "en": "Type a question (繁體, 简体 or English). Commands: /sources for the last answer's "
          "sources, /reset to forget the conversation, /help, /quit to leave.",
}
