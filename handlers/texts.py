"""What the bot says in Telegram, in Traditional Chinese, Simplified Chinese and English.

Answers come from the engine; these are the interface's own words. Texts are
HTML-ready: callers escape what they insert with ``html.escape``.
"""

from __future__ import annotations

from bot.language import Language

Texts = dict[Language, str]

WELCOME: Texts = {
    "zh-Hant": "👋 你好！我回答關於 <b>OpenAI 硬體生態</b>的問題：自研 AI 晶片與博通、台積電的合作、"
               "AMD 與輝達的晶片、融資與估值，以及對 Humane、Figure AI、1X 等裝置與機器人新創的投資。"
               "每個回答都附上來源（《中國經營報》2024 年 10 月底的報導）。\n\n試試看：\n{examples}\n\n"
               "指令：/help 說明 · /sources 來源 · /reset 重新開始 · /about 關於",
    "zh-Hans": "👋 你好！我回答关于 <b>OpenAI 硬件生态</b>的问题：自研 AI 芯片与博通、台积电的合作、"
               "AMD 与英伟达的芯片、融资与估值，以及对 Humane、Figure AI、1X 等设备与机器人初创公司的投资。"
               "每个回答都附上来源（《中国经营报》2024 年 10 月底的报道）。\n\n试试看：\n{examples}\n\n"
               "指令：/help 说明 · /sources 来源 · /reset 重新开始 · /about 关于",
    "en": "👋 Hi! I answer questions about <b>OpenAI's hardware ecosystem</b>: its in-house AI chip "
          "with Broadcom and TSMC, AMD and NVIDIA chips, funding and valuation, and its bets on "
          "device and robot start-ups such as Humane, Figure AI and 1X. Every answer comes with "
          "its sources (a China Business Journal report from late October 2024).\n\n"
          "Try:\n{examples}\n\nCommands: /help · /sources · /reset · /about",
}

HELP: Texts = {
    "zh-Hant": "<b>怎麼用</b>\n• 私訊：直接輸入問題（繁體、簡體或 English 都可以）。\n"
               "• 群組：提及 @{bot}、回覆我的訊息，或用 /ask 問題。\n"
               "• 任何聊天室：輸入 @{bot} 問題，可直接插入附來源的事實。\n\n"
               "/sources 上一個回答引用的事實與段落\n/reset 忘記這段對話\n/about 資料來源與版本\n\n"
               "回答只根據知識庫；知識庫沒有的內容，我會直接說不知道。",
    "zh-Hans": "<b>怎么用</b>\n• 私聊：直接输入问题（繁体、简体或 English 都可以）。\n"
               "• 群组：提及 @{bot}、回复我的消息，或用 /ask 问题。\n"
               "• 任何聊天：输入 @{bot} 问题，可直接插入附来源的事实。\n\n"
               "/sources 上一个回答引用的事实与段落\n/reset 忘记这段对话\n/about 资料来源与版本\n\n"
               "回答只根据知识库；知识库没有的内容，我会直接说不知道。",
    "en": "<b>How to use me</b>\n• Private chat: just type your question (繁體, 简体 or English).\n"
          "• Groups: mention @{bot}, reply to one of my messages, or use /ask question.\n"
          "• Any chat: type @{bot} question to insert a sourced fact.\n\n"
          "/sources: the facts and paragraphs behind my last answer\n/reset: forget this "
          "conversation\n/about: where my knowledge comes from\n\n"
          "I answer only from my knowledge base, and say so when it does not cover a question.",
}

SOURCES_HEADING: Texts = {"zh-Hant": "<b>上一個回答的來源</b>",
                          "zh-Hans": "<b>上一个回答的来源</b>",
                          "en": "<b>Sources of my last answer</b>"}
