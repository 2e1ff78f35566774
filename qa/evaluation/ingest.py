"""`qa bench ingest`: index from scratch into a temporary folder, time every stage, beside two references.

References, measured in the same run on the same passages: bare sentence-transformers ``encode()`` (what a user
would write instead of this product: vectors only, no sentence vectors, latent terms, keyword index or
crash-safe commit) and a ceiling from the machine's measured matrix-multiply rate and the model's FLOPs per
passage (from each passage's token count). Numbers on a shared machine are noisy: compare the ratios.
"""
from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from ..errors import BadRequest
from ..settings import Settings

STAGES = ("read", "chunk", "embed", "keyword", "write")
ST_DEFAULT_BATCH = 32  # SentenceTransformer.encode's batch_size when a user does not give one


def read_documents(settings: Settings, path: Path | None) -> list:  # type: ignore[type-arg]
    """The documents of ``path``: a folder of articles (default: the docs folder) or a SQuAD-format JSON file."""
    from ..build import source_documents
    from .squad import load_squad

    if path is not None and Path(path).is_file():
        return load_squad(Path(path))[0]
    if path is not None and not Path(path).is_dir():
        # it timed nothing and said so as a full report of zeros, with success
        raise BadRequest(f"{path}: no such file or folder; give a folder of articles or a SQuAD-format JSON file")
    folder = Path(path) if path is not None else settings.docs_dir
    documents = source_documents(settings.replace(docs_dir=str(folder)))
    if not documents:
        raise BadRequest(f"{folder}: no articles to index (.pdf, .docx, .html, .md or .txt); nothing to time")
    return documents


