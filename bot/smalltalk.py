"""Greetings, thanks and "who are you?": a friendly word back, not "not covered".

A message is small talk when, once its greeting, thanks or question about the bot is
taken away, nothing is left but punctuation, emoji and filler. "Thanks! Who founded
Humane?" is a question, and is answered as one.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.question import Question
from knowledge.query import asks_something

Kind = Literal["greeting", "thanks", "about", "bye", "ack", "sorry"]

_PATTERNS: dict[Kind, str] = {
    "greeting": r"\b(hi+|hello+|helo|hallo|hey+|heya|hiya|howdy|yo|gm|morning|evening|"
                r"good (morning|afternoon|evening|day)|greetings)\b"
                r"|\bs+up\b|\bwhat'?s up\b|\bwassup\b"
                r"|你好|您好|你号|大家好|嗨|哈喽|哈啰|哈罗|早安|早上好|午安|晚上好|在吗|在马|在不在|有人吗|"
                r"安安|好久不见|好耐(冇|无|没)见|(吃|呷)(饱|饭)(了)?(没|未|吗)|^早[啊呀安]?$",
    "thanks": r"\b(thanks?|thank (you|u)|thanku|thankyou|thanx|thnx|thnaks|thx|ty|cheers|"
              r"much appreciated|appreciate (it|that)|great|awesome|cool|nice|perfect|helpful|"
              r"that helped( a lot)?|tysm|thanks a (ton|bunch))\b"
              r"|谢谢|谢了|谢啦|谢拉|感谢|多谢|3q|唔该|太好了|好厉害|厉害|有帮助|很有用|挺有用|很棒|"
              r"不错|辛苦了|赞|感恩|(挺|蛮|太|真|好)?牛(逼|b|啊|了)?|nb|给力|666+|厉害了|好棒|真棒|"
              r"水喔|水啦",
    "about": r"\b(who|what|wh?at|waht|wut) (are|r) (you|u)\b|\b(wh?at|waht|wut) can (you|u) do\b|"
             r"\bwhat do (you|u) (do|know)\b|\bhow can (you|u) help\b|\bwhat( i|')?s this bot\b|"
             r"\bare (you|u) (a bot|a robot|an? ai|human|real|chat ?gpt|gpt)\b|"
             r"\bwhat kinds? of questions?\b|\bhow does (this|the) bot work\b|"
             r"\bwho (made|built|created) (you|u)\b|^/?(help|start)$|"
             r"\bwhat are (you|u) for\b|\bhelp me\b|"
             r"\b(which|what) (ai |language )?model (are|is|runs|powers|drives) (you|u|this bot)\b|"
             r"\bwho are (you|u) really\b"
             r"|你是谁|你事谁|你系谁|你是什么|你是干(啥|什么|嘛)的|"
             r"你(可以|能|会)(帮我)?(做|干)(些)?(什么|啥|哪些)(事情?)?|"
             r"你会什么|你会啥|你(可以|能|会)回答(什么|啥|哪些)(问题)?|这个机器人是(做|干)(什么|啥)的|"
             r"你是什么东西|你都知道(些)?(什么|啥)|"
             r"你(是|系咪?)(不是)?(机器人|真人|人类|ai|chat ?gpt|gpt)|"
             r"你能帮我|这是什么机器人|怎么用你|你有什么用|你懂什么|"
             r"你(用的)?是(什么|哪个|啥)模型|你背后是(什么|哪个|啥)模型",
    "bye": r"\b(bye+|goodbye|see (you|ya)|good night|gn|later|cya)\b|^88$|^886$|再见|拜拜|掰掰|"
           r"^拜$|晚安|回头见|下次见|先这样|先走了|睡了|闪了",
    "ack": r"\b(ok|okay|k|got it|i see|alright|all right|understood|noted|fine|sure|wow|lol|lmao|"
           r"haha+|hehe+|omg|hmm+|umm+)\b"
           r"|好的|好喔|好哦|好滴|好吧|^好$|^行$|^可以$|嗯+|喔喔|哦哦|噢噢|没问题|没事了|了解|懂了|"
           r"知道了|明白了?|收到|原来如此|这样啊|系咩|是喔|是哦|真的假的|哈哈+|呵呵+|嘻嘻+|"
           r"\[[\w ]{1,8}\]",
    "sorry": r"\b(sorry|my bad|apologies)\b|不好意思|抱歉|打扰了|打扰一下",
}
_COMPILED = {kind: re.compile(pattern) for kind, pattern in _PATTERNS.items()}
# What may be left beside small talk: punctuation, emoji, filler and forms of address.
_LEFTOVER = re.compile(
    r"[\s\W_]|\b(there|bot|again|so|very|much|a lot|lot|all|guys|folks|ok|okay|oh|ah|wow|"
    r"really|man|mate|friend|buddy|and|please|pls|you|u|for|the|help|that|it|this|is|was|so much|"
    r"exactly|then|now|yes|yeah|yep|thx|about|a ton|can|answer|questions?|lol|lmao|haha+|hehe+|"
    r"xd|btw|hmm+|der)\b"
    r"|[啊呀呢吧嘛哈啦拉哦喔噢耶唷嗯喽咯啰哇的了你您们我很非常真好超挺蛮太欸诶捏吗么晒嚟㗎ㄛㄚㄇ]"
    r"|机器人|回答|解答|帮忙|东西|问题",
    re.UNICODE)
MAX_LENGTH = 60
# Letters, digits or Han characters: a message with none is emoji and punctuation only.
_WORDS = re.compile(r"[^\W_]", re.UNICODE)


# Questions about "this" that, with no conversation yet, can only mean the bot; within a
# conversation they mean what was just discussed ("How does it work?" after the AI Pin).
_ABOUT_THIS = re.compile(r"^(how does (this|it) work|who (made|built|created) (this|it)|"
                         r"what( i|')?s this|what is it)\W*$|"
                         r"^((这个?)?(要|该)?怎么(用|使用)|这是什么)\W*$")
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
    if not _WORDS.search(text):
        return "ack"  # 👍, 👋🙂: a reaction, not a question
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


# A message the knowledge has nothing on may still be small talk in words of its own
# ("謝謝你的詳細說明", "哈囉，今天天氣真好"): short, opening or closing with a greeting,
# thanks or goodbye of two characters or more (not the 牛 of 牛肉麵), and asking nothing
# (or asking about the bot).
LOOSE_LENGTH = 60
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# Set apart from the rest by punctuation, a space or a particle ("你好，…", 谢谢啦，…, not
# the 你好 of 你好笨), or said to the bot (谢谢你, 谢谢您的说明).
_APART = re.compile(r"[\s\W_]|你|您|[啊呀啦拉喔哦噢耶啰囉嘛哈唷欸]")
# A request, a wish or a complaint beside the greeting is no small talk: 帮我订机票,
# "recommend me a movie", 谢谢，但你答错了, "thanks for nothing".
_NOT_SMALL_TALK = re.compile(
    r"[?？]|帮|幫|推荐|推薦|给我|給我|我想|我要|想要|讲个|講個|查|订|訂|搵|设|設|找|买|買|"
    r"但|不过|不過|错了|錯了|答错|答錯|不对|不對|笨|垃圾|烂|爛|"
    r"\b(tell|give|book|call|recommend|show|find|write|make|need|want|buy|order|set|"
    r"can|could|would|please|but|wrong|nothing|stupid|useless|bad)\b")


def loose_small_talk(message: Question) -> Kind | None:
    """The kind of small talk a message the knowledge does not cover holds, or None."""
    text = _EDGES.sub("", message.normalized)
    if len(text) > LOOSE_LENGTH:
        return None
    found = _opening(text) or _closing(text)
    # A question about the bot may ask and say 帮我 (你可以帮我做什么？); nothing else may.
    if found is None or (found != "about" and (_NOT_SMALL_TALK.search(text)
                                               or asks_something(text))):
        return None
    return found


def _opening(text: str) -> Kind | None:
    """The kind of the small talk a text opens with (好的谢谢，…), set apart from the rest."""
    first: Kind | None = None
    position = 0
    while match := next(((kind, m) for kind, pattern in _COMPILED.items()
                         if (m := pattern.match(text, position)) and m.end() > position),
                        None):
        first = first or match[0]
        position = match[1].end()
    if first is None or position < 2:
        return None
    return first if position == len(text) or _APART.match(text, position) else None


def _closing(text: str) -> Kind | None:
    """The kind of the small talk a text closes with ("…, thanks"), set apart from the rest."""
    for kind, pattern in _COMPILED.items():
        for match in pattern.finditer(text):
            if (match.end() == len(text) and match.end() - match.start() >= 2
                    and _APART.match(text, match.start() - 1)):
                return kind
    return None
