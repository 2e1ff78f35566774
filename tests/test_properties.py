"""Property-based tests (hypothesis): arbitrary text never breaks question handling, chunking, decoding or
file-name checks. Example counts are modest so the suite stays fast; raise them with QA_HYPOTHESIS_EXAMPLES.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from qa.assistant import clean_question, safe_filename
from qa.chunk import ChunkParams, chunk_document
from qa.errors import BadRequest, DecodeError, EmptyQuestion, QAError, UnsupportedFile
from qa.extract import extract
from qa.ingest import SUPPORTED_SUFFIXES, decode_bytes
from qa.text.tokens import tokenize
from qa.records import Document

SCALE = float(os.environ.get("QA_HYPOTHESIS_EXAMPLES", 1))


def examples(n: int) -> settings:
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Text that exercises every path: sentence ends of both languages, quotes, decimals, abbreviations, blank lines,
# full-width spaces, control and format characters, surrogates, emoji, combining marks, other scripts.
PIECES = ["。", "！", "？", "；", "…", "」", "”", ".", ". ", "Mr. ", "4.8TB/s", "54.4%", "\n", "\n\n", " ", "\u3000", "\t",
          "\r\n", "\x00", "\x1b", "\u200b", "\ufeff", "\ud800", "😀", "e\u0301", "中文", "繁體", "H200", "Привет", "مرحبا"]
messy_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map("".join)
any_text = st.one_of(st.text(), messy_text, st.text(alphabet=st.characters(codec=None), max_size=50))


# ------------------------------------------------------------------------------------------------ questions
@examples(400)
@given(any_text, st.integers(min_value=1, max_value=3000))
@example("\ud800", 10)
@example("\x00\x01 H200 \x7f", 5)
@example("a" * 50 + "   ", 50)
def test_clean_question_returns_clean_text_or_raises_empty_question(text, max_chars):
    try:
        cleaned = clean_question(text, max_chars)
    except EmptyQuestion as e:
        assert "question" in str(e)
        assert not any(unicodedata.category(ch)[0] in "LN" for ch in text)
        return
    assert 0 < len(cleaned) <= max_chars
    assert not any(unicodedata.category(ch)[0] == "C" for ch in cleaned)  # no control, format or surrogate chars
    assert cleaned == cleaned.lstrip() and "  " not in cleaned
    assert any(unicodedata.category(ch)[0] in "LN" for ch in cleaned[:max_chars]) or len(cleaned) == max_chars
    cleaned.encode("utf-8")  # always encodable: safe for the model, JSON and logs


@pytest.mark.parametrize("value", [None, 42, 4.2, b"H200", ["H200"], {"q": 1}])
def test_clean_question_refuses_non_text(value):
    with pytest.raises(EmptyQuestion, match="must be text"):
        clean_question(value, 100)


@examples(25)
@given(question=any_text, k=st.one_of(st.integers(-3, 60), st.just(5), st.none()),
       target=st.one_of(st.none(), st.sampled_from(["", "simplified", "traditional", "klingon", "SIMPLIFIED"])))
@example(question="What is the memory bandwidth of the H200?", k=3, target="traditional")
@example(question="\ud800\ud800", k=5, target=None)
def test_ask_raises_only_empty_question_or_bad_request(assistant, question, k, target):
    try:
        r = assistant.ask(question, k=k, target_script=target)
    except (EmptyQuestion, BadRequest) as e:
        assert str(e)
        return
    assert 1 <= len(r.passages) <= (k or assistant.settings.k)
    for p in r.passages:
        doc = assistant.document(p.doc_id)
        assert doc.text[p.start : p.end] == p.text
        assert p.highlight is None or p.start <= p.highlight[0] < p.highlight[1] <= p.end
    r.to_dict()


@examples(300)
@given(any_text.map(lambda t: "".join(c for c in t if not 0xD800 <= ord(c) <= 0xDFFF)))
def test_keyword_tokenizer_never_raises(text):
    # Lone surrogates are left out: they cannot reach it (clean_question removes them and strict decoding never
    # produces them), and OpenCC raises UnicodeEncodeError on them.
    assert all(t and t.strip() == t for t in tokenize(text))


# ------------------------------------------------------------------------------------------------ chunking
@examples(300)
@given(text=any_text, size=st.integers(1, 5), overlap=st.integers(0, 4), max_chars=st.integers(1, 400))
@example(text="标题\n第一句。第二句！\n\nMr. Smith paid 4.8TB/s. Next one.", size=3, overlap=1, max_chars=360)
@example(text="短\n", size=1, overlap=0, max_chars=1)
def test_chunk_offsets_always_match_the_text(text, size, overlap, max_chars):
    doc = Document("d", "d.txt", "t", None, "mixed", "zh", text, "")
    chunks = chunk_document(doc, ChunkParams(size, overlap, max_chars))
    for i, c in enumerate(chunks):
        assert c.chunk_id == i and c.doc_id == "d"
        assert doc.text[c.start : c.end] == c.text
        assert c.text and c.text == c.text.strip()
        assert c.sentences and c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        assert all(c.start <= s < e <= c.end for s, e in c.sentences)
    if text.strip():  # every non-blank character of the document is in some passage
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


# ------------------------------------------------------------------------------------------------ decoding
@examples(300)
@given(st.binary(max_size=300))
@example(b"\xff\xfeA")
@example(b"\xef\xbb\xbf\xff")
@example(b"\xfe\xff\xd8\x00")
def test_decode_bytes_returns_text_or_raises_decode_error(data):
    try:
        text = decode_bytes(data, "x.txt")
    except DecodeError as e:
        assert str(e).startswith("x.txt: ")
        return
    assert isinstance(text, str)


plain_text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200).filter(
    lambda t: not t.startswith("\ufeff"))


@examples(200)
@given(plain_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]))
def test_unicode_files_decode_back_to_their_text(text, encoding):
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # no BOM: recognisable when >= 30% of the high bytes are NUL
        high = data[1::2] if encoding == "utf-16-le" else data[0::2]
        assume(high.count(0) >= 0.3 * len(high))
        try:
            decoded = decode_bytes(data)
        except DecodeError:
            return  # refusing is allowed (a character with a NUL low byte makes it ambiguous); mis-decoding is not
        assert decoded == text
        return
    assert decode_bytes(data) == text


@examples(200)
@given(plain_text.filter(lambda t: len(t.encode()) > 1), st.integers(1, 3))
def test_utf8_cut_inside_the_last_character_keeps_the_rest(text, cut):
    data = text.encode("utf-8")
    last = len(text[-1].encode("utf-8"))
    assume(cut < last)
    decoded = decode_bytes(data[: len(data) - cut])
    assert decoded == text[:-1]


@examples(200)
@given(any_text, st.sampled_from([".html", ".md", ".txt"]))
@example("<p>a</p><script>alert(1)</script>", ".html")
@example("---\ntitle: x\n---\n# ---\n**b**", ".md")
def test_text_formats_give_canonical_text_or_a_clear_error(markup, suffix):
    """Any text as a web page, Markdown or plain text: canonical text (NFC, \\n line ends) or a QAError, never a crash."""
    try:
        out = extract(markup.encode("utf-8", "surrogatepass"), "x" + suffix)
    except QAError as e:
        assert str(e).startswith("x" + suffix)
        return
    assert "\r" not in out.text and unicodedata.is_normalized("NFC", out.text)
    assert suffix != ".html" or "<script" not in out.text.lower() or "<script" in markup.lower()


@examples(100)
@given(st.binary(max_size=600), st.sampled_from([".pdf", ".docx"]))
@example(b"%PDF-1.7\n1 0 obj", ".pdf")
@example(b"PK\x03\x04", ".docx")
def test_binary_formats_refuse_garbage_with_a_clear_error(data, suffix):
    with pytest.raises(QAError, match=r"^x\.(pdf|docx): "):
        extract(data, "x" + suffix)


# ------------------------------------------------------------------------------------------------ file names
name_parts = st.sampled_from(["..", ".", "/", "\\", "etc", "passwd", "a b", "新闻", ".txt", ".md", ".html", ".pdf",
                              "\x00", "\n", "~", "C:", "%2e%2e", " ", "\u202e"])
hostile_names = st.one_of(st.text(max_size=40), st.lists(name_parts, max_size=10).map("".join),
                          st.text(min_size=190, max_size=260).map(lambda t: t + ".txt"))


@examples(500)
@given(hostile_names)
@example("../../etc/passwd")
@example("../../etc/passwd.txt")
@example("..\\..\\windows\\win.ini.txt")
@example("/etc/cron.d/job.md")
@example("a\x00.txt")
def test_safe_filename_never_leaves_the_docs_folder(name):
    docs = Path("/srv/qa/docs")
    try:
        safe = safe_filename(name)
    except (BadRequest, UnsupportedFile) as e:
        assert str(e)
        return
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe.strip() == safe
    assert Path(safe).suffix.lower() in SUPPORTED_SUFFIXES
    assert (docs / safe).resolve().parent == docs  # lands directly in the docs folder
    assert (docs / f".{safe}.partial").resolve().parent == docs
    assert len(safe.encode("utf-8", "surrogatepass")) <= 200
