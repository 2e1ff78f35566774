"""Each format on real files made in the test (PDF by fpdf2, DOCX by python-docx, saved news pages with real page
furniture, Markdown), in English, 简体 and 繁體: the text, the metadata, exact offsets, page numbers, clear errors."""
from __future__ import annotations

import io
import zipfile

import pytest

from qa.chunk import chunk_document
from qa.errors import CorruptFile, EncryptedFile, NoArticleText, NoTextLayer, TooManyPages
from qa.extract import Limits
from qa.extract.dates import parse_date
from qa.ingest import document_from_bytes
from tests.sample_files import AD_LINE, COMMENT_LINE, FOOTER_LINE, PAGES, PDF_PAGES, make_docx, make_pdf, make_scanned_pdf, news_page

MB = 10_000_000
SCRIPTS = {"en": ("en", "latin"), "simplified": ("zh", "simplified"), "traditional": ("zh", "traditional")}


def assert_exact_offsets(doc):  # type: ignore[no-untyped-def]
    chunks = chunk_document(doc)
    assert chunks
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        for s, e in c.sentences:
            assert c.start <= s < e <= c.end
    return chunks


# ---- PDF ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("story", list(PDF_PAGES))
def test_pdf_text_pages_and_offsets(story):
    pages = PDF_PAGES[story]
    doc = document_from_bytes(make_pdf(pages, title=pages[0][0], author="Jane Reporter"), f"{story}.pdf", max_bytes=MB)
    assert (doc.language, doc.script) == SCRIPTS[story]
    assert (doc.title, doc.author) == (pages[0][0], "Jane Reporter")
    assert doc.extractor.startswith("pdfplumber ")
    assert len(doc.page_starts) == 2
    # every paragraph comes back whole (wrapped lines rejoined, no page-number footer) on the page it was written on
    for number, paragraphs in enumerate(pages, start=1):
        for paragraph in paragraphs:
            at = doc.text.index(paragraph)
            assert doc.page_at(at) == number and doc.page_at(at + len(paragraph) - 1) == number, paragraph
    assert "- 1 -" not in doc.text and "- 2 -" not in doc.text
    chunks = assert_exact_offsets(doc)
    on_page = {doc.page_at(c.start) for c in chunks}
    assert on_page == {1, 2}
    for c in chunks:  # a passage never spans two pages, so its page is exact
        assert doc.page_at(c.start) == doc.page_at(c.end - 1)


def test_pdf_paragraphs_of_a_short_page_are_told_apart_by_the_documents_line_gap():
    """A tester's PDF: page 2 held four lines, two paragraphs of full-width lines; its median gap was the gap
    between paragraphs, so they were merged (and every ¶ number after them was one off)."""
    from qa.extract.pdf import line_gap, page_paragraphs

    def line(text: str, top: float, x1: float = 560.0) -> dict:
        return {"text": text, "x0": 50.0, "x1": x1, "top": top, "bottom": top + 10}

    page1 = [line("Headline of the story", 44, 300), line("First paragraph, line one runs to the margin", 72),
             line("and its second line.", 86, 200), line("Second paragraph, line one", 114), line("line two", 128, 150)]
    page2 = [line("The rupee weakened 0.8 percent after the decision, to its lowest level since March.", 44),
             line("The two largest commercial banks said they would lower their prime lending rates by", 72),
             line("50 basis points from 1 October.", 86, 300), line("The committee meets again in November.", 114, 400)]
    usual = line_gap([page1, page2])
    assert usual == 4
    assert page_paragraphs(page2, usual) == [
        "The rupee weakened 0.8 percent after the decision, to its lowest level since March.",
        "The two largest commercial banks said they would lower their prime lending rates by 50 basis points from 1 October.",
        "The committee meets again in November."]


@pytest.mark.parametrize("producer_title", ["about:blank", "https://news.example.com/story", "Microsoft Word - brief.docx",
                                            "untitled"])
def test_a_pdf_title_the_producer_wrote_gives_way_to_the_headline(producer_title):
    """A tester's Chrome "Save as PDF" file was titled "about:blank" (the title Chrome writes)."""
    pages = PDF_PAGES["en"]
    doc = document_from_bytes(make_pdf(pages, title=producer_title), "saved.pdf", max_bytes=MB)
    assert doc.title == pages[0][0]


