"""The reading aid (qa.text.gloss) on real CC-CEDICT and real pypinyin: words, readings, meanings, exact offsets."""
from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from qa.records import Answer, Gloss, Passage
from qa.settings import Settings
from qa.text.gloss import gloss_chinese, gloss_english

CACHE = Settings.load().cache_dir
SIMPLIFIED = "美国政府允许英伟达向中国出售H200晶片，带宽4.8TB/s，但销售收入的25%需上缴。外交部发言人郭嘉昆表示反对。"
TRADITIONAL = "美國政府允許英偉達向中國出售H200晶片，帶寬4.8TB/s，但銷售收入的25%需上繳。外交部發言人郭嘉昆表示反對。"


def words(text: str, glosses: list[Gloss]) -> dict[str, Gloss]:
    return {text[g.start : g.end]: g for g in glosses}


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_chinese_words_get_pinyin_and_meaning(text):
    found = words(text, gloss_chinese(text, 0, len(text), CACHE))
    nvidia = found["英伟达" if text is SIMPLIFIED else "英偉達"]  # jieba splits it 英|伟达; CC-CEDICT knows it whole
    assert nvidia.pinyin == "yīng wěi dá" and "NVIDIA" in nvidia.english and nvidia.chinese is None
    government = found["政府"]  # 美国政府 is one jieba word, split into the dictionary's words
    assert government.english == "government" and government.pinyin == "zhèng fǔ"
    assert found["带宽" if text is SIMPLIFIED else "帶寬"].english == "bandwidth"
    assert found["发言人" if text is SIMPLIFIED else "發言人"].english == "spokesperson"
    assert found["郭嘉昆"].pinyin == "guō jiā kūn" and found["郭嘉昆"].english == ""  # a name CC-CEDICT lacks


def test_same_words_and_offsets_in_either_script():
    simplified = gloss_chinese(SIMPLIFIED, 0, len(SIMPLIFIED), CACHE)
    traditional = gloss_chinese(TRADITIONAL, 0, len(TRADITIONAL), CACHE)
    assert [(g.start, g.end, g.pinyin, g.english) for g in simplified] == [(g.start, g.end, g.pinyin, g.english) for g in traditional]


def test_numbers_units_punctuation_and_latin_are_left_alone():
    glossed = "".join(SIMPLIFIED[g.start : g.end] for g in gloss_chinese(SIMPLIFIED, 0, len(SIMPLIFIED), CACHE))
    for kept in ("H200", "4.8TB/s", "25%", "，", "。"):
        assert kept not in glossed
    assert gloss_chinese("Nvidia H200 4.8TB/s 25% (2025)", 0, 30, CACHE) == []


def test_offsets_are_document_offsets_and_in_order():
    doc = "Title line\n\n" + TRADITIONAL + "\n\n下一段不在範圍內。"
    start, end = doc.index(TRADITIONAL), doc.index(TRADITIONAL) + len(TRADITIONAL)
    glosses = gloss_chinese(doc, start, end, CACHE)
    assert glosses and all(start <= g.start < g.end <= end for g in glosses)
    assert all(a.end <= b.start for a, b in pairwise(glosses))
    # each entry covers the word as written in the document (Traditional)
    assert [doc[g.start : g.end] for g in glosses][:3] == ["美國", "政府", "允許"]
    # every Han character of the span is covered by exactly one entry
    covered = {i for g in glosses for i in range(g.start, g.end)}
    assert covered == {i for i in range(start, end) if "\u4e00" <= doc[i] <= "\u9fff"}


def test_meanings_follow_the_reading_and_skip_useless_senses():
    found = words("部长说了", gloss_chinese("部长说了", 0, 4, CACHE))
    assert found["部长"].pinyin == "bù zhǎng"
    assert found["说"].english.startswith("to speak")  # shuō, not the shuì "to persuade" entry listed first
    assert len(found["说"].english.split("; ")) <= 3
    for g in gloss_chinese(SIMPLIFIED, 0, len(SIMPLIFIED), CACHE):
        assert "variant of" not in g.english and "CL:" not in g.english and "surname" not in g.english


