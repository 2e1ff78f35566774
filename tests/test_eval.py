from __future__ import annotations

import json
import re

import pytest

from qa.errors import BadRequest
from qa.evaluation.metrics import contains_answer
from qa.evaluation.questions import Outcome, Question, load_questions, metrics, write_report


def q(qid, answers, lang="en"):
    return Question(qid, lang, "?", tuple(answers))


def test_rank_two_hit_gives_mrr_half_and_misses_hit_at_1():
    m = metrics([Outcome(q("a", ["x"]), 2, False, 1.0)], by_lang=False)
    assert m["mrr@10"] == 0.5
    assert (m["hit@1"], m["hit@3"], m["hit@5"]) == (0.0, 1.0, 1.0)


def test_abstentions_are_counted_right():
    outs = [
        Outcome(q("u1", []), None, True, 1.0),   # unanswerable, abstained: correct
        Outcome(q("u2", []), None, False, 1.0),  # unanswerable, answered: missed abstention
        Outcome(q("a1", ["x"]), 1, True, 1.0),   # answerable but abstained: wrong abstention, counts as a miss
        Outcome(q("a2", ["x"]), 1, False, 1.0),
    ]
    m = metrics(outs, by_lang=False)
    assert m["abstain_precision"] == 0.5
    assert m["abstain_recall"] == 0.5
    assert m["answered"] == 0.5
    assert m["hit@1"] == 0.5


def test_metrics_per_language():
    outs = [Outcome(q("a", ["x"], "en"), 1, False, 1.0), Outcome(q("b", ["x"], "zh-hant"), None, False, 1.0)]
    m = metrics(outs)
    assert m["by_lang"]["en"]["hit@1"] == 1.0
    assert m["by_lang"]["zh-hant"]["hit@1"] == 0.0
    assert m["hit@1"] == 0.5


def test_matching_is_script_width_space_and_case_insensitive():
    assert contains_answer("黃仁勳表示，份額為５４．４％", ["黄仁勋"])
    assert contains_answer("份額為５４．４％", ["54.4%"])
    assert contains_answer("HBM3e 內存", ["hbm3E内存"])
    assert not contains_answer("份額為54.4%", ["21.4%"])


def test_question_file_is_validated(tmp_path):
    p = tmp_path / "q.jsonl"
    p.write_text(json.dumps({"id": "1", "lang": "en", "question": "q", "answers": []}) + "\n")
    assert load_questions(p)[0].answerable is False
    p.write_text(json.dumps({"id": "1", "lang": "fr", "question": "q", "answers": []}) + "\n")
    with pytest.raises(BadRequest, match="lang must be"):
        load_questions(p)
    p.write_text('{"id": 1}\n')
    with pytest.raises(BadRequest, match=re.escape("a question needs the fields ['answers', 'id', 'lang', 'question']")):
        load_questions(p)
    # a company's set carries its own fields (a note, a source): read as it stands
    p.write_text(json.dumps({"id": "1", "lang": "en", "question": "q", "answers": ["x"], "note": "from the desk"}) + "\n")
    assert load_questions(p)[0].answers == ("x",)


@pytest.mark.parametrize(("content", "hint"), [
    (json.dumps({"version": "1.1", "data": []}), "this looks like a SQuAD-format JSON file: `qa bench squad FILE` reads those"),
    (json.dumps([{"id": "1", "lang": "en", "question": "q", "answers": ["x"]}]), "the file is one JSON array"),
    (json.dumps([{"id": "1", "lang": "en", "question": "q", "answers": ["x"]}], indent=1), "the file is one JSON array"),
])
def test_a_question_file_that_is_one_json_document_says_what_it_is(tmp_path, content, hint):
    p = tmp_path / "q.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(BadRequest, match=re.escape(hint)):
        load_questions(p)


def test_a_question_file_not_in_utf8_says_so(tmp_path):
    p = tmp_path / "q.jsonl"
    p.write_text(_lines(OK), encoding="utf-16")
    with pytest.raises(BadRequest, match="q.jsonl: not UTF-8 text .*save it as UTF-8"):
        load_questions(p)


