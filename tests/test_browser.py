"""The web page in a real browser (Debian's Chromium driven by Playwright) against a real server, model and index.

Needs `bash scripts/setup.sh --test` (installs chromium, fonts-wqy-microhei and playwright). Screenshots of the
main states go to test-output/screenshots/ (a failing test adds FAILED-<test>.png). QA_SKIP_BROWSER=1 skips.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, copy_assistant

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT = 120_000  # ms: the machine is small (2 cores) and often shared
UPLOAD_TIMEOUT = 180_000  # ms: indexing a new article re-embeds it
READY_TIMEOUT = 60_000  # ms: from navigation until the page can take a question (a few seconds on a quiet box)

pytestmark = [
    pytest.mark.skipif(os.environ.get("QA_SKIP_BROWSER") == "1", reason="QA_SKIP_BROWSER=1"),
    pytest.mark.filterwarnings("ignore:::gradio"),  # Gradio's queue code warns about pandas deprecations
]

# An uploaded article that tries every way of running code; it must all show as text.
EVIL = "<script>alert('xss')</script><img src=x onerror=alert(1)> ${alert(2)} {{constructor}}"
ARTICLE = f"火星咖啡馆开业\n\n2025-11-20\n\n火星咖啡馆的招牌饮料是红色沙尘拿铁，每杯售价42元。{EVIL}店主说顾客大多是天文爱好者。\n"
EXTERNAL_REQUESTS: list[str] = []


@pytest.fixture(scope="module")
def server(assistant, embedder, tmp_path_factory):
    from qa.api import create_app

    with LiveServer(create_app(copy_assistant(assistant, tmp_path_factory.mktemp("browser"), embedder))) as url:
        for q in ("What is the memory bandwidth of the H200?", "中國外交部發言人是誰？"):  # warm the lazy caches once
            httpx.post(url + "/api/ask", json={"question": q, "k": 1}, timeout=300).raise_for_status()
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `bash scripts/setup.sh --test` (installs Debian's chromium), or set QA_SKIP_BROWSER=1")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ANSWER_TIMEOUT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}


@contextmanager
def open_page(browser, url: str, request, locale: str = "zh-CN", viewport: dict = DESKTOP, **context_options):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own language and screen) on ``url``, ready to take a question."""
    context = browser.new_context(viewport=viewport, locale=locale, **context_options)
    pg = context.new_page()
    pg.set_default_timeout(ANSWER_TIMEOUT)
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    host = url.split("//", 1)[1]
    pg.on("request", lambda r: None if r.url.split("//", 1)[-1].startswith(host) or r.url.startswith(("data:", "blob:")) else EXTERNAL_REQUESTS.append(r.url))
    pg.add_init_script(WATCH_GRADIO_JS)
    pg.goto(url + "/", wait_until="load")
    try:
        wait_until_ready(pg)
        yield pg
    except BaseException:
        pg.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
        raise
    finally:
        context.close()


@pytest.fixture
def page(browser, server, request):
    pages = open_page(browser, server, request)
    pg = pages.__enter__()
    failed_before = request.session.testsfailed
    yield pg
    if request.session.testsfailed > failed_before:  # the test's own failure is not raised in here
        pg.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
    pages.__exit__(None, None, None)


def delete_on_page(page, doc_id: str) -> None:  # type: ignore[no-untyped-def]
    """Delete ``doc_id`` as a reader does on the 简体 page: Documents tab, choose it, Delete, confirm."""
    from playwright.sync_api import expect

    page.get_by_role("tab", name="文档").click()
    page.locator("#delete-doc input").click()
    page.get_by_role("option", name=re.compile(doc_id)).click()
    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    expect(page.locator("#doc-status")).to_contain_text("已删除", timeout=UPLOAD_TIMEOUT)


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# ---- readiness ----------------------------------------------------------------------------------------
# The question box appears a moment before Gradio has wired the page up (its loader still shows, the on-load
# event has not run); a question typed then is lost. Ready = all of this, checked in one place (wait_until_ready):
#   1. Gradio's app is mounted, its start-up loader is gone and no component waits on an event (a status
#      tracker shows .pending / .eta-bar / .progress-text while one runs);
#   2. the question box is visible and editable;
#   3. every on-load event of the page (ui_load: fills the documents table and the delete list) has completed.
#      The Documents tab is not rendered until opened, so this is read off Gradio's queue traffic: the script
#      below (run in the page before Gradio's own) passes each queue response through unchanged and notes the
#      events sent (event_id -> fn_index) and completed (event_id -> success) in window.__qaGradio.
WATCH_GRADIO_JS = """(() => {
  const state = window.__qaGradio = {sent: {}, completed: {}};
  const fetch = window.fetch;
  window.fetch = async function (input, init) {
    const url = String(typeof input === 'string' ? input : (input && input.url) || input);
    const response = await fetch.apply(window, arguments);
    try {
      if (url.includes('/queue/join') && init && typeof init.body === 'string') {
        const fn = JSON.parse(init.body).fn_index;
        response.clone().json().then(d => { state.sent[d.event_id] = fn; }, () => {});
      } else if (url.includes('/queue/data') && response.body) {  // a server-sent event stream
        const decoder = new TextDecoder();
        let rest = '';
        const watch = new TransformStream({transform(chunk, controller) {
          const lines = (rest + decoder.decode(chunk, {stream: true})).split('\\n');
          rest = lines.pop();
          for (const line of lines) {
            if (!line.startsWith('data:')) continue;
            try {
              const msg = JSON.parse(line.slice(5));
              if (msg.msg === 'process_completed') state.completed[msg.event_id] = Boolean(msg.success);
            } catch (e) { /* not JSON: not ours to judge */ }
          }
          controller.enqueue(chunk);
        }});
        return new Response(response.body.pipeThrough(watch),
                            {status: response.status, statusText: response.statusText, headers: response.headers});
      }
    } catch (e) { /* never break the page: readiness then times out and says what is missing */ }
    return response;
  };
})();"""
PAGE_STATE_JS = """() => {
  const box = document.querySelector('#question textarea');
  const config = window.gradio_config;
  const loads = config ? (config.dependencies || []).filter(d => (d.targets || []).some(t => t[1] === 'load')).map(d => d.id) : [];
  const watch = window.__qaGradio || {sent: {}, completed: {}};
  const load_events = Object.entries(watch.sent).filter(([id, fn]) => loads.includes(fn))
    .map(([id]) => id in watch.completed ? (watch.completed[id] ? 'done' : 'failed') : 'running');
  const busy = [...document.querySelectorAll('gradio-app .loading, gradio-app .pending, gradio-app .eta-bar, gradio-app .progress-text')]
    .map(e => ((e.closest('[id]') || {}).id || '?') + ' ' + e.className);
  const question_box = !box ? 'missing' : box.disabled || box.readOnly ? 'disabled' : box.offsetParent === null ? 'hidden' : 'ready';
  const ready = Boolean(document.querySelector('gradio-app')) && loads.length > 0 && question_box === 'ready' && busy.length === 0
    && load_events.length > 0 && load_events.every(e => e === 'done');
  return {ready, gradio_app: Boolean(document.querySelector('gradio-app')), config: Boolean(config), watching: Boolean(window.__qaGradio),
          question_box, busy: busy.slice(0, 5), load_events};
}"""


