"""The Gradio page's callbacks as plain functions over a real Assistant, and escaping in everything rendered."""
from __future__ import annotations

import html
import re

import pytest

from qa.messages import t
from qa.records import Answer, Document, Gloss, Passage
from qa.ui import (
    EXAMPLES,
    Callbacks,
    build_ui,
    render_answer,
    render_article,
    render_documents,
    render_timings,
)
from tests.live_server import copy_assistant

# Gradio's own queue code warns about pandas deprecations; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:::gradio")

EVIL = "<script>alert('xss')</script><img src=x onerror=alert(1)>"


def marks(html_text: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html_text, flags=re.S)


def no_live_markup(html_text: str) -> None:
    """Nothing from a document may come out as a tag: only the escaped form may appear."""
    assert "<script" not in html_text.lower() and "<img" not in html_text.lower()
    assert "&lt;script&gt;" in html_text


def passage(**kw: object) -> Passage:
    text = kw.pop("text", "第一句。答案在这里。" + EVIL + "最后一句。")
    base = dict(doc_id="d<1>", title="标题 " + EVIL, date="2025-01-02", script="simplified", paragraph=3,
                start=100, end=100 + len(text), text=text, score=0.91, highlight=(104, 109), text_converted=None)
    base.update(kw)
    return Passage(**base)  # type: ignore[arg-type]


def answer(**kw: object) -> Answer:
    base = dict(question="q", language="zh", script="simplified", abstained=False, passages=[passage()],
                timings_ms={"embed": 12.3, "total": 20.0}, model="m", message="")
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


# ---- rendering -------------------------------------------------------------------------------------
def test_render_answer_escapes_document_text_and_marks_the_answer():
    out = render_answer(answer())
    no_live_markup(out)
    assert marks(out) == ["答案在这里"]
    assert "d&lt;1&gt;" in out and "2025-01-02" in out and "¶3" in out
    assert 'style="width:91%"' in out  # relevance bar
    assert "Detected: Chinese · Simplified" in out
    assert "检测到：中文 · 简体" in render_answer(answer(), lang="zh-Hans")
    assert "偵測到：中文 · 簡體" in render_answer(answer(), lang="zh-Hant")
    assert 'class="qa-show" data-rank="0"' in out and "Show in article" in out  # each card opens its article
    # a screen reader is told the cards arrived, in the reader's language; a refusal says so instead
    assert re.search(r'class="qa-sr" role="status">Passages found: 1\. The first is from 标题 &lt;script&gt;.*, paragraph 3\.<', out)
    assert "找到 1 段。第一段出自《标题" in render_answer(answer(), lang="zh-Hans")
    assert "第一段出自《標題" in render_answer(answer(), view="traditional", lang="zh-Hans")  # as the card shows it
    assert "qa-sr" not in render_answer(answer(abstained=True))


def test_render_answer_highlight_inside_markup_stays_escaped():
    text = "前言。" + EVIL + "。后记。"
    out = render_answer(answer(passages=[passage(text=text, highlight=(103, 103 + len(EVIL) + 1))]))
    no_live_markup(out)
    assert marks(out) == ["&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;。"]


def test_render_converted_view_keeps_highlight_offsets():
    p = passage(text="美国征收附加费。答案是百分之二十五。", start=0, end=18, highlight=(8, 18),
                text_converted="美國徵收附加費。答案是百分之二十五。")
    out = render_answer(answer(passages=[p]), view="traditional")
    assert marks(out) == ["答案是百分之二十五。"] and "美國徵收附加費" in out and "繁體 Traditional" in out
    assert "美国征收附加费" in render_answer(answer(passages=[p]), view="original")