def test_pdf_date_comes_from_its_dateline():
    assert document_from_bytes(make_pdf(PDF_PAGES["en"]), "en.pdf", max_bytes=MB).date == "2026-01-14"
    assert document_from_bytes(make_pdf(PDF_PAGES["simplified"]), "zh.pdf", max_bytes=MB).date == "2025-12-10"


def test_scanned_pdf_is_refused_with_what_to_do():
    with pytest.raises(NoTextLayer, match=r"scan\.pdf: none of its 2 page\(s\) has a text layer.*OCR"):
        document_from_bytes(make_scanned_pdf(2), "scan.pdf", max_bytes=MB)


def test_encrypted_pdf_is_refused():
    data = make_pdf(PDF_PAGES["en"], password="secret")
    with pytest.raises(EncryptedFile, match=r"locked\.pdf: the PDF is password-protected; save an unprotected copy"):
        document_from_bytes(data, "locked.pdf", max_bytes=MB)


@pytest.mark.parametrize("data", [b"%PDF-1.7\nnot really a pdf", b"", "truncated"], ids=["garbage", "empty", "truncated"])
def test_corrupt_pdf_is_refused(data):
    if data == "truncated":
        data = make_pdf(PDF_PAGES["en"])[:300]
    with pytest.raises(CorruptFile, match=r"broken\.pdf: .*re-download or re-export"):
        document_from_bytes(data, "broken.pdf", max_bytes=MB)


def test_pdf_page_limit_is_a_setting():
    with pytest.raises(TooManyPages, match=r"long\.pdf: 2 pages is over the limit of 1 pages \(setting max_pages\)"):
        document_from_bytes(make_pdf(PDF_PAGES["en"]), "long.pdf", max_bytes=MB, limits=Limits(max_pages=1))


# ---- DOCX -----------------------------------------------------------------------------------------------
DOCX = {
    "en": ([("Title", "Nvidia cleared to sell H200 in China"), ("Normal", "14 January 2026. The United States will allow Nvidia to sell H200 chips."),
            ("Heading 1", "Specifications"), ("Normal", "The H200 has 141GB of HBM3e memory.")],
           [["Chip", "Memory", "Bandwidth"], ["H200", "141GB", "4.8TB/s"]]),
    "simplified": ([("Title", "美国放行英伟达H200芯片"), ("Normal", "2025年12月10日，美国政府允许英伟达向中国出售H200芯片。"),
                    ("Heading 1", "规格"), ("Normal", "H200配备141GB的HBM3e显存。华为昇腾芯片仍占据较大份额。")],
                   [["芯片", "显存", "带宽"], ["H200", "141GB", "4.8TB/s"]]),
    "traditional": ([("Title", "美國放行輝達H200晶片"), ("Normal", "2025年12月10日，美國政府允許輝達向中國出售H200晶片。"),
                     ("Heading 1", "規格"), ("Normal", "H200配備141GB的HBM3e記憶體。")],
                    [["晶片", "記憶體", "頻寬"], ["H200", "141GB", "4.8TB/s"]]),
}


@pytest.mark.parametrize("story", list(DOCX))
def test_docx_paragraphs_and_tables_in_body_order(story):
    paragraphs, table = DOCX[story]
    doc = document_from_bytes(make_docx(paragraphs, table, table_after=1, author="李明"), f"{story}.docx", max_bytes=MB)
    lines = doc.text.split("\n\n")
    # body order: title, first paragraph, the table's rows, then the heading and the last paragraph
    assert lines == [paragraphs[0][1], paragraphs[1][1], " | ".join(table[0]), " | ".join(table[1]),
                     paragraphs[2][1], paragraphs[3][1]]
    assert (doc.title, doc.author, doc.page_starts) == (paragraphs[0][1], "李明", ())
    assert (doc.language, doc.script) == SCRIPTS[story]
    assert doc.date in ("2026-01-14", "2025-12-10")
    assert doc.extractor.startswith("python-docx ")
    assert_exact_offsets(doc)


def test_docx_properties_title_wins_over_the_first_heading():
    paragraphs, _ = DOCX["en"]
    doc = document_from_bytes(make_docx(paragraphs, title="H200 report"), "r.docx", max_bytes=MB)
    assert doc.title == "H200 report" and doc.author is None  # python-docx's blank author "python-docx" is no person


