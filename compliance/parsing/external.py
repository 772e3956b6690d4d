"""External bodies: the names a policy document prints that are not a university's departments.

A provincial or national plan lists its own responsible units (省发展改革委, 工业和信息化厅,
郑州市政府, 教育部 …) and addresses collectives (各地, 各高校, 各市县 …). Such a name is the
document's addressee, never a department's alias. Recognised by shape:

- a government prefix: 省/市/县/区, 国家, 国务院, 中央, 全国, a province or "…市/县/区" name, 省委, 市委;
- a collective: 各地, 各高校, 各市县, 各省辖市, 有关部门, 省直有关单位 …;
- a government suffix: …厅, …局, …总队, …分行, …政府, …管委会, a central ministry (教育部, 财政部 …),
  or a commission (…发展改革委, …卫生健康委, …教委).

Names the directory knows (教务处, 宣传部, 团委, alias 网信办 …) are matched before this is asked,
so an internal 部 or 委 is never mistaken for an external one. The office keeps more names on a list.

Pure: strings in, booleans and lists out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|"
    "海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PREFIX = re.compile(
    r"^(?:中共)?(?:省|市|县|区|州|国家|国务院|中央|全国|中办|国办|中组部|中宣部|自治区|"
    rf"(?:{PROVINCES})(?:省|市|自治区)?|[\u4e00-\u9fff]{{2,4}}(?:省|市|县|区|自治州|盟))"
)
_COLLECTIVE = re.compile(
    r"^(?:各地|各省|各市|各县|各区|各级|各高校|各高等学校|各有关高校|有关高校|部属各高等学校|部省合建各高等学校|"
    r"各地方|地方各级|各有关部门|有关部门|有关单位|有关企业|各有关单位|省直|市直|各省辖市|各地市|各市县|各区县|"
    r"各乡镇|各街道|各行业|行业主管部门)"
)
_SUFFIX = re.compile(r"(?:厅|局|总队|支队|分行|银行|政府|管委会|监管局|办公厅|工委|人大|政协|法院|检察院)$")
MINISTRIES = frozenset(
    "教育部 科技部 科学技术部 财政部 公安部 民政部 司法部 外交部 国防部 商务部 水利部 审计署 "
    "工业和信息化部 工信部 人力资源社会保障部 人力资源和社会保障部 人社部 自然资源部 生态环境部 "
    "住房城乡建设部 住房和城乡建设部 交通运输部 农业农村部 文化和旅游部 应急管理部 退役军人事务部 "
    "国家发展改革委 国家发展和改革委员会 国家卫生健康委 国资委 国务院国资委 中国人民银行 人民银行 "
    "共青团中央 全国妇联 中国科协 中国科学院 中国工程院 国家自然科学基金委员会".split()
)
# …委 is a commission of a government (发展改革委, 卫生健康委, 教委, 住房城乡建委, 网信委 …); the
# university's own 党委, 纪委 and 团委 are in the directory and matched first.
_COMMISSION = re.compile(
    r"(?:发展改革委|发改委|卫生健康委|卫健委|教委|建委|经信委|科委|网信委|编委|国资委|工信委|农委)$"
)
_PUNCT = re.compile(r"[\s（）()【】\[\]〔〕]")


def normalise(name: str) -> str:
    return _PUNCT.sub("", name or "")


def is_external_body(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether a printed unit name is an external body (call after the directory found no department)."""
    key = normalise(name)
    if not key:
        return False
    if key in {normalise(n) for n in extra}:
        return True
    if key in MINISTRIES or _COLLECTIVE.match(key) or _COMMISSION.search(key):
        return True
    if _PREFIX.match(key) and len(key) >= 3:
        return True
    return bool(_SUFFIX.search(key)) and len(key) >= 3


_ADDRESSEE_LINE = re.compile(r"^[^。；;！？!?]{2,200}[：:]$")


def addressee_names(body: str, *, within: int = 40) -> list[str]:
    """The 主送 names of a notice: the first line near the top that lists external bodies and ends with ：.

    "各省辖市人民政府，济源示范区、航空港区管委会，省人民政府各部门：" gives three names (the 、
    inside "济源示范区、航空港区管委会" joins two parts of one name and is kept). Nothing is returned
    when no such line is found.
    """
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()][:within]
    for line in lines:
        if not _ADDRESSEE_LINE.match(line):
            continue
        parts = [p for p in re.split(r"[，,；;]", line.rstrip("：:")) if p.strip()]
        if parts and sum(is_external_body(p) for p in parts) * 2 >= len(parts):
            return [p.strip() for p in parts]
    return []
