"""What the bot says in Telegram, in Traditional Chinese, Simplified Chinese and English.

Answers come from the engine; these are the interface's own words. Texts are
HTML-ready: callers escape what they insert with ``html.escape``.
"""

from __future__ import annotations

from bot.knowledge_admin import AdminCode
from bot.language import Script

Texts = dict[Script, str]

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


# What admins see (/reload, /versions, /rollback, /sources_list, /remove_source, /stats,
# uploads).
ADMIN_ONLY: Texts = {
    "zh-Hant": "這個指令只限管理員使用。",
    "zh-Hans": "这个指令仅限管理员使用。",
    "en": "This command is for admins.",
}
PRIVATE_ONLY: Texts = {
    "zh-Hant": "管理指令只在私訊中使用，請私訊我。",
    "zh-Hans": "管理指令只在私聊中使用，请私聊我。",
    "en": "Admin commands work in a private chat with me: please message me directly.",
}
CHANGED: Texts = {
    "zh-Hant": "✅ 現在使用版本 #{id}（<code>{hash}</code>）：新增 {added} 則、修改 {changed} 則、移除 {removed} 則事實{articles}。",
    "zh-Hans": "✅ 现在使用版本 #{id}（<code>{hash}</code>）：新增 {added} 条、修改 {changed} 条、删除 {removed} 条事实{articles}。",
    "en": "✅ Now serving version #{id} (<code>{hash}</code>): {added} facts added, {changed} changed, {removed} removed{articles}.",
}
ARTICLES_CHANGED: Texts = {
    "zh-Hant": "；文章 +{added} / -{removed}",
    "zh-Hans": "；文章 +{added} / -{removed}",
    "en": "; articles +{added} / -{removed}",
}
NO_CHANGE: Texts = {
    "zh-Hant": "知識庫內容沒有變化，仍在使用目前的版本。",
    "zh-Hans": "知识库内容没有变化，仍在使用当前的版本。",
    "en": "Nothing changed: the current version keeps serving.",
}
INGESTED: Texts = {
    "zh-Hant": "📄 已加入文章「{title}」（{paragraphs} 段，{encoding}），來源 ID <code>{id}</code>。現在就能回答相關問題。",
    "zh-Hans": "📄 已加入文章「{title}」（{paragraphs} 段，{encoding}），来源 ID <code>{id}</code>。现在就能回答相关问题。",
    "en": "📄 Added the article “{title}” ({paragraphs} paragraphs, {encoding}) as source <code>{id}</code>. Questions about it are answered now.",
}
FLAGGED: Texts = {
    "zh-Hant": "⚠️ 以下段落不會被引用：{paragraphs}。",
    "zh-Hans": "⚠️ 以下段落不会被引用：{paragraphs}。",
    "en": "⚠️ These paragraphs are not served: {paragraphs}.",
}
FLAG_REASONS: dict[str, Texts] = {
    "instructions": {"zh-Hant": "像是給 AI 的指令", "zh-Hans": "像是给 AI 的指令",
                     "en": "reads like instructions to an AI"},
    "link": {"zh-Hant": "含有連結", "zh-Hans": "含有链接", "en": "holds a link"},
}
ALREADY_INGESTED: Texts = {
    "zh-Hant": "這篇文章已在知識庫中（<code>{id}</code>），沒有任何變更。",
    "zh-Hans": "这篇文章已在知识库中（<code>{id}</code>），没有任何变更。",
    "en": "This article is already known (<code>{id}</code>): nothing changed.",
}
INVALID_KNOWLEDGE: Texts = {
    "zh-Hant": "❌ 知識檔有 {count} 個問題，知識庫保持不變：",
    "zh-Hans": "❌ 知识文件有 {count} 个问题，知识库保持不变：",
    "en": "❌ The knowledge file has {count} problem(s); the knowledge is unchanged:",
}
MORE_PROBLEMS: Texts = {"zh-Hant": "……還有 {count} 個", "zh-Hans": "……还有 {count} 个",
                        "en": "… and {count} more"}