def wait_until_ready(page, timeout_ms: int = READY_TIMEOUT) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page can take a question (see above), or fail saying what was still missing."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"() => ({PAGE_STATE_JS})().ready", timeout=timeout_ms, polling=50)
    except PlaywrightTimeout:
        pytest.fail(f"the page was not ready to take a question {timeout_ms / 1000:.0f} s after loading "
                    f"(Gradio loading, question box not editable, or the on-load event not done): {page.evaluate(PAGE_STATE_JS)}")


IDLE_JS = "() => !document.querySelector('gradio-app .pending, gradio-app .eta-bar, gradio-app .progress-text')"


def wait_until_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Until no component waits on an event (Gradio dims a pending output, which would fail a contrast check)."""
    page.wait_for_function(IDLE_JS, polling=50)


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Idle, then a moment more before the next click. A click right after a burst of events (a tab's refresh, a
    language switch's redraw) sometimes started an event whose answer never reached the page: the server had
    answered it and held nothing, yet the output stayed pending for minutes (seen in module runs, about one in
    three). The stalled event had joined Gradio's queue and never completed, seemingly as the queue's event stream
    closed after the burst; the page-only events now skip the queue (qa/ui.py, `redraw`: 3 stalls in 22 switches
    before, none in 30 after), asks and uploads still go through it."""
    wait_until_idle(page)
    page.wait_for_timeout(1500)


def ask(page, question: str) -> None:
    wait_until_ready(page)
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator("#answer .qa-lang").wait_for()


def first_mark(page):
    return page.locator("#answer .qa-card mark").first


# ---- the page ---------------------------------------------------------------------------------------
def test_page_is_offline_and_examples_ask_at_once(page, server):
    from playwright.sync_api import expect

    html = httpx.get(server + "/", timeout=60).text
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)""", html, re.I)
    for label in ("提问", "文档", "问题", "段落字体", "原文", "示例（点击即提问）"):  # a zh-CN browser reads 简体
        expect(page.get_by_text(label, exact=True).first).to_be_visible()
    for example in ("What is the memory bandwidth of the H200?", "美国对H200出口征收多少附加费？", "中國外交部發言人是誰？"):
        expect(page.get_by_role("button", name=example, exact=True)).to_be_visible()
    shot(page, "00-start")
    page.get_by_role("button", name="中國外交部發言人是誰？", exact=True).click()
    expect(page.locator("#question textarea")).to_have_value("中國外交部發言人是誰？")
    expect(first_mark(page)).to_contain_text("郭嘉昆")  # asked at once, no second click


# ---- asking in each script ----------------------------------------------------------------------------
def ask_and_expect_answer(page, question: str, highlighted: str, language_label: str) -> None:
    """Ask, then expect an answer (not an abstention with passages folded away) whose first highlight holds
    ``highlighted``, labelled with the question's language."""
    from playwright.sync_api import expect

    ask(page, question)
    expect(first_mark(page)).to_contain_text(highlighted)
    expect(first_mark(page)).to_be_visible()
    expect(page.locator("#answer .qa-lang")).to_contain_text(language_label)


def test_ask_english(page):
    from playwright.sync_api import expect

    ask_and_expect_answer(page, "What is the memory bandwidth of the H200?", "4.8TB/s", "英文")
    cards = page.locator("#answer .qa-card")
    assert cards.count() == 5
    expect(cards.first.locator(".qa-meta")).to_contain_text(re.compile(r"第 \d+ 段"))
    # a screen reader hears that the cards arrived (a status line, out of sight), in the page's language
    status = page.locator("#answer .qa-sr[role=status]")
    expect(status).to_contain_text(re.compile(r"找到 5 段。第一段出自《.+》第 \d+ 段。"))
    assert status.bounding_box()["width"] <= 1
    width = cards.first.locator(".qa-bar > span").evaluate("e => e.getBoundingClientRect().width")
    assert width > 0
    details = page.locator("#timings details")
    expect(details).to_contain_text("详情")
    expect(details.get_by_text("理解问题")).to_be_hidden()  # folded until asked for
    details.locator("summary").click()
    expect(details.get_by_text("理解问题")).to_be_visible()
    shot(page, "01-ask-english")


def test_ask_traditional(page):
    ask_and_expect_answer(page, "中國外交部發言人是誰？", "郭嘉昆", "繁体")
    shot(page, "02-ask-traditional")


def test_ask_simplified_and_switch_script(page):
    from playwright.sync_api import expect

    ask_and_expect_answer(page, "美国对H200出口征收多少附加费？", "25%", "简体")
    expect(first_mark(page)).to_contain_text("附加费")
    shot(page, "03-ask-simplified")

    page.locator("#view").get_by_text("繁体（台湾）").click()
    expect(first_mark(page)).to_contain_text("附加費")
    expect(first_mark(page)).to_contain_text("25%")
    expect(page.locator("#answer .qa-card .qa-meta").first).to_contain_text("繁体（台湾）")
    shot(page, "04-view-traditional")

    page.locator("#view").get_by_text("原文", exact=True).click()
    expect(first_mark(page)).to_contain_text("附加费")


def test_show_in_article(page):
    from playwright.sync_api import expect

    ask(page, "What is the memory bandwidth of the H200?")
    expect(first_mark(page)).to_contain_text("4.8TB/s")
    title = page.locator("#answer .qa-card .qa-meta b").first.inner_text()
    page.locator("#answer .qa-card").first.get_by_role("button", name=re.compile("^在原文中查看")).click()
    mark = page.locator("#article mark")
    expect(mark).to_contain_text("4.8TB/s")
    expect(page.locator("#article h3")).to_have_text(title)
    expect(mark).to_be_in_viewport()
    assert len(page.locator("#article .qa-article-text").inner_text()) > 1500  # the whole article
    shot(page, "05-article-view")


