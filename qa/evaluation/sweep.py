"""`qa bench sweep`: the product's retrieval under many settings on one SQuAD-format set, embedded once.

Every configuration is the real search path (``Assistant.with_settings``): a sweep measures the product, never a
re-implementation of its ranking. Named ablations switch channels off one at a time; ``--grid`` crosses any
settings. ``halves`` also reports each half of the paragraphs (they come in article order, so mostly whole
articles): a setting is only worth keeping if it helps on both.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from ..settings import Settings
from .squad import SquadQuestion, load_squad, mixed_parts, run_squad, squad_assistant

NO_LATENT = {"latent_share_zh": 0.0, "latent_share_other": 0.0}
NO_KEYWORD = {"keyword_weight_zh": 0.0, "keyword_weight_other": 0.0}
ABLATIONS: dict[str, dict[str, object]] = {
    "dense passage": {**NO_KEYWORD, "sentence_share": 0.0, **NO_LATENT},
    "+ best sentence": {**NO_KEYWORD, **NO_LATENT},
    "+ keyword (no dictionary)": {"translate_terms": 0, **NO_LATENT},
    "+ CC-CEDICT for English": dict(NO_LATENT),
    "product (+ latent terms)": {},
    "product without keyword": dict(NO_KEYWORD),
    "latent terms only": {**NO_KEYWORD, "sentence_share": 0.0, "latent_share_zh": 1.0, "latent_share_other": 1.0},
    "keyword only": {"keyword_weight_zh": 1.0, "keyword_weight_other": 1.0, "sentence_share": 0.0, **NO_LATENT},
}


def grid(axes: dict[str, list[str]]) -> Iterator[dict[str, str]]:
    """Every combination of the axes' values: {"a": ["1", "2"], "b": ["x"]} -> {a: 1, b: x}, {a: 2, b: x}."""
    names = list(axes)
    for values in itertools.product(*(axes[n] for n in names)):
        yield dict(zip(names, values))


def halves(questions: list[SquadQuestion], n_docs: int) -> list[list[SquadQuestion]]:
    """Questions of the first and of the second half of the paragraphs."""
    first = [q for q in questions if int(q.doc_id[1:]) * 2 < n_docs]
    return [first, [q for q in questions if int(q.doc_id[1:]) * 2 >= n_docs]]


def sweep(settings: Settings, contexts, questions=None, *, configs: dict[str, dict[str, object]],  # type: ignore[no-untyped-def]
          query_script: str | None = None, corpus_script: str | None = None, mix_contexts=None, k: int = 10,
          limit: int | None = None, split: bool = False, progress: bool = False,
          whole_articles: bool = False) -> Iterator[dict]:
    """One result row per configuration: its name, the settings it changed and `qa bench squad`'s metrics."""
    settings.checked_k(k)
    docs, qs = load_squad(contexts, questions, query_script=query_script, corpus_script=corpus_script,
                          mix_contexts=mix_contexts, require_questions=True, whole_articles=whole_articles)
    qs = qs[:limit] if limit else qs
    base, facts = squad_assistant(settings, docs, progress=progress)
    for name, changes in configs.items():
        assistant = base.with_settings(**changes)
        row = {"config": name, "changes": changes, **run_squad(assistant, qs, k=k), "passages": facts["passages"]}
        if mix_contexts:
            row |= mixed_parts(assistant, qs, k=k)
        if split:
            row["halves"] = [run_squad(assistant, part, k=k) for part in halves(qs, len(docs))]
        yield row