PROBLEM_PLACE: Texts = {"zh-Hant": "第 {line} 行", "zh-Hans": "第 {line} 行", "en": "line {line}"}
PROBLEM_FACT: Texts = {"zh-Hant": "事實 {fact}", "zh-Hans": "事实 {fact}", "en": "fact {fact}"}
PROBLEMS: dict[str, Texts] = {
    "syntax": {"zh-Hant": "YAML／JSON 語法錯誤", "zh-Hans": "YAML/JSON 语法错误",
               "en": "YAML/JSON syntax error"},
    "missing": {"zh-Hant": "缺少這個欄位", "zh-Hans": "缺少这个字段", "en": "this field is missing"},
    "extra_forbidden": {"zh-Hant": "未知的欄位", "zh-Hans": "未知的字段", "en": "unknown field"},
    "string_too_short": {"zh-Hant": "不可為空", "zh-Hans": "不能为空", "en": "must not be empty"},
    "duplicate_id": {"zh-Hant": "id 重複", "zh-Hans": "id 重复", "en": "duplicate id"},
    "unknown_entity": {"zh-Hant": "找不到這個實體", "zh-Hans": "找不到这个实体",
                       "en": "no such entity"},
    "unknown_source": {"zh-Hant": "找不到這個來源", "zh-Hans": "找不到这个来源",
                       "en": "no such source"},
    "paragraph_out_of_range": {"zh-Hant": "段落編號超出文章範圍", "zh-Hans": "段落编号超出文章范围",
                               "en": "paragraph number outside the article"},
    "not_chinese": {"zh-Hant": "zh 欄位沒有中文", "zh-Hans": "zh 字段没有中文",
                    "en": "the zh statement has no Chinese text"},
    "not_english": {"zh-Hant": "en 欄位含有中文字", "zh-Hans": "en 字段含有中文字",
                    "en": "the en statement holds Chinese characters"},
    "not_a_mapping": {"zh-Hant": "檔案不是知識檔的格式", "zh-Hans": "文件不是知识文件的格式",
                      "en": "the file is not a knowledge file"},
    "yaml_alias": {"zh-Hant": "不能使用 YAML 錨點與別名（&名稱、*名稱），請把每個值直接寫出來",
                   "zh-Hans": "不能使用 YAML 锚点与别名（&名称、*名称），请把每个值直接写出来",
                   "en": "YAML anchors and aliases (&name, *name) are not allowed: write each value out"},
    # Limits: {detail} says which, with the figure and the limit.
    "too_large": {"zh-Hant": "檔案太大或巢狀太深（{detail}）", "zh-Hans": "文件太大或嵌套太深（{detail}）",
                  "en": "the file is too large or too deeply nested ({detail})"},
    "too_many_facts": {"zh-Hant": "事實太多（{detail}）", "zh-Hans": "事实太多（{detail}）",
                       "en": "too many facts ({detail})"},
    "too_much_text": {"zh-Hant": "文字太多（{detail}）", "zh-Hans": "文字太多（{detail}）",
                      "en": "too much text ({detail})"},
    "index_too_large": {"zh-Hant": "建出的索引會太大（{detail}）", "zh-Hans": "建出的索引会太大（{detail}）",
                        "en": "the search index would be too large ({detail})"},
}
# Every AdminCode but invalid_knowledge, which lists the file's problems instead.
ADMIN_REFUSED: dict[AdminCode, Texts] = {
    "too_many_paragraphs": {"zh-Hant": "❌ 文章超過 2,000 段，未處理。", "zh-Hans": "❌ 文章超过 2,000 段，未处理。",
                            "en": "❌ The article has over 2,000 paragraphs; nothing was changed."},
    "too_large": {"zh-Hant": "❌ 檔案超過 1 MB，未處理。", "zh-Hans": "❌ 文件超过 1 MB，未处理。",
                  "en": "❌ The file is over 1 MB; nothing was changed."},
    "empty": {"zh-Hant": "❌ 檔案是空的，未處理。", "zh-Hans": "❌ 文件是空的，未处理。",
              "en": "❌ The file is empty; nothing was changed."},
    "binary": {"zh-Hant": "❌ 這不是文字檔，未處理。", "zh-Hans": "❌ 这不是文本文件，未处理。",
               "en": "❌ This is not a text file; nothing was changed."},
    "undecodable": {"zh-Hant": "❌ 無法以 UTF-8、GB18030 或 Big5 讀取這個檔案，未處理。",
                    "zh-Hans": "❌ 无法以 UTF-8、GB18030 或 Big5 读取这个文件，未处理。",
                    "en": "❌ The file is not UTF-8, GB18030 or Big5 text; nothing was changed."},
    "no_paragraphs": {"zh-Hant": "❌ 文章沒有可用的段落（第一行是標題，之後至少要有一段），未處理。",
                      "zh-Hans": "❌ 文章没有可用的段落（第一行是标题，之后至少要有一段），未处理。",
                      "en": "❌ The article has no paragraphs (the first line is its title; at least one paragraph must follow); nothing was changed."},
    "unsupported": {"zh-Hant": "❌ 只接受知識檔（.yaml、.yml、.json）或文章（.txt、.md）。",
                    "zh-Hans": "❌ 只接受知识文件（.yaml、.yml、.json）或文章（.txt、.md）。",
                    "en": "❌ Send a knowledge file (.yaml, .yml, .json) or an article (.txt, .md)."},
    "unknown_version": {
        "zh-Hant": "找不到這個版本。用 /versions 查看可用的版本。",
        "zh-Hans": "找不到这个版本。用 /versions 查看可用的版本。",
        "en": "No such version. /versions lists them.",
    },
    "no_earlier_version": {
        "zh-Hant": "沒有更早的版本可以回復。", "zh-Hans": "没有更早的版本可以回滚。",
        "en": "There is no earlier version to roll back to.",
    },
    "builtin_source": {
        "zh-Hant": "內建文章不能用這個指令移除，只能上傳不含它的知識檔。",
        "zh-Hans": "内置文章不能用这个指令删除，只能上传不含它的知识文件。",
        "en": "The built-in article can only be removed by a knowledge file that drops it.",
    },
    "not_serving": {
        "zh-Hant": "資料庫還沒有任何知識版本，先用 /reload 讀取知識檔。",
        "zh-Hans": "数据库还没有任何知识版本，先用 /reload 读取知识文件。",
        "en": "The database serves no knowledge yet: /reload reads the knowledge file.",
    },
    "stopped": {
        "zh-Hant": "⚠️ 機器人正在重新啟動，這個檔案沒有套用，知識庫保持不變；請等它回來後再傳一次。",
        "zh-Hans": "⚠️ 机器人正在重新启动，这个文件没有应用，知识库保持不变；请等它回来后再发一次。",
        "en": "⚠️ The bot is restarting: the file was not applied and the knowledge is unchanged. "
              "Please send it again once the bot is back.",
    },
    "unknown_source": {
        "zh-Hant": "找不到這個來源。用 /sources_list 查看。",
        "zh-Hans": "找不到这个来源。用 /sources_list 查看。",
        "en": "No such source. /sources_list lists them.",
    },
}
FAILED: Texts = {
    "zh-Hant": "❌ 操作失敗，知識庫保持不變（詳情已記錄在日誌）。",
    "zh-Hans": "❌ 操作失败，知识库保持不变（详情已记录在日志）。",
    "en": "❌ That failed; the knowledge is unchanged (details are in the log).",
}
DOWNLOAD_FAILED: Texts = {
    "zh-Hant": "❌ 無法從 Telegram 下載這個檔案，知識庫保持不變；請稍後再傳一次。",
    "zh-Hans": "❌ 无法从 Telegram 下载这个文件，知识库保持不变；请稍后再发一次。",
    "en": "❌ Could not download the file from Telegram; the knowledge is unchanged. Please send it again later.",
}
VERSIONS_HEADING: Texts = {"zh-Hant": "<b>最近的版本</b>", "zh-Hans": "<b>最近的版本</b>",
                           "en": "<b>Latest versions</b>"}
