"""The Gradio page: a thin layer over Assistant that renders answers, articles and the document list as escaped HTML.

Every callback is one short call to an Assistant method plus rendering; the render functions are plain
functions (Answer/Document → HTML string) so they can be tested without a browser. Every string a reader sees
comes from the message catalogue (``qa.messages``) in the reader's language: English, 简体 or 繁體, picked from
the browser's language on load and switchable on the page. All text that comes
from a document or a question goes through ``html.escape`` before it is put into markup, so an article
containing ``<script>`` shows that text literally and runs nothing.
"""
import html
import json
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .access import check_write
from .errors import DocumentNotFound, QAError
from .messages import LANGUAGE_NAMES, LANGUAGES, error_message, megabytes, no_match_text, pick_language, t
from .text.script import DISPLAY_SCRIPTS, convert_pieces

if TYPE_CHECKING:
    import gradio as gr

    from .assistant import Assistant
    from .records import AddOutcome, Answer, Document

EXAMPLES = [  # one per script; shown as they are in every interface language (they are questions, not labels)
    "What is the memory bandwidth of the H200?",
    "美国对H200出口征收多少附加费？",
    "中國外交部發言人是誰？",
]


def library_examples(assistant: "Assistant") -> list[str]:
    """The EXAMPLES this library answers: they are about the seed articles, and over a newsroom's own library a
    click on one was refused ("the documents hold no answer"), which reads as a broken page."""
    return [q for q in EXAMPLES if not assistant.ask(q, k=1).abstained]


VIEW_KEYS = ("original", *DISPLAY_SCRIPTS)  # original, simplified, traditional (Taiwan), hongkong

CSS = """
footer > .divider:last-child {display:none;} /* Gradio's separator before the settings link, left trailing without it */
.qa-card {border:1px solid #d4d4d8; border-radius:8px; padding:10px 12px; margin:8px 0; background:#fff;}
.qa-meta {font-size:0.85em; color:#52525b;}
.qa-meta b {color:#18181b;}
/* the page font ships weights 400 and 600: at bold (700) the browser drew some letters of a title in another
   font ("HʙM4") */
.qa-card b, .qa-meta b, .qa-article b, li[data-doc-id] b {font-weight:600;}
.qa-bar {height:6px; background:#e4e4e7; border-radius:3px; margin:4px 0 8px;}
.qa-bar > span {display:block; height:6px; background:#3b82f6; border-radius:3px;}
.qa-not-answer {display:inline-block; font-size:0.8em; color:#52525b; border:1px solid #d4d4d8; border-radius:4px;
  padding:0 6px; margin:4px 0 8px;}
.qa-text {white-space:pre-wrap; line-height:1.7; color:#18181b;}
.qa-text mark, .qa-article-text mark {background:#fde047; color:#000; padding:0 1px; border-radius:2px;}
.qa-gloss {position:relative; border-bottom:1px dotted #1d4ed8; cursor:help;}
.qa-gloss:hover::after, .qa-gloss:focus::after {content:attr(data-gloss); position:absolute; left:0; top:100%; z-index:30;
  margin-top:2px; width:max-content; max-width:22em; padding:4px 8px; border-radius:4px; background:#18181b; color:#fff;
  font-size:0.8rem; line-height:1.45; font-weight:normal; white-space:pre-line; text-align:left; pointer-events:none;}
.qa-gloss-hint {font-size:0.8em; color:#52525b; margin:2px 0 4px;}
.qa-lang {font-size:0.9em; color:#3f3f46; margin:4px 0;}
.qa-abstain {padding:8px 12px; background:#fef2f2; border-left:4px solid #ef4444; margin:8px 0; color:#7f1d1d;}
.qa-error {padding:8px 12px; background:#fff7ed; border-left:4px solid #f97316; margin:8px 0; color:#7c2d12;}
.qa-notice {padding:6px 12px; background:#eff6ff; border-left:4px solid #3b82f6; margin:8px 0; color:#1e3a8a;}
.qa-ok {padding:8px 12px; background:#f0fdf4; border-left:4px solid #22c55e; margin:8px 0; color:#14532d;}
.qa-timings {font-size:0.8em; color:#52525b;}
.qa-timings table {border-collapse:collapse;} .qa-timings td {padding:1px 10px 1px 0;}
.qa-show {margin-top:6px; font-size:0.85em; color:#1d4ed8; background:none; border:1px solid #bfdbfe; border-radius:6px;
  padding:2px 10px; cursor:pointer;}
.qa-article {max-height:60vh; overflow:auto; border:1px solid #d4d4d8; border-radius:8px; padding:10px 12px; background:#fff;}
.qa-article-text {white-space:pre-wrap; line-height:1.7; color:#18181b;}
.qa-cited {background:#eff6ff; outline:1px dashed #93c5fd;}
.qa-docs {list-style:none; padding:0; margin:0;}
.qa-docs li {border-bottom:1px solid #e4e4e7; padding:6px 4px; color:#18181b;}
.qa-docs .qa-meta {display:block;}
.qa-also {font-size:0.85em; color:#3f3f46; margin-top:6px;} .qa-also ul {display:inline; list-style:none; padding:0; margin:0 0 0 4px;}
.qa-also li {display:inline; margin-right:6px;}
.qa-confirm {padding:8px 12px; background:#fef2f2; border-left:4px solid #ef4444; color:#7f1d1d;}
#qa-hidden {display:none !important;}
.qa-sr {position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap;}
/* keyboard: a visible ring on everything that takes focus (Gradio hides some native ones) */
gradio-app button:focus-visible, gradio-app input:focus-visible, gradio-app textarea:focus-visible,
gradio-app select:focus-visible, gradio-app [role=tab]:focus-visible, gradio-app summary:focus-visible,
.qa-gloss:focus, .qa-show:focus-visible, .qa-article:focus-visible {outline:3px solid #2563eb !important; outline-offset:2px !important;}
gradio-app label:has(input[type=radio]:focus-visible) {outline:3px solid #2563eb; outline-offset:2px;}
/* contrast (axe-core, WCAG AA 4.5:1): the theme's orange and greys are too light for text */
:root, .gradio-container {
  --color-accent: #c2410c; --color-accent-soft: #ffedd5;
  --button-primary-background-fill: #c2410c; --button-primary-background-fill-hover: #9a3412;
  --button-primary-text-color: #ffffff; --button-primary-text-color-hover: #ffffff;
  --button-cancel-background-fill: #b91c1c; --button-cancel-background-fill-hover: #991b1b;
  --button-cancel-text-color: #ffffff; --button-cancel-text-color-hover: #ffffff;
  --body-text-color-subdued: #52525b;
}
gradio-app [role=tab][aria-selected=true] {color:#c2410c;}
gradio-app footer, gradio-app footer * {color:#52525b !important;}
#intro h1 {font-size:1.6rem; margin:0 0 4px;}
/* phone: one column, the question box full width, little side padding */
@media (max-width: 640px) {
  #ask-row {flex-direction:column;} #ask-row > * {min-width:100% !important;}
  #question, #k {min-width:100% !important;}
  #header, #delete-row, #confirm-row {flex-direction:column;} #header > *, #delete-row > *, #confirm-row > * {min-width:100% !important;}
}
"""
# Gradio scopes CSS to the area inside its container, so the container's own side padding (32 px of a 390 px
# phone) is narrowed from the page head instead.
PAGE_HEAD = ("<style>@media (max-width: 640px) { gradio-app .gradio-container .main.app "
             "{padding-left:4px !important; padding-right:4px !important;} }</style>")

