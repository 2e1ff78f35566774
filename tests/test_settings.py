"""Settings with a meaningful range are checked when set, in the one place every way of setting them passes
through (qa.settings.coerce): a count below 1 or a share over 1 was taken and failed later, or quietly gave
fewer passages (also_in_extra -1), or made every question an error (max_k 0)."""
from __future__ import annotations

import pytest

from qa.errors import BadSetting
from qa.settings import SETTINGS, Settings, coerce, parse_pairs

BAD = [  # (setting, value out of its range, the range as the message words it)
    ("max_k", 0, "at least 1"),
    ("k", -3, "at least 1"),
    ("also_in_extra", -1, "at least 0"),
    ("add_batch", 0, "at least 1"),
    ("chunk_sentences", 0, "at least 1"),
    ("milvus_cleanup_delay", -1.0, "at least 0"),
    ("sentence_share", 1.5, "from 0 to 1"),
    ("latent_share_cross", -0.1, "from 0 to 1"),
]


def test_every_default_is_in_its_range():
    for s in SETTINGS:
        coerce(s, s.default)  # raises for one out of range
    Settings.load()


@pytest.mark.parametrize(("name", "value", "allowed"), BAD, ids=[b[0] for b in BAD])
def test_a_value_out_of_range_is_refused_however_it_is_set(assistant, monkeypatch, name, value, allowed):
    words = f"setting {name} (QA_{name.upper()}) must be {allowed}, got "
    with pytest.raises(BadSetting, match=words.replace("(", r"\(").replace(")", r"\)")):
        assistant.with_settings(**{name: value})
    with pytest.raises(BadSetting, match="must be " + allowed):
        Settings.load(**{name: value})
    with pytest.raises(BadSetting, match="must be " + allowed):
        parse_pairs([[name, str(value)]])  # --setting
    monkeypatch.setenv(f"QA_{name.upper()}", str(value))
    with pytest.raises(BadSetting, match="must be " + allowed):
        Settings.load()


def test_the_ends_of_a_range_and_open_settings_are_taken():
    s = Settings.load(sentence_share=0, latent_share_zh=1, also_in_extra=0, embed_tokens=0)
    assert (s.sentence_share, s.latent_share_zh, s.also_in_extra) == (0.0, 1.0, 0)
    # weights, offsets and floors stay open: a negative one can be a measured choice
    assert Settings.load(abstain_margin_other=-0.2, cross_offset_zh=-0.1).abstain_margin_other == -0.2


def test_a_default_k_over_max_k_is_refused(assistant):
    with pytest.raises(BadSetting, match=r"setting k \(QA_K\) must be at most max_k \(3\), got 5"):
        assistant.with_settings(max_k=3)
    answer = assistant.with_settings(max_k=3, k=2).ask("What is the memory bandwidth of the H200?")
    assert 1 <= len(answer.passages) <= 2


@pytest.mark.parametrize("value", [2.5, "2.5", 0.5, "1e-3"])
def test_a_fraction_for_a_whole_number_setting_is_refused_however_it_is_set(assistant, monkeypatch, value):
    """k 2.5 was taken as 2 from the Python API (int(2.5) truncates), and "2.5" from --setting or QA_K was refused
    as "must be int"; now every path says it must be a whole number."""
    words = r"setting k \(QA_K\) must be a whole number, got "
    with pytest.raises(BadSetting, match=words):
        assistant.with_settings(k=value)
    with pytest.raises(BadSetting, match=words):
        Settings.load(k=value)
    with pytest.raises(BadSetting, match=words):
        parse_pairs([["k", str(value)]])  # --setting
    monkeypatch.setenv("QA_K", str(value))
    with pytest.raises(BadSetting, match=words):
        Settings.load()


def test_whole_numbers_written_as_decimals_are_taken_and_numbers_must_be_finite(monkeypatch):
    assert Settings.load(k=3.0).k == 3 and Settings.load(k="4.0").k == 4 and Settings.load(max_k="1e2").max_k == 100
    assert type(Settings.load(k=3.0).k) is int
    assert Settings.load(keyword_weight_zh="0.05").keyword_weight_zh == 0.05 and Settings.load(keyword_weight_zh=1).keyword_weight_zh == 1.0
    for name, value in (("keyword_weight_zh", "nan"), ("cross_offset_zh", float("inf")), ("k", "inf"), ("k", "nan")):
        with pytest.raises(BadSetting, match=rf"setting {name} \(QA_{name.upper()}\) must be a (whole|finite) number"):
            Settings.load(**{name: value})
    with pytest.raises(BadSetting, match=r"keyword_weight_zh \(QA_KEYWORD_WEIGHT_ZH\) must be a number, got 'lots'"):
        Settings.load(keyword_weight_zh="lots")


def test_a_folder_setting_naming_a_file_is_refused_however_it_is_set(tmp_path, monkeypatch):
    """`qa add x.txt --docs notes.txt` (a file for the docs folder) ended in FileExistsError with a traceback after
    building an index, and `qa build --docs notes.txt` warned that the folder "does not exist"."""
    from qa.settings import SETTINGS_BY_NAME

    file = tmp_path / "notes.txt"
    file.write_text("not a folder")
    for name in ("docs_dir", "index_dir", "cache_dir"):
        words = rf"setting {name} \(QA_{name.upper()}\) must be a folder, but {file} is a file"
        with pytest.raises(BadSetting, match=words):
            Settings.load(**{name: str(file)})
        with pytest.raises(BadSetting, match=words):
            coerce(SETTINGS_BY_NAME[name], file)
        monkeypatch.setenv(f"QA_{name.upper()}", str(file))
        with pytest.raises(BadSetting, match=words):
            Settings.load()
        monkeypatch.delenv(f"QA_{name.upper()}")
    assert Settings.load(docs_dir=str(tmp_path / "new")).docs_dir == tmp_path / "new"  # one to be made is fine