@pytest.mark.parametrize("kind", ["not-zip", "truncated", "zip-without-word"])
def test_corrupt_docx_is_refused(kind):
    data = {"not-zip": b"PK\x03\x04 this is no zip", "truncated": make_docx(DOCX["en"][0])[:500]}.get(kind)
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        data = buf.getvalue()
    with pytest.raises(CorruptFile, match=r"bad\.docx: not a readable Word \.docx.*re-save it"):
        document_from_bytes(data, "bad.docx", max_bytes=MB)


def test_password_protected_docx_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # what Word writes for an encrypted .docx
    with pytest.raises(EncryptedFile, match=r"secret\.docx: password-protected"):
        document_from_bytes(ole, "secret.docx", max_bytes=MB)


# ---- saved news pages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("story", list(PAGES))
def test_news_page_main_text_without_furniture(story):
    page = PAGES[story]
    doc = document_from_bytes(news_page(**page), f"{story}.html", max_bytes=MB)
    for paragraph in page["paragraphs"]:
        assert paragraph in doc.text
    for furniture in (FOOTER_LINE, "举报", AD_LINE, COMMENT_LINE, "登录", "相关阅读", "document.write", "_hmt", "ICP"):
        assert furniture not in doc.text, furniture
    assert doc.text.startswith(page["title"])  # the headline once, as the heading
    assert doc.text.count(page["title"]) == 1
    assert (doc.title, doc.date, doc.source, doc.author) == (page["title"], page["date"], page["site"], page["author"])
    assert (doc.language, doc.script) == SCRIPTS[story]
    assert doc.extractor.startswith("trafilatura ")
    assert_exact_offsets(doc)


def test_a_portals_information_line_and_a_byline_element_give_source_and_author():
    """A tester's pages: the portal line "2025-08-20 10:15　来源：蓉城在线　作者：周敏", which trafilatura leaves out as
    boilerplate, gave no source and no author; a byline element "記者林怡君／台中報導" was the author whole, even
    beside <meta name="author" content="林怡君">."""
    body = "".join(f"<p>{p}</p>" for p in ("8月20日上午，成都天府国际机场第三跑道正式投入使用，跑道长4000米。",
                                             "机场集团副总经理刘洋介绍，年旅客吞吐能力将提升至6000万人次。"))
    portal = (f"<html><head><title>天府机场第三跑道启用</title></head><body><div class='nav'><a href='/'>首页</a></div>"
              f"<h1>天府机场第三跑道启用</h1><div class='info'>2025-08-20 10:15　来源：蓉城在线　作者：周敏　"
              f"<span>分享到：微信 微博</span></div><div class='content'>{body}</div>"
              f"<div class='footer'>来源：别的网站 作者：别人</div></body></html>")
    doc = document_from_bytes(portal.encode(), "portal.html", max_bytes=MB)
    assert (doc.title, doc.date, doc.source, doc.author) == ("天府机场第三跑道启用", "2025-08-20", "蓉城在线", "周敏")
    assert "来源" not in doc.text and "分享到" not in doc.text
    byline = (f"<html><head><meta name='author' content='林怡君'><meta property='og:site_name' content='中台灣日報'>"
              f"</head><body><article><h1>台中捷運藍線首段通車</h1><div class='byline'>記者林怡君／台中報導</div>"
              f"{body}</article></body></html>")
    assert document_from_bytes(byline.encode(), "mrt.html", max_bytes=MB).author == "林怡君"


def test_a_table_on_a_news_page_is_read_as_rows_of_cells():
    """trafilatura writes a table as Markdown ("| Nam Cheong | 52 minutes | 31 minutes |", "|---|---|"): the pipes
    were words of the text and each alignment line a paragraph. Rows are read as Word and Markdown tables are."""
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in (
        ("To", "Before", "Now"), ("Nam Cheong", "52 minutes", "31 minutes"), ("Hung Hom", "64 minutes", "44 minutes")))
    body = " ".join(["The Tuen Mun South extension opened on Sunday after a year's delay."] * 3)
    page = (f"<html><head><title>Tuen Mun South extension opens</title></head><body><article><h1>Tuen Mun South "
            f"extension opens</h1><p>{body}</p><table>{rows}</table><p>{body}</p></article></body></html>")
    text = document_from_bytes(page.encode(), "tuen-mun.html", max_bytes=MB).text
    assert "Nam Cheong | 52 minutes | 31 minutes" in text.split("\n")
    assert "---" not in text and not any(line.startswith("|") for line in text.split("\n"))


