"""Bad input: every case has a test here, a clear message, and loses nothing; the table in docs/bad-input.md is
generated from the CASES below (``QA_UPDATE_DOCS=1 pytest tests/test_bad_input.py -k doc`` rewrites it; the
test fails when it is out of date). Also the security defaults: loopback bind, upload limits, allowed types,
no pickle, no request path reaching the file system unchecked.

Real model, real index files; cases that write work on private copies of the shared index over docs_src/.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from qa.store import local as index_store
from qa.errors import (BadRequest, CorruptFile, DecodeError, EncryptedFile, NoArticleText, NoTextLayer, DocumentNotFound, EmptyQuestion, FileTooLarge, IndexCorrupt, ModelError,
                       QAError, UnsupportedFile)
from tests.sample_files import make_pdf, make_scanned_pdf
from tests.test_crash import assert_consistent, clone, reopen

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "bad-input.md"
MODEL = ROOT / "models" / "multilingual-e5-small"
HANS = "美国放宽英伟达H200芯片对中国出口限制。销售收入的25%需上缴美国政府。"
HANT = "美國政府允許英偉達向中國出售H200晶片。銷售收入的25%需上繳美國政府。"
LATIN = "The H200 has 141GB of memory. Its bandwidth is 4.8TB/s."


@dataclass
class Ctx:
    assistant: object  # the shared, read-only Assistant over the real articles; cases that write use fresh() copies
    embedder: object
    tmp: Path  # everything a case writes stays under here
    n: int = 0

    def fresh(self):  # type: ignore[no-untyped-def]
        """A new Assistant over private copies of the shared docs and index folders (no re-embedding)."""
        self.n += 1
        return clone(self.assistant, self.tmp / f"copy-{self.n}", self.embedder)

    def written_outside(self) -> list[Path]:
        """Files under the test's folder but outside ``tmp``: where an escaping upload would land."""
        root = self.tmp.parent
        return sorted(p for p in root.rglob("*") if p != self.tmp and self.tmp not in p.parents)


@dataclass(frozen=True)
class Case:
    id: str
    group: str
    input: str  # for the table
    outcome: str  # for the table: what happens
    status: int  # the HTTP status an API returns for it (QAError.status), 200 when accepted
    run: Callable[[Ctx], None]


CASES: list[Case] = []


def case(id: str, group: str, input: str, outcome: str, status: int = 200):  # type: ignore[no-untyped-def]
    def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        CASES.append(Case(id, group, input, outcome, status, fn))
        return fn

    return register


def refused(error: type[QAError], match: str, fn: Callable[[], object]) -> QAError:
    with pytest.raises(error, match=match) as info:
        fn()
    assert info.value.status == error.status
    return info.value


def snapshot(a) -> tuple:  # type: ignore[no-untyped-def]
    """Everything an input must not change when it is refused."""
    docs, index = a.settings.docs_dir, a.settings.index_dir
    return (sorted((p.name, p.stat().st_size) for p in docs.iterdir()), (index / "CURRENT").read_text(),
            sorted(a.view.documents), len(a.view.chunks))


def refused_upload(error: type[QAError], match: str, name: str, data: bytes) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        a = ctx.fresh()
        before = snapshot(a)
        outside = ctx.written_outside()
        refused(error, match, lambda: a.add_document(name, data))
        assert snapshot(a) == before  # nothing written, nothing lost
        assert ctx.written_outside() == outside
        assert snapshot(reopen(a)) == before

    return run


def accepted_upload(name: str, data: bytes, text: str | Callable[[str], bool], stored_as: str | None = None) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        a = ctx.fresh()
        outside = ctx.written_outside()
        before_names = {p.name for p in a.settings.docs_dir.iterdir()}
        doc = a.add_document(name, data)
        assert (text(doc.text) if callable(text) else doc.text == text), doc.text[:200]
        assert (a.settings.docs_dir / (stored_as or name)).read_bytes() == data  # the original bytes, unchanged
        assert doc.path == (stored_as or name)
        assert ctx.written_outside() == outside  # nothing landed outside the docs folder
        assert sorted(p.name for p in a.settings.docs_dir.iterdir() if p.name not in before_names) == [stored_as or name]
        assert_consistent(a)
        assert doc.doc_id in reopen(a).view.documents

    return run


