"""The Gradio page: a thin layer over Assistant that renders answers as escaped HTML cards."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr

    from .assistant import Assistant
    from .records import Answer

EXAMPLES = [
    "What is the memory bandwidth of the H200?",
    "美国对H200出口征收多少附加费？",
    "中國外交部發言人是誰？",
]

CSS = """
.qa-card {border:1px solid #ddd; border-radius:8px; padding:10px 12px; margin:8px 0;}
.qa-meta {font-size:0.85em; color:#555;}
.qa-bar {height:6px; background:#eee; border-radius:3px; margin:4px 0 8px;}
.qa-bar > span {display:block; height:6px; background:#3b82f6; border-radius:3px;}
.qa-text {white-space:pre-wrap; line-height:1.6;}
.qa-text mark {background:#fde68a; padding:0 1px;}
.qa-abstain {padding:8px 12px; background:#fef2f2; border-left:4px solid #ef4444; margin:8px 0;}
.qa-timings {font-size:0.75em; color:#888;}
"""


def render_answer(answer: Answer, *, show_converted: bool = False) -> str:
    """Answer → HTML; every piece of document text is escaped, so stored markup never runs."""
    esc = html.escape
    parts = [f'<div class="qa-lang">{esc(answer.language)} / {esc(answer.script)}</div>']
    cards = []
    for i, p in enumerate(answer.passages, 1):
        text = p.text_converted if show_converted and p.text_converted else p.text
        hs, he = p.highlight[0] - p.start, p.highlight[1] - p.start
        if text is p.text or len(text) == len(p.text):  # OpenCC maps character for character, so offsets carry over
            body = esc(text[:hs]) + "<mark>" + esc(text[hs:he]) + "</mark>" + esc(text[he:])
        else:
            body = esc(text)
        width = max(0, min(100, round(p.score * 100)))
        cards.append(
            f'<div class="qa-card"><div class="qa-meta">{i}. <b>{esc(p.title)}</b> · {esc(p.date or "")} · ¶{p.paragraph}'
            f" · [{p.start}:{p.end}] · score {p.score:.3f}</div>"
            f'<div class="qa-bar"><span style="width:{width}%"></span></div><div class="qa-text">{body}</div></div>'
        )
    if answer.abstained:
        parts.append(f'<div class="qa-abstain">{esc(answer.message)}</div>')
        parts.append("<details><summary>nearest passages / 最接近的段落</summary>" + "".join(cards) + "</details>")
    else:
        parts.extend(cards)
    timings = " · ".join(f"{esc(k)} {v:.1f} ms" for k, v in answer.timings_ms.items())
    parts.append(f'<div class="qa-timings">{timings}</div>')
    return "\n".join(parts)


def build_ui(assistant: Assistant) -> gr.Blocks:
    import gradio as gr

    from .errors import QAError

    def ask(question: str, k: float, script: str) -> str:
        target = {"原文 original": None, "简体 Simplified": "simplified", "繁體 Traditional": "traditional"}.get(script)
        try:
            answer = assistant.ask(question, k=int(k), target_script=target)
        except QAError as e:
            return f'<div class="qa-abstain">{html.escape(str(e))}</div>'
        return render_answer(answer, show_converted=target is not None)

    with gr.Blocks(title="H200 news QA · 新闻问答") as ui:
        gr.Markdown("## News question answering · 新闻问答\nAsk in English, 简体 or 繁體; answers cite the articles.")
        with gr.Row():
            question = gr.Textbox(label="Question · 问题", placeholder="What is the memory bandwidth of the H200?", scale=4, elem_id="question")
            k = gr.Slider(1, 10, value=assistant.settings.k, step=1, label="passages · 段落数", scale=1)
        script = gr.Radio(["原文 original", "简体 Simplified", "繁體 Traditional"], value="原文 original", label="script · 字体")
        button = gr.Button("Ask · 提问", variant="primary", elem_id="ask")
        output = gr.HTML(elem_id="answer")
        gr.Examples(EXAMPLES, inputs=question)
        button.click(ask, [question, k, script], output, api_name="ask")
        question.submit(ask, [question, k, script], output, api_name=False)
        script.change(ask, [question, k, script], output, api_name=False)
    return ui
