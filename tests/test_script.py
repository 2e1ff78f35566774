from __future__ import annotations

import pytest

from qa.text.script import convert_script, detect, normalize_for_match

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
