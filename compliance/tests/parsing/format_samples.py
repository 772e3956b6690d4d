"""Three documents of different shapes, written for the format tests (see :mod:`.typeset`)."""

from __future__ import annotations

from .typeset import Block


def regulation() -> list[Block]:
    """A regulation: 章/条 with （一） lists, a date line in brackets under the title."""
    return [
        Block("title", "某某大学科研项目经费管理办法"),
        Block("subtitle", "（2024年6月5日校长办公会审议通过）"),
        Block("centre", "第一章 总则"),
        Block(
            "para",
            "第一条 为规范学校科研项目经费管理，提高经费使用效益，根据国家有关科研经费管理的规定，"
            "结合学校实际，制定本办法。",
        ),
        Block("para", "第二条 本办法适用于以学校名义承担的各类纵向、横向科研项目经费的管理。"),
        Block("centre", "第二章 管理职责"),
        Block("para", "第三条 学校科研经费实行“统一领导、分级管理、责任到人”的管理体制。"),
        Block("para", "第四条 科学技术处履行下列职责："),
        Block("para", "（一）负责科研项目的立项、合同管理和过程管理；"),
        Block("para", "（二）会同财务处审核项目预算及预算调整事项；"),
        Block("para", "（三）每年3月31日前组织开展上一年度科研经费使用情况自查。"),
        Block(
            "para",
            "第五条 财务处负责科研经费的会计核算、资金拨付和财务决算工作，"
            "并于每年12月15日前完成年度经费决算，向项目负责人提供经费使用明细。",
        ),
        Block("centre", "第三章 附则"),
        Block("para", "第六条 本办法由科学技术处和财务处负责解释。"),
        Block("para", "第七条 本办法自2024年9月1日起施行。"),
    ]


def notice() -> list[Block]:
    """A notice with a masthead, 文号, a two-line title, 一、/（一）/1. items and a signature."""
    return [
        Block("masthead", "某某大学文件"),
        Block("docno", "某大发〔2024〕12号"),
        Block("title", "关于进一步加强和改进新时代研究生教育教学管理工作推进高质量发展的通知"),
        Block("para", "各学院、各部门："),
        Block(
            "para",
            "为深入贯彻全国研究生教育会议精神，全面提高研究生培养质量，经学校研究决定，"
            "现就进一步加强研究生教育教学管理工作通知如下。",
        ),
        Block("para", "一、提高思想认识"),
        Block(
            "para",
            "各学院要充分认识研究生教育在学校事业发展中的重要地位，把研究生教育摆在更加突出的位置，"
            "切实履行培养主体责任。",
        ),
        Block("para", "二、重点任务"),
        Block("para", "（一）完善培养方案。"),
        Block(
            "para",
            "1.修订培养方案。各学院要在2024年9月30日前完成学术学位和专业学位研究生培养方案修订工作，"
            "突出分类培养。（牵头单位：研究生院；配合单位：各学院）",
        ),
        Block(
            "para",
            "2.加强课程建设。每年遴选建设一批研究生核心课程和精品案例库，推进课程思政建设。"
            "（牵头单位：研究生院；配合单位：教务处、各学院）",
        ),
        Block("para", "（二）强化导师队伍建设。"),
        Block(
            "para",
            "3.落实导师立德树人职责。建立导师岗位动态管理制度，2024年12月31日前出台导师考核办法。"
            "（牵头单位：研究生院；配合单位：人事处）",
        ),
        Block("para", "三、保障措施"),
        Block("para", "各学院要加强组织领导，落实经费保障，每学期向研究生院报送一次工作进展。"),
        Block("sign", "某某大学"),
        Block("sign", "2024年6月18日"),
    ]


TASK_ROWS = [
    ["序号", "任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "修订本科专业人才培养方案，增加实践教学学分比例", "教务处", "各学院", "2024年9月30日前"],
    ["2", "建设校级一流本科课程50门", "教务处", "各学院", "2025年6月30日前"],
    ["3", "完善实验室安全管理制度，开展全面安全检查", "实验室与设备管理处", "保卫处", "2024年7月15日前"],
    ["4", "建成智慧教室20间", "信息化办公室", "教务处", "2024年12月31日前"],
]


def task_table_plan() -> list[Block]:
    """A plan whose attachment is a 任务分解表 (序号/任务/牵头单位/配合单位/完成时限)."""
    return [
        Block("title", "某某大学2024年本科教学质量提升行动方案"),
        Block(
            "para",
            "为全面提升本科教学质量，推进一流本科教育建设，结合学校实际，制定本方案。",
        ),
        Block("para", "一、总体目标"),
        Block("para", "到2025年，建成一批一流本科专业和一流本科课程，本科人才培养质量明显提升。"),
        Block("para", "二、主要任务"),
        Block("para", "各牵头单位要按照任务分解表抓好落实，具体任务分解如下表："),
        Block("table", rows=[list(r) for r in TASK_ROWS], merge_down={(1, 2): 2}),
        Block("para", "三、工作要求"),
        Block("para", "各单位要高度重视，明确责任人，于每季度末向教务处报送工作进展情况。"),
    ]


SHAPES = {"regulation": regulation, "notice": notice, "task_table": task_table_plan}