def test_render_gloss_wraps_each_glossed_word_of_the_highlight():
    text = "美国征收附加费。英伟达说" + EVIL + "。"
    gloss = (Gloss(0, 2, "měi guó", english="United States; USA"), Gloss(4, 7, "fù jiā fèi", english="surcharge"),
             Gloss(8, 11, "yīng wěi dá", english="NVIDIA <b>" + EVIL), Gloss(11, 12, "shuō", english=""))
    p = passage(text=text, start=0, end=len(text), highlight=(0, len(text)), gloss=gloss,
                text_converted="美國徵收附加費。英偉達說" + EVIL + "。")
    out = render_answer(answer(language="en", script="latin", passages=[p]))
    no_live_markup(out)
    spans = re.findall(r'<span class="qa-gloss" tabindex="-?\d" data-gloss="([^"]*)" aria-label="([^"]*)">([^<]*)</span>', out)
    assert [(html.unescape(tip), word) for tip, _, word in spans] == [
        ("měi guó\nUnited States; USA", "美国"), ("fù jiā fèi\nsurcharge", "附加费"),
        ("yīng wěi dá\nNVIDIA <b>" + EVIL, "英伟达"), ("shuō", "说")]  # a name or word without a meaning: pinyin only
    assert html.unescape(spans[1][1]) == "附加费: fù jiā fèi, surcharge"
    assert html.unescape(re.sub(r"<[^>]+>", "", marks(out)[0])) == text  # the sentence itself is unchanged
    assert "Hover over or tap an underlined word" in out and "arrow keys" in out
    assert [m.group(1) for m in re.finditer(r'<span class="qa-gloss" tabindex="(-?\d)"', out)] == ["0", "-1", "-1", "-1"]
    converted = render_answer(answer(passages=[p]), view="traditional")  # the asker's script; same offsets
    # Taiwan's characters (s2tw), the article's words: every glossed word still wraps its own
    assert re.findall(r'<span class="qa-gloss"[^>]*>([^<]*)</span>', converted) == ["美國", "附加費", "英偉達", "說"]
    hongkong = render_answer(answer(passages=[p]), view="hongkong")
    assert re.findall(r'<span class="qa-gloss"[^>]*>([^<]*)</span>', hongkong) == ["美國", "附加費", "英偉達", "説"]  # Hong Kong standard: 説
    assert "qa-gloss" not in render_answer(answer())  # no reading aid: nothing wrapped, no hint


def test_render_abstention_says_so_and_folds_passages():
    refused = answer(abstained=True, message="The documents do not answer this question.")
    out = render_answer(refused, lang="zh-Hans")  # in the reader's interface language, whatever the question's
    assert 'class="qa-abstain"' in out and "文档中没有找到能回答这个问题的内容。" in out
    assert "文件中沒有找到能回答這個問題的內容。" in render_answer(refused, lang="zh-Hant")
    assert "The documents do not answer this question." in render_answer(refused, lang="en")
    assert out.index("<details") < out.index('class="qa-card"') < out.index("</details>")
    assert "<details open" not in out
    no_live_markup(out)


@pytest.mark.parametrize(("lang", "summary", "tag"), [
    ("en", "none of them answers", "Not an answer"), ("zh-Hans", "都没有回答这个问题", "不是答案"), ("zh-Hant", "都沒有回答這個問題", "不是答案")])
def test_a_refusal_shows_no_confidence_bar_and_no_mark_under_it(lang, summary, tag):
    """A refusal over near passages that the calibration rates high (0.9): the cards say "not an answer" where the
    bar would be and mark no sentence, in every interface language; the JSON keeps the numbers."""
    near = [passage(confidence=0.9), passage(confidence=0.4, paragraph=4)]
    refused = answer(abstained=True, message="文档中没有找到能回答这个问题的内容。", passages=near, confidence=0.9)
    out = render_answer(refused, lang=lang)
    assert 'class="qa-bar"' not in out and 'role="meter"' not in out and "width:90%" not in out
    assert out.count('class="qa-not-answer"') == 2 and out.count(tag) == 2
    assert summary in out and marks(out) == []
    assert [p["confidence"] for p in refused.to_dict()["passages"]] == [0.9, 0.4]
    answered = render_answer(answer(passages=near), lang=lang)  # the same cards as an answer keep bar and mark
    assert 'style="width:90%"' in answered and "qa-not-answer" not in answered and marks(answered)


