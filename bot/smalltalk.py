"""Greetings, thanks and "who are you?": a friendly word back, not "not covered".

A message is small talk when, once its greeting, thanks or question about the bot is
taken away, nothing is left but punctuation, emoji and filler. "Thanks! Who founded
Humane?" is a question, and is answered as one.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.question import Question

Kind = Literal["greeting", "thanks", "about", "bye", "ack"]

_PATTERNS: dict[Kind, str] = {
    "greeting": r"\b(hi|hello|hey|hiya|howdy|yo|good (morning|afternoon|evening)|greetings)\b"
                r"|\bs+up\b|\bwhat'?s up\b|\bwassup\b"
                r"|你好|您好|大家好|嗨|哈喽|哈啰|哈罗|早安|早上好|午安|晚上好|在吗|在不在|有人吗|安安|"
                r"^早[啊呀]?$",
    "thanks": r"\b(thanks?|thank (you|u)|thx|ty|cheers|much appreciated|appreciate (it|that)|"
              r"great|awesome|cool|nice|perfect|helpful|that helped( a lot)?|tysm|"
              r"thanks a (ton|bunch))\b"
              r"|谢谢|谢了|谢啦|感谢|多谢|3q|太好了|好厉害|厉害|有帮助|很有用|挺有用|很棒|不错|"
              r"辛苦了|赞|感恩|(挺|蛮|太|真|好)?牛(逼|b|啊|了)?|nb|给力|666+|厉害了|好棒|真棒|水喔|水啦",
    "about": r"\b(who|what) (are|r) (you|u)\b|\bwhat can (you|u) do\b|"
             r"\bwhat do (you|u) (do|know)\b|\bhow can (you|u) help\b|\bwhat( i|')?s this bot\b|"
             r"\bare (you|u) a bot\b|\bwhat kinds? of questions?\b|"
             r"\bhow does (this|the) bot work\b|"
             r"\bwho (made|built|created) (you|u)\b|^/?(help|start)$|"
             r"\bwhat are (you|u) for\b|\bhelp me\b|"
             r"\b(which|what) (ai |language )?model (are|is|runs|powers|drives) (you|u|this bot)\b|"
             r"\bwho are (you|u) really\b"
             r"|你是谁|你是什么|你是干(啥|什么|嘛)的|你(可以|能|会)(帮我)?(做|干)(些)?(什么|啥|哪些)(事情?)?|"
             r"你会什么|你会啥|你(可以|能|会)回答(什么|啥|哪些)(问题)?|这个机器人是(做|干)(什么|啥)的|"
             r"你是什么东西|你都知道(些)?(什么|啥)|"
             r"你能帮我|你是机器人|这是什么机器人|怎么用你|你有什么用|你懂什么|"
             r"你(用的)?是(什么|哪个|啥)模型|你背后是(什么|哪个|啥)模型",
    "bye": r"\b(bye|goodbye|see (you|ya)|good night|later)\b|^88$|再见|拜拜|掰掰|^拜$|晚安|回头见|"
           r"下次见|先这样",
    "ack": r"\b(ok|okay|k|got it|i see|alright|all right|understood|noted|fine|sure)\b"
           r"|好的|好喔|好哦|好滴|好吧|^好$|^行$|^可以$|^嗯+$|没问题|没事了|了解|懂了|知道了|明白了?|"
           r"收到|原来如此|这样啊",
}
_COMPILED = {kind: re.compile(pattern) for kind, pattern in _PATTERNS.items()}
# What may be left beside small talk: punctuation, emoji, filler and forms of address.
_LEFTOVER = re.compile(
    r"[\s\W_]|\b(there|bot|again|so|very|much|a lot|lot|all|guys|folks|ok|okay|oh|ah|wow|"
    r"really|man|mate|friend|buddy|and|please|pls|you|u|for|the|help|that|it|this|is|was|so much|"
    r"exactly|then|now|yes|yeah|yep|thx|about|a ton|can|answer|questions?|lol|lmao|haha+|hehe+|"
    r"xd|btw|hmm+|der)\b"
    r"|[啊呀呢吧嘛哈啦哦喔噢耶唷嗯喽咯哇的了你您们我很非常真好超挺蛮太欸诶捏]|机器人|回答|解答|帮忙|东西|问题",
    re.UNICODE)
MAX_LENGTH = 60


# Questions about "this" that, with no conversation yet, can only mean the bot; within a
# conversation they mean what was just discussed ("How does it work?" after the AI Pin).
_ABOUT_THIS = re.compile(r"^(how does (this|it) work|who (made|built|created) (this|it)|"
                         r"what( i|')?s this|what is it)\W*$|^(怎么用|这是什么)\W*$")
# "What can it do" with the 你 left out, as chat users type it (你是谁啊，能干啥): the bot,
# with no conversation yet; within one, what was just discussed ("Figure 02？都能做什么？").
_WHAT_CAN_IT_DO = re.compile(r"(都)?(能|可以|会)(干|做)(点|些)?(啥|什么|嘛)")


def small_talk(message: Question, *, in_conversation: bool = False) -> Kind | None:
    """The kind of small talk a message is, or None when it says (or asks) anything more.

    ``in_conversation``: earlier turns exist, so "how does it work?" is a follow-up.
    """
    text = message.normalized.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    if not in_conversation and _ABOUT_THIS.search(text):
        return "about"
    found: Kind | None = None
    if not in_conversation and _WHAT_CAN_IT_DO.search(text):
        found, text = "about", _WHAT_CAN_IT_DO.sub(" ", text)
    for kind, pattern in _COMPILED.items():
        if pattern.search(text):
            found = found or kind
            text = pattern.sub(" ", text)
    if found is None or _LEFTOVER.sub("", text):
        return None
    return found
