"""One message catalogue for every string a reader sees: page labels, hints, statuses and error messages in English,
简体 and 繁體, and the rule that picks the reader's language from the browser's (``Accept-Language``).

The page and the HTTP API both read it, so a message exists once. English error entries are ``{detail}``: the
exception's own message (which names the file, the value and the fix) is already the English text, so the API
answers exactly as before unless a client asks for Chinese.
"""
from __future__ import annotations

import re
import string
from collections.abc import Mapping

LANGUAGES = ("en", "zh-Hans", "zh-Hant")
DEFAULT_LANGUAGE = "en"

# The interface-language control shows each language in its own script.
LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}

# key -> (English, 简体, 繁體). Placeholders are str.format names; every language uses the same ones, except that
# a Chinese error entry may leave out {detail} (the English specifics) when it says everything itself.
MESSAGES: dict[str, tuple[str, str, str]] = {
    # ---- page frame
    "page.title": ("News QA", "新闻问答", "新聞問答"),
    "page.intro": (
        "# News question answering\nAsk in English, 简体 or 繁體; answers cite passages from the articles.",
        "# 新闻问答\n用英文、简体或繁體提问；答案引用文章原文段落。",
        "# 新聞問答\n用英文、簡體或繁體提問；答案引用文章原文段落。",
    ),
    "ui_language.label": ("Interface language", "界面语言", "介面語言"),
    "tab.ask": ("Ask", "提问", "提問"),
    "tab.documents": ("Documents", "文档", "文件"),
    # ---- asking
    "question.label": ("Question", "问题", "問題"),
    # no example about the seed articles: over a newsroom's own library it named a chip its articles never mention
    "question.placeholder": ("Ask about the articles: who, what, when, how much…", "就文章提问：谁、什么、何时、多少……",
                             "就文章提問：誰、什麼、何時、多少……"),
    "ask.button": ("Ask", "提问", "提問"),
    "k.label": ("Passages", "段落数", "段落數"),
    "view.label": ("Show passages in", "段落字体", "段落字體"),
    "view.original": ("As written", "原文", "原文"),
    "view.simplified": ("简体 Simplified", "简体", "簡體"),
    "view.traditional": ("繁體 Traditional (Taiwan)", "繁体（台湾）", "繁體（台灣）"),
    "view.hongkong": ("繁體 Traditional (Hong Kong)", "繁体（香港）", "繁體（香港）"),
    "examples.label": ("Examples (click to ask)", "示例（点击即提问）", "範例（點一下即提問）"),
    "question.truncated": ("Your question was {length:,} characters long; only the first {limit:,} were used.",
                           "问题共 {length:,} 个字符，只用了前 {limit:,} 个。",
                           "問題共 {length:,} 個字元，只用了前 {limit:,} 個。"),
    # ---- the answer
    "answer.detected": ("Detected: {language} · {script}", "检测到：{language} · {script}", "偵測到：{language} · {script}"),
    "language.zh": ("Chinese", "中文", "中文"),
    "language.en": ("English", "英文", "英文"),
    "language.other": ("other ({code})", "其他（{code}）", "其他（{code}）"),
    "script.simplified": ("Simplified", "简体", "簡體"),
    "script.traditional": ("Traditional", "繁体", "繁體"),
    "script.latin": ("Latin", "拉丁字母", "拉丁字母"),
    "script.mixed": ("mixed", "混合", "混合"),
    "script.none": ("no letters", "无文字", "無文字"),
    "script.other": ("other", "其他", "其他"),
    "script.original": ("as written", "原文", "原文"),
    "gloss.hint": ("Hover over or tap an underlined word for its pinyin and meaning; from the keyboard, Tab to the "
                   "sentence and move between its words with the arrow keys.",
                   "悬停或轻触带下划线的词，查看拼音和释义；用键盘时，按 Tab 键进入句子，再用方向键在词之间移动。",
                   "懸停或輕觸加底線的詞，查看拼音和釋義；用鍵盤時，按 Tab 鍵進入句子，再用方向鍵在詞之間移動。"),
    # a refusal on the page, in the interface language (the JSON's message follows the question's language)
    "answer.refused": ("The documents do not answer this question. The nearest passages are shown for reference only.",
                       "文档中没有找到能回答这个问题的内容。下面是最接近的段落，仅供参考。",
                       "文件中沒有找到能回答這個問題的內容。下面是最接近的段落，僅供參考。"),
    # said by a screen reader when the cards arrive (a visually hidden status line): the page changes silently else
    "answer.found": ("Passages found: {count}. The first is from {title}, paragraph {paragraph}.",
                     "找到 {count} 段。第一段出自《{title}》第 {paragraph} 段。", "找到 {count} 段。第一段出自《{title}》第 {paragraph} 段。"),
    "answer.nearest": ("Nearest passages found ({count}): none of them answers the question",
                       "找到的最接近的段落（{count}）：都没有回答这个问题", "找到的最接近的段落（{count}）：都沒有回答這個問題"),
    "card.not_answer": ("Not an answer", "不是答案", "不是答案"),
    "answer.no_documents": ("No documents in the index yet: add some on the Documents tab.",
                            "索引里还没有文档：请在“文档”页添加。", "索引裡還沒有文件：請在「文件」頁新增。"),
    # the same for a program or terminal (the JSON answer's message)
    "answer.empty_library": ("The index holds no documents yet, so nothing can answer: add articles (`qa add FILE`, "
                             "POST /api/documents or the page's Documents tab), then ask again.",
                             "索引里还没有文档，无从回答：请先添加文章（`qa add 文件`、POST /api/documents 或网页的“文档”页），再提问。",
                             "索引裡還沒有文件，無從回答：請先新增文章（`qa add 檔案`、POST /api/documents 或網頁的「文件」頁），再提問。"),
    "card.no_date": ("no date", "日期不详", "日期不詳"),
    "card.page": ("p. {page}", "第 {page} 页", "第 {page} 頁"),
    "card.paragraph": ("¶{paragraph}", "第 {paragraph} 段", "第 {paragraph} 段"),
    "card.page_paragraph": ("p. {page} ¶{paragraph}", "第 {page} 页第 {paragraph} 段", "第 {page} 頁第 {paragraph} 段"),
    # the citation's character offsets into the article's text (the JSON's start and end)
    "card.chars": ("chars {start}–{end}", "字符 {start}–{end}", "字元 {start}–{end}"),
    "card.chars_title": ("character offsets of this passage in the article's text", "本段在文章全文中的字符位置",
                         "本段在文章全文中的字元位置"),
    "card.also_in": ("Also in", "另见于", "另見於"),
    "card.also_in_open": ("Open {title} at this paragraph", "在原文中打开《{title}》的这一段", "在原文中開啟《{title}》的這一段"),
    "filter.from": ("From (YYYY-MM-DD)", "起始日期（YYYY-MM-DD）", "起始日期（YYYY-MM-DD）"),
    "filter.to": ("Until (YYYY-MM-DD)", "结束日期（YYYY-MM-DD）", "結束日期（YYYY-MM-DD）"),
    "filter.sources": ("Sources (none chosen: all)", "来源（不选即全部）", "來源（不選即全部）"),
    "filter.hint": ("Articles without a date are left out when a date is set.", "设定日期后，未注明日期的文章不参与检索。",
                    "設定日期後，未註明日期的文章不參與檢索。"),
    "filter.active": ("Filtered: {filters}", "已筛选：{filters}", "已篩選：{filters}"),
    # each active filter named, not a bare value: "2025-12-01" alone did not say whether from or until
    "filter.shown_from": ("from {value}", "自 {value} 起", "自 {value} 起"),
    "filter.shown_to": ("until {value}", "至 {value}", "至 {value}"),
    "filter.shown_sources": ("sources {value}", "来源 {value}", "來源 {value}"),
    "filter.shown_docs": ("articles {value}", "文章 {value}", "文章 {value}"),
    # beside the active filters (page and `qa ask`): an undated article that holds the answer is otherwise gone unseen
    "filter.undated_left_out": ("Articles without a date left out by the date filter: {count} (ask without dates to include them).",
                                "因设定日期而未参与检索的无日期文章：{count} 篇（不设日期再问即可包括它们）。",
                                "因設定日期而未參與檢索的無日期文章：{count} 篇（不設日期再問即可包括它們）。"),
    # when the filters leave no document: the page in its language, a program or terminal in the question's
    # (qa.filters.no_match_text), naming only the filters set: a --source alone was told to widen a date range
    "answer.no_match_question": ("No document matches the filters ({filters}).", "没有符合筛选条件（{filters}）的文档。",
                                 "沒有符合篩選條件（{filters}）的文件。"),
    "answer.no_match_filter.dates": ("dates", "日期", "日期"),
    "answer.no_match_filter.sources": ("sources", "来源", "來源"),
    "answer.no_match_filter.documents": ("documents", "文档", "文件"),
    "answer.no_match_advice.dates": ("Widen the date range: documents without a date are left out whenever a date bound is set.",
                                     "请放宽日期范围：未注明日期的文档在设定日期范围时不参与检索。",
                                     "請放寬日期範圍：未註明日期的文件在設定日期範圍時不參與檢索。"),
    "answer.no_match_advice.sources": ("Pick other sources (`qa docs` and GET /api/documents list each document's).",
                                       "请选择其他来源（`qa docs` 或 GET /api/documents 列出每篇文档的来源）。",
                                       "請選擇其他來源（`qa docs` 或 GET /api/documents 列出每篇文件的來源）。"),
    "answer.unknown_doc_ids": ("No document has the id {ids} (ids as `qa docs` and GET /api/documents list them).",
                               "没有 ID 为 {ids} 的文档（ID 见 `qa docs` 或 GET /api/documents）。",
                               "沒有 ID 為 {ids} 的文件（ID 見 `qa docs` 或 GET /api/documents）。"),
    # what Gradio's status tracker announces to screen readers when an event ends: its own translations lack
    # these keys, and "common.complete" was read out as it stands (qa.ui.gradio_i18n)
    "gradio.complete": ("Done", "完成", "完成"),
    "gradio.error": ("Error", "出错", "出錯"),
    "card.relevance": ("confidence", "可信度", "可信度"),
    "card.show": ("Show in article", "在原文中查看", "在原文中檢視"),
    "details.summary": ("Details: {total} ms", "详情：{total} 毫秒", "詳情：{total} 毫秒"),
    "details.ms": ("{ms} ms", "{ms} 毫秒", "{ms} 毫秒"),
    "stage.detect": ("Reading the question", "识别问题语言", "辨識問題語言"),
    "stage.embed": ("Understanding the question", "理解问题", "理解問題"),
    "stage.vector_search": ("Searching by meaning", "按语义检索", "依語義檢索"),
    "stage.keyword_search": ("Searching by words", "按关键词检索", "依關鍵詞檢索"),
    "stage.fusion": ("Combining the results", "合并结果", "合併結果"),
    "stage.abstain": ("Checking there is an answer", "判断是否有答案", "判斷是否有答案"),
    "stage.rerank": ("Re-reading the first passages in English", "以英文重读前几段", "以英文重讀前幾段"),
    "stage.highlight": ("Finding the answering sentence", "标出答句", "標出答句"),
    "stage.confidence": ("Weighing each passage", "评估各段可信度", "評估各段可信度"),
    "stage.gloss": ("Adding the reading aid", "添加释义", "加入釋義"),
    "stage.total": ("Total", "合计", "合計"),
    "article.title": ("The article", "原文", "原文"),
    "article.pick": ("Ask a question first, then choose “Show in article” on a card.",
                     "请先提问，再点卡片上的“在原文中查看”。", "請先提問，再點卡片上的「在原文中檢視」。"),
    "article.gone": ("“{title}” is no longer in the library (it was deleted or replaced since this answer). Ask again "
                     "to search the articles there are now.",
                     "“{title}”已不在文档库中（在这个回答之后被删除或替换）。请重新提问，检索现有的文章。",
                     "「{title}」已不在文件庫中（在這個回答之後被刪除或替換）。請重新提問，檢索現有的文章。"),
    "article.close": ("Close the article", "关闭原文", "關閉原文"),
    # ---- documents
    "docs.formats": (
        "**Formats**: PDF with a text layer (scans need OCR first) · Word .docx · saved web pages .html/.htm (article "
        "text only) · Markdown .md · text .txt (UTF-8, UTF-16, GB18030, Big5 with HKSCS). Metadata comes from the file, else from "
        "`FILE.meta.json`.  \n**Limits**: {mb} MB per file · {pages:,} pages per PDF · {chars:,} characters of text "
        "per document. You can upload several files at once.",
        "**格式**：有文字层的 PDF（扫描件请先 OCR）· Word .docx · 保存的网页 .html/.htm（只取正文）· Markdown .md · "
        "纯文本 .txt（UTF-8、UTF-16、GB18030、Big5（含香港 HKSCS））。元数据取自文件本身，否则取自 `FILE.meta.json`。  \n"
        "**限制**：每个文件 {mb} MB · 每个 PDF {pages:,} 页 · 每篇文档 {chars:,} 个字符。可一次上传多个文件。",
        "**格式**：有文字層的 PDF（掃描檔請先 OCR）· Word .docx · 儲存的網頁 .html/.htm（只取正文）· Markdown .md · "
        "純文字 .txt（UTF-8、UTF-16、GB18030、Big5（含香港 HKSCS））。詮釋資料取自檔案本身，否則取自 `FILE.meta.json`。  \n"
        "**限制**：每個檔案 {mb} MB · 每個 PDF {pages:,} 頁 · 每篇文件 {chars:,} 個字元。可一次上傳多個檔案。",
    ),
    "docs.filters": (
        "**Narrowing and repeats**: on the Ask tab a date range (YYYY-MM-DD) and sources limit what an answer may "
        "cite; articles without a date are left out as soon as a date is set. A fact that several articles state is "
        "shown once, the others under it as “Also in 《title》 ¶N” (a PDF's as p. N ¶M, the paragraph counted on its page).",
        "**筛选与重复**：在“提问”页可用日期范围（YYYY-MM-DD）和来源限定答案引用的文章；一旦设定日期，未注明日期的文章不参与检索。"
        "几篇文章都说到的同一事实只显示一次，其余列在其下的“另见于《标题》第 N 段”（PDF 写作第 N 页第 M 段，段落按该页计数）。",
        "**篩選與重複**：在「提問」頁可用日期範圍（YYYY-MM-DD）和來源限定答案引用的文章；一旦設定日期，未註明日期的文章不參與檢索。"
        "幾篇文章都說到的同一事實只顯示一次，其餘列在其下的「另見於《標題》第 N 段」（PDF 寫作第 N 頁第 M 段，段落按該頁計數）。",
    ),
    "docs.upload": ("Upload articles (PDF, Word, web page, Markdown, text; several at once)",
                    "上传文章（PDF、Word、网页、Markdown、纯文本；可多选）",
                    "上傳文章（PDF、Word、網頁、Markdown、純文字；可多選）"),
    "docs.refresh": ("Refresh", "刷新", "重新整理"),
    "docs.empty": ("No documents yet: upload one below.", "还没有文档：请在下方上传。", "還沒有文件：請在下方上傳。"),
    "docs.count": ("{count} documents", "{count} 篇文档", "{count} 篇文件"),
    "docs.col.title": ("Title", "标题", "標題"),
    "docs.col.date": ("Date", "日期", "日期"),
    "docs.col.source": ("Source", "来源", "來源"),
    "docs.col.author": ("Author", "作者", "作者"),
    "docs.col.script": ("Script", "字体", "字體"),
    "docs.col.passages": ("Passages", "段落", "段落"),
    "docs.col.id": ("ID", "ID", "ID"),
    "docs.indexing": ("Indexing {name}", "正在索引 {name}", "正在索引 {name}"),
    "docs.choose_file": ("Choose a file to upload.", "请选择要上传的文件。", "請選擇要上傳的檔案。"),
    "status.added": ("Added: {title} ({doc_id})", "已添加：{title}（{doc_id}）", "已新增：{title}（{doc_id}）"),
    "status.replaced": ("Replaced: {title} ({doc_id})", "已替换：{title}（{doc_id}）", "已取代：{title}（{doc_id}）"),
    "status.unchanged": ("Unchanged: {title} ({doc_id})", "未改变：{title}（{doc_id}）", "未變更：{title}（{doc_id}）"),
    "status.skipped": ("{name}: {reason}", "{name}：{reason}", "{name}：{reason}"),
    # ---- deleting, with a confirmation and an undo
    "delete.label": ("Delete a document", "删除文档", "刪除文件"),
    "delete.button": ("Delete…", "删除…", "刪除…"),
    "delete.choose": ("Choose a document to delete first.", "请先选择要删除的文档。", "請先選擇要刪除的文件。"),
    "delete.confirm": ("Delete “{title}” ({doc_id})? It moves to the trash; you can undo.",
                       "删除《{title}》（{doc_id}）？它会移到回收站，可以撤销。",
                       "刪除《{title}》（{doc_id}）？它會移到資源回收筒，可以復原。"),
    "delete.yes": ("Yes, delete it", "确定删除", "確定刪除"),
    "delete.no": ("Cancel", "取消", "取消"),
    "delete.cancelled": ("Nothing was deleted.", "没有删除任何文档。", "沒有刪除任何文件。"),
    "status.deleted": ("Deleted: {title} ({doc_id}). It is kept in the trash: Undo brings it back.",
                       "已删除：{title}（{doc_id}）。撤销前它会留在回收站。",
                       "已刪除：{title}（{doc_id}）。復原前它會留在資源回收筒。"),
    "undo.button": ("Undo delete", "撤销删除", "復原刪除"),
    "undo.replace": ("Undo replace (bring back the previous version)", "撤销替换（恢复之前的版本）", "復原取代（還原先前的版本）"),
    "status.restored": ("Restored: {title} ({doc_id})", "已恢复：{title}（{doc_id}）", "已還原：{title}（{doc_id}）"),
    # the trash on the page: every deleted or replaced version, restorable after the Undo button has gone
    "trash.label": ("Deleted articles (kept in the trash)", "已删除的文章（保留在回收站）", "已刪除的文章（保留在資源回收筒）"),
    "trash.button": ("Restore", "恢复", "還原"),
    "trash.choose": ("Choose a deleted article to restore first.", "请先选择要恢复的文章。", "請先選擇要還原的文章。"),
    "trash.entry": ("{title} ({doc_id}) · {reason} {when}", "{title}（{doc_id}）· {when} {reason}",
                    "{title}（{doc_id}）· {when} {reason}"),
    # ---- errors (by exception type; English is the exception's own message)
    "error.QAError": ("{detail}", "出错了：{detail}", "發生錯誤：{detail}"),
    "error.EmptyQuestion": ("{detail}", "问题是空的，或者没有字母、数字或汉字；请输入一个问题。",
                            "問題是空的，或者沒有字母、數字或漢字；請輸入一個問題。"),
    "error.BadRequest": ("{detail}", "请求无效：{detail}", "請求無效：{detail}"),
    "error.BadDate": ("{field} must be a date written YYYY-MM-DD, such as 2025-10-01; got '{value}'",
                      "{field} 必须是 YYYY-MM-DD 格式的日期，例如 2025-10-01；收到的是“{value}”",
                      "{field} 必須是 YYYY-MM-DD 格式的日期，例如 2025-10-01；收到的是「{value}」"),
    # {field}, {end_field}: the fields as the reader's surface names them (the API's date_from and date_to; the
    # page's labels and the CLI's --since and --until, error_message(..., fields=))
    "error.BadDateOrder": ("{field} {value} is after {end_field} {end}; swap them or widen the range",
                           "{field} {value} 晚于 {end_field} {end}：请对调或放宽范围",
                           "{field} {value} 晚於 {end_field} {end}：請對調或放寬範圍"),
    "error.DocumentNotFound": ("{detail}", "找不到这篇文档：{detail}", "找不到這篇文件：{detail}"),
    "error.IndexNotFound": ("{detail}", "找不到索引：{detail}", "找不到索引：{detail}"),
    "error.UnsupportedFile": ("{detail}", "不支持这种文件类型（{detail}）。", "不支援這種檔案類型（{detail}）。"),
    "error.FileTooLarge": ("{detail}", "文件太大（{detail}）。", "檔案太大（{detail}）。"),
    "error.TooManyPages": ("{detail}", "页数超过上限（{detail}）：请拆分文件。", "頁數超過上限（{detail}）：請分割檔案。"),
    "error.DecodeError": ("{detail}", "无法读取这个文件（{detail}）。", "無法讀取這個檔案（{detail}）。"),
    "error.NoTextLayer": ("{detail}", "这是没有文字层的扫描 PDF：请先做 OCR（例如 ocrmypdf）再添加（{detail}）。",
                          "這是沒有文字層的掃描 PDF：請先做 OCR（例如 ocrmypdf）再新增（{detail}）。"),
    "error.EncryptedFile": ("{detail}", "文件有密码保护：请另存一份无密码的副本再添加（{detail}）。",
                            "檔案有密碼保護：請另存一份無密碼的副本再新增（{detail}）。"),
    "error.CorruptFile": ("{detail}", "文件已损坏或类型不符：请重新导出或下载（{detail}）。",
                          "檔案已損毀或類型不符：請重新匯出或下載（{detail}）。"),
    "error.NoArticleText": ("{detail}", "网页里找不到正文（{detail}）。", "網頁裡找不到正文（{detail}）。"),
    # ---- upload and ingest refusals, translated whole (QAError.keyed)
    "ingest.too_large": ("{name}: {size} bytes is over the limit of {limit} bytes (file too large); split it, or "
                         "raise the limit (setting max_upload_bytes)",
                         "{name}：{size} 字节，超过上限 {limit} 字节（文件太大）；请拆分文件，或调高上限（设置 max_upload_bytes）",
                         "{name}：{size} 位元組，超過上限 {limit} 位元組（檔案太大）；請分割檔案，或調高上限（設定 max_upload_bytes）"),
    "ingest.no_text": ("{name}: the file holds no text; check that it is the article (not an empty export) and add "
                       "it again", "{name}：文件里没有文字；请确认这是文章本身（而不是空的导出文件）后再添加",
                       "{name}：檔案裡沒有文字；請確認這是文章本身（而不是空的匯出檔案）後再新增"),
    "ingest.too_many_chars": ("{name}: {chars} characters of text is over the limit of {limit} (setting max_chars); "
                              "split the document or raise the limit",
                              "{name}：文字共 {chars} 个字符，超过上限 {limit}（设置 max_chars）；请拆分文件或调高上限",
                              "{name}：文字共 {chars} 個字元，超過上限 {limit}（設定 max_chars）；請分割檔案或調高上限"),
    "ingest.binary_nul": ("{name}: looks like a binary file (contains NUL bytes); upload UTF-8, GB18030 or Big5 text",
                          "{name}：看起来是二进制文件（含有 NUL 字节）；请上传 UTF-8、GB18030 或 Big5 编码的文本",
                          "{name}：看起來是二進位檔案（含有 NUL 位元組）；請上傳 UTF-8、GB18030 或 Big5 編碼的文字檔"),
    "ingest.binary_control": ("{name}: looks like a binary file (many control characters); upload UTF-8, GB18030 or "
                              "Big5 text",
                              "{name}：看起来是二进制文件（控制字符很多）；请上传 UTF-8、GB18030 或 Big5 编码的文本",
                              "{name}：看起來是二進位檔案（控制字元很多）；請上傳 UTF-8、GB18030 或 Big5 編碼的文字檔"),
    "ingest.bad_encoding": ("{name}: not valid UTF-8, UTF-16, GB18030 or Big5 text; re-save it as UTF-8",
                            "{name}：不是有效的 UTF-8、UTF-16、GB18030 或 Big5 文本；请另存为 UTF-8",
                            "{name}：不是有效的 UTF-8、UTF-16、GB18030 或 Big5 文字；請另存為 UTF-8"),
    "ingest.unsupported": ("{name}: unsupported file type{suffix}; accepted: {accepted}",
                           "{name}：不支持的文件类型{suffix}；可以上传：{accepted}",
                           "{name}：不支援的檔案類型{suffix}；可以上傳：{accepted}"),
    "ingest.id_clash": ("{name}: document id '{doc_id}' is already used by {path}; upload it as {path} to replace it, "
                        "or delete that document first",
                        "{name}：文档 ID“{doc_id}”已被 {path} 使用；请以 {path} 为名上传来替换它，或先删除那篇文档",
                        "{name}：文件 ID「{doc_id}」已被 {path} 使用；請以 {path} 為名上傳來取代它，或先刪除那篇文件"),
    "ingest.not_bytes": ("{name}: data must be bytes, got {kind}; read the file in binary mode (open(path, 'rb')) or "
                         "pass text.encode('utf-8')",
                         "{name}：data 必须是 bytes，收到的是 {kind}；请以二进制方式读取文件（open(path, 'rb')），"
                         "或传入 text.encode('utf-8')",
                         "{name}：data 必須是 bytes，收到的是 {kind}；請以二進位方式讀取檔案（open(path, 'rb')），"
                         "或傳入 text.encode('utf-8')"),
    "ingest.bad_name": ("file name '{name}' is not allowed; use a plain name such as article.txt",
                        "不能使用文件名“{name}”；请用 article.txt 这样的普通名称",
                        "不能使用檔名「{name}」；請用 article.txt 這樣的一般名稱"),
    "ingest.long_name": ("file name '{name}' is too long or has control characters; use a plain name such as article.txt",
                         "文件名“{name}”太长或含有控制字符；请用 article.txt 这样的普通名称",
                         "檔名「{name}」太長或含有控制字元；請用 article.txt 這樣的一般名稱"),
    "ingest.bad_sidecar": ("{name}: metadata is not valid JSON ({reason}); fix or delete it",
                           "{name}：元数据不是有效的 JSON（{reason}）；请修正或删除它",
                           "{name}：中繼資料不是有效的 JSON（{reason}）；請修正或刪除它"),
    "ingest.pdf_pages": ("{name}: {pages} pages is over the limit of {limit} pages (setting max_pages); split the PDF "
                         "or raise the limit",
                         "{name}：共 {pages} 页，超过上限 {limit} 页（设置 max_pages）；请拆分 PDF 或调高上限",
                         "{name}：共 {pages} 頁，超過上限 {limit} 頁（設定 max_pages）；請分割 PDF 或調高上限"),
    "ingest.pdf_chars": ("{name}: over {limit} characters of text by page {page} (setting max_chars); split the PDF or "
                         "raise the limit",
                         "{name}：到第 {page} 页文字已超过 {limit} 个字符（设置 max_chars）；请拆分 PDF 或调高上限",
                         "{name}：到第 {page} 頁文字已超過 {limit} 個字元（設定 max_chars）；請分割 PDF 或調高上限"),
    "ingest.pdf_page": ("{name}: page {page} could not be read ({reason}); re-export the PDF (e.g. print it to PDF "
                        "again) and add it again",
                        "{name}：第 {page} 页无法读取（{reason}）；请重新导出 PDF（例如再打印成 PDF）后再添加",
                        "{name}：第 {page} 頁無法讀取（{reason}）；請重新匯出 PDF（例如再列印成 PDF）後再新增"),
    "ingest.pdf_no_text": ("{name}: none of its {pages} page(s) has a text layer (a scanned PDF?); run OCR on it first "
                           "(e.g. `ocrmypdf in.pdf out.pdf`) and add the result",
                           "{name}：{pages} 页都没有文字层（扫描的 PDF？）；请先做 OCR（例如 `ocrmypdf in.pdf out.pdf`），"
                           "再添加结果",
                           "{name}：{pages} 頁都沒有文字層（掃描的 PDF？）；請先做 OCR（例如 `ocrmypdf in.pdf out.pdf`），"
                           "再新增結果"),
    "ingest.pdf_encrypted": ("{name}: the PDF is password-protected; save an unprotected copy (open it with the "
                             "password, print to PDF) and add that",
                             "{name}：PDF 有密码保护；请另存一份无密码的副本（用密码打开后打印成 PDF）再添加",
                             "{name}：PDF 有密碼保護；請另存一份無密碼的副本（用密碼開啟後列印成 PDF）再新增"),
    "ingest.pdf_corrupt": ("{name}: not a readable PDF ({reason}); re-download or re-export it and add it again",
                           "{name}：不是可读的 PDF（{reason}）；请重新下载或导出后再添加",
                           "{name}：不是可讀取的 PDF（{reason}）；請重新下載或匯出後再新增"),
    "ingest.docx_encrypted": ("{name}: password-protected or in the old Word 97-2003 format; save it in Word as an "
                              "unprotected .docx and add that",
                              "{name}：有密码保护，或是旧的 Word 97-2003 格式；请在 Word 里另存为无密码的 .docx 再添加",
                              "{name}：有密碼保護，或是舊的 Word 97-2003 格式；請在 Word 裡另存為無密碼的 .docx 再新增"),
    "ingest.docx_corrupt": ("{name}: not a readable Word .docx ({reason}); open and re-save it in Word or LibreOffice, "
                            "then add it again",
                            "{name}：不是可读的 Word .docx（{reason}）；请用 Word 或 LibreOffice 打开并重新保存后再添加",
                            "{name}：不是可讀取的 Word .docx（{reason}）；請用 Word 或 LibreOffice 開啟並重新儲存後再新增"),
    "ingest.no_article": ("{name}: no article text found in this web page (an index, login or script-built page?); save "
                          "the article's own page (or its text as .txt) and add that",
                          "{name}：这个网页里找不到正文（目录页、登录页或由脚本生成的页面？）；请保存文章本身的页面"
                          "（或把正文存成 .txt）再添加",
                          "{name}：這個網頁裡找不到正文（目錄頁、登入頁或由指令碼產生的頁面？）；請儲存文章本身的頁面"
                          "（或把正文存成 .txt）再新增"),
    "ingest.bad_bom": ("{name}: starts with a {encoding} byte-order mark but is not valid {encoding} ({reason}); re-save "
                       "it as UTF-8",
                       "{name}：以 {encoding} 字节顺序标记开头，却不是有效的 {encoding}（{reason}）；请另存为 UTF-8",
                       "{name}：以 {encoding} 位元組順序標記開頭，卻不是有效的 {encoding}（{reason}）；請另存為 UTF-8"),
    "docs.not_found": ("no document with id '{doc_id}'; list them with GET /api/documents or `qa docs`",
                       "没有 ID 为“{doc_id}”的文档；用 GET /api/documents 或 `qa docs` 查看所有文档",
                       "沒有 ID 為「{doc_id}」的文件；用 GET /api/documents 或 `qa docs` 查看所有文件"),
    "ask.bad_k": ("k must be an integer from 1 to {limit}, got {value}", "k 必须是 1 到 {limit} 之间的整数，收到的是 {value}",
                  "k 必須是 1 到 {limit} 之間的整數，收到的是 {value}"),
    "filters.bad_names": ("{field} must be a name or a list of names (text), got {value}",
                          "{field} 必须是一个名称或名称列表（文本），收到的是 {value}",
                          "{field} 必須是一個名稱或名稱清單（文字），收到的是 {value}"),
    "ask.bad_script": ("target_script must be one of {allowed} (or omitted), got {value}",
                       "target_script 必须是 {allowed} 之一（或不填），收到的是 {value}",
                       "target_script 必須是 {allowed} 之一（或不填），收到的是 {value}"),
    "trash.live": ("document '{doc_id}' is in the index (a later upload of that name); delete it first (`qa docs "
                   "--delete {doc_id}`, DELETE /api/documents/{doc_id}), then restore this version by its trash id",
                   "文档“{doc_id}”已在索引中（之后又上传了同名文件）；请先删除它（`qa docs --delete {doc_id}` 或 "
                   "DELETE /api/documents/{doc_id}），再用回收站 ID 还原这个版本",
                   "文件「{doc_id}」已在索引中（之後又上傳了同名檔案）；請先刪除它（`qa docs --delete {doc_id}` 或 "
                   "DELETE /api/documents/{doc_id}），再用資源回收筒 ID 還原這個版本"),
    # ---- settings (--setting NAME VALUE, QA_* variables, Settings.load)
    "setting.unknown": ("{flag}{name}: no such setting; valid names: {names}",
                        "{flag}{name}：没有这个设置；`qa settings` 列出全部设置", "{flag}{name}：沒有這個設定；`qa settings` 列出全部設定"),
    "setting.unknown_close": ("{flag}{name}: no such setting; did you mean {close}? valid names: {names}",
                              "{flag}{name}：没有这个设置；是不是 {close}？`qa settings` 列出全部设置",
                              "{flag}{name}：沒有這個設定；是不是 {close}？`qa settings` 列出全部設定"),
    "setting.number": ("setting {name} ({env}) must be a number, got {value}", "设置 {name}（{env}）必须是数字，收到的是 {value}",
                       "設定 {name}（{env}）必須是數字，收到的是 {value}"),
    "setting.finite": ("setting {name} ({env}) must be a finite number, got {value}",
                       "设置 {name}（{env}）必须是有限的数，收到的是 {value}", "設定 {name}（{env}）必須是有限的數，收到的是 {value}"),
    "setting.whole": ("setting {name} ({env}) must be a whole number, got {value}",
                      "设置 {name}（{env}）必须是整数，收到的是 {value}", "設定 {name}（{env}）必須是整數，收到的是 {value}"),
    "setting.choice": ("setting {name} ({env}) must be one of {choices}, got {value}",
                       "设置 {name}（{env}）必须是 {choices} 之一，收到的是 {value}", "設定 {name}（{env}）必須是 {choices} 之一，收到的是 {value}"),
    "setting.between": ("setting {name} ({env}) must be from {low} to {high}, got {value}",
                        "设置 {name}（{env}）必须在 {low} 到 {high} 之间，收到的是 {value}",
                        "設定 {name}（{env}）必須在 {low} 到 {high} 之間，收到的是 {value}"),
    "setting.at_least": ("setting {name} ({env}) must be at least {low}, got {value}",
                         "设置 {name}（{env}）不能小于 {low}，收到的是 {value}", "設定 {name}（{env}）不能小於 {low}，收到的是 {value}"),
    "setting.at_most": ("setting {name} ({env}) must be at most {high}, got {value}",
                        "设置 {name}（{env}）不能大于 {high}，收到的是 {value}", "設定 {name}（{env}）不能大於 {high}，收到的是 {value}"),
    "setting.k_max": ("setting k (QA_K) must be at most max_k ({max_k}), got {value}",
                      "设置 k（QA_K）不能大于 max_k（{max_k}），收到的是 {value}", "設定 k（QA_K）不能大於 max_k（{max_k}），收到的是 {value}"),
    "setting.folder": ("setting {name} ({env}) must be a folder, but {folder} is a file; name a folder (it is created when missing)",
                       "设置 {name}（{env}）必须是文件夹，但 {folder} 是文件；请指定一个文件夹（不存在时会自动创建）",
                       "設定 {name}（{env}）必須是資料夾，但 {folder} 是檔案；請指定一個資料夾（不存在時會自動建立）"),
    "trash.reason.deleted": ("deleted", "已删除", "已刪除"),
    "trash.reason.replaced": ("replaced", "已被替换", "已被取代"),
    "cli.deleted": ("deleted {doc_id}\t{title}\t(kept in the trash: qa docs --restore {doc_id})",
                    "已删除 {doc_id}\t{title}\t（保留在回收站：qa docs --restore {doc_id}）",
                    "已刪除 {doc_id}\t{title}\t（保留在資源回收筒：qa docs --restore {doc_id}）"),
    "cli.restored": ("restored {doc_id}\t{title}", "已还原 {doc_id}\t{title}", "已還原 {doc_id}\t{title}"),
    "cli.passages": ("{count} passages", "{count} 个段落", "{count} 個段落"),
    "trash.not_found": ("no deleted document '{trash_id}' in the trash; deleted documents kept: {kept}",
                        "回收站里没有已删除的文档“{trash_id}”；回收站里有：{kept}",
                        "資源回收筒裡沒有已刪除的文件「{trash_id}」；資源回收筒裡有：{kept}"),
    "add.missing": ("no such file or folder", "没有这个文件或文件夹", "沒有這個檔案或資料夾"),
    "add.root": ("a whole file system root is not added; name the folder that holds the articles",
                 "不会添加整个文件系统的根目录；请指定存放文章的文件夹",
                 "不會新增整個檔案系統的根目錄；請指定存放文章的資料夾"),
    "add.bad_paths": ("paths must be a file or folder path (str or pathlib.Path) or a list of them, got {value}",
                      "paths 必须是文件或文件夹的路径（str 或 pathlib.Path），或由它们组成的列表，收到的是 {value}",
                      "paths 必須是檔案或資料夾的路徑（str 或 pathlib.Path），或由它們組成的清單，收到的是 {value}"),
    "add.batch_clash": ("document id '{doc_id}' is already taken by {other} in this import; rename one of them",
                        "文档 ID“{doc_id}”在这次导入中已被 {other} 使用；请给其中一个改名",
                        "文件 ID「{doc_id}」在這次匯入中已被 {other} 使用；請將其中一個改名"),
    "add.unchanged": ("unchanged: already indexed", "未改动：已在索引中", "未變更：已在索引中"),
    "add.duplicate": ("{name}: the same file as {path}, already indexed as document '{doc_id}' (“{title}”); nothing "
                      "added. To index it under this name, delete document '{doc_id}' first",
                      "{name}：与已在索引中的 {path}（文档“{doc_id}”，“{title}”）是同一个文件；未添加。要以这个名字收录，请先删除文档“{doc_id}”",
                      "{name}：與已在索引中的 {path}（文件「{doc_id}」，「{title}」）是同一個檔案；未加入。要以這個名稱收錄，請先刪除文件「{doc_id}」"),
    "add.status.added": ("added", "已添加", "已加入"),
    "add.status.replaced": ("replaced", "已替换", "已取代"),
    "add.status.skipped": ("skipped", "已跳过", "已略過"),
    "add.summary": ("{files} files: {added} added, {replaced} replaced, {skipped} skipped ({seconds} s); index {index}",
                    "{files} 个文件：添加 {added}，替换 {replaced}，跳过 {skipped}（{seconds} 秒）；索引 {index}",
                    "{files} 個檔案：加入 {added}，取代 {replaced}，略過 {skipped}（{seconds} 秒）；索引 {index}"),
    "error.DocsFolderEmpty": ("{detail}", "文档文件夹有误：{detail}", "文件資料夾有誤：{detail}"),
    "error.DocsFolderEmpty.missing": (
        "the docs folder {folder} does not exist, but the index holds {count} articles; nothing was changed. "
        "Check --docs (QA_DOCS_DIR); to empty the index on purpose, run `qa build --force` with --docs naming an "
        "empty folder",
        "文档文件夹 {folder} 不存在，但索引里有 {count} 篇文章；没有做任何改动。请检查 --docs（QA_DOCS_DIR）；"
        "如果确实要清空索引，请让 --docs 指向一个空文件夹并运行 `qa build --force`",
        "文件資料夾 {folder} 不存在，但索引裡有 {count} 篇文章；沒有做任何變更。請檢查 --docs（QA_DOCS_DIR）；"
        "如果確實要清空索引，請讓 --docs 指向一個空資料夾並執行 `qa build --force`"),
    "error.DocsFolderEmpty.empty": (
        "the docs folder {folder} holds no articles, but the index holds {count}; nothing was changed. "
        "Check --docs (QA_DOCS_DIR), or empty the index on purpose with `qa build --force`",
        "文档文件夹 {folder} 里没有文章，但索引里有 {count} 篇；没有做任何改动。请检查 --docs（QA_DOCS_DIR），"
        "如果确实要清空索引，请运行 `qa build --force`",
        "文件資料夾 {folder} 裡沒有文章，但索引裡有 {count} 篇；沒有做任何變更。請檢查 --docs（QA_DOCS_DIR），"
        "如果確實要清空索引，請執行 `qa build --force`"),
    "error.IndexCorrupt": ("{detail}", "索引损坏：请运行 `qa build --force` 重建（{detail}）。",
                           "索引損毀：請執行 `qa build --force` 重建（{detail}）。"),
    "error.StoreUnavailable": ("{detail}", "无法连接存储（Milvus）：{detail}", "無法連線儲存（Milvus）：{detail}"),
    "error.StoreMismatch": ("{detail}", "存储由另一个模型或另一种设置建立：{detail}", "儲存由另一個模型或另一種設定建立：{detail}"),
    "error.ModelError": ("{detail}", "模型出错（{detail}）。", "模型發生錯誤（{detail}）。"),
    "error.NotInTrash": ("{detail}", "回收站里没有这篇文档（{detail}）。", "資源回收筒裡沒有這篇文件（{detail}）。"),
    "error.Unauthorized": ("{detail}", "需要令牌：{detail}", "需要權杖：{detail}"),
    "error.Forbidden": ("{detail}", "令牌不正确：{detail}", "權杖不正確：{detail}"),
    "http.method_not_allowed": ("method {method} is not allowed on {path}; allowed: {allowed}",
                                "{path} 不接受 {method} 请求；可用：{allowed}", "{path} 不接受 {method} 請求；可用：{allowed}"),
    "http.no_route": ("no API route {path}; see /docs", "没有 API 路径 {path}；见 /docs", "沒有 API 路徑 {path}；見 /docs"),
    # an upload refused by its request size: the largest file accepted and what to do, never the request's size
    # (the file plus multipart framing, a number the user never chose)
    "http.too_large": ("{name} is too large: the largest file accepted is {mb} MB ({limit} bytes). Split it into "
                       "smaller files and upload each, or ask the server's administrator to raise the limit (setting "
                       "max_upload_bytes)",
                       "{name}：文件太大，可接受的最大文件为 {mb} MB（{limit} 字节）。请拆分成较小的文件分别上传，"
                       "或请服务器管理员调高上限（设置 max_upload_bytes）",
                       "{name}：檔案太大，可接受的最大檔案為 {mb} MB（{limit} 位元組）。請分割成較小的檔案分別上傳，"
                       "或請伺服器管理員調高上限（設定 max_upload_bytes）"),
    "http.too_large.unnamed": ("This file", "这个文件", "這個檔案"),
    "http.field.missing": ("{field}: required", "{field}：必须提供", "{field}：必須提供"),
    "http.field.extra": ("{field}: unknown field (a misspelt name?); the fields are {fields}",
                         "{field}：未知字段（名称拼错了？）；可用的字段：{fields}", "{field}：未知欄位（名稱拼錯了？）；可用的欄位：{fields}"),
    "http.field.at_least": ("{field}: must be at least {limit}, got {value}", "{field}：至少为 {limit}，收到 {value}",
                            "{field}：至少為 {limit}，收到 {value}"),
    "http.field.at_most": ("{field}: must be at most {limit}, got {value}", "{field}：最多为 {limit}，收到 {value}",
                           "{field}：最多為 {limit}，收到 {value}"),
    "http.field.int": ("{field}: must be a whole number, got {value}", "{field}：必须是整数，收到 {value}",
                       "{field}：必須是整數，收到 {value}"),
    "http.field.text": ("{field}: must be text, got {value}", "{field}：必须是文本，收到 {value}", "{field}：必須是文字，收到 {value}"),
    "http.field.list": ("{field}: must be a list, got {value}", "{field}：必须是列表，收到 {value}", "{field}：必須是清單，收到 {value}"),
    "http.field.object": ("the body must be a JSON object with the fields {fields}, got {value}",
                          "请求正文必须是 JSON 对象，字段为 {fields}，收到 {value}",
                          "請求本文必須是 JSON 物件，欄位為 {fields}，收到 {value}"),
    "http.field.json": ("the body is not valid JSON ({detail})", "请求正文不是有效的 JSON（{detail}）",
                        "請求本文不是有效的 JSON（{detail}）"),
    "http.invalid": ("invalid request: {detail}", "请求无效：{detail}", "請求無效：{detail}"),
    # a JSON body sent as text/plain (a browser fetch's default) was read as bytes: say the header, not the bytes
    "http.not_json": ("send the body as JSON with the header Content-Type: application/json (this request's "
                      "Content-Type: {content_type})",
                      "请以 JSON 发送请求正文，并带上请求头 Content-Type: application/json（本次请求的 Content-Type：{content_type}）",
                      "請以 JSON 傳送請求本文，並帶上請求標頭 Content-Type: application/json（本次請求的 Content-Type：{content_type}）"),
    # FastAPI's own "There was an error parsing the body" (a body that is not UTF-8), in English whatever was asked
    "http.unreadable": ("the body could not be read: send a JSON object encoded as UTF-8",
                        "无法读取请求正文：请发送以 UTF-8 编码的 JSON 对象", "無法讀取請求本文：請傳送以 UTF-8 編碼的 JSON 物件"),
    # one file per upload: a second part named "file" was dropped without a word
    "upload.one_file": ("send one file per request: this one has {count} parts named \"file\"",
                        "每次请求只能上传一个文件：本次请求有 {count} 个名为“file”的部分",
                        "每次請求只能上傳一個檔案：本次請求有 {count} 個名為「file」的部分"),
    "http.internal": ("internal error: {detail}", "内部错误：{detail}", "內部錯誤：{detail}"),
    # ---- writing needs the admin token (when one is set)
    "admin.label": ("Admin token (needed to upload and delete)", "管理令牌（上传和删除需要）", "管理權杖（上傳和刪除需要）"),
    "admin.button": ("Unlock", "解锁", "解鎖"),
    "admin.ok": ("Unlocked: you can upload and delete.", "已解锁：可以上传和删除。", "已解鎖：可以上傳和刪除。"),
    "admin.missing": ("writing needs the admin token: send the header Authorization: Bearer <QA_ADMIN_TOKEN>",
                      "写入需要管理令牌：请发送 Authorization: Bearer <QA_ADMIN_TOKEN>",
                      "寫入需要管理權杖：請傳送 Authorization: Bearer <QA_ADMIN_TOKEN>"),
    "admin.wrong": ("the admin token is not correct; check QA_ADMIN_TOKEN on the server",
                    "管理令牌不正确；请核对服务器上的 QA_ADMIN_TOKEN", "管理權杖不正確；請核對伺服器上的 QA_ADMIN_TOKEN"),
    "read.missing": ("reading needs a token: send the header Authorization: Bearer <QA_READ_TOKEN>",
                     "读取需要令牌：请发送 Authorization: Bearer <QA_READ_TOKEN>",
                     "讀取需要權杖：請傳送 Authorization: Bearer <QA_READ_TOKEN>"),
    "read.wrong": ("the read token is not correct; ask the server's operator for QA_READ_TOKEN",
                   "读取令牌不正确；请向服务器管理员索取 QA_READ_TOKEN", "讀取權杖不正確；請向伺服器管理員索取 QA_READ_TOKEN"),
}


