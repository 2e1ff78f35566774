"""`qa bench squad`: passage retrieval on SQuAD-format data, the product in memory, passage embeddings cached."""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BadRequest, EmptyQuestion
from ..records import Document
from ..settings import Settings
from ..text.script import convert_script, detect
from .metrics import contains_answer, first_rank, hit_rate, mrr, percentiles

if TYPE_CHECKING:
    from ..assistant import Assistant

log = logging.getLogger("qa.bench")


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    doc_id: str
    answers: tuple[str, ...]
    answerable: bool = True  # False: SQuAD 2.0's "is_impossible", scored as a question to refuse
    paragraphs: tuple[int, ...] = ()  # whole articles: the answering paragraph's numbers in doc_id (Chunk.paragraph)

    def found(self, doc_id: str, paragraph: int) -> bool:
        """Whether a passage of ``doc_id``'s ``paragraph`` is from the question's paragraph."""
        return doc_id == self.doc_id and (not self.paragraphs or paragraph in self.paragraphs)


SQUAD_FORMAT = ("expected SQuAD format {'data': [{'title': ..., 'paragraphs': [{'context': ..., "
                "'qas': [{'id': ..., 'question': ..., 'answers': [{'text': ...}]}]}]}]}")


def _articles(path: Path) -> list[dict]:
    """The articles of a SQuAD file, every field load_squad reads checked, so that a malformed file is refused
    naming the element (data[0].paragraphs[2]: no "context"), not a KeyError in the middle of a benchmark.

    Raises:
        BadRequest: the file cannot be read, is not JSON or not of SQuAD's shape.
    """
    try:
        root = json.loads(Path(path).read_text(encoding="utf-8-sig"))  # an editor's BOM is not JSON
    except (OSError, ValueError) as e:
        raise BadRequest(f"{path}: cannot read SQuAD JSON ({e})") from e

    def field(obj: object, key: str, kind: type | tuple[type, ...], where: str, *, optional: bool = False) -> Any:
        if not isinstance(obj, dict):
            raise BadRequest(f"{path}: {where}: not an object but {type(obj).__name__}; {SQUAD_FORMAT}")
        if key not in obj and optional:
            return []
        if key not in obj:
            raise BadRequest(f'{path}: {where}: no "{key}"; {SQUAD_FORMAT}')
        if not isinstance(obj[key], kind):
            raise BadRequest(f"{path}: {where}.{key}: a {type(obj[key]).__name__}, not a "
                             f"{' or '.join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))}; {SQUAD_FORMAT}")
        return obj[key]

    articles = field(root, "data", list, "top level")
    for i, art in enumerate(articles):
        for j, para in enumerate(field(art, "paragraphs", list, f"data[{i}]", optional=True)):
            where = f"data[{i}].paragraphs[{j}]"
            field(para, "context", str, where)
            for m, qa in enumerate(field(para, "qas", list, where, optional=True)):
                field(qa, "id", (str, int), f"{where}.qas[{m}]")
                field(qa, "question", str, f"{where}.qas[{m}]")
                for n, answer in enumerate(field(qa, "answers", list, f"{where}.qas[{m}]", optional=True)):
                    field(answer, "text", str, f"{where}.qas[{m}].answers[{n}]")
    return articles


def squad_articles(path: Path) -> list[dict]:
    """The articles of a SQuAD file that is to be a corpus: checked as ``_articles`` does, and refused when it
    holds no paragraph. What every benchmark reading a corpus file checks, up front (`bench speed --contexts`
    before its cold starts, not in its ingest child after minutes).

    Raises:
        BadRequest: the file cannot be read, is not JSON or not of SQuAD's shape, or holds no paragraphs.
    """
    articles = _articles(path)
    if not any(art.get("paragraphs") for art in articles):
        raise BadRequest(f"{path}: no paragraphs found; {SQUAD_FORMAT}")
    return articles


