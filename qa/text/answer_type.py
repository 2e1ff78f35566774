"""What kind of answer a question asks for (an amount, a time) and whether a text states one.

Read by abstention (a question asking an amount of paragraphs that state none is a near miss) and by the
highlight (the sentence stating an amount answers "how many" better than one restating the question). All
functions take any script and fold it first (qa.text.tokens.normalize: Simplified, lower case).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from ..extract.dates import without_dates
from .metadata import dateline_length
from .tokens import normalize
from .translate import DEPUTY_FORMS
from .translate import STOPWORDS as ENGLISH_STOPWORDS

# "几" only before a measure word: 几乎 (almost) and 几何 (geometry) ask for nothing.
_ASKS_AMOUNT = re.compile(
    # (几月 asks which month: 从幾月幾日起不再收逾期罰款？ asks a date, not the fine; 几个月 is a count)
    r"多少|百分之几|几(?=[个次年家位名倍成百千万亿十天岁种项款颗张台人点分条座部周处]|个百分点)"
    # 有多深, 多长时间, 挖到多深？ as "how deep", "how long": not 多重 of 多重因素 (multiple), 多高校 (many universities),
    # 多重要 (how important), nor 多大 (有多大影响)
    r"|多久|多长时间|(?<![很许诸众太更好大])(?:有多(?:[长高远深宽厚快]|重(?!要))|多[长高远深宽厚快重](?=[?？呢吗]|$))"
    # (an area's 多大 is: 蝗虫发生面积有多大？, a tester's near miss over a story naming 阿勒泰 only in passing, was answered)
    r"|(?:面积|占地|范围)[有是为]?多大"
    r"|\bhow (?:many|much|long|old|large|big|high|far|tall|heavy|deep|wide|thick|fast)\b"
    r"|\bwhat (?:percentage|percent|proportion|fraction)\b")
# An amount: a number not part of a code (H200 and A100 name products), a Chinese numeral with what it counts
# (a measure word, a unit, 元; after 多 or 余 for round numbers: 两百多家), or an English number word. Loose on purpose: abstention refuses only paragraphs with no amount at all.
# A fraction, in Chinese or in words ("takings are down by a fifth", "one in six", two-thirds): an amount, and a share
_FRACTION = (r"[一二两三四五六七八九十百]分之[一二三四五六七八九十]|\b(?:a|one)[- ](?:third|quarter|fifth|sixth|seventh|"
             r"eighth|ninth|tenth)\b|\b(?:two|three|four)[- ](?:thirds|quarters|fifths)\b|\bone in (?:two|three|four|five|"
             r"six|seven|eight|nine|ten|\d+)\b")
# what a Chinese numeral counts: measure words (摊 stalls, 例 cases, 剂 doses, 间 premises, …), units and 元
# (具 of payphones: a tester's 和平區、新社區等山區將保留一百三十七具 read as no count, and its question refused)
_MEASURE = "个位名家次倍成岁年天月种项颗张台人%支只架艘辆件场届所座门首条部本元块吨亩层折米斤克公户栋期批轮股处间例宗摊份盏棵头匹枚片套箱瓶杯尾株粒双对幢组队班趟列节篇款类起剂平幅根把扇具袋盒桶罐册朵"
# a currency after a Chinese numeral (六千五百港元: a tester's answerable question was refused for stating no amount)
# (one list, also what states or asks a sum of money: _MONEY, _HOW_MANY_OF_MONEY)
_CURRENCY = r"(?:[港美欧日澳纽加韩]元|港币|英镑|新台币|台币|令吉|元|块钱|镑|美金)"
# units of more than one character whose first is no measure word (八千立方米: a tester's table row of a district's
# rainwater read as stating no amount, and the question refused as asking of a place named in passing)
_MEASURE_UNITS = r"(?:立方|毫[米升克]|厘米|升)"
_AMOUNT = re.compile(
    r"(?m)(?<![a-z\d])\d"
    rf"|[二两三四五六七八九十百千万亿][多余]?(?:[{_MEASURE}]|{_MEASURE_UNITS}|{_CURRENCY})"
    # 二十一摊, 一百零一间: a one after a place value counts too (not 十一月, a month)
    rf"|[十百千万亿零]一[多余]?(?:[{_MEASURE.replace('月', '')}]|{_MEASURE_UNITS}|{_CURRENCY})"
    r"|一[半倍成]|数[十百千万亿]"
    # a table's cell of a number in words, its unit in the header: 宝安区 | 一万零四百 | 七百二十 (a tester's "How many
    # vending machines are there in Shenzhen's Bao'an district?" was refused over this row, cited first)
    r"|(?:^|\|)\s*[〇零一二两三四五六七八九十百千万亿]*[十百千万亿][〇零一二两三四五六七八九十百千万亿]*\s*(?=\||$)"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion|dozens?|half|quarter|twice|double|triple)\b|" + _FRACTION)
_ASKS_TIME = re.compile(
    r"什么时候|何时|哪一?年|哪个月|几月|哪一?天|几号|何年|哪个世纪|哪个朝代"
    r"|\bwhen\b|\b(?:what|which) (?:year|date|month|day|century|decade|era|period)\b")
_TIME = re.compile(
    r"(?<![a-z\d])(?:1\d|20)\d\d(?!\d)|\d{1,2}\s*[月日号]|[一二三四五六七八九十]+月|世纪|年代|"
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|century|decade)\b")


# A day asked (哪一天, "on what day") is answered by a weekday or a day told from the story's own (上週五, "last
# Tuesday", 昨日): the tester's "快意叫車是哪一天向數位部通報外洩事件的？" was answered first by the lead, and 該公司上週五才向
# 數位部通報 stated no time. Only for such questions: "said on Tuesday" opens every English lead.
_ASKS_DAY = re.compile(r"哪一?天|几号|星期几|周几|礼拜几|\b(?:what|which) day\b")
_DAY = re.compile(r"周[一二三四五六日末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|[昨今明前]天|[昨今明]日|"
                  r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow)\b")

# A reason asked (为什么, why): the sentence that gives one says so (because, due to, 原因是, 得益于, "the main
# driver was"); not "due to" a verb, which schedules ("the province is due to start customs operations"). A
# tester's "Why did Korla's pear exports grow so much this year?" cited 去年全年，库尔勒香梨出口3.4万吨 above
# 出口增长的主要原因是今年3月开通了…冷链班列 (five of seven why-questions of its library so).
_ASKS_REASON = re.compile(r"为什么|为何|什么原因|原因是什么|何以|\bwhy\b|\bfor what reason\b|\bwhat (?:caused|drove|led to|"
                          r"is behind|was behind|explains)\b")
_REASON = re.compile(r"因为|由于|原因|主因|起因|肇因|得益于|受益于|归功于|缘于|源于|之所以|导致|带动|所致|促使"
                     r"|\bdue to\b(?! (?:be|start|begin|open|close|end|finish|launch|take|come|arrive|run|hold|meet|expire|resume|complete|go|"
                     r"make|reach|enter|leave|return|vote|announce|publish|release|report|sign|decide|opt|hit)\b)"
                     r"|\b(?:because|thanks to|owing to|as a result of|driven by|"
                     r"(?:main|key|biggest|chief) driver|reasons?|caused by|led to|helped by|boosted by|hit by|blamed|"
                     r"attributed)\b")


# advice for the asker: how to make, keep, fix or choose something at home (a recipe, a kettle, a guitar); not what
# someone will do (他会怎么做, 博物馆将如何保存藏品, 必须怎么做: XQuAD's and CMRC's encyclopedic questions ask so) nor
# "How can you protest…?"
_ASKS_ADVICE = re.compile(
    r"\bhow (?:do|should|can|could) (?:i|we)\b|\bhow (?:do|should) you\b|\bhow long should (?:i|you|we)\b"
    r"|\b(?:what|which) should i\b|\bshould i\b|^how to\b|\bthe best way to\b|\btips (?:for|on)\b"
    r"|(?<![会将能须他她它们])(?:怎么|怎样|如何)(?:才能?)?(?:在家里?|在阳台上)?"
    r"(?:做|煮|种|养|学|冲泡|挑选|保存|练|提高|延长|选|泡|炒|烤|蒸)|要准备什么|应该")


def asks_advice(question: str) -> bool:
    """Whether the question asks advice for the asker ("How do I descale a kettle?", 红烧肉怎么做才不腻？, 学吉他应该先买
    哪种？): what news seldom gives and general text does, so abstention asks more of it (AbstainPolicy.advice_margin).
    Of eval/'s unanswerable questions 150 ask so; of its answerable ones, XQuAD's and CMRC's, none."""
    return bool(_ASKS_ADVICE.search(normalize(question)))


