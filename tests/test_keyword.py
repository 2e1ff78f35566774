"""Tests for the keyword (BM25) channel: real jieba and OpenCC, no mocks."""
from __future__ import annotations

import json
import math
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from qa.store.bm25 import MATRIX_FILE, PARAMS_FILE, VOCAB_FILE, KeywordIndex
from qa.text.tokens import tokenize

PASSAGES = [
    "美国政府允许英伟达向中国经批准的客户出售H200人工智能芯片，但销售收入的25%需上缴美国政府。",
    "H200采用141GB的HBM3e显存，带宽达到4.8TB/s，推理性能比H100提升约54.4%。",
    "今天北京天气晴朗，最高气温十八度，适合户外活动。",
    "黑豹队的防守只丢了308分，在联赛中排名第六。",
    "华为昇腾910C芯片的产能预计在2025年大幅提升。",
]


@pytest.fixture(scope="module")
def index() -> KeywordIndex:
    return KeywordIndex.build(PASSAGES)


# --- tokenize -------------------------------------------------------------------------

def test_codes_numbers_and_units_stay_whole() -> None:
    tokens = tokenize("H200 uses HBM3e: 4.8TB/s, 54.4% more, 141GB, A100 and 910C in 2025")
    for expected in ["h200", "hbm3e", "4.8tb/s", "54.4%", "141gb", "a100", "910c", "2025"]:
        assert expected in tokens


def test_traditional_and_simplified_give_same_tokens() -> None:
    trad = tokenize("美國對H200出口徵收多少附加費")
    simp = tokenize("美国对H200出口征收多少附加费")
    assert trad == simp
    assert "h200" in simp and "美国" in simp and "出口" in simp


def test_taiwan_words_are_also_searched_as_the_mainland_writes_them() -> None:
    """A tester's "台湾那款出租车打车软件泄露了多少条乘客信息？" met the Taiwan article's 計程車叫車軟體 nowhere: 计程车 and 软体
    are other words than 出租车 and 软件, not other characters."""
    from qa.text.tokens import mainland_word

    terms = tokenize("國內計程車叫車軟體外洩32萬筆乘客資訊")
    assert {"计程车", "软体", "资讯"} <= set(terms) and {"出租车", "软件", "信息"} <= set(terms)
    assert terms.index("出租车") > terms.index("资讯") and terms.count("出租车") == 1  # after the text's own terms, once
    # a Simplified text writing a Taiwan word (the seed article's "H200晶片") meets a question asking 芯片
    assert "芯片" in tokenize("从本质上看,H200晶片 代表着当今 AI 加速运算的核心硬件能力")
    # a word the mainland writes often in its own sense keeps it: 核心 is no 内核, 资料 no 数据, 影片 no 视频
    assert [mainland_word(w) for w in ("核心", "资料", "影片", "记忆体", "印表机")] == ["核心", "资料", "影片", "内存", "打印机"]
    # word by word: the phrase table run over the whole text re-cut 技術路線上 into a lone 路, which an off-topic
    # question about a road then shared with the seed articles
    assert "路" not in tokenize("華為、寒武紀等企業已在ASIC、GPGPU等技術路線上發力")


def test_full_width_folds_to_half_width() -> None:
    assert tokenize("２５％") == tokenize("25%") == ["25%"]
    assert tokenize("Ｈ２００") == ["h200"]


def test_ranges_and_thousands() -> None:
    assert tokenize("60%-90%") == ["60%", "90%"]
    assert tokenize("1,000,000") == ["1000000"]


def test_stopwords_and_punctuation_dropped() -> None:
    zh = tokenize("为什么H200的价格是多少？")
    assert not {"为什么", "什么", "的", "是", "多少", "？", "?"} & set(zh)
    assert "h200" in zh and "价格" in zh
    assert tokenize("What is the price of the H200?") == ["price", "h200"]
    assert tokenize("，。！？、  ……") == []


def test_search_mode_emits_sub_words() -> None:
    # "人工智能" in a passage must still meet a question that says only "智能".
    tokens = tokenize("人工智能芯片")
    assert "人工智能" in tokens and "智能" in tokens


# --- search -----------------------------------------------------------------------------

def test_chinese_query_ranks_right_passage_first(index: KeywordIndex) -> None:
    ids, scores = index.search("美国对英伟达芯片销售收入收取多少比例？", 3)
    assert ids[0] == 0
    ids, _ = index.search("北京今天气温多少度", 3)
    assert ids[0] == 2