def test_english_words_get_chinese_equivalents_in_the_askers_script():
    text = "The United States will allow exports of H200 chips to approved customers in China, Trump said, with a 25% surcharge."
    simplified = words(text, gloss_english(text, 0, len(text), CACHE, "simplified"))
    traditional = words(text, gloss_english(text, 0, len(text), CACHE, "traditional"))
    assert simplified["United States"].chinese.split("; ")[0] == "美国"
    assert traditional["United States"].chinese.split("; ")[0] == "美國"
    assert simplified["surcharge"].chinese == "附加费" and simplified["surcharge"].pinyin == "fù jiā fèi"
    assert traditional["surcharge"].chinese == "附加費"
    assert simplified["exports"].chinese.split("; ")[0] == "出口"  # lemmatised: exports -> export
    assert simplified["China"].chinese.split("; ")[0] == "中国"
    g = simplified["customers"]
    assert len(g.chinese.split("; ")) == len(g.pinyin.split("; ")) <= 3 and g.english is None
    for absent in ("The", "will", "of", "H200", "in", "Trump", "said", "with", "a", "25"):
        assert absent not in simplified, absent  # function words, codes, numbers; a name with no proper-noun entry


def test_a_name_is_glossed_only_by_an_entry_that_writes_it_so():
    """A goalkeeper called Ana was glossed 全日空: CC-CEDICT writes All Nippon Airways "ANA"."""
    text = "Goalkeeper Ana Lisiate saved two penalties, and the Germans and the Americans in Washington cheered."
    found = words(text, gloss_english(text, 0, len(text), CACHE, "simplified"))
    assert "Ana" not in found and "Lisiate" not in found
    assert found["Washington"].chinese.split("; ")[0] == "华盛顿"
    assert found["Germans"].chinese.split("; ")[0] == "德国"  # a plural, through its singular's entry


def test_a_word_of_a_longer_name_is_not_glossed_alone():
    """Testers saw "Bruny Sound Spirits" glossed 厄勒海峡 (the Øresund strait, "the Sound") and "Pacific Harvest Foods"
    国泰 (Cathay Pacific); a name the dictionary has as a phrase keeps its entry."""
    text = "His brother set up Bruny Sound Spirits, and the Pacific Harvest Foods recall widened. He flew Cathay Pacific."
    found = words(text, gloss_english(text, 0, len(text), CACHE, "simplified"))
    assert not {"Sound", "Pacific", "Harvest", "Foods"} & set(found) and "brother" in found
    assert found["Cathay Pacific"].chinese.split("; ")[0] == "国泰"


def test_a_figure_reads_as_its_size_and_a_marked_sense_comes_last():
    """A 繁體 reader hovering "3.5 billion dollars" read 兆 (a trillion today; CC-CEDICT: "(old) billion") and 刀
    ("(slang) dollar"): a thousand-fold error and a knife."""
    text = "Sales rose by 3.5 billion dollars, or 2 million more than the 1 trillion forecast."
    found = words(text, gloss_english(text, 0, len(text), CACHE, "traditional"))
    assert [found[w].chinese.split("; ")[0] for w in ("billion", "dollars", "million", "trillion")] == ["十億", "美元", "百萬", "萬億"]
    assert "刀" not in found["dollars"].chinese


def test_a_traditional_character_is_read_as_written_and_a_number_unit_stands_alone():
    """A tester's reading aid: 閉館後 ("after closing") glossed 後 as "empress" (后 in Simplified, the queen's
    character too), and 4.2万名选手 ("42,000 runners") read 万名 as "all names"."""
    hant = "閉館後，竊賊離開。"
    assert words(hant, gloss_chinese(hant, 0, len(hant), CACHE))["後"].english.startswith("back; behind")
    assert "empress" in words("皇后", gloss_chinese("皇后", 0, 2, CACHE))["皇后"].english  # the queen stays one
    for text in ("共有4.2万名选手参加。", "共有4.2萬名選手參加。"):
        found = words(text, gloss_chinese(text, 0, len(text), CACHE))
        assert "万名" not in found and "萬名" not in found and "ten thousand" in (found.get("万") or found["萬"]).english


