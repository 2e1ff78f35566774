"""Real files made by real tools, for the format tests: PDFs by fpdf2, Word files by python-docx, saved news pages
with the furniture a real site has (menus, ads, comments, related links, a 举报电话 footer, scripts)."""
from __future__ import annotations

import io
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei (scripts/setup.sh)

# One story told in three scripts; each a list of pages, each page a list of paragraphs.
PDF_PAGES = {
    "en": [["Nvidia cleared to sell H200 in China",
            "14 January 2026. The United States will allow Nvidia to sell its H200 chips to approved customers in "
            "China, with 25% of the revenue going to the US government.",
            "Analysts said the decision would reshape the market for artificial intelligence chips in China."],
           ["The H200 carries 141GB of HBM3e memory and delivers 4.8TB/s of memory bandwidth, well ahead of the "
            "H20 that Nvidia sold in China before.",
            "Chinese regulators have not said whether local companies will be allowed to buy it."]],
    "simplified": [["美国放行英伟达H200芯片",
                    "2025年12月10日，美国政府表示允许英伟达向中国经批准的客户出售H200人工智能芯片，但销售收入的25%需上缴美国政府。",
                    "分析人士认为，这一决定将重塑中国人工智能芯片市场的竞争格局。"],
                   ["H200配备141GB的HBM3e显存，显存带宽达到4.8TB/s，远超英伟达此前在中国销售的H20。",
                    "华为昇腾等国产芯片厂商此前在中国市场占据了较大份额。"]],
    "traditional": [["美國放行輝達H200晶片",
                     "2025年12月10日，美國政府表示允許輝達向中國經批准的客戶出售H200人工智慧晶片，但銷售收入的25%需上繳美國政府。",
                     "分析人士認為，這一決定將重塑中國人工智慧晶片市場的競爭格局。"],
                    ["H200配備141GB的HBM3e顯示記憶體，頻寬達到4.8TB/s，遠超輝達此前在中國銷售的H20。",
                     "中國監管機構尚未表示是否允許本地企業購買。"]],
}


def make_pdf(pages: list[list[str]], *, title: str = "", author: str = "", password: str = "",
             footer_page_numbers: bool = True) -> bytes:
    """A PDF with a text layer: one paragraph per multi_cell, a gap between paragraphs, a page number footer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("wqy", size=12)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(5)
        if footer_page_numbers:  # in the bottom margin, where an automatic page break would otherwise start a page
            pdf.set_auto_page_break(False)
            pdf.set_y(-15)
            pdf.cell(0, 8, f"- {number} -", align="C")
            pdf.set_auto_page_break(True, margin=20)
    return bytes(pdf.output())


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF like a scan: pages with pictures (drawn shapes) and no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def make_docx(paragraphs: list[tuple[str, str]], table: list[list[str]] | None = None, *, table_after: int = 1,
              title: str = "", author: str = "") -> bytes:
    """A .docx by python-docx: (style, text) paragraphs, a table inserted after paragraph ``table_after``."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.core_properties.author = author
    for i, (style, text) in enumerate(paragraphs):
        if style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[-1]))
        elif style == "Title":
            document.add_heading(text, level=0)
        else:
            document.add_paragraph(text)
        if table and i == table_after:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX_STORY = [("Title", "Nvidia cleared to sell H200 in China"),
              ("Normal", "14 January 2026. The United States will allow Nvidia to sell H200 chips to China."),
              ("Heading 1", "Specifications"), ("Normal", "The H200 has 141GB of HBM3e memory and 4.8TB/s of bandwidth.")]

FOOTER_LINE = "违法和不良信息举报电话：010-12345678"
AD_LINE = "限时特惠！点击领取iPhone大奖"
COMMENT_LINE = "用户123：太好了，终于能买到了！"


def news_page(*, lang: str, title: str, paragraphs: list[str], site: str, date: str, author: str) -> bytes:
    """A saved news article page: navigation, an ad, the article, comments, related links, a footer, scripts."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title}_{site}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T08:30:00+08:00">
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); hm.src = "https://hm.example.com/hm.js"; }})();</script>
<style>.nav {{ color: red }}</style>
</head><body>
<div class="header"><ul class="nav"><li><a href="/">首页 Home</a></li><li><a href="/finance">财经 Finance</a></li>
<li><a href="/tech">科技 Tech</a></li><li><a href="/login">登录 Log in</a></li></ul></div>
<div class="ad banner" id="ad-top"><a href="http://ads.example.com/click">{AD_LINE}</a></div>
<div class="main"><article>
<h1>{title}</h1>
<div class="byline">{date} · {site} · {author}</div>
{body}
</article>
<div class="comments" id="comments"><h3>网友评论 Comments</h3><div class="comment">{COMMENT_LINE}</div><div class="comment">用户456：国产加油</div></div>
<div class="related"><h3>相关阅读 Related</h3><ul><li><a href="/a1">英伟达股价创新高</a></li><li><a href="/a2">AMD发布新芯片</a></li></ul></div>
</div>
<div class="footer" id="footer"><p>{FOOTER_LINE} 举报邮箱：jubao@example.com</p><p>Copyright © 2025 {site} 版权所有 京ICP备12345678号</p></div>
<script>document.write('<div class="ad">广告 advertisement</div>');</script>
</body></html>""".encode()


PAGES = {
    "en": dict(lang="en", title="Nvidia cleared to sell H200 chips in China", site="Example News", date="2026-01-14",
               author="Jane Reporter",
               paragraphs=["The United States will allow Nvidia to sell its H200 chips to approved customers in China, "
                           "with 25% of the revenue going to the US government.",
                           "The H200 carries 141GB of HBM3e memory and delivers 4.8TB/s of memory bandwidth.",
                           "Analysts said the decision would reshape the market for artificial intelligence chips."]),
    "simplified": dict(lang="zh-CN", title="英伟达H200获准对华出口", site="新华财经网", date="2025-12-10", author="李明",
                       paragraphs=["美国政府日前表示，允许英伟达向中国经批准的客户出售H200人工智能芯片，但销售收入的25%需上缴美国政府。",
                                   "H200配备141GB的HBM3e显存，显存带宽达到4.8TB/s，是此前H100的升级版本。",
                                   "华为昇腾等国产芯片厂商此前在中国市场占据了较大份额，业内人士认为国产替代的趋势不会改变。"]),
    "traditional": dict(lang="zh-TW", title="輝達H200獲准對華出口", site="經濟日報", date="2025-12-11", author="王大明",
                        paragraphs=["美國政府日前表示，允許輝達向中國經批准的客戶出售H200人工智慧晶片，但銷售收入的25%需上繳美國政府。",
                                    "H200配備141GB的HBM3e記憶體，頻寬達到4.8TB/s，是此前H100的升級版本。",
                                    "分析人士認為，這一決定將重塑中國人工智慧晶片市場的競爭格局。"]),
}