def bench_ingest(settings: Settings, path: Path | None = None, *, limit: int | None = None,
                 references: bool = True, encoder: object | None = None) -> dict:
    """Build an index of ``path`` from scratch in a temporary folder, as `qa build` does, timing each stage.

    Args:
        settings: the product's settings (device, sentence_vectors, embed_batch, threads apply).
        path: a folder of articles or a SQuAD JSON file; None = the docs folder.
        limit: index only the first ``limit`` documents.
        references: also time bare sentence-transformers encode() and the matmul ceiling.
        encoder: an already loaded encoder (tests); else the settings' model is loaded.
    Returns:
        A JSON-able dict; see README "Ingest throughput" for the keys.
    """
    from ..build import encode_documents, manifest_for
    from ..chunk import ChunkParams, chunk_document
    from ..text.script import to_simplified
    from ..encoder import load_encoder
    from ..store.local import save
    from ..store.snapshot import Snapshot, VectorParams

    timings: dict[str, float] = {}
    t = time.perf_counter()
    # first: a missing or empty folder is an error at once, not after the model's ten seconds of loading
    docs = read_documents(settings, path)
    docs = docs[:limit] if limit else docs
    timings["read"] = time.perf_counter() - t
    encoder = encoder or load_encoder(settings)
    t = time.perf_counter()
    model = encoder.model  # type: ignore[attr-defined]  # torch and the model load outside the timings
    model_load_s = time.perf_counter() - t
    encoder.embed_passages(["预热 warm-up passage."])  # first-call costs (kernels, allocator) outside the timings
    from ..store.bm25 import KeywordIndex

    KeywordIndex.build(["预热 warm-up"])  # jieba's dictionary loads once per process, like the model: not timed
    params = ChunkParams.from_settings(settings)
    texts = [to_simplified(c.text) for d in docs for c in chunk_document(d, params)]  # what the product embeds
    # bare encode() as a user calls it (its default batch) and at the product's own batch size, each timed before
    # and after the ingest: load drifting on a shared box averages out
    batches = {"": ST_DEFAULT_BATCH, "_same_batch": encoder.batch_size()}  # type: ignore[attr-defined]
    st: dict[str, list[tuple[float, float]]] = {key: [] for key in batches}

    def time_references() -> None:
        if references and texts:
            for key, batch in batches.items():
                st[key].append(st_encode_seconds(model, texts, batch_size=batch))

    time_references()
    cpu0 = time.process_time()
    encoded = encode_documents(docs, encoder, params, timings=timings, progress=False)
    with tempfile.TemporaryDirectory(prefix="qa-bench-ingest-") as tmp:
        t = time.perf_counter()
        manifest = manifest_for(encoder, params, None)
        snapshot = Snapshot.create(manifest, encoded, encoder.dim, encoder.latent_features,
                                   VectorParams(settings.vector_backend, settings.vector_approx_threshold))
        timings["keyword"] = time.perf_counter() - t  # BM25 tokenisation and counts, plus the vector index fill
        t = time.perf_counter()
        save(snapshot, Path(tmp) / "index")
        timings["write"] = time.perf_counter() - t
    ingest_cpu = time.process_time() - cpu0
    time_references()
    passages = sum(len(e.chunks) for e in encoded)
    sentences = sum(len(e.sentences) for e in encoded)
    total = sum(timings.values())
    build = total - timings["read"]
    import torch

    result: dict = {
        "source": str(path) if path is not None else str(settings.docs_dir), "documents": len(docs),
        "passages": passages, "sentences": sentences, "device": encoder.device,  # type: ignore[attr-defined]
        "precision": encoder.resolved_precision(), "sentence_vectors": settings.sentence_vectors,  # type: ignore[attr-defined]
        "threads": torch.get_num_threads(), "embed_batch": encoder.batch_size(), "embed_tokens": encoder.batch_tokens(),  # type: ignore[attr-defined]
        "seconds": {k: round(timings.get(k, 0.0), 3) for k in STAGES}, "total_s": round(total, 2),
        # documents in memory -> committed index (chunk, embed, keyword, write): what the references also start from
        "passages_per_s": round(passages / build, 1) if build else None,
        "texts_per_s": round((passages + sentences) / build, 1) if build else None,
        "passages_per_s_with_read": round(passages / total, 1) if total else None,
        "embed_passages_per_s": round(passages / timings["embed"], 1) if timings.get("embed") else None,
        "ingest_cpu_s": round(ingest_cpu, 2), "model_load_s": round(model_load_s, 2), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
    }
    for key, runs in st.items():
        if not runs:
            continue
        st_wall, st_cpu = sum(w for w, _ in runs) / len(runs), sum(c for _, c in runs) / len(runs)
        result |= {f"st_encode{key}_batch": batches[key],
                   f"st_encode{key}_s": round(st_wall, 2), f"st_encode{key}_passages_per_s": round(passages / st_wall, 1),
                   f"ratio_vs_st{key}": round(st_wall / build, 3),
                   # CPU seconds: what each did, less sensitive than wall time to what else the machine runs
                   f"ratio_vs_st{key}_cpu": round(st_cpu / ingest_cpu, 3) if ingest_cpu else None}
    if references and texts:
        result |= ceiling_for(model, texts, encoder.device, result["precision"])  # type: ignore[attr-defined]
        result["share_of_ceiling"] = round(result["passages_per_s"] / result["ceiling_passages_per_s"], 3)
        result["embed_share_of_ceiling"] = round(result["embed_passages_per_s"] / result["ceiling_passages_per_s"], 3)
    return result


def st_encode_seconds(model: object, texts: list[str], *, batch_size: int = 32) -> tuple[float, float]:
    """(wall, CPU) seconds of bare ``SentenceTransformer.encode`` of ``texts``: fp32, its defaults but the batch size.

    Called outside any autocast: the model's own fp32, as a user gets it.
    """
    t, c = time.perf_counter(), time.process_time()
    model.encode(texts, prompt_name="document", batch_size=batch_size, normalize_embeddings=True,  # type: ignore[attr-defined]
                 convert_to_numpy=True)
    return time.perf_counter() - t, time.process_time() - c