def test_a_photo_caption_in_the_article_is_a_paragraph_where_its_figure_stood():
    """A tester's page: the caption "上週，研究生在無塵室完成最後一次檢查。（成大提供）" was the only place an answer
    stood, and trafilatura dropped the figure whole. Captions of figures outside the article (an ad in an aside or
    the footer) stay out, and so do the image's file name and alt text."""
    before = "成功大學太空系統團隊週二宣布，自製的立方衛星已通過全部地面測試，預計明年春天搭載火箭發射升空。"
    caption = "上週，研究生在無塵室完成最後一次檢查。（成大提供）"
    after = "團隊負責人表示，這顆衛星將用於觀測台灣周邊海域的海面溫度，資料會公開給研究人員使用。"
    ads = ("限時優惠：新款手機買一送一", "南方銀行信用卡，現金回饋百分之五")
    page = ("<!DOCTYPE html><html lang='zh-Hant'><head><meta charset='utf-8'><title>成大團隊完成衛星測試</title></head>"
            "<body><header><nav><ul><li><a href='/'>首頁</a></li><li><a href='/tech'>科技</a></li></ul></nav></header>"
            f"<main><article><h1>成大團隊完成衛星測試</h1><p>{before}</p><figure><img src='/img/sat-check.jpg' "
            f"alt='研究生檢查衛星'><figcaption>{caption}</figcaption></figure><p>{after}</p></article></main>"
            f"<aside><figure><img src='/ads/phone.jpg' alt='廣告'><figcaption>{ads[0]}</figcaption></figure></aside>"
            f"<footer><figure><img src='/ads/bank.jpg'><figcaption>{ads[1]}</figcaption></figure>"
            "<p>© 2026 南方新聞 版權所有</p></footer></body></html>").encode()
    doc = document_from_bytes(page, "satellite.html", max_bytes=MB)
    paragraphs = doc.text.split("\n")
    assert caption in paragraphs  # a paragraph of its own: offsets cite it whole
    assert doc.text.index(before) < doc.text.index(caption) < doc.text.index(after)
    for absent in (*ads, "sat-check", "研究生檢查衛星", "首頁", "版權所有"):
        assert absent not in doc.text, absent
    assert_exact_offsets(doc)


def test_page_without_article_text_is_refused():
    nav_only = (b"<html><head><title>Home</title></head><body><ul class='nav'><li><a href='/'>Home</a></li>"
                b"<li><a href='/a'>Finance</a></li></ul><script>var x = 1;</script></body></html>")
    with pytest.raises(NoArticleText, match=r"index\.html: no article text found"):
        document_from_bytes(nav_only, "index.html", max_bytes=MB)


# ---- Markdown --------------------------------------------------------------------------------------------
MARKDOWN = """---
title: "美國放行H200"
date: 2025年12月10日
source: 經濟日報
author: [王大明, 李明]
---
美國放行H200
---

美國政府**允許**[輝達](https://example.com/nvidia)向中國出售`H200`晶片，
但銷售收入的25%需上繳美國政府。

## 規格

- 141GB 記憶體
- 4.8TB/s 頻寬
"""


def test_markdown_front_matter_headings_and_rendered_words():
    doc = document_from_bytes(MARKDOWN.encode(), "h200.md", max_bytes=MB)
    assert (doc.title, doc.date, doc.source, doc.author) == ("美國放行H200", "2025-12-10", "經濟日報", "王大明、李明")
    assert doc.text.split("\n\n") == ["美國放行H200", "美國政府允許輝達向中國出售H200晶片，但銷售收入的25%需上繳美國政府。",
                                      "規格", "141GB 記憶體", "4.8TB/s 頻寬"]
    for syntax in ("**", "##", "](", "`", "---", "title:"):
        assert syntax not in doc.text
    assert (doc.language, doc.script) == ("zh", "traditional")
    assert_exact_offsets(doc)