def test_project_question_set_is_well_formed():
    from pathlib import Path

    qs = load_questions(Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl")
    assert len(qs) >= 90
    for lang in ("en", "zh-hans", "zh-hant"):
        assert sum(x.lang == lang for x in qs) >= 25
    assert sum(not x.answerable for x in qs) >= 12
    assert len({x.id for x in qs}) == len(qs)


def test_second_question_set_is_new_and_answered_by_the_articles():
    """eval/questions-second.jsonl is held out: none of its questions is in the project set, and every answer
    string occurs in one of the two seed articles under the matching rule."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    second = load_questions(root / "eval" / "questions-second.jsonl")
    project = load_questions(root / "eval" / "questions.jsonl")
    articles = [p.read_text(encoding="utf-8") for p in sorted((root / "docs_src").glob("*.txt"))]
    assert len(articles) == 2 and len(second) >= 40
    assert len({x.id for x in second}) == len(second)
    assert not {x.question for x in second} & {x.question for x in project}
    for lang in ("en", "zh-hans", "zh-hant"):
        assert sum(x.lang == lang and x.answerable for x in second) >= 8
        assert sum(x.lang == lang and not x.answerable for x in second) >= 3
    for x in second:
        for answer in x.answers:
            assert any(contains_answer(text, [answer]) for text in articles), (x.id, answer)


def test_report_lists_failures_and_draws_the_plot(tmp_path):
    outs = [Outcome(q("a", ["x"]), None, False, 1.0, ("cited text",)), Outcome(q("b", ["x"]), 1, False, 2.0),
            Outcome(q("c", ["x"]), 3, False, 2.0, ("the lead", "a caption", "x here"))]
    files = write_report(outs, metrics(outs), tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "### a (en)" in report and "cited 1: cited text" in report and "### b" not in report
    # found, but not first: listed apart, with what came first
    later = report.split("## Answer not in the first card (1)")[1]
    assert "### c (en)" in later and "answer at rank 3" in later and "cited 1: the lead" in later
    assert (tmp_path / "hit_at_k.png").read_bytes()[:4] == b"\x89PNG"
    assert len(files) == 3


def test_question_file_with_a_byte_order_mark_loads(tmp_path):
    """A file saved by an editor that writes a UTF-8 BOM failed with 'Unexpected UTF-8 BOM' on its first line."""
    p = tmp_path / "q.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "1", "lang": "en", "question": "q", "answers": ["x"]}).encode() + b"\n")
    assert load_questions(p) == [Question("1", "en", "q", ("x",))]


def test_question_file_that_cannot_be_read_is_named(tmp_path):
    for path in (tmp_path / "nope.jsonl", tmp_path):
        with pytest.raises(BadRequest, match=re.escape(f"{path}: cannot read the question file")):
            load_questions(path)
    (tmp_path / "latin1.jsonl").write_bytes(b"\xff\xfe")
    with pytest.raises(BadRequest, match="latin1.jsonl: not UTF-8 text"):
        load_questions(tmp_path / "latin1.jsonl")


def _lines(*objs: dict) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


OK = {"id": "1", "lang": "en", "question": "q", "answers": ["x"]}


@pytest.mark.parametrize(("bad", "message"), [
    ({"question": ""}, "q.jsonl:2: question must be a non-empty string"),  # failed mid-run, naming no line
    ({"question": "  "}, "q.jsonl:2: question must be a non-empty string"),
    ({"answers": "陈秀兰"}, "q.jsonl:2: answers must be a list of strings"),  # was blamed on lang too
    ({"answers": [""]}, r"q.jsonl:2: answers\[0\] is empty or blank"),  # never matched: a certain miss
    ({"answers": [["Daniel Okafor"]]}, r"q.jsonl:2: answers\[0\] must be a string, got list"),  # matched as its repr
    ({"answers": [240]}, r"q.jsonl:2: answers\[0\] must be a string, got int 240"),
    ({"answers": ["x", " \u3000"]}, r"q.jsonl:2: answers\[1\] is empty or blank"),
    ({"id": "1"}, "q.jsonl:2: id '1' is already used on line 1"),
])
def test_question_file_line_faults_are_named_at_load(tmp_path, bad, message):
    p = tmp_path / "q.jsonl"
    p.write_text(_lines(OK, {**OK, "id": "2"} | bad), encoding="utf-8")
    with pytest.raises(BadRequest, match=message):
        load_questions(p)


def test_question_file_without_questions_is_refused(tmp_path):
    """An empty file printed a table of '-' and exited 0, as if the evaluation had passed."""
    p = tmp_path / "q.jsonl"
    for text in ("", "\n  \n"):
        p.write_text(text)
        with pytest.raises(BadRequest, match="q.jsonl: no questions"):
            load_questions(p)


def _squad(paragraph: dict) -> dict:
    return {"data": [{"title": "t", "paragraphs": [{"context": "c", "qas": []}, paragraph]}]}


@pytest.mark.parametrize(("content", "message"), [
    (_squad({"text": "c", "qas": []}), 'data[0].paragraphs[1]: no "context"'),  # was KeyError: 'context'
    (_squad({"context": "c", "qas": [{"id": "a", "answers": []}]}), 'data[0].paragraphs[1].qas[0]: no "question"'),
    (_squad({"context": "c", "qas": [{"id": "a", "question": "q", "answers": ["x"]}]}),
     "data[0].paragraphs[1].qas[0].answers[0]: not an object but str"),
    (_squad({"context": ["c"]}), "data[0].paragraphs[1].context: a list, not a str"),
    ([_squad({"context": "c"})], "top level: not an object but list"),  # was AttributeError
    ({"version": "1.1"}, 'top level: no "data"'),
])
def test_malformed_squad_file_names_the_element(tmp_path, content, message):
    from qa.evaluation.squad import load_squad

    p = tmp_path / "squad.json"
    p.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(BadRequest, match=re.escape(f"{p}: {message}") + ".*expected SQuAD format"):
        load_squad(p)
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(_squad({"context": "d"})), encoding="utf-8")
    for kw in ({"questions": p}, {"mix_contexts": p}):  # the parallel files are checked as well
        with pytest.raises(BadRequest, match=re.escape(f"{p}: {message}")):
            load_squad(ok, **kw)


def test_squad_file_with_a_byte_order_mark_or_bad_json(tmp_path):
    from qa.evaluation.squad import load_squad

    p = tmp_path / "squad.json"
    squad = {"data": [{"paragraphs": [{"context": "c", "qas": [{"id": "a", "question": "q", "answers": [{"text": "c"}]}]}]}]}
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(squad).encode())
    docs, questions = load_squad(p)
    assert [d.text for d in docs] == ["c"] and [(q.id, q.answers) for q in questions] == [("a", ("c",))]
    p.write_text('{"data": ')
    with pytest.raises(BadRequest, match="squad.json: cannot read SQuAD JSON"):
        load_squad(p)


def _squad_file(path, qas_per_paragraph):
    """A SQuAD file of one article whose paragraphs hold these questions (ids) each."""
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [
        {"context": f"paragraph {i}", "qas": [{"id": qid, "question": f"question {qid}?", "answers": [{"text": "c"}]}
                                              for qid in ids]} for i, ids in enumerate(qas_per_paragraph)]}]}),
                    encoding="utf-8")
    return path


def test_a_squad_file_without_questions_is_refused_before_any_index_is_built(tmp_path, monkeypatch):
    """`qa bench squad FILE` over a file whose paragraphs hold no questions built the index and reported 0 queries
    (recall null); the same for a --questions file with none, or none whose id is in the contexts file."""
    from qa.evaluation import calibrate, squad, sweep
    from qa.settings import Settings

    def no_index(*args, **kwargs):
        raise AssertionError("an index was built for a benchmark with no questions")

    for module in (squad, sweep, calibrate):
        monkeypatch.setattr(module, "squad_assistant", no_index)
    settings = Settings.load(cache_dir=tmp_path / "cache")
    none = _squad_file(tmp_path / "none.json", [[], []])
    some = _squad_file(tmp_path / "some.json", [["a"], ["b"]])
    others = _squad_file(tmp_path / "others.json", [["x"], ["y"]])
    for run in (lambda: squad.bench_squad(settings, none), lambda: squad.bench_squad(settings, some, none),
                lambda: list(sweep.sweep(settings, none, configs={"product": {}})),
                lambda: calibrate.calibrate(settings, [(some, None), (none, None)])):
        with pytest.raises(BadRequest, match=re.escape(f"{none}: no questions")):
            run()
    with pytest.raises(BadRequest, match=re.escape(f"{others}: none of its 2 question ids is in {some}")):
        squad.bench_squad(settings, some, others)
    docs, questions = squad.load_squad(none)  # a corpus alone (bench ingest, update, speed) needs none
    assert len(docs) == 2 and questions == []


def test_eval_hit_at_k_beyond_ten_counts_the_passages_up_to_k():
    """`qa eval --k 20` asked for 20 passages but looked for the answer among the first 10 only: hit@20 was hit@10."""
    from types import SimpleNamespace

    from qa.evaluation.questions import run

    class Asker:
        def documents(self):
            return [{"doc_id": "d"}]

        def ask(self, question, k):
            texts = [f"passage {i}" for i in range(1, k + 1)] + ["the answer is 141GB"]  # after the k asked for
            texts[14:] = texts[-1:] if k >= 15 else []  # rank 15 when 15 or more are asked for
            return SimpleNamespace(passages=[SimpleNamespace(text=t) for t in texts], abstained=False)

    question = Question("a", "en", "How much memory?", ("141GB",))
    outcomes = run(Asker(), [question], k=20)
    m = metrics(outcomes, k=20, by_lang=False)
    assert (m["hit@5"], m["hit@20"], m["mrr@10"]) == (0.0, 1.0, 0.0)
    assert metrics(run(Asker(), [question], k=5), k=5, by_lang=False)["hit@5"] == 0.0  # 10 asked for, no answer


def test_bench_refuses_k_over_max_k_before_any_index_is_built(tmp_path, monkeypatch):
    """`qa bench squad --k 51` asked every question with a k `ask` refuses, counted each as refused and printed a
    benchmark of zeros with exit status 0."""
    from qa.evaluation import squad, sweep
    from qa.settings import Settings

    def no_index(*args, **kwargs):
        raise AssertionError("an index was built for a benchmark that cannot run")

    for module in (squad, sweep):
        monkeypatch.setattr(module, "squad_assistant", no_index)
    some = _squad_file(tmp_path / "some.json", [["a"], ["b"]])
    settings = Settings.load(cache_dir=tmp_path / "cache")
    for run in (lambda: squad.bench_squad(settings, some, k=51), lambda: list(sweep.sweep(settings, some, configs={"p": {}}, k=80))):
        with pytest.raises(BadRequest, match="k must be an integer from 1 to 50"):
            run()


def test_squad_questions_need_an_answer_or_the_impossible_mark_and_unique_ids(tmp_path):
    from qa.evaluation.squad import load_squad

    p = tmp_path / "v2.json"
    p.write_text(json.dumps(_squad({"context": "c", "qas": [{"id": "a", "question": "q?", "answers": []}]})), encoding="utf-8")
    with pytest.raises(BadRequest, match=re.escape('data[0].paragraphs[1].qas[0]: no answer text and not marked "is_impossible"')):
        load_squad(p)
    p.write_text(json.dumps(_squad({"context": "c", "qas": [{"id": "a", "question": "q?", "answers": [], "is_impossible": True},
                                                             {"id": "a", "question": "r?", "answers": [{"text": "c"}]}]})))
    with pytest.raises(BadRequest, match="question id 'a' is used twice"):
        load_squad(p)


def test_squad_v2_impossible_questions_are_scored_as_questions_to_refuse(tmp_path, embedder):
    """SQuAD 2.0's is_impossible questions counted as answerable misses: recall fell and `abstained` (the share of
    answerable questions refused) rose for every one the product rightly refused."""
    from qa.assistant import Assistant
    from qa.evaluation.squad import load_squad, run_squad
    from qa.settings import Settings

    context = ("英伟达H200芯片配备141GB的HBM3e显存，带宽为每秒4.8TB。美国政府允许英伟达向中国经批准的客户出售H200，"
               "但销售收入的25%需上缴美国政府。")
    p = tmp_path / "v2.json"
    p.write_text(json.dumps({"version": "v2.0", "data": [{"title": "H200", "paragraphs": [{"context": context, "qas": [
        {"id": "ok", "question": "H200的显存容量是多少？", "answers": [{"text": "141GB", "answer_start": 11}], "is_impossible": False},
        {"id": "no", "question": "红烧肉怎么做才好吃？", "answers": [], "plausible_answers": [{"text": "H200"}],
         "is_impossible": True}]}]}]}, ensure_ascii=False), encoding="utf-8")
    docs, questions = load_squad(p)
    assert [(q.id, q.answerable, q.answers) for q in questions] == [("ok", True, ("141GB",)), ("no", False, ())]
    settings = Settings.load(cache_dir=tmp_path / "cache")
    result = run_squad(Assistant.over_documents(docs, settings, encoder=embedder), questions, k=5)
    assert (result["queries"], result["unanswerable"]) == (1, 1)
    assert result["recall@1"] == 1.0 and result["answer_hit@1"] == 1.0 and result["abstained"] == 0.0
    assert result["unanswerable_refused"] == 1.0 and result["abstain_precision"] == 1.0  # the recipe is refused


def test_eval_over_an_empty_library_is_refused(tmp_path, embedder):
    """`qa eval --docs nosuchdir` printed hit@1 0.0 and abstention recall 1.0 with exit status 0: a typo read as a
    quality collapse (or a perfect abstainer)."""
    from qa.assistant import Assistant
    from qa.evaluation.questions import run
    from qa.settings import Settings

    empty = Assistant.over_documents([], Settings.load(cache_dir=tmp_path / "cache"), encoder=embedder)
    with pytest.raises(BadRequest, match="holds no documents: nothing to evaluate"):
        run(empty, [q("1", ["x"])])


def test_whole_articles_make_one_document_of_each_article_and_name_the_answering_paragraph(tmp_path):
    """`qa bench squad --articles`: one paragraph a document measured which article answers, never which paragraph
    of an article does (the order the answering sentence sets, qa.answer.order_by_answer)."""
    from qa.chunk import chunk_document
    from qa.evaluation.squad import load_squad

    p = tmp_path / "articles.json"
    p.write_text(json.dumps({"data": [
        {"title": "One", "paragraphs": [
            {"context": "First paragraph.", "qas": [{"id": "a", "question": "q a?", "answers": [{"text": "First"}]}]},
            {"context": "Second line one.\nSecond line two.", "qas": [{"id": "b", "question": "q b?", "answers": [{"text": "two"}]}]},
            {"context": "Third paragraph.", "qas": [{"id": "c", "question": "q c?", "answers": [{"text": "Third"}]}]}]},
        {"title": "Two", "paragraphs": [
            {"context": "Only paragraph.", "qas": [{"id": "d", "question": "q d?", "answers": [{"text": "Only"}]}]}]}]}),
        encoding="utf-8")
    docs, questions = load_squad(p, whole_articles=True)
    assert [(d.doc_id, d.title) for d in docs] == [("a0000", "One"), ("a0001", "Two")]
    by_id = {q.id: q for q in questions}
    assert [(by_id[i].doc_id, by_id[i].paragraphs) for i in "abcd"] == [
        ("a0000", (1,)), ("a0000", (2, 3)), ("a0000", (4,)), ("a0001", (1,))]  # a line break makes two
    chunks = chunk_document(docs[0])
    third = next(c for c in chunks if "Third" in c.text)
    assert by_id["c"].found("a0000", third.paragraph) and not by_id["a"].found("a0000", third.paragraph)
    single, _ = load_squad(p)  # the default: a document a paragraph, as before
    assert [d.doc_id for d in single] == ["p00000", "p00001", "p00002", "p00003"]
    with pytest.raises(BadRequest, match="cannot be combined"):
        load_squad(p, whole_articles=True, mix_contexts=p)