def asks_reason(question: str) -> bool:
    """Whether the question asks why."""
    return bool(_ASKS_REASON.search(normalize(question)))


def states_reason(text: str) -> bool:
    """Whether ``text`` gives a reason (because, due to, 原因, 得益于)."""
    return bool(_REASON.search(normalize(text)))


def states_day(text: str) -> bool:
    """Whether ``text`` names a weekday or a day counted from today (上周五, last Tuesday, 昨日)."""
    return bool(_DAY.search(normalize(text)))


# Which report of a story is asked, when a first report and a later one give different figures (a tester's "What
# apple damage area was first reported after the Luochuan hailstorm?" cited the update's revised 4.7万亩 over the
# first report's 3.2万亩, "According to the latest count, how many townships…" the first report's 5个乡镇). "First"
# alone asks no report (the first quarter, its first plant), nor does an initial public offering.
_ASKS_FIRST_REPORT = re.compile(
    r"最初|起初|初步|一开始|(?:首次|首日|第一天)(?:通报|报道|公布|发布|统计)|最早(?:通报|报道|公布|发布)|初次通报"
    r"|\bfirst(?:ly)?[- ](?:reported|announced|published|released|given|stated|counted|estimated)\b"
    r"|\b(?:the )?first (?:count|estimate|tally|figures?|reports?)\b|\binitial(?:ly)?\b(?! public offering)"
    r"|\boriginally\b|\bpreliminary\b|\bat first\b")
_ASKS_LATEST_REPORT = re.compile(
    r"最新|核定|修正后?|修订后?|最终|更新后?|上调后|下调后"
    r"|\blatest\b|\brevised\b|\bupdated\b|\bmost recent\b|\bnewest\b|\bcorrected\b"
    r"|\bfinal (?:count|tally|toll|figures?|estimate|number)\b|\bnow stands?\b")


def asked_report(question: str) -> str | None:
    """"first" when the question asks what a story's first report gave, "latest" when it asks the latest or revised
    figure, None otherwise (both: None)."""
    folded = normalize(question)
    first, latest = bool(_ASKS_FIRST_REPORT.search(folded)), bool(_ASKS_LATEST_REPORT.search(folded))
    return None if first == latest else "first" if first else "latest"


def asks_amount(question: str) -> bool:
    """Whether the question asks how many, how much, what share (in either script or English)."""
    return bool(_ASKS_AMOUNT.search(normalize(question)))


def states_amount(text: str) -> bool:
    """Whether ``text`` states some amount."""
    return bool(_AMOUNT.search(normalize(text)))


def asks_time(question: str) -> bool:
    """Whether the question asks when (a year, date, month, century)."""
    return bool(_ASKS_TIME.search(normalize(question)))


def states_time(text: str) -> bool:
    """Whether ``text`` states a year, date, month or century."""
    return bool(_TIME.search(normalize(text)))


# What states a time or names a thing, not how many: a year, a month and day, a clock time, a listed code
# ("2026年第三季度报告", "10月27日", "9时30分", "股票代码：603877"). Read only by the highlight's kind.
_NOT_AMOUNT = re.compile(
    r"(?<!\d)(?:1\d|20)\d\d\s*年|(?<!\d)\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|(?<!\d)\d{1,2}\s*[日号](?![\d元])"
    r"|(?<!\d)\d{1,2}\s*[:：]\s*\d{2}(?!\d)|(?<!\d)\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分)?|(?:代码|code)\s*[:：]?\s*[a-z]*\d+"
    # an English year after a preposition, no figure after it: "…its next fare review in 2029." gives no fare
    r"|\b(?:in|since|by|from|until|till|before|after|during|of|between|and)\s+(?:1[6-9]|20)\d\d"
    # (…promised by ministers in 2012 was never published: still a year)
    r"(?![\d%]|[.,]\d|\s+(?!(?:was|were|is|are|has|had|have|and|or|but|when|while|as|after|before|to|for|with|the|a|"
    r"an)\b)[a-z])"
    # and one naming a thing of that year: "the damage done by the 2021 heat dome" counts nothing, and a tester's
    # 西雅图去年批出了多少张砍树许可证？ over a Portland story naming Seattle in that sentence only was answered (English
    # writes a count of that size with a comma)
    r"|\b(?:the|a|an|its|their|his|her|this|that|last|next)\s+(?:1[6-9]|20)\d\d(?=\s+[a-z])"
    # a month and a year in Chinese numerals: 今年五月起申辦量快速攀升 counts nothing (a tester's 周怡君…调了多少人手？ kept
    # her paragraph above the one giving 六十五名); 五个月 is a span
    r"|(?<![〇零一二两三四五六七八九十百千万\d])(?:十[一二]|[一二三四五六七八九十])月(?:[一二三]?十?[一二三四五六七八九十][日号])?"
    r"|(?<![〇零一二两三四五六七八九十百千万\d])[〇零一二三四五六七八九]{4}年")


def states_quantity(text: str) -> bool:
    """Whether ``text`` states an amount that is no date, time or code: what answers "how many" in a sentence
    (the sentence announcing "2026年第三季度报告" does not say the quarter's revenue)."""
    return bool(_AMOUNT.search(_undated(text)))


# "How many" and 几 before a measure word ask a count, which a share does not give: "Roughly how many H200 chips does
# Nvidia hold?" is not answered by 毛利率抬到80%. (几成, 百分之几, 几个百分点 ask a share; 多少 asks either.)
_ASKS_COUNT = re.compile(r"\bhow many\b(?! (?:percent|per cent|percentage points?)\b)"
                         # (and 多少栋, 多少户: a tester's 金奈有多少栋建筑装了雨水收集系统？ was answered over a story naming
                         # Chennai for a rule made "two decades ago", read as the amount asked)
                         r"|(?:几|多少)(?=[个家位名台颗张辆艘架座部条人次处件宗例间所只头栋幢户棵株盏枚套份批起层支本篇项款种匹]"
                         r"(?!百分点|额))")
