"""The Gradio page: a thin layer over Assistant that renders answers, articles and the document list as escaped HTML.

Every callback is one short call to an Assistant method plus rendering; the render functions are plain
functions (Answer/Document → HTML string) so they can be tested without a browser. All text that comes
from a document or a question goes through ``html.escape`` before it is put into markup, so an article
containing ``<script>`` shows that text literally and runs nothing.
"""
import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QAError

if TYPE_CHECKING:
    import gradio as gr

    from .assistant import Assistant
    from .records import AddOutcome, Answer, Document

EXAMPLES = [
    "What is the memory bandwidth of the H200?",
    "美国对H200出口征收多少附加费？",
    "中國外交部發言人是誰？",
]

# (label, value) pairs for the passage-script control; "original" shows each passage as written.
VIEWS = [("原文 Original", "original"), ("简体 Simplified", "simplified"), ("繁體 Traditional", "traditional")]
UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"]

SCRIPT_LABELS = {
    "simplified": "简体 Simplified",
    "traditional": "繁體 Traditional",
    "latin": "Latin 拉丁字母",
    "mixed": "mixed 混合",
}
LANGUAGE_LABELS = {"zh": "中文 Chinese", "en": "English 英文"}
GLOSS_HINT = "Hover over, tap or tab to an underlined word for its pinyin and meaning · 悬停、轻触或用 Tab 键选中带下划线的词，查看中文释义"

CSS = """
.qa-card {border:1px solid #d4d4d8; border-radius:8px; padding:10px 12px; margin:8px 0; background:#fff;}
.qa-meta {font-size:0.85em; color:#52525b;}
.qa-meta b {color:#18181b;}
.qa-bar {height:6px; background:#e4e4e7; border-radius:3px; margin:4px 0 8px;}
.qa-bar > span {display:block; height:6px; background:#3b82f6; border-radius:3px;}
.qa-text {white-space:pre-wrap; line-height:1.7; color:#18181b;}
.qa-text mark, .qa-article-text mark {background:#fde047; color:#000; padding:0 1px; border-radius:2px;}
.qa-gloss {position:relative; border-bottom:1px dotted #1d4ed8; cursor:help;}
.qa-gloss:focus {outline:2px solid #2563eb; outline-offset:1px;}
.qa-gloss:hover::after, .qa-gloss:focus::after {content:attr(data-gloss); position:absolute; left:0; top:100%; z-index:30;
  margin-top:2px; width:max-content; max-width:22em; padding:4px 8px; border-radius:4px; background:#18181b; color:#fff;
  font-size:0.8rem; line-height:1.45; font-weight:normal; white-space:pre-line; text-align:left; pointer-events:none;}
.qa-gloss-hint {font-size:0.8em; color:#52525b; margin:2px 0 4px;}
.qa-lang {font-size:0.9em; color:#3f3f46; margin:4px 0;}
.qa-abstain {padding:8px 12px; background:#fef2f2; border-left:4px solid #ef4444; margin:8px 0; color:#7f1d1d;}
.qa-error {padding:8px 12px; background:#fff7ed; border-left:4px solid #f97316; margin:8px 0; color:#7c2d12;}
.qa-ok {padding:8px 12px; background:#f0fdf4; border-left:4px solid #22c55e; margin:8px 0; color:#14532d;}
.qa-timings {font-size:0.75em; color:#71717a;}
.qa-article {max-height:60vh; overflow:auto; border:1px solid #d4d4d8; border-radius:8px; padding:10px 12px; background:#fff;}
.qa-article-text {white-space:pre-wrap; line-height:1.7; color:#18181b;}
.qa-cited {background:#eff6ff; outline:1px dashed #93c5fd;}
.qa-docs {border-collapse:collapse; width:100%; font-size:0.9em;}
.qa-docs th, .qa-docs td {border-bottom:1px solid #e4e4e7; padding:4px 8px; text-align:left; color:#18181b;}
.qa-docs code {font-size:0.85em;}
"""

# Runs in the browser after the article panel is filled: bring the cited sentence into view.
SCROLL_TO_MARK_JS = "() => { const m = document.querySelector('#article mark'); if (m) m.scrollIntoView({block: 'center'}); }"

esc = html.escape


# ---- rendering (plain functions, no Gradio) ------------------------------------------------------
def language_label(language: str, script: str) -> str:
    """'中文 Chinese · 繁體 Traditional' for a question's detected language and script."""
    lang = LANGUAGE_LABELS.get(language, f"其他 other ({language or '?'})")
    return f"{lang} · {SCRIPT_LABELS.get(script, script or '?')}"