def t(key: str, lang: str, **params: object) -> str:
    """The message ``key`` in ``lang`` ("en", "zh-Hans", "zh-Hant"), its placeholders filled from ``params``.

    Raises:
        KeyError: no such message (a programming error: the catalogue test walks every key the code uses).
    Example:
        >>> t("docs.count", "zh-Hant", count=3)
        '3 篇文件'
    """
    entry = MESSAGES[key]
    text = entry[LANGUAGES.index(lang)] if lang in LANGUAGES else entry[0]
    return text.format(**params) if params or "{" in text else text


def asker_lang(language: str, script: str) -> str:
    """The catalogue language of a question's asker: its language, a Chinese question's in its script.

    >>> asker_lang("zh", "traditional"), asker_lang("en", "latin")
    ('zh-Hant', 'en')
    """
    if language == "zh":
        return "zh-Hant" if script == "traditional" else "zh-Hans"
    return "en"


def for_question(key: str, language: str, script: str, **params: object) -> str:
    """Catalogue entry ``key`` for the asker (what the JSON answer's ``message`` says; the page speaks its
    interface language instead)."""
    return t(key, asker_lang(language, script), **params)


def no_match_text(filters: Mapping[str, object], lang: str) -> str:
    """Why the filters (``Filters.to_dict()``, ``Answer.filters``: date_from, date_to, sources, doc_ids) left no
    document to search, in ``lang``, naming only the filters set and advising on those: `qa ask … --source 本報` was
    told to widen a date range and about undated articles, and the page advised other sources when only dates were
    set. The page says it in its language, a program or terminal in the question's (qa.filters.no_match_message).

    >>> no_match_text({"sources": ["本報"]}, "en")
    "No document matches the filters (sources). Pick other sources (`qa docs` and GET /api/documents list each document's)."
    >>> no_match_text({"date_from": "2030-01-01", "sources": ["本報"]}, "zh-Hans")[:26]
    '没有符合筛选条件（日期、来源）的文档。请放宽日期范围'
    """
    used = [name for name, given in (("dates", filters.get("date_from") or filters.get("date_to")),
                                     ("sources", filters.get("sources")), ("documents", filters.get("doc_ids"))) if given]
    chinese = lang != "en"
    names = ("、" if chinese else ", ").join(t(f"answer.no_match_filter.{n}", lang) for n in used)
    parts = [t("answer.no_match_question", lang, filters=names)]
    parts += [t(f"answer.no_match_advice.{n}", lang) for n in used if n != "documents"]
    return ("" if chinese else " ").join(parts)