def load_squad(contexts: Path, questions: Path | None = None, *, query_script: str | None = None,
               corpus_script: str | None = None, mix_contexts: Path | None = None,
               require_questions: bool = False, whole_articles: bool = False) -> tuple[list[Document], list[SquadQuestion]]:
    """Paragraphs of ``contexts`` become documents; questions come from the same file or a parallel one (by id).

    ``mix_contexts``: a parallel file (same articles and paragraphs in another language, as XQuAD's): every
    second paragraph and its answers come from it, making a library of two languages where half of the
    questions are answered across languages.

    ``require_questions``: refuse a set with no question to ask (a benchmark of questions; a corpus alone needs none).

    ``whole_articles``: each article is one document of its paragraphs (one a line), not one document a paragraph:
    a question competes with the other paragraphs of its article, as in a library of news articles, and is found
    when its own paragraph is cited (``SquadQuestion.paragraphs``). One paragraph a document measures which
    article answers; this measures which paragraph of it does, the order the answering sentence sets
    (``qa.answer.order_by_answer``).

    Raises:
        BadRequest: a file is unreadable or malformed (naming the element), ``contexts`` holds no paragraphs, or
            (``require_questions``) no question is left: the file holds none, or none of the --questions ids is
            in ``contexts``.
    """
    if whole_articles and mix_contexts:
        raise BadRequest("--articles and --mix-contexts cannot be combined: a mixed library takes single paragraphs")
    articles = squad_articles(contexts)
    other = [p for art in _articles(mix_contexts) for p in art.get("paragraphs", [])] if mix_contexts else []
    docs: list[Document] = []
    gold: dict[str, tuple[str, tuple[str, ...], str, bool, tuple[int, ...]]] = {}
    paragraph_count = 0
    for i, art in enumerate(articles):
        texts: list[str] = []
        asked_of: list[tuple[int, int, dict]] = []  # (paragraph j, question m, question) of this article
        for j, para in enumerate(art.get("paragraphs", [])):
            if other and paragraph_count % 2 and paragraph_count < len(other):
                para = {**other[paragraph_count], "qas": [  # its answers, the questions' ids and wording as asked
                    {**qa, "answers": a.get("answers", [])}
                    for qa, a in zip(para.get("qas", []), other[paragraph_count].get("qas", []))]}
            paragraph_count += 1
            text = para["context"]
            texts.append(convert_script(text, corpus_script) if corpus_script else text)
            asked_of += [(j, m, qa) for m, qa in enumerate(para.get("qas", []))]
            if whole_articles and j + 1 < len(art["paragraphs"]):
                continue
            doc_id = f"a{i:04d}" if whole_articles else f"p{len(docs):05d}"
            text = "\n\n".join(texts)
            language = detect(text[:2000])[0]  # as ingest decides it: Chinese passages vs the rest
            docs.append(Document(doc_id, doc_id, art.get("title", doc_id), None, corpus_script or "source", language, text,
                                 hashlib.sha256(text.encode()).hexdigest()))
            numbers = _paragraph_numbers(texts) if whole_articles else None
            for j, m, qa in asked_of:
                paragraphs = numbers[j] if numbers else ()
                answers = tuple(a["text"] for a in qa.get("answers", []) if a["text"].strip())
                impossible = qa.get("is_impossible") is True
                where = f"{contexts}: data[{i}].paragraphs[{j}].qas[{m}]"
                if not answers and not impossible:  # scored as a miss whatever the product did
                    raise BadRequest(f'{where}: no answer text and not marked "is_impossible": true (SQuAD 2.0\'s '
                                     "unanswerable questions are scored as questions to refuse); give its answers")
                if qa["id"] in gold:
                    raise BadRequest(f"{where}: question id {qa['id']!r} is used twice; ids must be unique")
                gold[qa["id"]] = (doc_id, () if impossible else answers, qa["question"], not impossible, paragraphs)
            texts, asked_of = [], []
    asked = gold
    if questions is not None:
        asked = {}
        given = 0
        for art in _articles(questions):
            for para in art.get("paragraphs", []):
                for qa in para.get("qas", []):
                    given += 1
                    if qa["id"] in gold:
                        doc_id, answers, _, answerable, paragraphs = gold[qa["id"]]
                        asked[qa["id"]] = (doc_id, answers, qa["question"], answerable, paragraphs)
        if require_questions and given and not asked:
            raise BadRequest(f"{questions}: none of its {given} question ids is in {contexts}; --questions takes a "
                             "parallel file (the same articles in another language, as XQuAD's) whose ids match")
        if asked and len(asked) < len(gold):
            log.warning("%s: %d of the %d questions of %s have no question of the same id there and are not asked",
                        questions, len(gold) - len(asked), len(gold), contexts)
    if require_questions and not asked:
        raise BadRequest(f'{questions or contexts}: no questions found (every paragraph\'s "qas" is empty or '
                         f"missing): a benchmark asks the file's questions; use a file that has some; {SQUAD_FORMAT}")
    qs = [SquadQuestion(qid, convert_script(q, query_script) if query_script else q, doc_id, answers, answerable,
                        paragraphs) for qid, (doc_id, answers, q, answerable, paragraphs) in asked.items()]
    return docs, qs