# (and a fraction, as 幾分之幾 and "what fraction" ask it: 四分之一, "a third", two-thirds, "one in five")
_SHARE = re.compile(r"\d[\d.,]*\s*(?:%|％|percent\b|per cent\b|个百分点)|百分之[一二两三四五六七八九十百零点]+|[一二两三四五六七八九]成|"
                    + _FRACTION)


# A share is asked by 率 after a noun (不合格率, 失业率, 占有率; not an exchange rate, a frequency, a speed or a power),
# 占比, 比例, 几成, "what share/percentage": "今年打印机国家监督抽查的不合格率是多少？" was answered first by the batch counts
# (不合格11批次) over 不合格产品检出率为15%. Not a rate a sum is worked out at (按新利率计算每月供款可减少多少？ asks yuan:
# read as a share, the paragraph's 约600元 stated none, and the question was refused as a near miss).
_ASKS_SHARE = re.compile(r"(?<![汇频速功])率(?!计算)|占比|比例|比重|份额|百分之几|百分比|几成|几分之几"
                         r"|\b(?:what|which) (?:share|percentage|proportion|fraction)\b|\bhow many (?:percent|per cent)\b"
                         r"|\bwhat per ?cent\b|\b(?:unemployment|growth|inflation|interest|tax|vacancy|occupancy|approval|"
                         r"turnout|participation|literacy|mortality|failure|pass|success|recycling|response|error|"
                         # ("What was the on-time rate of Brisbane's CityCat ferries last quarter?", a tester's near
                         # miss)
                         r"on[- ]time|punctuality|completion|attendance|enrolment|enrollment|vaccination|survival|"
                         r"infection|conviction|clearance|satisfaction|compliance|take[- ]up|hatching|emergence|cure|"
                         r"recovery|default) rates?\b")


def asks_share(question: str) -> bool:
    """Whether a question asks a share (a rate, a proportion, a percentage)."""
    return bool(_ASKS_SHARE.search(normalize(question)))


def states_share(text: str) -> bool:
    """Whether ``text`` states a share: 15%, 86 per cent, 百分之三十, 六成, 3个百分点."""
    return bool(_SHARE.search(text))


def states_count(text: str) -> bool:
    """Whether ``text`` states an amount that is no date, code or share: what answers "how many"."""
    return bool(_AMOUNT.search(_SHARE.sub(" ", _undated(text))))


_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
# What a Chinese question counts by its measure word, and the measure words an answer counts the same things with
# (多少艘: 三千四百艘, 十二条; 个, 家 or 次 count too many kinds of thing to tell them apart)
# (patients are counted as cases too: 收治了多少名蛇咬伤病人 over 从化区 | 六百八十例, a tester's, refused)
_COUNTERS = ("艘条", "辆台部", "只头条匹", "棵株", "栋幢座", "宗起件例", "架台", "名位人例")
_ASKS_COUNTER = re.compile(r"(?:几|多少)([艘辆只头匹棵株栋幢宗起件例架名位])")


# and what an English question counts, by its noun after "how many" (a Chinese story counts waterbirds with 只)
_COUNTED_EN = {"名位人例": r"people|persons|residents|volunteers|visitors|workers|staff|patients|students|pupils|children"
                         r"|passengers|tourists|members|nurses|doctors|drivers|officers|paddlers|spectators",
               "只头条匹": r"\w*birds|dogs|cats|pigs|boars?|animals|cattle|sheep|horses|monkeys",
               "艘条": r"ships|boats|vessels|dredgers|ferries", "辆台部": r"cars|buses|vehicles|taxis|lorries|trucks",
               "棵株": r"trees", "宗起件例": r"cases|incidents|crashes|accidents|complaints|prosecutions"}
_ASKS_COUNTED_EN = re.compile(r"\bhow many (?:(?!of\b)[a-z-]+ ){0,2}?(?:%s)\b"
                              % "|".join(f"(?P<g{i}>{nouns})" for i, nouns in enumerate(_COUNTED_EN.values())))


def asked_counters(question: str) -> str:
    """The measure words that count what a question asks a count of (多少艘 → 艘条; "how many waterbirds" → 只头条匹),
    else ""."""
    folded = normalize(question)
    if m := _ASKS_COUNTER.search(folded):
        return next(group for group in _COUNTERS if m.group(1) in group)
    if m := _ASKS_COUNTED_EN.search(folded):
        return list(_COUNTED_EN)[int(m.lastgroup[1:])]
    return ""


def states_counted(text: str, counters: str) -> bool:
    """Whether a Chinese ``text`` counts with one of ``counters`` (``asked_counters``): 一百一十二艘, 三百多条."""
    return bool(re.search(rf"[\d〇零一二两三四五六七八九十百千万亿][多余]?\s*[{counters}]", normalize(text)))


def counting_as_asked(question: str, states: Callable[[str], bool]) -> Callable[[str], bool]:
    """``states``, less Chinese texts that count only other things than the measure word ``question`` asks a count by
    (``asked_counters``): 夜间联合巡查一百三十八次…刑事案件二十一宗 counts no dredgers (艘)."""
    counters = asked_counters(question)
    if not counters:
        return states
    return lambda text: states(text) and not (_HAN_CHAR.search(text) and not states_counted(text, counters))


def counts_things(text: str) -> bool:
    """Whether ``text`` counts something other than time or distance: "How many speed cameras has Wuhu installed?"
    is not answered by 芜湖…近两年也陆续增设了区间测速路段 (a tester's near miss over a Hefei story naming Wuhu so)."""
    return states_count(_SPAN.sub(" ", _undated(text)))


def _undated(text: str) -> str:
    """``text`` folded, without its dates, clock times and codes: what may state an amount or a span."""
    return without_dates(_NOT_AMOUNT.sub(" ", normalize(text)), " ")


# "How long" asks a span of time or a length, not any amount: "How long do elderly applicants wait?" is answered by
# "…平均輪候時間則為3.9年", not by the sentence counting 9.6萬宗 applications (a held-out tester's question)
_ASKS_SPAN = re.compile(r"多久|多长|多長|\bhow long\b")
_UNITS = (r"年|个月|個月|月|周|星期|天|日|小时|小時|钟头|分钟|分鐘|秒|世纪|米|公里|千米|英里|"
          r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|century|centuries|"
          r"km|kilometres?|kilometers?|metres?|meters?|miles?|feet")
# (how long a thing lasted is also told by the century it lasted until: "一直到19世纪", "until the 19th century")
_SPAN = re.compile(rf"(?:\d[\d.,]*|[一二两三四五六七八九十百千半]+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                   rf"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|thousand|several|few)(?:\s+and\s+a\s+half)?)\s*(?:th|st|nd|rd)?\s*[万亿]?\s*(?:多|余)?\s*(?:{_UNITS})(?![a-z])")


def states_span(text: str) -> bool:
    """Whether ``text`` states a span of time or a length (3.9年, 两个月, 48 hours, 18 miles) that is no date."""
    return bool(_SPAN.search(_undated(text)))