def megabytes(n: int) -> str:
    """``n`` bytes in MB as every surface writes a size limit (10^6 bytes, as the API counts them): "5", "2.5"."""
    return f"{n / 1e6:g}"


def placeholders(text: str) -> set[str]:
    """The ``str.format`` field names in ``text`` ({count:,} → 'count')."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def error_message(exc: BaseException, lang: str, fields: dict[str, str] | None = None) -> str:
    """An exception's message for a reader of ``lang``: the catalogue entry of its type (or nearest base type),
    with the exception's own (English) message as ``detail``; English readers get that message unchanged.

    ``fields``: how the reader's surface names the request fields it sends ({"date_from": "From (YYYY-MM-DD)"}
    on the page); a message naming one of them (a ``*field`` parameter: ``field``, ``end_field``) names it so, in
    English too (the CLI passes its flags, --since). Without it the message names the field as the API does
    (date_from).
    """
    detail = str(exc)
    key = getattr(exc, "message_key", None)  # raised from a catalogue message: translate the whole of it
    params = dict(getattr(exc, "message_params", {}))
    named = {name: fields[value] for name, value in params.items()
             if fields and name.endswith("field") and value in fields}
    if key in MESSAGES and named:
        return t(key, lang, **{**params, **named})
    if lang not in LANGUAGES or lang == "en":
        return detail
    if key in MESSAGES:
        return t(key, lang, **params)
    for cls in type(exc).__mro__:
        key = f"error.{cls.__name__}"
        if key in MESSAGES:
            return t(key, lang, detail=detail)
    return detail


_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def language_for(tag: str) -> str | None:
    """The catalogue language for one BCP 47 tag, or None when it is not one we write.

    zh-TW, zh-HK, zh-MO and zh-Hant* read 繁體; zh, zh-CN, zh-SG and zh-Hans* read 简体; en* reads English.
    """
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] != "zh":
        return None
    rest = parts[1:]
    if "hant" in rest or any(r in ("tw", "hk", "mo") for r in rest):
        return "zh-Hant"
    return "zh-Hans"


def pick_language(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The interface language for an ``Accept-Language`` header: the first language by preference (q) that the
    catalogue has, else ``default``. A browser set to Taiwanese or Hong Kong Chinese sends zh-TW / zh-HK.

    Example:
        >>> pick_language("zh-TW,zh;q=0.9,en;q=0.8"), pick_language("fr-FR,zh-CN;q=0.5"), pick_language("de")
        ('zh-Hant', 'zh-Hans', 'en')
    """
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate((accept_language or "").split(",")):
        m = _RANGE.match(item)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        lang = language_for(m.group(1))
        if lang and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else default
