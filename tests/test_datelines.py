"""Chinese newspaper datelines and bylines (qa/text/metadata.py, qa.ingest.derive_date / derive_author /
derive_source): the article's date, reporter and publisher come from them, and a card never highlights them."""
from __future__ import annotations

from pathlib import Path

import pytest

from qa.extract import Limits
from qa.extract.markdown import extract as extract_markdown
from qa.ingest import derive_author, derive_date, derive_source, document_from_bytes, load_document
from qa.text.metadata import by_names, byline_author, credited_source, dateline_length, is_metadata

LEADS = {  # the story's first line: its dateline, what the reader's highlight starts after
    "本报讯（记者 陈晓东）2026年3月18日，宁波市宣布港口扩建。": "本报讯（记者 陈晓东）",
    "【本報訊】（2026年8月15日）本地連鎖超市宣布新開十家分店。": "【本報訊】（2026年8月15日）",
    "【本报讯】宁波市昨日宣布港口扩建。": "【本报讯】",
    "本報訊 行政院今天表示。": "本報訊 ",
    "嘉義訊 嘉義市政府昨日宣布新措施。": "嘉義訊 ",
    "香港讯：特区政府昨日公布预算。": "香港讯：",
    "新华社北京3月18日电（记者 王小明）国务院召开常务会议。": "新华社北京3月18日电（记者 王小明）",
    "新华社电 国务院召开常务会议。": "新华社电 ",
    "本报北京2026年3月18日电（记者 李明）国务院召开会议。": "本报北京2026年3月18日电（记者 李明）",
    "云南日报昆明2025年10月12日讯（记者 杨晓雯）记者从交易中心获悉。": "云南日报昆明2025年10月12日讯（记者 杨晓雯）",
    "新华社北京12月10日电美国政府表示。": "新华社北京12月10日电",
    "（记者 陈晓东）2026年3月18日，宁波市宣布港口扩建。": "（记者 陈晓东）",
    "〔記者王小明／台北報導〕行政院今天表示。": "〔記者王小明／台北報導〕",
    "南方日报消息（记者 王敏）昨日，广州市宣布新措施。": "南方日报消息（记者 王敏）",  # a paper's 消息 as its 讯
    "本报消息 市政府今天表示。": "本报消息 ",
}


def test_chinese_datelines_are_recognised() -> None:
    assert {s: s[:dateline_length(s)] for s in LEADS} == LEADS
    # a word ending in 讯 is no dateline; nor a date that opens the sentence (CMRC, XQuAD)
    for sentence in ("资讯科技行业去年增长了百分之十。", "资讯（Information）是指消息。", "通讯公司宣布裁员。",
                     "2025年10月18日，英偉達表示。", "记者会上，发言人表示。",
                     "他说12月10日讯息很重要。", "12月10日电视台报道了此事。",  # 讯息, 电视: words, not 讯 or 电
                     "消息人士称，价格上涨。", "市场消息显示价格上涨。", "据南方日报消息，价格上涨。"):
        assert dateline_length(sentence) == 0, sentence


@pytest.mark.parametrize("line", ["記者王小明／台北報導", "记者陈晓东", "记者陈晓东 通讯员李明", "本报讯（记者 陈晓东）",
                                  "【本報訊】（2026年8月15日）", "（记者 陈晓东）", "文／張三"])
def test_chinese_bylines_and_datelines_on_their_own_line_are_metadata(line) -> None:
    assert is_metadata(line)


def test_a_masthead_line_of_paper_date_and_reporter_is_metadata() -> None:
    """Testers' Word and PDF articles open with the paper's name, the date and the reporter on one line; cited as a
    card ("Great Lakes Business Record | 9 November 2027 | By Ryan Costa" second for a question on its mill)."""
    for line in ("Great Lakes Business Record | 9 November 2027 | By Ryan Costa", "春城晚报记者 赵丽萍　2026年4月29日",
                 "Penang Business Weekly | 12 November 2027 | By Farah Iskandar"):
        assert is_metadata(line), line
    for sentence in ("Sales rose | 9 November 2027 | By the end of it", "The council said on 9 November 2027 that costs rose",
                     "南方日报记者会上说，2026年4月29日起涨价。"):
        assert not is_metadata(sentence), sentence