NO_SOURCES: Texts = {
    "zh-Hant": "這個聊天室還沒有引用來源的回答。問我一個問題吧！",
    "zh-Hans": "这个聊天还没有引用来源的回答。问我一个问题吧！",
    "en": "There is no answer with sources in this chat yet. Ask me something!",
}
FOOTER_HEADING: Texts = {"zh-Hant": "來源：", "zh-Hans": "来源：", "en": "Sources: "}
RESET_DONE: Texts = {
    "zh-Hant": "好的，我已忘記這段對話，可以重新開始了。",
    "zh-Hans": "好的，我已忘记这段对话，可以重新开始了。",
    "en": "Done: I've forgotten this conversation. Let's start afresh.",
}
RESET_FAILED: Texts = {
    "zh-Hant": "抱歉，現在無法清除這段對話（資料暫時無法寫入），請稍後再試。",
    "zh-Hans": "抱歉，现在无法清除这段对话（数据暂时无法写入），请稍后再试。",
    "en": "Sorry, I can't forget this conversation right now (my storage is read-only). "
          "Please try again later.",
}
ABOUT: Texts = {
    "zh-Hant": "<b>資料來源</b>\n{source}\n{reporter}{date}\n\n知識庫版本 <code>{version}</code>："
               "{facts} 則事實，引用原文第 {paragraphs} 段。",
    "zh-Hans": "<b>资料来源</b>\n{source}\n{reporter}{date}\n\n知识库版本 <code>{version}</code>："
               "{facts} 条事实，引用原文第 {paragraphs} 段。",
    "en": "<b>Where my knowledge comes from</b>\n{source}\n{reporter}{date}\n\nKnowledge version "
          "<code>{version}</code>: {facts} facts citing paragraphs {paragraphs} of the article.",
}
NOT_TEXT: Texts = {
    "zh-Hant": "我只回答文字問題，請直接輸入你的問題。",
    "zh-Hans": "我只回答文字问题，请直接输入你的问题。",
    "en": "I answer text questions: please type your question.",
}
RATE_LIMITED: Texts = {
    "zh-Hant": "你問得有點快，請 {seconds} 秒後再試。",
    "zh-Hans": "你问得有点快，请 {seconds} 秒后再试。",
    "en": "You're asking a bit fast: please try again in {seconds} s.",
}
NOT_ALLOWED: Texts = {
    "zh-Hant": "抱歉，這個機器人只開放給特定使用者。",
    "zh-Hans": "抱歉，这个机器人只开放给特定用户。",
    "en": "Sorry, this bot is only open to certain users.",
}
ERROR: Texts = {
    "zh-Hant": "抱歉，處理時出了點問題，請稍後再試。",
    "zh-Hans": "抱歉，处理时出了点问题，请稍后再试。",
    "en": "Sorry, something went wrong on my side. Please try again shortly.",
}
ASK_USAGE: Texts = {
    "zh-Hant": "用法：/ask 你的問題，例如 /ask OpenAI 跟誰合作做晶片？",
    "zh-Hans": "用法：/ask 你的问题，例如 /ask OpenAI 跟谁合作做芯片？",
    "en": "Usage: /ask your question, e.g. /ask Who is OpenAI building its chip with?",
}
INLINE_EMPTY: Texts = {
    "zh-Hant": "找不到相關事實：在私訊裡問我", "zh-Hans": "找不到相关事实：在私信里问我",
    "en": "No matching fact: ask me in a private chat",
}

# The buttons under an answer, and the short notes a tap gets (plain text, at most 200).
SOURCES_BUTTON: Texts = {"zh-Hant": "📄 來源", "zh-Hans": "📄 来源", "en": "📄 Sources"}
ANSWER_SOURCES_HEADING: Texts = {"zh-Hant": "<b>這個回答的來源</b>",
                                 "zh-Hans": "<b>这个回答的来源</b>",
                                 "en": "<b>Sources of this answer</b>"}
TAPPED_QUESTION: Texts = {"zh-Hant": "❓ {asker}{question}", "zh-Hans": "❓ {asker}{question}",
                          "en": "❓ {asker}{question}"}
VOTE_THANKS: Texts = {"zh-Hant": "謝謝你的回饋！", "zh-Hans": "谢谢你的反馈！",
                      "en": "Thanks for the feedback!"}
VOTE_CHANGED: Texts = {"zh-Hant": "已更新你的評價，謝謝！", "zh-Hans": "已更新你的评价，谢谢！",
                       "en": "Your vote is updated. Thanks!"}
VOTE_UNCHANGED: Texts = {"zh-Hant": "這個回答你已評價過了。", "zh-Hans": "这个回答你已评价过了。",
                         "en": "You have already voted on this answer."}
VOTE_FAILED: Texts = {"zh-Hant": "抱歉，現在無法記錄評價，請稍後再試。",
                      "zh-Hans": "抱歉，现在无法记录评价，请稍后再试。",
                      "en": "Sorry, I can't record votes right now. Please try again later."}
BUTTON_EXPIRED: Texts = {
    "zh-Hant": "這個按鈕已過期，請直接輸入你的問題。",
    "zh-Hans": "这个按钮已过期，请直接输入你的问题。",
    "en": "This button has expired: please type your question instead.",
}
NO_ANSWER_SOURCES: Texts = {"zh-Hant": "這個回答沒有引用來源。", "zh-Hans": "这个回答没有引用来源。",
                            "en": "This answer cites no sources."}

# Command menus registered with setMyCommands: the default (English) and Chinese users'.
COMMANDS: dict[str, list[tuple[str, str]]] = {
    "": [("start", "Welcome and examples"), ("help", "How to use the bot"),
         ("sources", "Sources of the last answer"), ("reset", "Forget this conversation"),
         ("about", "Where the knowledge comes from"), ("ask", "Ask a question (in groups)")],
    "zh": [("start", "歡迎與範例 / 欢迎与示例"), ("help", "使用說明 / 使用说明"),
           ("sources", "上一個回答的來源 / 上一个回答的来源"),
           ("reset", "忘記這段對話 / 忘记这段对话"), ("about", "資料來源 / 资料来源"),
           ("ask", "提問（群組用）/ 提问（群组用）")],
}
