"""Filters (date range, sources, documents) on the real model and index: restricted inside the search, so k
passages come back whenever k exist; a date-bounded question never cites outside the range (property test);
undated articles are left out under a date bound; bad dates are a clear 400-class error; no match says so."""
from __future__ import annotations

import datetime
import json
import re
import shutil
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import BadDate, BadRequest, QAError
from qa.filters import Filters, allowed_rows, make_filters
from qa.records import Document
from tests.conftest import DOCS

# Three dated articles from two sources beside the seed articles (繁: 2025-12-10, no source; 简: Euronews, undated)
EXTRA = {
    "tsmc-arizona-2025-09.txt": ({"title": "TSMC Arizona output rises", "date": "2025-09-15", "source": "Reuters"},
        "TSMC Arizona output rises\n\nTSMC said its Arizona plant now makes chips for Nvidia and Apple at volume.\n\n"
        "The plant's yield is close to the yield of its Taiwan fabs, the company said on Monday.\n\n"
        "Nvidia's Blackwell wafers were first made there in October, according to the company.\n"),
    "hbm-supply-2025-10.txt": ({"title": "HBM memory stays scarce", "date": "2025-10-20", "source": "BBC"},
        "HBM memory stays scarce\n\nHigh-bandwidth memory for AI chips such as the H200 remains in short supply.\n\n"
        "SK Hynix and Samsung say their HBM3e output is sold out for next year.\n\n"
        "Nvidia's H200 uses 141GB of HBM3e memory with 4.8TB/s of bandwidth.\n"),
    "export-rules-2025-11.txt": ({"title": "Export rules for AI chips debated", "date": "2025-11-05", "source": "Reuters"},
        "Export rules for AI chips debated\n\nLawmakers in Washington debated export rules for Nvidia's AI chips to China.\n\n"
        "Some argued that selling the H200 would help Chinese AI labs; others said a ban only speeds up Huawei.\n\n"
        "The Commerce Department reviews each export licence case by case.\n"),
}
QUESTIONS = ["What is the memory bandwidth of the H200?", "美國對H200出口徵收多少附加費？", "英伟达在中国的市场份额是多少？",
             "Who makes chips in Arizona?", "What did lawmakers say about export rules?"]