def marked(text: str, start: int, end: int, glosses: Sequence[tuple[int, int, str]] = ()) -> str:
    """``text`` escaped, with ``text[start:end]`` inside <mark> (offsets clamped into the text).

    ``glosses``: (start, end, tip) offsets into ``text``, sorted; each such word inside the mark becomes a
    focusable span whose tip (pinyin and meaning) shows on hover, on keyboard focus and on tap.
    """
    start = max(0, min(len(text), start))
    end = max(start, min(len(text), end))
    inner, at = [], start
    for gs, ge, tip in glosses:
        if start <= at <= gs < ge <= end:  # inside the mark, in order, not overlapping
            word = text[gs:ge]
            label = f"{word}: " + tip.replace("\n", ", ")
            inner.append(esc(text[at:gs]) + f'<span class="qa-gloss" tabindex="0" data-gloss="{esc(tip)}" '
                         f'aria-label="{esc(label)}">{esc(word)}</span>')
            at = ge
    inner.append(esc(text[at:end]))
    return esc(text[:start]) + "<mark>" + "".join(inner) + "</mark>" + esc(text[end:])


def gloss_tips(p: Any) -> list[tuple[int, int, str]]:
    """A passage's reading aid as (start, end, tip), offsets into its text; the tip is pinyin over meaning for a
    Chinese word, the Chinese equivalents over their pinyin for an English one."""
    tips = []
    for g in p.gloss or ():
        tip = f"{g.pinyin}\n{g.english}" if g.english is not None else f"{g.chinese}\n{g.pinyin}"
        tips.append((g.start - p.start, g.end - p.start, tip.strip()))
    return tips


def render_passage(rank: int, p: Any, view: str = "original") -> str:
    """One passage card: title, date, paragraph, relevance bar, text with the answering sentence marked."""
    converted = view != "original" and bool(p.text_converted)
    text = p.text_converted if converted else p.text
    span = p.highlight_in_text()
    # OpenCC converts character for character, so the highlight offsets carry over; if a conversion ever
    # changed the length, show the text unmarked rather than marking the wrong words. No highlight: no
    # sentence of the card answers well enough to mark.
    body = marked(text, *span, gloss_tips(p)) if span and len(text) == len(p.text) else esc(text)
    # the bar shows the calibrated probability that the card holds the answer (qa.confidence)
    meter = float(p.confidence if getattr(p, "confidence", None) is not None else p.score)
    width = max(0, min(100, round(meter * 100)))
    shown = SCRIPT_LABELS.get(view, view) if converted else "原文 original"
    byline = "".join(f" · {esc(v)}" for v in (getattr(p, "source", None), getattr(p, "author", None)) if v)
    page = f" · 第{int(p.page)}页 p. {int(p.page)}" if getattr(p, "page", None) else ""
    return (
        f'<div class="qa-card" data-rank="{rank}" data-doc-id="{esc(p.doc_id)}">'
        f'<div class="qa-meta">#{rank} · <b>{esc(p.title)}</b> · {esc(p.date or "日期不详 no date")}{byline}'
        f"{page} · 第{p.paragraph}段 ¶{p.paragraph} · {esc(shown)}</div>"
        f'<div class="qa-bar" role="meter" aria-label="confidence 把握" aria-valuemin="0" aria-valuemax="1" '
        f'aria-valuenow="{meter:.3f}" title="confidence 把握 {width}%"><span style="width:{width}%"></span></div>'
        f'<div class="qa-text">{body}</div></div>'
    )


def render_answer(answer: "Answer", view: str = "original") -> str:
    """Answer → HTML: detected language, then passage cards best first, or an abstention with passages folded away."""
    parts = [f'<div class="qa-lang">检测到 Detected: {esc(language_label(answer.language, answer.script))}</div>']
    if any(p.gloss for p in answer.passages):
        parts.append(f'<div class="qa-gloss-hint">{esc(GLOSS_HINT)}</div>')
    cards = "".join(render_passage(i, p, view) for i, p in enumerate(answer.passages, 1))
    if answer.abstained:
        parts.append(f'<div class="qa-abstain" role="status">{esc(answer.message)}</div>')
        if cards:
            parts.append(f'<details class="qa-nearest"><summary>最接近的段落 · Nearest passages ({len(answer.passages)})</summary>{cards}</details>')
    elif cards:
        parts.append(cards)
    else:
        parts.append('<div class="qa-abstain" role="status">没有文档 · No documents in the index.</div>')
    return "\n".join(parts)


