"""Documents + encoder -> store: chunk and embed what changed, one freshness rule, incremental commits."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import numpy as np

from .chunk import ChunkParams, chunk_document, keyword_texts
from .encoder import Encoder
from .errors import DocsFolderEmpty, IndexCorrupt, IndexNotFound, QAError
from .ingest import Limits, list_source_files, load_document
from .records import Chunk, Document, EncodedDocument, Span

Progress = bool | Callable[[int, int], None]  # True: a bar with ETA on stderr; a callable: (texts done, total)
from .settings import Settings
from .store import Store, StoreView
from .text.script import detect, to_simplified

log = logging.getLogger(__name__)

def signature(encoder: Encoder, params: ChunkParams) -> dict:
    """What an index's vectors depend on besides the documents. The one freshness rule: an index whose manifest
    differs in any of these is rebuilt; one that matches keeps every unchanged document's vectors."""
    chunking = asdict(params)
    return {"model_id": encoder.model_id, "dim": encoder.dim, "chunking": chunking,
            "latent_source": encoder.latent_source, "latent_features": encoder.latent_features,
            "sentence_source": sentence_source(encoder), "passage_title": chunking.pop("title"),
            "table_header": TABLE_HEADER}


TABLE_HEADER = 2  # 1: table rows embedded under their header row (``encode_documents``); 2: keyword-indexed so too
# what an index written before a key existed was built with
_SIGNATURE_DEFAULTS = {"sentence_source": "separate", "passage_title": 0, "table_header": 0}


def compatible(manifest: dict | None, encoder: Encoder, params: ChunkParams) -> bool:
    return bool(manifest) and all(manifest.get(k, _SIGNATURE_DEFAULTS.get(k)) == v  # type: ignore[union-attr]
                                  for k, v in signature(encoder, params).items())


