"""Ranked hits to cited passages: exact offsets, the answering sentence, the asker's script, a reading aid for
askers of the other language; the no-answer message."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .abstain import names_numbered, sibling_swaps
from .chunk import ends_sentence, sentence_spans
from .confidence import term_share
from .records import Chunk, Document, Hit, Passage, Span
from .search import Query, paragraph_text
from .settings import Settings
from .store import StoreView
from .extract.dates import find_dates
from .text.answer_type import (LATIN_NAME, answers_kind, asked_role, asked_superlative, asks_person, asks_time,
                               holder_named_next, kind_asked, name_words, names_any_holder, states_choice, states_clock,
                               states_day, states_money, states_reason, states_superlative, unnamed_speaker)
from .text.gloss import gloss_chinese, gloss_english
from .text.metadata import dateline_length, is_byline_or_date, is_metadata
from .text.script import convert_with_span
from .text.tokens import normalize


def group_hits(hits: list[Hit], k: int, margin: float) -> list[list[Hit]]:
    """Up to ``k`` findings, best first; a finding is a paragraph, cited once.

    Passages are overlapping windows of a few sentences, good for ranking but not for citing: two windows of
    one paragraph shown as two cards say one thing twice, and the window that ranks first often stops a
    sentence short of the answer. A window joins its paragraph's finding when it scores within ``margin`` of
    the finding's best window and ranks before the k-th finding; a weaker window of a paragraph already cited
    is left out (measured: docs/evaluation.md).
    """
    groups: dict[tuple[str, int], list[Hit]] = {}
    for hit in hits:
        key = (hit.chunk.doc_id, hit.chunk.paragraph)
        group = groups.get(key)
        if group is None:
            if len(groups) == k:
                break
            groups[key] = [hit]
        elif group[0].score - hit.score <= margin:
            group.append(hit)
    return list(groups.values())


@dataclass(frozen=True)
class HighlightRule:
    """How a card's answering sentence is chosen (settings highlight_overlap, highlight_kind, highlight_spread,
    highlight_title; see ``sentence_scores``)."""

    overlap: float = 0.0
    kind: float = 0.0
    spread: float = 0.0
    title: float = 0.0
    role: float = 0.0  # in place of ``kind`` for a who-question asking a title's holder (qa.text.answer_type.asked_role)

    @classmethod
    def from_settings(cls, s: Settings) -> HighlightRule:
        return cls(s.highlight_overlap, s.highlight_kind, s.highlight_spread, s.highlight_title, s.highlight_role)


def sentence_scores(view: StoreView, group: list[Hit], query: Query, terms: dict[str, float],
                    rule: HighlightRule) -> tuple[list[Span], np.ndarray]:
    """Every body sentence of a card (``group``) and how well it answers: its cosine with the question plus
    ``rule.overlap`` times the share of the question's terms (IDF-weighted) it contains, plus ``rule.kind`` when it
    states the kind of answer the question asks for (an amount, a time: qa.text.answer_type); -inf for a date
    line, byline or caption (qa.text.metadata). A term counts less the more of the card's sentences hold it
    (``rule.spread``) and when the article's title holds it (``rule.title``): what a card or article is about
    points at no one sentence. (A table's header row is no hit at all: qa.search.without_header_rows.)

    The closest sentence alone often restates the question while the answer sits in the next one (the
    question's words and the answer's meet in the answering sentence); cosine alone over the card measured
    worse than the best window's own sentence (CMRC 0.609 vs 0.620), with the terms better (0.669; docs/evaluation.md).
    """
    rows = [h.chunk.chunk_id for h in group]
    across = query.cross_vector is not None and bool(view.chinese_rows(rows[:1])[0] != query.chinese)
    spans, cos = view.sentence_cosines(rows, query.cross_vector if across else query.vector)
    if not spans:
        return [], np.zeros(0)
    text = view.documents[group[0].chunk.doc_id].text
    sentences = [text[a:b] for a, b in spans]
    if rule.overlap > 0:
        idf = {t: view.term_idf(t) for t in terms}
        if rule.spread > 0 and len(sentences) > 1:
            folded = [normalize(s) for s in sentences]
            idf = {t: w * ((1 - rule.spread) + rule.spread * local_weight(t, folded)) for t, w in idf.items()}
        if rule.title > 0:  # the article's subject (魏玩, A-135反弹道导弹系统) is named where it is introduced, not where asked of
            heading = normalize(view.documents[group[0].chunk.doc_id].title or "")
            idf = {t: w * (1 - rule.title if t in heading else 1.0) for t, w in idf.items()}
        cos = cos + rule.overlap * np.asarray(term_share(without_other_names(sentences, query.text), idf))
    role = asked_role(query.text)
    kind = rule.role if role else rule.kind  # the holder's sentence is the answer itself
    if kind > 0:
        states = answers_kind(query.text, sentences, query.roles)
        # or the last, which quotes them by title alone when the next paragraph opens with their name
        if role and holder_named_next(text, spans[-1][1], (role, *query.roles)):
            states[-1] = True
        cos = cos + kind * np.asarray(states, dtype=np.float64)
    paragraph = paragraph_text(view, group[0].chunk)
    return spans, np.where([is_metadata(s, paragraph) for s in sentences], -np.inf, cos)


def without_other_names(sentences: list[str], question: str) -> list[str]:
    """``sentences`` less the names that share a word with a name of the ``question`` without being it, for the
    question's terms to meet: "How many skiers an hour does the Eagle Summit lift carry?" was highlighted on "The
    Eagle Express … can carry 3,200 skiers an hour", whose "eagle" is the other lift's (a tester's question)."""
    names = [words for m in LATIN_NAME.finditer(question) if (words := name_words(m.group(0)))]
    if not names:
        return sentences
    out = []
    for sentence in sentences:
        def other(m: re.Match) -> str:
            words = name_words(m.group(0))
            return " " if any(words & name and not name <= words for name in names) else m.group(0)
        out.append(LATIN_NAME.sub(other, sentence))
    return out


Scored = dict[tuple[str, int], tuple[list[Span], np.ndarray]]  # (doc id, paragraph) -> sentence_scores of its card


def choose_highlight(view: StoreView, group: list[Hit], query: Query, terms: dict[str, float],
                     rule: HighlightRule, scored: Scored | None = None) -> Span | None:
    """The card's sentence that answers best (``sentence_scores``, read from ``scored`` when ``order_by_answer``
    already scored this card); None when every sentence is a date line, byline or caption."""
    key = (group[0].chunk.doc_id, group[0].chunk.paragraph)
    spans, scores = (scored or {}).get(key) or sentence_scores(view, group, query, terms, rule)
    if not spans or not np.isfinite(scores.max()):
        return None
    best = int(np.argmax(scores))
    text = view.documents[group[0].chunk.doc_id].text
    a, b = spans[best]
    # a story's first sentence carries its dateline ("COLUMBUS, Ohio, 4 March 2026 — ", 本报讯（记者 …）): shown,
    # not highlighted. It opens its line, also under a headline glued to the passage above it
    opens_line = not text[text.rfind("\n", 0, a) + 1:a].strip()
    return (a + dateline_length(text[a:b]) if opens_line else a), b


def order_by_answer(view: StoreView, groups: list[list[Hit]], query: Query, terms: dict[str, float],
                    rule: HighlightRule, weight: float, scored: Scored | None = None,
                    cross_weight: float = 0.0) -> list[list[Hit]]:
    """The findings of the first one's article reordered by their score plus ``weight`` times their best answering
    sentence's (``sentence_scores``), ``cross_weight`` times when that article is in the other language than the
    question's; the rest keep their places.

    An article's headline and lead name its subject, so a question naming it ("上海咖啡节的门票多少钱？") draws
    the lead first by its words and its vector alike, while the paragraph that answers (门票…售价68元) shares only
    the asked-for word. Within one article the subject is common to every paragraph: the sentence rule, which
    discounts what the title names and counts what kind of answer a sentence states, tells them apart. Not
    across articles (each title discounts other words), only a little across languages (a sentence's cosine with
    a question in the other language compares less well: docs/evaluation.md, "Which paragraph of an article
    answers"), and a caption or date line (no sentence to score) keeps its place. A paragraph that swaps a
    numbered thing of the question for a sibling (``sibling_swaps``: 三期 asked 二期) comes after the others.
    The cards it scores are kept in ``scored`` for their highlight.
    """
    if len(groups) < 2:
        return groups
    doc = groups[0][0].chunk.doc_id
    if (view.documents[doc].language == "zh") != query.chinese:
        weight = cross_weight
    if weight <= 0:
        return groups
    scored = {} if scored is None else scored
    best = {}
    for i, g in enumerate(groups):
        if g[0].chunk.doc_id == doc:
            scored[(doc, g[0].chunk.paragraph)] = found = sentence_scores(view, g, query, terms, rule)
            best[i] = float(np.max(found[1], initial=-np.inf))
    places = [i for i, v in best.items() if np.isfinite(v)]
    if len(places) < 2:
        return groups
    # a paragraph about phase three (三期) or the H20 answers nothing of phase two or the H200: after the rest
    swapped = ({i for i in places if sibling_swaps(query, normalize(paragraph_text(view, groups[i][0].chunk)))}
               if names_numbered(query) else set())
    ordered = sorted(places, key=lambda i: (i in swapped, -(groups[i][0].score + weight * best[i])))
    # A table row or a list's line (no sentence: "Kettle & Crane: 95 shops, in London and the South East") may rise
    # by its line, but no card of sentences from below it passes it: its passage was embedded under its header or
    # list, its line alone reads as little as a sentence, and a lead's summary sentence passed the answering row of
    # 英國咖啡連鎖Kettle & Crane明年要開多少家店？ by 0.004. Not for a who-question asking a title: a row names no
    # holder (誰是RMIT大學的校長？ cited RMIT's row).
    # (those that passed it go back behind it, rather than the row up before them: a row rising that way passed
    # the paragraph found above it, "A total of 1,046 services were cancelled…" behind two route rows for 悉尼渡轮九月
    # 季度一共取消了多少个班次？, a tester's)
    if asked_role(query.text) is None:
        for row in [i for i in places if not ends_sentence(paragraph_text(view, groups[i][0].chunk).rstrip())]:
            at = ordered.index(row)
            passed = [i for i in ordered[:at] if i > row and i not in swapped
                      and ends_sentence(paragraph_text(view, groups[i][0].chunk).rstrip())]
            if passed:
                ordered = [i for i in ordered[:at + 1] if i not in passed] + passed + ordered[at + 1:]
    out = list(groups)
    for place, i in zip(places, ordered):
        out[place] = groups[i]
    return out


def rare_kind_first(groups: list[list[Hit]], query: Query, margin: float) -> list[list[Hit]]:
    """For a question asking why, a time of day, a sum of money or which one of a set, the first finding of the first
    one's article within ``margin`` of its score that gives one (``kind_asked``; any sentence of it), moved to the
    front when the first gives none: "桃園機場捷運延伸線為何一再延宕？" cited the lead 0.03 above 工程一再延宕，主因是…, "Why did Hsinyu
    InfoTech's after-tax profit drop?" the results paragraph above 主要是由於新台幣升值, 西双版纳野象预警网络建设花了多少钱？
    the lead, which gives no sum, above "It cost 46 million yuan"; "Which of the three new wafer fabs in Hefei is the
    largest?" the lead above 其中，皖晶半导体一期工厂的规模最大 (``states_choice``). Not for a count, a share, a span or a date: a
    number or a date is in most cards, and the one that first states that kind is as often another's (measured
    over every question set: six first cards lost for two gained). Within one article only (an XQuAD paragraph is
    one): another story's figure answers nothing of this one. For which one, the finding writing the superlative
    asked (``asked_superlative``: "sold the most" by 销量最大) comes first even over a first giving another
    (四到六只装的小礼盒最好卖), and a headline glued above a passage is not read (鲜肉月饼最受欢迎 over a lead)."""
    kind = kind_asked(query.text)
    if kind not in (states_reason, states_clock, states_money, states_choice) or len(groups) < 2 or margin <= 0:
        return groups
    superlative = asked_superlative(query.text) if kind is states_choice else None

    def grade(group: list[Hit]) -> int:
        # the passage's own text, not a headline glued above it (鲜肉月饼最受欢迎 over the lead of a story whose
        # fourth paragraph says which brand sold the most); for a choice, the superlative asked counts above another
        texts = [_body_text(h.chunk) for h in group]
        if not any(answers_kind(query.text, texts)):
            return 0
        return 2 if superlative and any(states_superlative(t, superlative) for t in texts) else 1
    first = groups[0][0]
    best, at = grade(groups[0]), 0
    for i, g in enumerate(groups[1:], start=1):
        if first.score - g[0].score <= margin and g[0].chunk.doc_id == first.chunk.doc_id and (n := grade(g)) > best:
            best, at = n, i
    return [groups[at], *groups[:at], *groups[at + 1:]] if at else groups


INTRO_DEPTH = 5  # cards read for the row or item a first card ending in a colon introduces


def introduced_first(view: StoreView, groups: list[list[Hit]], query: Query) -> list[list[Hit]]:
    """When the first card's paragraph introduces a table or a list (it ends with a colon: 各类用途的具体用量如下：) and
    states no answer of the kind asked, the first of the next cards of its article that does, first: a tester's "How
    much of Tianjin's recycled water was used to top up rivers and lakes in 2024?" cited the sentence announcing the
    table above its row 河湖生态补水 | 一点八亿立方米. An introduction says what follows, and the line that follows answers."""
    if len(groups) < 2 or kind_asked(query.text) is None or asked_role(query.text):
        return groups
    first = groups[0][0].chunk
    text = paragraph_text(view, first).rstrip()
    if not text.endswith((":", "：")) or answers_kind(query.text, [text])[0]:
        return groups
    for i, g in enumerate(groups[1:INTRO_DEPTH], start=1):
        if g[0].chunk.doc_id == first.doc_id and answers_kind(query.text, [paragraph_text(view, g[0].chunk)])[0]:
            return [g, *groups[:i], *groups[i + 1:]]
    return groups


def _body_text(chunk: Chunk) -> str:
    """``chunk``'s text less a heading glued in front of it (``Chunk.body_sentences``)."""
    return chunk.text[chunk.body_sentences[0][0] - chunk.start:]


HOLDER_DEPTH = 3  # cards read for one quoting a speaker by title alone


def holder_first(view: StoreView, groups: list[list[Hit]], hits: list[Hit], query: Query) -> list[list[Hit]]:
    """For a question asking who (``asks_person``), when the first finding quotes a speaker by title alone
    (``unnamed_speaker``: 该协会会长表示, "The chief executive said") and names no holder of it, the finding of its
    article that does (深圳市药品零售行业协会会长陈志远在发布会上说) first: news names a speaker once and then by
    title. "Who heads Shenzhen's pharmacy retail association, which expects about 150,000 flu jabs…?" cited
    该协会会长表示，试点首月预计可完成约十五万人次接种 and put 陈志远's paragraph second, 谁宣布…在马努考开设…献血中心？
    "The chief executive said…" and Aroha Tane's ninth (a tester's questions). A paragraph the hits hold beyond
    the findings counts too; the next paragraph opening with the name is read by ``with_holder_named_next``."""
    if not groups or not asks_person(query.text):
        return groups
    first = groups[0][0].chunk
    # the card quoting a speaker by title alone: the first, or one of the next of its article under a lead that
    # names the body, not who speaks for it ("Who heads Haiyan county's development and reform bureau, which
    # expects…?" cited the lead, then 该局局长表示，…预计发电四千一百万度, and 钱志刚's paragraph third)
    quoting = next((i for i, g in enumerate(groups[:HOLDER_DEPTH])
                    if g[0].chunk.doc_id == first.doc_id and unnamed_speaker(paragraph_text(view, g[0].chunk))), None)
    if quoting is None:
        return groups
    title = unnamed_speaker(paragraph_text(view, groups[quoting][0].chunk))
    role = asked_role(query.text)
    titles = (title, *((role, *query.roles) if role else ()))
    end = max(h.chunk.end for h in groups[quoting])  # where its card ends, as with_holder_named_next reads it
    if any(names_any_holder(paragraph_text(view, g[0].chunk), titles) for g in groups[:quoting + 1]):
        return groups
    if holder_named_next(view.documents[first.doc_id].text, end, titles):
        return [groups[quoting], *groups[:quoting], *groups[quoting + 1:]]
    for i, g in enumerate(groups[1:], start=1):
        if g[0].chunk.doc_id == first.doc_id and names_any_holder(paragraph_text(view, g[0].chunk), titles):
            return [g, *groups[:i], *groups[i + 1:]]
    shown = {(g[0].chunk.doc_id, g[0].chunk.paragraph) for g in groups}
    for hit in hits:
        if (hit.chunk.doc_id == first.doc_id and (hit.chunk.doc_id, hit.chunk.paragraph) not in shown
                and names_any_holder(hit.chunk.text, titles)):
            return [[hit], *groups[:-1]]
    return groups


def local_weight(term: str, folded: list[str]) -> float:
    """1 for a term in one of the card's sentences (``folded``: qa.text.tokens.normalize), less the more of them
    hold it (log(1 + n / n_t) / log(1 + n)): the subject a paragraph is about (a name in every sentence) points
    at no one sentence."""
    held = sum(1 for s in folded if term in s)
    return 1.0 if held <= 1 else float(np.log1p(len(folded) / held) / np.log1p(len(folded)))


def to_passage(doc: Document, group: list[Hit]) -> Passage:
    """Cite one finding (``group_hits``): the stretch of its paragraph its windows cover, with exact offsets; no
    mark yet (``with_highlight`` adds it, for the cards shown). A heading glued in front of a window (qa.chunk:
    a headline, time line or byline above the story's first paragraph) is left out: it is another paragraph than
    the one the card names ("¶3" began at the headline), and the card shows title, date and author anyway."""
    best = group[0]
    start = min(glued_caption(doc.text, h.chunk) or h.chunk.body_sentences[0][0] for h in group)
    end = max(h.chunk.end for h in group)
    text = doc.text[start:end]
    return Passage(
        doc_id=doc.doc_id,
        title=doc.title,
        date=doc.date,
        script=doc.script,
        paragraph=best.chunk.paragraph,
        start=start,
        end=end,
        text=text,
        score=round(best.score, 4),
        highlight=None,
        page=doc.page_at(start),  # paged sources (PDF); None otherwise
        source=doc.source,
        author=doc.author,
    )


def glued_caption(text: str, chunk: Chunk) -> int | None:
    """Where a photo caption glued in front of ``chunk``'s body begins (a line of its heading that qa.text.metadata
    reads as a caption, not a date line or byline), else None. A caption is part of the story, cited though never
    marked: a tester's "Where did the students carry out the final check of Phoenix-1 last week?" found the window
    under 圖說：上週，研究生在成大歸仁校區的無塵室完成鳳凰一號最後一次檢查。（成大提供）, and its card began below it."""
    body = chunk.body_sentences[0][0]
    offset = chunk.start
    for line in text[chunk.start:body].split("\n"):
        if line.strip() and is_metadata(line) and not is_byline_or_date(line):
            return offset + len(line) - len(line.lstrip())
        offset += len(line) + 1
    return None


def with_heading(passage: Passage, doc: Document, group: list[Hit], question: str, idf: dict[str, float],
                 highlight: Span | None) -> tuple[Passage, Span | None]:
    """``passage`` and its ``highlight``, begun at the headline glued above it (qa.chunk) when the headline answers
    better than every sentence of the card: it holds more of the question's terms (``term_share``, ``idf``: the
    question's keyword terms) and states the kind of answer asked (``answers_kind``); the headline is then the mark.
    Else ``with_date_line``. A tester's "How many passengers rode Nantong Metro Line 2 on its first day?" cited the
    lead under 南通地铁2号线今起通车 首日客流12.6万人次, the one place the figure stands; a card showed it as its title
    only, never marked."""
    if highlight is not None and (heading := _glued_heading(group)) is not None:
        a = heading[0]
        end = doc.text.find("\n", a, heading[1])
        headline = (a, heading[1] if end < 0 else end)
        line = doc.text[headline[0]:headline[1]]
        body = [doc.text[x:y] for x, y in sentence_spans(doc.text, passage.start, passage.end)]
        shares = term_share([line, *body], idf)
        kinds = answers_kind(question, [line, *body])
        # or it alone states the kind asked, and shares a term: "How heavy is the Phoenix-1 cubesat…?" over 成大立方衛星
        # 「鳳凰一號」升空 重4.2公斤…, whose lead names the satellite and its university more often and weighs nothing
        if (line.strip() == (doc.title or "").strip() and body and kinds[0]
                and (shares[0] > max(shares[1:]) or shares[0] > 0 and not any(kinds[1:]))):
            start = headline[0]
            return replace(passage, start=start, text=doc.text[start:passage.end], page=doc.page_at(start)), headline
    return with_date_line(passage, doc, group, question), highlight


def _glued_heading(group: list[Hit]) -> Span | None:
    """The heading glued in front of one of the ``group``'s windows (qa.chunk: headline, date line, byline), or None."""
    for hit in group:
        c = hit.chunk
        if c.sentences and c.body_sentences[0] != c.sentences[0]:
            return c.sentences[0]
    return None


def with_date_line(passage: Passage, doc: Document, group: list[Hit], question: str) -> Passage:
    """``passage`` begun at the date line glued above it (qa.chunk: a dateline or byline with the date, under the
    headline) when the question asks when and the passage tells the day only from the story's own (今天召開法說會,
    昨日, "on Sunday") with no date of its own: the date line is then what answers. A tester's "When did Hsinyu
    InfoTech hold its third-quarter earnings call?" cited 新宇資訊今天召開法說會 and left out
    （經濟日報記者 林佩君／台北報導）2026年10月30日 above it, as every card leaves out a heading glued to it."""
    heading = _glued_heading(group)
    if heading is None or not asks_time(question) or find_dates(passage.text) or not states_day(passage.text):
        return passage
    a, b = heading
    offset = a
    for i, line in enumerate(doc.text[a:b].split("\n")):
        # a dated line under the headline ("2026年9月28日 来源：江海晚报 记者 顾晓燕"), or a date line opening it
        if find_dates(line) and (i > 0 or is_byline_or_date(line)):
            start = offset + len(line) - len(line.lstrip())
            return replace(passage, start=start, text=doc.text[start:passage.end], page=doc.page_at(start))
        offset += len(line) + 1
    return passage


def with_holder_named_next(passage: Passage, doc: Document, query: Query,
                           highlight: Span | None) -> tuple[Passage, Span | None]:
    """``passage`` and its ``highlight``, run on to the end of the next paragraph's first sentence when the question
    asks who holds a title (qa.text.answer_type.asked_role), the passage quotes the holder by title alone and that
    sentence opens with who speaks (``holder_named_next``): the name answers, the title above it says why. A
    tester's "Who is the president of Singapore's Federation of Merchants' Associations?" cited "The president of
    the Federation of Merchants' Associations said rents…" and left out "Lim Siew Hoon said…" below it."""
    role = asked_role(query.text)
    named = holder_named_next(doc.text, passage.end, (role, *query.roles)) if role else None
    if named is None:
        return passage, highlight
    end = named[1]
    return replace(passage, end=end, text=doc.text[passage.start:end]), (named if highlight is not None else None)


def without_repeats(passages: list[Passage]) -> list[Passage]:
    """``passages`` less those an earlier one shows whole (``with_holder_named_next`` runs a card on into the next
    paragraph, which may be the next card)."""
    shown: list[Passage] = []
    for p in passages:
        if not any(q.doc_id == p.doc_id and q.start <= p.start and p.end <= q.end for q in shown):
            shown.append(p)
    return shown


def with_highlight(passage: Passage, highlight: Span | None, target_script: str | None) -> Passage:
    """``passage`` marking ``highlight`` (document offsets; None: no mark), and its text converted to
    ``target_script`` (a DISPLAY_SCRIPTS name) with the mark's offsets in the converted text."""
    span = (highlight[0] - passage.start, highlight[1] - passage.start) if highlight else None
    converted, span_converted = (convert_with_span(passage.text, span, target_script, passage.script) if target_script
                                 else (None, None))
    return replace(passage, highlight=highlight, text_converted=converted, highlight_converted=span_converted)


def with_gloss(passage: Passage, doc: Document, language: str, script: str, cache_dir: Path) -> Passage:
    """``passage`` with a reading aid over its highlighted sentence when it is not in the asker's language.

    An asker of another language (English, ...) over a Chinese passage gets pinyin and English meanings; a
    Chinese asker over an English passage gets Chinese equivalents in ``script``, the asker's script. A
    passage in the asker's language, or a pair the dictionary cannot bridge (French over Chinese is
    bridged in English; Chinese over French is not), keeps ``gloss`` None.

    Args:
        language, script: the question's language ("zh", "en", ...) and the script to write Chinese in.
    """
    if passage.highlight is None:
        return passage
    if doc.language == "zh" and language not in ("zh", "und"):
        return replace(passage, gloss=tuple(gloss_chinese(doc.text, *passage.highlight, cache_dir)))
    if doc.language == "en" and language == "zh":
        return replace(passage, gloss=tuple(gloss_english(doc.text, *passage.highlight, cache_dir, script)))
    return passage