# ---- reading aid: an English asker over a Chinese passage ------------------------------------------------
GLOSS_TIP_JS = "e => getComputedStyle(e, '::after').content"  # the tooltip is the glossed word's ::after


def test_gloss_shows_on_hover_and_on_keyboard_focus(page):
    """Each glossed word of the highlight shows its pinyin and meaning on hover, and on focus (Tab, or a tap)."""
    from playwright.sync_api import expect

    ask_and_expect_answer(page, "Who is the spokesperson of the Chinese foreign ministry?", "郭嘉昆", "英文")
    expect(page.locator("#answer .qa-gloss-hint")).to_be_visible()
    word = first_mark(page).locator(".qa-gloss", has_text=re.compile("^(发言人|發言人)$")).first
    expect(word).to_be_visible()
    assert word.evaluate(GLOSS_TIP_JS) == "none"  # nothing shown until asked for

    word.hover()
    page.wait_for_function(f"e => ({GLOSS_TIP_JS})(e).includes('spokesperson') && ({GLOSS_TIP_JS})(e).includes('fā yán rén')",
                           arg=word.element_handle())
    shot(page, "11-gloss-hover")
    page.mouse.move(5, 5)
    page.wait_for_function(f"e => ({GLOSS_TIP_JS})(e) === 'none'", arg=word.element_handle())

    word.focus()  # what a tap does: every word is focusable
    page.wait_for_function(f"e => document.activeElement === e && ({GLOSS_TIP_JS})(e).includes('spokesperson')",
                           arg=word.element_handle())
    page.keyboard.press("ArrowRight")  # the next glossed word is one arrow away, and shows its own tip
    page.wait_for_function(f"""() => {{ const e = document.activeElement;
        return e && e.classList.contains('qa-gloss') && e.textContent === '郭嘉昆' && ({GLOSS_TIP_JS})(e).includes('guō jiā kūn'); }}""")
    shot(page, "12-gloss-focus")
    # one Tab stop per sentence: Tab leaves its words (it took a keyboard reader 22 presses past one card)
    mark = first_mark(page)
    assert mark.locator(".qa-gloss[tabindex='0']").count() == 1
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.closest('mark') !== null")


# ---- documents: upload, ask, delete -----------------------------------------------------------------
def test_upload_ask_delete(page, server, tmp_path):
    from playwright.sync_api import expect

    article = tmp_path / "mars-cafe.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="文档").click()
    page.locator("#upload input[type=file]").set_input_files(str(article))
    expect(page.locator("#doc-status")).to_contain_text("已添加", timeout=UPLOAD_TIMEOUT)
    expect(page.locator("#documents")).to_contain_text("火星咖啡馆开业")
    assert "mars-cafe" in {d["doc_id"] for d in httpx.get(server + "/api/documents", timeout=60).json()}
    shot(page, "06-uploaded")

    page.get_by_role("tab", name="提问").click()
    ask(page, "火星咖啡馆的招牌饮料是什么？")
    card = page.locator("#answer .qa-card").first
    expect(card.locator(".qa-meta")).to_contain_text("火星咖啡馆开业")
    expect(first_mark(page)).to_contain_text("红色沙尘拿铁")
    expect(card.locator(".qa-text")).to_contain_text(EVIL)  # the markup shows literally, as text
    card.locator(".qa-show").click()
    expect(page.locator("#article .qa-article-text")).to_contain_text(EVIL)
    for where in ("#answer", "#article", "#documents"):
        assert page.locator(f"{where} script, {where} img").count() == 0, where
    assert page.dialogs == []  # type: ignore[attr-defined]
    shot(page, "07-uploaded-answer")

    delete_on_page(page, "mars-cafe")
    expect(page.locator("#documents")).not_to_contain_text("火星咖啡馆开业")
    shot(page, "08-deleted")

    page.reload(wait_until="load")
    ask(page, "火星咖啡馆的招牌饮料是什么？")
    page.locator("#answer .qa-card, #answer .qa-abstain").first.wait_for()
    expect(page.locator("#answer")).not_to_contain_text("火星咖啡馆开业")
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_upload_pdf_word_and_web_page_at_once(page, server, tmp_path):
    """Issue 15's new user: drops a PDF, a Word file and a saved web page at once, asks, and the card cites the
    PDF passage with its page."""
    from playwright.sync_api import expect

    from tests.sample_files import DOCX_STORY, PAGES, PDF_PAGES, make_docx, make_pdf, news_page

    files = {"regulators.pdf": make_pdf(PDF_PAGES["en"], title="Nvidia cleared to sell H200 in China", author="Jane Reporter"),
             "brief.docx": make_docx(DOCX_STORY), "h200-zh-hant.html": news_page(**PAGES["traditional"])}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page.get_by_role("tab", name="文档").click()
    expect(page.locator("#formats")).to_contain_text("PDF")
    page.locator("#upload input[type=file]").set_input_files([str(tmp_path / name) for name in files])
    expect(page.locator("#doc-status .qa-ok")).to_have_count(3, timeout=UPLOAD_TIMEOUT)
    expect(page.locator("#documents")).to_contain_text("經濟日報")
    shot(page, "13-formats-uploaded")

    page.get_by_role("tab", name="提问").click()
    ask(page, "Have Chinese regulators said whether local companies may buy the chip?")
    meta = page.locator("#answer .qa-card .qa-meta").first
    expect(meta).to_contain_text("Nvidia cleared to sell H200 in China")
    expect(meta).to_contain_text("第 2 页")
    expect(meta).to_contain_text("Jane Reporter")
    expect(first_mark(page)).to_contain_text("Chinese regulators")
    shot(page, "14-pdf-page-cited")
    for doc_id in ("regulators", "brief", "h200-zh-hant"):  # leave the server as the other tests expect it
        httpx.delete(f"{server}/api/documents/{doc_id}", timeout=120).raise_for_status()