def ceiling_for(model: object, texts: list[str], device: str, precision: str = "fp32") -> dict:
    """passages/s if the model's matrix products ran at this machine's measured matmul rate and nothing else ran.

    The rate is measured in the arithmetic passages are embedded with (bf16 where the hardware has it): a
    ceiling in fp32 would be beaten by bf16 without meaning anything.
    """
    tokens = [len(ids) for ids in model.tokenizer(["passage: " + t for t in texts])["input_ids"]]  # type: ignore[attr-defined]
    config = model[0].auto_model.config  # type: ignore[index]
    flops = sum(forward_flops(n, config.hidden_size, config.intermediate_size, config.num_hidden_layers) for n in tokens)
    gflops = matmul_gflops(device, config.hidden_size, config.intermediate_size, precision=precision)
    return {"tokens_per_passage": round(sum(tokens) / len(tokens), 1), "gflop_per_passage": round(flops / len(texts) / 1e9, 4),
            "matmul_gflops": round(gflops, 1), "matmul_precision": precision, "ceiling_passages_per_s": round(gflops * 1e9 / (flops / len(texts)), 1)}


def forward_flops(tokens: int, hidden: int, ff: int, layers: int) -> float:
    """Multiply-add FLOPs (2 per MAC) of one encoder forward pass over ``tokens`` tokens: the four attention
    projections, the two feed-forward matrices and the attention scores and mixing. Latent terms, pooling,
    LayerNorm and softmax are not counted: the ceiling is the model's own matrix work."""
    per_layer = 2 * tokens * (4 * hidden * hidden + 2 * hidden * ff) + 2 * 2 * tokens * tokens * hidden
    return float(layers * per_layer)


def matmul_gflops(device: str, hidden: int, ff: int, rows: int = 4096, seconds: float = 1.5, *,
                  precision: str = "fp32") -> float:
    """Best sustained GFLOP/s of the model's own matrix shape (tokens x hidden @ hidden x ff) here, in fp32 or bf16."""
    import torch

    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    a = torch.randn(rows, hidden, device=device, dtype=dtype)
    b = torch.randn(hidden, ff, device=device, dtype=dtype)
    flop = 2.0 * rows * hidden * ff
    best = 0.0
    with torch.inference_mode():
        torch.matmul(a, b)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if device == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
            for _ in range(5):
                torch.matmul(a, b)
            if device == "cuda":
                torch.cuda.synchronize()
            best = max(best, 5 * flop / (time.perf_counter() - t) / 1e9)
    return best


def format_ingest(r: dict) -> str:
    """The table `qa bench ingest` prints."""
    lines = [f"ingest of {r['source']}: {r['documents']} documents -> {r['passages']} passages + {r['sentences']} sentences "
             f"on {r['device']} ({r['precision']}, {r['threads']} threads, {r['cpus']} CPUs, batches of "
             f"{str(r['embed_tokens']) + ' tokens' if r.get('embed_tokens') else str(r['embed_batch']) + ' texts'}), "
             f"sentence vectors {r['sentence_vectors']}",
             "", "| stage | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in r["seconds"].items()]
    lines += [f"| total | {r['total_s']:.2f} |", "",
              f"passages/s {r['passages_per_s']} from documents to a committed index (texts/s {r['texts_per_s']}; with the read "
              f"stage {r['passages_per_s_with_read']}; embed stage alone {r['embed_passages_per_s']}); "
              f"peak RSS {r['peak_rss_mb']} MB"]
    if "st_encode_passages_per_s" in r:
        lines += [f"bare sentence-transformers encode() (mean of one run before and one after), its default batch of "
                  f"{r['st_encode_batch']}: {r['st_encode_passages_per_s']} passages/s -> ratio {r['ratio_vs_st']} (of CPU seconds: "
                  f"{r['ratio_vs_st_cpu']}); at the product's batch of {r['st_encode_same_batch_batch']}: "
                  f"{r['st_encode_same_batch_passages_per_s']} passages/s -> ratio {r['ratio_vs_st_same_batch']}",
                  f"ceiling: {r['matmul_gflops']} GFLOP/s {r['matmul_precision']} matmul / {r['gflop_per_passage']} GFLOP per passage "
                  f"({r['tokens_per_passage']} tokens) = {r['ceiling_passages_per_s']} passages/s -> share {r['share_of_ceiling']} "
                  f"(embed stage {r['embed_share_of_ceiling']})"]
    return "\n".join(lines)
