from __future__ import annotations

from pathlib import Path

from qa.chunk import ChunkParams, chunk_document, sentence_spans
from qa.ingest import load_document
from qa.records import Document


def _doc(text: str) -> Document:
    return Document("d", "d.txt", "t", None, "simplified", "zh", text, "")


def test_every_chunk_of_both_articles_points_at_its_exact_text(articles):
    assert len(articles) == 2
    for doc in articles:
        chunks = chunk_document(doc)
        assert len(chunks) > 10
        for c in chunks:
            assert doc.text[c.start : c.end] == c.text
            assert c.text.strip() == c.text
            for s, e in c.sentences:
                assert c.start <= s < e <= c.end
        # every character of every paragraph lands in some chunk
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        assert all(i in covered for i, ch in enumerate(doc.text) if not ch.isspace())


def test_sentences_never_split_inside_numbers():
    text = "H200配备HBM3e内存（141GB容量、4.8TB/s带宽），份额从95%降至54.4%。Prices rose 2.5 percent. Next one!"
    spans = sentence_spans(text, 0, len(text))
    pieces = [text[s:e] for s, e in spans]
    assert pieces == ["H200配备HBM3e内存（141GB容量、4.8TB/s带宽），份额从95%降至54.4%。", "Prices rose 2.5 percent.", "Next one!"]


def test_chinese_sentence_ends_keep_closing_quotes():
    text = "他說：「這只是開始。」隨後離開？是的；好！"
    pieces = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert pieces == ["他說：「這只是開始。」", "隨後離開？", "是的；", "好！"]


def test_english_abbreviations_do_not_end_sentences():
    text = "The U.S. government and Mr. Huang met. They agreed."
    pieces = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert pieces == ["The U.S. government and Mr. Huang met.", "They agreed."]


def test_abbreviations_in_capitals_do_not_end_sentences():
    """A tester's dateline "ST. BRIDE'S, Nova Scotia, …" was cut after "ST.", and the card highlighted the rest."""
    text = "ST. BRIDE'S, Nova Scotia, November 3, 2026 (Harbour Herald) — Kestrel Ferries will raise fares. MT. HOOD " \
           "reopened after DR. SMITH spoke. A delay of 30 ms. She said no. They left."
    pieces = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert pieces == ["ST. BRIDE'S, Nova Scotia, November 3, 2026 (Harbour Herald) — Kestrel Ferries will raise fares.",
                      "MT. HOOD reopened after DR. SMITH spoke.", "A delay of 30 ms.", "She said no.", "They left."]


def test_windows_overlap_by_one_sentence_and_stay_in_paragraph():
    text = "一。二。三。四。五。\n六。"
    chunks = chunk_document(_doc(text), ChunkParams(3, 1, 360))
    assert [c.text for c in chunks] == ["一。二。三。", "三。四。五。", "六。"]
    assert [c.paragraph for c in chunks] == [1, 1, 2]


def test_a_byline_or_date_line_is_never_a_passage_of_its_own():
    """A tester's byline, longer than a heading, was a passage of its own and cited as a card ("Who is the mayor of
    Port Carrow?"): now glued under the next paragraph like a heading, and at the article's end in no passage."""
    text = ("Port Carrow desalination plant starts pumping\n\nBy Megan O'Leary, Regional Affairs Reporter\n\n"
            "The plant began supplying water. The mayor was pleased.\n\nUpdated 15 April 2026 at 10:15\n\n"
            "Twelve staff will run it.\n\n（记者 黎晓岚 通讯员 李明）")
    chunks = chunk_document(_doc(text))
    assert [(c.paragraph, text[c.body_sentences[0][0]:c.body_sentences[-1][1]]) for c in chunks] == [
        (3, "The plant began supplying water. The mayor was pleased."), (5, "Twelve staff will run it.")]
    assert chunks[0].text.startswith("Port Carrow desalination plant starts pumping\n\nBy Megan O'Leary")
    # a sentence that opens with "By" is body text; an article of a headline and a byline still has a passage
    body = "Sales\n\nBy the end of 2025, sales had doubled.\n\nThey fell in 2026."
    assert [c.paragraph for c in chunk_document(_doc(body))] == [2, 3]
    assert [c.text for c in chunk_document(_doc("Headline\nBy Jane Doe"))] == ["Headline\nBy Jane Doe"]