def render_timings(timings: dict[str, float]) -> str:
    if not timings:
        return ""
    items = " · ".join(f"{esc(str(k))} {float(v):.{1 if float(v) < 10 else 0}f} ms" for k, v in timings.items())
    return f'<div class="qa-timings">耗时 Timings: {items}</div>'


def render_error(message: str) -> str:
    return f'<div class="qa-error" role="alert">{esc(message)}</div>'


def render_article(doc: "Document", start: int, end: int, highlight: tuple[int, int] | None) -> str:
    """The whole article, escaped, with the cited passage outlined and its answering sentence (if any) marked."""
    text = doc.text
    start, end = max(0, min(len(text), start)), max(0, min(len(text), end))
    if highlight is None:
        cited = esc(text[start:end])
    else:
        hs, he = max(start, min(end, highlight[0])), max(start, min(end, highlight[1]))
        cited = esc(text[start:hs]) + "<mark>" + esc(text[hs:he]) + "</mark>" + esc(text[he:end])
    body = esc(text[:start]) + f'<span class="qa-cited">{cited}</span>' + esc(text[end:])
    byline = "".join(f" · {esc(v)}" for v in (getattr(doc, "source", None), getattr(doc, "author", None)) if v)
    meta = f'{esc(doc.date or "日期不详 no date")}{byline} · {esc(SCRIPT_LABELS.get(doc.script, doc.script))} · <code>{esc(doc.doc_id)}</code>'
    return f'<div class="qa-article"><h3>{esc(doc.title)}</h3><div class="qa-meta">{meta}</div><div class="qa-article-text">{body}</div></div>'


def render_documents(docs: list[dict]) -> str:
    """The document list as an escaped HTML table."""
    if not docs:
        return '<div class="qa-abstain">没有文档 · No documents yet: upload one below.</div>'
    rows = "".join(
        f'<tr data-doc-id="{esc(d["doc_id"])}"><td>{esc(d["title"])}</td><td>{esc(d.get("date") or "—")}</td>'
        f'<td>{esc(d.get("source") or "—")}</td><td>{esc(d.get("author") or "—")}</td>'
        f'<td>{esc(SCRIPT_LABELS.get(d["script"], d["script"]))}</td><td>{int(d["passages"])}</td><td><code>{esc(d["doc_id"])}</code></td></tr>'
        for d in docs
    )
    head = ("<tr><th>标题 Title</th><th>日期 Date</th><th>来源 Source</th><th>作者 Author</th><th>字体 Script</th>"
            "<th>段落 Passages</th><th>ID</th></tr>")
    return f'<table class="qa-docs"><thead>{head}</thead><tbody>{rows}</tbody></table><div class="qa-timings">{len(docs)} 篇文档 documents</div>'


def render_outcome(o: "AddOutcome") -> str:
    """One file of an upload: added / replaced (with title and id) or skipped with the reason."""
    name = Path(o.path).name
    if o.status in ("added", "replaced"):
        label = "已添加 Added" if o.status == "added" else "已替换 Replaced"
        return f'<div class="qa-ok">{label}: {esc(o.title or name)} (<code>{esc(o.doc_id or "")}</code>)</div>'
    if not o.failed:
        return f'<div class="qa-ok">未改变 Unchanged: {esc(o.title or name)} (<code>{esc(o.doc_id or "")}</code>)</div>'
    return render_error(o.reason if o.reason.startswith(name) else f"{name}: {o.reason}")


def formats_note(max_bytes: int, max_pages: int, max_chars: int) -> str:
    """What the Documents tab accepts, from the settings that limit it."""
    return (
        "**格式 Formats**: PDF（须有文字层 with a text layer; 扫描件请先 OCR · scans need OCR first）· Word .docx · "
        "保存的网页 saved web pages .html/.htm（只取正文 article text only）· Markdown .md · 纯文本 text .txt "
        "(UTF-8, UTF-16, GB18030, Big5). 元数据 Metadata: 文件自带 from the file, 否则 else `FILE.meta.json`.  \n"
        f"**限制 Limits**: {max_bytes / 1e6:g} MB / 文件 per file · {max_pages:,} 页 pages per PDF · "
        f"{max_chars:,} 字符 characters of text per document. 可一次上传多个文件 · Upload several files at once."
    )


def passage_choices(answer: "Answer") -> list[tuple[str, int]]:
    """Dropdown choices for 'show in article': one per cited passage, best first."""
    return [(f"#{i} {p.title} · ¶{p.paragraph}", i - 1) for i, p in enumerate(answer.passages, 1)]