# "How much revenue" asks a sum of money: "29 per cent of system sales" does not say how much a company sold. Not
# when the question asks a share, or by how much something changed (a rise is as often told in per cent).
_MONEY_NOUN = re.compile(
    r"营收|收入|营业额|销售额|利润|净利|盈利|亏损|成本|价格|售价|票价|价钱|费用|收费|投资|预算|资金|工资|薪|罚款|市值|估值|"
    r"金额|开支|支出|花费|造价|补贴|拨款|年费|月费|租金|税|钱(?!包)"  # (a wallet, 钱包, is counted)
    r"|\b(?:money|revenues?|sales|income|profits?|loss(?:es)?|costs?|prices?|fares?|fees?|investment|budget|funding|salary|"
    r"wages?|fines?|surcharges?|lev(?:y|ies)|tolls?|valuation|spend(?:ing)?|spent|paid|pay|worth|rent|"
    r"subsid(?:y|ies)|tax(?:es)?)\b")
_ASKS_CHANGE_OR_SHARE = re.compile(
    r"增长|增加|减少|下降|下滑|上涨|下跌|上升|提高|降低|增幅|降幅|涨|跌|同比|环比|占比|比重|比例|份额|百分|几成|分之"
    r"|\b(?:rise|rose|risen|fall|fell|fallen|grow|grew|grown|increase[ds]?|decrease[ds]?|drop(?:ped)?|climb(?:ed)?|"
    r"jump(?:ed)?|surge[ds]?|decline[ds]?|share|percent(?:age)?|proportion|fraction)\b")
# ("What did the lava walls cost?": the verb asks it too)
_WHAT_MONEY = re.compile(r"\bwhat (?:is|was|are|were|will be)\b[^?]*?\b(?:revenues?|sales|income|profits?|loss(?:es)?|costs?|"
                         # ("What is the daily overdue fine at Ningbo's public libraries?", a tester's near miss over a
                         # story naming Ningbo in passing, was read as asking no sum)
                         r"prices?|fares?|fees?|budget|salary|valuation|worth|fines?|rents?|wages?|tuition|tolls?|"
                         r"surcharges?|levies|subsid(?:y|ies)|allowances?)\b"
                         # ("What fixed penalty can Hackney Council issue…?": the sum is the penalty)
                         # ("What night-shift allowance does Chongqing pay its hospital nurses?", a tester's near miss
                         # over a story naming Chongqing only among cities that raised theirs)
                         # (not "What rent will ordinary tenants pay…?", which a share of the market rent answers)
                         r"|\bwhat (?:[\w-]+ )?(?:fines?|fees?|fares?|prices?|surcharges?|lev(?:y|ies)|tolls?|"
                         r"allowances?|bonus(?:es)?)\b"
                         # (a penalty may be no sum: "Which player got a penalty?"; a fixed one is)
                         r"|\bfixed penalt(?:y|ies)\b|\bpenalty (?:charges?|notices?|fees?)\b"
                         r"|\bwhat (?:did|does|do|will|would)\b[^?]*?\b(?:cost|pay|charge|earn|fetch|sell for)\b")
# a currency asked as the unit: 月租升到多少港元？, "how many dollars"
_HOW_MANY_OF_MONEY = re.compile(rf"(?:多少|几)\s*{_CURRENCY}"
                                r"|\bhow many (?:us )?(?:dollars|euros|pounds|yuan)\b")
# what English names a currency by (a Chinese question's 泰铢 is the dictionary's "Thai baht", and a Thai story's "baht")
CURRENCY_NAMES = ("dollar", "euro", "pound", "yen", "yuan", "won", "rupee", "franc", "ringgit", "peso", "baht",
                  "rupiah", "dirham", "riyal", "rand", "kronor", "krona", "kroner", "zloty", "lira", "shekel", "dong")
_MONEY = re.compile(
    # (India's Rs 14.5 crore: a tester's 古吉拉特邦政府…花了多少钱？ kept a lead of counts first)
    rf"[€$£¥￥₱₹₩]|\brm\s?\d|\brs\.?\s?\d|\d\s*(?:lakh|crore)s?\b|(?:\d|[一二两三四五六七八九十百千万亿])\s*(?:多|余)?\s*{_CURRENCY}"
    r"|\d\s*(?:million|billion|trillion|bn|m)?\s*(?:(?:us|hong kong|swiss|australian|new zealand|nz|singapore|canadian|"
    rf"new taiwan|taiwan)\s+)?(?:{'|'.join(CURRENCY_NAMES)})s?\b|\b(?:usd|eur|gbp|rmb)\b")


def asks_money(question: str) -> bool:
    """Whether the question asks how much money (revenue, a price, a cost), not a share, a change or a count
    (有几个其他地方议会表达了开征停车税的意向？ counts councils: 税 names what they would levy)."""
    q = normalize(question)
    asked = (asks_amount(question) and _MONEY_NOUN.search(q)) or _WHAT_MONEY.search(q) or _HOW_MANY_OF_MONEY.search(q)
    return bool(asked) and not _ASKS_CHANGE_OR_SHARE.search(q) and not _ASKS_COUNT.search(q)


def states_money(text: str) -> bool:
    """Whether ``text`` states a sum of money (€31.6 billion, 58.6亿元, 新台币20元, 1.2 million dollars)."""
    return bool(_MONEY.search(_undated(text)))


# A question that names the unit it wants the amount in ("in US dollars", "多少瓦"), and what writes an amount
# in that unit, in either language. Only units that a figure in another unit does not answer: a price in euros is
# not one in dollars, a size in GB no power in watts. (Not lengths: a distance in km answers "in miles".)
_UNITS_ASKED = {
    "dollar": (r"\bin (?:us |u\.s\. |american )?dollars\b|\bhow many (?:us )?dollars\b|(?:多少|几)(?:美元|美金)|以美元计",
               r"\$|\busd\b|美元|美金|\bdollars?\b"),
    "euro": (r"\bin euros\b|\bhow many euros\b|(?:多少|几)欧元|以欧元计", r"€|\beur\b|欧元|\beuros?\b"),
    "watt": (r"\bin (?:kilo|mega|giga)?watts\b|\bhow many (?:kilo|mega|giga)?watts\b|(?:多少|几)(?:千|兆|吉)?瓦(?!解|斯|片|房)",
             r"\d\s*(?:w|kw|mw|gw)\b|瓦(?!解|斯|片|房)|\b(?:kilo|mega|giga)?watts?\b"),
    # memory asked (显存容量是多少, "how much memory"): bytes, not a bandwidth's 4.8TB/s (装机容量 is a power's)
    "byte": (r"(?:显存|内存|存储|记忆体|闪存|硬盘)[^,，。?？]{0,4}(?:多少|多大|几)|\bhow much (?:memory|storage|ram)\b"
             r"|\b(?:memory|storage) capacity\b|\bhow many (?:gb|tb|gigabytes|terabytes)\b",
             r"\d\s*(?:[kmgtp]i?b|[kmgtp]bytes?)(?![a-z/])|\b(?:kilo|mega|giga|tera|peta)bytes?\b|字节"),
    # a weight asked (重多少公斤, "how heavy"): tonnes answer it too, a length or a count does not
    "mass": (r"(?:重|多少|几)(?:公斤|千克|公吨|吨)|多重|重量[是为有]?多少|\bhow heavy\b|\bweighs?\b"
             r"|\bhow many (?:kilo)?(?:grams|tonnes|tons)\b|\bin (?:kilo)?(?:grams|tonnes|tons)\b",
             r"\d\s*(?:kg|t|g|mt)\b|[\d〇零一二两三四五六七八九十百千万亿]\s*(?:多|余)?\s*(?:公斤|千克|公吨|吨|克)"
             # ("2.3 kilos", as English says it: a tester's 找到了多少公斤白松露？ was refused over the hunter's paragraph)
             r"|\b(?:kilo)?grams?\b|\bkilos?\b|\d\s*kgs\b|\btonnes?\b|\btons?\b"),
}
_UNIT_PATTERNS = {unit: (re.compile(asked), re.compile(stated)) for unit, (asked, stated) in _UNITS_ASKED.items()}


