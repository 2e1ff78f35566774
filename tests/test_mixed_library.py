"""The mixed-language evaluation library (eval/mixed: the two Chinese seed articles + three English ones) and its
question set (eval/questions-mixed.jsonl): data integrity only, no model."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from qa.build import source_documents
from qa.evaluation.questions import FIELDS, LANGS, load_questions
from qa.ingest import list_source_files
from qa.settings import Settings
from qa.text.script import normalize_for_match

ROOT = Path(__file__).resolve().parent.parent
MIXED = ROOT / "eval" / "mixed"
SEED = ROOT / "docs_src"
QUESTIONS = ROOT / "eval" / "questions-mixed.jsonl"
SEED_NAMES = ("h200-conditional-release-25pct.zh-hant.txt", "h200-export-signal-euronews.zh-hans.txt")
ID = re.compile(r"(mix-(en|hans|hant)|none-(en|hans|hant))-\d{3}")
PREFIX = {"en": "en", "zh-hans": "hans", "zh-hant": "hant"}


@pytest.fixture(scope="module")
def docs():
    return source_documents(Settings.load(docs_dir=str(MIXED)))


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS)


def english_texts() -> dict[str, str]:
    return {p.name: normalize_for_match(p.read_text(encoding="utf-8")) for p in sorted(MIXED.glob("*.en.txt"))}


def seed_texts() -> dict[str, str]:
    return {p.name: normalize_for_match(p.read_text(encoding="utf-8")) for p in sorted(SEED.glob("*.txt"))}


def test_library_ingests_to_the_two_seed_and_three_english_articles(docs):
    assert len(list_source_files(MIXED)) == 5
    assert len(docs) == 5
    by_lang = Counter(d.language for d in docs)
    assert by_lang == {"zh": 2, "en": 3}
    assert {d.path for d in docs} >= set(SEED_NAMES)
    assert all(d.title for d in docs)


def test_seed_articles_are_links_read_with_their_text_and_sidecars(docs):
    """eval/mixed holds the seed articles as symlinks into docs_src/: ingest follows them, sidecars included."""
    by_path = {d.path: d for d in docs}
    originals = {d.path: d for d in source_documents(Settings.load(docs_dir=str(SEED)))}
    for name in SEED_NAMES:
        assert (MIXED / name).is_symlink() and (MIXED / (name + ".meta.json")).is_symlink()
        assert (MIXED / name).resolve() == (SEED / name).resolve()
        mixed, seed = by_path[name], originals[name]
        assert (mixed.doc_id, mixed.text, mixed.sha256) == (seed.doc_id, seed.text, seed.sha256)
        assert (mixed.title, mixed.date, mixed.script, mixed.language) == (seed.title, seed.date, seed.script, seed.language)
    assert by_path[SEED_NAMES[0]].title == "美國有條件放行H200晶片：25%分成下的市場爭奪戰"


def test_english_articles_are_marked_as_written_for_evaluation(docs):
    english = [d for d in docs if d.language == "en"]
    assert len(english) == 3
    for d in english:
        meta = json.loads((MIXED / (d.path + ".meta.json")).read_text(encoding="utf-8"))
        assert set(meta) == {"title", "date", "script", "language", "provenance"}
        assert "written for evaluation" in meta["provenance"] and d.source is None  # no publisher to name
        assert (d.title, d.date, d.script) == (meta["title"], meta["date"], "latin")
        paragraphs = [p for p in d.text.split("\n\n") if p.strip()][1:]  # a title line, then paragraphs
        assert 6 <= len(paragraphs) <= 10
        assert 350 <= len(d.text.split()) <= 600


def test_question_fields_ids_and_counts(questions):
    lines = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(set(obj) == FIELDS for obj in lines) and len(lines) == len(questions)
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    for q in questions:
        assert ID.fullmatch(q.id), q.id
        assert q.lang in LANGS and q.question.strip()
        assert q.id.startswith(("mix-" if q.answerable else "none-") + PREFIX[q.lang] + "-"), q.id
    answerable = Counter(q.lang for q in questions if q.answerable)
    assert answerable["en"] >= 15 and answerable["zh-hans"] >= 20 and answerable["zh-hant"] >= 20
    assert all(n >= 2 for n in Counter(q.lang for q in questions if not q.answerable).values())
    assert len({q.lang for q in questions if not q.answerable}) == 3


def test_every_answer_is_in_an_english_article_and_in_no_seed_article(questions):
    english, seed = english_texts(), seed_texts()
    assert len(english) == 3
    for q in questions:
        for answer in q.answers:
            a = normalize_for_match(answer)
            assert len(a) >= 3 and not re.fullmatch(r"(19|20)\d\d", a), (q.id, answer)  # distinctive, not a bare year
            assert [name for name, text in english.items() if a in text], (q.id, answer)
            assert not [name for name, text in seed.items() if a in text], (q.id, answer)


def test_chinese_questions_are_asked_in_their_script(questions):
    from qa.text.script import detect

    for q in questions:
        if q.lang != "en":
            assert detect(q.question) == ("zh", "simplified" if q.lang == "zh-hans" else "traditional"), q.id