def test_english_offsets_are_document_offsets():
    doc = "Headline\n\nNvidia may sell H200 chips to China. Next sentence."
    start = doc.index("Nvidia")
    end = doc.index(". Next") + 1
    glosses = gloss_english(doc, start, end, CACHE, "traditional")
    assert [doc[g.start : g.end] for g in glosses] == ["Nvidia", "sell", "chips", "China"]
    # a name CC-CEDICT glosses with a description ("NVIDIA, computer graphics card company") reads as its name
    assert glosses[0].chinese == "英偉達"


def test_json_has_english_for_chinese_text_and_chinese_for_english_text():
    zh = Gloss(3, 6, "yīng wěi dá", english="NVIDIA")
    en = Gloss(0, 9, "fù jiā fèi", chinese="附加费")
    passage = Passage("d", "t", None, "simplified", 1, 0, 9, "x" * 9, 1.0, (0, 9), gloss=(zh, en))
    plain = Passage("d", "t", None, "simplified", 1, 0, 9, "x" * 9, 1.0, (0, 9))
    d = Answer("q", "en", "latin", False, [passage, plain]).to_dict()
    assert d["passages"][0]["gloss"] == [{"start": 3, "end": 6, "pinyin": "yīng wěi dá", "english": "NVIDIA"},
                                         {"start": 0, "end": 9, "pinyin": "fù jiā fèi", "chinese": "附加费"}]
    assert d["passages"][1]["gloss"] is None


def test_a_passage_is_glossed_only_for_an_asker_of_the_other_language():
    from qa.answer import with_gloss
    from qa.records import Document

    def doc(text: str, language: str) -> Document:
        return Document("d", "d.txt", "t", None, "latin" if language != "zh" else "simplified", language, text, "0")

    def passage(text: str) -> Passage:
        return Passage("d", "t", None, "x", 1, 0, len(text), text, 1.0, (0, len(text)))

    zh, en, fr = SIMPLIFIED, "Exports need a surcharge.", "Les exportations paient une surtaxe."
    assert with_gloss(passage(zh), doc(zh, "zh"), "en", "latin", CACHE).gloss[0].english
    assert with_gloss(passage(zh), doc(zh, "zh"), "fr", "latin", CACHE).gloss  # English meanings bridge French too
    assert with_gloss(passage(zh), doc(zh, "zh"), "zh", "traditional", CACHE).gloss is None
    glossed = with_gloss(passage(en), doc(en, "en"), "zh", "traditional", CACHE).gloss
    first = {en[g.start : g.end]: g.chinese.split("; ")[0] for g in glossed}
    assert first["Exports"] == "出口" and first["surcharge"] == "附加費" and "a" not in first
    assert with_gloss(passage(en), doc(en, "en"), "en", "latin", CACHE).gloss is None
    assert with_gloss(passage(fr), doc(fr, "fr"), "zh", "simplified", CACHE).gloss is None  # no French dictionary


def test_the_dictionary_cache_reads_back_every_entry_as_parsed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """CC-CEDICT is parsed once and kept as a line-per-entry cache; what the cache gives back is what the parser
    gave, entry for entry (headwords, numbered pinyin, every sense in order)."""
    from qa.text import cedict

    parsed = cedict.entries(tmp_path)  # no cache yet: parses the dictionary and writes it
    assert (tmp_path / "cedict" / f"entries-{cedict.cache_key()}.tsv").is_file()
    cedict.entries.cache_clear()
    try:
        cached = cedict.entries(tmp_path)
    finally:
        cedict.entries.cache_clear()
    assert len(parsed) > 100_000
    assert cached == parsed
    from qa.text.translate import english_to_chinese  # the English -> Chinese table built from it, the same way

    built = english_to_chinese(tmp_path)
    english_to_chinese.cache_clear()
    try:
        assert english_to_chinese(tmp_path) == built and built["export"][:1] == ("出口",)
    finally:
        english_to_chinese.cache_clear()