def asked_unit(question: str) -> str | None:
    """The unit a question asks its amount in ("dollar", "euro", "watt", "byte"), else None."""
    q = normalize(question)
    return next((unit for unit, (asked, _) in _UNIT_PATTERNS.items() if asked.search(q)), None)


def states_unit(text: str, unit: str) -> bool:
    """Whether ``text`` writes an amount in ``unit`` (asked_unit's names)."""
    return bool(_UNIT_PATTERNS[unit][1].search(normalize(text)))


# A clock time: 几点 and "what time" ask one ("每天开放到几点？"), and it is no amount, which 8点30分 is read as not
# being (_NOT_AMOUNT). A bare number before 点 is also a stock index's points (上涨50点): a clock time here has a part
# of the day before it, minutes or 半 after it, or a colon.
_ASKS_CLOCK = re.compile(r"几点|几时几分|(?:[上下]午|晚上|早上|凌晨|傍晚)几时|(?<!\bin )\bwhat time\b(?! of (?:the )?year)|\bhow late\b|\b(?:until|till) when\b|\bopening (?:hours|times)\b")
_HOUR = r"[零一二两三四五六七八九十\d]{1,3}"
_CLOCK = re.compile(
    rf"(?:[上下]午|晚上|晚间|早上|早晨|凌晨|傍晚|中午|夜间|夜里)\s*{_HOUR}\s*[点时]"
    rf"|(?<![\d.]){_HOUR}\s*[点时]\s*(?:{_HOUR}\s*分|半|钟|整)"
    r"|(?<![\d.])\d{1,2}\s*[:：]\s*\d{2}(?!\d)"
    r"|\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])|\b(?:o'clock|noon|midday|midnight)\b")


def asks_clock(question: str) -> bool:
    """Whether the question asks a time of day (几点, what time, how late)."""
    return bool(_ASKS_CLOCK.search(normalize(question)))


def states_clock(text: str) -> bool:
    """Whether ``text`` states a time of day (上午8点30分, 晚间9点, 9:30, 10am, noon)."""
    return bool(_CLOCK.search(normalize(text)))


# what makes a title a deputy's, another than the one named after it: the deputy mayor is not the mayor, 副总裁 not 总裁
DEPUTY_EN = tuple(english for english, _ in DEPUTY_FORMS)  # deputy, vice, assistant
DEPUTY_ZH = tuple(dict.fromkeys(chinese for _, chinese in DEPUTY_FORMS))  # 副, 助理
DEPUTY = rf"(?:\b(?:{'|'.join(DEPUTY_EN)})[- ]+|{'|'.join(DEPUTY_ZH)})"

# "Who is the mayor of …?", 峰源新能源总裁是谁？: the title a who-question asks the holder of. A deputy's title
# (副总裁, deputy head) is its own; a bare 长 needs one character before it (市长, 馆长, 领队 is whole; Taiwan's 執行長 is
# a chief executive, not 行长, a bank's governor).
_ROLES_ZH = (r"(?:副|助理)?(?:董事长|秘书长|总干事|总经理|行政总裁|总裁|总监|主任|主席|书记|领队|教练|发言人|负责人|创始人|执行官|执行长|策展人"
             r"|召集人|注册官|指挥官|主管|督察|专员|[\u4e00-\u9fff]长)")
_ASKS_ROLE_ZH = re.compile(rf"(?P<role>{_ROLES_ZH})(?:是谁|叫什么|是哪位|由谁)|谁是[^?？]*?(?P<role2>{_ROLES_ZH})[?？]?$"
                           # one in charge of a service asks its head (负责人): testers' 悉尼韦弗利市政府的救生员服务由谁
                           # 负责？ ("Tom Lazaridis, Waverley Council's lifeguard services manager"), 波特兰负责城市林务的官员
                           # 是谁？ (not 负责这起事故调查的人是谁？, whose answer is "the safety board's investigator-in-charge",
                           # nor 谁负责设计…？, which asks no title)
                           # (and one who leads a project or a programme: 格拉斯哥長者免費驗眼計劃由哪位醫生主持？, 钟楼修复项目
                           # 是谁主持的？, testers' who-questions cited the lead above "Dr Fiona MacLeod, the consultant
                           # ophthalmologist who leads the programme")
                           r"|(?P<charge>由(?:谁|哪位[\u4e00-\u9fff]{0,3})(?:负责|主管|主持)[?？]?$|是谁(?:负责|主管|主持)的[?？]?$"
                           r"|负责[^?？，,。]{1,12}的官员(?:是谁|叫什么))")
_ROLES_EN = (rf"(?:(?:{'|'.join(DEPUTY_EN)}) )?(?:mayor|president|chairman|chairwoman|chair|(?:director|secretary)[- ]general|"
             r"director|leader|head|curator|"
             r"manager|coach|minister|governor|secretary|spokes(?:man|woman|person)|founder|chief executive|ceo|editor|"
             r"principal|(?:vice-)?chancellor|dean|commissioner|ambassador|captain|registrar|conven[eo]r|superintendent|"
             r"commander|inspector|cabinet member|councillor)")
# the titles that say no more than heading a body, whom "X, who heads the committee" names (not a director or a
# chief executive: "Megan Doyle, who heads the flood committee" is no area director of the agency)
_HEAD_ROLES = frozenset({"head", "chair", "chairman", "chairwoman", "chairperson", "leader"})
_ASKS_ROLE_EN = re.compile(rf"\bwho (?:is|was|are|were|will be)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,5}}?(?P<role>{_ROLES_EN})\b")
# the title a verb asks: "Who chairs the Hong Kong barbers' trade association…?" asks its chair (a tester's cited the
# lead above 商會主席鄧志雄)
_ROLE_VERBS_EN = {"chairs": "chair", "heads": "head", "leads": "leader", "runs": "head", "directs": "director",
                  "manages": "manager", "coaches": "coach", "captains": "captain", "is in charge of": "head"}
# (of a body: "Who leads the excavation?" asks no title, "Who leads the Shanghai civil affairs bureau?" its 局长)
_ASKS_ROLE_VERB_EN = re.compile(rf"^\s*who (?:currently |now )?(?:(?P<verb>chairs)\b|(?P<body_verb>"
                                rf"{'|'.join(v for v in _ROLE_VERBS_EN if v != 'chairs')})\b(?=[^?]*\b(?:bureau|office|"
                                r"department|association|society|federation|union|chamber|council|commission|committee|"
                                r"library|museum|hospital|academy|institute|school|agency|division|section|zoo|board|"
                                r"authority|administration|detachment|brigade|squad)\b))")
