"""Ranked hits to cited passages: exact offsets, the answering sentence, the asker's script; the no-answer message."""
from __future__ import annotations

from .records import Document, Hit, Passage
from .text.script import convert_script


def to_passage(doc: Document, hit: Hit, target_script: str | None) -> Passage:
    """Cite ``hit``: its offsets in ``doc`` and, as the highlight, the body sentence search found closest."""
    chunk = hit.chunk
    return Passage(
        doc_id=doc.doc_id,
        title=doc.title,
        date=doc.date,
        script=doc.script,
        paragraph=chunk.paragraph,
        start=chunk.start,
        end=chunk.end,
        text=chunk.text,
        score=round(hit.score, 4),
        highlight=hit.sentence or chunk.body_sentences[0],
        text_converted=convert_script(chunk.text, target_script) if target_script else None,
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