def test_render_article_marks_the_cited_sentence_in_context():
    text = "标题\n\n" + EVIL + "\n\n第二段。答案句。结尾。\n\n第三段。"
    doc = Document("d1", "d1.txt", "标题", None, "simplified", "zh", text, "0" * 64)
    start = text.index("第二段")
    out = render_article(doc, start, start + 11, (start + 4, start + 8))
    no_live_markup(out)
    assert marks(out) == ["答案句。"]
    assert '<span class="qa-cited">第二段。<mark>' in out and "第三段。" in out


def test_render_documents_and_timings_escape():
    docs = [{"doc_id": "a<b>", "title": EVIL, "date": None, "script": "traditional", "passages": 3}]
    out = render_documents(docs)
    no_live_markup(out)
    assert "Script: Traditional" in out and "a&lt;b&gt;" in out and "<li " in out
    # Chinese labels end with a full-width colon, as every other label of the Chinese page does (it read 字體: 繁體)
    assert "字體：繁體" in render_documents(docs, "zh-Hant") and ": " not in render_documents(docs, "zh-Hant")
    timings = render_timings({"embed": 12.3, "total": 20.0})
    assert "<details" in timings and "Details: 20 ms" in timings and "Understanding the question</td><td>12 ms" in timings
    assert "識別問題語言" not in timings and "辨識問題語言</td><td>0.3 毫秒" in render_timings({"detect": 0.31}, "zh-Hant")
    assert "<script" not in render_timings({"<script>": 1.0})


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "Articles without a date left out by the date filter: 2"),
    ("zh-Hans", "因设定日期而未参与检索的无日期文章：2 篇"),
    ("zh-Hant", "因設定日期而未參與檢索的無日期文章：2 篇"),
])
def test_render_says_how_many_undated_articles_the_date_filter_left_out(lang, note):
    filters = {"date_from": "2025-10-01", "date_to": None, "sources": [], "doc_ids": []}
    out = render_answer(answer(filters=filters, undated_left_out=2), lang=lang)
    notice = re.search(r'<div class="qa-notice qa-filtered">(.*?)</div>', out, flags=re.S)
    assert notice and "2025-10-01" in notice.group(1) and note in notice.group(1)  # beside the filters it explains
    assert "qa-undated" not in render_answer(answer(filters=filters, undated_left_out=0), lang=lang)
    # the page says the whole answer in its interface language, the note and the no-match message alike (qa ask and
    # the JSON say both in the question's: Answer.notices)
    none = render_answer(answer(filters=filters, undated_left_out=2, no_match=True, abstained=True, passages=[]), lang=lang)
    assert note in none and t("answer.no_match_advice.dates", lang) in none
    # only the filter set is advised on: a date range alone was told to "choose other sources" too
    assert html.escape(t("answer.no_match_advice.sources", lang)) not in none
    assert t("answer.no_match_filter.sources", lang) not in none
    by_source = render_answer(answer(filters={**filters, "date_from": None, "sources": ["本報"]}, no_match=True,
                                     abstained=True, passages=[]), lang=lang)
    assert html.escape(t("answer.no_match_advice.sources", lang)) in by_source
    assert t("answer.no_match_advice.dates", lang) not in by_source


@pytest.mark.parametrize(("lang", "shown"), [
    ("en", "from 2025-10-01 · until 2025-12-31 · sources Reuters | BBC"),
    ("zh-Hans", "自 2025-10-01 起 · 至 2025-12-31 · 来源 Reuters | BBC"),
    ("zh-Hant", "自 2025-10-01 起 · 至 2025-12-31 · 來源 Reuters | BBC"),
])
def test_render_names_each_active_filter(lang, shown):
    # a bare "Filtered: 2025-10-01" did not say whether the articles are from or until that day
    filters = {"date_from": "2025-10-01", "date_to": "2025-12-31", "sources": ["Reuters", "BBC"], "doc_ids": []}
    assert shown in render_answer(answer(filters=filters), lang=lang)
    assert "until" not in render_answer(answer(filters={**filters, "date_to": None}), lang="en")