def test_a_sentence_that_names_a_reporter_is_no_byline() -> None:
    assert not is_metadata("记者会上，发言人表示港口将扩建。")
    assert not is_metadata("（经济日报记者林佩君说，营收大增）")  # a bracketed sentence is no credit
    assert not is_metadata("宁波市宣布港口扩建，记者陈晓东在现场采访。")


@pytest.mark.parametrize("text, date", [
    ("宁波港扩建\n本报讯（记者 陈晓东）2026年3月18日，宁波市宣布港口扩建计划。", "2026-03-18"),
    ("連鎖超市擴張\n【本報訊】（2026年8月15日）本地連鎖超市宣布新開十家分店。", "2026-08-15"),
    ("标题\n新华社北京3月18日电（记者 王小明）2026年3月18日，国务院召开常务会议。", "2026-03-18"),
    ("花卉拍卖\n\n云南日报昆明2025年10月12日讯（记者 杨晓雯）记者从交易中心获悉，今年1至9月成交12.6亿枝。", "2025-10-12"),
    ("標題\n記者王小明／台北報導\n2026年3月18日，行政院今天表示。", "2026-03-18"),
    ("標題\n〔記者王小明／台北報導〕2026年3月18日，行政院今天表示。", "2026-03-18"),
    # a paper's credit in brackets, the date after it on its line: a tester's Taiwan results story was undated
    ("新宇資訊第三季營收創新高\n\n（經濟日報記者 林佩君／台北報導）2026年10月30日\n\n新宇資訊今天召開法說會。", "2026-10-30"),
])
def test_the_date_after_a_chinese_dateline_dates_the_article(text, date) -> None:
    assert derive_date(text) == date


def test_a_place_and_a_date_on_a_line_of_their_own_date_the_article() -> None:
    """A tester's English recall story ("By Liam Carter, …" then "MELBOURNE, 9 January 2026" on its own line) had
    no date, so a date filter left it out; a capitalised city alone before the date counts too, a word that
    begins a sentence does not."""
    berries = "Frozen berry recall widens\n\nBy Liam Carter, Southern Cross Herald\nMELBOURNE, 9 January 2026\n\nA recall widened."
    assert derive_date(berries) == "2026-01-09"
    assert derive_date("Recall\nMelbourne, 9 January 2026\nA recall widened.") == "2026-01-09"
    assert derive_date("Recall\nSales, 9 January 2026 and after, fell.") is None
    assert is_metadata("MELBOURNE, 9 January 2026") and is_metadata("COLUMBUS, Ohio, 4 March 2026")


def test_a_date_in_the_middle_of_the_first_sentence_still_does_not_date_the_article() -> None:
    assert derive_date("宁波港扩建\n本报讯（记者 陈晓东）宁波市宣布，港口将于2026年6月1日开工。") is None
    assert derive_date("Library news\nThe library will open a new branch on 1 June 2026 in the east.") is None
    assert derive_date("新品\n本报讯（记者 陈晓东）公司将于2026年6月1日发布新品。") is None  # a day to come


def test_today_s_date_or_the_day_of_an_announcement_in_the_lead_dates_the_article() -> None:
    """A tester's tuna and panda stories had no date, so a date filter left them out: 今（2026年5月3日） says the day
    of the news, as 中心2026年11月30日宣布 does."""
    assert derive_date("東港黑鮪魚\n【記者黃玉珊／屏東報導】首尾黑鮪魚今（2026年5月3日）在東港魚市場拍賣。") == "2026-05-03"
    assert derive_date("卧龙双胞胎\n本报讯（记者 周雨桐）中国大熊猫保护研究中心2026年11月30日宣布，青青产下双胞胎。") == "2026-11-30"


def test_a_city_before_the_date_in_a_byline_is_no_publisher() -> None:
    assert derive_source("Lava\n\nBy Sigrun Palsdottir, Reykjavik, 1 December 2026\n\nThe eruption ended.") is None
    assert derive_source("Lava\n\nBy Jane Doe, Reuters, 1 December 2026\n\nThe eruption ended.") == "Reuters"
    assert derive_source("Lava\n\nBy Jane Doe, Pacific Business Daily, 1 December 2026\n\nIt ended.") == "Pacific Business Daily"