def test_heading_is_glued_to_the_next_paragraph():
    text = "中国的战略回应\n中国方面可能采取审慎而务实的应对方式。过往经验显示。"
    chunks = chunk_document(_doc(text))
    assert len(chunks) == 1
    assert chunks[0].text.startswith("中国的战略回应\n")
    assert chunks[0].paragraph == 2


def test_a_headline_is_measured_in_columns_so_an_english_one_is_glued_too():
    """An English headline of 61 letters was a passage of its own, cited above the lead with the whole line
    highlighted ("Who was the fastest woman in the Norwich marathon?"); a Chinese one of 25 characters was glued."""
    english = ("Record field of 9,400 runners completes Norwich City Marathon\n"
               "A record 9,400 runners crossed the finish line on Sunday, organisers said.")
    chunks = chunk_document(_doc(english))
    assert [c.paragraph for c in chunks] == [2]
    assert chunks[0].text.startswith("Record field")
    # a Chinese line of 41 characters is body text, as before: 82 columns
    long_line = "这" * 41
    assert [c.paragraph for c in chunk_document(_doc(long_line + "\n第一句。"))] == [1, 2]
    # further down, a list's item (the extractor dropped its marker) stays a passage of its own
    listed = "Port results\nThe port had a record year.\nContainer volume rose to 32 million TEU in 2024\nClosing line."
    assert [c.paragraph for c in chunk_document(_doc(listed))] == [2, 3, 4]


def test_a_sentence_end_inside_a_short_bracket_ends_no_sentence():
    """A book title (《卡拉OK.LIVE！‧台北‧我》) or an aside whose foreign words were stripped (京急逗子线（；）) is
    part of its sentence; a bracket left open, or one longer than an aside, splits as before."""
    text = ("《卡拉OK.LIVE！‧台北‧我》是张雨生的第六张专辑。京急逗子线（；）是一条铁路线。"
            "He sold it (see p. 4. Also there). Next one. 未闭合（括号。下一句。")
    pieces = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert pieces == ["《卡拉OK.LIVE！‧台北‧我》是张雨生的第六张专辑。", "京急逗子线（；）是一条铁路线。",
                      "He sold it (see p. 4. Also there).", "Next one.", "未闭合（括号。", "下一句。"]
    long_aside = "甲（" + "很长的插话。" * 12 + "）乙。"
    assert len(sentence_spans(long_aside, 0, len(long_aside))) > 2


def test_a_title_is_embedded_in_front_of_a_passage_only_in_its_own_language_and_when_not_already_there() -> None:
    from qa.build import signature, title_prefix

    text = "ASML results\nNet income rose to €8.9 billion. The backlog stood at €38 billion."
    doc = Document("a", "a.txt", "ASML results", None, "latin", "en", text, "")
    first, *_ = chunk_document(doc, ChunkParams(1, 0, 360))
    assert first.text.startswith("ASML results") and title_prefix(doc, first) == ""  # the headline is already there
    body = Document("b", "b.txt", "ASML’s 2025 sales", None, "latin", "en", text.split("\n")[1], "")
    chunks = chunk_document(body, ChunkParams(1, 0, 360))
    assert len(chunks) == 2 and [title_prefix(body, c) for c in chunks] == ["ASML’s 2025 sales\n"] * 2
    zh = Document("z", "z.txt", "Super_Bowl_50", None, "simplified", "zh", "黑豹队的防守只丢了308分。", "")
    assert title_prefix(zh, chunk_document(zh)[0]) == ""  # a translated corpus keeps English titles: not mixed in
    zh_titled = Document("z", "z.txt", "第50屆超級盃", None, "traditional", "zh", "黑豹队的防守只丢了308分。", "")
    assert title_prefix(zh_titled, chunk_document(zh_titled)[0]) == "第50届超级杯\n"  # Simplified, as every text meets the model

    class Encoder:
        model_id, dim, latent_source, latent_features, sentence_source = "m", 4, "", 0, "separate"

    assert signature(Encoder(), ChunkParams(3, 1, 360))["passage_title"] == 0  # old indexes (no key) stay fresh
    assert signature(Encoder(), ChunkParams(3, 1, 360, title=1))["passage_title"] == 1