def question_case(question: object, check: Callable[[object], None] | None = None, **kw: object) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        r = ctx.assistant.ask(question, **kw)  # type: ignore[attr-defined]
        for p in r.passages:
            assert ctx.assistant.document(p.doc_id).text[p.start : p.end] == p.text  # type: ignore[attr-defined]
        if check:
            check(r)

    return run


def refused_question(error: type[QAError], match: str, question: object, **kw: object) -> Callable[[Ctx], None]:
    return lambda ctx: refused(error, match, lambda: ctx.assistant.ask(question, **kw))  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------------ questions
Q = "Question"
case("q-empty", Q, "empty question `\"\"`", "refused: EmptyQuestion \"the question is empty or has no letters, digits or Chinese characters; type a question\"", 400)(
    refused_question(EmptyQuestion, "empty or has no letters", ""))
case("q-space", Q, "only whitespace (spaces, tabs, newlines, U+3000)", "refused: EmptyQuestion, same message", 400)(
    refused_question(EmptyQuestion, "empty or has no letters", " \t\n\u3000 "))
case("q-long", Q, "20,000-character question", "answered; the question is cut to `max_question_chars` (2,000) first", 200)(
    question_case(("What is the memory bandwidth of the H200? " * 500)[:20_000],
                  lambda r: (len(r.question) <= 2000) or pytest.fail("not cut")))
case("q-control", Q, "control / format characters inside (`\\x00 \\x1b \\x07`, zero-width space, BOM)",
     "answered; each such character becomes a space (the 4.8TB/s passage comes first)", 200)(
    question_case("What\x00 is the\x1b memory\x07\u200bbandwidth of the\ufeff H200?",
                  lambda r: "\x00" not in r.question and "4.8TB/s" in " ".join(p.text for p in r.passages[:2]) or pytest.fail(r.question)))
case("q-only-control", Q, "only control characters `\\x00\\x01\\x7f`", "refused: EmptyQuestion", 400)(
    refused_question(EmptyQuestion, "empty or has no letters", "\x00\x01\x02\x7f"))
case("q-punct", Q, "only punctuation `？！。…!?.,;`", "refused: EmptyQuestion", 400)(
    refused_question(EmptyQuestion, "empty or has no letters", "？！。…!?.,;"))
case("q-emoji", Q, "only emoji `🚀🔥😀👍`", "refused: EmptyQuestion", 400)(
    refused_question(EmptyQuestion, "empty or has no letters", "🚀🔥😀👍"))
case("q-emoji-words", Q, "words with emoji `🚀 H200 memory? 🔥`", "answered (emoji kept, they do no harm)", 200)(
    question_case("🚀 H200 memory? 🔥", lambda r: r.passages or pytest.fail("no passages")))
case("q-mixed", Q, "mixed scripts `H200的memory bandwidth是多少？頻寬`", "answered, detected as Chinese (`language` zh)", 200)(
    question_case("H200的memory bandwidth是多少？頻寬", lambda r: r.language == "zh" or pytest.fail(r.language)))
case("q-other-language", Q, "another language (Russian)", "answered (or abstains with the English message); never an error", 200)(
    question_case("Какова пропускная способность памяти H200?", lambda r: len(r.passages) == 5 or pytest.fail("k")))
case("q-surrogate", Q, "lone UTF-16 surrogate `\\ud800` inside", "answered; the surrogate becomes a space (the model and JSON never see it)", 200)(
    question_case("\ud800 H200 memory bandwidth?", lambda r: "\ud800" not in r.question or pytest.fail("kept")))
case("q-not-text", Q, "not a string (`None`, bytes, a number) through the Python API", "refused: EmptyQuestion \"the question must be text, got …\"", 400)(
    lambda ctx: [refused(EmptyQuestion, "must be text", lambda v=v: ctx.assistant.ask(v)) for v in (None, b"H200", 7)])  # type: ignore[attr-defined]