@pytest.mark.parametrize("text, author", [
    ("宁波港扩建\n本报讯（记者 陈晓东 通讯员 李明）2026年3月18日，宁波市宣布港口扩建计划。", "陈晓东"),
    ("标题\n新华社北京3月18日电（记者 王小明）国务院召开常务会议。", "王小明"),
    ("標題\n記者王小明、李大華／台北報導\n行政院今天表示。", "王小明、李大華"),
    ("标题\n记者 陈晓东\n宁波市宣布港口扩建计划。", "陈晓东"),
    ("Title\nBy Jane Doe, March 3, 2026\nBody.", "Jane Doe"),
    ("标题\n（中央社記者王小明台北10日電）行政院今天表示。", None),  # no telling the name from the place
    ("标题\n宁波市宣布港口扩建，记者陈晓东在现场采访。", None),  # a name in the body is no author
    ("Title\nBy Friday, the bridge reopens.", None),
])
def test_the_reporter_of_a_byline_is_the_author(text, author) -> None:
    assert derive_author(text) == author


@pytest.mark.parametrize("text, source", [
    ("西安地铁10号线开通\n新华社西安11月3日电（记者 李文博）西安地铁10号线一期工程3日开通。", "新华社"),
    ("南京划片试点\n来源：南京日报 作者：王敏\n南京市教育局发布通知。", "南京日报"),
    ("南京划片试点\n2026年11月21日 08:30 来源：南京日报\n南京市教育局发布通知。", "南京日报"),
    ("Chips\nWASHINGTON, Dec 10 (Reuters) - The U.S. will allow exports.", "Reuters"),
    ("Court rules\nBy Rachel Moana, Pacific Business Daily\nAUCKLAND - The court ruled.", "Pacific Business Daily"),
    ("标题\n正文第一段。\n正文第二段。\n（来源：人民日报）", "人民日报"),  # credited at the end
    ("Title\nBy Jane Doe, March 3, 2026\nBody.", None),
    ("标题\n来源于市场的消息显示，价格上涨。", None),  # a sentence, not a label
    ("标题\n新华社记者表示，这是一次重要会议。", None),  # the agency as a sentence's subject
    # a paper's 讯 or 消息 names it, as 新华社…电 does (a tester's lychee story had no source to filter by)
    ("茂名荔枝\n\n南方农村报讯（记者 黎晓岚）2026年5月下旬，荔枝进入采摘旺季。", "南方农村报"),
    ("花卉拍卖\n云南日报昆明2025年10月12日讯（记者 杨晓雯）记者从交易中心获悉。", "云南日报"),
    ("广州\n南方日报消息（记者 王敏）昨日，广州市宣布新措施。", "南方日报"),
    ("嘉義\n嘉義訊 嘉義市政府昨日宣布新措施。", None),  # a bureau's place is no publisher
    ("宁波港\n本报讯（记者 陈晓东）宁波市宣布港口扩建。", None),  # 本报: "this paper", no name
    # an outlet in brackets in an English dateline, as a wire's "(Reuters) -"
    ("Ferries\n\nBy Tom Ashworth\n\nST. BRIDE'S, Nova Scotia, November 3, 2026 (Harbour Herald) — Kestrel Ferries "
     "will raise fares.", "Harbour Herald"),
    ("Storm\nSAN JOSE, Costa Rica, 4 March 2026 (UPDATED) — It rained.", None),  # a note on the story, no outlet
])
def test_the_publisher_a_dateline_or_label_credits_is_the_source(text, source) -> None:
    assert derive_source(text) == source


def test_a_job_title_after_a_byline_s_names_is_no_source() -> None:
    """A tester's "By Megan O'Leary, Regional Affairs Reporter" above "PORT CARROW, …, April 14, 2026 (Coastline
    News) — " gave the article the source "Regional Affairs Reporter"."""
    text = ("Port Carrow desalination plant starts pumping\n\nBy Megan O'Leary, Regional Affairs Reporter\n\n"
            "PORT CARROW, Western Australia, April 14, 2026 (Coastline News) — The first stage began supplying water.")
    doc = document_from_bytes(text.encode(), "port-carrow.en.txt", max_bytes=10**6)
    assert (doc.source, doc.author, doc.date) == ("Coastline News", "Megan O'Leary", "2026-04-14")
    assert credited_source("By Priya Raman, Education Correspondent") is None
    assert credited_source("By Priya Raman, Education Correspondent · 19 February 2026") is None
    assert credited_source("By Jane Doe, Staff Writer, Pacific Business Daily") == "Pacific Business Daily"
    assert credited_source("By Jane Doe, The Hollywood Reporter") == "The Hollywood Reporter"  # an outlet's name
    assert byline_author("By Jane Doe, staff writer") == "Jane Doe"  # a title in lower case names the writer still