# Gradio's own strings (the file drop area, the footer, "Loading", "Error" toasts, the login page) come from its
# locale files, which it picks once, at start-up, from navigator.language matched exactly (zh-CN, zh-TW) or by
# its first part: a zh-HK, zh-MO, zh-SG or zh-Hant-TW browser gets English around a Chinese page. Its locale for
# each of our interface languages:
GRADIO_LOCALES = {"en": "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
# After the reader switches language on the page: Gradio's locale store is reached through its own core module
# (already loaded: importing it again returns the same instance), whose changeLocale its settings panel uses.
SET_GRADIO_LOCALE_JS = ("""async (code) => {
  const locale = (%s)[code] || 'en';
  Object.defineProperty(navigator, 'language', {value: locale, configurable: true});
  const core = performance.getEntriesByType('resource').map(e => e.name).find(n => /\\/assets\\/core-[^/]+\\.js$/.test(n));
  if (core) { try { (await import(core)).changeLocale(locale); } catch (e) { console.warn('Gradio locale not changed', e); } }
  return [];
}""" % json.dumps(GRADIO_LOCALES))


def gradio_locale_script(accept_language: str | None) -> str:
    """A <script> for the top of the page's <head>: it runs before Gradio starts, so Gradio picks the locale of the
    interface language our rule (``pick_language``) gives this browser, on the login page and the loader too."""
    locale = GRADIO_LOCALES[pick_language(accept_language)]
    return ("<script>Object.defineProperty(navigator, 'language', "
            f"{{value: {json.dumps(locale)}, configurable: true}});</script>")


def gradio_i18n() -> Any:
    """Gradio's status keys its own translations lack, from our catalogue, for each locale the page gives Gradio:
    its screen-reader announcement after an answer, a delete or an undo read "common.complete" as it stands."""
    import gradio as gr

    # nested as Gradio's own dictionaries are: a dotted key was not looked up
    return gr.I18n(**{GRADIO_LOCALES[lang]: {"common": {key: t(f"gradio.{key}", lang) for key in ("complete", "error")}}
                      for lang in GRADIO_LOCALES})


class GradioLocale:
    """ASGI middleware: puts ``gradio_locale_script`` into the page's HTML (GET ``path``), for the browser's
    Accept-Language. The page is asked for uncompressed (it is small) so the script can be inserted."""

    def __init__(self, app: Any, path: str = "/") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        script = gradio_locale_script(headers.get(b"accept-language", b"").decode("latin-1")).encode()
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        start: dict = {}
        body = bytearray()

        async def edit(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            out = bytes(body)
            head = dict(start["headers"]).get(b"content-type", b"")
            if head.startswith(b"text/html") and b"<head>" in out:
                out = out.replace(b"<head>", b"<head>" + script, 1)
            await send({**start, "headers": [(k, str(len(out)).encode() if k == b"content-length" else v)
                                             for k, v in start["headers"]]})
            await send({"type": "http.response.body", "body": out})

        await self.app(scope, receive, edit)


# Runs in the browser after the article panel is filled: bring the cited sentence into view.
# the highlight, or the cited passage where none is marked (an "Also in" entry, a refusal's near passage)
# (or to what the article pane says instead: an article deleted since the answer was shown said so at the foot of
# the page, out of view, and the click seemed to do nothing)
SCROLL_TO_MARK_JS = ("() => { const m = document.querySelector('#article mark') || document.querySelector('#article .qa-cited')"
                     " || document.querySelector('#article .qa-error, #article .qa-notice, #article > *'); "
                     "if (m) m.scrollIntoView({block: 'center'}); }")
# After an answer: bring it into view (on a phone it starts below the fold).
SCROLL_TO_ANSWER_JS = "() => { const a = document.querySelector('#answer'); if (a) a.scrollIntoView({block: 'start'}); }"
# "Show in article" on a card: one delegated listener puts the card's rank into the hidden field and presses the
# hidden button, so each card needs no Gradio component of its own.
# Gradio gives each radio input its own name, so the browser does not treat a choice control as one group: arrow
# keys move between the choices here, as in any radio group (and choose, as native radios do).
PAGE_JS = """() => {
  document.addEventListener('click', (e) => {
    const b = e.target.closest && e.target.closest('.qa-show');
    if (!b) return;
    window.__qaShowRank = Number(b.dataset.rank);
    document.querySelector('#show-article').click();
  });
  document.addEventListener('keydown', (e) => {
    const word = e.target.closest && e.target.closest('.qa-gloss');
    const move = word && {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -1e9, End: 1e9}[e.key];
    if (move) {  // a highlight's glossed words: one Tab stop (roving tabindex), arrows between them
      e.preventDefault();
      const words = [...word.closest('mark').querySelectorAll('.qa-gloss')];
      const next = words[Math.max(0, Math.min(words.length - 1, words.indexOf(word) + move))];
      words.forEach((w) => w.setAttribute('tabindex', w === next ? '0' : '-1'));
      next.focus();
      return;
    }
    const input = e.target;
    if (!input.matches || !input.matches('fieldset input[type=radio]')) return;
    const step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[e.key];
    if (!step) return;
    e.preventDefault();
    const all = [...input.closest('fieldset').querySelectorAll('input[type=radio]')];
    const next = all[(all.indexOf(input) + step + all.length) % all.length];
    next.focus();
    next.click();
  });
}"""
SHOW_RANK_JS = "(rank, cited, view, lang) => [window.__qaShowRank ?? -1, cited, view, lang]"

esc = html.escape


# ---- rendering (plain functions, no Gradio) ------------------------------------------------------
def language_label(language: str, script: str, lang: str = "en") -> str:
    """'Chinese · Traditional' (in the reader's language) for a question's detected language and script."""
    name = t(f"language.{language}", lang) if language in ("zh", "en") else t("language.other", lang, code=language or "?")
    return t("answer.detected", lang, language=name, script=script_name(script, lang))


def colon(lang: str) -> str:
    """A label's colon as the reader's language writes it (Chinese: full width, no space)."""
    return ": " if lang == "en" else "："


def script_name(script: str, lang: str) -> str:
    return t(f"script.{script}", lang) if script in ("simplified", "traditional", "latin", "mixed", "none", "original") \
        else t("script.other", lang)


def view_name(view: str, lang: str) -> str:
    return t(f"view.{view}", lang) if view in VIEW_KEYS else view


def shown(pieces: list[str], view: str, source: str = "simplified") -> list[str]:
    """The pieces of a text written in ``source`` script as the reader chose to read them: as written, or converted
    piece by piece."""
    return convert_pieces(pieces, view, source) if view in DISPLAY_SCRIPTS else pieces


def marked(text: str, start: int, end: int, glosses: Sequence[tuple[int, int, str]] = (), view: str = "original",
           source: str = "simplified") -> str:
    """``text`` escaped, with ``text[start:end]`` inside <mark> (offsets clamped into the text), in ``view``.

    ``glosses``: (start, end, tip) offsets into ``text``, sorted; each such word inside the mark becomes a
    focusable span whose tip (pinyin and meaning) shows on hover, on keyboard focus and on tap. The text is
    cut at these offsets before any script conversion, so a conversion that changes length moves no mark.
    """
    start = max(0, min(len(text), start))
    end = max(start, min(len(text), end))
    cuts: list[tuple[int, int, str | None]] = []  # (from, to, tip): plain pieces have no tip
    at = start
    for gs, ge, tip in glosses:
        if start <= at <= gs < ge <= end:  # inside the mark, in order, not overlapping
            cuts += [(at, gs, None), (gs, ge, tip)]
            at = ge
    cuts.append((at, end, None))
    pieces = shown([text[:start], *(text[a:b] for a, b, _ in cuts), text[end:]], view, source)
    inner = []
    stop = "0"
    for (_, _, tip), piece in zip(cuts, pieces[1:-1]):
        if tip is None:
            inner.append(esc(piece))
        else:
            label = f"{piece}: " + tip.replace("\n", ", ")
            # one Tab stop per sentence, the arrow keys move between its words (PAGE_JS): a Tab stop on every word
            # (的, 年, 月, 日 included) took a keyboard reader 22 presses past one card; a tap still focuses any word
            inner.append(f'<span class="qa-gloss" tabindex="{stop}" data-gloss="{esc(tip)}" aria-label="{esc(label)}">{esc(piece)}</span>')
            stop = "-1"
    return esc(pieces[0]) + "<mark>" + "".join(inner) + "</mark>" + esc(pieces[-1])


def gloss_tips(p: Any) -> list[tuple[int, int, str]]:
    """A passage's reading aid as (start, end, tip), offsets into its text; the tip is pinyin over meaning for a
    Chinese word, the Chinese equivalents over their pinyin for an English one."""
    tips = []
    for g in p.gloss or ():
        tip = f"{g.pinyin}\n{g.english}" if g.english is not None else f"{g.chinese}\n{g.pinyin}"
        tips.append((g.start - p.start, g.end - p.start, tip.strip()))
    return tips


def render_passage(rank: int, p: Any, view: str = "original", lang: str = "en", answers: bool = True,
                   also_ranks: Sequence[int] = ()) -> str:
    """One passage card: title, date, paragraph, confidence bar, text with the answering sentence marked (none when
    no sentence answers well enough), and a "Show in article" button; title and text in the chosen script.

    ``answers=False``: the card is a near passage under a refusal; it shows "not an answer" where the bar would be
    and marks no sentence (a bar or a mark would say the answer is here, against the refusal above it)."""
    span = p.highlight_in_text() if answers else None
    body = marked(p.text, *span, gloss_tips(p), view, p.script) if span else esc(shown([p.text], view, p.script)[0])
    title = shown([p.title], view, p.script)[0]
    # the bar shows the calibrated probability that the card holds the answer (qa.confidence)
    meter = float(p.confidence if getattr(p, "confidence", None) is not None else p.score)
    width = max(0, min(100, round(meter * 100)))
    relevance = t("card.relevance", lang)
    bar = (f'<div class="qa-bar" role="meter" aria-label="{esc(relevance)}" aria-valuemin="0" aria-valuemax="1" '
           f'aria-valuenow="{meter:.3f}" title="{esc(relevance)} {width}%"><span style="width:{width}%"></span></div>'
           if answers else f'<div class="qa-not-answer">{esc(t("card.not_answer", lang))}</div>')
    byline = "".join(f" · {esc(v)}" for v in (getattr(p, "source", None), getattr(p, "author", None)) if v)
    where = cite_where(p, lang)
    return (
        f'<div class="qa-card" data-rank="{rank}" data-doc-id="{esc(p.doc_id)}">'
        f'<div class="qa-meta">#{rank} · <b>{esc(title)}</b> · {esc(p.date or t("card.no_date", lang))}{byline}'
        f' · {esc(where)} · <span class="qa-offsets" title="{esc(t("card.chars_title", lang))}">'
        f'{esc(t("card.chars", lang, start=p.start, end=p.end))}</span> · {esc(view_name(view, lang))}</div>'
        f'{bar}<div class="qa-text">{body}</div>'
        f'<button type="button" class="qa-show" data-rank="{rank - 1}" aria-label="{esc(t("card.show", lang))}: {esc(title)}">'
        f'{esc(t("card.show", lang))}</button>{render_also_in(p, lang, also_ranks)}</div>'
    )


def cite_where(p: Any, lang: str) -> str:
    """Where a citation is: "p. 3 ¶2" for a paged source (paragraph counted within the page), else "¶7"."""
    if getattr(p, "page", None):
        return t("card.page_paragraph", lang, page=int(p.page), paragraph=int(p.page_paragraph or p.paragraph))
    return t("card.paragraph", lang, paragraph=p.paragraph)


def render_also_in(p: Any, lang: str, ranks: Sequence[int] = ()) -> str:
    """The other articles that state the card's fact, folded under it: "Also in 《title》 ¶N", titles as written
    (not converted: they name another article), each one click from opening that article at that paragraph."""
    also = getattr(p, "also_in", ()) or ()
    if not also:
        return ""
    items = "".join(
        f'<li><button type="button" class="qa-show qa-also-open" data-rank="{rank}" '
        f'aria-label="{esc(t("card.also_in_open", lang, title=o.title))}">《{esc(o.title)}》 {esc(cite_where(o, lang))}</button></li>'
        for o, rank in zip(also, ranks))
    return f'<div class="qa-also"><span>{esc(t("card.also_in", lang))}{colon(lang).strip()}</span><ul>{items}</ul></div>'


_FILTER_KEYS = {"date_from": "filter.shown_from", "date_to": "filter.shown_to", "sources": "filter.shown_sources",
                "doc_ids": "filter.shown_docs"}


def filters_shown(filters: dict[str, Any], lang: str) -> str:
    """The answer's active filters, each named: "from 2025-12-01 · sources Reuters | BBC"."""
    return " · ".join(t(_FILTER_KEYS[k], lang, value=v if isinstance(v, str) else " | ".join(v))
                      for k, v in filters.items() if v and k in _FILTER_KEYS)


def render_answer(answer: "Answer", view: str = "original", lang: str = "en", max_chars: int = 0) -> str:
    """Answer → HTML: detected language, a note when the question was cut, then passage cards best first, or an
    abstention with the nearest passages folded away."""
    parts = [f'<div class="qa-lang">{esc(language_label(answer.language, answer.script, lang))}</div>']
    if answer.cut:
        parts.append(f'<div class="qa-notice" role="status">'
                     f'{esc(t("question.truncated", lang, length=answer.question_chars, limit=len(answer.question)))}</div>')
    answers = not answer.abstained  # under a refusal the passages are near the question, not answers
    if answers and any(p.gloss for p in answer.passages):
        parts.append(f'<div class="qa-gloss-hint">{esc(t("gloss.hint", lang))}</div>')
    if getattr(answer, "filters", None):
        shown_filters = filters_shown(answer.filters, lang)
        undated = getattr(answer, "undated_left_out", 0)  # the CLI's note too: one catalogue entry
        note = (f'<br><span class="qa-undated">{esc(t("filter.undated_left_out", lang, count=undated))}</span>'
                if undated else "")
        parts.append(f'<div class="qa-notice qa-filtered">{esc(t("filter.active", lang, filters=shown_filters))}{note}</div>')
    ranks = also_in_ranks(answer)
    cards = "".join(render_passage(i, p, view, lang, answers, ranks[i - 1]) for i, p in enumerate(answer.passages, 1))
    if getattr(answer, "no_match", False):
        parts.append(f'<div class="qa-abstain" role="status">{esc(no_match_text(answer.filters or {}, lang))}</div>')
    elif getattr(answer, "no_documents", False):
        parts.append(f'<div class="qa-abstain" role="status">{esc(t("answer.no_documents", lang))}</div>')
    elif answer.abstained:
        parts.append(f'<div class="qa-abstain" role="status">{esc(t("answer.refused", lang))}</div>')
        if cards:
            summary = t("answer.nearest", lang, count=len(answer.passages))
            parts.append(f'<details class="qa-nearest"><summary>{esc(summary)}</summary>{cards}</details>')
    elif cards:
        first = answer.passages[0]
        found = t("answer.found", lang, count=len(answer.passages), title=shown([first.title], view, first.script)[0],
                  paragraph=first.paragraph)  # the title as its card shows it
        parts.append(f'<div class="qa-sr" role="status">{esc(found)}</div>')
        parts.append(cards)
    else:
        parts.append(f'<div class="qa-abstain" role="status">{esc(t("answer.no_documents", lang))}</div>')
    return "\n".join(parts)


def also_in_ranks(answer: "Answer") -> list[list[int]]:
    """For each card, the places of its also-in entries in ``cited_of(answer)`` (after the cards themselves)."""
    out, nxt = [], len(answer.passages)
    for p in answer.passages:
        out.append(list(range(nxt, nxt + len(p.also_in))))
        nxt += len(p.also_in)
    return out


def cited_of(answer: "Answer") -> list[dict]:
    """What "Show in article" opens: the cards in order, then every card's also-in entries (also_in_ranks)."""
    cited = [{"doc_id": p.doc_id, "title": p.title, "start": p.start, "end": p.end,  # a refusal's near passages mark nothing
              "highlight": list(p.highlight) if p.highlight and not answer.abstained else None}
             for p in answer.passages]
    cited += [{"doc_id": o.doc_id, "title": o.title, "start": o.start, "end": o.end, "highlight": None}
              for p in answer.passages for o in p.also_in]
    return cited


def render_timings(timings: dict[str, float], lang: str = "en") -> str:
    """The per-stage times folded under "Details", each stage with a plain name."""
    if not timings:
        return ""

    def ms(v: float) -> str:
        return f"{float(v):.{1 if float(v) < 10 else 0}f}"

    total = timings.get("total", sum(timings.values()))
    rows = "".join(
        f"<tr><td>{esc(t(f'stage.{k}', lang) if f'stage.{k}' in STAGES else str(k))}</td>"
        f"<td>{esc(t('details.ms', lang, ms=ms(v)))}</td></tr>"
        for k, v in timings.items() if k != "total"
    )
    return (f'<details class="qa-timings"><summary>{esc(t("details.summary", lang, total=ms(total)))}</summary>'
            f"<table>{rows}</table></details>")


def render_error(message: str) -> str:
    return f'<div class="qa-error" role="alert">{esc(message)}</div>'


def render_ok(message: str) -> str:
    return f'<div class="qa-ok" role="status">{esc(message)}</div>'


def render_article(doc: "Document", start: int, end: int, highlight: tuple[int, int] | None, view: str = "original",
                   lang: str = "en") -> str:
    """The whole article, escaped, in the chosen script, with the cited passage outlined and its answering
    sentence (if any) marked (the text is cut at those offsets before conversion, so the marks stay exact)."""
    text = doc.text
    start, end = max(0, min(len(text), start)), max(0, min(len(text), end))
    hs, he = (max(start, min(end, highlight[0])), max(start, min(end, highlight[1]))) if highlight else (start, start)
    before, lead, sentence, tail, after, title = shown(
        [text[:start], text[start:hs], text[hs:he], text[he:end], text[end:], doc.title], view, doc.script)
    cited = esc(lead) + ("<mark>" + esc(sentence) + "</mark>" if highlight else "") + esc(tail)
    body = esc(before) + f'<span class="qa-cited">{cited}</span>' + esc(after)
    byline = "".join(f" · {esc(v)}" for v in (getattr(doc, "source", None), getattr(doc, "author", None)) if v)
    meta = (f'{esc(doc.date or t("card.no_date", lang))}{byline} · {esc(script_name(doc.script, lang))} · '
            f"<code>{esc(doc.doc_id)}</code>")
    # tabindex: the panel scrolls, so a keyboard reader must be able to focus it to scroll (axe: scrollable-region-focusable)
    return (f'<div class="qa-article" role="region" tabindex="0" aria-label="{esc(t("article.title", lang))}"><h3>{esc(title)}</h3>'
            f'<div class="qa-meta">{meta}</div><div class="qa-article-text">{body}</div></div>')


def render_documents(docs: list[dict], lang: str = "en") -> str:
    """The document list, escaped: one item per article (title first, details below) that reads on a phone too."""
    if not docs:
        return f'<div class="qa-abstain">{esc(t("docs.empty", lang))}</div>'

    def field(key: str, value: object) -> str:
        return f"{esc(t(f'docs.col.{key}', lang))}{colon(lang)}{esc(str(value))}"

    items = "".join(
        f'<li data-doc-id="{esc(d["doc_id"])}"><b>{esc(d["title"])}</b><span class="qa-meta">'
        + " · ".join([field("date", d.get("date") or "—"), field("source", d.get("source") or "—"),
                      field("author", d.get("author") or "—"), field("script", script_name(d["script"], lang)),
                      field("passages", int(d["passages"]))])
        + f' · <code>{esc(d["doc_id"])}</code></span></li>'
        for d in docs
    )
    return (f'<ul class="qa-docs" aria-label="{esc(t("tab.documents", lang))}">{items}</ul>'
            f'<div class="qa-timings">{esc(t("docs.count", lang, count=len(docs)))}</div>')


def render_outcome(o: "AddOutcome", lang: str = "en") -> str:
    """One file of an upload: added / replaced (with title and id) or skipped with the reason."""
    name = Path(o.path).name
    if o.status in ("added", "replaced") or not o.failed:
        key = {"added": "status.added", "replaced": "status.replaced"}.get(o.status, "status.unchanged")
        return render_ok(t(key, lang, title=o.title or name, doc_id=o.doc_id or ""))
    reason = t(o.reason_key, lang, **o.reason_params) if o.reason_key else o.reason  # whole, in the reader's language
    return render_error(reason if reason.startswith(name) else t("status.skipped", lang, name=name, reason=reason))


def formats_note(max_bytes: int, max_pages: int, max_chars: int, lang: str = "en") -> str:
    """What the Documents tab accepts, from the settings that limit it (MB as the API says it: 10^6 bytes)."""
    return t("docs.formats", lang, mb=megabytes(max_bytes), pages=max_pages, chars=max_chars)


def document_choices(docs: list[dict]) -> list[tuple[str, str]]:
    return [(f"{d['title']} ({d['doc_id']})", d["doc_id"]) for d in docs]


def trash_choices(entries: list[dict], lang: str = "en") -> list[tuple[str, str]]:
    """What the page offers to restore, newest first: title, id, why it is in the trash and when (UTC)."""
    return [(t("trash.entry", lang, title=e.get("title") or e["doc_id"], doc_id=e["doc_id"],
               reason=t(f"trash.reason.{e.get('reason', 'deleted')}", lang),
               when=str(e.get("deleted_at", "")).replace("T", " ")[:19] + " UTC"), e["trash_id"]) for e in entries]


STAGES = {f"stage.{s}" for s in ("detect", "embed", "vector_search", "keyword_search", "fusion", "abstain", "rerank",
                                 "highlight", "confidence", "gloss", "total")}


# ---- callbacks (plain functions over an Assistant; Gradio wiring is in build_ui) ---------------
def reader(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "en"


Draw = Callable[[str], str]  # HTML in an interface language


class Shown(str):
    """HTML as drawn in one interface language that can draw itself again in another (``again(lang)``): a
    status, a confirmation or an error the reader is looking at says the same, in the new language, after a switch."""

    again: Draw

    def __new__(cls, draw: Draw, lang: str) -> "Shown":
        shown = super().__new__(cls, draw(reader(lang)))
        shown.again = draw
        return shown


def page_fields(lang: str) -> dict[str, str]:
    """The request fields the page sends, as it labels them (an error names a field so: qa.messages.error_message)."""
    return {"date_from": t("filter.from", lang), "date_to": t("filter.to", lang)}


def said(render: Callable[[str], str], key: str, **params: object) -> Draw:
    """Catalogue message ``key`` rendered by ``render`` (render_ok, render_error) in whichever language."""
    return lambda lang: render(t(key, lang, **params))


def failed(error: QAError) -> Draw:
    """An error, in whichever language, naming fields as the page labels them."""
    return lambda lang: render_error(error_message(error, lang, page_fields(lang)))


def joined(draws: Sequence[Draw]) -> Draw:
    return lambda lang: "".join(draw(lang) for draw in draws)


def confirmation(title: str, doc_id: str) -> Draw:
    return lambda lang: (f'<div class="qa-confirm" role="alertdialog">'
                         f'{esc(t("delete.confirm", lang, title=title, doc_id=doc_id))}</div>')


def undo_label(undo: dict | None, lang: str) -> str:
    """The Undo button's label: what it undoes (a delete, or an upload that replaced articles)."""
    return t("undo.replace" if undo and undo.get("replacing") else "undo.button", lang)


def still_chosen(chosen: Any, choices: Sequence[Any]) -> Any:
    """What the reader had chosen that is still on offer (a list for a multiple choice; None when gone)."""
    values = [c[1] if isinstance(c, (tuple, list)) else c for c in choices]
    if isinstance(chosen, (list, tuple)):
        return [c for c in chosen if c in values]
    return chosen if chosen in values else None


class Callbacks:
    """What each control does, as plain methods: easy to call from tests without a browser. ``lang`` is the
    interface language ("en", "zh-Hans", "zh-Hant"); ``token`` what the reader typed as the admin token."""

    def __init__(self, assistant: "Assistant") -> None:
        self.assistant = assistant

    def ask(self, question: str, k: float | int | None, view: str | None = "original",
            lang: str = "en", date_from: str | None = None, date_to: str | None = None,
            sources: Sequence[str] | None = None) -> "tuple[str, list[dict], str, Answer | None]":
        """→ (answer HTML, cited passages for the article view, timings HTML, the Answer to re-render later)."""
        lang = reader(lang)
        try:
            answer = self.assistant.ask(question, k=int(k or self.assistant.settings.k), date_from=date_from,
                                        date_to=date_to, sources=sources or None)
        except QAError as e:  # kept drawable: a language switch shows it again, in the new language
            return Shown(failed(e), lang), [], "", None
        cited = cited_of(answer)
        html_out, timings = self.render(answer, view, lang)
        return html_out, cited, timings, answer

    def render(self, answer: "Answer | None", view: str | None, lang: str) -> tuple[str, str]:
        """An answer again in another script or interface language, without asking again."""
        if answer is None:
            return "", ""
        view = view if view in VIEW_KEYS else "original"
        return render_answer(answer, view, reader(lang)), render_timings(answer.timings_ms, reader(lang))

    def show_article(self, rank: int | float | None, cited: list[dict] | None, view: str | None = "original",
                     lang: str = "en") -> str:
        """The article behind cited passage ``rank`` (0-based), with that passage highlighted."""
        lang = reader(lang)
        if not cited or rank is None or not 0 <= int(rank) < len(cited):
            return render_error(t("article.pick", lang))
        c = cited[int(rank)]
        try:
            doc = self.assistant.document(c["doc_id"])
        except DocumentNotFound:  # the answer on screen is older than a delete: no API or CLI advice for a reader
            return render_error(t("article.gone", lang, title=c.get("title") or c["doc_id"]))
        except QAError as e:
            return render_error(error_message(e, lang))
        return render_article(doc, c["start"], c["end"], tuple(c["highlight"]) if c["highlight"] else None, view if view in VIEW_KEYS else "original", lang)

    def documents(self, lang: str = "en") -> tuple[str, list[tuple[str, str]]]:
        docs = self.assistant.documents()
        return render_documents(docs, reader(lang)), document_choices(docs)

    def sources(self) -> list[str]:
        """What the source filter offers: the library's sources as they are now."""
        return self.assistant.sources()

    def unlocked(self, token: str | None) -> bool:
        """Whether ``token`` lets this reader write (always, when no admin token is set)."""
        try:
            check_write(token or None, self.assistant.settings.admin_token)
        except QAError:
            return False
        return True

    def upload(self, paths: list[str] | str | None, progress: Any = None, lang: str = "en",
               token: str | None = None) -> tuple[Shown, str, list[tuple[str, str]]]:
        """Add the uploaded files to the index (no restart) → (status HTML, a line per file; document list; delete
        choices). A file of a type that cannot be read is refused by name, in the reader's language, like any other."""
        return self.upload_undoable(paths, progress, lang, token)[:3]

    def upload_undoable(self, paths: list[str] | str | None, progress: Any = None, lang: str = "en",
                        token: str | None = None) -> tuple[Shown, str, list[tuple[str, str]], list[str]]:
        """``upload``, and the trash ids of the versions it replaced (what ``restore(..., replacing=True)`` puts
        back: the page's Undo)."""
        lang = reader(lang)
        if isinstance(paths, str):
            paths = [paths]
        paths = [p for p in (paths or []) if p]
        if not paths:
            return (Shown(said(render_error, "docs.choose_file"), lang), *self.documents(lang), [])

        def step(done: int, total: int, name: str) -> None:
            if progress is not None:
                progress((done, total), desc=t("docs.indexing", lang, name=name))

        replaced: list[str] = []
        try:
            check_write(token or None, self.assistant.settings.admin_token)
            report = self.assistant.add_paths(paths, progress=step)
            draws = [partial(render_outcome, o) for o in report.outcomes]
            replaced = [o.trash_id for o in report.outcomes if o.trash_id]
        except QAError as e:
            draws = [failed(e)]
        return (Shown(joined(draws), lang), *self.documents(lang), replaced)

    def confirm_delete(self, doc_id: str | None, lang: str = "en") -> tuple[Shown, bool]:
        """The question to confirm before deleting ``doc_id``, naming the article → (HTML, whether to ask)."""
        lang = reader(lang)
        if not doc_id:
            return Shown(said(render_error, "delete.choose"), lang), False
        try:
            doc = self.assistant.document(doc_id)
        except QAError as e:
            return Shown(failed(e), lang), False
        return Shown(confirmation(doc.title, doc.doc_id), lang), True

    def delete(self, doc_id: str | None, lang: str = "en", token: str | None = None) -> tuple[Shown, str, list[tuple[str, str]]]:
        """Remove one document from the index (its file goes to the trash) → (status, document list, choices)."""
        lang = reader(lang)
        if not doc_id:
            status = said(render_error, "delete.choose")
        else:
            try:
                check_write(token or None, self.assistant.settings.admin_token)
                doc = self.assistant.delete_document(doc_id)
                status = said(render_ok, "status.deleted", title=doc.title, doc_id=doc.doc_id)
            except QAError as e:
                status = failed(e)
        return (Shown(status, lang), *self.documents(lang))

    def restore(self, trash_ids: str | Sequence[str] | None, lang: str = "en", token: str | None = None,
                replacing: bool = False) -> tuple[Shown, str, list[tuple[str, str]]]:
        """Undo the delete of ``trash_ids`` (a document id, or several), or with ``replacing`` the upload that
        replaced them (each a trash id ``upload`` returned) → (status, a line per id; document list; choices)."""
        lang = reader(lang)
        ids = [trash_ids] if isinstance(trash_ids, str) or trash_ids is None else list(trash_ids)
        draws: list[Draw] = []
        for trash_id in ids or [None]:
            try:
                check_write(token or None, self.assistant.settings.admin_token)
                doc = self.assistant.restore_document(trash_id or "", replacing=replacing)
                draws.append(said(render_ok, "status.restored", title=doc.title, doc_id=doc.doc_id))
            except QAError as e:
                draws.append(failed(e))
        return (Shown(joined(draws), lang), *self.documents(lang))

    def trash(self, lang: str = "en") -> list[tuple[str, str]]:
        """The trash as the page's restore choices."""
        return trash_choices(self.assistant.trash(), reader(lang))

    def restore_from_trash(self, trash_id: str | None, lang: str = "en",
                           token: str | None = None) -> tuple[Shown, str, list[tuple[str, str]]]:
        """Restore the trash entry ``trash_id`` chosen on the page: a deleted article comes back; a version an
        upload replaced takes the place of the one in the index (which goes to the trash in its turn)."""
        if not trash_id:
            return (Shown(said(render_error, "trash.choose"), reader(lang)), *self.documents(lang))
        entry = next((e for e in self.assistant.trash() if e["trash_id"] == trash_id), {})
        return self.restore(trash_id, lang, token, replacing=entry.get("reason") == "replaced")

    # JSON endpoints for gradio_client (typed, so gr.api can describe them)
    def ask_json(self, question: str, k: int = 5, target_script: str = "", date_from: str = "", date_to: str = "",
                 sources: list[str] | None = None, doc_ids: list[str] | None = None) -> dict:
        import gradio as gr

        try:
            return self.assistant.ask(question, k=int(k), target_script=target_script or None, date_from=date_from or None,
                                      date_to=date_to or None, sources=sources or None, doc_ids=doc_ids or None).to_dict()
        except QAError as e:
            # the caller's mistake, said to the caller: not a traceback in the server's log
            raise gr.Error(str(e), print_exception=False) from e

    def documents_json(self) -> list[dict]:
        # gradio_client treats any dict with a string "path" as a file to download, so name that field "file_name".
        return [{("file_name" if key == "path" else key): v for key, v in d.items()} for d in self.assistant.documents()]


def build_ui(assistant: "Assistant") -> "gr.Blocks":
    """The page. Mount it with ``qa.api.create_app`` (which passes CSS and JS), or ``build_ui(a).launch(css=CSS, js=PAGE_JS)``."""
    import gradio as gr

    cb = Callbacks(assistant)
    settings = assistant.settings
    needs_token = bool(settings.admin_token)

    with gr.Blocks(title="News QA · 新闻问答 · 新聞問答") as ui:
        lang = gr.State("en")
        last = gr.State(None)  # the last Answer, re-rendered when the reader switches script or language
        cited = gr.State([])
        token = gr.State("")  # the admin token this page was unlocked with (kept server-side, per page)
        pending = gr.State(None)  # the document waiting for a delete confirmation
        undo_id = gr.State(None)  # what the Undo button restores: {"trash_ids": [...], "replacing": bool}
        # what the Ask tab's error, the documents status and the delete confirmation say, each kept as a function
        # of the interface language (Shown.again), so a language switch says it again in the new language
        answer_said = gr.State(None)
        doc_said = gr.State(None)
        confirm_said = gr.State(None)
        with gr.Row(elem_id="header"):
            intro = gr.Markdown(t("page.intro", "en"), elem_id="intro")
            ui_lang = gr.Radio([(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value="en",
                               label=t("ui_language.label", "en"), elem_id="ui-lang", scale=0, min_width=260)
        with gr.Tabs():
            with gr.Tab(t("tab.ask", "en"), id="ask-tab", elem_id="ask-tab") as ask_tab:
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(label=t("question.label", "en"), placeholder=t("question.placeholder", "en"),
                                          scale=5, elem_id="question", lines=1, max_lines=3, submit_btn=False)
                    k = gr.Slider(1, 10, value=settings.k, step=1, label=t("k.label", "en"), scale=1, elem_id="k")
                with gr.Row():
                    button = gr.Button(t("ask.button", "en"), variant="primary", elem_id="ask", scale=1)
                    view = gr.Radio([(view_name(v, "en"), v) for v in VIEW_KEYS], value="original",
                                    label=t("view.label", "en"), elem_id="view", scale=3)
                with gr.Row(elem_id="filters"):  # what may be cited: a date range and sources (qa.filters)
                    date_from = gr.Textbox(label=t("filter.from", "en"), placeholder="YYYY-MM-DD", elem_id="date-from",
                                           scale=1, max_lines=1, info=t("filter.hint", "en"))
                    date_to = gr.Textbox(label=t("filter.to", "en"), placeholder="YYYY-MM-DD", elem_id="date-to",
                                         scale=1, max_lines=1)
                    source_pick = gr.Dropdown(assistant.sources(), value=[], multiselect=True,
                                              label=t("filter.sources", "en"), elem_id="sources", scale=2)
                examples = library_examples(assistant)
                examples_label = gr.Markdown(f"**{t('examples.label', 'en')}**", elem_id="examples-label",
                                             visible=bool(examples))
                with gr.Row(elem_id="examples", visible=bool(examples)):
                    example_buttons = [gr.Button(q, size="sm", elem_classes=["qa-example"]) for q in examples]
                answer = gr.HTML(elem_id="answer")
                timings = gr.HTML(elem_id="timings")
                article = gr.HTML(elem_id="article")
                with gr.Row(elem_id="qa-hidden"):  # driven by each card's "Show in article" (PAGE_JS)
                    rank = gr.Number(-1, elem_id="show-rank", precision=0)
                    show = gr.Button("show", elem_id="show-article")
            with gr.Tab(t("tab.documents", "en"), id="docs-tab", elem_id="docs-tab") as docs_tab:
                formats = gr.Markdown(formats_note(settings.max_upload_bytes, settings.max_pages, settings.max_chars),
                                      elem_id="formats")
                filters_note = gr.Markdown(t("docs.filters", "en"), elem_id="filters-note")
                docs_list = gr.HTML(elem_id="documents")
                refresh_btn = gr.Button(t("docs.refresh", "en"), size="sm", elem_id="refresh")
                with gr.Row(visible=needs_token, elem_id="unlock-row") as unlock_row:
                    token_box = gr.Textbox(label=t("admin.label", "en"), type="password", elem_id="admin-token", scale=4)
                    unlock_btn = gr.Button(t("admin.button", "en"), elem_id="unlock", scale=1)
                with gr.Column(visible=not needs_token, elem_id="write-controls") as write_controls:
                    # no file_types: Gradio refused other files itself, in an English toast on any page, and our
                    # status kept the previous upload's lines; every file reaches upload(), which refuses one of an
                    # unsupported type by name, in the reader's language (the formats are listed above)
                    files = gr.File(label=t("docs.upload", "en"), file_count="multiple", type="filepath",
                                    elem_id="upload")
                    with gr.Row(elem_id="delete-row"):
                        to_delete = gr.Dropdown([], value=None, label=t("delete.label", "en"), elem_id="delete-doc", scale=4)
                        delete_btn = gr.Button(t("delete.button", "en"), variant="stop", elem_id="delete", scale=1)
                    with gr.Row(visible=False, elem_id="confirm-row") as confirm_row:
                        confirm_text = gr.HTML(elem_id="confirm-text")
                        yes_btn = gr.Button(t("delete.yes", "en"), variant="stop", elem_id="confirm-delete", scale=0)
                        no_btn = gr.Button(t("delete.no", "en"), elem_id="cancel-delete", scale=0)
                    undo_btn = gr.Button(t("undo.button", "en"), visible=False, elem_id="undo")
                    with gr.Row(visible=False, elem_id="trash-row") as trash_row:  # shown when the trash holds any
                        trash_pick = gr.Dropdown([], value=None, label=t("trash.label", "en"), elem_id="trash-doc", scale=4)
                        trash_btn = gr.Button(t("trash.button", "en"), elem_id="restore", scale=1)
                doc_status = gr.HTML(elem_id="doc-status")

        # ---- every translated string on the page, in one place: the initial render above is English ----
        def labelled(code: str, undo_now: dict | None = None) -> list:
            return [
                gr.update(value=t("page.intro", code)),
                gr.update(label=t("ui_language.label", code)),
                gr.update(label=t("tab.ask", code)),
                gr.update(label=t("tab.documents", code)),
                gr.update(label=t("question.label", code), placeholder=t("question.placeholder", code)),
                gr.update(label=t("k.label", code)),
                gr.update(value=t("ask.button", code)),
                gr.update(label=t("view.label", code), choices=[(view_name(v, code), v) for v in VIEW_KEYS]),
                gr.update(value=f"**{t('examples.label', code)}**"),
                gr.update(value=formats_note(settings.max_upload_bytes, settings.max_pages, settings.max_chars, code)),
                gr.update(value=t("docs.refresh", code)),
                gr.update(label=t("admin.label", code)),
                gr.update(value=t("admin.button", code)),
                gr.update(label=t("docs.upload", code)),
                gr.update(label=t("delete.label", code)),
                gr.update(value=t("delete.button", code)),
                gr.update(value=t("delete.yes", code)),
                gr.update(value=t("delete.no", code)),
                gr.update(value=undo_label(undo_now, code)),
                gr.update(label=t("filter.from", code), info=t("filter.hint", code)),
                gr.update(label=t("filter.to", code)),
                gr.update(label=t("filter.sources", code), choices=assistant.sources()),
                gr.update(value=t("docs.filters", code)),
                gr.update(value=t("trash.button", code)),
            ]

        labelled_outputs = [intro, ui_lang, ask_tab, docs_tab, question, k, button, view, examples_label, formats,
                            refresh_btn, token_box, unlock_btn, files, to_delete, delete_btn, yes_btn, no_btn, undo_btn,
                            date_from, date_to, source_pick, filters_note, trash_btn]

        def again(draw: Draw | None, code: str) -> Any:
            """What ``draw`` showed, in ``code``; nothing changed where nothing was shown."""
            return draw(code) if draw else gr.update()

        def trash_now(code: str, chosen: str | None) -> list:
            """The trash as it is now, in ``code``: the row shown only when it holds something."""
            choices = cb.trash(code)
            return [gr.update(visible=bool(choices)),
                    gr.update(choices=choices, value=still_chosen(chosen, choices), label=t("trash.label", code))]

        def sources_now(picked: list[str] | None) -> Any:
            """The source filter's choices as the library's sources are now, keeping what is still on offer."""
            choices = cb.sources()
            return gr.update(choices=choices, value=still_chosen(picked or [], choices))

        def switch(code: str, answer_now: Any, view_now: str, cited_now: list, rank_now: float | None,
                   error_now: Draw | None = None, doc_now: Draw | None = None, confirm_now: Draw | None = None,
                   doc_chosen: str | None = None, undo_now: dict | None = None):
            """Everything on the page again in ``code``, keeping what the reader chose and what was shown."""
            code = reader(code)
            answer_html, timings_html = cb.render(answer_now, view_now, code)
            if answer_now is None and error_now:
                answer_html = error_now(code)
            table, choices = cb.documents(code)
            article_html = cb.show_article(rank_now, cited_now, view_now, code) if answer_now and rank_now is not None and rank_now >= 0 else ""
            return [code, *labelled(code, undo_now), answer_html, timings_html, article_html, table,
                    gr.update(choices=choices, value=still_chosen(doc_chosen, choices)),
                    again(doc_now, code), again(confirm_now, code)]

        switch_outputs = [lang, *labelled_outputs, answer, timings, article, docs_list, to_delete, doc_status, confirm_text]
        switch_inputs = [ui_lang, last, view, cited, rank, answer_said, doc_said, confirm_said, to_delete, undo_id]

        def on_load(request: gr.Request):
            """The browser's language (its Accept-Language) picks the interface language."""
            code = pick_language(request.headers.get("accept-language") if request else None)
            outputs = switch(code, None, "original", [], None)
            outputs[2] = gr.update(value=code, label=t("ui_language.label", code))  # the control shows the choice
            return outputs

        def ask(q: str, k_now: float, view_now: str, code: str, since: str = "", until: str = "",
                picked: list[str] | None = None):
            answer_html, cited_now, timings_html, answer_now = cb.ask(q, k_now, view_now, code, since, until, picked)
            error_now = getattr(answer_html, "again", None) if answer_now is None else None
            return str(answer_html), cited_now, timings_html, "", answer_now, -1, error_now

        def ask_example(q: str):
            def run(k_now: float, view_now: str, code: str, since: str, until: str, picked: list[str] | None):
                return q, *ask(q, k_now, view_now, code, since, until, picked)
            return run

        def rerender(answer_now: Any, view_now: str, code: str, cited_now: list, rank_now: float | None,
                     error_now: Draw | None = None):
            answer_html, timings_html = cb.render(answer_now, view_now, code)
            if answer_now is None and error_now:  # an error stays on screen
                answer_html = error_now(code)
            article_html = cb.show_article(rank_now, cited_now, view_now, code) if rank_now is not None and rank_now >= 0 else ""
            return answer_html, timings_html, article_html

        def unlock(typed: str, code: str):
            if cb.unlocked(typed):
                status = said(render_ok, "admin.ok")
                return typed, gr.update(visible=False), gr.update(visible=True), status(code), gr.update(value=""), status
            status = said(render_error, "admin.wrong")
            return "", gr.update(), gr.update(), status(code), gr.update(value=""), status

        def upload(paths: list[str] | None, code: str, token_now: str, picked: list[str] | None,
                   progress: gr.Progress = gr.Progress()):  # noqa: B008
            status, table, choices, replaced = cb.upload_undoable(paths, progress, code, token_now)
            undo_now = {"trash_ids": replaced, "replacing": True} if replaced else None  # Undo puts them back
            return (str(status), table, gr.update(choices=choices, value=None), None,
                    gr.update(visible=bool(replaced), value=undo_label(undo_now, code)), undo_now, status.again,
                    sources_now(picked))

        def ask_delete(doc_id: str | None, code: str):
            message, ask_first = cb.confirm_delete(doc_id, code)
            if not ask_first:
                return doc_id, gr.update(visible=False), "", str(message), None, message.again
            return doc_id, gr.update(visible=True), str(message), "", message.again, None

        def delete(doc_id: str | None, code: str, token_now: str, picked: list[str] | None):
            status, table, choices = cb.delete(doc_id, code, token_now)
            done = 'class="qa-ok"' in status
            undo_now = {"trash_ids": [doc_id], "replacing": False} if done else None
            return (str(status), table, gr.update(choices=choices, value=None), gr.update(visible=False), None,
                    undo_now, gr.update(visible=done, value=undo_label(undo_now, code)), status.again, sources_now(picked))

        def cancel(code: str):
            status = said(render_ok, "delete.cancelled")
            return gr.update(visible=False), None, status(code), status

        def restore(undo_now: dict | None, code: str, token_now: str, picked: list[str] | None):
            undo_now = undo_now or {}
            status, table, choices = cb.restore(undo_now.get("trash_ids"), code, token_now,
                                                replacing=bool(undo_now.get("replacing")))
            return (str(status), table, gr.update(choices=choices, value=None), None, gr.update(visible=False),
                    status.again, sources_now(picked))

        def restore_chosen(trash_id: str | None, code: str, token_now: str, picked: list[str] | None,
                           undo_now: dict | None):
            status, table, choices = cb.restore_from_trash(trash_id, code, token_now)
            undone = trash_id in (undo_now or {}).get("trash_ids", [])  # the Undo button's own entry: Undo goes
            return (str(status), table, gr.update(choices=choices, value=None), None if undone else gr.update(),
                    gr.update(visible=False) if undone else gr.update(), status.again, sources_now(picked))

        def refresh(code: str, picked: list[str] | None):
            table, choices = cb.documents(code)
            return table, gr.update(choices=choices), sources_now(picked)

        def ask_api(question: str, k: int = settings.k, target_script: str = "", date_from: str = "", date_to: str = "",
                    sources: list[str] | None = None, doc_ids: list[str] | None = None) -> dict:
            """Answer a question: the same JSON as POST /api/ask. target_script: '', 'simplified', 'traditional'
            (Taiwan) or 'hongkong'; date_from/date_to: YYYY-MM-DD or ''; sources, doc_ids: lists (None or []: all)."""
            return cb.ask_json(question, k, target_script, date_from, date_to, sources, doc_ids)

        def documents_api() -> list[dict]:
            """The indexed articles: doc_id, title, date, script, language, file_name, passages, characters."""
            return cb.documents_json()

        private = {"api_visibility": "private"}
        # Events that only draw the page again skip Gradio's queue (one plain HTTP call each). Through the queue, a
        # click right after a burst of events sometimes never heard back (joined, never completed: it seems to land
        # as the queue's event stream closes) and its output stayed pending for good (Gradio 6.31; a language switch
        # then a script switch: 3 stalls in 22 in Chromium, none in 30 without the queue).
        redraw = {**private, "queue": False}
        ask_outputs = [answer, cited, timings, article, last, rank, answer_said]
        trash_redraw = (trash_now, [lang, trash_pick], [trash_row, trash_pick])  # after anything that changes the trash
        ask_inputs = [question, k, view, lang, date_from, date_to, source_pick]
        for trigger, name in ((button.click, "ui_ask"), (question.submit, "ui_ask_submit")):
            trigger(ask, ask_inputs, ask_outputs, api_name=name, **private).then(None, js=SCROLL_TO_ANSWER_JS, **private)
        for i, (b, q) in enumerate(zip(example_buttons, examples)):
            b.click(ask_example(q), [k, view, lang, date_from, date_to, source_pick], [question, *ask_outputs], api_name=f"ui_example_{i}", **private).then(
                None, js=SCROLL_TO_ANSWER_JS, **private)
        # always_last: a reader arrowing through the choices faster than a render ends on the last one, not on a
        # choice dropped while the previous render ran (Gradio's default for .input drops it)
        view.input(rerender, [last, view, lang, cited, rank, answer_said], [answer, timings, article], api_name="ui_view",
                   trigger_mode="always_last", **redraw)
        show.click(cb.show_article, [rank, cited, view, lang], article, js=SHOW_RANK_JS, api_name="ui_article", **redraw).then(
            None, js=SCROLL_TO_MARK_JS, **private)
        # Gradio's own strings follow the choice: its locale changes, then the file drop area (which reads its
        # strings once, when it is drawn) is drawn again
        ui_lang.input(switch, switch_inputs, switch_outputs, api_name="ui_language", trigger_mode="always_last", **redraw).then(
            *trash_redraw, api_name="ui_trash_language", **redraw).then(
            None, [ui_lang], None, js=SET_GRADIO_LOCALE_JS, **private).then(
            lambda: gr.update(visible=False), None, files, api_name="ui_language_redraw", **redraw).then(
            lambda: gr.update(visible=True), None, files, api_name="ui_language_redrawn", **redraw)
        unlock_outputs = [token, unlock_row, write_controls, doc_status, token_box, doc_said]
        unlock_btn.click(unlock, [token_box, lang], unlock_outputs, api_name="ui_unlock", **private)
        token_box.submit(unlock, [token_box, lang], unlock_outputs, api_name="ui_unlock_submit", **private)
        # after an upload, a delete or a restore the source filter offers the library's sources as they are then
        files.upload(upload, [files, lang, token, source_pick],
                     [doc_status, docs_list, to_delete, files, undo_btn, undo_id, doc_said, source_pick],
                     api_name="ui_upload", **private).then(*trash_redraw, api_name="ui_trash_upload", **redraw)
        delete_btn.click(ask_delete, [to_delete, lang], [pending, confirm_row, confirm_text, doc_status, confirm_said, doc_said],
                         api_name="ui_delete_ask", **redraw)
        yes_btn.click(delete, [pending, lang, token, source_pick],
                      [doc_status, docs_list, to_delete, confirm_row, pending, undo_id, undo_btn, doc_said, source_pick],
                      api_name="ui_delete", **private).then(*trash_redraw, api_name="ui_trash_delete", **redraw)
        no_btn.click(cancel, [lang], [confirm_row, pending, doc_status, doc_said], api_name="ui_delete_cancel", **redraw)
        undo_btn.click(restore, [undo_id, lang, token, source_pick],
                       [doc_status, docs_list, to_delete, undo_id, undo_btn, doc_said, source_pick],
                       api_name="ui_restore", **private).then(*trash_redraw, api_name="ui_trash_undo", **redraw)
        trash_btn.click(restore_chosen, [trash_pick, lang, token, source_pick, undo_id],
                        [doc_status, docs_list, to_delete, undo_id, undo_btn, doc_said, source_pick],
                        api_name="ui_restore_trash", **private).then(*trash_redraw, api_name="ui_trash_restore", **redraw)
        refresh_btn.click(refresh, [lang, source_pick], [docs_list, to_delete, source_pick], api_name="ui_refresh",
                          **redraw).then(*trash_redraw, api_name="ui_trash_refresh", **redraw)
        docs_tab.select(refresh, [lang, source_pick], [docs_list, to_delete, source_pick], api_name="ui_docs_tab",
                        **redraw).then(*trash_redraw, api_name="ui_trash_tab", **redraw)  # other uploads and deletes
        ui.load(on_load, None, switch_outputs, api_name="ui_load", **private).then(*trash_redraw, api_name="ui_trash_load",
                                                                                 **redraw)
        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
    return ui
