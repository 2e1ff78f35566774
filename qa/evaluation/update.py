"""`qa bench update`: the cost of adding and deleting one article in an index of ~N paragraphs, beside a rebuild.

An index of ``paragraphs`` files (SQuAD paragraphs written as .txt articles, with 繁體 copies where the files hold too few) is built once in a temporary
folder (passage embeddings cached in the cache dir, so only the first run pays for them). Then, in the same
run: add one new article (chunked and embedded for real, no cache), delete it again, and for reference a
forced rebuild of everything from cached embeddings (what an upload cost before updates were incremental:
every passage re-tokenised and the snapshot rebuilt).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ..settings import Settings
from ..text.script import convert_script
from .squad import load_squad

ARTICLE = ("台积电亚利桑那工厂扩产\n台积电周二表示，其位于美国亚利桑那州的第二座晶圆厂将于2027年开始量产三纳米芯片。"
           "该公司还计划在当地兴建先进封装厂，以满足人工智能芯片的需求。分析人士认为，此举有助于缓解美国客户对供应链的担忧。\n"
           "TSMC said on Tuesday that its second Arizona fab will start volume production of 3-nanometre chips in 2027.")


def measure_update(settings: Settings, contexts: list[Path], paragraphs: int = 1000) -> dict:
    from ..assistant import Assistant
    from ..encoder import load_encoder
    from ..encoder.wrappers import CachingEncoder, CountingEncoder

    texts = [d.text for path in contexts for d in load_squad(path)[0]]
    # too few? add 繁體 copies of the paragraphs (news sites publish both scripts): a different text to index
    seen = set(texts)
    texts += [t for t in (convert_script(t, "traditional") for t in texts) if t not in seen]
    docs = texts[:paragraphs]
    with tempfile.TemporaryDirectory(prefix="qa-bench-update-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i, text in enumerate(docs):
            (folder / f"p{i:05d}.txt").write_text(text, encoding="utf-8")
        settings = settings.replace(docs_dir=str(folder), index_dir=str(Path(tmp) / "index"))
        inner = load_encoder(settings)
        t0 = time.perf_counter()
        cached = Assistant.open(settings, encoder=CachingEncoder(inner, settings.cache_dir))
        build_s = time.perf_counter() - t0
        counting = CountingEncoder(inner)
        a = Assistant(settings, counting, cached.store, cached.view)
        a.ask("预热")  # jieba, OpenCC and the question engine load outside the timings
        t0 = time.perf_counter()
        a.add_document("tsmc-arizona.txt", ARTICLE.encode("utf-8"))
        add_s = time.perf_counter() - t0
        embedded, embed_s = counting.texts, counting.seconds
        found = a.ask("台积电亚利桑那第二座工厂哪一年量产？").passages[0].doc_id == "tsmc-arizona"
        t0 = time.perf_counter()
        a.delete_document("tsmc-arizona")
        delete_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cached.build(force=True)  # everything again, embeddings from the cache
        rebuild_s = time.perf_counter() - t0
    return {"paragraphs": len(docs), "passages": len(a.view.chunks), "first_build_s": round(build_s, 2),
            "add_s": round(add_s, 2), "add_embedded_texts": embedded, "add_embed_s": round(embed_s, 2),
            "added_article_found": found, "delete_s": round(delete_s, 2),
            "rebuild_from_cached_embeddings_s": round(rebuild_s, 2), "add_vs_rebuild": round(add_s / rebuild_s, 3)}
