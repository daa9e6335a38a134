"""How people type in chats, in the words the knowledge uses: for lexical matching only.

Semantic search reads the question as typed; word matching needs the usual word.
Colloquial Chinese (咋, 图啥, 来着), chat English (u, b4, bn, $$) and particles glued to
a word (钱呀) become the standard form, on normalised (lower-case, Simplified) text.
These are general features of the languages, not of this knowledge.
"""

from __future__ import annotations

import re

# Chinese, normalised to Simplified: colloquial form -> standard form ("" drops it).
CHINESE = {
    "咋样": "怎么样", "咋回事": "怎么回事", "咋想": "怎么想", "咋看": "怎么看", "咋": "怎么",
    "图啥": "为什么", "为啥": "为什么", "干嘛要": "为什么要", "干嘛去": "为什么去",
    "干啥": "做什么", "干嘛": "做什么", "搞啥": "做什么",
    "能干嘛": "能做什么", "啥时候": "什么时候", "啥": "什么", "来着": "", "到底": "",
    "有木有": "有没有", "牛在哪儿": "优势在哪", "牛在哪": "优势在哪", "牛逼": "厉害",
    "能耐": "能力", "牛人": "人物", "金主": "投资人", "砸钱": "投资", "钱呀": "钱",
    "拿了多少": "融资多少", "拿到多少": "融资多少", "拿了": "获得",
    "融了": "融资", "钱融得": "融资", "融得": "融资",
    "搞芯片": "做芯片", "扯上": "提到", "老板": "负责人",
    "打消念头": "放弃", "打消了念头": "放弃", "打消": "放弃", "爆料": "报道", "爆出": "报道",
    "爆了什么料": "透露了什么", "爆了啥料": "透露了什么", "爆了料": "透露",
    "爆的料": "报道", "报的料": "报道",
    "凉了": "失败", "翻车": "失败", "扑街": "失败",
    # Starting a company: 他开的公司, 自己开的那间 (创的 is in _IN_CONTEXT).
    "自己开的": "创办的", "开的公司": "创办的公司",
    "开的那间": "创办的那间", "开的那家": "创办的那家",
    # Internet and northern chat: 官宣 (announced), 栗子 (例子, a pun), 俩 (two).
    "官宣": "宣布", "举个栗子": "举个例子", "栗子": "例子", "哪俩": "哪两个",
    # "What does their side say": a response. 那边 (their side) says who, not what.
    "那边咋说": "回应", "那边怎么说": "回应", "那边说什么": "回应", "怎么回复": "回应",
    # Big shots, know-how, work: 大佬 (a notable person), 本事 (ability), 非得 (must),
    # 混过 (worked at), 盖厂 (build a plant).
    "大佬们": "", "大佬": "", "本事": "能力", "非得": "必须",
    "混过": "待过", "呆过": "待过", "盖厂": "建厂", "盖工厂": "建厂",
    # Chat words for things the news speaks of in its own words: 火了 (became popular), 筹钱
    # (raise money), 赶出来 (rushed out), 带头投 (led); 展上 and 合开 are in _IN_CONTEXT.
    "火了": "走红了", "火的": "走红的", "红起来": "走红", "爆红": "走红", "筹钱": "筹资",
    "赶出来": "推出", "带头投": "领投",
    "分散开来": "分散",
    # How the asker came to ask or feels about it, not what is asked (刚刷到, 一头雾水,
    # 看不太懂, 求科普), forms of address (老铁, 家人们, 各位) and interjections (蛤, 齁, 欸).
    "刚刷到": "", "刷到": "", "刚看到": "", "一头雾水": "", "看不太懂": "", "看不懂": "",
    "没看懂": "", "搞不懂": "", "不太懂": "", "求科普": "", "科普一下": "", "求解答": "",
    "在线等": "", "有人知道吗": "", "有没有人知道": "", "有谁知道": "", "请教一下": "",
    "想请问": "", "问一下": "", "顺便问下": "", "顺便问一下": "", "对了": "",
    "老铁们": "", "老铁": "", "家人们": "", "兄弟们": "", "各位大大": "", "各位": "",
    "说白了": "", "有一说一": "", "合着": "", "敢情": "", "讲真": "",
    # What is impressive about a thing: what it can do (厉害的地方, 牛的地方, 有啥本事).
    "厉害的地方": "特点", "厉害之处": "特点", "牛的地方": "特点", "牛在什么地方": "特点",
    "好在哪儿": "优势在哪", "好在哪里": "优势在哪", "好在哪": "优势在哪", "强在哪": "优势在哪",
    "哈哈哈": "", "哈哈": "", "嘿嘿": "", "呵呵": "", "真假": "", "是喔": "", "是哦": "",
    "蛤": "", "齁": "", "欸": "", "诶": "", "大家都": "", "大家": "",
    # Greetings before a question ("早安，…", "嗨，…") ask nothing.
    "早安": "", "早上好": "", "午安": "", "晚上好": "", "哈喽": "", "哈啰": "", "嗨": "",
    "在吗": "",
    # Written Cantonese (Hong Kong), after Simplified conversion: 边个 (which, who), 嘅 (的),
    # 咗 (了), 冇 (没有), 佢 (他), 点解 (why), 几时 (when), 乜嘢 (what); 唔该 is "please".
    "唔该晒": "", "唔该": "", "多谢晒": "", "边个": "哪个", "边间": "哪间", "边家": "哪家",
    "边度": "哪里", "边位": "哪位", "系咪": "是不是", "系唔系": "是不是", "系边": "是哪",
    "嘅": "的", "咗": "了", "冇": "没有", "佢哋": "他们", "佢": "他", "啲": "些",
    "点解": "为什么", "点样": "怎么样", "几时": "什么时候", "乜嘢": "什么", "咩嘢": "什么",
    "做咩": "做什么", "嚟": "来",
}
# Chat English -> standard English (whole words).
ENGLISH = {
    "u": "you", "ur": "your", "r": "are", "b4": "before", "bn": "billion", "mn": "million",
    "mil": "million", "k": "thousand", "pls": "please", "plz": "please", "thx": "thanks",
    "whats": "what is", "wats": "what is", "wat": "what", "whos": "who is", "hows": "how is",
    "wheres": "where is", "whens": "when is", "w/": "with", "w/o": "without", "mo": "month",
    "yr": "year", "yrs": "years", "rn": "right now", "tho": "though",
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "dunno": "do not know",
    "govt": "government", "ppl": "people",
    "get back to": "respond to", "got back to": "responded to", "gets back to": "responds to",
    "hear back": "get a response", "heard back": "got a response",
    "jan": "january", "feb": "february", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december", "cos": "companies", "cos.": "companies",
    "broke the story": "reported", "broke the news": "reported", "stuck": "in trouble",
    "someone": "", "somebody": "", "anyone": "", "anybody": "",
    "abt": "about", "wut": "what", "cuz": "because", "coz": "because", "bc": "because",
    "thru": "through", "rly": "really", "smth": "something", "sth": "something",
    "brought up": "mentioned", "bring up": "mention", "brings up": "mentions",
    "spilled": "revealed", "spill": "reveal", "spilt": "revealed",
    # Chat filler that asks nothing: lol, tbh, "asking for a friend", "or nah".
    "lol": "", "lmao": "", "tbh": "", "btw": "", "imo": "", "ngl": "", "fr": "",
    "or nah": "", "nah": "", "asking for a friend": "", "apparently": "",
    # Greetings before a question ask nothing.
    "good morning": "", "good afternoon": "", "good evening": "", "gm": "", "hey there": "",
    "hi there": "", "yo": "",
}
# Sentence-final particles that glue onto the word before them in chat Chinese.
PARTICLES = "呀啊呢嘛啦吧哈哦喔耶咧呗嘞咯哟"