case("q-k", Q, "`k` of 0, 51, -1, \"5\" or 2.5", "refused: BadRequest \"k must be an integer from 1 to 50, got …\"", 400)(
    lambda ctx: [refused(BadRequest, "k must be", lambda k=k: ctx.assistant.ask("H200", k=k)) for k in (0, 51, -1, "5", 2.5)])  # type: ignore[attr-defined]
case("q-script", Q, "`target_script` \"klingon\"", "refused: BadRequest naming the valid scripts", 400)(
    refused_question(BadRequest, "target_script must be one of", "H200", target_script="klingon"))

# ------------------------------------------------------------------------------------------------ uploads
U = "Upload (`add_document`)"
case("u-utf8-bom", U, "UTF-8 with BOM", "accepted; the BOM is dropped from the text")(
    accepted_upload("bom.txt", b"\xef\xbb\xbf" + HANS.encode(), HANS))
case("u-utf16le", U, "UTF-16 LE with BOM", "accepted")(accepted_upload("u16le.txt", HANT.encode("utf-16"), HANT))
case("u-utf16be", U, "UTF-16 BE with BOM", "accepted")(accepted_upload("u16be.txt", b"\xfe\xff" + HANT.encode("utf-16-be"), HANT))
case("u-utf16-nobom", U, "UTF-16 LE without BOM (Latin text)", "accepted (recognised by the NUL high bytes)")(
    accepted_upload("u16.txt", LATIN.encode("utf-16-le"), LATIN))
case("u-gb18030", U, "GB18030 (简体)", "accepted; decoded to the same text")(accepted_upload("gb.txt", HANS.encode("gb18030"), HANS))
case("u-big5", U, "Big5 (繁體)", "accepted; decoded to the same text")(accepted_upload("big5.txt", HANT.encode("big5"), HANT))
case("u-utf8-cut", U, "UTF-8 cut off inside its last character", "accepted; the incomplete last character is dropped (no mojibake)")(
    accepted_upload("cut.txt", HANS.encode()[:-2], HANS[:-1]))
case("u-binary", U, "binary file named .txt (PNG bytes)", "refused: DecodeError \"looks like a binary file (contains NUL bytes); upload UTF-8, GB18030 or Big5 text\"", 415)(
    refused_upload(DecodeError, "binary file", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4))
case("u-binary-nonul", U, "binary without NUL bytes (control bytes)", "refused: DecodeError \"looks like a binary file (many control characters)\"", 415)(
    refused_upload(DecodeError, "binary file", "ctl.txt", bytes(range(1, 32)) * 40))
case("u-bad-utf16", U, "UTF-16 BOM followed by invalid UTF-16", "refused: DecodeError \"starts with a UTF-16 byte-order mark but is not valid UTF-16\"", 415)(
    refused_upload(DecodeError, "not valid UTF-16", "bad16.txt", b"\xff\xfe\x00\xd8\x00\xd8A"))
case("u-empty", U, "0 bytes", "refused: DecodeError \"the file holds no text\"", 415)(refused_upload(DecodeError, "holds no text", "empty.txt", b""))
case("u-blank", U, "only whitespace", "refused: DecodeError \"the file holds no text\"", 415)(
    refused_upload(DecodeError, "holds no text", "blank.txt", " \n\t\r\n ".encode()))
case("u-too-large", U, "one byte over `max_upload_bytes` (5,000,000)", "refused before decoding: FileTooLarge \"… bytes is over the limit of 5,000,000 bytes\"", 413)(
    refused_upload(FileTooLarge, "over the limit of 5,000,000 bytes", "big.txt", b"a" * 5_000_001))
case("u-html", U, "an HTML page (title, script, style, entities, nested blocks)", "accepted; only the article text (trafilatura) is indexed: the title, then one block per paragraph")(
    accepted_upload("page.html", ("<!doctype html><html><head><title>H200 出口</title><style>p{color:red}</style>"
                                  "<script>alert('x')</script></head><body><div><p>美国允许出口H200&amp;芯片。</p>"
                                  "<p>销售收入的25%上缴。</p></div></body></html>").encode(),
                    "H200 出口\n\n美国允许出口H200&芯片。\n\n销售收入的25%上缴。"))