def test_a_card_cites_its_character_offsets():
    out = render_answer(answer())
    text_len = len(passage().text)
    assert f'<span class="qa-offsets" title="character offsets of this passage in the article&#x27;s text">chars 100–{100 + text_len}</span>' in out
    assert f"字元 100–{100 + text_len}" in render_answer(answer(), lang="zh-Hant")


def test_render_truncated_question_says_so():
    out = render_answer(answer(question="x" * 2000, question_chars=20000), lang="zh-Hans")
    assert "问题共 20,000 个字符，只用了前 2,000 个。" in out
    assert "qa-notice" not in render_answer(answer(question="q", question_chars=1))


# ---- callbacks over the real assistant --------------------------------------------------------------
@pytest.fixture(scope="module")
def cb(assistant):
    return Callbacks(assistant)


def test_ask_callback_english(cb):
    html_out, cited, timings, answer_now = cb.ask("What is the memory bandwidth of the H200?", 3, "original")
    assert "4.8TB/s" in marks(html_out)[0] and "qa-abstain" not in html_out
    assert len(cited) == len(answer_now.passages) == 3 and html_out.count('class="qa-show"') == 3
    assert "English" in html_out and "Details: " in timings and "Searching by meaning" in timings
    assert cb.render(answer_now, "original", "zh-Hant")[0].startswith('<div class="qa-lang">偵測到：英文')


def test_ask_callback_english_over_chinese_has_a_reading_aid(cb):
    html_out, *_ = cb.ask("Who is the spokesperson of the Chinese foreign ministry?", 3, "original")
    found = re.findall(r'<span class="qa-gloss" tabindex="-?\d" data-gloss="([^"]*)"[^>]*>([^<]*)</span>', html_out)
    tips = {html.unescape(word): html.unescape(tip) for tip, word in found}
    assert "spokesperson" in (tips.get("发言人") or tips.get("發言人")), tips
    assert "qa-gloss" not in cb.ask("中國外交部發言人是誰？", 3, "original")[0]


def test_ask_callback_script_views(cb):
    q = "美国对H200出口征收多少附加费？"
    original = marks(cb.ask(q, 2, "original")[0])[0]
    traditional = marks(cb.ask(q, 2, "traditional")[0])[0]
    hongkong = marks(cb.ask(q, 2, "hongkong")[0])[0]
    simplified = marks(cb.ask(q, 2, "simplified")[0])[0]
    assert "25%" in original and "附加费" in original
    assert "25%" in traditional and "附加費" in traditional and "附加費" in hongkong
    # the passage is Simplified: the 简体 view shows it as written, Taiwan word 晶片 included
    assert simplified == original and "晶片" in original


def test_ask_callback_traditional_question(cb):
    html_out, *_ = cb.ask("中國外交部發言人是誰？", 3, None)
    assert "郭嘉昆" in marks(html_out)[0] and "Traditional" in html_out and "qa-abstain" not in html_out


@pytest.mark.parametrize("question", ["", "   ", "？！"])
def test_ask_callback_empty_question_shows_error(cb, question):
    html_out, cited, timings, answer_now = cb.ask(question, 3, "original")
    assert 'class="qa-error"' in html_out and cited == [] and answer_now is None and timings == ""
    assert "问题是空的" in cb.ask(question, 3, "original", "zh-Hans")[0]