def _paragraph_numbers(texts: list[str]) -> list[tuple[int, ...]]:
    """For each of ``texts`` joined as one document (blank lines between), the numbers its lines get as the
    chunker's paragraphs (``qa.chunk.paragraph_spans``, from 1): a context with a line break is two paragraphs."""
    from ..chunk import paragraph_spans

    spans = paragraph_spans("\n\n".join(texts))
    out, at = [], 0
    for text in texts:
        out.append(tuple(n for n, (a, _) in enumerate(spans, start=1) if at <= a < at + len(text)))
        at += len(text) + 2
    return out


def run_squad(assistant: Assistant, questions: list[SquadQuestion], *, k: int = 10, progress: bool = False,
              cards: list[tuple[dict, float, bool]] | None = None) -> dict:
    """Paragraph-level recall/MRR, answer containment of the assistant's cited passages and the calibration of
    their confidence (among the first 5 cards), over the answerable questions; ``cards`` receives (signals,
    confidence, holds answer) of those. Unanswerable ones (SQuAD 2.0's "is_impossible") are asked too and scored
    as questions to refuse: ``unanswerable_refused`` (abstention recall) and ``abstain_precision``."""
    from tqdm import tqdm

    from ..confidence import reliability

    cards = [] if cards is None else cards
    ranks: list[int | None] = []  # rank of the gold paragraph among distinct paragraphs cited
    passage_ranks: list[int | None] = []  # position of the first passage from it (neighbouring passages count)
    answer_ranks: list[int | None] = []
    highlight_hits = 0  # the answer inside the first passage's highlighted sentence
    highlighted = 0  # first passages with a highlight at all
    first_chars = []  # length of the first passage: containment is cheap for a long one
    lat = []
    refused = 0
    abstained = 0  # of the answerable questions: a wrong refusal
    impossible = [q for q in questions if not q.answerable]
    questions = [q for q in questions if q.answerable]
    rightly = sum(_abstains(assistant, q.question, k) for q in impossible)
    for q in tqdm(questions, disable=not progress, desc="questions"):
        t0 = time.perf_counter()
        try:
            ans = assistant.ask(q.question, k=k)
        except EmptyQuestion:  # a question of the data set with nothing to ask: a miss, reported as refused
            refused += 1
            ranks.append(None)
            passage_ranks.append(None)
            answer_ranks.append(None)
            continue
        lat.append((time.perf_counter() - t0) * 1000)
        abstained += ans.abstained
        cited = [(p.doc_id, p.paragraph) for p in ans.passages]
        # A paragraph is the unit here (XQuAD/CMRC answers are per paragraph; a document is one, or a whole article
        # whose paragraph the question names); passages are 3-sentence windows, so two of one paragraph can both be
        # cited (one card since card_margin, not always). Rank paragraphs by their first passage.
        keys = dict.fromkeys(cited if q.paragraphs else [d for d, _ in cited])
        ranks.append(first_rank(keys, lambda key: q.found(*key) if q.paragraphs else key == q.doc_id))
        passage_ranks.append(first_rank(cited, lambda c: q.found(*c)))
        answer_ranks.append(first_rank((p.text for p in ans.passages), lambda t: contains_answer(t, q.answers)))
        if ans.passages:
            top = ans.passages[0]
            first_chars.append(len(top.text))
            span = top.highlight_in_text()
            if span:
                highlighted += 1
                highlight_hits += contains_answer(top.text[span[0]:span[1]], q.answers)
        cards.extend((p.signals or {}, p.confidence or 0.0, contains_answer(p.text, q.answers)) for p in ans.passages[:5])
    n = len(questions)
    ece, table = reliability([c for _, c, _ in cards], [y for _, _, y in cards])
    lat_p = percentiles(lat)
    return {
        "recall@1": hit_rate(ranks, 1, n), "recall@5": hit_rate(ranks, 5, n), "recall@10": hit_rate(ranks, 10, n),
        "mrr@10": mrr(ranks, 10, n), "mrr@10_by_passage": mrr(passage_ranks, 10, n),
        "answer_hit@1": hit_rate(answer_ranks, 1, n), "answer_hit@5": hit_rate(answer_ranks, 5, n),
        "highlight_hit@1": round(highlight_hits / n, 4) if n else None,
        "highlight_shown@1": round(highlighted / n, 4) if n else None,
        "highlight_precision@1": round(highlight_hits / highlighted, 4) if highlighted else None,
        "first_passage_chars": round(float(np.mean(first_chars)), 1) if first_chars else None,
        "confidence_ece": ece, "reliability": table,
        "p50_ms": lat_p["p50"], "p95_ms": lat_p["p95"],
        "queries": n,
        "refused_questions": refused,
        "abstained": round(abstained / n, 4) if n else None,
        "unanswerable": len(impossible),
        "unanswerable_refused": round(rightly / len(impossible), 4) if impossible else None,
        "abstain_precision": round(rightly / (rightly + abstained), 4) if rightly + abstained else None,
    }