def test_one_fact_once_with_also_in_then_narrowed_by_date(page, server, tmp_path):
    """Issue 15's done means, the rest of it: one story in a 简体 PDF, a 繁體 PDF and a saved 简体 page is one card
    with "also in" (one click opens the other article there); a date range narrows the answer (the undated seed
    article drops out) and a range nothing falls in says so plainly."""
    from playwright.sync_api import expect

    from tests.sample_files import PAGES, PDF_PAGES, make_pdf, news_page

    files = {"h200-report-hans.pdf": make_pdf(PDF_PAGES["simplified"], title="美国放行英伟达H200芯片"),
             "h200-report-hant.pdf": make_pdf(PDF_PAGES["traditional"], title="美國放行輝達H200晶片"),
             "h200-page-hans.html": news_page(**PAGES["simplified"])}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page.get_by_role("tab", name="文档").click()
    page.locator("#upload input[type=file]").set_input_files([str(tmp_path / name) for name in files])
    expect(page.locator("#doc-status .qa-ok")).to_have_count(3, timeout=UPLOAD_TIMEOUT)
    try:
        page.get_by_role("tab", name="提问").click()
        ask(page, "H200的显存带宽是多少？")
        card = page.locator("#answer .qa-card").first
        expect(card).to_contain_text("4.8TB/s")
        also = card.locator(".qa-also")
        expect(also).to_contain_text("另见于")
        # the two PDFs that are not the card, each at page 2's first paragraph (the seed 繁 article's ¶18, which
        # gives the same 141GB and 4.8TB/s, may be folded here too)
        expect(also.locator("button", has_text="第 2 页第 1 段")).to_have_count(2 if "第 2 页" not in card.locator(".qa-meta").inner_text() else 1)
        # the story of the three uploads is shown once; the seed 繁 article's ¶18 gives more figures (60%-90%) and
        # keeps a card of its own
        expect(page.locator("#answer .qa-card", has_text="4.8TB/s", has_not_text="25%分成")).to_have_count(1)
        # the folded titles keep their own script: the 繁體 PDF's title is not converted
        hant = "美國放行輝達H200晶片"
        assert hant in also.inner_text() or hant in card.locator(".qa-meta").inner_text(), also.inner_text()
        shot(page, "25-also-in-zh-hans")
        also.locator("button").first.click()
        expect(page.locator("#article .qa-cited")).to_contain_text("4.8TB/s")
        expect(page.locator("#article .qa-cited")).to_be_in_viewport()  # no mark to scroll to: the passage is
        shot(page, "26-also-in-opened")

        page.locator("#date-from input, #date-from textarea").first.fill("2025-12-01")
        page.locator("#date-to input, #date-to textarea").first.fill("2025-12-31")
        ask(page, "英伟达H200出口需要什么条件？")
        expect(page.locator("#answer .qa-filtered")).to_contain_text("2025-12-01")
        expect(page.locator("#answer .qa-filtered .qa-undated")).to_contain_text("无日期文章")  # Euronews: said, not silent
        expect(page.locator("#answer .qa-card").first).to_be_visible()
        for meta in page.locator("#answer .qa-card .qa-meta").all_inner_texts():
            assert "2025-12-10" in meta, meta  # the undated Euronews article is out of a dated range
        shot(page, "27-date-filter")

        page.locator("#date-from input, #date-from textarea").first.fill("2026-06-01")
        page.locator("#date-to input, #date-to textarea").first.fill("")
        ask(page, "英伟达H200出口需要什么条件？")
        expect(page.locator("#answer .qa-abstain")).to_contain_text("没有符合筛选条件（日期）的文档")
        expect(page.locator("#answer .qa-abstain")).not_to_contain_text("来源")  # only the date range was set
        expect(page.locator("#answer .qa-card")).to_have_count(0)
        shot(page, "28-date-filter-no-match")
        page.locator("#date-from input, #date-from textarea").first.fill("2025-02-30")
        ask(page, "英伟达H200出口需要什么条件？")
        expect(page.locator("#answer .qa-error")).to_contain_text("YYYY-MM-DD")
        shot(page, "29-date-filter-bad-date")
    finally:
        for doc_id in ("h200-report-hans", "h200-report-hant", "h200-page-hans"):  # leave the server as the others expect it
            httpx.delete(f"{server}/api/documents/{doc_id}", timeout=120).raise_for_status()


# ---- abstention -------------------------------------------------------------------------------------
def test_abstention(page):
    """A refusal: the nearest passages folded away, then shown as "not an answer" with no bar and no mark, in 简体
    and, after switching, in English (Gradio's own strings switch too)."""
    from playwright.sync_api import expect

    ask(page, "How do I make a simple tomato pasta sauce?")
    expect(page.locator("#answer .qa-abstain")).to_contain_text("文档中没有找到能回答这个问题的内容")  # the reader's language
    nearest = page.locator("#answer details.qa-nearest")
    expect(nearest).to_have_count(1)
    expect(nearest.locator(".qa-card").first).to_be_hidden()
    shot(page, "09-abstained")
    nearest.locator("summary").click()
    expect(nearest.locator(".qa-card").first).to_be_visible()
    # the near passages are not answers: no confidence bar, no mark, an explicit tag (the JSON keeps the numbers)
    expect(nearest.locator("summary")).to_contain_text("都没有回答这个问题")
    expect(nearest.locator(".qa-not-answer").first).to_have_text("不是答案")
    expect(page.locator("#answer .qa-bar")).to_have_count(0)
    expect(page.locator("#answer mark")).to_have_count(0)
    shot(page, "30-refused-no-bars-zh-hans")
    page.get_by_role("tab", name="文档").click()  # Gradio's own strings: its file drop area, drawn in 简体 ...
    expect(page.locator("#upload")).to_contain_text("将文件拖放到此处")
    page.get_by_role("tab", name="提问").click()
    page.locator("#ui-lang").get_by_text("English").click()  # re-rendered, not asked again
    expect(page.locator("footer")).to_contain_text("Use via API")  # ... follow the switch, as the page's own do
    # no settings panel (English whatever the locale, with a language choice of its own) and no separator left for it
    expect(page.locator("footer")).to_have_text("Use via API", use_inner_text=True)
    expect(page.locator("#answer .qa-abstain")).to_contain_text("The documents do not answer this question")
    expect(page.locator("#answer details.qa-nearest summary")).to_contain_text("none of them answers")
    page.locator("#answer details.qa-nearest summary").click()
    expect(page.locator("#answer .qa-not-answer").first).to_have_text("Not an answer")
    expect(page.locator("#answer .qa-bar")).to_have_count(0)
    shot(page, "31-refused-no-bars-en")
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#upload")).to_contain_text("Drop File Here")  # drawn again in the new language


def test_openapi_docs_page(page, server):
    from playwright.sync_api import expect

    page.goto(server + "/docs", wait_until="load")
    expect(page.locator(".swagger-ui").get_by_text("/api/ask", exact=True)).to_be_visible()
    expect(page.locator(".swagger-ui").get_by_text("/api/documents/{doc_id}", exact=True).first).to_be_visible()
    shot(page, "10-openapi-docs")