_CHINESE = re.compile("|".join(sorted(map(re.escape, CHINESE), key=len, reverse=True)))
_ENGLISH = re.compile(r"(?<![\w/])(" + "|".join(
    sorted(map(re.escape, ENGLISH), key=len, reverse=True)) + r")(?![\w/])")
_MONEY = re.compile(r"\${2,}")
_CONTRACTED = re.compile(r"\b(who|what|where|when|how|which|it|that|there)'s\b")
_PARTICLE_END = re.compile(f"[{PARTICLES}]+(?=[\\s?？!！。.,，~～]*$)")


# Rewrites that depend on the characters around them: a Taiwan title typed in Simplified
# (执行长 → 首席执行官, not 执行长期), 创的 for 创办的 (not 开创的), 俩 for 两个 (not 伎俩),
# a two-digit year.
# Characters before 报 that make it another word (预报, 情报, 举报, 财报) or a paper (日报, 经营报).
_NOT_REPORTING = "预情电汇申举回画日晚周月年学简公快警通播捷喜海上营时商导晨财季早"
_TITLES = {"执行": "首席执行官", "技术": "首席技术官", "营运": "首席运营官", "财务": "首席财务官"}
_IN_CONTEXT = (
    (re.compile(r"(执行|技术|营运|财务)长(?![期达久远足处进度])"),
     lambda match: _TITLES[match.group(1)]),
    (re.compile(r"(?<![开独首原草])创的"), lambda match: "创办的"),
    (re.compile(r"(?<!伎)俩"), lambda match: "两个"),
    # A year in two digits (23年春天 is spring 2023), not a span of years (20年前, 10年来,
    # 用了20年时间).
    (re.compile(r"(?<![\d.])(1[5-9]|2\d)年(?![前后来内间多左时的])"),
     lambda match: f"20{match.group(1)}年"),
    # Words that are also the end of another (发展上, 联合开发, 对话说): only on their own.
    (re.compile(r"(?<!发)展上"), lambda match: "展会"),
    (re.compile(r"(?<!联)合开(?!发)"), lambda match: "合作设立"),
    (re.compile(r"(?<!对)话说"), lambda match: ""),
    # 报 for 报道 in chat (哪家媒体报的, 最早报出来的), not the end of 预报, 情报, 电报, 日报 ….
    (re.compile(rf"(?<![{_NOT_REPORTING}])报(?:出来|出|(?=的))"), lambda match: "报道"),
    # 人家 (they, those people), not the end of 机器人 in 机器人家用.
    (re.compile(r"(?<!器)人家"), lambda match: ""),
    # An investor describing what it backed (OpenAI领投的1X, "the OpenAI-backed startup")
    # says which company is meant, not what is asked: 领投 there asks for no lead investor.
    # The investor goes too when it is named in letters: OpenAI is implied anyway, and two
    # names would read as a comparison of the two.
    (re.compile(r"(?:(?<![a-z0-9])[a-z0-9][a-z0-9.-]*(?: [a-z0-9][a-z0-9.-]*){0,2}\s*)?"
                r"(?:领投|投资|参投|支持|押注|投)(?:了|过)?[的嘅]"
                r"(?=\s*[a-z0-9])"), lambda match: " "),
    (re.compile(r"\b[a-z0-9]+-backed\b"), lambda match: ""),
)


def standard_form(normalized: str) -> str:
    """Normalised text (see knowledge.text.normalize) in standard words."""
    text = _MONEY.sub(" money ", normalized)
    for pattern, replace in _IN_CONTEXT:
        text = pattern.sub(replace, text)
    text = _CONTRACTED.sub(lambda match: f"{match.group(1)} is", text)
    text = _ENGLISH.sub(lambda match: ENGLISH[match.group(1)], text)
    text = _CHINESE.sub(lambda match: CHINESE[match.group(0)], text)
    return _PARTICLE_END.sub("", text)