DAYS = ["2025-09-01", "2025-09-15", "2025-10-01", "2025-10-20", "2025-11-05", "2025-11-30", "2025-12-10", "2026-01-01"]


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """The seed articles plus three dated English ones from two sources, in a fresh index."""
    from qa.assistant import Assistant
    from qa.settings import Settings

    tmp = tmp_path_factory.mktemp("filters")
    shutil.copytree(DOCS, tmp / "docs", ignore=shutil.ignore_patterns(".*"))
    for name, (meta, text) in EXTRA.items():
        (tmp / "docs" / name).write_text(text, encoding="utf-8")
        (tmp / "docs" / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return Assistant.open(Settings.load(docs_dir=str(tmp / "docs"), index_dir=str(tmp / "index")), encoder=embedder)


def _dates(library) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {d.doc_id: d.date for d in library.view.documents.values()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.sampled_from(QUESTIONS), start=st.sampled_from([None, *DAYS]), end=st.sampled_from([None, *DAYS]),
       k=st.integers(1, 8))
def test_a_date_bounded_question_never_cites_outside_the_range(library, question, start, end, k):  # type: ignore[no-untyped-def]
    if start and end and start > end:
        start, end = end, start
    dates = _dates(library)
    answer = library.ask(question, k=k, date_from=start, date_to=end)
    for p in answer.passages:
        if start or end:
            assert p.date is not None, (p.doc_id, "undated articles are out under a date bound")
        assert not start or p.date >= start, (p.doc_id, p.date, start)
        assert not end or p.date <= end, (p.doc_id, p.date, end)
        for o in p.also_in:  # what is folded under a card is cited too
            assert (not start or dates[o.doc_id] >= start) and (not end or dates[o.doc_id] <= end)

    def inside(day: str | None) -> bool:
        return not (start or end) or (day is not None and (not start or day >= start) and (not end or day <= end))

    in_range = [d for d, day in dates.items() if inside(day)]
    assert answer.no_match == (not in_range)
    # the answer says how many were left out for having no date, and only under a date bound
    assert answer.undated_left_out == (sum(day is None for day in dates.values()) if start or end else 0)
    if in_range:
        assert answer.passages, "articles are in the range: the nearest of them are shown"


def test_k_passages_come_back_from_a_document_the_unfiltered_answer_does_not_cite(library):  # type: ignore[no-untyped-def]
    question = "美國對H200出口徵收多少附加費？"
    other = "h200-export-signal-euronews.zh-hans"
    unfiltered = library.ask(question, k=5)
    # dropping the unfiltered answer's other cards afterwards would leave fewer than 5
    assert sum(p.doc_id == other for p in unfiltered.passages) < 5
    filtered = library.ask(question, k=5, doc_ids=[other])
    assert len(filtered.passages) == 5
    assert {p.doc_id for p in filtered.passages} == {other}


def test_a_code_no_allowed_article_writes_is_refused_under_a_filter(library):  # type: ignore[no-untyped-def]
    # the H200 is named by other articles, not by the one allowed: read library-wide, the code counted as known and
    # the Arizona article's passages were cited as an answer
    question = "What is the memory bandwidth of the H200?"
    assert not library.ask(question, k=3).abstained
    only = library.ask(question, k=3, doc_ids=["tsmc-arizona-2025-09"])
    assert only.abstained and "h200" in only.evidence["unknown_codes"]
    assert {p.doc_id for p in only.passages} == {"tsmc-arizona-2025-09"}  # shown for reference, as any refusal's
    assert not library.ask("H200 memory bandwidth", k=3, doc_ids=["hbm-supply-2025-10"]).abstained


def test_sources_and_doc_ids_restrict_and_combine(library):  # type: ignore[no-untyped-def]
    answer = library.ask("What did lawmakers say about export rules?", k=6, sources=["reuters"])  # case-insensitive
    assert answer.passages and {p.source for p in answer.passages} == {"Reuters"}
    both = library.ask("H200 memory", k=3, sources=["BBC", "Euronews"], date_from="2025-10-01")
    assert {p.doc_id for p in both.passages} == {"hbm-supply-2025-10"}  # Euronews is undated: out under a date bound
    assert both.filters == {"date_from": "2025-10-01", "date_to": None, "sources": ["BBC", "Euronews"], "doc_ids": []}


def test_the_answer_counts_the_undated_articles_a_date_bound_left_out(library):  # type: ignore[no-untyped-def]
    # an undated article holding the answer vanished under a date bound without a word: the answer now counts it
    undated = [d for d, day in _dates(library).items() if day is None]
    assert undated == ["h200-export-signal-euronews.zh-hans"]
    question = "美國對H200出口徵收多少附加費？"
    bounded = library.ask(question, k=3, date_from="2025-10-01")
    assert bounded.undated_left_out == 1 and bounded.to_dict()["undated_left_out"] == 1
    assert json.loads(json.dumps(bounded.to_dict()))["undated_left_out"] == 1  # what --json and /api/ask send
    assert library.ask(question, k=3, date_to="2025-10-31").undated_left_out == 1  # either bound alone
    # not counted: no date bound, or left out already by a source or document filter
    plain = library.ask(question, k=3, sources=["BBC"])
    assert plain.undated_left_out == 0 and plain.to_dict()["undated_left_out"] == 0
    assert library.ask(question, k=3).to_dict()["undated_left_out"] == 0
    assert library.ask(question, k=3, date_from="2025-10-01", sources=["BBC"]).undated_left_out == 0
    assert library.ask(question, k=3, date_from="2025-10-01", doc_ids=["hbm-supply-2025-10"]).undated_left_out == 0
    # counted when a source or document filter admits it, even when nothing else is left to search
    both = library.ask(question, k=3, date_from="2025-10-01", sources=["BBC", "Euronews"])
    assert both.undated_left_out == 1 and both.passages
    none_left = library.ask(question, k=3, date_from="2025-10-01", doc_ids=undated)
    assert none_left.no_match and none_left.undated_left_out == 1
    # out of range is not "undated": a dated article before the bound is not counted
    assert Filters(date_from="2025-10-01").left_out_undated(library.view.documents["tsmc-arizona-2025-09"]) is False


def test_no_match_says_so_plainly_in_the_askers_language(library):  # type: ignore[no-untyped-def]
    answer = library.ask("What is the memory bandwidth of the H200?", date_from="2030-01-01")
    assert answer.no_match and answer.abstained and not answer.passages
    assert "No document matches the filters" in answer.message and "without a date" in answer.message
    zh = library.ask("H200的带宽是多少？", sources=["Nobody News"])
    assert zh.no_match and "没有符合筛选条件" in zh.message
    # only what was filtered by: a tester's `qa ask … --source 本報` was told of a date range and undated articles
    assert "来源" in zh.message and "日期" not in zh.message
    source = library.ask("What is the memory bandwidth of the H200?", sources=["本報"])
    assert source.no_match and source.message == ("No document matches the filters (sources). Pick other sources "
                                                  "(`qa docs` and GET /api/documents list each document's).")
    dated = library.ask("What is the memory bandwidth of the H200?", date_to="2020-01-01", sources=["BBC"])
    assert dated.message.startswith("No document matches the filters (dates, sources). Widen the date range")
    hant = library.ask("H200的頻寬是多少？", doc_ids=["no-such-doc"])
    assert hant.no_match
    assert hant.message.startswith("沒有 ID 為 no-such-doc 的文件")  # the id said first: it is what is wrong
    assert "日期" not in hant.message  # no date was set: no advice on dates
    # an unknown id beside a known one: the known one answers, and the unknown one is named
    both = library.ask("H200的頻寬是多少？", doc_ids=["no-such-doc", "h200-conditional-release-25pct.zh-hant"])
    assert both.passages and not both.no_match and both.message.startswith("沒有 ID 為 no-such-doc 的文件")
    assert "no-such-doc" not in zh.message
    # like any answer, it names the model and times what it did (it had "" and {})
    assert hant.model and "total" in hant.timings_ms


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"date_from": "2025-13-01"}, "date_from must be a date written YYYY-MM-DD"),
    ({"date_to": "yesterday"}, "date_to must be a date written YYYY-MM-DD"),
    ({"date_from": "2025/10/01"}, "got '2025/10/01'"),
    ({"date_from": "2025-12-01", "date_to": "2025-10-01"}, "date_from 2025-12-01 is after date_to 2025-10-01"),
])
def test_bad_dates_are_a_specific_error_with_the_fix(library, kwargs, words):  # type: ignore[no-untyped-def]
    with pytest.raises(BadDate, match=words) as e:
        library.ask("What is the memory bandwidth of the H200?", **kwargs)
    assert isinstance(e.value, QAError) and e.value.status == 400


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"sources": [1, 2]}, "sources must be a name or a list of names (text), got 1"),
    ({"doc_ids": [1]}, "doc_ids must be a name or a list of names (text), got 1"),
    ({"sources": ["BBC", None]}, "sources must be a name or a list of names (text), got None"),
    ({"doc_ids": 5}, "doc_ids must be a name or a list of names (text), got 5"),
    ({"sources": b"BBC"}, "sources must be a name or a list of names (text), got b'BBC'"),
])
def test_filter_names_that_are_not_text_are_refused_naming_the_field(library, kwargs, words):  # type: ignore[no-untyped-def]
    # a name that was not text was dropped, leaving the filter empty: the answer searched every document
    from qa.messages import error_message

    with pytest.raises(BadRequest, match=re.escape(words)) as e:
        library.ask("What is the memory bandwidth of the H200?", **kwargs)
    assert e.value.status == 400
    assert "必須是一個名稱或名稱清單" in error_message(e.value, "zh-Hant")


