"""The regular expressions of deadline extraction, and the word lists they are built from. Pure.

Each ``*_RE`` matches one shape of time constraint (see :mod:`.deadlines` for how a match is
judged); the ``*_AFTER_RE`` / ``*_BEFORE_RE`` patterns read the words around a match that make
it a duty, a target, history or a forecast.
"""

from __future__ import annotations

import re

CN = "〇零一二两三四五六七八九十"
YEAR = r"(?:(?:19|20)\d{2}|[〇零○一二][〇零○一二三四五六七八九]{3})"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|[一二三四五六七八九])"
REL_YEAR = r"(?:当年|今年|本年|同年|明年|次年|翌年|去年|上年)"
PRE = r"(?:截止到|截至到|截至|截止|不晚于|不迟于|最迟于?|最晚于?|力争|争取|确保|每学年|每年度?|到|至|于|在|自|从)"
END_SUF = r"(?:(?:之|以)?前(?!后|款|述|列|者|沿|提下|提条件)|为止|止(?!于)|截止)"
START_SUF = r"起(?!草|步|点|诉|见|码|源|因|伏|立|来|初)"
# 10月15日（星期五）17:00前: a weekday and a clock time may sit between the day and 前.
DAY_NOTE = r"(?:[（(](?:星期|周)[一二三四五六日天][）)])?(?:\d{1,2}[:：]\d{2}|\d{1,2}(?:时|点))?"
RANGE_SEP = r"(?:至|到|—|–|-|～|~|－)"
# Words that say a bare date is a schedule or a duty, not a historical event.
CONTEXT_BEFORE_RE = re.compile(
    r"(?:于|在|截至|截止|截止到|到|至|自|从|不晚于|不迟于|最迟|最晚|时间为?|日期为?|时限为?|期限为?"
    r"|定于|定在|须在|应在|需在|务必|确保|力争)[:：]?$"
)
CONTEXT_AFTER_RE = re.compile(r"^(?:之间|期间)?(?:开始|结束|完成|截止|举行|启动|报送|上报|提交|实施|施行|前后)")
# After a bare day: words that make it a due date rather than the day something happened.
DUTY_AFTER_RE = re.compile(r"^(?:前后)?(?:须|应|要|需)?(?:完成|提交|报送|上报|截止|到位|结束|报到|报名|到期)")
# History: 于2月24日又进行了升级 / 3月17日印发的… / 早在2004年.
HISTORY_AFTER_RE = re.compile(
    r"^(?:[^，。；;,]{0,14}?(?:了|已经|已|曾|又|正式|以来|至今|之际)|印发|召开|发布|颁布|出台|公布|签署|成立|作出)"
)
HISTORY_BEFORE_RE = re.compile(r"(?:早在|早于|曾在|曾于|已在|已于|早已|先后)$")
COMPLETION_AFTER_RE = re.compile(
    r"^[，,]?(?:要|须|需|应|必须|务必|全面|基本|力争|确保|初步|全部|率先|如期|按期|逐步)?"
    r"(?:完成|实现|建成|建立|达到|形成|落实|出台|制定|启动|覆盖|取消|到位|完善|具备|消除|解决"
    r"|退出|关闭|淘汰|停止|不再|提交|报送|上报|开展|部署|印发|健全|构建|打造|推广|整改|验收|收官)"
)
FORECAST_AFTER_RE = re.compile(r"^[，,]?(?:将|会|仍|还|持续|预计|预测|可能|有望|一直|都)")

