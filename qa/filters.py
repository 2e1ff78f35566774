"""Which documents a question may cite: a date range, sources and document ids, turned into the store rows the
search is restricted to (inside the dense, keyword and latent searches, so k passages come back whenever k exist).

Documents without a date are left out as soon as a date bound is set: "since October" cannot be said of an
article whose date is unknown, and citing it would break the promise that every citation lies in the range. The answer says how many were left out
that way (``restrict``, ``Answer.undated_left_out``), so the reader knows to ask again without dates.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .errors import BadDate, BadRequest
from .messages import asker_lang, no_match_text, t
from .records import Document, DocumentSummary
from .store import StoreView
from .text.script import to_simplified

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    """What ``Assistant.ask`` may cite. Empty fields do not restrict; a set field must match.

    ``date_from``/``date_to``: inclusive, YYYY-MM-DD. ``sources``: publisher or site names, compared without
    case and surrounding spaces. ``doc_ids``: document ids.
    """

    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.sources or self.doc_ids)

    def admits(self, doc: Document | DocumentSummary) -> bool:
        """Whether ``doc`` may be cited under these filters."""
        return self._admits_names(doc) and self._admits_date(doc)

    def left_out_undated(self, doc: Document | DocumentSummary) -> bool:
        """Whether ``doc`` is left out only because it has no date: every filter but the date range admits it.

        Derived from ``admits``'s date rule rather than restating it, so the count an answer reports cannot
        drift from what the search actually excluded."""
        return not doc.date and self._admits_names(doc) and not self._admits_date(doc)

    def _admits_names(self, doc: Document | DocumentSummary) -> bool:
        if self.doc_ids and doc.doc_id not in self.doc_ids:
            return False
        return not self.sources or _fold(doc.source or "") in {_fold(s) for s in self.sources}

    def _admits_date(self, doc: Document | DocumentSummary) -> bool:
        if self.date_from or self.date_to:
            if not doc.date:  # undated: excluded under any date bound (module docstring)
                return False
            if self.date_from and doc.date < self.date_from:
                return False
            if self.date_to and doc.date > self.date_to:
                return False
        return True

    def to_dict(self) -> dict:
        return {"date_from": self.date_from, "date_to": self.date_to, "sources": list(self.sources),
                "doc_ids": list(self.doc_ids)}


def no_match_message(filters: Filters, language: str, script: str) -> str:
    """Why ``filters`` left no document to search, in the question's language (``messages.no_match_text``).

    >>> no_match_message(Filters(sources=("本報",)), "en", "latin")
    "No document matches the filters (sources). Pick other sources (`qa docs` and GET /api/documents list each document's)."
    """
    return no_match_text(filters.to_dict(), asker_lang(language, script))


def _fold(text: str) -> str:
    """A source name as it is compared: without case, width, surrounding or repeated spaces, or script (a tester's
    `--source 新華社` matched nothing where the articles write 新华社, though questions match across scripts)."""
    return " ".join(to_simplified(unicodedata.normalize("NFKC", text)).split()).casefold()


def parse_date(value: object, field: str) -> str | None:
    """``value`` as YYYY-MM-DD, or None when empty.

    Raises:
        BadDate: not a real calendar date written YYYY-MM-DD (the message names the field and the value).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, _dt.datetime):  # a date too, but its isoformat carries the time: 2025-12-10T00:00:00
        return value.date().isoformat()  # sorted after 2025-12-10, so date_from left that day's articles out
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        if not _ISO.match(text):
            raise ValueError
        return _dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadDate(f"{field} must be a date written YYYY-MM-DD, such as 2025-10-01; got {text[:40]!r}",
                      field=field, value=text[:40]) from None