def test_the_file_or_sidecar_source_wins_over_the_credit() -> None:
    text = "西安地铁\n新华社西安11月3日电 西安地铁开通。".encode()
    assert document_from_bytes(text, "metro.txt", max_bytes=10**6).source == "新华社"
    assert document_from_bytes(text, "metro.txt", max_bytes=10**6, meta={"source": "西安日报"}).source == "西安日报"


def test_the_file_or_sidecar_author_wins_over_the_byline() -> None:
    text = "宁波港扩建\n本报讯（记者 陈晓东）2026年3月18日，宁波市宣布港口扩建计划。".encode()
    doc = document_from_bytes(text, "port.txt", max_bytes=10**6)
    assert (doc.date, doc.author) == ("2026-03-18", "陈晓东")
    assert document_from_bytes(text, "port.txt", max_bytes=10**6, meta={"author": "宁波日报"}).author == "宁波日报"


def test_a_bold_bureau_dateline_in_markdown_is_a_dateline() -> None:
    text = extract_markdown("# 嘉義新聞\n\n**嘉義訊**　嘉義市政府昨日宣布新措施。\n".encode(), "chiayi.md", Limits()).text
    line = text.splitlines()[-1]
    assert line[dateline_length(line):] == "嘉義市政府昨日宣布新措施。"
    assert byline_author(line) is None


def test_a_caption_labelled_or_credited_as_chinese_papers_write_it_is_metadata() -> None:
    """A tester's panda caption (图片说明：… 中国大熊猫保护研究中心供图) was cited first for the twins' weight."""
    assert is_metadata("图片说明：11月28日，工作人员为双胞胎中的妹妹称量体重。")
    assert is_metadata("中国大熊猫保护研究中心供图") and is_metadata("记者 孙博 摄")
    assert is_metadata("Photo: Steam rises from the cooling lava field east of Vogavik on 28 November.")
    assert not is_metadata("这部电影由张艺谋拍摄") and not is_metadata("他说照片是在北京拍摄。")
    assert not is_metadata("The photo shows the plant, which opened in 2024.")


def test_a_long_or_emphasised_english_byline_dates_and_names_the_article() -> None:
    """A tester's Markdown byline "*By Claire Donovan, Arts Correspondent, The Harbour Post — 3 March 2026*" (71
    characters once rendered, past the 60 a byline was read to) gave the article no date and no author; the same
    line in a plain-text file keeps its emphasis marks, which hid it from the byline's "By"."""
    path = Path(__file__).parent.parent / "eval" / "heldout11" / "norhaven-philharmonic-conductor.en.md"
    doc = load_document(path, max_bytes=10**6)
    assert (doc.date, doc.author, doc.source) == ("2026-03-03", "Claire Donovan", "The Harbour Post")
    for marks in ("*", "**", "_"):
        line = f"{marks}By Claire Donovan, Arts Correspondent, The Harbour Post — 3 March 2026{marks}"
        plain = document_from_bytes(f"Conductor named\n\n{line}\n\nThe orchestra said.".encode(), "c.txt", max_bytes=10**6)
        assert (plain.date, plain.author, plain.source) == ("2026-03-03", "Claire Donovan", "The Harbour Post"), marks
        assert is_metadata(line)
    assert derive_date("Title\n\n**记者 陈晓东 2026年3月18日**\n\n宁波市宣布港口扩建。") == "2026-03-18"
    # a sentence in emphasis is a sentence still; one that only opens "By" a capitalised word names no one
    assert not is_metadata("*By the end of 2025, sales had doubled at Harbour Post Ltd.*")
    assert by_names("By Claire Donovan, Arts Correspondent, The Harbour Post, who said the hall was full") is None