case("u-html-empty", U, "an HTML page with only a script", "refused: NoArticleText \"no article text found in this web page …\"", 415)(
    refused_upload(NoArticleText, "no article text found", "script.html", b"<html><script>var a = 1;</script></html>"))
case("u-pdf-scan", U, "a PDF without a text layer (a scan), an encrypted PDF, a damaged PDF or .docx",
     "refused: NoTextLayer / EncryptedFile / CorruptFile naming the file and what to do (OCR it, save an unprotected copy, re-export it)", 415)(
    lambda ctx: [refused_upload(error, match, name, data)(ctx) for error, match, name, data in (
        (NoTextLayer, "has a text layer", "scan.pdf", make_scanned_pdf(1)),
        (EncryptedFile, "password-protected", "locked.pdf", make_pdf([["Secret text."]], password="pw")),
        (CorruptFile, "not a readable PDF", "broken.pdf", b"%PDF-1.7\nbroken"),
        (CorruptFile, "not a readable Word", "broken.docx", b"PK\x03\x04broken"))])
case("u-passwd", U, "file name `../../etc/passwd`", "refused: UnsupportedFile (only the bare name `passwd` is considered; it has no allowed suffix); nothing written anywhere", 415)(
    refused_upload(UnsupportedFile, "passwd: unsupported file type", "../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"))
case("u-traversal", U, "file name `../../etc/passwd.txt`", "accepted as `passwd.txt` inside the docs folder; nothing is written outside it")(
    accepted_upload("../../etc/passwd.txt", b"Not a password file. Just text about the H200.", "Not a password file. Just text about the H200.", stored_as="passwd.txt"))
case("u-absolute", U, "file names `/etc/cron.d/job.md`, `..\\..\\win.txt`", "accepted as `job.md` / `win.txt` inside the docs folder")(
    lambda ctx: [accepted_upload(n, b"Plain text.", "Plain text.", stored_as=s)(ctx) for n, s in
                 (("/etc/cron.d/job.md", "job.md"), ("..\\..\\win.txt", "win.txt"))])
case("u-hidden", U, "file name `.hidden.txt`, `.`, `..` or empty", "refused: BadRequest \"file name … is not allowed; use a plain name such as article.txt\"", 400)(
    lambda ctx: [refused_upload(BadRequest, "is not allowed", n, b"text")(ctx) for n in (".hidden.txt", ".", "..", "", "   ")])
case("u-control-name", U, "file name with NUL, newline or RTL-override characters", "refused: BadRequest", 400)(
    lambda ctx: [refused_upload(BadRequest, "not allowed|control characters", n, b"text")(ctx) for n in ("a\x00b.txt", "a\nb.txt", "evil\u202etxt.md")])
case("u-long-name", U, "file name of 300 characters", "refused: BadRequest \"file name … is too long or has control characters\"", 400)(
    refused_upload(BadRequest, "too long", "n" * 296 + ".txt", b"text"))
case("u-not-bytes", U, "`data` as a str (or None) through the Python API", "refused: BadRequest \"note.txt: data must be bytes, got str; read the file in binary mode (open(path, 'rb')) or pass text.encode('utf-8')\"", 400)(
    lambda ctx: [refused_upload(BadRequest, "data must be bytes, got " + kind, "note.txt", data)(ctx)  # type: ignore[arg-type]
                 for kind, data in (("str", "some text"), ("NoneType", None))])
case("u-type", U, "`report.doc`, `run.exe`, `x.py`, `notes` (no suffix)", "refused: UnsupportedFile \"unsupported file type …; accepted: .txt, .md, .markdown, .html, .htm, .pdf, .docx\"", 415)(
    lambda ctx: [refused_upload(UnsupportedFile, "unsupported file type", n, b"%PDF-1.7")(ctx) for n in ("report.doc", "run.exe", "x.py", "notes")])


def _id_clash(ctx: Ctx) -> None:
    a = ctx.fresh()
    a.add_document("memory.md", ("Memory\n" + LATIN).encode())
    before = snapshot(a)
    refused(BadRequest, "already used by memory.md", lambda: a.add_document("memory.txt", b"Another memory article."))
    assert snapshot(a) == before
    assert snapshot(reopen(a)) == before


