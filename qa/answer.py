"""Ranked hits to a cited Answer: answering-sentence highlight, script conversion, abstention."""
from __future__ import annotations

import numpy as np

from .index import IndexData
from .records import Chunk, Hit, Passage
from .script import convert_script


def body_sentences(chunk: Chunk, text: str) -> list[tuple[int, int]]:
    """The chunk's sentences without a heading glued in front (a heading is never the answer)."""
    spans = list(chunk.sentences) or [(chunk.start, chunk.end)]
    if len(spans) > 1 and "\n" in text[spans[0][1] : spans[1][0]]:
        spans = spans[1:]
    return spans


def best_sentence(data: IndexData, chunk: Chunk, qvec: np.ndarray) -> tuple[tuple[int, int], float]:
    """The sentence of ``chunk`` most similar to the question, by pre-computed sentence vectors."""
    text = data.documents[chunk.doc_id].text
    spans = body_sentences(chunk, text)
    rows = [data.sentence_rows[(chunk.doc_id, s, e)] for s, e in spans]
    sims = data.sentence_vectors[rows] @ qvec
    i = int(np.argmax(sims))
    return spans[i], float(sims[i])


def to_passage(data: IndexData, hit: Hit, qvec: np.ndarray, target_script: str | None) -> Passage:
    doc = data.documents[hit.chunk.doc_id]
    span, _ = best_sentence(data, hit.chunk, qvec)
    converted = convert_script(hit.chunk.text, target_script) if target_script else None
    return Passage(
        doc_id=doc.doc_id,
        title=doc.title,
        date=doc.date,
        script=doc.script,
        paragraph=hit.chunk.paragraph,
        start=hit.chunk.start,
        end=hit.chunk.end,
        text=hit.chunk.text,
        score=round(hit.score, 4),
        highlight=span,
        text_converted=converted,
    )


NO_ANSWER = {
    "zh-simplified": "文档中没有找到能回答这个问题的内容。下面是最接近的段落，仅供参考。",
    "zh-traditional": "文件中沒有找到能回答這個問題的內容。下面是最接近的段落，僅供參考。",
    "en": "The documents do not answer this question. The nearest passages are shown for reference only.",
}


def no_answer_message(language: str, script: str) -> str:
    if language == "zh":
        return NO_ANSWER["zh-traditional" if script == "traditional" else "zh-simplified"]
    return NO_ANSWER["en"]