@pytest.mark.parametrize("title_line", ['title: "Riverton schools adopt budget, cut 40 posts"',
                                        "title: 'Riverton schools adopt budget, cut 40 posts'",
                                        "title: Riverton schools adopt budget, cut 40 posts"])
def test_markdown_front_matter_keeps_a_title_with_a_comma(title_line):
    """A tester's front matter title, quoted or not, was cut at its first comma (the reader took a comma for a list);
    a list of authors is joined, and a block YAML cannot read still gives its lines."""
    md = f"---\n{title_line}\ndate: 2026-06-11\nauthor: [Ann Lee, Bo Chen]\n---\n\nThe board voted on Tuesday.\n"
    doc = document_from_bytes(md.encode(), "budget.md", max_bytes=MB)
    assert (doc.title, doc.date, doc.author) == ("Riverton schools adopt budget, cut 40 posts", "2026-06-11", "Ann Lee, Bo Chen")
    broken = "---\ntitle: Budget: the vote, explained\nsource: Riverton Post\n---\n\nThe board voted.\n"  # not YAML
    doc = document_from_bytes(broken.encode(), "broken.md", max_bytes=MB)
    assert (doc.title, doc.source) == ("Budget: the vote, explained", "Riverton Post")


def test_markdown_title_is_never_a_rule():
    doc = document_from_bytes("***\n\nSome words about the H200 chip.\n\n---\n\nMore words.".encode(), "rule.md", max_bytes=MB)
    assert doc.title == "Some words about the H200 chip."


# ---- dates and script ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "iso"), [
    ("2025年3月2日", "2025-03-02"), ("2025-03-02", "2025-03-02"), ("14 January 2026", "2026-01-14"),
    ("Jan. 14, 2026", "2026-01-14"), ("2025 年 12 月 10 日電", "2025-12-10"), ("Sept. 3, 2025", "2025-09-03"),
    ("发布时间：2025/3/2 10:00", "2025-03-02"), ("2025-02-30", None), ("in 2025", None),
])
def test_dates_in_news_forms(text, iso):
    assert parse_date(text) == iso


def test_script_is_decided_by_share_not_by_one_character():
    simplified = "华为昇腾芯片在中国市场占据了较大份额，国产替代的趋势不会改变。" * 3  # 昇 reads as Traditional to OpenCC
    doc = document_from_bytes(simplified.encode(), "s.txt", max_bytes=MB)
    assert doc.script == "simplified"
    doc = document_from_bytes(("美國政府允許輝達出售晶片。" * 3 + "华为").encode(), "t.txt", max_bytes=MB)
    assert doc.script == "traditional"


@pytest.mark.parametrize("name", ["long.txt", "long.docx"])
def test_text_limit_is_a_setting_for_every_format(name):
    paragraphs = [("Normal", "The H200 has 141GB of HBM3e memory. " * 5)] * 4
    data = make_docx(paragraphs) if name.endswith(".docx") else ("The H200 has 141GB of memory. " * 30).encode()
    with pytest.raises(TooManyPages, match=rf"{name}: \d[\d,]* characters of text is over the limit of 200 \(setting max_chars\)"):
        document_from_bytes(data, name, max_bytes=MB, limits=Limits(max_chars=200))
    assert document_from_bytes(data, name, max_bytes=MB, limits=Limits(max_chars=2000)).text


# ---- refusals in the reader's language ------------------------------------------------------------------
@pytest.mark.parametrize("name, data, limits, says", [
    ("scan.pdf", "scan", None, "頁都沒有文字層"),
    ("locked.pdf", "locked", None, "PDF 有密碼保護"),
    ("broken.pdf", b"%PDF-1.7\nbroken", None, "不是可讀取的 PDF"),
    ("long.pdf", "pdf", Limits(max_pages=1), "共 2 頁，超過上限 1 頁"),
    ("broken.docx", b"PK\x03\x04broken", None, "不是可讀取的 Word .docx"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None, "舊的 Word 97-2003 格式"),
    ("index.html", b"<html><body><ul><li><a href='/'>Home</a></li></ul><script>var x = 1;</script></body></html>", None,
     "這個網頁裡找不到正文"),
    ("bom.txt", b"\xef\xbb\xbf\xff\xfe bad", None, "UTF-8 位元組順序標記開頭"),
])
def test_every_extraction_refusal_reads_whole_in_chinese(name, data, limits, says):
    """A 繁體 reader of the page or `qa add` gets the refusal in Chinese, not an English sentence in a Chinese frame."""
    from qa.messages import error_message

    data = {"scan": lambda: make_scanned_pdf(2), "locked": lambda: make_pdf(PDF_PAGES["en"], password="pw"),
            "pdf": lambda: make_pdf(PDF_PAGES["en"])}.get(data, lambda: data)() if isinstance(data, str) else data
    with pytest.raises(Exception) as e:
        document_from_bytes(data, name, max_bytes=MB, limits=limits or Limits())
    message = error_message(e.value, "zh-Hant")
    assert message.startswith(f"{name}：") and says in message, message
    assert not any(word in message for word in ("re-save", "add it", "save an", "setting max", "no article", "a text layer")), message
    assert str(e.value).startswith(f"{name}: ")  # English readers keep the English sentence


