"""The one Python API: open an index over a folder of articles, ask questions, add and delete documents."""
from __future__ import annotations

import logging
import os
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .abstain import AbstainPolicy
from .also_in import AlsoInRule, fold
from .answer import (HighlightRule, Scored, choose_highlight, group_hits, holder_first, introduced_first, order_by_answer,
                     rare_kind_first, to_passage, with_gloss, with_heading, with_highlight, with_holder_named_next,
                     without_repeats)
from .build import (Progress, compatible, encode_documents, extract_limits, fresh_view, manifest_for, source_documents,
                    synchronise)
from .bulk import PathArg, by_bytes, classify, expand_paths
from .chunk import ChunkParams
from .citation import page_paragraph
from .confidence import Calibration, rate
from .errors import BadRequest, DocumentNotFound, EmptyQuestion, IndexNotFound, QAError, StoreMismatch, UnsupportedFile
from .files import fsync
from .filters import Filters, make_filters, no_match_message, restrict
from .ingest import META_SUFFIX, SUPPORTED_SUFFIXES, check_size, document_from_bytes, read_sidecar
from .messages import for_question
from .process import apply_defaults
from .records import AddOutcome, AddReport, Answer, Document, EncodedDocument
from .search import Query, QueryAnalyser, Ranking, SearchResult, Stopwatch, search, titled_first
from .settings import Settings
from .store import Store, StoreView
from .store.local import LocalStore
from .store.select import open_store
from .store.snapshot import VectorParams
from .text.script import DISPLAY_SCRIPT_OF, DISPLAY_SCRIPTS
from .trash import forget, list_trash, move_to_trash, trashed_file

if TYPE_CHECKING:
    import numpy as np

    from .encoder import Encoder

log = logging.getLogger(__name__)


