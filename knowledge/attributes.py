"""Attributes a question may ask for that only a statement of that precision answers
(a day, a head count, a price, a lead investor …), and the words asking for a view."""

from __future__ import annotations

import re

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december")


# Coming to market: what a question asking when a product will be available speaks of.
_AVAILABLE_EN = (r"\b(?:ship|ships|shipping|be ready|be available|arrive|hit the market|"
                 r"go on sale|mass[- ]produc\w*|be out|come out|in stores)\b")
_AVAILABLE_ZH = "量产|出货|上市|问世|面世|交付|投产|开卖|发售|用上|开售|落地"
# One investor's share: 贝佐斯自己投了多少, 微软出了多少 (not 投资者一共投了多少, 投了多少家).
_OWN_SHARE_ZH = (r"(?:自己|个人|单独|各自|分别)\s*(?:投|出|砸)(?:了|资|资了|咗)?[^，。？?]{0,12}?"
                 r"(?:多少|几多)(?!\s*(?:家|个|间|轮|次|笔|位|名|款|种|初创|新创|公司))|"
                 r"(?<!总共)(?<!一共)(?<![们者方家])(?:投|出|砸)(?:了|资了|咗)(?:多少|几多)(?:钱)?"
                 r"(?![家个间轮次笔位名款种])")
_OWN_SHARE_EN = (r"\bhow much (?:money )?did (?!(?:the )?(?:it|they|investors?|people|backers|"
                 r"big tech)\b)(?![^?]*\b(?:and others|in total|altogether|combined)\b)"
                 r"(?:[a-z0-9-]+ ){1,3}?(?:itself |himself |herself )?"
                 r"(?:put|invest|chip in|contribute)\b|\bcontribution\b")
# "Who led the round": the round, by its name or its amount, after "who led".
LED_ROUND = (r"\bwho led (?:the |its |their |that |this |[a-z0-9-]+'s )?(?:[a-z0-9$.-]+ ){0,3}"
              r"(?:round|funding|raise|investment|series)\b|"
              r"\bwhich (?:investor|company|firm) led\b")
# The words asking for a view, and those by which a statement gives one.
# Whether someone responded is an event, not a view: "did Broadcom get back to the paper?"
# is answered by nobody having replied.
_SOMEONE = r"(?!(?:it|they|the|he|she|you|i|we)\b)(?:[a-z0-9-]+ ){1,3}?"
VIEW_ASKED = re.compile(
    r"怎么看|咋看|如何看|看法|怎么评价|如何评价|观点|\b(?:opinion|views? on)\b|"
    # "did OpenAI think about building a fab" asks what it considered.
    rf"\b(?:did|does|has|do) {_SOMEONE}(?:say|said)\b|\bwhat (?:do|does|did) {_SOMEONE}think\b")
VIEW_ZH = (r"认为|表示|指出|透露|看来|观点|看法|回应|直言|坦言|强调|分析|提出|提到|比喻|举例|"
            r"报道|报导|理由|预计|预期")
VIEW_EN = (r"said|says|told|believes?|thinks?|argued?|argues|notes?|noted|stated?|suggests|"
            r"calls|commented|respond(?:ed)?|sees?|reported|reports?|reasons?|compares?|"
            r"compared|mentions?|mentioned|points? out|cites?|describes?|expects?|warns?|"
            r"considered|view")