def test_a_page_of_menus_and_a_copyright_line_is_not_an_article():
    """A navigation-only page was added as the article '新闻首页 / 广告', dated 2025-01-01 from its copyright line."""
    page = ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>新闻首页 - 某某网</title></head><body>"
            "<header><nav><ul><li><a href='/'>首页</a></li><li><a href='/tech'>科技</a></li><li><a href='/fin'>财经</a></li>"
            "</ul></nav></header><div class='ad'>广告</div><footer><p>违法和不良信息举报电话：12377</p>"
            "<p>Copyright © 2025 某某网 版权所有</p></footer></body></html>").encode()
    with pytest.raises(NoArticleText, match=r"nav\.html: no article text found"):
        document_from_bytes(page, "nav.html", max_bytes=MB)


def test_pdfminer_warnings_are_quiet_unless_the_caller_set_its_level():
    """`qa docs` after a browser-printed PDF was added printed 15 "Could not get FontBBox" warnings."""
    import logging

    from qa.process import apply_defaults

    logger = logging.getLogger("pdfminer")
    before = logger.level
    try:
        logger.setLevel(logging.NOTSET)
        apply_defaults()
        assert logger.level == logging.ERROR
        logger.setLevel(logging.DEBUG)  # a program that wants them keeps them
        apply_defaults()
        assert logger.level == logging.DEBUG
    finally:
        logger.setLevel(before)


def test_a_pdf_headline_set_tight_over_its_byline_in_another_size_is_its_own_paragraph():
    """A tester's fpdf2 story: a 16-point bold headline directly over an 11-point byline read as one paragraph,
    "…Desalination Plant By Maria Okafor, Coastal Ledger", and with no PDF metadata that was the title."""
    from fpdf import FPDF

    body = ("HARBOR CITY, March 4, 2026 - The council voted 7-2 on Tuesday to approve a seawater desalination plant "
            "on the former Pier 9 shipyard, ending three years of debate over how the city should secure its water.")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Harbor City Council Approves $340 Million Desalination Plant", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)  # as the tester's script: the headline fills the line, the byline follows tight
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "By Maria Okafor, Coastal Ledger", new_x="LMARGIN", new_y="NEXT")
    for _ in range(3):
        pdf.ln(3)
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
    doc = document_from_bytes(bytes(pdf.output()), "harbor.pdf", max_bytes=MB)
    title = "Harbor City Council Approves $340 Million Desalination Plant"
    assert doc.text.split("\n\n")[:2] == [title, "By Maria Okafor, Coastal Ledger"]
    assert (doc.title, doc.author, doc.source) == (title, "Maria Okafor", "Coastal Ledger")


def test_a_pdf_dateline_without_a_year_takes_the_year_of_the_files_creation():
    """A tester's 新华社 PDF, "新华社西安11月3日电", was dated by its creation (the day it was printed), not 11月3日."""
    import datetime as dt

    from tests.sample_files import make_pdf

    pdf = make_pdf([["新华社西安11月3日电（记者 赵明远）陕西历史博物馆秦汉馆3日正式对公众开放，开馆首日接待观众1.8万人次。"]])
    today = dt.date.today()  # fpdf2 stamps the file's creation now
    expected = dt.date(today.year if (today.month, today.day) >= (11, 3) else today.year - 1, 11, 3)
    assert document_from_bytes(pdf, "xian.pdf", max_bytes=MB).date == expected.isoformat()