class Assistant:
    """Question answering over the articles in ``settings.docs_dir`` with the index in ``settings.index_dir``.

    >>> a = Assistant.open()                                      # doctest: +SKIP
    >>> a.ask("美國對H200出口徵收多少附加費？", k=3).passages[0].text  # doctest: +SKIP
    """

    def __init__(self, settings: Settings, encoder: Encoder, store: Store, view: StoreView,
                 queries: QueryAnalyser | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.store = store
        self._view = view  # replaced wholesale by writers; a reader keeps the view it started with
        self.ranking = Ranking.from_settings(settings)
        self.policy = AbstainPolicy.from_settings(settings)
        self.calibration = Calibration.parse(settings.confidence_weights)
        self.queries = queries or QueryAnalyser(encoder, settings.query_cache_size, settings.cache_dir)
        # files of the docs folder left out at the last reading of it: [{file, reason}] (``source_documents``)
        self.skipped: list[dict[str, str]] = []

    # ---- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings | None = None, *, encoder: Encoder | None = None, sync: bool | None = None,
             overwrite: bool = False, progress: Progress = False, **overrides: object) -> Assistant:
        """Load settings (defaults < QA_* env < overrides), the model and the index; build or refresh it if stale.

        ``sync``: make the index hold exactly the docs folder. Default: yes for the local store; for a shared store
        (Milvus, setting ``store``) only when it is empty, since other processes and machines write to it too
        (`qa build --store URI` passes True).

        ``progress`` (True: a bar with ETA on stderr; or a callable given texts embedded and their total) reports
        the embedding of whatever has to be (re)built.
        Sets the process defaults of ``qa.process`` (offline model hubs, passive OpenMP waits) where unset.

        Raises:
            StoreUnavailable: the Milvus store cannot be reached. StoreMismatch: it holds another model's vectors.
            DocsFolderEmpty: the docs folder is missing or empty while the index holds articles (``overwrite``:
            allowed, the index is emptied).
        """
        apply_defaults()
        settings = settings or Settings.load(**overrides)
        from .encoder import load_encoder

        store = open_store(settings)  # before the model: a wrong URI fails in a second, not after loading it
        if overwrite:  # `qa build --force`: a shared store built by another model may be replaced
            store.overwrite = True  # type: ignore[attr-defined]
        encoder = encoder or load_encoder(settings)
        if getattr(store, "shared", False) and not sync:
            try:
                view = store.load()
            except IndexNotFound:
                view = None
            if view is not None:
                if not compatible(view.manifest, encoder, ChunkParams.from_settings(settings)):
                    raise StoreMismatch(f"the store {settings.store} was built by {view.manifest.get('model_name')} with "
                                        f"chunking {view.manifest.get('chunking')}; this process uses {encoder.name} with "
                                        f"{ChunkParams.from_settings(settings)}. Use the same settings, or rebuild it "
                                        f"with `qa build --store {settings.store} --force`")
                return cls(settings, encoder, store, view)
        skipped: list[dict[str, str]] = []
        docs = source_documents(settings, skipped)
        view = fresh_view(store, docs, encoder, settings, unreadable={s["file"] for s in skipped})
        if view is None:  # something to write: under the lock, against the index and docs folder as they are then
            # (read again: another process may have finished an upload while this one waited for the lock)
            with _writing(store, settings.docs_dir):
                skipped = []
                docs = source_documents(settings, skipped)
                view = synchronise(store, docs, encoder, settings, progress=progress, allow_empty=overwrite,
                                   unreadable={s["file"] for s in skipped})
        assistant = cls(settings, encoder, store, view)
        assistant.skipped = _logged(skipped)
        return assistant

    @classmethod
    def over_documents(cls, documents: list[Document], settings: Settings | None = None, *,
                       encoder: Encoder | None = None, progress: bool = False) -> Assistant:
        """An assistant over ``documents`` held in memory only (benchmarks over SQuAD-style data, sweeps).
        ``documents``: ``qa.records.Document`` objects, such as ``a.document(doc_id)`` of another assistant or
        ``qa.ingest.document_from_bytes``.

        With a Milvus ``settings.store`` the documents are written there instead, replacing what it held (a
        scratch store: benchmarks measure the Milvus path this way).

        Raises:
            BadRequest: an item that is not a Document (``documents()``'s rows are summaries without text).
        """
        documents = list(documents)
        wrong = next((d for d in documents if not isinstance(d, Document)), None)
        if wrong is not None:
            hint = (" (documents() lists summaries without text: take a.document(row['doc_id']) of each)"
                    if isinstance(wrong, dict) else "")
            raise BadRequest(f"over_documents takes qa.records.Document objects, got {type(wrong).__name__}{hint}")
        apply_defaults()
        settings = settings or Settings.load()
        from .encoder import load_encoder

        encoder = encoder or load_encoder(settings)
        store: Store = LocalStore(None, _vector_params(settings))
        if not settings.local_store:
            store = open_store(settings)
            store.overwrite = True  # type: ignore[attr-defined]
        with store.writing():
            view = synchronise(store, documents, encoder, settings, force=True, progress=progress)
        return cls(settings, encoder, store, view)

    def with_settings(self, **changes: object) -> Assistant:
        """The same documents, model and question cache with other ranking or abstention settings (sweeps)."""
        return Assistant(self.settings.replace(**changes), self.encoder, self.store, self._view, self.queries)

    @staticmethod
    def migrate(settings: Settings, target: str) -> dict:
        """Copy the local index (``settings.index_dir``) into the store ``target`` (a Milvus Lite folder or URI),
        replacing what it held, without re-embedding. Returns document and passage counts.

        Raises:
            IndexNotFound: there is no local index. StoreUnavailable: ``target`` cannot be reached.
        """
        from .store.migrate import migrate

        store = open_store(settings, target)
        try:
            return migrate(open_store(settings, "local"), store)
        finally:
            close = getattr(store, "close", None)
            if close is not None:  # an embedded Milvus Lite folder admits one client: release it for the caller
                close()

    @staticmethod
    def prepare_model(*, force: bool = False) -> list[Path]:
        """Materialise the bundled model and its question engine (what `qa model` and set-up run)."""
        from .encoder import prepare_bundled_model

        return prepare_bundled_model(force=force)

    @property
    def view(self) -> StoreView:
        """The current version of the index (documents, passages, manifest)."""
        return self._view

    def build(self, *, force: bool = False, progress: Progress = False) -> dict:
        """Re-read the docs folder and re-embed what changed (everything with ``force``); returns build stats."""
        watch = Stopwatch()
        with self._writing():
            self.skipped = []
            docs = source_documents(self.settings, self.skipped)
            self._view = synchronise(self.store, docs, self.encoder, self.settings, force=force, progress=progress,
                                     unreadable={s["file"] for s in _logged(self.skipped)})
        watch.lap("build")
        return {"documents": len(self._view.documents), "passages": len(self._view.chunks),
                "seconds": round(watch.timings["build"] / 1000, 2), "skipped": list(self.skipped)}

    # ---- asking ---------------------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, target_script: str | None = None, *,
            date_from: str | None = None, date_to: str | None = None, sources: Sequence[str] | None = None,
            doc_ids: Sequence[str] | None = None) -> Answer:
        """Answer ``question`` with up to ``k`` cited passages, best first, or abstain.

        ``date_from``/``date_to`` (YYYY-MM-DD, inclusive), ``sources`` and ``doc_ids`` restrict what may be cited,
        inside the search (qa.filters: undated documents are left out under a date bound; the answer's
        ``undated_left_out`` says how many). When nothing matches, the answer has no passages, ``no_match`` set and
        a message saying so. A card whose paragraph states what a better card of another document states is folded
        into that card's ``also_in`` (qa.also_in).

        A passage not in the question's language carries a reading aid over its highlighted sentence
        (``Passage.gloss``: pinyin and English for Chinese text, Chinese for English text; see ``with_gloss``).
        ``target_script`` (the page's script choices: "simplified", "traditional" = Taiwan's characters, "hongkong")
        also returns each passage converted (``text_converted``, with its highlight at ``highlight_converted``).

        Raises:
            EmptyQuestion: the question is empty or has no letters, digits or ideographs.
            BadRequest: ``k`` or ``target_script`` is out of range.
            BadDate: a date is not YYYY-MM-DD or the range ends before it starts.
        """
        k = self.settings.checked_k(k)
        if target_script not in (None, "", *DISPLAY_SCRIPTS):  # the page's script choices, the same names
            raise BadRequest.keyed("ask.bad_script", allowed=", ".join(DISPLAY_SCRIPTS), value=repr(target_script))
        tidy = tidy_question(question)
        question = tidy[:self.settings.max_question_chars]  # the model reads ~512 tokens; the answer says it was cut
        filters = make_filters(date_from, date_to, sources, doc_ids)
        watch = Stopwatch()
        view, query = self._latest_and_analysed(question, watch)
        if not view.documents:
            return self._nothing_to_search(question, len(tidy), filters, view, watch, no_documents=True)
        rows, undated = restrict(view, filters)
        if rows is not None and not len(rows):
            return self._nothing_to_search(question, len(tidy), filters, view, watch, no_documents=False,
                                           undated_left_out=undated)
        result = self.search(question, k, watch=watch, view=view, rows=rows, query=query)
        query_language, query_script = result.query.language, result.query.script
        # a few findings beyond k: cards folded into a better one's also_in leave room that these fill
        groups = group_hits(result.hits, k + self.settings.also_in_extra, self.settings.card_margin)
        highlight = HighlightRule.from_settings(self.settings)
        scored: Scored = {}  # cards whose sentences order_by_answer scored: their highlight reads them
        # (a speaker's name counts for no paragraph where another quotes them by title: search.titled_credit)
        answer_terms = {t: w for t, w in result.terms.items() if t not in result.spoken}
        groups = order_by_answer(view, groups, result.query, answer_terms, highlight, self.settings.answer_weight,
                                 scored, self.settings.answer_weight_cross_zh if result.query.chinese
                                 else self.settings.answer_weight_cross)
        groups = rare_kind_first(groups, result.query, self.settings.rank_rare_kind)
        groups = holder_first(view, groups, result.hits, result.query)
        groups = titled_first(view, question, groups, lambda g: g[0].chunk, result.forms)
        groups = introduced_first(view, groups, result.query)
        by_key = {(g[0].chunk.doc_id, g[0].chunk.paragraph): g for g in groups}
        passages = [to_passage(view.documents[g[0].chunk.doc_id], g) for g in groups]
        passages = [replace(p, page_paragraph=page_paragraph(view.documents[p.doc_id], p.paragraph)) if p.page else p
                    for p in passages]
        across = [(view.documents[p.doc_id].language == "zh") != result.query.chinese for p in passages]
        idf = {t: view.term_idf(t) for t in result.terms}
        passages = rate(passages, across, idf, result.evidence.margin,
                        self.calibration)
        # over the first k, as without the extra findings (the first card is never folded)
        confidence = max((p.confidence for p in passages[:k] if p.confidence is not None), default=None)
        abstained = self.policy.decide(query_language, result.evidence) or (
            confidence is not None and confidence < self.settings.abstain_confidence)
        passages = fold(view, passages, AlsoInRule.from_settings(self.settings), keep=k)
        watch.lap("confidence")
        # the answering sentence, for the cards shown only; a card unlikely to hold the answer marks no sentence
        # (a mark says "the answer is here")
        marked = []
        for p in passages:
            group = by_key[(p.doc_id, p.paragraph)]
            mark = (choose_highlight(view, group, result.query, result.terms, highlight, scored)
                    if (p.confidence or 0.0) >= self.settings.highlight_floor else None)
            p, mark = with_heading(p, view.documents[p.doc_id], group, question, idf, mark)
            p, mark = with_holder_named_next(p, view.documents[p.doc_id], result.query, mark)
            marked.append(with_highlight(p, mark, target_script or None))
        passages = without_repeats(marked)
        watch.lap("highlight")
        # a Chinese asker reads Chinese in this script (Hong Kong's standard is Traditional characters)
        reader_script = DISPLAY_SCRIPT_OF[target_script] if target_script else query_script
        passages = [with_gloss(p, view.documents[p.doc_id], query_language, reader_script, self.settings.cache_dir)
                    for p in passages]
        watch.lap("gloss")
        return Answer(
            question=question,
            language=query_language,
            script=query_script,
            abstained=abstained,
            passages=passages,
            timings_ms=watch.total(),
            model=view.manifest.get("model_name", ""),
            # an id among the filters that no document has is said, also when the others answer
            message=" ".join(m for m in (_unknown_ids(filters, view, query_language, query_script),
                                         for_question("answer.refused", query_language, query_script) if abstained else "") if m),
            evidence=result.evidence.to_dict(),
            # the curve says how likely a card holds the answer if the library answers the question: under a
            # refusal the answer claims nothing (its cards keep theirs, as the nearest passages)
            confidence=None if abstained else confidence,
            question_chars=len(tidy),
            filters=filters.to_dict() if filters.active else None,
            undated_left_out=undated,
            notices=notices_for(query_language, query_script, question, len(tidy), undated),
        )

    def _nothing_to_search(self, question: str, question_chars: int, filters: Filters, view: StoreView,
                           watch: Stopwatch, *, no_documents: bool, undated_left_out: int = 0) -> Answer:
        """The answer when the index is empty (``no_documents``) or the filters leave no document (``no_match``):
        no passages, and a message saying which, not that the documents do not answer."""
        from .text.script import detect

        language, script = detect(question)
        message = (for_question("answer.empty_library", language, script) if no_documents
                   else no_match_message(filters, language, script))
        said = "" if no_documents else _unknown_ids(filters, view, language, script)
        if said:  # a mistyped or deleted id: the date advice alone sent users the wrong way
            # the advice on dates and sources only where such a filter was set too
            message = said + " " + message if filters.date_from or filters.date_to or filters.sources else said
        return Answer(question=question, language=language, script=script, abstained=True, passages=[],
                      message=message, confidence=None, question_chars=question_chars,
                      timings_ms=watch.total(), model=view.manifest.get("model_name", ""),
                      filters=filters.to_dict() if filters.active else None, no_match=not no_documents,
                      no_documents=no_documents, undated_left_out=undated_left_out,
                      notices=notices_for(language, script, question, question_chars, undated_left_out))

    def sources(self) -> list[str]:
        """The distinct sources (publishers, sites) of the indexed documents, sorted: what a source filter offers."""
        from .filters import sources

        return sources(self._current().document_summaries())

    def _current(self) -> StoreView:
        """The view to answer from: the latest commit of any process (one small read: the local store's pointer
        file, a shared store's version row)."""
        refreshed = getattr(self.store, "refreshed", None)
        if refreshed is not None:
            self._view = refreshed(self._view)
        return self._view

    def _latest_and_analysed(self, question: str, watch: Stopwatch) -> tuple[StoreView, Query]:
        """The view to answer from (``_current``) and the question analysed for it. Over a shared store the version
        check is a round trip: it travels while the question is embedded, and only a view that changed meanwhile
        (another process committed) has the question analysed again (its embedding cached: cheap)."""
        check = getattr(self.store, "refreshed_soon", None)
        if check is None:
            view = self._current()
            return view, self.queries.analyse(question, self.ranking, self.policy, watch, view)
        pending = check(self._view)
        view = self._view
        query = self.queries.analyse(question, self.ranking, self.policy, watch, view)
        latest = pending.result()
        if latest is not view:
            self._view = latest
            query = self.queries.analyse(question, self.ranking, self.policy, watch, latest)
        return latest, query

    def search(self, question: str, k: int | None = None, *, watch: Stopwatch | None = None,
               view: StoreView | None = None, rows: np.ndarray | None = None, query: Query | None = None) -> SearchResult:
        """Every candidate passage ranked for ``question``, with the abstention evidence (no citations).

        What `ask` builds its answer from (passing the ``query`` it analysed); benchmarks that need all candidates
        call this. ``question`` and ``k`` are checked and the question cleaned as `ask` does them.

        Raises:
            EmptyQuestion: the question is not text, or has no letters, digits or ideographs.
            BadRequest: ``k`` is not an integer from 1 to ``settings.max_k``.
        """
        k = self.settings.checked_k(k)
        question = clean_question(question, self.settings.max_question_chars)
        view = view or self._view
        watch = watch or Stopwatch()
        query = query or self.queries.analyse(question, self.ranking, self.policy, watch, view)
        return search(view, query, k, self.ranking, self.policy, self.settings.cache_dir, watch, rows,
                      self.queries.reading_vectors, self.queries.searchable(view))

    def prepare_languages(self) -> None:
        """Compute (or load) the model's English-Chinese axis and map that questions across languages read, and
        the off-topic background's vectors that abstention reads (~40-70 s and ~50 s once per model on 2 cores,
        then cached): `qa build` and `warm_up` pay them, not a first question."""
        self.queries.space()
        self.queries.background()

    def warm_up(self) -> float:
        """Load what a process's first questions would otherwise pay for (~1-2 s): langdetect's profiles (only
        Latin-script text that does not look English reaches them, hence the French question), the CC-CEDICT
        tables, jieba's dictionary, the reading aid's pinyin, the question engine's first run. For servers,
        before they listen.

        Returns the seconds it took. The question cache is emptied again.
        """
        watch = Stopwatch()
        self.prepare_languages()
        for question in ("What is this article about?", "这篇文章讲了什么？", "De quoi parle cet article, en quelques mots ?"):
            self.ask(question)
        self.queries.clear()
        watch.lap("warm_up")
        return round(watch.timings["warm_up"] / 1000, 2)

    # ---- documents --------------------------------------------------------------------------
    def documents(self) -> list[dict]:
        """One row per indexed document, no text: what the documents list, GET /api/documents and `qa docs` show."""
        view = self._current()
        return [  # summaries, not Documents: a Milvus view would fetch every article's text for its length
            {"doc_id": d.doc_id, "title": d.title, "date": d.date, "script": d.script, "language": d.language,
             "path": d.path, "passages": len(view.chunk_rows(d.doc_id)), "characters": d.characters,
             "source": d.source, "author": d.author, "pages": len(d.page_starts) or None, "extractor": d.extractor}
            for d in view.document_summaries()
        ]

    def document(self, doc_id: str) -> Document:
        doc = self._current().documents.get(doc_id)
        if doc is None:
            raise DocumentNotFound.keyed("docs.not_found", doc_id=doc_id)
        return doc

    def add_document(self, filename: str, data: bytes, *, size: int | None = None) -> Document:
        """Add or replace one article: validated before anything is written, then indexed, then committed.
        ``data``: the file's bytes, read in binary mode; text is refused rather than encoded here, since the file
        is stored as given and a str says nothing of the encoding a .txt meant (pass ``text.encode("utf-8")``).
        ``size``: the file's whole size when ``data`` was read only up to just over the limit (an HTTP upload).

        Only this article is chunked and embedded; the rest of the index is carried over. The source file is
        renamed into the docs folder only after the new index is durable, so a crash at any point leaves docs
        folder and index agreeing on the last completed operation (a re-open reconciles them). The same article
        under the same name again changes nothing (``add_upload`` says so).

        Raises:
            UnsupportedFile, FileTooLarge, DecodeError, BadRequest (a bad name, ``data`` not bytes): nothing was
                changed.
        """
        return self._add_one(filename, data, size)[0]

    def add_upload(self, filename: str, data: bytes, *, size: int | None = None) -> AddOutcome:
        """``add_document``, reporting what it did as ``add_paths`` reports a file: "added", "replaced" (with the
        ``trash_id`` of the version kept in the trash) or "skipped" as unchanged (``AddOutcome.unchanged``: this
        article is already indexed under this name, so nothing was written or re-indexed). What the HTTP upload
        calls.

        Example:
            >>> a.add_upload("fab.txt", data).status, a.add_upload("fab.txt", data).unchanged
            ('added', True)

        Raises:
            As ``add_document``; nothing was changed.
        """
        return self._add_one(filename, data, size)[1]

    def _add_one(self, filename: str, data: bytes, size: int | None) -> tuple[Document, AddOutcome]:
        name = safe_filename(filename)
        if not isinstance(data, (bytes, bytearray)):
            raise BadRequest.keyed("ingest.not_bytes", name=name, kind=type(data).__name__)
        data = bytes(data)
        check_size(name, max(size or 0, len(data)), self.settings.max_upload_bytes)
        docs_dir = self.settings.docs_dir
        # an upload carries no sidecar: a new version of an article keeps what the sidecar of its name says (title,
        # date, source), as the next reading of the docs folder would
        doc = document_from_bytes(data, name, max_bytes=self.settings.max_upload_bytes, meta=read_sidecar(docs_dir / name),
                                  limits=extract_limits(self.settings))
        with self._writing():
            self._view = self.store.latest(self._view)
            clash = self._view.documents.get(doc.doc_id)
            if clash is not None and clash.path != name:  # a.txt and a.md: one id, two files, two versions
                raise BadRequest.keyed("ingest.id_clash", name=name, doc_id=doc.doc_id, path=clash.path)
            # the rule `qa add` and the page use; the file must be here too: with a shared store another machine
            # may hold it, and this docs folder then needs the upload written
            outcome = classify(doc, name, self._view.documents, {}, by_bytes(self._view.document_summaries()))
            if outcome.unchanged and (docs_dir / name).is_file():
                return doc, outcome
            if outcome.reason_key == "add.duplicate":
                raise BadRequest.keyed(outcome.reason_key, **outcome.reason_params)
            docs_dir.mkdir(parents=True, exist_ok=True)
            kept = self._keep_replaced(docs_dir / name, doc.doc_id, data, docs_dir / (name + META_SUFFIX))
            partial = docs_dir / f".{name}.partial"
            partial.write_bytes(data)
            fsync(partial)
            encoded = encode_documents([doc], self.encoder, ChunkParams.from_settings(self.settings))
            self._commit(encoded, [])
            os.replace(partial, docs_dir / name)
            fsync(docs_dir, directory=True)
        status = "added" if clash is None else "replaced"
        return doc, AddOutcome(name, status, doc.doc_id, title=doc.title, trash_id=kept.name if kept else None)

    def _keep_replaced(self, target: Path, doc_id: str, data: bytes, sidecar: Path | None) -> Path | None:
        """Before a new version (``data``, with ``sidecar``) takes ``target``'s name: copy the indexed version there
        (file and sidecar) into the trash, reason "replaced", so a replace can be undone like a delete. Nothing is
        kept when the bytes and the sidecar are the same (re-adding a file loses nothing). Returns the trash entry,
        or None when nothing was kept."""
        doc = self._view.documents.get(doc_id)
        if doc is None or doc.path != target.name or not target.is_file():
            return None
        old_sidecar = target.with_name(target.name + META_SUFFIX)
        same_sidecar = (old_sidecar.read_bytes() if old_sidecar.is_file() else None) == (
            sidecar.read_bytes() if sidecar is not None and sidecar.is_file() else None)
        if target.read_bytes() != data or not same_sidecar:
            return move_to_trash(target.parent, doc.doc_id, target.name, doc.title, replaced=True)
        return None

    def add_paths(self, paths: PathArg | Iterable[PathArg], progress: Callable[[int, int, str], None] | None = None,
                  embed_progress: Callable[[int, int], None] | None = None) -> AddReport:
        """Add files and folders (recursively) to the index: every file ends up added, replaced or skipped with
        a reason; a bad file never stops the rest. What `qa add` and the web page's upload call. ``paths``: one
        path (str or PathLike) or an iterable of them; a file system root is skipped, not walked.

        Files are copied flat into the docs folder with their ``.meta.json`` sidecars, embedded and committed in
        batches of ``settings.add_batch`` (each batch crash-safe like ``add_document``; a crash loses at most the
        batch in progress). ``progress(done, total, name)`` is called before each file, ``embed_progress(done,
        total)`` after each embedded batch of a commit's texts (the slow part: a web page can show an ETA).

        Raises:
            BadRequest: ``paths`` is not a path or an iterable of paths; nothing was added.
            QAError: only for failures that are not one file's fault (the model, the index); files already
                committed stay added.
        """
        started = time.perf_counter()
        files, outcomes = expand_paths(paths)
        limits = extract_limits(self.settings)
        pending: list[tuple[Document, Path]] = []
        taken: dict[str, str] = {}
        same_bytes = by_bytes(self._view.document_summaries())  # and this import's files, as they are taken
        kept: dict[str, str] = {}  # doc id -> trash id of the version its new file replaced
        for i, path in enumerate(files):
            if progress is not None:
                progress(i, len(files), path.name)
            try:
                name = safe_filename(path.name)
                check_size(name, path.stat().st_size, self.settings.max_upload_bytes)
                doc = document_from_bytes(path.read_bytes(), name, max_bytes=self.settings.max_upload_bytes,
                                          meta=read_sidecar(path), limits=limits)
            except (QAError, OSError) as e:
                outcomes.append(AddOutcome(str(path), "skipped", reason=str(e), reason_key=getattr(e, "message_key", ""),
                                           reason_params=getattr(e, "message_params", {})))
                continue
            outcome = replace(classify(doc, name, self._view.documents, taken, same_bytes), path=str(path))
            outcomes.append(outcome)
            if outcome.status != "skipped" or outcome.reason_key == "add.unchanged":
                # an unchanged file still holds its id: a namesake later in this import must not replace it
                taken[doc.doc_id] = str(path)
                same_bytes.setdefault(doc.sha256, doc)
            if outcome.status != "skipped":
                pending.append((doc, path))
            if len(pending) >= self.settings.add_batch:
                kept.update(self._add_batch(pending, embed_progress))
                pending = []
        if pending:
            kept.update(self._add_batch(pending, embed_progress))
        if progress is not None:
            progress(len(files), len(files), "")
        # a replaced file's outcome names the trash entry of the version it replaced (its undo)
        outcomes = [replace(o, trash_id=kept[o.doc_id]) if o.status == "replaced" and o.doc_id in kept else o
                    for o in outcomes]
        return AddReport(outcomes, round(time.perf_counter() - started, 2))

    def _add_batch(self, batch: list[tuple[Document, Path]],
                   embed_progress: Callable[[int, int], None] | None = None) -> dict[str, str]:
        """Embed and commit ``batch``, then move its files (and sidecars) into the docs folder, as add_document.
        Returns {doc id: trash id} for each replaced version kept in the trash."""
        docs_dir = self.settings.docs_dir
        with self._writing():
            self._view = self.store.latest(self._view)
            docs_dir.mkdir(parents=True, exist_ok=True)
            moves: list[tuple[Path | None, Path]] = []  # (partial file, its place); None: remove the place
            kept: dict[str, str] = {}
            for doc, source in batch:
                target = docs_dir / doc.path
                if source.resolve() == target.resolve():
                    continue  # already in the docs folder (`qa add docs_src/x.pdf`): index it in place
                entry = self._keep_replaced(target, doc.doc_id, source.read_bytes(), source.with_name(source.name + META_SUFFIX))
                if entry is not None:
                    kept[doc.doc_id] = entry.name
                for src, dst in ((source, target), (source.with_name(source.name + META_SUFFIX), target.with_name(target.name + META_SUFFIX))):
                    partial = docs_dir / f".{dst.name}.partial"
                    if src.exists():
                        partial.write_bytes(src.read_bytes())
                        fsync(partial)
                        moves.append((partial, dst))
                    elif dst.exists():  # the replaced version's sidecar would give the new file the old metadata
                        moves.append((None, dst))
            self._commit(encode_documents([doc for doc, _ in batch], self.encoder, ChunkParams.from_settings(self.settings),
                                          progress=embed_progress or False), [])
            for partial, dst in moves:
                if partial is None:
                    dst.unlink(missing_ok=True)
                else:
                    os.replace(partial, dst)
            fsync(docs_dir, directory=True)
        return kept

    def delete_document(self, doc_id: str) -> Document:
        """Remove an article from the index; it never appears in an answer again. Its file and sidecar move to
        the trash (``<docs>/.trash/``) so ``restore_document`` can undo the delete.

        Raises:
            DocumentNotFound: no such id.
        """
        with self._writing():
            self._view = self.store.latest(self._view)
            doc = self.document(doc_id)
            self._commit([], [doc_id])
            # kept, with its sidecar (the real title, date, source), until restored: a delete can be undone
            move_to_trash(self.settings.docs_dir, doc.doc_id, doc.path, doc.title)
            if self.settings.docs_dir.is_dir():  # with a shared store, another machine may have taken the upload
                fsync(self.settings.docs_dir, directory=True)
        return doc

    def restore_document(self, trash_id: str, *, replacing: bool = False) -> Document:
        """Put a deleted article back from the trash, with its sidecar: indexed again and answerable at once.
        ``trash_id``: an entry's ``trash_id`` (``trash()``), or the document's id for its latest entry.

        ``replacing``: the id may be in the index (a later upload of the same file name, ``AddOutcome.trash_id``
        names the version it replaced): this version takes its place, which undoes the replace. The version taken
        out is kept in the trash in its turn (reason "replaced", as any replace), so nothing is lost.

        Raises:
            NotInTrash: nothing of that id was deleted here.
            BadRequest: a document with that id is in the index again (re-uploaded) and ``replacing`` is not set,
                or it is in the index under another file name; delete it first.
        """
        docs_dir = self.settings.docs_dir
        doc_id, path = trashed_file(docs_dir, trash_id)
        live = self._current().documents.get(doc_id)
        if live is not None and (not replacing or live.path != path.name):
            raise BadRequest.keyed("trash.live", doc_id=doc_id)
        doc = document_from_bytes(path.read_bytes(), path.name, max_bytes=self.settings.max_upload_bytes,
                                  meta=read_sidecar(path), limits=extract_limits(self.settings))
        self._add_batch([(doc, path)])  # copies file and sidecar back into the docs folder, crash-safe
        forget(self.settings.docs_dir, path.parent.name)
        return doc

    def trash(self) -> list[dict]:
        """Deleted articles that can be restored, most recent first: [{doc_id, trash_id, file, title, deleted_at}]."""
        return list_trash(self.settings.docs_dir)

    def _commit(self, added: list[EncodedDocument], removed: list[str]) -> None:
        manifest = manifest_for(self.encoder, ChunkParams.from_settings(self.settings), self.settings.docs_dir)
        self._view = self.store.commit(self._view, manifest, added, removed)

    def health(self) -> dict:
        view = self._current()
        return {"ok": True, "documents": len(view.documents), "passages": len(view.chunks),
                "model": view.manifest.get("model_name"), "index_created_at": view.manifest.get("created_at"),
                "skipped": list(self.skipped)}

    def _writing(self) -> AbstractContextManager[None]:
        return _writing(self.store, self.settings.docs_dir)


