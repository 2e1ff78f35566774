from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import DecodeError, FileTooLarge, UnsupportedFile
from qa.ingest import decode_bytes, doc_id_for, document_from_bytes, load_document

HANT = "美國政府日前表示允許英偉達向中國「經批准的客戶」出售H200人工智能晶片，但銷售收入的25%需上繳美國政府。"
HANS = "美国放宽英伟达 H200晶片 对中国出口限制，标志着华盛顿在科技政策上的一次关键转向。"


@pytest.mark.parametrize("text", [HANT, HANS])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_decodes_unicode_and_gb18030(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


def test_decodes_big5_traditional():
    assert decode_bytes(HANT.encode("big5")) == HANT


def test_decodes_hong_kong_big5():
    """Big5-HKSCS, as Hong Kong files are saved: its Cantonese characters (嘅, 咗) are not in plain Big5, and GB18030
    read the whole file as other characters (a tester's file became 瞏桋刁カ陆穝秨)."""
    hk = "深水埗街市翻新後重開\n\n翻新咗兩年嘅深水埗北河街街市今日重開，共有120個檔位。街坊話：「好耐冇見過咁多人嚟買餸。」"
    assert decode_bytes(hk.encode("big5hkscs")) == hk


def test_binary_is_refused_with_a_clear_message():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_articles_keep_their_text_and_metadata(articles):
    by_id = {d.doc_id: d for d in articles}
    hant = by_id["h200-conditional-release-25pct.zh-hant"]
    hans = by_id["h200-export-signal-euronews.zh-hans"]
    src = Path(__file__).resolve().parent.parent / "docs_src"
    assert hant.text == (src / hant.path).read_text(encoding="utf-8")
    assert (hant.script, hant.date) == ("traditional", "2025-12-10")
    assert (hans.script, hans.title) == ("simplified", "H200晶片出口释放美中科技关系新信号")


def test_doc_ids_are_stable_and_safe():
    assert doc_id_for(Path("a b/新闻 稿.txt")) == "新闻-稿"
    assert doc_id_for(Path("../../etc/passwd")) == "passwd"
    assert doc_id_for(Path("x.md")) == doc_id_for(Path("x.md"))


def test_unsupported_type_and_size_are_named():
    with pytest.raises(UnsupportedFile, match=r"\.exe; accepted: .*\.pdf, \.docx"):
        document_from_bytes(b"x", "a.exe", max_bytes=10)
    with pytest.raises(FileTooLarge, match="over the limit"):
        document_from_bytes(b"x" * 11, "a.txt", max_bytes=10)
    with pytest.raises(DecodeError, match="no text"):
        document_from_bytes(b"  \n ", "a.txt", max_bytes=10)


def test_derived_metadata_without_sidecar(tmp_path):
    p = tmp_path / "note.txt"
    p.write_text("标题一\n2024年6月4日，正文。", encoding="utf-8")
    d = load_document(p, max_bytes=1000)
    assert (d.doc_id, d.title, d.date, d.script) == ("note", "标题一", "2024-06-04", "simplified")


def test_opening_an_index_does_not_parse_unchanged_files_again(tmp_path, monkeypatch):
    """Every open reads the docs folder to see what changed; PDFs, Word files and web pages were parsed again each
    time (seconds to minutes per start, and a PDF's font warnings on every command)."""
    import qa.extract.pdf
    from tests.sample_files import make_pdf

    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([["台積電在熊本的第二座工廠預計2027年量產。", "產能每月十萬片。"]], title="熊本二廠"))
    cache = tmp_path / "cache"
    calls = []
    real = qa.extract.pdf.extract
    monkeypatch.setattr(qa.extract.pdf, "extract", lambda *a: calls.append(1) or real(*a))
    first = load_document(path, max_bytes=10**7, cache_dir=cache)
    again = load_document(path, max_bytes=10**7, cache_dir=cache)
    assert again == first and len(calls) == 1 and first.title == "熊本二廠" and first.page_starts == (0,)
    path.write_bytes(make_pdf([["台積電在熊本的第二座工廠預計2028年量產。"]], title="熊本二廠"))  # edited: read again
    changed = load_document(path, max_bytes=10**7, cache_dir=cache)
    assert len(calls) == 2 and "2028" in changed.text and changed.sha256 != first.sha256
    assert load_document(path, max_bytes=10**7) == changed and len(calls) == 3  # without a cache: parsed


