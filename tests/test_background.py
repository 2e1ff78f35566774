"""Off-topic reference text for abstention (qa/background.py): the bundled texts, and each scored as a library
passage in its language would be, on the real model over the seed articles."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qa.background import BACKGROUND, Background, background_texts

# the library's own subject: background text about it would make the assistant refuse real questions
LIBRARY_WORDS = ("芯片", "晶片", "半导体", "英伟达", "台积电", "华为", "出口管制", "关税", "chip", "semiconductor",
                 "nvidia", "tsmc", "huawei", "export control", "tariff", "h200", "gpu")


def test_the_bundled_background_is_general_text_in_both_languages_and_no_benchmark_data() -> None:
    rows = [json.loads(line) for line in BACKGROUND.read_text(encoding="utf-8").splitlines()]
    assert {r["lang"] for r in rows} == {"zh", "en"}
    assert all(r["source"].startswith("written for this project") for r in rows)
    texts = [(text.lower(), zh) for text, zh in background_texts()]
    assert len(texts) == len({t for t, _ in texts})
    assert not [t for t, _ in texts if any(w in t for w in LIBRARY_WORDS)]
    assert sum(zh for _, zh in texts) >= 300 and sum(not zh for _, zh in texts) >= 200


def test_each_background_text_is_scored_in_its_language_like_a_passage() -> None:
    # two texts: a Chinese one along axis 0, an English one along axis 1
    bg = Background(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32), np.array([True, False]))
    english_q, lifted = np.array([0.6, 0.8], np.float32), np.array([0.8, 0.6], np.float32)
    assert bg.score(english_q, chinese_question=False) == pytest.approx(0.8)  # no cross vector: plain cosines
    # the Chinese text is scored with the question's cross-language vector plus abstention's cross offset
    assert bg.score(english_q, False, lifted, cross_offset=0.06) == pytest.approx(0.86)
    assert bg.score(english_q, True, lifted, cross_offset=0.0) == pytest.approx(0.6)  # Chinese question: English text lifted


@pytest.mark.parametrize("question", ["What will the weather be like in Beijing tomorrow?",
                                      "How do I make a simple tomato pasta sauce?"])
def test_an_english_question_about_everyday_things_is_refused_over_chinese_articles(assistant, question) -> None:
    answer = assistant.ask(question)
    assert answer.abstained, (answer.evidence, [p.text[:30] for p in answer.passages])
    assert answer.evidence["background"] > answer.evidence["best_dense"] - 0.01


def test_an_answerable_english_question_matches_the_articles_better_than_general_text(assistant) -> None:
    answer = assistant.ask("What is the memory bandwidth of the H200?")
    assert not answer.abstained
    assert answer.evidence["best_dense"] - answer.evidence["background"] > 0.01
