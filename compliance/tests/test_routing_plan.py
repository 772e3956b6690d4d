"""Routing a provincial plan: external bodies are addressees (never aliases), keyword proposals
prefer none to a wrong one, a document-level default deadline, past deadlines flagged."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance.models import Assignment, Department, ExternalBody, PolicyDocument
from compliance.parsing import parse_file
from compliance.parsing.external import addressee_names, is_external_body
from compliance.parsing.plan_period import plan_end_date
from compliance.parsing.routing_words import keyword_verdict, outside_business, theme_words
from compliance.services import ServiceError
from compliance.services import routing as svc
from compliance.services.documents import policy_import
from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

SEEDS = Path(os.environ.get("DUBAN_SEEDS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "seeds")


@pytest.fixture
def directory(db):
    call_command("loaddata", str(Path(settings.BASE_DIR) / "fixtures" / "departments.json"), verbosity=0)


# --- pure recognisers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["省发展改革委", "工业和信息化厅", "郑州市政府", "教育部", "各高校", "各地", "各市县", "省委网信办",
     "人行河南省分行", "河南金融监管局", "市住房城乡建委", "国家知识产权局", "消防救援总队", "重庆市教委"],
)  # fmt: skip
def test_external_bodies_are_recognised_by_shape(name):
    assert is_external_body(name)


@pytest.mark.parametrize(
    "name", ["现代教育技术中心", "本科生院", "学生工作部（处）", "学术委员会", "人工智能学院", "团委", "宣传部"]
)
def test_university_units_are_not_external(name):
    assert not is_external_body(name)


def test_the_offices_list_adds_names_the_shapes_miss():
    assert not is_external_body("黄河实验室") and is_external_body("黄河实验室", ["黄河实验室"])


def test_the_addressee_line_of_a_notice_is_read():
    body = "关于印发某某行动计划的通知\n豫政办〔2024〕64号\n各省辖市人民政府，济源示范区、航空港区管委会，省人民政府各部门：\n现印发给你们。"
    assert addressee_names(body) == ["各省辖市人民政府", "济源示范区、航空港区管委会", "省人民政府各部门"]
    assert addressee_names("一、总体要求：\n为贯彻落实……") == []


def test_keyword_strength_threshold_and_margin():
    rules = {1: ["课程", "教学"], 2: ["实验室安全", "实验室"], 3: ["数据"]}
    weak = keyword_verdict("推进工作", "加强课程管理。", rules, min_strength=4)
    assert weak.lead is None and weak.matches[0].words == ("课程",)
    strong = keyword_verdict("实验室安全检查", "开展实验室安全专项检查。", rules, min_strength=4)
    assert strong.lead == 2 and strong.matches[0].strength >= 4
    assert theme_words(["数据一", "数据二", "数据三", "数据四", "其他"], rules) == {"数据"}


def test_clauses_outside_a_universitys_business_are_suggested_not_applicable():
    assert outside_business("支持链主企业联合人工智能企业构建工业大模型，促进产业链上下游企业数字融通。")
    assert outside_business("推动更多省内高校和职业院校设置相关专业，依托龙头企业建设培训基地。") == ()


def test_the_plan_period_gives_the_default_deadline():
    assert plan_end_date("河南省推动“人工智能+”行动计划（2024—2026年）") == dt.date(2026, 12, 31)
    assert plan_end_date("2026年工作要点") is None


# --- seed 004: 河南省推动“人工智能+”行动计划 -------------------------------------------------------

# What a university could sensibly lead per clause of the plan; anything else proposed is wrong.
ACCEPTABLE_LEADS = {
    "人工智能+教育": {"教务处"},
    "人工智能+科研": {"科学技术处"},
    "推动大模型创新发展": {"科学技术处", "计算机科学与技术学院"},
    "搭建共性技术平台": {"科学技术处"},
    "加大人才引育力度": {"人事处"},
    "深化宣传交流": {"宣传部"},
    "注重安全发展": {"信息化办公室"},
    "提升算力供给能力": {"信息化办公室"},
}


@pytest.fixture
def henan_plan(directory, admin_user):
    path = SEEDS / "004_c32ae22fe6730107.txt"
    if not path.is_file():
        pytest.skip(f"seed 004 not found in {SEEDS} (set DUBAN_SEEDS_DIR to run this test)")
    parsed = parse_file(path.read_bytes(), path.name)
    report = policy_import(documents=parsed.documents, source_name=path.name, by=admin_user)
    return next(
        o.document
        for o in report.outcomes
        if o.document and "人工智能+" in o.document.title and o.document.requirements.filter(is_requirement=True)
    )


@pytest.mark.seeds
def test_the_henan_ai_plan_gets_no_wrong_lead_and_no_alias_offers(client, henan_plan, admin_user):
    directory = svc.DepartmentDirectory()
    requirements = list(henan_plan.requirements.filter(is_requirement=True))
    assert len(requirements) == 21
    proposals = svc.propose_document(requirements, directory)
    wrong = {
        r.heading: [d.name for d in proposals[r.pk].lead]
        for r in requirements
        if proposals[r.pk].lead and not {d.name for d in proposals[r.pk].lead} <= ACCEPTABLE_LEADS.get(r.heading, set())
    }
    assert wrong == {}
    leads = [d.name for p in proposals.values() for d in p.lead]
    assert max((leads.count(n) for n in set(leads)), default=0) <= len(requirements) // 2
    # Every printed unit is a provincial body: none is offered as an alias, all are addressees.
    assert svc.unmatched_names(document=henan_plan, directory=directory) == []
    addressees = svc.document_addressees(document=henan_plan, directory=directory)
    assert {"省发展改革委", "工业和信息化厅", "郑州市政府", "省教育厅"} <= set(addressees)
    # Industry, agriculture, city management … are suggested 不适用.
    suggested = {r.heading for r in requirements if proposals[r.pk].words and proposals[r.pk].words.not_applicable}
    assert {"人工智能+工业", "人工智能+农业", "人工智能+城市管理", "人工智能+生态保护"} <= suggested
    client.force_login(admin_user)
    page = client.get(reverse("document_assign", args=[henan_plan.pk])).content.decode()
    assert "未能识别的单位名称" not in page and "主送与责任单位（外部机构）" in page
    assert "建议不适用" in page and "强度" in page and 'value="2026-12-31"' in page


# --- the assignment screen ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_name_can_be_kept_as_external_and_is_no_longer_offered(client, directory, admin_user):
    doc = PolicyDocumentFactory(status="draft")
    RequirementFactory(document=doc, lead_units_text=["黄河实验室"], co_units_text=[])
    client.force_login(admin_user)
    assert "黄河实验室" in client.get(reverse("document_assign", args=[doc.pk])).context["unmatched"]
    client.post(reverse("external_names"), {"name": "黄河实验室"})
    assert ExternalBody.objects.filter(name="黄河实验室").exists()
    page = client.get(reverse("document_assign", args=[doc.pk]))
    assert page.context["unmatched"] == [] and page.context["addressees"] == ["黄河实验室"]
    refused = client.post(reverse("external_names"), {"name": "教务处"}, follow=True).content.decode()
    assert "不能列为外部单位" in refused and not ExternalBody.objects.filter(name="教务处").exists()


@pytest.mark.django_db
def test_one_department_is_not_spread_over_most_of_a_document(directory, admin_user):
    doc = PolicyDocumentFactory(status="draft")
    reqs = [
        RequirementFactory(
            document=doc,
            heading=f"第{i}项",
            text=f"完善智慧校园网络安全建设第{i}项。",
            lead_units_text=[],
            co_units_text=[],
        )
        for i in range(5)
    ] + [RequirementFactory(document=doc, heading="其他", text="其他工作。", lead_units_text=[], co_units_text=[])]
    proposals = svc.propose_document(reqs, svc.DepartmentDirectory())
    assert all(not p.lead for p in proposals.values())
    assert any(p.spread or p.words.ignored for p in proposals.values())


@pytest.mark.django_db
def test_the_default_deadline_goes_to_rows_without_one_or_to_all(client, directory, admin_user):
    doc = PolicyDocumentFactory(status="draft", title="某某行动计划（2025—2027年）")
    dated = RequirementFactory(document=doc, deadline_date=dt.date(2027, 3, 31))
    undated = RequirementFactory(document=doc, deadline_date=None, deadline_text="")
    client.force_login(admin_user)
    url = reverse("document_default_deadline", args=[doc.pk])
    client.post(url, {"deadline": "2027-12-31"})
    dated.refresh_from_db()
    undated.refresh_from_db()
    doc.refresh_from_db()
    assert (dated.deadline_date, undated.deadline_date) == (dt.date(2027, 3, 31), dt.date(2027, 12, 31))
    assert doc.default_due_date == dt.date(2027, 12, 31)
    client.post(url, {"deadline": "2027-12-31", "overwrite": "on"})
    dated.refresh_from_db()
    assert dated.deadline_date == dt.date(2027, 12, 31)


@pytest.mark.django_db
def test_a_past_deadline_is_flagged_and_publishing_it_needs_a_confirmation(client, directory, admin_user):
    doc = PolicyDocumentFactory(status="draft")
    past = timezone.localdate() - dt.timedelta(days=400)
    r = RequirementFactory(document=doc, lead_units_text=["教务处"], co_units_text=[], deadline_date=past)
    client.force_login(admin_user)
    page = client.get(reverse("document_assign", args=[doc.pk])).content.decode()
    assert "已过期" in page and "完成时限早于今天" in page and 'name="confirm_past"' in page
    with pytest.raises(ServiceError, match="早于今天"):
        svc.document_publish(document=doc, by=admin_user)
    refused = client.post(reverse("document_publish", args=[doc.pk]), follow=True).content.decode()
    assert "早于今天" in refused and not Assignment.objects.exists()
    assert PolicyDocument.objects.get(pk=doc.pk).status == "draft"
    client.post(reverse("document_publish", args=[doc.pk]), {"confirm_past": "1"})
    assert Assignment.objects.get(requirement=r).department == Department.objects.get(name="教务处")
