""""Also reported in": one fact told by several articles is shown once, the others folded under it; never merged
when the figures differ. Measured on pairs labelled by reading the seed articles (eval/also_in_pairs.jsonl), and
end to end on a PDF, a web page and a second PDF telling one story in three scripts. Page-relative paragraphs."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.also_in import AlsoInRule, figures
from tests.sample_files import PAGES, PDF_PAGES, make_pdf, news_page

LABELS = Path(__file__).resolve().parent.parent / "eval" / "also_in_pairs.jsonl"


def test_figures_are_normalised_and_names_are_not_figures():
    assert figures("性能約為H20的六倍") == figures("性能约为 H20 的 6 倍") == {"6倍"}
    assert figures("收入的２５％") == figures("25% of the revenue") == figures("25 percent") == {"25%"}
    assert figures("141GB, 4.8TB/s and 1,000 units") == figures("141 GB, 4.8 TB/s, 1000") == {"141GB", "4.8TB/s", "1000"}
    assert figures("超过 200 万颗") == figures("超過200萬顆") == {"200万颗"}
    assert figures("every 15 minutes") == figures("每15分鐘") == {"15分钟"}
    assert figures("H200, A100, HBM3e") == frozenset()


def test_different_figures_never_merge_however_close_the_text():
    rule = AlsoInRule(cosine=0.95, cosine_shared=0.9)
    assert not rule.same(0.999, frozenset({"50%"}), frozenset({"25%"}))
    assert rule.same(0.91, frozenset({"25%", "2026"}), frozenset({"25%"}))
    assert not rule.same(0.91, frozenset(), frozenset())  # nothing shared: the higher bar
    assert rule.same(0.96, frozenset(), frozenset({"25%"}))


def test_labelled_seed_pairs_precision_is_one_and_every_shared_figure_pair_merges(assistant):  # type: ignore[no-untyped-def]
    from qa.evaluation.also_in import evaluate, read_labels, score_pairs

    labels = read_labels(LABELS)
    assert sum(labels.values()) >= 3 and len(labels) - sum(labels.values()) >= 10  # both kinds were read
    result = evaluate(score_pairs(assistant.view), labels, AlsoInRule.from_settings(assistant.settings))
    assert result["precision"] == 1.0, result
    assert result["unlabelled_merged"] == 0, result  # every pair the rule merges was read
    assert result["recall_sharing_a_figure"] == 1.0, result


def test_one_story_in_three_files_is_one_card_with_also_in(tmp_path, embedder):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant
    from qa.settings import Settings

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report-zh-hans.pdf").write_bytes(make_pdf(PDF_PAGES["simplified"], title="美国放行英伟达H200芯片"))
    (inbox / "report-zh-hant.pdf").write_bytes(make_pdf(PDF_PAGES["traditional"], title="美國放行輝達H200晶片"))
    (inbox / "h200-zh.html").write_bytes(news_page(**PAGES["simplified"]))
    a = Assistant.open(Settings.load(docs_dir=str(tmp_path / "docs"), index_dir=str(tmp_path / "index")), encoder=embedder)
    assert a.add_paths([inbox]).counts()["added"] == 3

    answer = a.ask("H200的显存带宽是多少？", k=3)
    top = answer.passages[0]
    assert "4.8TB/s" in top.text
    folded = {o.doc_id for o in top.also_in}
    assert folded == {"report-zh-hans", "report-zh-hant", "h200-zh"} - {top.doc_id}, [(p.doc_id, p.text[:30]) for p in answer.passages]
    for o in top.also_in:  # each points at the same fact in its own article, in its own script, exactly
        doc = a.document(o.doc_id)
        assert "4.8TB/s" in doc.text[o.start:o.end]
        assert o.title == doc.title
        if o.doc_id.startswith("report"):
            assert (o.page, o.page_paragraph) == (2, 1)
    # the fact is told once: no other card repeats the bandwidth
    assert not any("4.8TB/s" in p.text for p in answer.passages[1:])
    as_json = answer.to_dict()["passages"][0]["also_in"]
    assert {e["doc_id"] for e in as_json} == folded and all({"title", "paragraph", "start", "end"} <= set(e) for e in as_json)

    off = a.with_settings(also_in=0).ask("H200的显存带宽是多少？", k=3)
    assert sum("4.8TB/s" in p.text for p in off.passages) == 3 and not any(p.also_in for p in off.passages)


def test_pdf_citation_counts_paragraphs_within_the_page(tmp_path, embedder):  # type: ignore[no-untyped-def]
    from qa.assistant import Assistant
    from qa.settings import Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.pdf").write_bytes(make_pdf(PDF_PAGES["en"], title="Nvidia cleared to sell H200 in China"))
    a = Assistant.open(Settings.load(docs_dir=str(docs), index_dir=str(tmp_path / "index")), encoder=embedder)
    top = a.ask("Have Chinese regulators said whether local companies may buy the chip?", k=2).passages[0]
    assert "Chinese regulators" in top.text
    # page 2's second paragraph; the document-wide number counts page 1's three paragraphs too
    assert (top.page, top.page_paragraph, top.paragraph) == (2, 2, 5)
    d = a.ask("Have Chinese regulators said whether local companies may buy the chip?", k=2).to_dict()["passages"][0]
    assert (d["page"], d["page_paragraph"], d["paragraph"]) == (2, 2, 5)


@pytest.mark.parametrize(("lang", "expected"), [("en", "p. 2 ¶2"), ("zh-Hans", "第 2 页第 2 段"), ("zh-Hant", "第 2 頁第 2 段")])
def test_the_card_shows_the_page_paragraph(lang, expected):  # type: ignore[no-untyped-def]
    from qa.records import Passage
    from qa.ui import cite_where

    p = Passage("r", "t", None, "latin", 5, 0, 1, "x", 1.0, None, page=2, page_paragraph=2)
    assert cite_where(p, lang) == expected
    assert cite_where(Passage("r", "t", None, "latin", 5, 0, 1, "x", 1.0, None), lang).endswith("5 段") or lang == "en"


def test_the_page_folds_also_in_under_the_card_and_opens_it_in_one_click(assistant):  # type: ignore[no-untyped-def]
    """On the seed articles the 25% surcharge is told by both: one card, the other folded under it as a button
    that opens that article at that paragraph (the page's cited list holds the also-in entries after the cards)."""
    from qa.ui import Callbacks

    cb = Callbacks(assistant)
    html, cited, _, answer = cb.ask("美國對H200出口徵收多少附加費？", 5, "original", "zh-Hant")
    host = next(p for p in answer.passages if p.also_in)
    assert "25%" in host.text and all("25%" in assistant.document(o.doc_id).text[o.start:o.end] for o in host.also_in)
    assert 'class="qa-also"' in html and "另見於" in html
    assert len(cited) == len(answer.passages) + sum(len(p.also_in) for p in answer.passages)
    first = host.also_in[0]
    rank = len(answer.passages) + sum(len(p.also_in) for p in answer.passages[:answer.passages.index(host)])
    assert f'data-rank="{rank}"' in html and first.title in html  # the title as written, not converted
    article = cb.show_article(rank, cited, "original", "zh-Hant")
    doc = assistant.document(first.doc_id)
    assert doc.title in article and doc.text[first.start:first.end][:20] in article


# Four articles that share no fact, from a tester's library (the Hefei one was a PDF; its text is what pdfplumber
# reads). Every one gives a 15 or a 30, each of something else: 15 bikes a station, a shuttle every 15 minutes,
# 30 cars, the first 30 minutes, 6 min 30 s, 22:30.
UNRELATED = {
    "ningbo-metro-line5.txt": """宁波地铁5号线二期3月28日开通 新增7座车站

本报讯（记者 陈晓东）2026年3月18日，宁波市轨道交通集团宣布，地铁5号线二期工程将于3月28日上午10时正式开通运营。

5号线二期全长9.6公里，自一期终点邱隘站向东延伸至东钱湖站，新增7座车站，其中换乘站2座，分别在五乡站与3号线换乘、在东钱湖站与规划中的8号线换乘。

开通初期，列车最小行车间隔为6分30秒，首班车6时整从东钱湖站发出，末班车22时30分。全程票价最高为6元。

据测算，二期开通后，从东钱湖到市中心鼓楼的通勤时间将由原来的55分钟缩短至32分钟。预计日均客流约4.5万人次。

工程总投资约78亿元，于2021年12月开工建设。建设期间，施工方在穿越东钱湖湿地段时采用了盾构隧道，以减少对生态环境的影响。

运营方表示，开通首周所有乘客可凭宁波市民卡免费乘坐二期新开通区段。
""",
    "hefei-school.txt": """合肥市滨湖第三小学新校区9月1日启用

2026年8月25日，合肥市包河区教育体育局宣布，滨湖第三小学新校区将于9月1日新学期起正式启用。

新校区占地约3.2万平方米，设有48个教学班，可容纳学生约2160人，建有400米标准跑道的运动场和一座室内恒温游泳馆。

学校校长王丽娟介绍，新校区将开设人工智能、编程和无人机等特色课程，每周安排两节科学实验课。

为缓解上学高峰期交通压力，学校在校门东侧设置了可停靠30辆车的临时停车接送区，并错峰安排不同年级的到校时间。

新校区总投资约3.6亿元，由包河区政府全额出资建设，工期历时26个月。
""",
    "taipei-bike.txt": """臺北市YouBike 2.0新增100站 年底前完成

2026年11月2日 臺北市交通局今日表示，YouBike 2.0將於年底前在文山區與南港區新增100個租賃站，總站數將突破1,600站。

交通局指出，新增站點以捷運站周邊及大型社區為優先，每站平均設置15輛車。前30分鐘騎乘費用維持由市府補貼，民眾免費使用。

交通局長周明德表示，今年YouBike累計騎乘次數已達4,200萬次，較去年成長12%。
""",
    "chiayi-band-festival.md": """---
title: 2026嘉義市國際管樂節開幕 三十國樂團齊聚
date: 2026-12-05
source: 諸羅日報
author: 林雅婷
---
# 2026嘉義市國際管樂節開幕 三十國樂團齊聚

**嘉義訊**　第三十四屆嘉義市國際管樂節於12月5日晚間在[文化公園](https://example.com/park)正式開幕，今年共有來自30個國家、112支樂團參加，活動將持續至12月21日。

市長林文華在開幕式上表示，管樂節已成為嘉義市最具代表性的城市品牌，去年吸引約62萬人次參觀，帶動周邊商圈營收超過3億元新臺幣。

今年首度推出「踩街嘉年華」，將於12月13日下午2點從嘉義火車站出發，沿中山路行進至文化公園，全長約2.4公里，預計有45支樂團參與遊行。

主辦單位提醒：

- 文化公園周邊將實施交通管制，建議民眾搭乘免費接駁車。
- 接駁車每15分鐘一班，自嘉義高鐵站與嘉義火車站發車。

另外，今年的閉幕音樂會邀請到日本東京佼成管樂團演出，門票已於11月20日開賣，不到三小時即全數售罄。
""",
}


def test_a_figure_carries_its_unit_so_30_cars_is_not_30_seconds():
    """A number is compared with the measure word or unit after it: 30辆 (cars), 30秒 (seconds) and 30分鐘
    (minutes) are three figures; 輛 and 辆 are one."""
    cars = figures("为缓解上学高峰期交通压力，学校在校门东侧设置了可停靠30辆车的临时停车接送区，并错峰安排不同年级的到校时间。")
    metro = figures("开通初期，列车最小行车间隔为6分30秒，首班车6时整从东钱湖站发出，末班车22时30分。全程票价最高为6元。")
    bikes = figures("交通局指出，新增站點以捷運站周邊及大型社區為優先，每站平均設置15輛車。")
    free = figures("前30分鐘騎乘費用維持由市府補貼，民眾免費使用。")
    shuttle = figures("接駁車每15分鐘一班，自嘉義高鐵站與嘉義火車站發車。")
    assert cars == {"30辆"} and bikes == {"15辆"} and shuttle == {"15分钟"} and free == {"30分钟"}
    assert metro == {"6分", "30秒", "6时", "22时", "30分", "6元"}
    assert figures("每站平均设置15辆车") == bikes  # Traditional and Simplified counters are one
    rule = AlsoInRule(cosine=0.97, cosine_shared=0.88)
    for x, y in [(cars, metro), (bikes, shuttle), (free, shuttle), (free, metro), (cars, free)]:
        assert not rule.same(0.95, x, y) and not rule.same(0.95, y, x)
    assert rule.same(0.9, figures("每15分鐘一班"), figures("接驳车每 15 分钟发一班"))


def test_articles_sharing_no_fact_fold_nothing_even_when_their_numbers_coincide(tmp_path, embedder):  # type: ignore[no-untyped-def]
    """A tester's library: asking how often the shuttle runs folded the festival's answer, the school's parking
    and the metro's timetable under the YouBike card (each gives a bare 15 or 30). Four stories, no shared fact:
    nothing folds, and the answer is a card of its own."""
    from qa.assistant import Assistant
    from qa.settings import Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in UNRELATED.items():
        (docs / name).write_text(text, encoding="utf-8")
    a = Assistant.open(Settings.load(docs_dir=str(docs), index_dir=str(tmp_path / "index")), encoder=embedder)
    for q in ("How often do the shuttle buses run?", "接駁車多久一班？", "末班车几点？", "每站設置多少輛車？"):
        answer = a.ask(q, k=3)
        assert not any(p.also_in for p in answer.passages), (q, [(p.doc_id, p.text[:20], [(o.doc_id, o.paragraph) for o in p.also_in]) for p in answer.passages])
    shuttle = a.ask("How often do the shuttle buses run?", k=3)
    assert any("每15分鐘一班" in p.text for p in shuttle.passages)


def test_a_paragraph_that_gives_a_figure_the_card_lacks_is_not_folded_under_it():
    """A tester's 繁體 question about what is paid per chip: the paragraph giving 2500-5000美元 was folded under
    another article's paragraph that shares its 25% and gives no amount; the answer showed only as a link."""
    import numpy as np

    from qa.also_in import Paragraph, figures, says_no_more

    def paragraph(*sentences: str) -> Paragraph:
        return Paragraph("d", [(0, 1)] * len(sentences), np.zeros((len(sentences), 2)), [figures(s) for s in sentences])

    fee = paragraph("美國政府要求輝達繳納25%的費用。")
    answer = paragraph("銷售收入的25%需上繳美國政府。", "每售出一張晶片需繳納2500-5000美元。")
    assert not says_no_more(answer, fee) and says_no_more(fee, answer)
    assert says_no_more(paragraph("性能約為H20的六倍。"), paragraph("H200的性能是H20的6倍，帶寬4.8TB/s。"))