def test_a_table_row_is_body_text_not_a_heading() -> None:
    """A Word or Markdown table's rows (cells joined by " | ") are short and end without a full stop: read as
    headings, they were glued to the paragraph under the table, never a passage of their own nor highlighted."""
    from qa.extract.blocks import CELL_SEPARATOR

    rows = [CELL_SEPARATOR.join(r) for r in (["Quarter", "Revenue", "Net profit"], ["Q3 2025", "$561m", "$39.6m"])]
    text = "\n\n".join(["Results", *rows, "Sales grew in every region."])
    doc = Document("d", "d.docx", "t", None, "latin", "en", text, "")
    chunks = chunk_document(doc)
    assert [c.text for c in chunks] == [f"Results\n\n{rows[0]}", rows[1], "Sales grew in every region."]
    assert all(text[c.start:c.end] == c.text for c in chunks)


def test_a_list_after_its_introduction_keeps_an_english_item_longer_than_a_heading() -> None:
    """A tester's Keelung budget listed "Projects cut from the budget include:" and three items; the third, 41
    characters, was longer than a heading may be, so it was cut off the list and cited alone, without the line that
    says what it is (基隆明年預算刪掉的項目中，哪一項是跨年活動？ found it second, under the lead)."""
    items = ["the Zhongzheng Park cable car study", "a new city logo and signage", "the harbour New Year's Eve fireworks show"]
    text = "\n\n".join(["Keelung passes its budget", "The council passed the budget on Tuesday.",
                         "Projects cut from the budget include:", *items, "The speaker said repairs come first."])
    doc = Document("d", "d.md", "t", None, "latin", "en", text, "")
    chunks = chunk_document(doc)
    assert [c.text for c in chunks if "fireworks" in c.text] == ["\n\n".join(["Projects cut from the budget include:", *items])]


def test_a_table_row_is_embedded_under_its_header_row() -> None:
    """A tester's "竹北再生水厂第二期的日供水能力是多少？" met "Second phase | 45,000 tonnes | 2028" below the sentence on
    phase one: the row alone says nothing of daily capacity. Its vector is made with the header row in front (the
    passage and its offsets are the row alone)."""
    from qa.build import encode_documents
    from qa.chunk import ChunkParams
    from qa.extract.blocks import CELL_SEPARATOR
    from tests.fakes import FakeEncoder

    rows = [CELL_SEPARATOR.join(r) for r in (["Phase", "Daily capacity", "Start"], ["Second phase", "45,000 tonnes", "2028"])]
    text = "\n\n".join(["Water plant opens", "The plant supplies chipmakers.", *rows, "It cost NT$4.7 billion."])
    doc = Document("d", "d.md", "t", None, "latin", "en", text, "")
    encoder = FakeEncoder(["capacity", "tonnes"])
    [encoded] = encode_documents([doc], encoder, ChunkParams.from_settings())
    row = next(i for i, c in enumerate(encoded.chunks) if c.text == rows[1])
    assert encoded.vectors[row][0] > 0  # "capacity": the header's word
    assert [c.text for c in encoded.chunks if "capacity" in c.text] == [rows[0]]  # cited as written