def test_traditional_query_over_simplified_passages(index: KeywordIndex) -> None:
    ids, _ = index.search("H200的顯存頻寬是多少？", 3)
    assert ids[0] == 1
    ids, _ = index.search("華為昇騰晶片產能", 3)
    assert ids[0] == 4


def test_english_query_without_shared_terms_returns_nothing(index: KeywordIndex) -> None:
    ids, scores = index.search("Who won the football match yesterday?", 5)
    assert ids.size == 0 and scores.size == 0
    assert ids.dtype == np.int64 and scores.dtype == np.float32


def test_english_h200_finds_h200_passages(index: KeywordIndex) -> None:
    ids, scores = index.search("What does the H200 cost?", 5)
    assert sorted(ids.tolist()) == [0, 1]
    assert ids.dtype == np.int64 and scores.dtype == np.float32


def test_results_sorted_positive_and_limited(index: KeywordIndex) -> None:
    ids, scores = index.search("H200芯片2025年", 2)
    assert len(ids) == 2
    assert np.all(scores > 0) and np.all(np.diff(scores) <= 0)
    all_scores = index.score_all("H200芯片2025年")
    assert all_scores.shape == (len(PASSAGES),) and all_scores.dtype == np.float32
    assert np.array_equal(all_scores[ids], scores)
    assert all_scores[2] == 0 and all_scores[3] == 0


def test_scores_match_textbook_bm25(index: KeywordIndex) -> None:
    query = "美国H200芯片的销售收入"
    docs = [Counter(tokenize(p)) for p in PASSAGES]
    avgdl = sum(sum(d.values()) for d in docs) / len(docs)
    expected = []
    for d in docs:
        score = 0.0
        for term in set(tokenize(query)):  # query terms count once
            df = sum(term in other for other in docs)
            if term in d:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                tf, dl = d[term], sum(d.values())
                score += idf * tf * 2.5 / (tf + 1.5 * (0.25 + 0.75 * dl / avgdl))
        expected.append(score)
    assert np.allclose(index.score_all(query), expected, rtol=1e-5)


def test_k_must_be_positive(index: KeywordIndex) -> None:
    with pytest.raises(ValueError, match="k must be at least 1, got 0"):
        index.search("H200", 0)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match="got one str; wrap it in a list"):
        KeywordIndex.build("H200芯片")
    with pytest.raises(ValueError, match="k1 >= 0 and 0 <= b <= 1, got k1=1.5, b=2"):
        KeywordIndex.build(PASSAGES, b=2)


def test_empty_index() -> None:
    empty = KeywordIndex.build([])
    assert len(empty) == 0
    assert empty.search("H200", 5)[0].size == 0


# --- persistence ------------------------------------------------------------------------

