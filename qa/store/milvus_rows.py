"""What a Milvus view keeps in process memory, compactly: passage offsets in numpy arrays, the vocabulary as
hashed term ids, document metadata without text. Texts are fetched from Milvus when a question cites them.

Why: an app worker over a million passages must not hold the library (the issue's target: RSS <= 1 GB at 1M
passages). A passage costs ~50 bytes here (offsets, sentence spans, primary key) instead of a ``Chunk`` object
with its text (~1 KB); a term 20 bytes instead of a dict entry with its string (~150).
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..records import Chunk, Document, DocumentSummary

BUILT_CHUNKS = 4_096  # Chunk objects a view keeps built (PassageTable): ~1 KB each
DOC_BATCH = 200  # documents' texts per query when many are needed at once (a listing, a build's comparison)


def term_hash(term: str) -> int:
    """A stable 63-bit id of a keyword term (blake2b): 1M terms collide with probability ~1e-7."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little") >> 1


class TermTable:
    """term -> (term id in Milvus, document frequency), as three sorted numpy arrays (no term strings kept)."""

    def __init__(self, terms: Iterable[tuple[str, int, int]]) -> None:
        hashes, tids, dfs = [], [], []
        for term, tid, df in terms:
            hashes.append(term_hash(term))
            tids.append(tid)
            dfs.append(df)
        h = np.asarray(hashes, dtype=np.int64)
        order = np.argsort(h, kind="stable")
        self._hash = h[order]
        self._tid = np.asarray(tids, dtype=np.int64)[order]
        self._df = np.asarray(dfs, dtype=np.int64)[order]

    def __len__(self) -> int:
        return len(self._hash)

    def get(self, term: str) -> tuple[int, int] | None:
        h = term_hash(term)
        i = int(np.searchsorted(self._hash, h))
        if i < len(self._hash) and self._hash[i] == h:
            return int(self._tid[i]), int(self._df[i])
        return None

    @property
    def nbytes(self) -> int:
        return self._hash.nbytes + self._tid.nbytes + self._df.nbytes


class RowIndex:
    """Passage primary key -> view row (``.get`` like a dict), as a sorted copy of the keys and their rows."""

    def __init__(self, pks: np.ndarray) -> None:
        self._order = np.argsort(pks, kind="stable").astype(np.int64)
        self._sorted = pks[self._order]

    def get(self, pk: int, default: int | None = None) -> int | None:
        i = int(np.searchsorted(self._sorted, pk))
        if i < len(self._sorted) and self._sorted[i] == pk:
            return int(self._order[i])
        return default


class DocumentTexts:
    """Documents' texts fetched from Milvus on demand, the most recent ``limit`` characters of them kept."""

    def __init__(self, fetch: Callable[[list[str]], dict[str, str]], limit_chars: int) -> None:
        self._fetch = fetch  # doc ids -> their texts, one round trip
        self.limit = limit_chars
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(doc_ids))
        out: dict[str, str] = {}
        with self._lock:
            for d in wanted:
                if d in self._cache:
                    self._cache.move_to_end(d)
                    out[d] = self._cache[d]
        missing = [d for d in wanted if d not in out]
        if missing:
            got = self._fetch(missing)
            out.update(got)
            with self._lock:
                for d, text in got.items():
                    if d not in self._cache and len(text) <= self.limit:
                        self._cache[d] = text
                        self._chars += len(text)
                while self._chars > self.limit and self._cache:
                    _, old = self._cache.popitem(last=False)
                    self._chars -= len(old)
        return out