# Attributes a question may ask for that only a statement of that precision answers: the
# question's wording, and what a fact must hold (normalised Chinese, or English) to give it.
ATTRIBUTES = {
    # "Which day?" takes at least a month, not a year (2024年内 does not say when GPT-5
    # comes out; mid-September says when o1 did).
    "day": (re.compile(r"哪天|哪一天|几号|几月几[日号]|具体日期|\b(what|which|exact) (date|day)\b"),
            re.compile(r"\d{1,2}\s*月|\b(?:" + MONTHS.replace("may|", "") + r")\b|"
                       r"\bmay \d|\bin may\b")),
    # A head count takes people counted, not any number.
    "headcount": (re.compile(r"多少(?:个)?(?:人(?![工形民])|员工|名(?![字称])|位)|"
                             r"几(?:个)?(?:人(?![工形民])|名员工)|\bhow many (people|"
                             r"employees|staff|engineers|researchers|workers)\b|\bheadcount\b"),
                  re.compile(r"\d[\d,.万千百]*\s*(?:名|位|人)(?!工|民|形)|\b\d[\d,.]*\s*"
                             r"(?:employees|people|staff|engineers|researchers)\b")),
    # A market share or a stake takes a share: a percentage ("does OpenAI have a stake in
    # Figure AI?" asks whether, not how much).
    "share": (re.compile(r"份额|市占|占有率|持股(?:比例|多少|几)|(?:多少|几成|百分之几)的?股份|"
                         r"股权(?:比例|多少)|占股|百分之几|百分之多少|几成|"
                         r"\bmarket share\b|\bshare of (?:the )?(?:[a-z-]+ ){0,3}market\b|"
                         r"\bwhat ?(?:%|percent)|\bpercent(?:age)? of\b|\bhow much of\b|"
                         r"\b(?:how (?:big|large|much)|what|size of) "
                         r"(?:a |of |is |the |its |their )*"
                         r"(?:stake|equity)\b"),
              re.compile(r"%|％|百分之|\bper ?cent\b|\d\s*成|持股|股份|\bstake\b")),
    # Units sold, shipped or deployed take things counted, not a round's amount (几只基金
    # counts funds).
    "units": (re.compile(r"(?:多少|几多|几)\s*(?:台|部|架|件)|销量|出货量|卖了多少|卖出多少|"
                         r"\bhow many (?:[a-z0-9-]+ ){0,2}(?:units|robots|devices|pins|machines)\b|"
                         r"\bunits?\b.{0,12}\b(?:sold|shipped|deployed)\b|"
                         r"\bsales (?:figures?|numbers?)\b"),
              re.compile(r"\d[\d,.万千百]*\s*(?:万\s*)?(?:台|部|架|件|只|张|颗)|销量|"
                         r"\b\d[\d,.]*\s*(?:[a-z0-9-]+\s+){0,2}(?:units|robots|devices|pins|"
                         r"machines|gpus|chips)\b")),
    # A price takes a price, not a funding round's amount ("how much does the NEO cost?");
    # "lower the price it pays" asks about costs, and a company's "price tag" is its value.
    "price": (re.compile(r"售价|定价|价格(?:是|为)?(?:多少|几多|怎么样|贵不贵)|卖多少|"
                         r"多少钱一[台部个]|"
                         r"\bwhat(?:'s| is| was| will be) (?:the |its )?(?:retail |sale )?price\b|"
                         r"\bpriced at\b|\b(?:how much|what) (?:does|do|is|will|would) "
                         r"(?:[a-z0-9'-]+ ){1,4}cost\b"),
              re.compile(r"价格|售价|定价|\bpriced?\b|\bsells? for\b|\bcosts? (?:us)?\$")),
    # What one investor put in ("how much did Microsoft invest in OpenAI?", 贝佐斯自己投了多少)
    # takes a share of the round, not the round's total, which is what the backers together
    # (投资者一共投了多少, "the investors", "OpenAI and others … in total") put in.
    "contribution": (re.compile(_OWN_SHARE_ZH + "|" + _OWN_SHARE_EN),
                     re.compile(r"分别|各自|各投|独自|单独|全部由|全数|\beach\b|\bof which\b|"
                                r"\bcontributed\b|\balone\b|\bsole\b")),
    # "When will the chip ship?" takes a date to come, not when the news was reported.
    "expected": (re.compile(
        rf"(?:\b(?:will|gonna|going to|expected to|set to)\b|预计|将会|将要|打算|计划)"
        rf"[^，。？?]{{0,24}}?(?:{_AVAILABLE_EN}|{_AVAILABLE_ZH}|发布|推出|\b(?:launch|release)\b)|"
        # Not "when did o1 come out", 什么时候上市的: a date past.
        rf"(?:什么时候|何时|哪年|哪一年|几月)[^，。？?]{{0,16}}?(?:{_AVAILABLE_ZH})(?![的了过])|"
        rf"\bwhen (?:is|are|does|do|can|could|might|may)\b[^,.?]{{0,30}}?{_AVAILABLE_EN}"),
        re.compile(r"预计|将于|将在|有望|计划于|计划在|\b(?:expected|will|would|plans? to|slated|"
                   r"scheduled)\b")),
    # "Who led the round?" takes a lead investor, not the round's amount ("who led AI chip
    # work at Tesla?" is no round).
    "lead": (re.compile(rf"领投|牵头|{LED_ROUND}|\blead investors?\b|"
                        r"\bled (?:the|that|this|its) (?:round|funding|raise)\b"),
             re.compile(r"领投|\bled by\b|\blead investor\b|\bled (?:the|its) ")),
    # "Who broke the news first?", 最早哪家媒体报的: the outlet whose report the news cites,
    # not the one carrying the article.
    "first report": (re.compile(r"(?:最早|首先|率先|第一个|最先)[^，。？?]{0,10}"
                                r"(?:报道|爆出|披露|曝光)|"
                                r"\b(?:first|originally) (?:reported|revealed|broke)\b|"
                                r"\breported (?:it |this |that |the news )?first\b"),
                     re.compile(r"据[^，。；]{0,24}报道|\breported\b")),
    # An amount of money (融了多少钱, "how much did it raise", 估值多少) takes a sum of money,
    # not a count (the fund's 12 start-ups) or a date.
    "money": (re.compile(r"多少钱(?!一)|几多钱|(?:融资|募资|筹资|募得|筹得|估值)(?:了|是|为|有)?"
                         r"(?:多少|几多)|值多少|多少(?:美元|美金|刀)|"
                         r"\bhow much (?:money|funding|cash|capital)\b|"
                         r"\bhow much (?:did|does|has|have) (?:[a-z0-9.'-]+ ){1,3}?raised?\b|"
                         r"\bhow much (?:is|was|are|were) (?:[a-z0-9.'-]+ ){1,3}?"
                         r"(?:worth|valued)\b|"
                         r"\bwhat(?:'s| is| was)? (?:the |its |their |[a-z0-9-]+(?: ai)?'s )?"
                         r"(?:latest |current )?valuation\b"),
              re.compile(r"美元|美金|亿元|万元|\$|\bdollars?\b")),
    # A share price takes a share price, not a valuation.
    "stock": (re.compile(r"股价|股票价格|\b(stock|share) price\b"),
              re.compile(r"股价|股票|\bstock\b|\bshare price\b|\bper share\b")),
    # "Who bought it?" takes a sale that happened, not a company looking for a buyer.
    # "Is it looking for a buyer?" is answered by a company seeking one; "its buyer" is not.
    "buyer": (re.compile(r"卖给(了)?谁|被谁(收购|买)|谁(收购|买下|买了)|买家是|谁是买家|"
                         r"\bwho (bought|buys|acquired|ended up buying)\b|"
                         r"\b(?:the|its|their|[a-z0-9-]+'s) buyer\b"),
              re.compile(r"被.{0,12}收购|收购了|买下|卖给|\bacquired by\b|\bbought (?!its)|"
                         r"\bsold (?:itself |the company )?to\b")),
}