def test_show_article_callback(cb):
    _, cited, _, _ = cb.ask("中國外交部發言人是誰？", 3, "original")
    assert "<mark>" in cb.show_article(0, cited, "simplified", "zh-Hans")
    out = cb.show_article(0, cited)
    assert "郭嘉昆" in marks(out)[0] and 'class="qa-article"' in out
    c = cited[0]
    doc = cb.assistant.document(c["doc_id"])
    shown = re.search(r'<div class="qa-article-text">(.*)</div></div>\Z', out, flags=re.S)
    assert shown, out
    assert html.unescape(re.sub(r"</?(?:span|mark)\b[^>]*>", "", shown.group(1))) == doc.text  # the whole article
    cited_html = re.search(r'<span class="qa-cited">(.*?)</span>', out, flags=re.S)  # the passage outlined in it
    assert cited_html and html.unescape(re.sub(r"</?mark>", "", cited_html.group(1))) == doc.text[c["start"] : c["end"]]
    assert 'class="qa-error"' in cb.show_article(None, cited)
    assert 'class="qa-error"' in cb.show_article(0, [])
    # an answer older than a delete: the reader is told so in their language, not pointed to the API and CLI
    gone = cb.show_article(0, [{"doc_id": "gone", "title": "楊梅院區啟用", "start": 0, "end": 1, "highlight": [0, 1]}],
                           "original", "zh-Hans")
    assert 'class="qa-error"' in gone and "“楊梅院區啟用”已不在文档库中" in gone and "/api/documents" not in gone


def test_documents_callback(cb, assistant):
    table, choices = cb.documents()
    for d in assistant.documents():
        assert d["title"] in table and (f"{d['title']} ({d['doc_id']})", d["doc_id"]) in choices


def test_json_callbacks_for_gradio_client(cb):
    body = cb.ask_json("中國外交部發言人是誰？", 2, "simplified")
    assert body["language"] == "zh" and body["passages"][0]["text_converted"]
    assert all("path" not in d and d["file_name"] for d in cb.documents_json())


# ---- upload and delete, on a private copy of the index ------------------------------------------------
@pytest.fixture(scope="module")
def private_cb(assistant, embedder, tmp_path_factory):
    return Callbacks(copy_assistant(assistant, tmp_path_factory.mktemp("ui"), embedder))


def test_upload_ask_delete_callbacks(private_cb, tmp_path):
    article = tmp_path / "moon-bakery.txt"  # .txt keeps the markup as literal text (Markdown would render it away)
    article.write_text(f"# 月球面包店 {EVIL}\n\n2025-10-01\n\n月球面包店最受欢迎的是桂花月饼，每盒售价88元。{EVIL}老板姓王。\n", encoding="utf-8")
    status, table, choices = private_cb.upload([str(article)])
    assert 'class="qa-ok"' in status and "moon-bakery" in status
    no_live_markup(status)
    no_live_markup(table)
    assert "moon-bakery" in [value for _, value in choices]

    html_out, cited, _, _ = private_cb.ask("月球面包店最受欢迎的是什么？", 3, "original")
    assert cited[0]["doc_id"] == "moon-bakery" and "桂花月饼" in marks(html_out)[0]
    no_live_markup(html_out)
    no_live_markup(private_cb.show_article(0, cited))

    confirm, ask_first = private_cb.confirm_delete("moon-bakery", "zh-Hant")
    assert ask_first and "刪除《# 月球面包店" in confirm and "moon-bakery" in confirm  # names the article
    no_live_markup(confirm)
    status, table, choices = private_cb.delete("moon-bakery")
    assert 'class="qa-ok"' in status and "moon-bakery" not in table and "moon-bakery" not in [v for _, v in choices]
    _, cited, _, _ = private_cb.ask("月球面包店最受欢迎的是什么？", 5, "original")
    assert all(c["doc_id"] != "moon-bakery" for c in cited)
    assert 'class="qa-error"' in private_cb.delete("moon-bakery")[0]
    assert 'class="qa-error"' in private_cb.delete(None)[0]
    assert not private_cb.confirm_delete(None)[1] and not private_cb.confirm_delete("gone")[1]
    status, table, _ = private_cb.restore("moon-bakery", "zh-Hans")  # the Undo button
    assert "已恢复" in status and "moon-bakery" in table
    assert 'class="qa-error"' in private_cb.restore("moon-bakery")[0]
    assert 'class="qa-error"' in private_cb.restore(None)[0]


def test_upload_rejects_bad_files_with_a_message(private_cb, tmp_path):
    bad = tmp_path / "slides.pdf"
    bad.write_bytes(b"%PDF-1.4")
    before = private_cb.documents()[1]
    status, _, choices = private_cb.upload([str(bad)])
    assert 'class="qa-error"' in status and "slides.pdf" in status and choices == before
    assert 'class="qa-error"' in private_cb.upload(None)[0]