case("u-id-clash", U, "`memory.txt` while `memory.md` exists (same document id)", "refused: BadRequest \"document id 'memory' is already used by memory.md; …\"", 400)(_id_clash)


def _delete_unknown(ctx: Ctx) -> None:
    a = ctx.fresh()
    before = snapshot(a)
    for doc_id in ("../../etc/passwd", "nope", "memory.md", ""):
        refused(DocumentNotFound, "no document with id", lambda doc_id=doc_id: a.delete_document(doc_id))
    assert snapshot(a) == before


case("u-delete-unknown", U, "delete id `../../etc/passwd`, `memory.md` (a path, not an id) or an unknown id",
     "refused: DocumentNotFound; ids are looked up in the index, never used as paths", 404)(_delete_unknown)


# ------------------------------------------------------------------------------------------------ docs folder
F = "File placed in the docs folder by hand"


def _open_skips(name: str, data: bytes, match: str) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        a = ctx.fresh()
        before = snapshot(a)
        (a.settings.docs_dir / name).write_bytes(data)
        gen = index_store.current_generation(a.settings.index_dir)
        b = reopen(a)  # one bad file once stopped every command and the app from opening the library
        assert [s["file"] for s in b.health()["skipped"]] == [name] and match in b.health()["skipped"][0]["reason"]
        assert index_store.current_generation(a.settings.index_dir) == gen  # the index was not touched
        assert snapshot(b)[1:] == before[1:] and not b.ask("H200的内存带宽是多少？").abstained
        (a.settings.docs_dir / name).unlink()
        assert_consistent(reopen(a))

    return run


case("f-binary", F, "a binary file `photo.txt`", "left out with a warning naming `photo.txt` (`/api/health` and `qa build` list it under `skipped`); the other articles answer; index and folder untouched", 200)(
    _open_skips("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt: looks like a binary file"))
case("f-too-large", F, "a file over `max_upload_bytes`", "left out with a warning naming the file, listed under `skipped`; the other articles answer; index and folder untouched", 200)(
    _open_skips("huge.txt", b"a" * 5_000_001, "huge.txt: 5,000,001 bytes is over the limit"))


def _hidden_ignored(ctx: Ctx) -> None:
    a = ctx.fresh()
    for name, data in ((".draft.txt", b"hidden draft"), (".x.txt.partial", b"half an upload"), ("._memory.md", b"\x00\x05\x16\x07Mac")):
        (a.settings.docs_dir / name).write_bytes(data)
    b = reopen(a)
    assert set(b.view.documents) == set(a.view.documents)
    assert index_store.current_generation(a.settings.index_dir) == index_store.current_generation(b.settings.index_dir)


case("f-hidden", F, "hidden files: `.draft.txt`, `.x.txt.partial` (crashed upload), `._memory.md` (macOS)", "ignored: never documents; a stale `.partial` is removed by the next write")(_hidden_ignored)


def _duplicate_ids(ctx: Ctx) -> None:
    a = ctx.fresh()
    (a.settings.docs_dir / "memory.md").write_text("Memory\n" + LATIN, encoding="utf-8")
    (a.settings.docs_dir / "memory.txt").write_text("Second file, same id.", encoding="utf-8")
    b = reopen(a)
    assert b.view.documents["memory"].path == "memory.md"
    assert_consistent(b)


case("f-dup-id", F, "`memory.txt` next to `memory.md` (one document id)", "the first in sorted order (`memory.md`) is indexed, the other is logged as ignored")(_duplicate_ids)


# ------------------------------------------------------------------------------------------------ index files
I = "Index files"
REBUILD = r"Rebuild it with `python -m qa build --force`|rebuild with `python -m qa build --force`"