VERSION_LINE: Texts = {
    "zh-Hant": "{marker}#{id} <code>{hash}</code> {at} · {actor} · {action}：{summary}",
    "zh-Hans": "{marker}#{id} <code>{hash}</code> {at} · {actor} · {action}：{summary}",
    "en": "{marker}#{id} <code>{hash}</code> {at} · {actor} · {action}: {summary}",
}
SOURCES_LIST_HEADING: Texts = {"zh-Hant": "<b>來源</b>", "zh-Hans": "<b>来源</b>",
                               "en": "<b>Sources</b>"}
SOURCE_LINE: Texts = {
    "zh-Hant": "<code>{id}</code>「{title}」，{paragraphs} 段 · {kind}",
    "zh-Hans": "<code>{id}</code>「{title}」，{paragraphs} 段 · {kind}",
    "en": "<code>{id}</code> “{title}”, {paragraphs} paragraphs · {kind}",
}
BUILTIN: Texts = {"zh-Hant": "內建", "zh-Hans": "内置", "en": "built-in"}
ADDED: Texts = {"zh-Hant": "{at} 由 {actor} 加入", "zh-Hans": "{at} 由 {actor} 加入",
                "en": "added {at} by {actor}"}
REMOVE_USAGE: Texts = {
    "zh-Hant": "用法：/remove_source 來源ID（見 /sources_list）",
    "zh-Hans": "用法：/remove_source 来源ID（见 /sources_list）",
    "en": "Usage: /remove_source SOURCE_ID (see /sources_list)",
}
STATS: Texts = {
    "zh-Hant": "<b>使用統計</b>\n問題數（回答／婉拒）：近一天 {day}，近一週 {week}，全部 {all}\n"
               "語言：{languages}\n改用離線回答：{fallbacks} 次；模型錯誤：{errors}\n"
               "回答時間：中位數 {median}，p95 {p95}\n用量：提示 {prompt} tokens，回答 {completion} tokens",
    "zh-Hans": "<b>使用统计</b>\n问题数（回答/婉拒）：近一天 {day}，近一周 {week}，全部 {all}\n"
               "语言：{languages}\n改用离线回答：{fallbacks} 次；模型错误：{errors}\n"
               "回答时间：中位数 {median}，p95 {p95}\n用量：提示 {prompt} tokens，回答 {completion} tokens",
    "en": "<b>Usage</b>\nQuestions (answered/declined): last day {day}, last week {week}, all time {all}\n"
          "Languages: {languages}\nOffline fallbacks: {fallbacks}; model errors: {errors}\n"
          "Answer time: median {median}, p95 {p95}\nTokens: {prompt} prompt, {completion} completion",
}
TOP_DECLINED: Texts = {"zh-Hant": "<b>最常婉拒的問題</b>（可補充的內容）",
                       "zh-Hans": "<b>最常婉拒的问题</b>（可补充的内容）",
                       "en": "<b>Most frequent declined questions</b> (gaps to fill)"}