def document_choices(docs: list[dict]) -> list[tuple[str, str]]:
    return [(f"{d['title']} ({d['doc_id']})", d["doc_id"]) for d in docs]


# ---- callbacks (plain functions over an Assistant; Gradio wiring is in build_ui) ---------------
class Callbacks:
    """What each control does, as plain methods: easy to call from tests without a browser."""

    def __init__(self, assistant: "Assistant") -> None:
        self.assistant = assistant

    def ask(self, question: str, k: float | int | None, view: str | None) -> tuple[str, list[dict], list[tuple[str, int]], str]:
        """→ (answer HTML, cited passages for the article view, their dropdown choices, timings HTML)."""
        view = view if view in ("simplified", "traditional") else "original"
        try:
            answer = self.assistant.ask(question, k=int(k or self.assistant.settings.k), target_script=None if view == "original" else view)
        except QAError as e:
            return render_error(str(e)), [], [], ""
        cited = [{"doc_id": p.doc_id, "start": p.start, "end": p.end, "highlight": p.highlight and list(p.highlight)}
                 for p in answer.passages]
        return render_answer(answer, view), cited, passage_choices(answer), render_timings(answer.timings_ms)

    def show_article(self, rank: int | None, cited: list[dict] | None) -> str:
        """The article behind cited passage ``rank`` (0-based), with that passage highlighted."""
        if not cited or rank is None or not 0 <= int(rank) < len(cited):
            return render_error("先提问，再选择一个段落 · Ask a question first, then pick a passage.")
        c = cited[int(rank)]
        try:
            doc = self.assistant.document(c["doc_id"])
        except QAError as e:
            return render_error(str(e))
        return render_article(doc, c["start"], c["end"], tuple(c["highlight"]) if c["highlight"] else None)

    def documents(self) -> tuple[str, list[tuple[str, str]]]:
        docs = self.assistant.documents()
        return render_documents(docs), document_choices(docs)

    def upload(self, paths: list[str] | str | None, progress: Any = None) -> tuple[str, str, list[tuple[str, str]]]:
        """Add the uploaded files to the index (no restart) → (status HTML, document table, delete choices)."""
        if isinstance(paths, str):
            paths = [paths]
        paths = [p for p in (paths or []) if p]
        if not paths:
            table, choices = self.documents()
            return render_error("请选择文件 · Choose a file to upload."), table, choices

        def step(done: int, total: int, name: str) -> None:
            if progress is not None:
                progress((done, total), desc=f"索引中 Indexing {name}")

        try:
            report = self.assistant.add_paths(paths, progress=step)
            messages = [render_outcome(o) for o in report.outcomes]
        except QAError as e:
            messages = [render_error(str(e))]
        table, choices = self.documents()
        return "".join(messages), table, choices

    def delete(self, doc_id: str | None) -> tuple[str, str, list[tuple[str, str]]]:
        """Remove one document from the index → (status HTML, document table, delete choices)."""
        if not doc_id:
            status = render_error("请选择要删除的文档 · Choose a document to delete.")
        else:
            try:
                doc = self.assistant.delete_document(doc_id)
                status = f'<div class="qa-ok">已删除 Deleted: {esc(doc.title)} (<code>{esc(doc.doc_id)}</code>)</div>'
            except QAError as e:
                status = render_error(str(e))
        table, choices = self.documents()
        return status, table, choices

    # JSON endpoints for gradio_client (typed, so gr.api can describe them)
    def ask_json(self, question: str, k: int = 5, target_script: str = "") -> dict:
        import gradio as gr

        try:
            return self.assistant.ask(question, k=int(k), target_script=target_script or None).to_dict()
        except QAError as e:
            raise gr.Error(str(e)) from e

    def documents_json(self) -> list[dict]:
        # gradio_client treats any dict with a string "path" as a file to download, so name that field "file_name".
        return [{("file_name" if key == "path" else key): v for key, v in d.items()} for d in self.assistant.documents()]


