from __future__ import annotations

import pytest

from qa.text.script import chinese_script, convert_script, detect, normalize_for_match

# Short Chinese questions langdetect calls Korean; they must come out Chinese with the right script.
SIMPLIFIED = ["美国对H200出口征收多少附加费？", "黄仁勋是谁？", "H200的带宽是多少", "中国市场份额", "谁是发言人", "英伟达股价怎样了"]
TRADITIONAL = ["美國對H200出口徵收多少附加費？", "黃仁勳是誰？", "H200的帶寬是多少", "華為海思份額", "誰是發言人", "輝達股價"]


@pytest.mark.parametrize("q", SIMPLIFIED)
def test_short_simplified_questions(q):
    assert detect(q) == ("zh", "simplified")


@pytest.mark.parametrize("q", TRADITIONAL)
def test_short_traditional_questions(q):
    assert detect(q) == ("zh", "traditional")


@pytest.mark.parametrize("q", ["What is the memory bandwidth of the H200?", "Who is Guo Jiakun?", "What does 逐案审查 mean?"])
def test_english_questions(q):
    assert detect(q) == ("en", "latin")


def test_no_letters_is_undetermined():
    assert detect("？？？ 😀")[0] == "und"


def test_match_normalisation_ignores_script_width_space_case():
    assert normalize_for_match("黃仁勳 ２５％ HBM3E") == normalize_for_match("黄仁勋25%hbm3e")
    assert convert_script("英伟达", "traditional") == "英偉達"


# ---- Latin-script text: English unless langdetect is confident it is another language ------------------
# langdetect alone calls several of these Italian, Romanian, Croatian, Latvian, German or Swahili.
ENGLISH = [
    "How do I make a simple tomato pasta sauce?",  # langdetect: it 0.86
    "Best pizza dough recipe",  # it 0.99999, but only 20 letters
    "pasta carbonara recipe with pancetta",
    "Make tomato sauce",
    "pasta sauce",
    "Who won the football match yesterday?",
    "Who scored in the Real Madrid vs Barcelona game?",
    "Does Messi play for Inter Miami?",
    "What is the weather like in Paris tomorrow?",
    "Will it rain in Berlin this weekend?",
    "H200 price?",  # ro 0.99999
    "Nvidia",
    "Huawei Ascend",  # de 0.99999
    "Who is Guo Jiakun?",
    "What’s the H200’s memory bandwidth?",  # typographic apostrophes are not letters
    "Tariff rate on H200 exports",
]


@pytest.mark.parametrize("q", ENGLISH)
def test_plain_english_is_never_another_language(q):
    assert detect(q) == ("en", "latin")


@pytest.mark.parametrize(("text", "language"), [
    ("Quel temps fait-il à Paris aujourd'hui ?", "fr"),
    ("Le gouvernement américain autorise la vente de puces à la Chine.", "fr"),
    ("Wie hoch ist die Speicherbandbreite des H200?", "de"),  # plain ASCII, but no English word in it
    ("Die amerikanische Regierung erlaubt den Verkauf von Chips nach China.", "de"),
    ("Der Hund läuft schnell über die Straße und bellt laut.", "de"),
    ("¿Cuál es el ancho de banda de memoria del H200?", "es"),
    ("El gobierno de Estados Unidos permite la venta de chips a China.", "es"),
])
def test_confident_other_languages_are_kept(text, language):
    assert detect(text) == (language, "latin")


def test_a_text_of_codes_repeated_is_english_not_a_guess():
    """"H200 " * 3000 was Vietnamese: 3,000 letters, no word; langdetect's guess was shown to the asker."""
    assert detect("H200 " * 3000) == ("en", "latin") and detect("H200 B200 " * 500 + "price?") == ("en", "latin")


@pytest.mark.parametrize("text", ["Pourquoi la Chine?", "Was kostet der Chip?", "Que es el H200?"])
def test_short_foreign_questions_default_to_english(text):
    """Under MIN_FOREIGN_LETTERS letters langdetect is guesswork; English is the product's default for Latin text."""
    assert detect(text) == ("en", "latin")


def test_other_alphabets_still_go_to_langdetect():
    assert detect("Какова пропускная способность памяти?") == ("ru", "other")
    # a product code in Latin letters does not make the question Latin script (it was reported "latin")
    assert detect("H200の帯域幅はどれくらいですか？") == ("ja", "other")
    assert detect("H200의 대역폭은 얼마입니까?") == ("ko", "other")
    assert detect("Какова пропускная способность H200?") == ("ru", "other")


# ---- mixed scripts, and Simplified vs Traditional by share of characters ---------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("What does 逐案审查 mean?", ("en", "latin")),  # an English question quoting a Chinese phrase
    ("What does 逐案審查 mean in the Trump policy?", ("en", "latin")),
    ("英伟达H200芯片的HBM3e内存带宽是4.8TB/s吗？", ("zh", "simplified")),  # Chinese naming codes and units
    ("輝達H200晶片的HBM3e記憶體頻寬是多少？", ("zh", "traditional")),
    ("华为昇腾910C芯片的性能如何？", ("zh", "simplified")),  # t2s turns 昇 into 升, s2t changes 3 characters
    ("昇腾", ("zh", "simplified")),  # one each way: a tie is Simplified
    ("台灣的晶片產業", ("zh", "traditional")),  # s2t writes 臺灣, s2hk keeps 台: no Simplified evidence
    ("乾燥", ("zh", "traditional")),
    ("日本の首都はどこですか", ("ja", "other")),  # kana: not Chinese
])
def test_mixed_script_questions(text, expected):
    assert detect(text) == expected


def test_one_traditional_looking_character_does_not_flip_a_simplified_document():
    text = "华为发布了昇腾910C芯片，" + "美国政府表示允许英伟达向中国经批准的客户出售芯片。" * 5
    assert chinese_script(text) == "simplified"
    assert chinese_script(convert_script(text, "traditional")) == "traditional"


def test_seed_articles_keep_their_script():
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs_src"
    assert chinese_script((docs / "h200-export-signal-euronews.zh-hans.txt").read_text(encoding="utf-8")) == "simplified"
    assert chinese_script((docs / "h200-conditional-release-25pct.zh-hant.txt").read_text(encoding="utf-8")) == "traditional"


def test_a_traditional_passage_shown_in_traditional_keeps_its_words(assistant):
    """The Taiwan and Hong Kong views once ran the Simplified-to-Traditional phrase tables over text already in
    Traditional characters: 獲准 became 獲準, 參數 became 引數 ("argument"), 英偉達（Nvidia，又譯輝達） became 輝達（…又譯輝達）."""
    from qa.text.script import convert_with_span

    text = "獲准出口的H200配備HBM3e，可滿足千億參數AI模型；英偉達（Nvidia，又譯輝達）"
    for view in ("traditional", "hongkong"):
        assert convert_with_span(text, (0, 4), view, "traditional") == (text, (0, 4))
    assert convert_with_span("H200的内存带宽", (5, 9), "traditional", "simplified") == ("H200的內存帶寬", (5, 9))
    seen = set()
    for view in ("traditional", "hongkong"):
        for p in assistant.ask("H200基於什麼架構，可滿足多少參數的模型？", target_script=view).passages:
            seen.add(p.script)
            if p.script == "traditional":
                assert p.text_converted == p.text, view  # the seed article is already written as Taiwan and HK read it
            else:
                assert p.text_converted != p.text  # a Simplified passage is still converted, phrasing too
    assert seen == {"traditional", "simplified"}
