"""The pages and API of reporting rounds, scores, bulletin and links, as a user meets them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from compliance.models import ProgressReport, ReportRound, RequirementLink
from compliance.tests.api.conftest import assert_error, token_client
from compliance.tests.factories import RequirementFactory
from compliance.tests.views.conftest import pdf

pytestmark = pytest.mark.django_db


def test_a_department_fills_a_draft_then_submits_and_the_page_locks(client, rnd, items, lead_a):
    client.force_login(lead_a)
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    url = f"/reports/items/{report.pk}/"
    page = client.get(url).content.decode()
    assert "保存草稿" in page and "提交（提交后不能修改）" in page
    client.post(url, {"progress_text": "已召开推进会", "percent": "40", "problems": "经费", "action": "save"})
    assert ProgressReport.objects.get(pk=report.pk).status == "draft"
    response = client.post(
        url, {"progress_text": "已完成初稿", "percent": "60", "action": "submit", "files": [pdf()]}, follow=True
    )
    assert "已提交，报送内容已锁定" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.percent, report.evidence.count()) == ("submitted", 60, 1)
    page = client.get(url).content.decode()
    assert "保存草稿" not in page and "已完成初稿" in page


def test_a_bad_percent_keeps_what_was_typed_and_saves_nothing(client, rnd, items, lead_a):
    client.force_login(lead_a)
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    response = client.post(
        f"/reports/items/{report.pk}/", {"progress_text": "进展", "percent": "150", "action": "save"}
    )
    assert "进度应在 0 到 100 之间" in response.content.decode() and "进展" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).progress_text == ""


def test_the_office_sees_who_has_reported_and_exports_the_summary(client, rnd, items, admin_user, lead_a):
    ProgressReport.objects.filter(round=rnd, assignment=items["a1"]).update(
        progress_text="完成", percent=100, status="submitted", submitted_at=dt.datetime(2027, 1, 20, tzinfo=dt.UTC)
    )
    client.force_login(admin_user)
    fragment = client.get(f"/reports/{rnd.pk}/progress/").content.decode()
    assert "教务处" in fragment and "科学技术处" in fragment and "未报齐" in fragment
    response = client.get(f"/reports/{rnd.pk}/export/")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["进展汇总表", "报送情况", "部门得分"]
    rows = list(wb["进展汇总表"].iter_rows(min_row=4, values_only=True))
    assert len(rows) == 3 and {r[4] for r in rows} == {"教务处", "科学技术处"}
    assert wb["进展汇总表"].cell(row=3, column=8).value == "本期进展"
    assert "得分 = 100" in wb["部门得分"].cell(row=2, column=1).value


def test_a_department_exports_only_its_own_rows(client, rnd, items, lead_b):
    client.force_login(lead_b)
    wb = load_workbook(io.BytesIO(b"".join(client.get(f"/reports/{rnd.pk}/export/").streaming_content)))
    assert {r[4] for r in wb["进展汇总表"].iter_rows(min_row=4, values_only=True)} == {"科学技术处"}


def test_the_dashboard_offers_the_bulletin_to_the_office_only(client, admin_user, lead_a):
    client.force_login(admin_user)
    assert "生成督办通报（Word）" in client.get("/dashboard/").content.decode()
    response = client.post("/bulletin/", {"from": "2026-01-01", "to": "2026-12-31", "closing": "请各单位抓紧落实。"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    client.force_login(lead_a)
    assert "生成督办通报" not in client.get("/dashboard/").content.decode()


def test_the_scores_page_shows_the_rule_next_to_the_scores(client, items, lead_a):
    client.force_login(lead_a)
    page = client.get("/scores/?from=2026-01-01&to=2027-12-31").content.decode()
    assert "得分 = 100" in page and "您只能看到本部门的得分" in page and "计算过程" in page


def test_link_proposals_are_decided_side_by_side(client, admin_user, items):
    target = RequirementFactory()
    link = RequirementLink.objects.create(source=items["a1"].requirement, target=target, score=3.2, rank=1)
    client.force_login(admin_user)
    page = client.get("/links/").content.decode()
    assert "确认关联" in page and "否决" in page
    client.post(f"/links/{link.pk}/decide/", {"decision": "accept"})
    link.refresh_from_db()
    assert (link.status, link.decided_by) == ("accepted", admin_user)
    coverage = client.get(f"/links/coverage/{target.document_id}/").content.decode()
    assert "教务处" in coverage
    # The document picker is a plain GET form: choosing another document opens its page.
    other = RequirementFactory().document
    picked = client.get(f"/links/coverage/{target.document_id}/", {"doc": other.pk})
    assert picked.status_code == 302 and picked["Location"] == f"/links/coverage/{other.pk}/"


def test_api_report_is_locked_after_submit_and_a_stranger_gets_404(rnd, items, lead_a, lead_b):
    report = ProgressReport.objects.get(round=rnd, assignment=items["a1"])
    api = token_client(lead_a)
    body = api.patch(
        f"/api/reports/{report.pk}/", {"progress_text": "完成初稿", "percent": 70, "submit": True}, format="json"
    )
    assert body.status_code == 200 and body.json()["status"] == "submitted"
    again = api.patch(f"/api/reports/{report.pk}/", {"progress_text": "改", "percent": 80}, format="json")
    assert_error(again, 400, "rule_violation")
    assert_error(token_client(lead_b).get(f"/api/reports/{report.pk}/"), 404, "not_found")
    detail = token_client(lead_a).get(f"/api/report-rounds/{rnd.pk}/").json()
    assert [(d["name"], d["submitted"]) for d in detail["departments"]] == [("教务处", 1)]


def test_api_opens_a_round_with_bad_dates_refused(admin_user, items):
    api = token_client(admin_user)
    bad = api.post(
        "/api/report-rounds/",
        {
            "title": "x",
            "period": "2027-01",
            "period_start": "2027-01-31",
            "period_end": "2027-01-01",
            "due_date": "2027-01-25",
        },
        format="json",
    )
    assert_error(bad, 400, "rule_violation")
    assert not ReportRound.objects.exists()