# what follows a Chinese title and its holder's name: a verb of saying, or the clause's end
# the verbs a speaker is named before (局长林国栋提醒市民…: a tester's who-question cited the paragraph quoting 局长 alone)
_SAYS_VERBS = "表示|介绍|说|指出|称|认为|透露|坦言|强调|提醒|呼吁|警告|解释|补充|宣布|预计|估计"
_SAYS = rf"(?:{_SAYS_VERBS}|则|也|在|[，,。（(：:])"
# when the holder spoke, between the name and the verb: 勞動部長林佳蓉會後表示, 局长王明日前称
_WHEN_SAID = r"(?:会后|会上|日前|近日|昨天|昨日|今天|今日|当天|当日|随后|此前|同日)?"


# a verb a holder quoted by title alone speaks with: 北市圖館長在記者會上這樣說, 副秘书长就价格战作出回应
_SPEAKS_ZH = rf"(?:{_SAYS_VERBS}|回应|告诉|就)"
_SPEAKS_EN = r"(?:said|says|told|added|warned|noted|explained|stressed)\b"
# (a name's word may have a capital inside: McLeish, MacRae, O'Brien)
_NAME_WORD = r"[A-Z](?:[a-z'’-]*[A-Z][a-z'’-]+|[a-z'’-]+)"  # (the capital inside first: McAllister was read "Mc")
_FULL_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
_HONORIFIC = r"(?:(?:Dr|Prof|Professor|Mr|Ms|Mrs)\.?\s+)?"
# what opens no person's name: a pronoun, a demonstrative, a body that speaks (该局表示, 市政府表示)
_NOT_PERSON_ZH = re.compile(r"^[他她它我你您该其这那此本各双对]|[局部会院司府厅处委所校署方者们员]$")


def asked_role(question: str) -> str | None:
    """The title a who-question asks the holder of (folded: 总裁, "mayor", "deputy head"), else None."""
    folded = normalize(question)
    if m := _ASKS_ROLE_ZH.search(folded):
        return m.group("role") or m.group("role2") or "负责人"
    if m := _ASKS_ROLE_EN.search(folded):
        return m.group("role")
    if m := _ASKS_ROLE_VERB_EN.search(folded):
        return _ROLE_VERBS_EN[m.group("verb") or m.group("body_verb")]
    return None


# what Chinese news writes after a holder's name: an honorific or a police rank (衞生署牙科服務主任黎詠芝醫生表示, 沙田警區
# 指揮官區嘉慧總警司表示: testers' who-questions cited the paragraph quoting the title alone)
_AFTER_NAME_ZH = r"(?:医生|博士|教授|先生|女士|律师|法官|议员|(?:高级|总)?警司|(?:总)?督察)"


def names_holder(sentence: str, role: str) -> bool:
    """Whether ``sentence`` names someone holding ``role`` (``asked_role``), as news introduces them: 公司总裁许文海介绍,
    "Mayor Rosalind Pryce said", "WaterWest's chief executive, Dana Okafor, said", "Dana Okafor, the chief
    executive"; not a deputy's title when the role is not one (副总裁刘珊 does not hold 总裁)."""
    if re.search(r"[\u4e00-\u9fff]", role):
        deputy = "" if role.startswith(DEPUTY_ZH) else "".join(f"(?<!{q})" for q in DEPUTY_ZH)
        folded = normalize(sentence)
        return bool(re.search(rf"{deputy}{role}(?:、[\u4e00-\u9fff]{{2,5}}|[（(][^）)]{{1,8}}[）)])?(?!{_WHEN_SAID}{_SAYS}|[还又亦])[\u4e00-\u9fff·]{{2,4}}?"
                              rf"{_AFTER_NAME_ZH}?{_WHEN_SAID}{_SAYS}", folded))
    title = rf"(?i:{re.escape(role)})"
    deputy = role.split()[0] in DEPUTY_EN
    # the body may come between ("Director of the Hong Kong Observatory Dr Tsang Ka-ho", "Secretary for Security
    # Wong Kwok-leung", "The council's director of city events, Claire Donnelly, said": a tester's who-question cited
    # "The director of city events said…" above it), and an honorific before the name
    body = r"(?:\s+(?:of|for)(?:\s+the)?(?:\s+[A-Z][\w'’&-]*){1,5}?)?"
    # (a body in lower case when commas set the name apart: "of Merchants' Associations" is no name)
    lower = r"\s+(?:of|for)(?:\s+the)?(?:\s+[\w'’&-]+){1,5}?"
    # ("Hamish Thornbury, the co-operative's chief executive"; "Councillor Megan Doyle, who heads the council's city
    # standards committee" for its chair, quoted by title alone the next paragraph: a tester's who-questions; "Tom
    # Lazaridis, Waverley Council's lifeguard services manager", four words before the title)
    # (a head leads or runs a body; one who chairs a group is its chair: "Pauline Irving, who chairs the Warwick Road flood
    # action group" is no 主管, a head, of the Environment Agency that a tester's who-question asked)
    verbs = "heads|leads|runs" if role.lower() in ("head", "leader") else "heads|leads|chairs|runs"
    # (or after a title of another kind: "Dr Fiona MacLeod, the consultant ophthalmologist who leads the programme")
    heads = (rf"|{_FULL_NAME},\s+(?:the\s+(?:[\w'’-]+\s+){{1,3}})?who\s+(?:{verbs})\b"
             if role.lower() in _HEAD_ROLES else "")
    return any(deputy or m.lastindex is None or not re.search(rf"{DEPUTY}$", sentence[:m.start(m.lastindex)].lower())
               for m in re.finditer(rf"\b({title}){body},?\s+{_HONORIFIC}{_FULL_NAME}"
                                    rf"|{_FULL_NAME},\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,4}}?({title})\b{heads}"
                                    rf"|\b({title}){lower},\s+{_HONORIFIC}{_FULL_NAME},", sentence))


def _by_title(title: str, chinese: bool) -> re.Pattern[str]:
    """A speaker quoted by a ``title`` (a pattern) alone, in folded text: 该协会会长表示, 館長在記者會上這樣說, 副局长还表示, "The
    TAT governor told reporters", "The president of the Federation of Merchants' Associations said"."""
    if chinese:
        return re.compile(rf"(?P<title>{title}){_WHEN_SAID}(?:在[^，。；]{{0,12}}?)?[还也又则亦]?{_SPEAKS_ZH}")
    return re.compile(rf"\b(?:the|its|their)\s+(?:[\w'’.-]+\s+){{0,4}}?(?P<title>{title})\b"
                      rf"(?:\s+(?:of|for|at)\s+[^,;\"“”]{{1,60}}?)?\s+{_SPEAKS_EN}")


def quotes_speaker(folded: str, name: str) -> bool:
    """Whether the (folded) text quotes ``name`` (folded) as a speaker: the name, then a verb of saying, after an
    apposition or where, when and to whom it was said (韩志刚在当天举行的新闻发布会上说, 钱慧芳对记者说, "kate brennan, director of
    trauma services…, said"; not "kerry walsh, operations manager for the department's westland district, said")."""
    at = re.escape(name)
    # (and the rest of a full name: "siriporn chaiyasit, governor of…, said" for Siriporn)
    return re.search(rf"{at}(?: [a-z'’-]+){{0,2}}(?:,[^.;]{{0,90}}?,)?\s+{_SPEAKS_EN}"
                     rf"|{at}[^，。；：“”]{{0,16}}?{_SPEAKS_ZH}", folded) is not None