def test_a_word_is_read_in_its_everyday_sense_before_a_name_it_abbreviates() -> None:
    """以 read "abbr. for Israel" (CC-CEDICT lists the proper noun [Yi3] first) and 故事 only "old practice"
    (pypinyin reads gu4 shi4; the story sense is written gu4 shi5)."""
    text = "以H200單卡的售價計算，這個故事"
    read = {text[g.start:g.end]: g.english for g in gloss_chinese(text, 0, len(text), CACHE)}
    assert read["以"].startswith("to use") and "Israel" not in read["以"]
    assert "story" in read["故事"]


def test_a_name_jieba_cuts_after_its_surname_is_one_name() -> None:
    """A tester's singer 林沐阳 (jieba: 林|沐阳) was glossed 'woods; forest', 'to bathe', 'sun'; 林业 stays a word."""
    for text in ("歌手林沐阳将于8月在深圳连开三场演唱会", "深圳是林沐陽的家鄉"):
        found = words(text, gloss_chinese(text, 0, len(text), CACHE))
        name = next(w for w in found if w.startswith("林"))
        assert len(name) == 3 and found[name].english == "" and found[name].pinyin == "lín mù yáng"
    forestry = "林业局表示"
    assert words(forestry, gloss_chinese(forestry, 0, len(forestry), CACHE))["林业"].english.startswith("forest")


def test_an_acronym_glosses_only_a_word_written_in_capitals() -> None:
    """A tester's 中文 question over the held-out 11 conductor story glossed "led" (Lindholm "has led the
    orchestra since 2015") as 发光二极管: CC-CEDICT writes "light-emitting diode (LED)". A word written in lower case
    never takes an entry that gives it only as an acronym (CEO, AIDS); one written in capitals is read as before."""
    path = Path(__file__).parent.parent / "eval" / "heldout11" / "norhaven-philharmonic-conductor.en.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("She will take up the post")
    found = words(text, gloss_english(text, start, text.index("\n", start), CACHE, "simplified"))
    assert "led" not in found and "orchestra" in found
    text = "The ceo said aids help, and the CEO said NASA and LED lighting matter."
    found = {(text[g.start:g.end], g.start < 25): g.chinese for g in gloss_english(text, 0, len(text), CACHE, "simplified")}
    assert ("ceo", True) not in found and "艾滋病" not in found[("aids", True)]
    assert found[("NASA", False)].split("; ")[0] == "美国宇航局"  # a name in capitals, as before


def test_a_region_label_is_no_acronym_and_no_slur_or_slang_name_is_a_gloss() -> None:
    """A tester's 繁體 question over a Hong Kong box-office story glossed "HK" in "HK$20 million" as 土共, a slur:
    CC-CEDICT's "pro-Beijing camp (HK)" made (HK) an acronym of it, as "(PRC)" one of 七号电池. An acronym is one
    of the words' own initials (chief executive officer (CEO)); "UK" is 腐国 only as a slang term, so no gloss."""
    from qa.text.translate import english_to_chinese

    table = english_to_chinese(CACHE)
    assert "土共" not in table.get("hk", ()) and "七号电池" not in table.get("prc", ())
    assert "首席执行官" in table["ceo"] and "世界卫生组织" in table["who"]  # the words' own initials
    text = "Cinemas took HK$20 million in the UK and Hong Kong."
    found = {text[g.start:g.end]: g.chinese for g in gloss_english(text, 0, len(text), CACHE, "traditional")}
    assert "HK" not in found and "million" in found and "香港" in found["Hong Kong"]
    assert not any("土共" in g or "腐國" in g for g in found.values())
    text = "Imports from the uk rose."  # a slang sense is shown only where a plain one is given too
    assert not any("腐國" in g.chinese for g in gloss_english(text, 0, len(text), CACHE, "traditional"))