def notices_for(language: str, script: str, question: str, question_chars: int, undated_left_out: int) -> list[str]:
    """Notes on an answer for its reader (``Answer.notices``), in the question's language and script as its
    message is: the question was cut (``question`` is the part read of ``question_chars``), a date bound left
    ``undated_left_out`` undated articles out. The page writes the same catalogue entries in its interface language,
    as it does the rest of the answer (qa.ui).

    Example:
        >>> notices_for("zh", "simplified", "一等座多少钱", 6, 2)
        ['因设定日期而未参与检索的无日期文章：2 篇（不设日期再问即可包括它们）。']
    """
    notes = []
    if question_chars > len(question):
        notes.append(for_question("question.truncated", language, script, length=question_chars, limit=len(question)))
    if undated_left_out:
        notes.append(for_question("filter.undated_left_out", language, script, count=undated_left_out))
    return notes


def _unknown_ids(filters: Filters, view: StoreView, language: str, script: str) -> str:
    """What the asker is told of ``filters``' document ids that no document of ``view`` has ("" when none)."""
    unknown = [d for d in filters.doc_ids if d not in view.documents]
    return for_question("answer.unknown_doc_ids", language, script, ids=", ".join(unknown)) if unknown else ""


def _logged(skipped: list[dict[str, str]]) -> list[dict[str, str]]:
    """``skipped`` after a warning for each file (once per reading of the docs folder that counts)."""
    for s in skipped:
        log.warning("skipped %s: %s", s["file"], s["reason"])
    return skipped