def build_ui(assistant: "Assistant") -> "gr.Blocks":
    """The page. Mount it with ``qa.api.create_app`` (which passes CSS), or ``build_ui(a).launch(css=CSS)``."""
    import gradio as gr

    cb = Callbacks(assistant)
    settings = assistant.settings

    def ask(question: str, k: float, view: str):
        answer_html, cited, choices, timings = cb.ask(question, k, view)
        return answer_html, cited, gr.update(choices=choices, value=0 if choices else None), timings, ""

    def upload(paths: list[str] | None, progress: gr.Progress = gr.Progress()):  # noqa: B008 (Gradio's idiom)
        status, table, choices = cb.upload(paths, progress)
        return status, table, gr.update(choices=choices, value=None), None

    def delete(doc_id: str | None):
        status, table, choices = cb.delete(doc_id)
        return status, table, gr.update(choices=choices, value=None)

    def refresh():
        table, choices = cb.documents()
        return table, gr.update(choices=choices)

    def ask_api(question: str, k: int = settings.k, target_script: str = "") -> dict:
        """Answer a question: the same JSON as POST /api/ask. target_script: '', 'simplified' or 'traditional'."""
        return cb.ask_json(question, k, target_script)

    def documents_api() -> list[dict]:
        """The indexed articles: doc_id, title, date, script, language, file_name, passages, characters."""
        return cb.documents_json()

    table0, choices0 = cb.documents()
    with gr.Blocks(title="新闻问答 · News QA") as ui:
        gr.Markdown(
            "## 新闻问答 · News question answering\n"
            "用英文、简体或繁體提问；答案引用文章原文段落。 · Ask in English, 简体 or 繁體; answers cite passages from the articles."
        )
        cited = gr.State([])
        with gr.Tabs():
            with gr.Tab("提问 Ask", id="ask-tab"):
                with gr.Row():
                    question = gr.Textbox(
                        label="问题 Question", placeholder="例如 e.g. What is the memory bandwidth of the H200?",
                        scale=5, elem_id="question", lines=1, max_lines=3, submit_btn=False,
                    )
                    k = gr.Slider(1, 10, value=settings.k, step=1, label="段落数 Passages", scale=1, elem_id="k")
                with gr.Row():
                    button = gr.Button("提问 Ask", variant="primary", elem_id="ask", scale=1)
                    view = gr.Radio(VIEWS, value="original", label="段落字体 Show passages in", elem_id="view", scale=3)
                gr.Examples(EXAMPLES, inputs=question, label="示例 Examples")
                answer = gr.HTML(elem_id="answer")
                timings = gr.HTML(elem_id="timings")
                with gr.Row():
                    rank = gr.Dropdown([], label="引用段落 Cited passage", elem_id="rank", scale=4, interactive=True)
                    show = gr.Button("在原文中查看 Show in article", elem_id="show-article", scale=1)
                article = gr.HTML(elem_id="article")
            with gr.Tab("文档 Documents", id="docs-tab"):
                gr.Markdown(formats_note(settings.max_upload_bytes, settings.max_pages, settings.max_chars), elem_id="formats")
                docs_table = gr.HTML(table0, elem_id="documents")
                refresh_btn = gr.Button("刷新 Refresh", size="sm", elem_id="refresh")
                files = gr.File(
                    label="上传文章 Upload articles: PDF, Word .docx, saved web pages .html, Markdown, text (several at once)", file_types=UPLOAD_TYPES,
                    file_count="multiple", type="filepath", elem_id="upload",
                )
                doc_status = gr.HTML(elem_id="doc-status")
                with gr.Row():
                    to_delete = gr.Dropdown(choices0, label="删除文档 Delete a document", elem_id="delete-doc", scale=4)
                    delete_btn = gr.Button("删除 Delete", variant="stop", elem_id="delete", scale=1)

        ask_outputs = [answer, cited, rank, timings, article]
        ask_inputs = [question, k, view]
        button.click(ask, ask_inputs, ask_outputs, api_name="ui_ask", api_visibility="private")
        question.submit(ask, ask_inputs, ask_outputs, api_name="ui_ask_submit", api_visibility="private")
        view.input(ask, ask_inputs, ask_outputs, api_name="ui_view", api_visibility="private")
        show.click(cb.show_article, [rank, cited], article, api_name="ui_article", api_visibility="private").then(
            None, None, None, js=SCROLL_TO_MARK_JS, api_visibility="private"
        )
        files.upload(upload, files, [doc_status, docs_table, to_delete, files], api_name="ui_upload", api_visibility="private")
        delete_btn.click(delete, to_delete, [doc_status, docs_table, to_delete], api_name="ui_delete", api_visibility="private")
        refresh_btn.click(refresh, None, [docs_table, to_delete], api_name="ui_refresh", api_visibility="private")
        ui.load(refresh, None, [docs_table, to_delete], api_name="ui_load", api_visibility="private")
        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
    return ui
