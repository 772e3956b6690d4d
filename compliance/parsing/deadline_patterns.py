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
EFFECTIVE_RE = re.compile(r"[自从](?:本\w{1,4}|印发|发布|公布|下发|颁布)之日起(?:施行|实施|执行|生效)")
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
# A rate or a statistic, not a duty: 每生每年不低于30元, 每年资助经费最高不超过100万元,
# 每年培养超过1000万名毕业生.  (每周不少于1课时, 每年遴选10个 are duties done every period.)
RATE_TAIL_RE = re.compile(
    r"^[^，。；;,]{0,14}?(?:[\d一二三四五六七八九十两百千万半]+(?:\.\d+)?\s*(?:万|亿|千|百)?\s*元"
    r"|(?:超过|达到?|约|近|逾)\s*[\d一二三四五六七八九十两百千]+(?:\.\d+)?\s*(?:万|亿))"
)
# Durations: 为期三个月, 试点期3年, 有效期为三年, 连续3年, 经过5至10年, 至少公示10个工作日,
# 确保3个月消除…, 三年净增300人.  ``pre`` names the span; without it a result must follow.
DURATION_RE = re.compile(
    rf"(?<![\d.{CN}百千])(?P<n>\d{{1,3}}(?:\s*[—–\-～~至到]\s*\d{{1,3}})?|[{CN}]{{1,3}}(?:\s*[至到]\s*[{CN}]{{1,3}})?|半)"
    r"\s*(?P<u>个工作日|个自然日|工作日|自然日|个多?月|个学期|个学年|学期|学年|年|周|天|日|小时)(?P<post>左右)?"
)
# The word before a duration that names the span (read backwards from the number).
DURATION_PRE_RE = re.compile(
    r"(?:为期|期限(?:一般)?为|有效期(?:均)?(?:为)?|周期为|试点期(?:为)?|试行期(?:为)?|建设期(?:为)?|服务期(?:调整)?为"
    r"|实施期(?:限)?(?:一般)?为|顺延"
    r"|连续|经过|用|历时|保留|公示(?:期)?|不少于|至少|不低于|满)$"
)
DURATION_RESULT_RE = re.compile(
    r"^(?:左右)?(?:时间|的时间|努力)?[，,]?(?:基本|全面|初步|力争|确保)?"
    r"(?:净增|新增|增加|增长|达到|实现|完成|建成|消除|见到|见成效|取得|大提升|提升|解决|覆盖|形成|培养)"
)
# Not a duration: a condition (…经历, …的，), history (三年来) or a plan's name (三年行动计划).
DURATION_NOT_AFTER_RE = re.compile(
    r"^[^，。；;]{0,18}?(?:经历|工龄|教龄|以上的|行动计划|规划|计划)|^[^，。；;]{0,12}的[，,]|^(?:来|以来|前)"
)
DURATION_NOT_BEFORE_RE = re.compile(r"(?:成立|从教|任教|工作|从事|具有|具备|须有|需有|有|累计|已|已经|近)$")
# Cycles: 以5年为一周期, 五年一个建设周期.
CYCLE_RE = re.compile(
    rf"(?:以(?P<n>\d{{1,2}}|[{CN}]{{1,3}})(?:个)?(?:年|学年|学期|月)为一(?:个)?(?:建设|评估|考核|评价)?(?:周期|轮)"
    rf"|(?<!每)(?<![\d{CN}])(?P<m>\d{{1,2}}|[{CN}]{{1,3}})(?:个)?年一(?:个)?(?:建设|评估|考核|评价)?(?:周期|轮|届))"
)
# Event windows: 中高考结束后至暑假前, 寒假期间, 寒假和春节期间, 岁末年初.
_HOLIDAY = r"(?:寒暑假|寒假|暑假|春节|国庆|元旦|节假日|假期|汛期|开学初|学期末|期末)"
WINDOW_RE = re.compile(
    r"(?:中高考|高考|中考|期末考试|考试|学期|学年|军训|实习|录取|报名)(?:结束|开始)?后至(?P<b>[\u4e00-\u9fff]{1,4}?)前"
    rf"|{_HOLIDAY}(?:[和与及、]{_HOLIDAY})?(?:前|期间|内)"
    r"|岁末年初"
)
# An event the duty must precede: 在正式投档前完成, 于方案实施前10天报送; a relative period:
# 下一学期内, 在当年执行完毕.
EVENT_BEFORE_RE = re.compile(
    r"(?:在|于)(?P<e>[\u4e00-\u9fff]{2,12}?)前(?:(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})个?(?:工作日|天|日|周|月))?"
    r"(?=完成|报|提交|上报|办结|到位|\d|[一二三四五六七八九十])"
)
RELATIVE_SPAN_RE = re.compile(
    r"(?:下一?|本|当|次)(?:学期|学年|年度|年|月)(?:内|以内)|(?:在|于)当(?:年|学期|月)(?=内|执行|完成|办结|使用|用完)"
)
# A period of years with a word that makes it a schedule: 第二阶段为2019年至2020年.
YEAR_WINDOW_RE = re.compile(
    rf"(?P<pre>为|在|于|从|自)(?P<y1>{YEAR})(?:年(?:度)?)?\s*[至到—–\-～~－]\s*(?P<y2>{YEAR})年(?:度)?(?!\d|[{CN}]{{1,2}}月)"
)
RATE_BEFORE_RE = re.compile(r"(?:每[生人名户位家所个]|人均|生均|年均)$")
NEGATION_RE = re.compile(r"不得|严禁|禁止|不准|不能|不宜|不再|避免|杜绝")
CLAUSE_BREAK_RE = re.compile(r"[。；;！!？?\n]")