def make_filters(date_from: object = None, date_to: object = None, sources: Iterable[str] | str | None = None,
                 doc_ids: Iterable[str] | str | None = None) -> Filters:
    """Validated filters from what a surface received (strings, lists, None).

    Raises:
        BadDate: a date is not YYYY-MM-DD, or ``date_from`` is after ``date_to``.
        BadRequest: ``sources`` or ``doc_ids`` is not a name or an iterable of names.
    """
    start, end = parse_date(date_from, "date_from"), parse_date(date_to, "date_to")
    if start and end and start > end:
        raise BadDate(t("error.BadDateOrder", "en", field="date_from", value=start, end_field="date_to", end=end),
                      field="date_from", value=start, key="error.BadDateOrder", end_field="date_to", end=end)
    return Filters(start, end, _names(sources, "sources"), _names(doc_ids, "doc_ids"))


def _names(values: object, field: str) -> tuple[str, ...]:
    """``values`` (a name or names; blank ones are no filter) as a tuple of distinct stripped names.

    A value that is not text is refused: dropping it left the filter empty, and an empty filter searches
    everything, the opposite of what was asked."""
    if values is None:
        return ()
    items = [values] if isinstance(values, (str, bytes)) or not isinstance(values, Iterable) else list(values)
    for v in items:
        if not isinstance(v, str):
            raise BadRequest.keyed("filters.bad_names", field=field, value=repr(v)[:80])
    return tuple(dict.fromkeys(v.strip() for v in items if v.strip()))


def allowed_rows(view: StoreView, filters: Filters | None) -> np.ndarray | None:
    """The sorted rows (int64) the search may return under ``filters``; None when nothing is filtered."""
    return restrict(view, filters)[0]


def restrict(view: StoreView, filters: Filters | None) -> tuple[np.ndarray | None, int]:
    """``allowed_rows``, and how many documents the date range left out only for having no date.

    The count is what an answer tells its reader (``Answer.undated_left_out``): an undated article holding the
    answer otherwise vanishes without a word. One pass over the library serves both.
    """
    if filters is None or not filters.active:
        return None, 0
    # summaries, not documents: a Milvus view would fetch every article's text to build them
    docs = {d.doc_id: d for d in view.document_summaries()}
    present = [docs[doc_id] for doc_id in (filters.doc_ids or tuple(docs)) if doc_id in docs]
    rows = [r for doc in present if filters.admits(doc) for r in view.chunk_rows(doc.doc_id)]
    undated = sum(filters.left_out_undated(doc) for doc in present)
    return np.asarray(sorted(rows), dtype=np.int64), undated


def sources(documents: Iterable[Document | DocumentSummary]) -> list[str]:
    """The distinct sources of ``documents``, sorted (what a source picker offers)."""
    return sorted({d.source.strip() for d in documents if d.source and d.source.strip()}, key=_fold)


class AllowedView:
    """``view`` as abstention must read it under filters: a word, code or name counts as written only where an
    allowed passage writes it. Read library-wide, "H200 的带宽？" limited to two articles that never name the H200
    was answered from them at confidence 0.72, since other articles know the code; unfiltered it is refused.
    Everything but the vocabulary is the view's own."""

    def __init__(self, view: StoreView, rows: np.ndarray) -> None:
        self._view, self._rows = view, rows

    def term_idf(self, term: str) -> float:
        return self._view.term_idf(term) if self._view.keyword_search({term: 1.0}, 1, self._rows) else 0.0

    def filtered_out(self, term: str) -> bool:
        return self._view.term_idf(term) > 0 and self.term_idf(term) == 0

    def keyword_search(self, terms: dict[str, float], n: int, rows: np.ndarray | None = None) -> dict[int, float]:
        allowed = self._rows if rows is None else np.intersect1d(rows, self._rows)
        return self._view.keyword_search(terms, n, allowed)

    def __getattr__(self, name: str) -> object:
        return getattr(self._view, name)


def evidence_view(view: StoreView, rows: np.ndarray | None) -> StoreView:
    """The view abstention reads: ``view`` itself, or under filters (``rows``) only what the allowed passages write."""
    return view if rows is None else AllowedView(view, rows)  # type: ignore[return-value]