VOTES: Texts = {"zh-Hant": "<b>回答評價</b>：{answers} 個回答，👍 {up}，👎 {down}",
                "zh-Hans": "<b>回答评价</b>：{answers} 个回答，👍 {up}，👎 {down}",
                "en": "<b>Votes</b>: {answers} answers, 👍 {up}, 👎 {down}"}
MOST_DOWN: Texts = {"zh-Hant": "<b>最多人按 👎 的回答</b>（優先修正）",
                    "zh-Hans": "<b>最多人按 👎 的回答</b>（优先修正）",
                    "en": "<b>Most voted-down answers</b> (fix these first)"}
NONE: Texts = {"zh-Hant": "無", "zh-Hans": "无", "en": "none"}
UPLOAD_PENDING: Texts = {
    "zh-Hant": "⏳ 還有上傳的檔案正在套用，等它完成（會另外通知）再用這個指令。",
    "zh-Hans": "⏳ 还有上传的文件正在应用，等它完成（会另行通知）再用这个指令。",
    "en": "⏳ An upload is still being applied; use this command once it is done (you will be "
          "told).",
}
UPLOAD_WORKING: Texts = {
    "zh-Hant": "⏳ 正在套用這個檔案，較大的文章可能要幾分鐘；這段時間照常回答問題。",
    "zh-Hans": "⏳ 正在应用这个文件，较大的文章可能要几分钟；这段时间照常回答问题。",
    "en": "⏳ Applying the file; a large article can take a few minutes. Questions are answered "
          "meanwhile.",
}

# Keyed like texts.COMMANDS: by the language code Telegram's menu is shown for.
ADMIN_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "": [("reload", "Re-read the knowledge file"), ("versions", "Latest knowledge versions"),
         ("rollback", "Go back to a version"), ("sources_list", "Built-in and uploaded sources"),
         ("remove_source", "Remove an uploaded article"), ("stats", "Questions and answers")],
    "zh": [("reload", "重新讀取知識檔 / 重新读取知识文件"), ("versions", "最近的版本 / 最近的版本"),
           ("rollback", "回到某個版本 / 回到某个版本"), ("sources_list", "內建與上傳的來源 / 内置与上传的来源"),
           ("remove_source", "移除上傳的文章 / 移除上传的文章"), ("stats", "提問與回答統計 / 提问与回答统计")],
}