def test_a_datetime_bound_is_taken_as_its_date(library):  # type: ignore[no-untyped-def]
    # its isoformat, 2025-12-10T15:30:00, sorted after the article dated 2025-12-10 and left it out
    day = datetime.datetime(2025, 12, 10, 15, 30)
    answer = library.ask("美國對H200出口徵收多少附加費？", date_from=day, date_to=day)
    assert answer.filters["date_from"] == answer.filters["date_to"] == "2025-12-10"
    assert answer.passages and {p.doc_id for p in answer.passages} == {
        d for d, date in _dates(library).items() if date == "2025-12-10"}


def test_bad_date_reads_in_chinese():  # type: ignore[no-untyped-def]
    from qa.messages import error_message

    with pytest.raises(BadDate) as e:
        make_filters(date_from="2025-02-30")
    assert "必须是 YYYY-MM-DD" in error_message(e.value, "zh-Hans")
    assert "必須是 YYYY-MM-DD" in error_message(e.value, "zh-Hant")


def test_allowed_rows_are_exactly_the_admitted_documents_passages(library):  # type: ignore[no-untyped-def]
    view = library.view
    assert allowed_rows(view, Filters()) is None
    rows = allowed_rows(view, make_filters(date_to="2025-10-31"))
    docs = {view.chunks[r].doc_id for r in rows}
    assert docs == {"tsmc-arizona-2025-09", "hbm-supply-2025-10"}
    assert len(rows) == sum(len(view.chunk_rows(d)) for d in docs)