def test_a_list_is_a_passage_of_its_own_whose_lines_can_answer() -> None:
    """A tester's beer festival gave each venue's consumption in lines under "各会场啤酒消费量如下：": short and ending
    no sentence, they were read as headings of the next paragraph, where nothing reads a heading, and "How much beer
    was drunk on Dengzhou Road?" found nothing in ten cards. A list (after a line ending in a colon, or labelled
    lines in a run) is one passage, numbered as its first line, every line a sentence that may be highlighted."""
    lines = ["第36届青岛国际啤酒节闭幕", "本届啤酒节累计接待游客680万人次。", "各会场啤酒消费量如下：", "金沙滩主会场：2100吨",
             "石老人分会场：760吨", "登州路啤酒街：540吨", "本届啤酒节首次推出两款节庆限定啤酒。"]
    text = "\n".join(lines)
    chunks = chunk_document(_doc(text))
    listed = next(c for c in chunks if "登州路" in c.text)
    assert listed.text == "\n".join(lines[2:6]) and listed.paragraph == 3
    assert text[slice(*listed.body_sentences[-1])] == "登州路啤酒街：540吨"
    assert text[slice(*listed.body_sentences[0])] == "各会场啤酒消费量如下："  # what the lines count: on the card too
    assert chunks[-1].text == lines[-1] and chunks[-1].paragraph == 7  # the paragraph after it is glued to nothing
    # labelled lines in a run, in English, with a heading above: the heading is glued in front; a quote's 。」 or a
    # full stop ends the list (a paragraph is not an item)
    english = "\n\n".join(["Kelder Bridge closes", "The bridge closes in November.", "At a glance", "Turbines: 38",
                            "Capacity: 228 megawatts", "Owner: Atlantic Crest", "Construction will create 300 jobs."])
    doc = Document("e", "e.md", "t", None, "latin", "en", english, "")
    listed = next(c for c in chunk_document(doc) if "Turbines" in c.text)
    assert listed.text.startswith("At a glance\n\nTurbines: 38") and listed.text.endswith("Owner: Atlantic Crest")
    assert [english[slice(*s)] for s in listed.body_sentences][0] == "Turbines: 38"
    quoted = "\n".join(["北捷票价调整", "各票种调整如下：", "普通票：起程20元→25元", "董事长表示：「不得不调整。」", "其他票种不变。"])
    assert [c.text for c in chunk_document(_doc(quoted))][1:] == ["董事长表示：「不得不调整。」", "其他票种不变。"]


def test_an_index_chunked_under_older_rules_is_rebuilt() -> None:
    from qa.build import compatible, signature

    class Encoder:
        model_id, dim, latent_source, latent_features, sentence_source = "m", 4, "", 0, "separate"

    params = ChunkParams(3, 1, 360)
    manifest = signature(Encoder(), params)
    assert compatible(manifest, Encoder(), params)
    older = {**manifest, "chunking": {k: v for k, v in manifest["chunking"].items() if k != "rules"}}
    assert not compatible(older, Encoder(), params)  # its table rows were glued to the next paragraph


def test_a_long_english_byline_in_emphasis_is_glued_under_the_lead():
    """The tester's "*By Claire Donovan, Arts Correspondent, The Harbour Post — 3 March 2026*" (held-out 11) was a
    passage of its own, longer than a heading; in a plain-text file its marks stay and must not hide it either."""
    path = Path(__file__).parent.parent / "eval" / "heldout11" / "norhaven-philharmonic-conductor.en.md"
    doc = load_document(path, max_bytes=10**6)
    first = chunk_document(doc)[0]
    assert first.paragraph == 3 and first.text.startswith("Norhaven Philharmonic names")
    assert "By Claire Donovan" in first.text and doc.text[first.body_sentences[0][0]:].startswith("The Norhaven")
    text = "Conductor named\n\n*By Claire Donovan, Arts Correspondent, The Harbour Post — 3 March 2026*\n\nShe starts."
    assert [c.paragraph for c in chunk_document(_doc(text))] == [3]
