"""End to end with the real model: a PDF, a Word file and a saved news page added through the Assistant; a question
answered from the PDF cites its passage with the page it is on and exact offsets."""
from __future__ import annotations

from qa.assistant import Assistant
from qa.settings import Settings
from tests.sample_files import DOCX_STORY, PAGES, PDF_PAGES, make_docx, make_pdf, news_page


def test_pdf_docx_and_web_page_through_the_assistant(tmp_path, embedder):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.pdf").write_bytes(make_pdf(PDF_PAGES["en"], title="Nvidia cleared to sell H200 in China"))
    (inbox / "brief.docx").write_bytes(make_docx(DOCX_STORY))
    (inbox / "h200-zh.html").write_bytes(news_page(**PAGES["simplified"]))
    settings = Settings.load(docs_dir=str(tmp_path / "docs"), index_dir=str(tmp_path / "index"))
    a = Assistant.open(settings, encoder=embedder)
    report = a.add_paths([inbox])
    assert report.counts() == {"added": 3, "replaced": 0, "skipped": 0, "files": 3}

    answer = a.ask("Have Chinese regulators said whether local companies may buy the chip?", k=3)
    top = answer.passages[0]
    assert (top.doc_id, top.page) == ("report", 2), [(p.doc_id, p.page, p.text[:60]) for p in answer.passages]
    assert "Chinese regulators have not said" in top.text
    doc = a.document(top.doc_id)
    assert doc.text[top.start : top.end] == top.text and doc.page_at(top.start) == 2
    hs, he = top.highlight
    assert "Chinese regulators" in doc.text[hs:he]
    as_json = answer.to_dict()["passages"]
    assert as_json[0]["page"] == 2
    assert all(p["page"] is None for p in as_json if p["doc_id"] != "report")

    zh = a.ask("H200的显存带宽是多少？", k=3)  # the simplified page answers; furniture never cited
    # the page's bandwidth paragraph is a card, or folded under the PDF's card that states the same (qa.also_in)
    cited = [(p.doc_id, p.text) for p in zh.passages]
    cited += [(o.doc_id, a.document(o.doc_id).text[o.start:o.end]) for p in zh.passages for o in p.also_in]
    assert any(d == "h200-zh" and "4.8TB/s" in text for d, text in cited), cited
    assert all("举报" not in p.text for p in zh.passages)
    src = next(p for p in zh.passages if p.doc_id == "h200-zh")
    assert (src.source, src.author, src.date, src.page) == ("新华财经网", "李明", "2025-12-10", None)


HARBOR = [("Title", "Harbor Foods results"),
          ("Normal", "Harbor Foods, the Lakeport seafood processor, reported results for its third quarter on Tuesday."),
          ("Normal", "The company said sales of frozen fish grew in every region, and it plans to open a second plant in 2026.")]
HARBOR_TABLE = [["Quarter", "Revenue", "Net profit"], ["Q2 2025", "$512m", "$31.2m"], ["Q3 2025", "$561m", "$39.6m"]]


def test_a_word_table_cell_is_found_and_highlighted(tmp_path, embedder):
    """A table row ("Q3 2025 | $561m | $39.6m") is short and ends without a full stop: read as a heading, the rows
    were glued to the paragraph under the table, and the card highlighted that paragraph's sentence instead."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "harbor.docx").write_bytes(make_docx(HARBOR, HARBOR_TABLE, table_after=1))
    (inbox / "brief.docx").write_bytes(make_docx(DOCX_STORY))
    a = Assistant.open(Settings.load(docs_dir=str(tmp_path / "docs"), index_dir=str(tmp_path / "index")), encoder=embedder)
    a.add_paths([inbox])

    answer = a.ask("What was the net profit in Q3 2025?", k=3)
    assert not answer.abstained
    top = answer.passages[0]
    assert (top.doc_id, top.text) == ("harbor", "Q3 2025 | $561m | $39.6m"), [p.text for p in answer.passages]
    hs, he = top.highlight_in_text()
    assert "$39.6m" in top.text[hs:he]


def _newspaper_library(tmp_path, embedder) -> Assistant:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ningbo-port.txt").write_text(
        "宁波港启动新一轮扩建\n本报讯（记者 陈晓东）2026年3月18日，宁波市政府宣布投资五十亿元扩建梅山港区集装箱码头。"
        "新码头预计2028年投入使用，年吞吐能力将增加三百万标准箱。\n", encoding="utf-8")
    (docs / "chiayi.txt").write_text(
        "嘉義市推動綠能公車\n【本報訊】（2026年8月15日）嘉義市政府宣布，明年起全面汰換柴油公車為電動公車。\n", encoding="utf-8")
    return Assistant.open(Settings.load(docs_dir=str(docs), index_dir=str(tmp_path / "index")), encoder=embedder)


def test_a_chinese_newspaper_dateline_dates_and_credits_the_article(tmp_path, embedder):
    """"本报讯（记者 陈晓东）2026年3月18日，……" under the headline: the article had no date (a date filter left it
    out) and no author."""
    a = _newspaper_library(tmp_path, embedder)
    port, bus = a.document("ningbo-port"), a.document("chiayi")
    assert (port.date, port.author, bus.date, bus.author) == ("2026-03-18", "陈晓东", "2026-08-15", None)
    answer = a.ask("宁波市政府宣布投资多少钱扩建梅山港区？", date_from="2026-03-01", date_to="2026-03-31")
    assert not answer.no_match and answer.passages[0].doc_id == "ningbo-port", answer.to_dict()
    assert a.ask("嘉義市政府宣布明年起汰換什麼公車？", date_from="2026-08-01").passages[0].doc_id == "chiayi"


def test_a_chinese_newspaper_dateline_under_the_headline_is_never_highlighted(tmp_path, embedder):
    a = _newspaper_library(tmp_path, embedder)
    for question, doc_id, sentence in (("宁波市政府宣布投资多少钱扩建梅山港区？", "ningbo-port", "2026年3月18日，宁波市政府宣布"),
                                       ("嘉義市政府宣布明年起汰換什麼公車？", "chiayi", "嘉義市政府宣布")):
        top = a.ask(question).passages[0]
        assert top.doc_id == doc_id and top.highlight is not None
        hs, he = top.highlight_in_text()
        assert top.text[hs:he].startswith(sentence), top.text[hs:he]