def _abstains(assistant: Assistant, question: str, k: int) -> bool:
    """Whether the assistant refuses ``question`` (one with nothing to ask counts as refused)."""
    try:
        return assistant.ask(question, k=k).abstained
    except EmptyQuestion:
        return True


def squad_assistant(settings: Settings, docs: list[Document], *, progress: bool = False) -> tuple[Assistant, dict]:
    """The product over ``docs`` in memory, passage and sentence embeddings cached on disk (settings.cache_dir).

    Returns the assistant and build facts (passages, seconds, passages/s of the cache misses).
    """
    from ..assistant import Assistant
    from ..encoder import load_encoder
    from ..encoder.wrappers import CachingEncoder

    encoder = CachingEncoder(load_encoder(settings), settings.cache_dir)
    t0 = time.perf_counter()
    assistant = Assistant.over_documents(docs, settings, encoder=encoder, progress=progress)
    facts = {"documents": len(docs), "passages": len(assistant.view.chunks), "build_s": round(time.perf_counter() - t0, 2),
             "passages_per_s": round(encoder.texts / encoder.seconds, 1) if encoder.texts else None,
             "embeddings_cached": encoder.texts == 0}
    assistant.queries.cache_size = max(assistant.queries.cache_size, 4096)  # sweeps ask every question per setting
    return assistant, facts


def bench_squad(settings: Settings, contexts: Path, questions: Path | None = None, *, query_script: str | None = None,
                corpus_script: str | None = None, mix_contexts: Path | None = None, k: int = 10, limit: int | None = None,
                progress: bool = False, whole_articles: bool = False) -> dict:
    """`qa bench squad`: retrieval metrics of the product (as ``settings`` configure it) on one SQuAD-format set.

    Raises:
        BadRequest: ``k`` out of range (before anything is embedded), or a file as ``load_squad`` says.
    """
    settings.checked_k(k)
    docs, qs = load_squad(contexts, questions, query_script=query_script, corpus_script=corpus_script,
                          mix_contexts=mix_contexts, require_questions=True, whole_articles=whole_articles)
    qs = qs[:limit] if limit else qs
    assistant, facts = squad_assistant(settings, docs, progress=progress)
    result = run_squad(assistant, qs, k=k, progress=progress) | facts
    if mix_contexts:
        result |= mixed_parts(assistant, qs, k=k)
    return result


def mixed_parts(assistant: Assistant, questions: list[SquadQuestion], *, k: int) -> dict:
    """recall@1 / MRR of the questions whose paragraph is in their own language and of those answered across
    languages (in a ``mix_contexts`` library both kinds compete)."""
    docs = assistant.view.documents
    same = [q for q in questions if (docs[q.doc_id].language == "zh") == (detect(q.question)[0] == "zh")]
    ids = {q.id for q in same}
    parts = {"same_language": same, "across_languages": [q for q in questions if q.id not in ids]}
    out = {}
    for name, part in parts.items():
        r = run_squad(assistant, part, k=k)
        out[name] = {"recall@1": r["recall@1"], "mrr@10": r["mrr@10"], "answer_hit@1": r["answer_hit@1"], "queries": r["queries"]}
    return out