# Absolute dates with a month: 每年3月底前 / 2020年4月30日前 / 7月10日至15日 / 当年8月底.
MONTH_DATE_RE = re.compile(
    rf"(?P<pre>{PRE})?"
    rf"(?:(?P<y>{YEAR})年(?:度)?|(?P<ry>{REL_YEAR}))?"
    rf"(?<![\d{CN}统单唯同专第个每])(?P<m>{MONTH})月(?:份)?"
    rf"(?:(?P<d>{DAY})[日号]{DAY_NOTE}"
    rf"(?:{RANGE_SEP}(?:(?P<y2>{YEAR})年)?(?:(?P<m2>{MONTH})月)?(?P<d2>{DAY})[日号]{DAY_NOTE})?"
    rf"|(?P<part>上旬|中旬|下旬|初|中(?!央|国|心|小|华|共|期)|底|末)"
    rf"|{RANGE_SEP}(?:(?P<yr>{YEAR})年)?(?P<mr>{MONTH})月(?:份)?(?P<partr>上旬|中旬|下旬|底|末)?)?"
    rf"(?:(?P<endsuf>{END_SUF})|(?P<startsuf>{START_SUF})(?P<eff>施行|实施|执行|生效)?)?"
)
# Month parts with the month left implicit: 月底之前 (after 7月10日…), 本月底, 每月底.
BARE_MONTH_PART_RE = re.compile(
    rf"(?<![\d{CN}个年])(?P<rel>本|当|次|下|每)?月(?P<part>底|末|上旬|中旬|下旬)(?P<endsuf>{END_SUF})?"
)
# Year-level: 到2022年 / 2018年底前 / 2020年第一季度 / 自2020年起 / 力争2020年.
YEAR_RE = re.compile(
    rf"(?P<pre>{PRE})?(?P<y>{YEAR})年(?:度)?(?!\d|[{CN}]{{1,2}}月|\s*[—–\-～~－至到]\s*{YEAR})"
    rf"(?P<part>年底|年末|底|末|上半年|下半年|内|第?[一二三四1-4]季度(?:末|底)?)?"
    rf"(?:(?P<endsuf>{END_SUF})|(?P<startsuf>{START_SUF})(?P<eff>施行|实施|执行|生效)?)?"
)
# Year-level without digits: 年底前 / 当年年底 / 年内 / 上半年 / 第三季度.
REL_PERIOD_RE = re.compile(
    rf"(?P<pre>每年|{PRE})?(?P<ry>{REL_YEAR})?"
    rf"(?:(?<![\d{CN}学几多半数近全同去明次本当今上下第])(?P<p>年底|年末|年内)"
    r"|(?<![本上下每])(?P<half>上半年|下半年)"
    rf"|(?<![本上下每\d{CN}])(?P<q>第?[一二三四1-4])季度(?P<qe>末|底)?)"
    rf"(?P<endsuf>{END_SUF})?"
)
HALF_FALSE_AFTER_RE = re.compile(r"^(?:的|以来|召开|举行|举办|发布|印发|出台|已|共|全国|全市|全省)")
# Relative limits: 30日内 / 三个月之内 / 10个工作日内.
RELATIVE_CORE_RE = re.compile(
    rf"(?<![\d{CN}近])(?P<n>\d+|[{CN}]+|半)\s*(?:个)?"
    r"(?:工作日|自然日|日|天|周|星期|个月|月|年|学期|小时)(?:之|以)?内"
)
RELATIVE_ANCHOR_RE = re.compile(
    r"印发|发布|收到|接到|开学|报到|结束|批准|下达|公布|截止|签订|确定|成立|入学|毕业|受理|提交"
    r"|申请|作出|发生|完成|返校|立项|验收|到期|届满|通知|生效|施行|实施|下发|备案|认定|录取|评审"
)
RELATIVE_PAST_RE = re.compile(r"(?:近|最近|过去|以往|前|下|上|本|该|同|当|这|此)$")
EFFECTIVE_RE = re.compile(r"自(?:本\w{1,4}|印发|发布|公布|下发|颁布)之日起(?:施行|实施|执行|生效)")
TARGET_CENTURY_RE = re.compile(r"(?:到|至)本世纪(?:中叶|末|中期|二十年代|三十年代)")

RECURRENCE_WORDS = {
    "年": "yearly", "年度": "yearly", "学年": "yearly", "学期": "semester", "半年": "semester",
    "季度": "quarterly", "季": "quarterly", "月": "monthly", "个月": "monthly",
    "周": "weekly", "星期": "weekly", "天": "daily", "日": "daily",
}  # fmt: skip
RECURRENCE_RE = re.compile(
    r"每(?P<w>学年|学期|半年|季度|年度|个月|星期|年|季|月|周|天|日)(?!级|经济|新闻|电讯|邮报|商报|人|生)"
    r"(?P<wd>[一二三四五六日天1-7末](?![\u4e00-\u9fff]{0,1}[月号]))?"
)
EVERY_N_RE = re.compile(rf"每(?P<n>\d+|[{CN}]+)(?:个)?(?P<w>年|学年|学期|月|周|季度)")
EVERY_MONTH_DAY_RE = re.compile(rf"每月(?P<d>{DAY})[日号](?P<endsuf>{END_SUF})?")
ANNUAL_REPORT_RE = re.compile(r"年度(?:工作)?(?:报告|总结|计划)|按(?:年度|季度|学期|月|周)(?!期|份|计|末|薪|息)")
# A rate, not a duty: 每生每年不低于30元, 每周不少于1课时, 每年上市新车型不低于15款.
RATE_TAIL_RE = re.compile(
    r"^[^，。；;,]{0,12}?(?:(?:不低于|不少于|不超过|不高于|不多于|不得超过|不得少于|不得低于|最高|最多|最低"
    r"|超过|低于|高于|多于|平均|约|达到?)\s*[\d一二三四五六七八九十两百千万半]"
    r"|[\d一二三四五六七八九十两百千万半]+(?:\.\d+)?\s*(?:万|亿|千|百)?\s*"
    r"(?:元|个|名|人|款|项|家|件|所|课时|学时|小时|分钟|天|户|篇|门|节|辆|台|套|批次|场|册|期))"
)
RATE_COUNT_OK_RE = re.compile(r"^[^，。；;,]{0,12}?[\d一二三四五六七八九十两]+\s*(?:次|轮|遍)")
RATE_BEFORE_RE = re.compile(r"(?:每[生人名户位家所个]|人均|生均|年均)$")
NEGATION_RE = re.compile(r"不得|严禁|禁止|不准|不能|不宜|不再|避免|杜绝")
CLAUSE_BREAK_RE = re.compile(r"[。；;！!？?\n]")
