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
    assert figures("性能約為H20的六倍") == figures("性能约为 H20 的 6 倍") == {"6"}
    assert figures("收入的２５％") == figures("25% of the revenue") == {"25%"}
    assert figures("141GB, 4.8TB/s and 1,000 units") == {"141", "4.8", "1000"}
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