def speaks_unnamed(text: str, role: str) -> bool:
    """Whether ``text`` quotes the holder of ``role`` (``asked_role``) by the title alone, with no name (``_by_title``);
    not a deputy's title when the role is not one."""
    chinese = bool(re.search(r"[\u4e00-\u9fff]", role))
    folded = normalize(text)
    deputy = role.startswith(DEPUTY_ZH) if chinese else role.split()[0] in DEPUTY_EN
    return any(deputy or not re.search(rf"{DEPUTY}$", folded[:m.start("title")])
               for m in _by_title(role if chinese else re.escape(role), chinese).finditer(folded))


def unnamed_speaker(text: str) -> str | None:
    """The title (folded) of a speaker ``text`` quotes by it alone (``_by_title``: 该协会会长表示 -> 会长, "The chief
    executive said" -> "chief executive"), else None."""
    folded = normalize(text)
    m = _by_title(_ROLES_ZH, True).search(folded) or _by_title(_ROLES_EN, False).search(folded)
    return m.group("title") if m else None


# a question asking for a person: who, 谁, 哪位官员, "which official"
_ASKS_PERSON = re.compile(r"^\s*who\b|\bwhich (?:official|officer|person|minister|executive|spokes\w+)\b|谁|哪一?位|什么人")


def asks_person(question: str) -> bool:
    """Whether ``question`` asks who (谁宣布…, 哪位官员说…, "Who heads …?")."""
    return bool(_ASKS_PERSON.search(normalize(question)))


_SENTENCE_END = re.compile(r"[。！？](?![”」])|[.!?](?=\s|$)")  # not a full stop inside a quote: “…。”邵明远说。


def opens_with_speaker(paragraph: str) -> int | None:
    """Where the sentence ends that opens ``paragraph`` by naming who speaks (洪淑芬表示，…; "“…。”邵明远说。";
    "Siriporn Wattanachai said airlines…"), else None."""
    m = (re.match(rf"(?:“[^”]*”|「[^」]*」)?([\u4e00-\u9fff·]{{2,4}}?){_WHEN_SAID}(?:{_SAYS_VERBS})",
                  normalize(paragraph))
         if re.match(r"[“「]?[\u4e00-\u9fff]", paragraph) else None)
    if m and _NOT_PERSON_ZH.search(m.group(1)):
        m = None
    if m is None:
        m = re.match(rf"(?:[“\"][^”\"]*[”\"],?\s+)?{_HONORIFIC}(?!The\b|This\b|It\b)"
                     rf"{_FULL_NAME}\s+(?:also\s+)?{_SPEAKS_EN}", paragraph)
    if m is None:
        return None
    found = _SENTENCE_END.search(paragraph, m.end())
    return found.end() if found else len(paragraph)


def holder_named_next(text: str, end: int, roles: Sequence[str]) -> tuple[int, int] | None:
    """The sentence (document offsets) that names the holder of one of ``roles`` in the paragraph after the one
    ending at ``end``, when that paragraph quotes the holder by title alone and the next opens with who speaks:
    "「…圖書館必須跟著改變。」北市圖館長在記者會上這樣說。" and then "洪淑芬表示，今年將再增加3萬種電子書" (a tester's
    "Who is the director of Taipei Public Library?"); news names a speaker once, and not always beside the title."""
    if not re.match(r"[ \t]*(?:\n|$)", text[end:]):
        return None
    paragraph = text[text.rfind("\n", 0, end) + 1:end]
    if not any(speaks_unnamed(paragraph, r) for r in roles) or names_any_holder(paragraph, roles):
        return None
    start = end + len(text[end:]) - len(text[end:].lstrip())
    line_end = text.find("\n", start)
    stop = opens_with_speaker(text[start:line_end if line_end >= 0 else len(text)])
    return (start, start + stop) if stop else None


# a name in Latin letters: two capitalised words or more (a sentence's first word may open it: "The Norhaven
# Philharmonic"), its letters Latin only (\w would run on into Chinese: "Block II火箭发射职位中")
LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z0-9À-ÿ'’-]*(?:\s+[A-Z][A-Za-z0-9À-ÿ'’-]*)+")


def name_words(run: str) -> frozenset[str]:
    """The words of a name in Latin letters (``LATIN_NAME``) that tell it apart, folded: not "The" opening a
    sentence, a pronoun or an honorific ("She", "Mr")."""
    return frozenset(w for w in normalize(run).split() if w not in ENGLISH_STOPWORDS and w not in _NOT_NAMES)


_NOT_NAMES = frozenset("his her he she they we i mr ms mrs dr".split())


def names_any_holder(sentence: str, roles: Sequence[str]) -> bool:
    """Whether ``sentence`` names the holder of one of ``roles`` (a title as asked and its forms in the other
    language: "ceo" and 首席执行官), as ``names_holder`` reads them."""
    return any(names_holder(sentence, role) for role in roles)


def answers_kind(question: str, sentences: list[str], roles: Sequence[str] = ()) -> list[bool]:
    """For each sentence, whether it states the kind of answer the question asks for (the holder of a title for who
    is the mayor, a reason for why, a time of day, a span of time or a length for how long, a sum of money for how
    much revenue or cost, a share for what rate or proportion, an amount that is no date or code, a time, for a day
    asked also a weekday); all False when the question asks for none. ``roles``: the title's forms in the other language
    (Query.roles). A dateline opening a sentence is the story's, not an answer's: "DUBLIN, 18 November 2026 —
    Halvard Data has agreed to buy…" stated a time for "On what day is the Brennock wind farm expected to deliver
    its first electricity?" (a tester's question), and every lead does."""
    sentences = [s[dateline_length(s):] for s in sentences]
    if role := asked_role(question):
        return [names_any_holder(s, (role, *roles)) for s in sentences]
    states = kind_asked(question)
    return [states(s) for s in sentences] if states else [False] * len(sentences)


# "Which of the three fabs…", 三家芯片厂中，哪一家…: one of a set the article lists, often in the paragraph before
# (not 哪位, a person: who; a superlative ending the question, not 最低工资's)
_ASKS_CHOICE = re.compile(r"\bwhich (?:one )?of\b|中[，,]?哪一?[家个座款所间条种只项部]|哪一?[家个座款所间条种只项部][^?？]{0,30}"
                          r"最[\u4e00-\u9fff]{1,2}[?？]?$"
                          # "Which household registration office in Kaohsiung was the busiest on Qixi?"
                          r"|^\W*which\b[^?]{0,80}?\bthe (?:most|least|fewest|busiest|largest|biggest|highest|lowest|"
                          r"smallest|best|worst|fastest|cheapest|oldest)\b")
# the sentence that picks one of them: 其中…, "Of the three…", "… is the one that …", or a superlative
_CHOICE = re.compile(r"^\W*其中|^\W*(?:of|among) (?:the|these|those|them|all)\b|\bthe one (?:that|which|where|to)\b"
                     r"|最[\u4e00-\u9fff]|\b(?:most|least|largest|biggest|highest|lowest|smallest|only)\b|\b\w{3,}est\b"
                     # (not a span's first: "in the first ten months of the year" picks none, and kept a lead first)
                     r"|\bfirst\b(?!\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|"
                     r"quarter|day|week|month|year|time)s?\b)")


def asks_choice(question: str) -> bool:
    """Whether ``question`` asks which one of a set (which of the three…, …中，哪一家…)."""
    return bool(_ASKS_CHOICE.search(normalize(question)))


