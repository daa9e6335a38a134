"""Recognising requests the bot must refuse whatever the knowledge says.

Prompt injection ("ignore your instructions"), attempts to extract the prompt,
keys or admin ids, role-play, and tasks outside answering questions (write a
poem, translate, write code) all get the same polite refusal as an off-topic
question. Patterns run on normalised text (lower case, Simplified script), so
one pattern covers the Traditional spelling as well.
"""

from __future__ import annotations

import re

from bot.question import Question
from knowledge.screening import OVERRIDE_CHINESE, OVERRIDE_ENGLISH

_ENGLISH = [
    *OVERRIDE_ENGLISH,
    # "The rules of the partnership" is a question; "your rules", "the system prompt" steer.
    r"\byour\s+(prompt|instructions|rules|guidelines|configuration|config|settings)\b",
    r"\bthe\s+(system\s+|hidden\s+|initial\s+)?(prompt|instructions|configuration|config)\b",
    r"\b(reveal|show|print|leak|dump|expose|display|output|repeat|give me|tell me|list)\b"
    r".{0,40}\b(api[\s_-]?key|tokens?\b|password|secret key|client secret|credential|admin|"
    r"env(ironment)? var)",
    r"\badmin(istrator)?s?\b.{0,20}\b(id|ids|user ?ids?|list|account)",
    r"\b(api[\s_-]?key|bot token|openai_api_key|telegram_bot_token)\b",
    # Said to the bot ("act as my lawyer", "pretend you are"), not of a company ("TSMC will
    # act as a foundry", "did Humane pretend its AI Pin sold well?").
    r"(^|\b(you|u|please|pls|now|and|then|just)\s+)(act|behave) as (a|an|my|if|though)\b",
    r"\bpretend (to be|you|that you|ur|your)\b|\b(you|u) (must |will |should |to )?pretend\b",
    r"\brole[\s-]?play\b",
    r"\bdan\b", r"\bdo anything now\b",
    # A task given to the bot ("write me a poem", "can you write code"), not a question about
    # what someone wrote ("did they write code for it?").
    r"(^|\b(please|pls|can (you|u)|could (you|u)|would (you|u)|will (you|u)|help me|"
    r"i want (you|u) to|i need (you|u) to|now|go|then|and)\s+)(write|compose|generate|create|draft)"
    r"\b.{0,30}\b(poem|story|essay|song|joke|code|script|program|function|email|letter|tweet|"
    r"novel|rap)",
    r"\b(write|compose|generate|create|draft) (me|us)\b",
    r"\btranslat(e|ion)\b.{0,40}\b(chinese|english|japanese|french|german|spanish|korean)\b",
    r"\btranslate (this|the following|these|that|it)\b", r"\bhow do you say\b",
    r"\b(python|javascript|sql|bash) (code|script)\b",
]
_CHINESE = [
    *OVERRIDE_CHINESE,
    r"(你的|你们的)(指令|规则|设定|提示|配置|设置)",
    r"(泄露|透露|显示|输出|打印|告诉我|给我|列出).{0,12}(密钥|金钥|key|token|令牌|口令|密码|管理员|环境变量)",
    r"管理员.{0,6}(id|帐号|账号|账户|帐户|用户|名单|列表)",
    r"(请|你|现在|来)扮演|扮演(一个|一名|一位)", r"假装",
    r"(帮我|请你?|给我|替我|帮忙)(写|编写|创作|生成|编)",
    r"(写|编写|创作|生成)(一|首|篇|个|段|份|几)[^，。？！?!,.]{0,10}(诗|文章|作文|小说|故事|代码|程序|"
    r"歌曲|歌词|笑话|邮件|信件)",
    r"翻译(成|为|一下|这|下面|以下)|(译|翻)成(中文|英文|日文)",
]
_PATTERN = re.compile("|".join(f"(?:{part})" for part in _ENGLISH + _CHINESE), re.DOTALL)


def is_out_of_scope_request(question: Question) -> bool:
    """Tell whether a question tries to steer the bot rather than ask about the knowledge."""
    return bool(_PATTERN.search(question.normalized))