def test_an_impossible_sidecar_date_is_ignored_with_a_warning(caplog):
    """A sidecar's "2025-13-45" was dropped without a word; the article keeps the date its text gives."""
    import logging

    with caplog.at_level(logging.WARNING, logger="qa.ingest"):
        doc = document_from_bytes("标题\n2025年12月10日，美国政府允许英伟达出售H200芯片。".encode(), "x.txt",
                                  max_bytes=10**6, meta={"date": "2025-13-45"})
    assert doc.date == "2025-12-10"
    assert any("'2025-13-45' is not a date" in r.getMessage() for r in caplog.records)


def test_an_event_date_inside_a_sentence_is_not_the_article_date():
    """A tester's library notice ("will open a new branch on 1 June 2026") was filed under 2026-06-01, so date
    filters took it in or left it out by the day of the event."""
    from qa.ingest import derive_date

    assert derive_date("Library news\nThe library will open a new branch on 1 June 2026 in the east.") is None
    assert derive_date("Bridge works\nThe bridge will close for repairs from 2 May 2026.") is None
    # what does date an article: a line that opens with a date, a dateline, a date line or byline
    assert derive_date("标题一\n2024年6月4日，正文。") == "2024-06-04"
    assert derive_date("COLUMBUS, Ohio, 4 March 2026 — Northwind signed.") == "2026-03-04"
    assert derive_date("Title\ndate 2025-12-10\nBody") == "2025-12-10"
    assert derive_date("Title\nBy Jane Doe, March 3, 2026\nBody") == "2026-03-03"


@pytest.mark.parametrize("text", ["!!!???...\n", "——。。。！！！\n* * *\n", "   \n\t"])
def test_a_file_of_only_punctuation_is_refused_as_holding_no_text(text):
    """A file of only punctuation ("!!!???...") became an "(untitled)" document of script "none" whose one passage
    could never answer, and was offered as a nearest passage; a question of only punctuation is refused the same way."""
    with pytest.raises(DecodeError, match="marks.txt: the file holds no text"):
        document_from_bytes(text.encode("utf-8"), "marks.txt", max_bytes=1000)
    assert document_from_bytes(b"2025", "year.txt", max_bytes=1000).text == "2025"  # digits are text


def test_a_headline_is_the_title_whole_and_a_first_paragraph_is_cut() -> None:
    """An English headline of 80-100 characters was cut mid-word at 60 ("…to open in Ju…")."""
    from qa.ingest import derive_title

    headline = "Galway's new pedestrian bridge over the Corrib to open in June after two years of building"
    assert derive_title(f"{headline}\n\nGALWAY, Jan. 22 - The bridge opens.") == headline
    assert derive_title("臺中市北屯區「松竹好宅」社會住宅動土 2028年完工提供912戶\n\n本文") == "臺中市北屯區「松竹好宅」社會住宅動土 2028年完工提供912戶"
    lead = "美国政府日前表示允许英伟达向中国经批准的客户出售H200人工智能晶片，但销售收入的百分之二十五需上缴美国政府。" * 2
    title = derive_title(lead)
    assert title == "美国政府日前表示允许英伟达向中国经批准的客户出售H200人工智能晶片，但销售收入的百分之二十五需上缴美国政府"
    long_sentence = lead.replace("。", "，")  # no sentence end: cut at 120 columns
    title = derive_title(long_sentence)
    assert title.endswith("…") and long_sentence.startswith(title[:-1]) and 55 <= len(title) <= 70  # 120 columns: a Han character takes two
    # a story opening with its dateline and no headline: the dateline names no story (a tester's title was
    # "新华社西安11月3日电（记者 李文博）西安地铁10号线一期工程3日上午9时正式开通初期运营。该线路全长…")
    xinhua = "新华社西安11月3日电（记者 李文博）西安地铁10号线一期工程3日上午9时正式开通初期运营。该线路全长34.6公里，共设车站17座，连接主城区与高陵区。"
    assert derive_title(xinhua) == "西安地铁10号线一期工程3日上午9时正式开通初期运营"