# ---- three readers: 繁體, 简体 and English interfaces (issue 16) -----------------------------------------
def serious_violations(page) -> list:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical findings on the page as it is now (after Gradio settles: a pending output is
    dimmed, which would read as low contrast)."""
    from axe_playwright_python.sync_playwright import Axe

    wait_until_idle(page)
    result = Axe().run(page)
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


def test_taiwanese_reader_gets_a_traditional_interface_and_taiwan_script(browser, server, request):
    """A zh-TW browser: every label in 繁體; passages, titles and the article in Taiwan-standard script; axe-core
    finds nothing serious at the start, on an answer and on the article."""
    from playwright.sync_api import expect

    with open_page(browser, server, request, locale="zh-TW") as pg:
        expect(pg.get_by_role("tab", name="提問")).to_be_visible()
        expect(pg.get_by_role("tab", name="文件")).to_be_visible()
        expect(pg.locator("#question")).to_contain_text("問題")
        expect(pg.locator("#ui-lang input[value='zh-Hant']")).to_be_checked()
        assert serious_violations(pg) == []
        ask(pg, "美国对H200出口征收多少附加费？")
        expect(pg.locator("#answer .qa-lang")).to_have_text("偵測到：中文 · 簡體")
        pg.locator("#view").get_by_text("繁體（台灣）").click()
        expect(first_mark(pg)).to_contain_text("附加費")
        card = pg.locator("#answer .qa-card").first
        title = card.locator(".qa-meta b").inner_text()
        assert not re.search("[国对费们这]", title), title  # the title follows the chosen script too
        card.get_by_role("button", name=re.compile("^在原文中檢視")).click()
        expect(pg.locator("#article h3")).to_have_text(title)
        expect(pg.locator("#article mark")).to_contain_text("附加費")
        expect(pg.locator("#article mark")).to_be_in_viewport()
        assert serious_violations(pg) == []
        # what screen readers are told when an event ends: Gradio's key was read out as it stands
        assert "common.complete" not in pg.content() and "common.error" not in pg.content()
        shot(pg, "15-zh-hant-desktop")


def test_english_reader_keyboard_only_then_switching_language(browser, server, request):
    """An en browser, keyboard only: Tab reaches the question, Enter asks, focus shows a ring, arrow keys move
    between script choices, Enter on a card opens its article. Then the reader switches to 简体: the answer on
    screen is relabelled without asking again, and a question cut to 2,000 characters says so."""
    from playwright.sync_api import expect

    with open_page(browser, server, request, locale="en-US") as pg:
        expect(pg.get_by_role("tab", name="Ask")).to_be_visible()
        expect(pg.get_by_text("Examples (click to ask)")).to_be_visible()
        expect(pg.locator("footer")).to_contain_text("Use via API")  # Gradio's own strings
        for _ in range(30):
            pg.keyboard.press("Tab")
            if pg.evaluate("document.activeElement.closest('#question') !== null"):
                break
        else:
            pytest.fail("Tab never reached the question box")
        pg.keyboard.type("Who is the spokesperson of the Chinese foreign ministry?")
        pg.keyboard.press("Enter")
        expect(first_mark(pg)).to_contain_text("郭嘉昆")
        expect(pg.locator("#answer .qa-lang")).to_have_text("Detected: English · Latin")
        expect(pg.locator("#answer .qa-show").first).to_have_text("Show in article")
        shot(pg, "16-english-desktop")

        pg.locator("#ask").focus()
        pg.keyboard.press("Tab")  # from the Ask button to the script control
        assert pg.evaluate("document.activeElement.value") == "original"
        ring = pg.evaluate("() => getComputedStyle(document.activeElement.closest('label')).outlineStyle")
        assert ring == "solid", ring
        pg.keyboard.press("ArrowRight")  # the next choice is checked and applied, as in any radio group
        expect(pg.locator("#view input[value='simplified']")).to_be_checked()
        expect(pg.locator("#view input[value='simplified']")).to_be_focused()
        pg.keyboard.press("ArrowRight")
        expect(pg.locator("#view input[value='traditional']")).to_be_checked()
        expect(pg.locator("#answer .qa-card .qa-meta").first).to_contain_text("繁體 Traditional (Taiwan)")
        for _ in range(100):  # on through the page (script choices, examples, glossed words) to the first card
            pg.keyboard.press("Tab")
            if pg.evaluate("document.activeElement.classList.contains('qa-show')"):
                break
        else:
            pytest.fail("Tab never reached a card's Show in article button")
        assert pg.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
        # the script switch's re-render just ran: with one Tab stop per glossed sentence the button is reached at
        # once, and an Enter right after that burst of events was lost once in a fresh clone's run (see settle)
        settle(pg)
        pg.keyboard.press("Enter")
        expect(pg.locator("#article mark")).to_be_in_viewport()
        assert pg.locator("#answer .qa-bar").first.get_attribute("aria-label") == "confidence"
        shot(pg, "23-keyboard-focus")

        pg.locator("#ui-lang").get_by_text("简体中文").click()  # the answer stays; its labels change
        expect(pg.get_by_role("tab", name="提问")).to_be_visible()
        expect(pg.locator("#answer .qa-lang")).to_have_text("检测到：英文 · 拉丁字母")
        expect(pg.locator("#answer .qa-show").first).to_have_text("在原文中查看")
        expect(first_mark(pg)).to_contain_text("郭嘉昆")
        expect(pg.locator("#timings summary")).to_contain_text("详情")
        expect(pg.locator("footer")).to_contain_text("通过 API 使用")  # Gradio's own strings follow the choice
        shot(pg, "17-switched-to-simplified")
        ask(pg, "What is the memory bandwidth of the H200? " * 500)  # 21,500 characters; the page keeps 2,000
        expect(pg.locator("#answer .qa-notice")).to_contain_text("只用了前 2,000 个")


def test_safe_delete_asks_first_names_the_article_and_can_be_undone(page, server):
    from playwright.sync_api import expect

    files = {"file": ("mars-cafe.txt", ARTICLE.encode(), "text/plain")}
    httpx.post(server + "/api/documents", files=files, timeout=300).raise_for_status()
    page.get_by_role("tab", name="文档").click()  # opening the tab lists what others uploaded meanwhile
    expect(page.locator("#documents")).to_contain_text("火星咖啡馆开业")
    expect(page.locator("#delete-doc input")).to_have_value("")  # nothing preselected
    page.locator("#delete").click()
    expect(page.locator("#doc-status")).to_contain_text("请先选择要删除的文档")

    page.locator("#delete-doc input").click()
    page.get_by_role("option", name=re.compile("mars-cafe")).click()
    page.locator("#delete").click()
    expect(page.locator("#confirm-text")).to_contain_text("删除《火星咖啡馆开业》（mars-cafe）？")
    shot(page, "18-delete-confirm")
    page.locator("#cancel-delete").click()
    expect(page.locator("#doc-status")).to_contain_text("没有删除任何文档")
    assert "mars-cafe" in {d["doc_id"] for d in httpx.get(server + "/api/documents", timeout=60).json()}

    page.locator("#delete-doc input").click()
    page.get_by_role("option", name=re.compile("mars-cafe")).click()
    page.locator("#delete").click()
    page.locator("#confirm-delete").click()
    expect(page.locator("#doc-status")).to_contain_text("已删除：火星咖啡馆开业", timeout=UPLOAD_TIMEOUT)
    expect(page.locator("#documents")).not_to_contain_text("火星咖啡馆开业")
    page.locator("#undo").click()
    expect(page.locator("#doc-status")).to_contain_text("已恢复：火星咖啡馆开业", timeout=UPLOAD_TIMEOUT)
    expect(page.locator("#documents")).to_contain_text("火星咖啡馆开业")
    expect(page.locator("#undo")).to_be_hidden()
    shot(page, "19-undo-restored")
    httpx.delete(server + "/api/documents/mars-cafe", timeout=120).raise_for_status()  # as the other tests expect


def test_a_delete_can_be_undone_after_a_reload_from_the_trash_list(page, server):
    """Undo lived as long as the page did: reloaded, the page offered no way back for a deleted article (only the
    API and the CLI did). The Documents tab now lists the trash and restores the chosen entry."""
    from playwright.sync_api import expect

    files = {"file": ("mars-cafe.txt", ARTICLE.encode(), "text/plain")}
    httpx.post(server + "/api/documents", files=files, timeout=300).raise_for_status()
    httpx.delete(server + "/api/documents/mars-cafe", timeout=120).raise_for_status()
    def trashed() -> list[str]:
        return [d["trash_id"] for d in httpx.get(server + "/api/trash", timeout=60).json() if d["doc_id"] == "mars-cafe"]

    kept = trashed()
    page.reload(wait_until="load")
    wait_until_ready(page)
    page.get_by_role("tab", name="文档").click()
    expect(page.locator("#trash-row")).to_be_visible()
    expect(page.locator("#undo")).to_be_hidden()  # a new page: nothing of its own to undo
    page.locator("#restore").click()
    expect(page.locator("#doc-status")).to_contain_text("请先选择要恢复的文章")
    page.locator("#trash-doc input").click()
    page.get_by_role("option", name=re.compile(r"火星咖啡馆开业（mars-cafe）· .* 已删除")).first.click()
    shot(page, "19b-trash-list")
    page.locator("#restore").click()
    expect(page.locator("#doc-status")).to_contain_text("已恢复：火星咖啡馆开业", timeout=UPLOAD_TIMEOUT)
    expect(page.locator("#documents")).to_contain_text("火星咖啡馆开业")
    assert "mars-cafe" in {d["doc_id"] for d in httpx.get(server + "/api/documents", timeout=60).json()}
    assert trashed() == kept[1:]  # the newest entry, restored, left the trash; earlier deletes stay
    httpx.delete(server + "/api/documents/mars-cafe", timeout=120).raise_for_status()  # as the other tests expect


def test_an_unsupported_file_is_refused_by_name_in_the_readers_language(page, tmp_path):
    """An .exe dropped on the 简体 page: Gradio refused it itself, in an English toast, and the status kept the
    previous upload's error. Now every file reaches the page's upload, which says in 简体 what it refused and why,
    and the status shows the latest upload only."""
    from playwright.sync_api import expect

    (tmp_path / "slides.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "setup.exe").write_bytes(b"MZ\x90\x00" + bytes(64))
    page.get_by_role("tab", name="文档").click()
    page.locator("#upload input[type=file]").set_input_files(str(tmp_path / "slides.pdf"))
    expect(page.locator("#doc-status .qa-error")).to_contain_text("slides.pdf", timeout=UPLOAD_TIMEOUT)
    page.locator("#upload input[type=file]").set_input_files(str(tmp_path / "setup.exe"))
    status = page.locator("#doc-status")
    expect(status).to_contain_text("setup.exe：不支持的文件类型", timeout=UPLOAD_TIMEOUT)
    expect(status).to_contain_text(re.compile(r"可以上传：.*\.pdf"))
    expect(status).not_to_contain_text("slides.pdf")  # the latest upload only
    expect(page.locator("[data-testid=toast-body], .toast-body")).to_have_count(0)  # no toast of Gradio's own
    expect(page.get_by_text("Invalid file type")).to_have_count(0)
    shot(page, "35-unsupported-file-zh-hans")
    # a file over the limit, beside another: Gradio refused the whole batch in an English toast ("4.8 Mb")
    (tmp_path / "big.txt").write_bytes("大".encode() * 2_000_000)  # 6 MB, over max_upload_bytes
    page.locator("#upload input[type=file]").set_input_files([str(tmp_path / "big.txt"), str(tmp_path / "setup.exe")])
    expect(status).to_contain_text("big.txt：6,000,000 字节，超过上限", timeout=UPLOAD_TIMEOUT)
    expect(status).to_contain_text("setup.exe：不支持的文件类型")
    expect(page.locator("[data-testid=toast-body], .toast-body")).to_have_count(0)


def test_a_replace_by_upload_can_be_undone(page, server, tmp_path):
    """Uploading a new version of an article keeps the old one in the trash; the page offers Undo, as after a delete,
    and Undo brings the previous version back (the newer one is kept in the trash in its turn)."""
    from playwright.sync_api import expect

    httpx.post(server + "/api/documents", files={"file": ("mars-cafe.txt", ARTICLE.encode(), "text/plain")},
               timeout=300).raise_for_status()
    try:
        newer = tmp_path / "mars-cafe.txt"
        newer.write_text(ARTICLE.replace("每杯售价42元", "每杯售价58元"), encoding="utf-8")
        page.get_by_role("tab", name="文档").click()
        page.locator("#upload input[type=file]").set_input_files(str(newer))
        expect(page.locator("#doc-status")).to_contain_text("已替换：火星咖啡馆开业", timeout=UPLOAD_TIMEOUT)
        undo = page.locator("#undo")
        expect(undo).to_be_visible()
        expect(undo).to_have_text("撤销替换（恢复之前的版本）")
        assert "58元" in httpx.get(server + "/api/documents/mars-cafe", timeout=60).json()["text"]
        shot(page, "36-replaced-undo-offered")
        undo.click()
        expect(page.locator("#doc-status")).to_contain_text("已恢复：火星咖啡馆开业", timeout=UPLOAD_TIMEOUT)
        expect(undo).to_be_hidden()
        assert "42元" in httpx.get(server + "/api/documents/mars-cafe", timeout=60).json()["text"]
        kept = [d for d in httpx.get(server + "/api/trash", timeout=60).json() if d["doc_id"] == "mars-cafe"]
        assert kept[0]["reason"] == "replaced"  # the newer version, kept in its turn
    finally:
        httpx.delete(server + "/api/documents/mars-cafe", timeout=120).raise_for_status()


def test_date_errors_name_the_fields_as_the_page_labels_them_and_survive_a_language_switch(page):
    """A bad date or a reversed range named date_from/date_to (the API's names) beside fields labelled 起始日期 and
    结束日期; switching language dropped the error from the Ask tab."""
    from playwright.sync_api import expect

    page.locator("#date-from input, #date-from textarea").first.fill("2025-12-31")
    page.locator("#date-to input, #date-to textarea").first.fill("2025-10-01")
    wait_until_ready(page)
    box = page.locator("#question textarea")  # (the answer is an error: no .qa-lang for ask() to wait for)
    box.fill("H200的显存带宽是多少？")
    box.press("Enter")
    error = page.locator("#answer .qa-error")
    expect(error).to_have_text("起始日期（YYYY-MM-DD） 2025-12-31 晚于 结束日期（YYYY-MM-DD） 2025-10-01：请对调或放宽范围")
    page.locator("#ui-lang").get_by_text("English").click()
    expect(error).to_have_text("From (YYYY-MM-DD) 2025-12-31 is after Until (YYYY-MM-DD) 2025-10-01; swap them or widen the range")
    # another script at once, while the switch's chain still runs (through Gradio's queue this click's output
    # stayed pending for good about one time in seven: page-only events now skip the queue)
    page.locator("#view").get_by_text("简体 Simplified").click()  # another script: the error stays too
    expect(page.locator("#view input[value='simplified']")).to_be_checked()
    wait_until_idle(page)
    expect(error).to_contain_text("From (YYYY-MM-DD) 2025-12-31 is after")
    page.locator("#date-from input, #date-from textarea").first.fill("")
    page.locator("#date-to input, #date-to textarea").first.fill("2025-02-30")
    page.locator("#ask").click()
    expect(error).to_have_text("Until (YYYY-MM-DD) must be a date written YYYY-MM-DD, such as 2025-10-01; got '2025-02-30'")
    page.locator("#ui-lang").get_by_text("繁體中文").click()
    expect(error).to_have_text("結束日期（YYYY-MM-DD） 必須是 YYYY-MM-DD 格式的日期，例如 2025-10-01；收到的是「2025-02-30」")
    shot(page, "37-date-error-zh-hant")


def test_switching_language_keeps_the_choice_and_translates_what_the_documents_tab_says(page, server):
    """The delete confirmation and the status line stayed in the old language, and the chosen document was
    unchosen, when the reader switched language."""
    from playwright.sync_api import expect

    httpx.post(server + "/api/documents", files={"file": ("mars-cafe.txt", ARTICLE.encode(), "text/plain")},
               timeout=300).raise_for_status()
    try:
        page.get_by_role("tab", name="文档").click()
        expect(page.locator("#documents")).to_contain_text("火星咖啡馆开业")
        chosen = page.locator("#delete-doc input")
        chosen.click()
        page.get_by_role("option", name=re.compile("mars-cafe")).click()
        expect(chosen).to_have_value(re.compile("mars-cafe"))
        page.locator("#delete").click()
        expect(page.locator("#confirm-text")).to_contain_text("删除《火星咖啡馆开业》（mars-cafe）？它会移到回收站")
        page.locator("#ui-lang").get_by_text("繁體中文").click()
        expect(page.locator("#confirm-text")).to_contain_text("刪除《火星咖啡馆开业》（mars-cafe）？它會移到資源回收筒")
        expect(page.get_by_role("tab", name="文件")).to_be_visible()
        settle(page)
        expect(chosen).to_have_value(re.compile("mars-cafe"))  # still chosen
        page.locator("#cancel-delete").click()
        expect(page.locator("#doc-status")).to_have_text("沒有刪除任何文件。")
        page.locator("#ui-lang").get_by_text("English").click()
        expect(page.locator("#doc-status")).to_have_text("Nothing was deleted.")
        wait_until_idle(page)
        expect(chosen).to_have_value(re.compile("mars-cafe"))
        shot(page, "38-switched-documents-en")
    finally:
        httpx.delete(server + "/api/documents/mars-cafe", timeout=120).raise_for_status()


def test_the_source_filter_follows_uploads_deletes_and_restores(page, server, tmp_path):
    """The source filter offered the sources of the page's start: not a newly uploaded site's, and still a deleted
    one's. It now offers the library's sources after each upload, delete and undo, keeping what is still chosen."""
    from playwright.sync_api import expect

    from tests.sample_files import PAGES, news_page

    sites = {"mars-daily.html": "Mars Daily", "venus-daily.html": "Venus Daily"}
    for name, site in sites.items():
        (tmp_path / name).write_bytes(news_page(**{**PAGES["en"], "site": site, "title": f"H200 news from {site}"}))
    sources = page.locator("#sources")

    def offered() -> object:  # the filter's list of choices, open (it opens as the box takes focus)
        sources.locator("input").click()
        return page.get_by_role("listbox")

    def close() -> None:
        page.keyboard.press("Escape")
        sources.locator("input").blur()

    def choose(site: str) -> None:
        offered().get_by_role("option", name=site).click()
        close()

    try:
        page.get_by_role("tab", name="文档").click()
        page.locator("#upload input[type=file]").set_input_files([str(tmp_path / name) for name in sites])
        expect(page.locator("#doc-status .qa-ok")).to_have_count(2, timeout=UPLOAD_TIMEOUT)
        page.get_by_role("tab", name="提问").click()
        choose("Mars Daily")
        choose("Venus Daily")
        expect(sources).to_contain_text("Mars Daily")
        expect(sources).to_contain_text("Venus Daily")

        delete_on_page(page, "venus-daily")
        page.get_by_role("tab", name="提问").click()
        expect(sources).to_contain_text("Mars Daily")  # still chosen
        expect(sources).not_to_contain_text("Venus Daily")  # gone: no longer chosen, nor offered
        listbox = offered()
        expect(listbox).to_contain_text("Mars Daily")
        expect(listbox).not_to_contain_text("Venus Daily")
        close()
        shot(page, "39-sources-after-delete")

        page.get_by_role("tab", name="文档").click()
        settle(page)
        page.locator("#undo").click()
        expect(page.locator("#doc-status")).to_contain_text("已恢复", timeout=UPLOAD_TIMEOUT)
        page.get_by_role("tab", name="提问").click()
        expect(offered()).to_contain_text("Venus Daily")  # offered again
        close()
    finally:
        for doc_id in ("mars-daily", "venus-daily"):
            httpx.delete(f"{server}/api/documents/{doc_id}", timeout=120)


def test_phone_layout(browser, server, request):
    """390 x 844: the question box spans the screen, the answer is scrolled into view, documents read as a list."""
    from playwright.sync_api import expect

    with open_page(browser, server, request, locale="zh-HK", viewport=PHONE, is_mobile=True, has_touch=True) as pg:
        box = pg.locator("#question textarea").bounding_box()
        assert box and box["width"] >= 0.8 * PHONE["width"], box
        shot(pg, "20-phone-start-zh-hant")
        ask(pg, "中國外交部發言人是誰？")
        expect(first_mark(pg)).to_contain_text("郭嘉昆")
        expect(pg.locator("#answer .qa-lang")).to_be_in_viewport()
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scrolling
        pg.screenshot(path=str(SHOTS / "21-phone-answer-zh-hant.png"))  # what the reader sees, not the whole page
        pg.get_by_role("tab", name="文件").click()
        first = pg.locator("#documents li").first
        expect(first).to_be_visible()
        expect(pg.locator("#upload")).to_contain_text("拖放檔案至此處")  # Gradio's file drop area, in 繁體 too
        expect(pg.locator("footer")).to_contain_text("透過 API 使用")
        assert first.locator("b").bounding_box()["width"] > 150  # the title has room
        assert serious_violations(pg) == []
        shot(pg, "22-phone-documents")


ADMIN_TOKEN = "page-admin-token-7d1e"


def test_writing_on_the_page_needs_the_admin_token(browser, assistant, embedder, tmp_path_factory, request):
    """With QA_ADMIN_TOKEN set, the documents tab asks for the token before showing upload and delete."""
    from playwright.sync_api import expect

    from qa.api import create_app

    guarded = copy_assistant(assistant, tmp_path_factory.mktemp("guarded"), embedder)
    guarded.settings = guarded.settings.replace(admin_token=ADMIN_TOKEN)
    with LiveServer(create_app(guarded)) as url, open_page(browser, url, request, locale="en-US") as pg:
        pg.get_by_role("tab", name="Documents").click()
        expect(pg.locator("#admin-token")).to_be_visible()
        expect(pg.locator("#upload")).to_be_hidden()
        expect(pg.locator("#delete")).to_be_hidden()
        pg.locator("#admin-token input").fill("wrong")
        pg.locator("#unlock").click()
        expect(pg.locator("#doc-status")).to_contain_text("the admin token is not correct")
        expect(pg.locator("#upload")).to_be_hidden()
        shot(pg, "24-admin-token-asked")
        pg.locator("#admin-token input").fill(ADMIN_TOKEN)
        pg.keyboard.press("Enter")
        expect(pg.locator("#doc-status")).to_contain_text("Unlocked")
        expect(pg.locator("#upload")).to_be_visible()
        expect(pg.locator("#delete")).to_be_visible()
        expect(pg.locator("#admin-token")).to_be_hidden()


READ_TOKEN = "page-read-token-41c9"


def test_reading_the_page_needs_the_read_token(browser, assistant, embedder, tmp_path_factory, request):
    """With QA_READ_TOKEN set, a zh-HK reader first sees only a login form in 繁體 (Gradio's own strings follow our
    language rule); a wrong token shows an error in 繁體 and still nothing of the page; the right one opens it."""
    from playwright.sync_api import expect

    from qa.api import create_app

    guarded = copy_assistant(assistant, tmp_path_factory.mktemp("read-guarded"), embedder)
    guarded.settings = guarded.settings.replace(read_token=READ_TOKEN)
    with LiveServer(create_app(guarded)) as url:
        context = browser.new_context(viewport=DESKTOP, locale="zh-HK")
        pg = context.new_page()
        pg.set_default_timeout(ANSWER_TIMEOUT)
        pg.add_init_script(WATCH_GRADIO_JS)
        try:
            pg.goto(url + "/", wait_until="load")
            password = pg.locator("input[type=password]")
            expect(password).to_be_visible(timeout=READY_TIMEOUT)  # the login form, once Gradio has started
            login = pg.get_by_role("button", name="登入", exact=True)
            expect(login).to_be_visible()
            expect(pg.get_by_text("請輸入讀取權杖作為密碼")).to_be_visible()
            expect(pg.locator("#question, #answer, #documents")).to_have_count(0)  # nothing of the page
            assert httpx.post(url + "/api/ask", json={"question": "H200"}, timeout=60).status_code == 401
            shot(pg, "32-read-token-login-zh-hant")
            pg.locator("input:not([type=password])").first.fill("reader")
            password.fill("wrong-token")
            login.click()
            expect(pg.get_by_text("憑證錯誤")).to_be_visible()  # Gradio's "Incorrect Credentials", in 繁體
            expect(pg.locator("#question, #answer, #documents")).to_have_count(0)
            shot(pg, "33-read-token-wrong-zh-hant")
            pg.locator("input:not([type=password])").first.fill("reader")  # a refused login empties the form
            password.fill(READ_TOKEN)
            with pg.expect_navigation(wait_until="load"):  # Gradio reloads the page, signed in
                login.click()
            wait_until_ready(pg)
            expect(pg.get_by_role("tab", name="提問")).to_be_visible()
            expect(pg.locator("#ui-lang input[value='zh-Hant']")).to_be_checked()
            ask(pg, "中國外交部發言人是誰？")  # the page's own calls pass the server's read check
            expect(first_mark(pg)).to_contain_text("郭嘉昆")
            shot(pg, "34-read-token-page-zh-hant")
        except BaseException:
            pg.screenshot(path=str(SHOTS / f"FAILED-{request.node.name}.png"), full_page=True)
            raise
        finally:
            context.close()


def test_zz_no_request_left_this_machine():
    """Runs last: nothing any page above loaded came from outside 127.0.0.1 (no CDN, fonts or analytics)."""
    assert EXTERNAL_REQUESTS == []
