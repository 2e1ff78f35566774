"""The message catalogue (every string in English, 简体 and 繁體), the browser-language rule, and script conversion
for display that keeps marks exact when a phrase conversion changes length."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import qa.errors
from qa.messages import LANGUAGES, MESSAGES, error_message, pick_language, placeholders, t
from qa.text.script import DISPLAY_SCRIPTS, convert_pieces

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")
SAME_IN_ALL = {"docs.col.id"}  # "ID" is what Chinese interfaces write too


def test_every_message_exists_in_all_three_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert len(entry) == len(LANGUAGES), key
        assert all(text.strip() for text in entry), key
        english = placeholders(entry[0])
        for lang, text in zip(LANGUAGES[1:], entry[1:]):
            # a Chinese error entry may say everything itself and leave out the English {detail}, or the list of
            # every setting's name (it points to `qa settings`, which explains each)
            assert placeholders(text) in (english, english - {"detail"}, english - {"names"}), (key, lang)
            if key not in SAME_IN_ALL and not entry[0].startswith("{"):
                assert HAN.search(text), f"{key} [{lang}] is not written in Chinese: {text!r}"
        if key not in SAME_IN_ALL and HAN.search(entry[1] + entry[2]) and entry[1] == entry[2]:
            assert not re.search("[们这说门见让应请选择删除档]", entry[2]), f"{key}: 繁體 copies 简体"


def test_every_key_the_code_uses_is_in_the_catalogue():
    """Literal keys (t("…"), t('…')) in the page, the API and the access rules, and every key built from a name."""
    used = set()
    for module in ("qa/ui.py", "qa/api.py", "qa/access.py", "qa/messages.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", (ROOT / module).read_text(encoding="utf-8")))
        used |= set(re.findall(r"""_error\(\w+,\s*["']([a-z_.]+)["']""", (ROOT / module).read_text(encoding="utf-8")))
    for module in (ROOT / "qa").rglob("*.py"):  # errors raised with a catalogue message (QAError.keyed)
        used |= set(re.findall(r"""\.keyed\(\s*["']([a-z_.]+)["']""", module.read_text(encoding="utf-8")))
    from qa.ui import STAGES, VIEW_KEYS

    used |= {f"view.{v}" for v in VIEW_KEYS} | STAGES
    used |= {f"error.{name}" for name, cls in inspect.getmembers(qa.errors, inspect.isclass)
             if issubclass(cls, qa.errors.QAError) and cls not in (qa.errors.BadSetting,)}
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"messages used but not in the catalogue: {missing}"
    assert len(used) > 60


@pytest.mark.parametrize(("header", "expected"), [
    ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh-MO", "zh-Hant"),
    ("zh-CN,zh;q=0.9", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh", "zh-Hans"), ("zh-Hans-HK", "zh-Hant"),
    ("en-US,en;q=0.9", "en"), ("de-DE,fr;q=0.8", "en"), ("fr-FR,zh-TW;q=0.5", "zh-Hant"),
    ("en;q=0.3, zh-CN;q=0.8", "zh-Hans"), ("", "en"), (None, "en"), ("*", "en"), ("zh-TW;q=0", "en"), ("@@,;;", "en"),
])
def test_the_browser_language_picks_the_interface_language(header, expected):
    assert pick_language(header) == expected


def test_errors_read_in_the_readers_language_and_stay_english_by_default():
    empty = qa.errors.EmptyQuestion("the question is empty or has no letters, digits or Chinese characters; type a question")
    assert error_message(empty, "en") == str(empty)
    assert error_message(empty, "zh-Hant") == "問題是空的，或者沒有字母、數字或漢字；請輸入一個問題。"
    scan = qa.errors.NoTextLayer("scan.pdf: no text layer")
    assert error_message(scan, "zh-Hans").startswith("这是没有文字层的扫描 PDF") and "scan.pdf" in error_message(scan, "zh-Hans")
    assert t("docs.count", "zh-Hant", count=3) == "3 篇文件" and t("docs.count", "xx", count=3) == "3 documents"


def test_script_conversion_changes_characters_never_words_and_marks_stay_exact():
    from qa.ui import marked, render_article
    from qa.records import Document

    assert convert_pieces(["内存带宽"], "traditional") == ["內存帶寬"]  # Taiwan's characters, the article's words
    assert convert_pieces(["已为", "里面"], "traditional") == ["已為", "裡面"]
    # the phrase tables changed meanings: 啟用 ("opened") became 激活 ("activated"), 法律程序 a "legal program"
    assert convert_pieces(["楊梅院區今日啟用，記憶體"], "simplified", source="traditional") == ["杨梅院区今日启用，记忆体"]
    assert convert_pieces(["法院依法律程序审理项目"], "traditional") == ["法院依法律程序審理項目"]
    # a Simplified article read in Simplified stays as written
    assert convert_pieces(["二期新增7座车站，建立了新的程序"], "simplified") == ["二期新增7座车站，建立了新的程序"]
    assert convert_pieces(["内存"], "hongkong") == ["內存"]
    assert set(DISPLAY_SCRIPTS) == {"simplified", "traditional", "hongkong"}

    text = "H200的内存带宽是4.8TB/s。软件已为客户更新。"
    start = text.index("软件")
    out = marked(text, start, len(text), view="traditional")
    assert out == "H200的內存帶寬是4.8TB/s。<mark>軟件已為客戶更新。</mark>"
    doc = Document("d", "d.txt", "内存新闻", None, "simplified", "zh", text, "0" * 64)
    article = render_article(doc, 0, len(text), (start, len(text)), view="traditional")
    assert "<h3>內存新聞</h3>" in article and "<mark>軟件已為客戶更新。</mark>" in article


def test_a_bad_request_reads_whole_in_chinese(assistant):
    """An unknown document id, a bad k or script were refused in a Chinese frame around an English sentence."""
    calls = ((lambda: assistant.document("nope"), "沒有 ID 為「nope」的文件"),
             (lambda: assistant.ask("H200?", k=0), "k 必須是 1 到 50 之間的整數，收到的是 0"),
             (lambda: assistant.ask("H200?", target_script="klingon"), "target_script 必須是 simplified"))
    for call, says in calls:
        with pytest.raises(qa.errors.QAError) as e:
            call()
        message = error_message(e.value, "zh-Hant")
        assert says in message and "must" not in message and "list them" not in message, message


def test_a_bad_date_names_the_field_as_the_readers_surface_does():
    """The page said date_from/date_to (the API's names) beside fields labelled From and Until; the English
    BadDateOrder entry wrote the names into its text, so no surface could name them otherwise."""
    from qa.filters import make_filters

    for entry in ("error.BadDate", "error.BadDateOrder"):
        assert all("{field}" in text for text in MESSAGES[entry]), entry
    assert all("{end_field}" in text and "date_" not in text for text in MESSAGES["error.BadDateOrder"])
    page = {"date_from": t("filter.from", "zh-Hans"), "date_to": t("filter.to", "zh-Hans")}
    with pytest.raises(qa.errors.BadDate) as order:
        make_filters("2025-12-01", "2025-10-01")
    with pytest.raises(qa.errors.BadDate) as bad:
        make_filters(None, "2025-02-30")
    assert str(order.value) == "date_from 2025-12-01 is after date_to 2025-10-01; swap them or widen the range"
    assert error_message(order.value, "en") == str(order.value)  # the API and the CLI: their field names
    assert error_message(order.value, "zh-Hans") == "date_from 2025-12-01 晚于 date_to 2025-10-01：请对调或放宽范围"
    assert error_message(order.value, "zh-Hans", page) == "起始日期（YYYY-MM-DD） 2025-12-01 晚于 结束日期（YYYY-MM-DD） 2025-10-01：请对调或放宽范围"
    english = {"date_from": t("filter.from", "en"), "date_to": t("filter.to", "en")}
    assert error_message(bad.value, "en", english).startswith("Until (YYYY-MM-DD) must be a date written YYYY-MM-DD")
    assert error_message(bad.value, "zh-Hant", page).startswith("结束日期（YYYY-MM-DD） 必須是")  # as given