class LazyDocuments(Mapping[str, Document]):
    """``view.documents``: every document's metadata in memory, its text fetched when a ``Document`` is built."""

    def __init__(self, infos: dict[str, dict], chars: dict[str, int | None], texts: DocumentTexts) -> None:
        self.infos = infos  # doc_id -> Document fields but the text
        # doc_id -> len(text), stored with the document since listings stopped fetching texts; None for a
        # document written before that (its length is measured from its text once, then kept here)
        self.chars = chars
        self.texts = texts

    def summaries(self) -> list[DocumentSummary]:
        """Every document's metadata and text length from memory: no text is fetched, except once for documents
        stored without their length (stores written before it was kept; a rebuild or re-add stores it)."""
        unknown = [d for d in self.infos if self.chars.get(d) is None]
        for i in range(0, len(unknown), DOC_BATCH):
            for d, text in self.texts.get_many(unknown[i:i + DOC_BATCH]).items():
                self.chars[d] = len(text)
        return [DocumentSummary(**info, characters=self.chars[d]) for d, info in self.infos.items()]

    def __getitem__(self, doc_id: str) -> Document:
        info = self.infos[doc_id]
        return Document(**info, text=self.texts.get_many([doc_id])[doc_id])

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.infos

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)

    def values(self):  # type: ignore[override]  # texts fetched in batches, not one round trip each
        return (doc for _, doc in self.items())

    def items(self):  # type: ignore[override]
        ids = list(self.infos)
        for i in range(0, len(ids), DOC_BATCH):
            part = ids[i:i + DOC_BATCH]
            texts = self.texts.get_many(part)
            for d in part:
                yield d, Document(**self.infos[d], text=texts[d])


class PassageTable(Sequence[Chunk]):
    """``view.chunks``: each passage's document, paragraph, offsets and sentence spans in arrays; a ``Chunk`` (with
    its text, cut from the document's) is built when asked for."""

    def __init__(self, doc_ids: list[str], doc_index: np.ndarray, paragraph: np.ndarray, start: np.ndarray,
                 end: np.ndarray, spans: np.ndarray, span_offsets: np.ndarray, texts: DocumentTexts) -> None:
        self.doc_ids = doc_ids  # document number -> id
        self.doc_index = doc_index  # row -> document number (int32)
        self.paragraph, self.start, self.end = paragraph, start, end
        self.spans, self.span_offsets = spans, span_offsets  # sentences of row r: spans[offsets[r]:offsets[r+1]]
        self.texts = texts
        # Chunks built lately: a question reads each candidate's chunk ~10 times (fusion, abstention, confidence,
        # highlight), and building one each time cost ~7 ms a question on the seed corpus. First in, first out.
        self._built: dict[int, Chunk] = {}
        self._built_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.doc_index)

    def doc_id(self, row: int) -> str:
        return self.doc_ids[int(self.doc_index[row])]

    def sentences(self, row: int) -> tuple[tuple[int, int], ...]:
        a, b = int(self.span_offsets[row]), int(self.span_offsets[row + 1])
        return tuple((int(s), int(e)) for s, e in self.spans[a:b])

    def prefetch(self, rows: Iterable[int]) -> None:
        """Fetch the texts of the rows' documents in one round trip (what a question's candidates need)."""
        self.texts.get_many(self.doc_id(r) for r in rows)

    def chunk(self, row: int, text: str) -> Chunk:
        s, e = int(self.start[row]), int(self.end[row])
        return Chunk(row, self.doc_id(row), int(self.paragraph[row]), s, e, text[s:e], self.sentences(row))

    def __getitem__(self, row):  # type: ignore[no-untyped-def,override]
        if isinstance(row, slice):
            rows = range(*row.indices(len(self)))
            self.prefetch(rows)
            return [self[r] for r in rows]
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        found = self._built.get(row)
        if found is not None:
            return found
        d = self.doc_id(row)
        built = self.chunk(row, self.texts.get_many([d])[d])
        with self._built_lock:
            self._built[row] = built
            if len(self._built) > BUILT_CHUNKS:
                del self._built[next(iter(self._built))]
        return built

    def __iter__(self) -> Iterator[Chunk]:
        for a in range(0, len(self), 2_000):  # documents' texts in batches
            yield from self[a:a + 2_000]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.doc_index, self.paragraph, self.start, self.end, self.spans, self.span_offsets))