def corrupted(damage: Callable[[Path], None], match: str, repair: bool = False) -> Callable[[Ctx], None]:
    """Damage the current generation: load() raises IndexCorrupt with a fix. With ``repair``: Assistant.open rebuilds
    from the docs folder, losing nothing (the same path for every IndexCorrupt; each rebuild re-embeds everything,
    so it is exercised for two kinds of damage, not all)."""

    def run(ctx: Ctx) -> None:
        a = ctx.fresh()
        documents = {d: doc.sha256 for d, doc in a.view.documents.items()}
        folder = sorted(p.name for p in a.settings.docs_dir.iterdir())
        damage(index_store.current_generation(a.settings.index_dir))
        err = refused(IndexCorrupt, match, lambda: index_store.load(a.settings.index_dir))
        assert re.search(REBUILD, str(err)), str(err)
        assert sorted(p.name for p in a.settings.docs_dir.iterdir()) == folder
        if not repair:
            return
        b = reopen(a)  # repairs by rebuilding from the docs folder
        assert {d: doc.sha256 for d, doc in b.view.documents.items()} == documents
        assert_consistent(b)
        assert b.ask("What is the memory bandwidth of the H200?", k=2).passages

    return run


def _truncate(n: int | None) -> Callable[[Path], None]:
    def damage(gen: Path) -> None:
        raw = (gen / "vectors.faiss").read_bytes()
        (gen / "vectors.faiss").write_bytes(raw[: (len(raw) // 2 if n is None else n if n >= 0 else len(raw) + n)])

    return damage


def _edit_manifest(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def damage(gen: Path) -> None:
        m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        out = change(m)
        (gen / "manifest.json").write_text(json.dumps(m if out is None else out), encoding="utf-8")

    return damage


case("i-faiss-truncated", I, "truncated `vectors.faiss` (0 bytes, 20 bytes, half, all but one byte)",
     "`load` raises IndexCorrupt \"… unreadable FAISS file … Rebuild it with `python -m qa build --force`\"; `Assistant.open` rebuilds it from the docs folder", 500)(
    lambda ctx: [corrupted(_truncate(n), "vectors.faiss|FAISS", repair=n is None)(ctx) for n in (0, 20, None, -1)])
case("i-manifest-count", I, "manifest passage count off by one", "IndexCorrupt \"manifest says N passages, chunks.jsonl has M\"; `Assistant.open` rebuilds it", 500)(
    corrupted(_edit_manifest(lambda m: m.update(n_chunks=m["n_chunks"] + 1)), "manifest says", repair=True))
case("i-manifest-docs", I, "manifest lists a document the data lacks", "IndexCorrupt \"documents differ from the manifest\"", 500)(
    corrupted(_edit_manifest(lambda m: m["documents"].update(ghost={"sha256": "0" * 64, "path": "ghost.txt", "title": "g"})), "documents differ"))
case("i-manifest-hash", I, "manifest hash of a document differs from the data", "IndexCorrupt \"document hashes differ from the manifest\"", 500)(
    corrupted(_edit_manifest(lambda m: next(iter(m["documents"].values())).update(sha256="f" * 64)), "hashes differ"))
case("i-manifest-dim", I, "manifest vector dimension wrong", "IndexCorrupt (FAISS / vectors shape mismatch)", 500)(
    corrupted(_edit_manifest(lambda m: m.update(dim=512)), "dimension|shape"))
case("i-manifest-json", I, "manifest not JSON, or a JSON list", "IndexCorrupt \"index manifest … is unreadable / is not a JSON object\"", 500)(
    lambda ctx: [corrupted(d, "unreadable|not a JSON object")(ctx) for d in
                 (lambda g: (g / "manifest.json").write_text("{not json", encoding="utf-8"), _edit_manifest(lambda m: [m]))])
case("i-offsets", I, "passage offsets that do not match the document text", "IndexCorrupt \"a passage's offsets do not match its document\"", 500)(
    corrupted(lambda g: (g / "chunks.jsonl").write_text(
        "".join(json.dumps(dict(json.loads(line), start=json.loads(line)["start"] + 1), ensure_ascii=False) + "\n"
                for line in (g / "chunks.jsonl").read_text(encoding="utf-8").splitlines()), encoding="utf-8"), "offsets do not match"))
case("i-pickle", I, "`vectors.npy` replaced by a pickled object array", "never unpickled (`allow_pickle=False`): IndexCorrupt", 500)(
    corrupted(lambda g: np.save(g / "vectors.npy", np.array([{"evil": 1}], dtype=object), allow_pickle=True), "pickle|Object arrays"))


def _pointer(value: str) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        a = ctx.fresh()
        (a.settings.index_dir / "CURRENT").write_text(value, encoding="utf-8")
        err = refused(IndexCorrupt, "not a generation folder|unreadable", lambda: index_store.load(a.settings.index_dir))
        assert re.search(REBUILD, str(err)), str(err)

    return run


case("i-pointer", I, "`CURRENT` naming `../../etc` or a missing generation", "IndexCorrupt (never followed outside the index folder)", 500)(
    lambda ctx: [_pointer(v)(ctx) for v in ("../../etc", "gen-0000000000000000")])


# ------------------------------------------------------------------------------------------------ model folder
M = "Model folder"


def _model_missing(missing: str) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        from qa.encoder.embedder import Embedder

        copy = ctx.tmp / "model"
        shutil.copytree(MODEL, copy, copy_function=_link_or_copy)  # a copy: hard links where possible
        (copy / missing).unlink()
        err = refused(ModelError, re.escape(missing), lambda: Embedder.load(str(copy)))
        assert "python -m qa model" in str(err)  # says how to rebuild it
        assert (MODEL / missing).is_file()  # the original is intact

    return run


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


for _missing in ("config.json", "modules.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
                 "config_sentence_transformers.json"):
    case(f"m-{_missing.replace('/', '-')}", M, f"a copy of the model folder without `{_missing}`",
         "ModelError \"model folder … is missing " + _missing + "; delete the folder and run `python -m qa model` …\" (checked before loading)", 500)(
        _model_missing(_missing))


# ------------------------------------------------------------------------------------------------ the tests
@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_bad_input(c: Case, assistant, embedder, tmp_path):  # type: ignore[no-untyped-def]
    c.run(Ctx(assistant, embedder, tmp_path / "work"))


def render() -> str:
    lines = [
        "# Bad input: what happens",
        "",
        "Generated from `CASES` in `tests/test_bad_input.py`, where every row is a test (`pytest tests/test_bad_input.py`).",
        "Regenerate after changing a case: `QA_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_bad_input.py -k doc`.",
        "",
        "In every refused case nothing is written and nothing is lost: the docs folder, the index generation and the",
        "document set are unchanged (checked again after a restart). Errors are `qa.errors` types; *HTTP* is the",
        "status an API returns for them (`QAError.status`).",
        "",
        "Every damaged index raises `IndexCorrupt` with the fix (`python -m qa build --force`) from `qa.store.local.load`, and",
        "`Assistant.open` then rebuilds it from the docs folder, the source of truth, losing nothing (the rebuild is",
        "exercised for the truncated FAISS file and the manifest count; it is one code path for every `IndexCorrupt`).",
        "An index built by another model is rebuilt too, never mixed (`tests/test_index.py`).",
    ]
    for group in dict.fromkeys(c.group for c in CASES):
        lines += ["", f"## {group}", "", "| Input | What happens | HTTP |", "|---|---|---|"]
        for c in CASES:
            if c.group == group:
                lines.append(f"| {c.input.replace('|', '&#124;')} | {c.outcome.replace('|', '&#124;')} | {c.status} |")
    return "\n".join(lines) + "\n"


def test_bad_input_doc_is_up_to_date():
    text = render()
    if os.environ.get("QA_UPDATE_DOCS"):
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
    assert DOC.is_file() and DOC.read_text(encoding="utf-8") == text, (
        "docs/bad-input.md is out of date: run QA_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/test_bad_input.py -k doc")


def test_every_case_has_an_http_status_that_matches_its_error():
    for c in CASES:
        assert c.status in (200, 400, 404, 413, 415, 500), c.id


# ------------------------------------------------------------------------------------------------ security defaults
def test_server_listens_on_loopback_by_default():
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--help"], capture_output=True, text=True, timeout=120,
                         cwd=str(ROOT))
    assert out.returncode == 0, out.stderr
    assert re.search(r"--host.*127\.0\.0\.1", " ".join(out.stdout.split())), out.stdout


def test_upload_limit_and_allowed_types_are_defaults():
    from qa.ingest import SUPPORTED_SUFFIXES
    from qa.settings import Settings

    assert Settings.load().max_upload_bytes == 5_000_000 or os.environ.get("QA_MAX_UPLOAD_BYTES")
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}


def test_no_pickle_anywhere():
    """No pickle, joblib or torch.load in the code; every np.load says allow_pickle=False (numpy's default, made
    explicit so a changed default or a copied snippet cannot turn it on)."""
    sources = [p for d in ("qa", "scripts") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    problems = []
    for p in sources:
        lines = p.read_text(encoding="utf-8").splitlines()
        code = "\n".join("" if line.lstrip().startswith("#") else line for line in lines)
        where = f"{p.relative_to(ROOT)}:"
        for m in re.finditer(r"^\s*(import|from)\s+(c?pickle|dill|joblib|shelve)\b", code, re.M):
            problems.append(f"{where}{code.count(chr(10), 0, m.start()) + 1}: imports {m.group(2)}")
        for m in re.finditer(r"\btorch\.load\(|allow_pickle\s*=\s*True", code):
            problems.append(f"{where}{code.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
        for m in re.finditer(r"\bnp\.load\(", code):
            if "allow_pickle=False" not in _call_args(code, m.end()):
                problems.append(f"{where}{code.count(chr(10), 0, m.start()) + 1}: np.load without allow_pickle=False")
    assert not problems, "\n".join(problems)
    from scipy.sparse import _matrix_io  # the keyword index's load_npz

    assert _matrix_io.PICKLE_KWARGS == {"allow_pickle": False}


def _call_args(code: str, start: int) -> str:
    """The argument text of a call whose "(" ends just before ``start``."""
    depth = 1
    for i in range(start, len(code)):
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        if depth == 0:
            return code[start:i]
    return code[start:]


def test_document_ids_and_paths_never_reach_the_file_system_unchecked(assistant, embedder, tmp_path):
    """Uploads go through safe_filename; deletes and lookups use ids from the index, and the path stored with
    a document is always a bare name inside the docs folder."""
    a = clone(assistant, tmp_path, embedder)
    for d in a.view.documents.values():
        assert "/" not in d.path and "\\" not in d.path and not d.path.startswith(".")
        assert (a.settings.docs_dir / d.path).resolve().parent == a.settings.docs_dir.resolve()
    for bad in ("../h200-export-signal-euronews.zh-hans", "/etc/passwd", "x/../../y", "x\x00", "h200-export-signal-euronews.zh-hans.txt"):
        refused(DocumentNotFound, "no document", lambda bad=bad: a.delete_document(bad))
        refused(DocumentNotFound, "no document", lambda bad=bad: a.document(bad))


def test_http_requests_never_reach_the_file_system_unchecked(assistant, embedder, tmp_path):
    """Through the HTTP API: an upload's file name is reduced to a bare safe name inside the docs folder, a path in a
    document id is just an unknown id, and an oversized upload is refused before it is read into the index."""
    from fastapi.testclient import TestClient

    from qa.api import create_app

    a = clone(assistant, tmp_path / "api", embedder)
    ids = set(a.view.documents)
    client = TestClient(create_app(a, with_ui=False))
    outside = sorted(p for p in tmp_path.rglob("*") if (tmp_path / "api") not in p.parents)

    r = client.post("/api/documents", files={"file": ("../../escape.txt", "Escape attempt about the H200.".encode(), "text/plain")})
    assert r.status_code == 201, r.text
    assert (a.settings.docs_dir / "escape.txt").is_file()
    r = client.post("/api/documents", files={"file": ("../../etc/passwd", b"root:x:0:0", "text/plain")})
    assert r.status_code == 415 and "unsupported file type" in r.json()["error"]
    r = client.post("/api/documents", files={"file": ("big.txt", b"a" * (a.settings.max_upload_bytes + 1), "text/plain")})
    assert r.status_code == 413
    for doc_id in ("..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "h200-export-signal-euronews.zh-hans.txt"):
        assert client.delete(f"/api/documents/{doc_id}").status_code == 404
        assert client.get(f"/api/documents/{doc_id}").status_code == 404
    assert sorted(p for p in tmp_path.rglob("*") if (tmp_path / "api") not in p.parents) == outside
    assert set(reopen(a).view.documents) == ids | {"escape"}