def test_an_unsupported_file_is_refused_by_name_in_the_readers_language(private_cb, tmp_path):
    """The page no longer filters by type (Gradio refused in English, and kept the previous status): the upload
    itself refuses, a line per file, and the line reads again in another language."""
    exe, pdf = tmp_path / "setup.exe", tmp_path / "slides.pdf"
    exe.write_bytes(b"MZ" + bytes(64))
    pdf.write_bytes(b"%PDF-1.4")
    status, _, _, replaced = private_cb.upload_undoable([str(exe), str(pdf)], lang="zh-Hant")
    assert status.count('class="qa-error"') == 2 and replaced == []
    assert "setup.exe：不支援的檔案類型；可以上傳：" in status and ".pdf" in status
    assert "setup.exe: unsupported file type; accepted: " in status.again("en")


def test_a_replace_can_be_undone_from_the_page(private_cb, tmp_path):
    """An upload that replaces an article names the trash entry of the old version; the page's Undo puts it back."""
    first, second = tmp_path / "v1", tmp_path / "v2"
    for folder, price in ((first, 88), (second, 99)):
        folder.mkdir()
        (folder / "moon-cafe.txt").write_text(f"月球咖啡馆\n\n月球咖啡馆的招牌是桂花拿铁，每杯售价{price}元。\n", encoding="utf-8")
    assert private_cb.upload_undoable([str(first / "moon-cafe.txt")])[3] == []
    status, _, _, replaced = private_cb.upload_undoable([str(second / "moon-cafe.txt")], lang="zh-Hans")
    assert "已替换：月球咖啡馆" in status and [t.split("@")[0] for t in replaced] == ["moon-cafe"]  # its trash id
    assert "99元" in private_cb.assistant.document("moon-cafe").text
    status, table, _ = private_cb.restore(replaced, "zh-Hans", replacing=True)
    assert "已恢复：月球咖啡馆（moon-cafe）" in status and "月球咖啡馆" in table
    assert "88元" in private_cb.assistant.document("moon-cafe").text
    assert "Restored: 月球咖啡馆" in status.again("en")
    private_cb.delete("moon-cafe")


def test_the_trash_on_the_page_restores_what_undo_no_longer_offers(private_cb, tmp_path):
    """Undo lived only as long as the page: after a reload (or a second delete) a deleted article could come back
    only through the API or the CLI. The page now lists the trash, in the reader's language, and restores from it:
    a deleted article, or a version an upload replaced (which swaps places with the one in the index)."""
    first, second = tmp_path / "v1", tmp_path / "v2"
    for folder, price in ((first, 88), (second, 99)):
        folder.mkdir()
        (folder / "moon-tea.txt").write_text(f"月球茶馆\n\n月球茶馆的招牌是桂花乌龙，每壶售价{price}元。\n", encoding="utf-8")
    private_cb.upload_undoable([str(first / "moon-tea.txt")])
    private_cb.upload_undoable([str(second / "moon-tea.txt")])  # the 88元 version goes to the trash, "replaced"
    choices = private_cb.trash("zh-Hant")
    replaced = [value for label, value in choices if "moon-tea" in label and "已被取代" in label]
    assert replaced and "月球茶馆（moon-tea）" in choices[0][0] and "UTC" in choices[0][0]
    status, table, _ = private_cb.restore_from_trash(replaced[0], "zh-Hant")
    assert "已還原：月球茶馆（moon-tea）" in status and "88元" in private_cb.assistant.document("moon-tea").text
    private_cb.delete("moon-tea")
    deleted = [value for label, value in private_cb.trash("en") if "moon-tea" in label and "· deleted" in label]
    assert len(deleted) == 1
    status, table, choices = private_cb.restore_from_trash(deleted[0], "en")
    assert "Restored: 月球茶馆 (moon-tea)" in status and "moon-tea" in [v for _, v in choices]
    assert "88元" in private_cb.assistant.document("moon-tea").text  # the version that was deleted
    assert "請先選擇要還原的文章" in private_cb.restore_from_trash(None, "zh-Hant")[0]
    assert 'class="qa-error"' in private_cb.restore_from_trash(deleted[0], "en")[0]  # restored already: gone
    private_cb.delete("moon-tea")