def test_filtered_search_restricts_every_channel(library):  # type: ignore[no-untyped-def]
    """The dense and keyword searches themselves return only allowed rows, n of them when n are allowed."""
    view = library.view
    rows = allowed_rows(view, make_filters(doc_ids=["h200-conditional-release-25pct.zh-hant"]))
    q = library.queries.analyse("H200的带宽是多少？", library.ranking, library.policy, view=view)
    dense = view.dense_search(q.vector, 10, rows)
    assert len(dense) == 10 and set(dense) <= set(rows.tolist())
    keyword = view.keyword_search({t: 1.0 for t in q.tokens}, 10, rows)
    assert keyword and set(keyword) <= set(rows.tolist())
    # the same rows found as an unrestricted search over the allowed rows' scores
    exact = sorted(rows.tolist(), key=lambda r: -float(view.passage_cosines([r], q.vector)[0]))[:10]
    assert set(dense) == set(exact)


def test_speed_bench_reports_filtered_and_unfiltered_p50_side_by_side(library):  # type: ignore[no-untyped-def]
    from qa.evaluation.speed import default_filter, format_report, measure_queries

    filters = default_filter(library)
    assert filters == {"date_from": "2025-09-15"}  # the earliest date: every dated article in, the undated one out
    q = measure_queries(library.with_settings(), [("en", f"{x} ({i})") for i, x in enumerate(QUESTIONS)], filters)
    f = q["filtered"]
    assert f["filters"] == filters and f["wall_ms"]["p50"] > 0 and f["unfiltered_wall_ms"] == q["wall_ms"]
    assert f["p50_ratio"] == round(f["wall_ms"]["p50"] / q["wall_ms"]["p50"], 3)
    report = format_report({"machine_start": {"cpus": 2, "loadavg": [0], "env": {}}, "machine_end": {"cpus": 2, "loadavg": [0]},
                            "cold_start": {"runs": [], "wall_s": 0, "startup_s": 0, "first_ask_ms": 0, "peak_rss_mb": 0},
                            "query": q})
    assert "filtered {'date_from': '2025-09-15'}" in report and "unfiltered p50" in report


def test_cli_filters_also_in_and_bad_dates_in_the_terminals_language(library, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    from qa.cli import main

    where = ["--docs", str(library.settings.docs_dir), "--index", str(library.settings.index_dir)]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "3", "--until", "2025-10-31", "--source", "BBC",
                 "--source", "Reuters"]) == 0
    out = capsys.readouterr().out
    assert "filters: date_to 2025-10-31, sources BBC | Reuters" in out
    assert "(2025-09-15, Reuters)" in out or "(2025-10-20, BBC)" in out
    assert "Euronews" not in out and "2025-12-10" not in out
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "5"]) == 0
    assert "also in 《" in capsys.readouterr().out  # the 25% surcharge: told by both seed articles
    assert main(["ask", "H200", *where, "--since", "2025-13-01"]) == 2
    assert "--since must be a date written YYYY-MM-DD" in capsys.readouterr().err  # the flag typed, not the field
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(["ask", "H200", *where, "--since", "2025-12-01", "--until", "2025-01-01"]) == 2
    # the CLI names its flags, as the page names its labels (test_ui) and the API its fields
    assert "--since 2025-12-01 晚於 --until 2025-01-01" in capsys.readouterr().err