def manifest_for(encoder: Encoder, params: ChunkParams, docs_dir: Path | None) -> dict:
    return {**signature(encoder, params), "model_name": encoder.name, "docs_dir": str(docs_dir) if docs_dir else None,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def source_documents(settings: Settings, skipped: list[dict[str, str]] | None = None) -> list[Document]:
    """Every supported file in the docs folder, read and checked. A file that cannot be read (damaged, empty, over
    a limit, unreadable) is left out: listed in ``skipped`` as {file, reason} when given (the caller reports it),
    else logged. One bad file once stopped every command and the app from opening the library at all."""
    limits = extract_limits(settings)
    docs = []
    for path in list_source_files(settings.docs_dir):
        try:
            docs.append(load_document(path, max_bytes=settings.max_upload_bytes, limits=limits, cache_dir=settings.cache_dir))
        except (QAError, OSError) as e:
            if skipped is None:
                log.warning("skipped %s: %s", path.name, e)
            else:
                skipped.append({"file": path.name, "reason": str(e)})
    return docs


def extract_limits(settings: Settings) -> Limits:
    return Limits(max_pages=settings.max_pages, max_chars=settings.max_chars)


def changes(view: StoreView, docs: Sequence[Document], unreadable: Collection[str] = ()) -> tuple[list[Document], list[str]]:
    """(documents new or changed since ``view``, ids in ``view`` no longer among ``docs``).

    Changed means any field differs, not only the file's hash: another extractor version (a new canonical text),
    an edited ``.meta.json`` sidecar, metadata an older index did not keep. A document whose file is in
    ``unreadable`` (names of files ``source_documents`` skipped) keeps its indexed version: a file damaged on disk
    does not take the article out of the answers.
    """
    ids = {d.doc_id for d in docs}
    changed = [d for d in docs if (old := view.documents.get(d.doc_id)) is None or old != d]
    removed = [d for d in view.documents if d not in ids]
    if removed and unreadable:  # paths from the summaries: a Milvus view's documents fetch their texts
        kept = {s.doc_id for s in view.document_summaries() if s.path in unreadable}
        removed = [d for d in removed if d not in kept]
    return changed, removed


def encode_documents(docs: Sequence[Document], encoder: Encoder, params: ChunkParams, *,
                     progress: Progress = False, timings: dict[str, float] | None = None) -> list[EncodedDocument]:
    """Chunk ``docs`` and embed their passages (with latent terms) and sentences.

    Sentence vectors come from the passages' own forward pass when the encoder pools them
    (``sentence_source == "pooled"``, setting ``sentence_vectors``), else from a second pass over each sentence.
    ``timings``, when given, receives the seconds spent chunking and embedding (`qa bench ingest`).
    ``progress``: True for a bar with ETA on stderr, or a callable given (texts embedded, total) after each batch.
    """
    t0 = time.perf_counter()
    chunked: list[tuple[Document, list[Chunk], list[Span]]] = []
    for doc in docs:
        chunks = chunk_document(doc, params)
        chunked.append((doc, chunks, unique_sentences(chunks)))
    # The model meets every text in Simplified script (questions too, qa.search): a Traditional question against a
    # Simplified passage then embeds as if both were Simplified (XQuAD: recall@1 gap 0.011 -> 0).
    pooled = sentence_source(encoder) == "pooled"
    passages: list[str] = []
    passage_spans: list[list[Span]] = []  # sentence spans inside each simplified passage (pooled mode)
    for doc, chunks, _ in chunked:
        keyworded = keyword_texts(doc.text, [(c.paragraph, c.start, c.end) for c in chunks])
        for c, keyword_text in zip(chunks, keyworded):
            prefix = title_prefix(doc, c) if params.title else ""
            # a table row is embedded under its header row, as the keyword index reads it: "Second phase | 45,000
            # tonnes | 2028" says nothing of daily capacity, and "竹北再生水厂第二期的日供水能力" met the sentence on
            # phase one first
            prefix += to_simplified(keyword_text[: len(keyword_text) - len(c.text)])
            if pooled:
                text, spans = simplified_with_spans(c.text, [(s - c.start, e - c.start) for s, e in c.sentences])
                passage_spans.append([(a + len(prefix), b + len(prefix)) for a, b in spans])
            else:
                text = to_simplified(c.text)
            passages.append(prefix + text)
    t1 = time.perf_counter()
    empty = np.zeros((0, encoder.dim), np.float32)
    latent = None
    if pooled:
        vecs, latent, per_passage = (encoder.embed_passages_pooled(passages, passage_spans, progress=progress)  # type: ignore[attr-defined]
                                     if passages else (empty, None, []))
        sent_vecs = _sentence_vectors_from_passages(chunked, per_passage, encoder.dim)
    else:
        vecs, latent = encoder.embed_passages(passages, progress=progress) if passages else (empty, None)
        sentences = [to_simplified(doc.text[s:e]) for doc, _, spans in chunked for s, e in spans]
        sent_vecs = _sentence_vectors(encoder, sentences, passages, vecs, progress)
    if timings is not None:
        timings["chunk"] = timings.get("chunk", 0.0) + t1 - t0
        timings["embed"] = timings.get("embed", 0.0) + time.perf_counter() - t1
    out, cv, sv = [], 0, 0
    for doc, chunks, spans in chunked:
        out.append(EncodedDocument(doc, chunks, vecs[cv : cv + len(chunks)], spans, sent_vecs[sv : sv + len(spans)],
                                   None if latent is None else latent[cv : cv + len(chunks)]))
        cv += len(chunks)
        sv += len(spans)
    return out


def _sentence_vectors(encoder: Encoder, sentences: list[str], passages: list[str], passage_vecs: np.ndarray,
                      progress: Progress) -> np.ndarray:
    """Each sentence embedded alone, except a sentence that is a whole passage: it has that passage's vector.

    The same text under the same prompt is the same forward pass; in news (one-sentence paragraphs) and English
    text (one long sentence fills a passage) that is 6-30 % of the sentences (docs/ingest.md).
    """
    vecs = np.zeros((len(sentences), encoder.dim), np.float32)
    as_passage = {text: i for i, text in enumerate(passages)}
    alone = []
    for j, text in enumerate(sentences):
        i = as_passage.get(text)
        if i is None:
            alone.append(j)
        else:
            vecs[j] = passage_vecs[i]
    if alone:
        vecs[alone] = encoder.embed_sentences([sentences[j] for j in alone], progress=progress)
    return vecs


def title_prefix(doc: Document, chunk: Chunk) -> str:
    """The article's title and a line break, Simplified, to embed in front of ``chunk``: a paragraph seldom names
    what its article is about ("Net income rose to €8.9 billion" in an article titled "ASML's 2025 sales rise…").
    Empty when the title is in another language than the passage (a translated corpus keeps English titles) or
    already opens the passage (the headline glued to the first paragraph)."""
    title = (doc.title or "").strip()
    return "" if not title or chunk.text.startswith(title) else _title_line(title, doc.language == "zh")


@lru_cache(maxsize=1024)
def _title_line(title: str, chinese: bool) -> str:
    # language detection once per article, not once per passage
    return to_simplified(title) + "\n" if (detect(title)[0] == "zh") == chinese else ""


def sentence_source(encoder: Encoder) -> str:
    """"pooled" when ``encoder`` makes sentence vectors from its passages' forward pass, else "separate"."""
    return str(getattr(encoder, "sentence_source", "separate"))


def simplified_with_spans(text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """``to_simplified(text)`` and ``spans`` (offsets into ``text``) moved onto it.

    OpenCC almost always maps character for character; where a phrase conversion changes the length, the text
    is converted piece by piece between span boundaries so every span still lands on its own words.
    """
    simple = to_simplified(text)
    if len(simple) == len(text):
        return simple, list(spans)
    cuts = sorted({0, len(text), *(x for span in spans for x in span)})
    where: dict[int, int] = {}
    parts: list[str] = []
    pos = 0
    for a, b in zip(cuts, cuts[1:]):
        where[a] = pos
        piece = to_simplified(text[a:b])
        parts.append(piece)
        pos += len(piece)
    where[len(text)] = pos
    return "".join(parts), [(where[s], where[e]) for s, e in spans]


def _sentence_vectors_from_passages(chunked: Sequence[tuple[Document, list[Chunk], list[Span]]],
                                    per_passage: Sequence[np.ndarray], dim: int) -> np.ndarray:
    """One vector per unique sentence: its pooled vectors from every passage that holds it, averaged.

    Overlapping windows share a sentence; averaging its two readings keeps both contexts (measured in
    docs/ingest.md).
    """
    rows: list[np.ndarray] = []
    p = 0
    for _, chunks, spans in chunked:
        index = {span: i for i, span in enumerate(spans)}
        acc = np.zeros((len(spans), dim), np.float32)
        for c in chunks:
            for span, vec in zip(c.sentences, per_passage[p]):
                acc[index[span]] += vec
            p += 1
        rows.append(acc)
    out = np.concatenate(rows) if rows else np.zeros((0, dim), np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(np.divide(out, norms, out=np.zeros_like(out), where=norms > 0), dtype=np.float32)


def unique_sentences(chunks: Sequence[Chunk]) -> list[Span]:
    """Sentence spans of one document's chunks, each once, in order (overlapping windows share sentences)."""
    return list(dict.fromkeys(span for c in chunks for span in c.sentences))


def fresh_view(store: Store, docs: Sequence[Document], encoder: Encoder, settings: Settings,
               unreadable: Collection[str] = ()) -> StoreView | None:
    """The store's current view when it already holds exactly ``docs`` for this encoder; None when it needs a write.

    Takes no lock: a reader that finds the index fresh never waits for a writer.
    """
    try:
        view = store.load()
    except (IndexNotFound, IndexCorrupt):
        return None
    if not compatible(view.manifest, encoder, ChunkParams.from_settings(settings)):
        return None
    changed, removed = changes(view, docs, unreadable)
    return None if changed or removed else view


def _current_or_none(store: Store) -> StoreView | None:
    try:
        return store.load()
    except (IndexNotFound, IndexCorrupt):
        return None


def synchronise(store: Store, docs: Sequence[Document], encoder: Encoder, settings: Settings, *,
                force: bool = False, progress: Progress = False, view: StoreView | None = None,
                allow_empty: bool = False, unreadable: Collection[str] = ()) -> StoreView:
    """Make ``store`` hold exactly ``docs``: nothing to do when it is fresh, only changed documents re-embedded when
    it is compatible, a full build otherwise (or with ``force``). Call inside ``store.writing()``.
    ``unreadable``: files of the docs folder that could not be read; their indexed versions stay (``changes``).

    Returns the store's current view.

    Raises:
        DocsFolderEmpty: ``docs`` is empty while the store holds some: the docs folder does not exist, or it
            holds no articles and neither ``force`` nor ``allow_empty`` is given.
    """
    params = ChunkParams.from_settings(settings)
    if view is None and not force:
        try:
            view = store.load()
        except IndexNotFound:
            view = None
        except IndexCorrupt as e:
            log.warning("%s; rebuilding from %s", e, settings.docs_dir)
            view = None
    folder = settings.docs_dir
    state = "empty" if folder.is_dir() else "missing"
    # a mistyped --docs must not empty an index; an existing empty folder with --force does, on purpose (a folder
    # that does not exist never does: a typo and --force together would wipe it)
    if not docs and not unreadable and (state == "missing" or not (force or allow_empty)):
        if view is None and force and state == "missing":
            view = _current_or_none(store)
        if view is not None and view.documents:
            raise DocsFolderEmpty.keyed(f"error.DocsFolderEmpty.{state}", folder=folder, count=len(view.documents))
        if state == "missing":
            log.warning("the docs folder %s does not exist: the library is empty", folder)
    manifest = manifest_for(encoder, params, settings.docs_dir)
    if view is not None and not force and compatible(view.manifest, encoder, params):
        changed, removed = changes(view, docs, unreadable)
        if not changed and not removed:
            return view
        return store.commit(view, manifest, encode_documents(changed, encoder, params, progress=progress), removed)
    if view is not None and view.manifest.get("model_id") != encoder.model_id:
        log.info("index was built by %s; rebuilding with %s", view.manifest.get("model_name"), encoder.name)
    encoded = encode_documents(docs, encoder, params, progress=progress)
    return store.create(manifest, encoded)