def test_what_the_page_says_is_drawn_again_in_another_language(private_cb):
    """Errors, confirmations and statuses keep a way to say themselves again (Shown.again) for a language switch;
    a date error names the fields as the page labels them."""
    html_out, _, _, answer_now = private_cb.ask("H200?", 3, "original", "zh-Hans", "2025-12-31", "2025-10-01")
    assert answer_now is None
    assert "起始日期（YYYY-MM-DD） 2025-12-31 晚于 结束日期（YYYY-MM-DD） 2025-10-01" in html_out and "date_" not in html_out
    assert "From (YYYY-MM-DD) 2025-12-31 is after Until (YYYY-MM-DD) 2025-10-01" in html_out.again("en")
    assert "Until (YYYY-MM-DD) must be a date" in private_cb.ask("H200?", 3, "original", "en", "", "tomorrow")[0]
    confirm, _ = private_cb.confirm_delete(private_cb.assistant.documents()[0]["doc_id"], "zh-Hans")
    assert "它会移到回收站" in confirm and "它會移到資源回收筒" in confirm.again("zh-Hant")
    assert "请先选择要删除的文档" in private_cb.delete(None, "zh-Hans")[0].again("zh-Hans")
    assert "Choose a document to delete first." in private_cb.delete(None, "zh-Hans")[0].again("en")


# ---- the page ---------------------------------------------------------------------------------------
def test_build_ui_smoke(assistant):
    import gradio as gr

    ui = build_ui(assistant)
    assert isinstance(ui, gr.Blocks)
    config = ui.get_config_file()
    public = {d.get("api_name") for d in config["dependencies"] if d.get("api_visibility", "public") == "public"}
    assert {"ask", "documents"} <= public
    ids = {c["props"].get("elem_id") for c in config["components"]}
    assert {"question", "ask", "answer", "view", "article", "documents", "upload", "delete", "confirm-delete", "undo",
            "ui-lang"} <= ids
    buttons = {c["props"].get("value") for c in config["components"] if c["type"] == "button"}
    assert set(EXAMPLES) <= buttons  # each example is a button that asks at once


def test_examples_are_shown_only_over_a_library_that_answers_them(tmp_path, embedder):
    """The examples ask about the seed articles: over a library of other news (a tester's, here the everyday set)
    a click on one was refused, so the page shows none there; over the seed articles all three (above)."""
    from pathlib import Path

    from tests.conftest import make_assistant

    other = make_assistant(tmp_path, embedder, Path(__file__).resolve().parents[1] / "eval" / "everyday")
    config = build_ui(other).get_config_file()
    buttons = {c["props"].get("value") for c in config["components"] if c["type"] == "button"}
    assert not set(EXAMPLES) & buttons
    label = next(c for c in config["components"] if c["props"].get("elem_id") == "examples-label")
    assert label["props"]["visible"] is False
    # nor do the question box and the date boxes suggest the seed articles' chip or dates
    boxes = {c["props"].get("elem_id"): c["props"].get("placeholder") for c in config["components"]}
    assert "H200" not in boxes["question"] and boxes["date-from"] == boxes["date-to"] == "YYYY-MM-DD"


def test_gradio_status_keys_it_lacks_come_from_the_catalogue():
    """Gradio's screen-reader announcement after an event read "common.complete": its translations lack the key.
    Nested as its own dictionaries are (a dotted key was not looked up)."""
    from qa.ui import gradio_i18n

    translations = gradio_i18n().translations_dict
    assert translations["en"]["common"] == {"complete": "Done", "error": "Error"}
    assert translations["zh-TW"]["common"]["complete"] == translations["zh-CN"]["common"]["complete"] == "完成"
    assert translations["zh-TW"]["common"]["error"] == "出錯" and translations["zh-CN"]["common"]["error"] == "出错"
