"""Ranked hits to cited passages: exact offsets, the answering sentence, the asker's script, a reading aid for
askers of the other language; the no-answer message."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .records import Document, Hit, Passage
from .text.gloss import gloss_chinese, gloss_english
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


def with_gloss(passage: Passage, doc: Document, language: str, script: str, cache_dir: Path) -> Passage:
    """``passage`` with a reading aid over its highlighted sentence when it is not in the asker's language.

    An asker of another language (English, ...) over a Chinese passage gets pinyin and English meanings; a
    Chinese asker over an English passage gets Chinese equivalents in ``script``, the asker's script. A
    passage in the asker's language, or a pair the dictionary cannot bridge (French over Chinese is
    bridged in English; Chinese over French is not), keeps ``gloss`` None.

    Args:
        language, script: the question's language ("zh", "en", ...) and the script to write Chinese in.
    """
    if doc.language == "zh" and language not in ("zh", "und"):
        return replace(passage, gloss=tuple(gloss_chinese(doc.text, *passage.highlight, cache_dir)))
    if doc.language == "en" and language == "zh":
        return replace(passage, gloss=tuple(gloss_english(doc.text, *passage.highlight, cache_dir, script)))
    return passage


NO_ANSWER = {
    "zh-simplified": "文档中没有找到能回答这个问题的内容。下面是最接近的段落，仅供参考。",
    "zh-traditional": "文件中沒有找到能回答這個問題的內容。下面是最接近的段落，僅供參考。",
    "en": "The documents do not answer this question. The nearest passages are shown for reference only.",
}


def no_answer_message(language: str, script: str) -> str:
    if language == "zh":
        return NO_ANSWER["zh-traditional" if script == "traditional" else "zh-simplified"]
    return NO_ANSWER["en"]
