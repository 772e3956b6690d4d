"""Department scores (rule, computation, who sees what) and 上下贯通 links (propose, decide, coverage)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from compliance import selectors_links, selectors_scores
from compliance.models import Assignment, ProgressUpdate, RequirementLink, ScoringRule
from compliance.services import PermissionDeniedError, ServiceError
from compliance.services.links import link_create, link_decide, links_propose
from compliance.services.scores import scoring_rule_update
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def figures(dept_a, dept_b):
    """教务处: one completed on time, one overdue, one return. 科学技术处: one completed on time."""
    done = AssignmentFactory(department=dept_a, due_date=dt.date(2026, 3, 1), status="completed")
    done.completed_at = dt.datetime(2026, 2, 20, 10, tzinfo=TZ)
    done.save()
    late = AssignmentFactory(department=dept_a, due_date=dt.date(2026, 4, 1), status="returned")
    ProgressUpdate.objects.create(assignment=late, kind=ProgressUpdate.Kind.RETURN, note="材料不全")
    other = AssignmentFactory(department=dept_b, due_date=dt.date(2026, 3, 1), status="completed")
    other.completed_at = dt.datetime(2026, 2, 25, 10, tzinfo=TZ)
    other.save()


def test_scores_follow_the_rule_and_show_how(figures, admin_user):
    rows = {r.name: r for r in selectors_scores.department_scores(user=admin_user, start=START, end=END)}
    jwc = rows["教务处"]
    # 按期率 = 1 on time ÷ (1 completed + 1 overdue) = 50 %; 100 × 0.5 − 5 × 1 overdue − 2 × 1 return.
    assert jwc.score == Decimal("43.0")
    assert jwc.explanation == "100 × 50.0% − 5 × 1 − 2 × 1 − 2 × 0 − 1 × 0 = 43.0"
    assert rows["科学技术处"].score == Decimal("100.0")
    ranked = selectors_scores.department_scores(user=admin_user, start=START, end=END)
    assert ranked[0].name == "科学技术处"
    rule = scoring_rule_update(
        by=admin_user,
        on_time_weight=Decimal(90),
        overdue_penalty=Decimal(10),
        return_penalty=Decimal(0),
        late_report_penalty=Decimal(3),
        urge_penalty=Decimal(1),
    )
    assert "90.00 × 按期率 − 10.00 × 逾期事项数" in selectors_scores.scoring_rule_text(rule)
    rows = {r.name: r for r in selectors_scores.department_scores(user=admin_user, start=START, end=END)}
    assert rows["教务处"].score == Decimal("35.0")


def test_a_department_sees_its_own_score_and_leaders_see_all(figures, lead_a, school_leader, auditor):
    assert [r.name for r in selectors_scores.department_scores(user=lead_a, start=START, end=END)] == ["教务处"]
    for user in (school_leader, auditor):
        names = {r.name for r in selectors_scores.department_scores(user=user, start=START, end=END)}
        assert names == {"教务处", "科学技术处"}


def test_the_rule_is_the_offices_and_refuses_bad_weights(lead_a, admin_user):
    good = {k: Decimal(1) for k in selectors_scores.WEIGHTS}
    with pytest.raises(PermissionDeniedError):
        scoring_rule_update(by=lead_a, **good)
    with pytest.raises(ServiceError, match="0 到 1000"):
        scoring_rule_update(by=admin_user, **{**good, "overdue_penalty": Decimal(-1)})
    assert not ScoringRule.objects.exists()


@pytest.fixture
def plan_and_upstream(dept_a):
    upstream = PolicyDocumentFactory(title="教育部2026年工作要点")
    up_lab = RequirementFactory(document=upstream, heading="加强高校实验室安全管理", text="开展危险化学品专项治理。")
    up_net = RequirementFactory(document=upstream, heading="提升网络安全防护能力", text="落实网络安全等级保护。")
    RequirementFactory(document=upstream, heading="深化科技评价改革", text="破除唯论文倾向。")
    plan = PolicyDocumentFactory(title="学校2026年工作要点")
    lab = RequirementFactory(
        document=plan, heading="实验室安全隐患排查", text="建立危险化学品台账，开展实验室安全检查。"
    )
    net = RequirementFactory(document=plan, heading="网络安全等级保护测评", text="完成网络安全等级保护测评。")
    AssignmentFactory(requirement=lab, department=dept_a, status=Assignment.Status.IN_PROGRESS)
    return {"upstream": upstream, "plan": plan, "lab": lab, "net": net, "up_lab": up_lab, "up_net": up_net}


def test_proposals_rank_the_similar_upstream_item_first_and_are_not_repeated(plan_and_upstream, admin_user):
    p = plan_and_upstream
    created = links_propose(by=admin_user, document=p["plan"], upstream=p["upstream"], top=1)
    assert created == 2
    best = {link.source_id: link.target_id for link in RequirementLink.objects.filter(rank=1)}
    assert best == {p["lab"].pk: p["up_lab"].pk, p["net"].pk: p["up_net"].pk}
    link = RequirementLink.objects.get(source=p["lab"])
    link_decide(link=link, by=admin_user, accept=False)
    # A rejected pair is not proposed again; nothing new is added.
    assert links_propose(by=admin_user, document=p["plan"], upstream=p["upstream"], top=1) == 0
    assert RequirementLink.objects.get(pk=link.pk).status == RequirementLink.Status.REJECTED


def test_linking_records_who_and_when_and_refuses_bad_links(plan_and_upstream, admin_user, lead_a):
    p = plan_and_upstream
    link = link_create(by=admin_user, source=p["lab"], target=p["up_lab"])
    assert (link.status, link.decided_by) == (RequirementLink.Status.ACCEPTED, admin_user) and link.decided_at
    with pytest.raises(ServiceError, match="其他文件"):
        link_create(by=admin_user, source=p["lab"], target=p["net"])
    with pytest.raises(PermissionDeniedError):
        link_create(by=lead_a, source=p["net"], target=p["up_net"])
    with pytest.raises(ServiceError, match="另一份"):
        links_propose(by=admin_user, document=p["plan"], upstream=p["plan"])


def test_coverage_lists_the_implementing_tasks_their_status_and_the_gaps(plan_and_upstream, admin_user, lead_b):
    p = plan_and_upstream
    link_create(by=admin_user, source=p["lab"], target=p["up_lab"])
    rows = selectors_links.coverage(user=admin_user, upstream=p["upstream"])
    assert [r.covered for r in rows] == [True, False, False]
    assert rows[0].implementing == [p["lab"]]
    assert [(a.department.name, a.status) for a in rows[0].assignments] == [("教务处", "in_progress")]
    # Another department's lead sees the gap structure but none of 教务处's items.
    assert selectors_links.coverage(user=lead_b, upstream=p["upstream"])[0].assignments == []


def test_year_over_year_shows_what_carried_over_and_what_was_dropped(plan_and_upstream, admin_user, lead_a):
    p = plan_and_upstream
    link_create(by=admin_user, source=p["net"], target=p["up_net"])
    result = selectors_links.year_over_year(user=admin_user, current=p["plan"], previous=p["upstream"])
    assert [(r.pk, [t.pk for t in prev]) for r, prev in result.carried] == [(p["net"].pk, [p["up_net"].pk])]
    assert result.new == [p["lab"]]
    assert len(result.dropped) == 2 and p["up_net"] not in result.dropped
    assert selectors_links.year_over_year(user=lead_a, current=p["plan"], previous=p["upstream"]).carried == []