@contextmanager
def _writing(store: Store, docs_dir: Path) -> Iterator[None]:
    """The store's write lock; a crashed upload's leftover (``.<name>.partial``) is removed under it."""
    with store.writing():
        for stale in docs_dir.glob(".*.partial"):  # no writer is running now
            stale.unlink(missing_ok=True)
        yield


def safe_filename(filename: str) -> str:
    """The bare file name of an upload: no folders, no hidden names, only a supported suffix.

    Raises:
        BadRequest / UnsupportedFile: the name could reach outside the docs folder or has the wrong type.
    """
    name = Path(str(filename).replace("\\", "/")).name.strip()
    if not name or name.startswith(".") or name in ("..", ".") or "\x00" in name:
        raise BadRequest.keyed("ingest.bad_name", name=filename)
    if len(name.encode("utf-8", "surrogatepass")) > 200 or any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise BadRequest.keyed("ingest.long_name", name=str(filename)[:80])
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile.keyed("ingest.unsupported", name=name, suffix="", accepted=", ".join(SUPPORTED_SUFFIXES))
    return name


def clean_question(question: object, max_chars: int) -> str:
    """Validate and tidy a question: control characters out, whitespace collapsed, length capped."""
    return tidy_question(question)[:max_chars]


def tidy_question(question: object) -> str:
    """Validate a question and tidy it (control characters out, whitespace collapsed), at its full length.

    Raises:
        EmptyQuestion: not text, or no letters, digits or ideographs.
    """
    if not isinstance(question, str):
        raise EmptyQuestion(f"the question must be text, got {type(question).__name__}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in question)
    text = " ".join(text.split())
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise EmptyQuestion("the question is empty or has no letters, digits or Chinese characters; type a question")
    return text


def _vector_params(settings: Settings) -> VectorParams:
    return VectorParams(settings.vector_backend, settings.vector_approx_threshold)