def test_save_load_round_trip(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([VOCAB_FILE, MATRIX_FILE, PARAMS_FILE])
    np.load(tmp_path / MATRIX_FILE, allow_pickle=False).close()  # no pickled objects inside
    loaded = KeywordIndex.load(tmp_path)
    assert len(loaded) == len(index) and loaded.vocab == index.vocab
    for query in ["H200", "美國對晶片徵收多少", "天气", "nothing here"]:
        assert np.array_equal(loaded.score_all(query), index.score_all(query))


def test_load_missing_file(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    (tmp_path / VOCAB_FILE).unlink()
    with pytest.raises(ValueError, match=f"missing {VOCAB_FILE}; delete it and rebuild"):
        KeywordIndex.load(tmp_path)
    with pytest.raises(ValueError, match="missing keyword_params.json"):
        KeywordIndex.load(tmp_path / "nowhere")


def test_load_truncated_matrix(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    data = (tmp_path / MATRIX_FILE).read_bytes()
    (tmp_path / MATRIX_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="is corrupt"):
        KeywordIndex.load(tmp_path)


def test_load_garbled_json(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    (tmp_path / VOCAB_FILE).write_text('{"h200": 0,', encoding="utf-8")
    with pytest.raises(ValueError, match="is corrupt .*JSONDecodeError"):
        KeywordIndex.load(tmp_path)


def test_load_rejects_mismatch(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    params = json.loads((tmp_path / PARAMS_FILE).read_text())
    (tmp_path / PARAMS_FILE).write_text(json.dumps({**params, "n_docs": params["n_docs"] + 1}))
    with pytest.raises(ValueError, match="is inconsistent: keyword_matrix.npz is csr"):
        KeywordIndex.load(tmp_path)
    (tmp_path / PARAMS_FILE).write_text(json.dumps({**params, "tokenizer_version": "0"}))
    with pytest.raises(ValueError, match="tokenizer version '0'"):
        KeywordIndex.load(tmp_path)
    (tmp_path / PARAMS_FILE).write_text(json.dumps(params))
    vocab = json.loads((tmp_path / VOCAB_FILE).read_text())
    for bad_row in [len(vocab) + 5, "0"]:
        (tmp_path / VOCAB_FILE).write_text(json.dumps({**vocab, next(iter(vocab)): bad_row}))
        with pytest.raises(ValueError, match="keyword_vocab.json does not map"):
            KeywordIndex.load(tmp_path)


def test_load_rejects_repeated_entries(index: KeywordIndex, tmp_path: Path) -> None:
    index.save(tmp_path)
    good = sp.load_npz(tmp_path / MATRIX_FILE)
    indices = good.indices.copy()
    row = int(np.argmax(np.diff(good.indptr)))  # a term in several docs
    start, end = good.indptr[row], good.indptr[row + 1]
    assert end - start > 1
    indices[start:end] = indices[start]  # that row now lists one doc several times
    bad = sp.csr_matrix((good.data, indices, good.indptr), shape=good.shape)
    sp.save_npz(tmp_path / MATRIX_FILE, bad, compressed=False)
    with pytest.raises(ValueError, match="keyword_matrix.npz is malformed"):
        KeywordIndex.load(tmp_path)


# --- add / remove -----------------------------------------------------------------------

def test_add_then_search_finds_new_doc() -> None:
    idx = KeywordIndex.build(PASSAGES)
    idx.add(["台积电在亚利桑那州的晶圆厂开始量产Blackwell芯片。"])
    assert len(idx) == len(PASSAGES) + 1
    ids, _ = idx.search("Blackwell 晶圓廠", 3)
    assert ids[0] == len(PASSAGES)
    # Adding must equal building from scratch: IDF and avgdl are refreshed.
    fresh = KeywordIndex.build(PASSAGES + ["台积电在亚利桑那州的晶圆厂开始量产Blackwell芯片。"])
    assert np.allclose(idx.score_all("H200芯片"), fresh.score_all("H200芯片"))


def test_failed_add_leaves_index_unchanged() -> None:
    idx = KeywordIndex.build(PASSAGES)
    vocab = dict(idx.vocab)
    with pytest.raises(TypeError):
        idx.add(["全新的词汇出现在这里", None])  # type: ignore[list-item]
    assert idx.vocab == vocab and len(idx) == len(PASSAGES)
    assert idx.search("全新词汇", 3)[0].size == 0


def test_remove_renumbers_and_never_returns_removed() -> None:
    idx = KeywordIndex.build(PASSAGES)
    idx.remove([1, 3])
    assert len(idx) == len(PASSAGES) - 2
    assert idx.search("HBM3e 4.8TB/s", 5)[0].size == 0  # only passage 1 had these
    assert idx.search("黑豹队防守", 5)[0].size == 0
    ids, _ = idx.search("昇腾910C产能", 3)
    assert ids[0] == 2  # was 4; order preserved, gaps closed
    fresh = KeywordIndex.build([PASSAGES[0], PASSAGES[2], PASSAGES[4]])
    assert np.allclose(idx.score_all("H200芯片2025年"), fresh.score_all("H200芯片2025年"))


def test_remove_out_of_range() -> None:
    idx = KeywordIndex.build(PASSAGES)
    with pytest.raises(ValueError, match=r"doc indices must be in 0\.\.4, got \[7\]"):
        idx.remove([7])


# --- scale --------------------------------------------------------------------------------

def test_build_over_20000_synthetic_passages() -> None:
    rng = random.Random(0)
    words = "芯片 出口 政府 美国 中国 市场 销售 技术 公司 产品 数据 模型 训练 能力 限制 政策 供应链 半导体".split()
    texts = ["".join(rng.choices(words, k=8)) for _ in range(20_000)]
    texts[12_345] = "独一无二的测试段落提到Zeta9000"
    idx = KeywordIndex.build(texts)
    assert len(idx) == 20_000
    ids, _ = idx.search("zeta9000", 5)
    assert ids.tolist() == [12_345]
    assert len(idx.search("芯片出口", 10)[0]) == 10