def states_choice(text: str) -> bool:
    """Whether ``text`` picks one of a set (``_CHOICE``: 其中，皖晶半导体一期工厂的规模最大; "The Lorain Works … is the
    one that will be converted"); the paragraph listing them (这三座工厂分别是…) picks none, nor the line opening a
    table or a list ("Sales and prices at the three biggest bakeries:", cited first for 巴生谷三大饼家中，哪一家月饼卖得最多？)."""
    folded = normalize(text)
    return bool(_CHOICE.search(folded)) and "分别是" not in folded and not folded.rstrip().endswith(":")


# Superlatives of one meaning in either language: a question asking which one sold "the most" is answered by 其中姑苏福记
# 销量最大, not by 四到六只装的小礼盒最好卖 of the same story, nor "the fastest-growing line" by "sold the most"
_SUPERLATIVES = {
    "most": r"最多|最大|最高|\b(?:the )?most\b(?! (?!\w+ed\b)\w+(?:ful|ous|ive|ant|ent|able|ible|al|ic)\b)|\blargest\b|\bbiggest\b|\bhighest\b",
    "least": r"最少|最小|最低|\bleast\b|\bfewest\b|\bsmallest\b|\blowest\b",
    "busiest": r"最繁忙|最忙|\bbusiest\b",
    "popular": r"最受欢迎|最热门|最畅销|\bmost popular\b|\bbest[- ]selling\b",
    "fastest": r"最快|\bfastest\b",
    "best": r"最好|最佳|最优|\bbest\b",
    "cheapest": r"最便宜|最低廉|\bcheapest\b",
    "oldest": r"最老|最古老|历史最悠久|\boldest\b",
}
_SUPERLATIVE_PATTERNS = {kind: re.compile(p) for kind, p in _SUPERLATIVES.items()}


def asked_superlative(question: str) -> str | None:
    """The superlative a which-one question asks by (``_SUPERLATIVES``' names), else None: a more particular one
    first (most popular before most)."""
    q = normalize(question)
    found = [kind for kind, p in _SUPERLATIVE_PATTERNS.items() if p.search(q)]
    return "popular" if "popular" in found else found[0] if found else None


def states_superlative(text: str, kind: str) -> bool:
    """Whether ``text`` writes the superlative ``kind`` (``asked_superlative``'s names)."""
    return bool(_SUPERLATIVE_PATTERNS[kind].search(normalize(text)))


def kind_asked(question: str) -> Callable[[str], bool] | None:
    """Whether a text states the kind of answer ``question`` asks (``answers_kind``, a title's holder aside), as a
    test of a text; None when it asks none of them."""
    if asks_choice(question):
        return states_choice
    if asks_reason(question):
        return states_reason
    if asks_clock(question):
        return states_clock
    folded = normalize(question)
    if _ASKS_SPAN.search(folded):
        return states_span
    if asks_money(question):
        return states_money
    if asks_share(question):
        return states_share
    if _ASKS_COUNT.search(folded):
        return states_count
    if asks_amount(question):
        return states_quantity
    if asks_time(question):
        day = bool(_ASKS_DAY.search(folded))
        return lambda s: states_time(s) or day and states_day(s)
    return None


# a speaker quoted by a title alone after a demonstrative, the title read whole (该协会理事长指出: 协会理事长), and in
# English by any title (``_by_title``: "The head of operations said", "The chief veterinary officer said": head, officer)
_TITLE_ALONE_ZH = re.compile(rf"[该这此其](?P<title>[\u4e00-\u9fff]{{2,10}}?){_WHEN_SAID}(?:在[^，。；]{{0,12}}?)?[还也又则亦]?"
                             rf"{_SPEAKS_ZH}")
_TITLE_ALONE_EN = _by_title(r"[a-z][\w'’-]*", False)


# what speaks in English news as a body, no one's title: "The service says Edinburgh and Aberdeen have held similar
# drives" is not Dr Morag Kinnear, "the service's director of donor services", speaking
_BODIES_EN = frozenset("service council department agency bureau ministry government company authority association "
                       "board office police court committee commission group team university hospital trust firm "
                       "operator club city union organisers organizers airline airport port network society institute "
                       "centre center foundation charity report survey study data figures statement".split())


def _titles_alone_en(folded: str) -> list[re.Match[str]]:
    return [m for m in _TITLE_ALONE_EN.finditer(folded) if m.group("title") not in _BODIES_EN]


def quotes_by_title(text: str) -> bool:
    """Whether ``text`` quotes someone by a title alone (``quotes_named_by_title``'s other passage)."""
    folded = normalize(text)
    return bool(_TITLE_ALONE_ZH.search(folded) or _titles_alone_en(folded))


def quotes_named_by_title(question: str, named: str, other: str, forms: Collection[str] = ()) -> str:
    """The name (as ``named`` writes it) when ``other`` quotes by a title alone (该协会理事长指出, "The head of operations
    said") someone ``named`` writes with that title beside a name the question writes (or whose Chinese ``forms`` it
    writes in Latin letters: Han Zhigang's 韩志刚): "Graham Pettifer, the DVSA's head of operations for the
    South West, said…" and then "The head of operations said the agency had taken on 38 new examiners", 台湾钢琴调音技术
    协会理事长林振宏表示 and then 該協會理事長指出…二千八百元. News names a speaker once and then by title; a question naming
    him asks what he said wherever it is said. "" when it does not."""
    folded_named, folded_other, folded_question = normalize(named), normalize(other), normalize(question)
    for m in _TITLE_ALONE_ZH.finditer(folded_other):
        title = m.group("title")
        # the title's end (局长 of 生态环境局局长) written before a name the question writes
        for tail in {title[i:] for i in range(len(title) - 1)}:
            for found in re.finditer(rf"{re.escape(tail)}(?P<name>[\u4e00-\u9fff·]{{2,4}})", folded_named):
                # (the name before the verb that follows it: 局长周怡君说, the question's 周怡君说…)
                name = re.split(_SAYS_VERBS, found.group("name"))[0]
                if len(name) >= 2 and (written := next(
                        (name[:n] for n in (4, 3, 2) if n <= len(name)
                         and (name[:n] in folded_question or name[:n] in forms)), "")):
                    return written
    asked = {w.lower() for w in re.findall(_NAME_WORD, question)} - ENGLISH_STOPWORDS - _NOT_NAMES
    if not asked:
        return ""
    for m in _titles_alone_en(folded_other):
        title = re.escape(m.group("title"))
        # (a whole run of capitalised words: "Associate Professor Kate Brennan, director of trauma services" is read
        # as one, where a name of two or three words found "Associate Professor Kate")
        for name in re.finditer(rf"{_NAME_WORD}(?:\s+{_NAME_WORD})+", named):
            if not asked & {w.lower() for w in name.group().split()}:
                continue
            after, before = named[name.end():name.end() + 120], named[max(0, name.start() - 120):name.start()]
            if (re.match(rf",\s+(?:the\s+)?(?:[\w'’.-]+\s+){{0,3}}?{title}\b", after, re.I)
                    or re.search(rf"\b{title}(?:\s+(?:of|for|at)\s+[^,.;]{{1,60}}?)?,?\s+{_HONORIFIC}$", before, re.I)):
                return name.group()
    return ""
