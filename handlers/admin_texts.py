"""What the bot says to admins, in Traditional Chinese, Simplified Chinese and English."""

from __future__ import annotations

from handlers.texts import Texts

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
UPLOAD_REFUSED: dict[str, Texts] = {
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
UNKNOWN_VERSION: Texts = {
    "zh-Hant": "找不到這個版本。用 /versions 查看可用的版本。",
    "zh-Hans": "找不到这个版本。用 /versions 查看可用的版本。",
    "en": "No such version. /versions lists them.",
}
NO_EARLIER_VERSION: Texts = {
    "zh-Hant": "沒有更早的版本可以回復。", "zh-Hans": "没有更早的版本可以回滚。",
    "en": "There is no earlier version to roll back to.",
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
BUILTIN_SOURCE: Texts = {
    "zh-Hant": "內建文章不能用這個指令移除，只能上傳不含它的知識檔。",
    "zh-Hans": "内置文章不能用这个指令删除，只能上传不含它的知识文件。",
    "en": "The built-in article can only be removed by a knowledge file that drops it.",
}
UNKNOWN_SOURCE: Texts = {
    "zh-Hant": "找不到這個來源。用 /sources_list 查看。",
    "zh-Hans": "找不到这个来源。用 /sources_list 查看。",
    "en": "No such source. /sources_list lists them.",
}
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
WORKING: Texts = {"zh-Hant": "處理中……", "zh-Hans": "处理中……", "en": "Working on it…"}

# Keyed like texts.COMMANDS: by the language code Telegram's menu is shown for.
ADMIN_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "": [("reload", "Re-read the knowledge file"), ("versions", "Latest knowledge versions"),
         ("rollback", "Go back to a version"), ("sources_list", "Built-in and uploaded sources"),
         ("remove_source", "Remove an uploaded article"), ("stats", "Questions and answers")],
    "zh": [("reload", "重新讀取知識檔 / 重新读取知识文件"), ("versions", "最近的版本 / 最近的版本"),
           ("rollback", "回到某個版本 / 回到某个版本"), ("sources_list", "內建與上傳的來源 / 内置与上传的来源"),
           ("remove_source", "移除上傳的文章 / 移除上传的文章"), ("stats", "提問與回答統計 / 提问与回答统计")],
}