def test_cli_says_how_many_undated_articles_the_date_filter_left_out(library, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    from qa.cli import main

    where = ["--docs", str(library.settings.docs_dir), "--index", str(library.settings.index_dir)]
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["ask", "What is the memory bandwidth of the H200?", *where, "--k", "2", "--since", "2025-10-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("filters: date_from 2025-10-01"))
    assert lines[at + 1] == "  Articles without a date left out by the date filter: 1 (ask without dates to include them)."
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "2", "--since", "2025-10-01", "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["undated_left_out"] == 1 and said["notices"] == ["因設定日期而未參與檢索的無日期文章：1 篇（不設日期再問即可包括它們）。"]
    # in the question's language, as the rest of the answer, whatever the terminal's: a Chinese question over an
    # English terminal printed this note in English and the no-match message under it in Chinese
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "2", "--until", "2025-12-31"]) == 0
    assert "因設定日期而未參與檢索的無日期文章：1 篇" in capsys.readouterr().out
    assert main(["ask", "一等座多少钱", *where, "--since", "2027-01-01"]) == 1
    out = capsys.readouterr().out
    assert "因设定日期而未参与检索的无日期文章：1 篇" in out and "没有符合筛选条件" in out and "Articles" not in out
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert main(["ask", "What is the memory bandwidth of the H200?", *where, "--k", "2", "--until", "2025-12-31"]) == 0
    assert "Articles without a date left out by the date filter: 1" in capsys.readouterr().out
    # no note when nothing undated was left out (no date bound, or a source filter already excluded it)
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "2", "--source", "BBC"]) == 0
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--k", "2", "--since", "2025-10-01",
                 "--source", "Reuters"]) == 0
    assert "無日期文章" not in capsys.readouterr().out


def test_cli_exits_1_when_no_document_was_searched_and_says_when_a_question_was_cut(library, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """A mistyped --doc id printed its clear message but exited 0, as a question the documents do not answer does:
    a script could not tell them apart. And a question over max_question_chars was cut without a word (the page
    says so)."""
    from qa.cli import main

    where = ["--docs", str(library.settings.docs_dir), "--index", str(library.settings.index_dir)]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--doc", "nosuch"]) == 1
    assert "沒有 ID 為 nosuch 的文件" in capsys.readouterr().out  # in the question's language
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where, "--doc", "nosuch", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["no_match"] is True
    assert main(["ask", "What will the weather be like in Beijing tomorrow?", *where]) == 0  # refused, but searched
    assert "do not answer" in capsys.readouterr().out
    long = "I have been reading the news and would like some help. " * 40 + "Who is the spokesman?"
    assert main(["ask", long, *where, "--setting", "max_question_chars", "500"]) == 0
    assert f"Your question was {len(long):,} characters long; only the first 500 were used." in capsys.readouterr().out
    assert main(["ask", "美國對H200出口徵收多少附加費？", *where]) == 0
    assert "only the first" not in capsys.readouterr().out


def test_a_source_matches_in_either_script_and_width() -> None:
    """A tester's `--source 新華社` matched nothing: the articles write 新华社 (and a page may write ＢＢＣ)."""
    doc = Document("x", "x.txt", "t", "2026-10-12", "simplified", "zh", "正文。", "0", source="新华社")
    assert Filters(sources=("新華社",)).admits(doc) and Filters(sources=(" 新华社 ",)).admits(doc)
    assert not Filters(sources=("新华网",)).admits(doc)
    assert Filters(sources=("ＢＢＣ",)).admits(replace(doc, source="BBC"))
