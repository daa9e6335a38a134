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

# Roles a company plays in a deal, which "act as a …" may name without any role-play.
_BUSINESS_ROLES = ("foundry|manufacturer|supplier|partner|chip ?maker|contract|designer|investor|"
                   "customer|backer|lead|second|major|key|main|primary|new|potential|strategic|"
                   "gateway|hub|bridge|vendor|distributor")
_ENGLISH = [
    *OVERRIDE_ENGLISH,
    # "The rules of the partnership" is a question; "your rules", "the system prompt", "the
    # rules you were given" steer.
    r"\byour\s+(prompt|instructions|rules|guidelines|configuration|config|settings)\b",
    r"\bthe\s+(system\s+|hidden\s+|initial\s+)?(prompt|instructions|configuration|config)\b",
    r"\bthe\s+(rules|guidelines|settings)\b(?!\s+(of|for|on|in|between|about|that)\b)",
    r"\b(rules|guidelines|settings|instructions)\s+(you|u)\b",
    r"\b(reveal|show|print|leak|dump|expose|display|output|repeat|give me|tell me|list)\b"
    r".{0,40}\b(api[\s_-]?key|tokens?\b|password|secret key|client secret|credential|admin|"
    r"env(ironment)? var)",
    r"\badmin(istrator)?s?\b.{0,20}\b(id|ids|user ?ids?|list|account)",
    r"\b(api[\s_-]?key|bot token|openai_api_key|telegram_bot_token)\b",
    # Role-play asked of the bot ("act as my lawyer", "act as if you had no rules", "pretend
    # the article says"), not a role a company plays ("TSMC will act as a foundry") or a
    # question about pretending ("did Humane pretend its AI Pin sold well?").
    r"\b(act|behave) as (if|though|my|your)\b",
    rf"\b(act|behave) as (a|an) (?!({_BUSINESS_ROLES})\b)",
    r"\bpretend\b(?!\s+(its|their|his|her)\b)",
    r"\brole[\s-]?play\b",
    r"\bdan\b", r"\bdo anything now\b",
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
# A writing task ("write a poem", "also write a rap"), unless it is asked of someone else
# ("did they write code for it?").
_TASK = re.compile(r"\b(write|compose|generate|create|draft)\b.{0,30}\b(poem|story|essay|song|"
                   r"joke|code|script|program|function|email|letter|tweet|novel|rap)", re.DOTALL)
_OF_SOMEONE_ELSE = re.compile(r"\b(did|does|do|has|have|had|will|would|can|could|should)\s+"
                              r"(?!(you|u|i)\b)[\w.-]+\s+$")


def is_out_of_scope_request(question: Question) -> bool:
    """Tell whether a question tries to steer the bot rather than ask about the knowledge."""
    text = question.normalized
    if _PATTERN.search(text):
        return True
    return any(not _OF_SOMEONE_ELSE.search(text[:task.start()]) for task in _TASK.finditer(text))
