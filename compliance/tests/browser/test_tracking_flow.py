"""Browser tests: Playwright driving Debian's Chromium against a live server.

A lead uploads evidence and submits, an administrator approves, an auditor sees the result.
Screenshots of the main pages at laptop (1366×768) and phone (390×844) widths go to
screenshots/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from compliance.models import Assignment
from compliance.tests.factories import (
    PASSWORD,
    AssignmentFactory,
    DepartmentFactory,
    MembershipFactory,
    PolicyDocumentFactory,
    RequirementFactory,
    UserFactory,
)

CHROMIUM = "/usr/bin/chromium"
REQUIRED = os.environ.get("DUBAN_REQUIRE_SERVICES") == "1"
SHOTS = Path(settings.BASE_DIR) / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _playwright():
    missing = []
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("playwright for Python (pip install -r requirements-dev.txt)")
        sync_playwright = None
    if missing:
        if REQUIRED:
            pytest.fail("Browser tests must run in CI; missing: " + ", ".join(missing))
        pytest.skip("Browser tests skipped; missing: " + ", ".join(missing))
    return sync_playwright


@pytest.fixture
def browser():
    sync_playwright = _playwright()
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
        # ORM calls made while Playwright's loop runs use their own connection (Django keys
        # connections by context); close it, or PostgreSQL cannot drop the test database.
        connections.close_all()


def _page(browser, live_server, user, viewport=LAPTOP):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _close(page) -> None:
    """Let in-flight requests finish first, so no server thread still holds a database connection."""
    page.wait_for_load_state("networkidle")
    page.context.close()


def _shots(browser, live_server, user, name: str, path: str) -> None:
    """Screenshot one page at laptop and phone widths."""
    for label, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page = _page(browser, live_server, user, viewport)
        page.goto(live_server.url + path)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        _close(page)


@pytest.fixture
def scene(db):
    jwc = DepartmentFactory(name="教务处", short_name="教务处")
    kjc = DepartmentFactory(name="科学技术处", short_name="科技处")
    lead = MembershipFactory(
        user=UserFactory(username="b_lead", display_name="王主任"), department=jwc, role="lead"
    ).user
    admin = UserFactory(username="b_admin", display_name="督查办李老师", role="admin")
    auditor = UserFactory(username="b_auditor", display_name="审计张老师", role="auditor")
    doc = PolicyDocumentFactory(title="示范大学关于落实2026年学校工作要点的实施方案", doc_number="示大发〔2026〕3号")
    top = RequirementFactory(
        document=doc,
        label="二、",
        path=["二"],
        level=1,
        heading="重点任务",
        text="重点任务",
        is_requirement=False,
        order=1,
    )
    req = RequirementFactory(
        document=doc,
        parent=top,
        label="（一）",
        path=["二", "（一）"],
        order=2,
        heading="深化本科教育教学改革",
        text="深化本科教育教学改革。修订本科专业人才培养方案，推进一流本科课程建设，2026年6月30日前完成新版培养方案审定。（牵头单位：教务处；配合单位：科研处）",
        lead_units_text=["教务处"],
        co_units_text=["科研处"],
    )
    item = AssignmentFactory(requirement=req, department=jwc, role="lead")
    AssignmentFactory(requirement=req, department=kjc, role="co", progress=50, progress_note="科研部分已完成一半")
    AssignmentFactory(
        department=jwc,
        requirement=RequirementFactory(document=doc, heading="加强实验室安全管理", order=3),
        due_date=item.due_date,
    )
    return {"lead": lead, "admin": admin, "auditor": auditor, "item": item, "doc": doc}


def test_lead_submits_with_evidence_admin_approves_auditor_sees_it(scene, live_server, browser, tmp_path):
    """The day's main path through three roles, in a real browser."""
    item = scene["item"]
    evidence = tmp_path / "培养方案审定会议纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # A department lead finds the item in 我的任务, records progress, uploads evidence and submits.
    page = _page(browser, live_server, scene["lead"])
    page.click("text=我的任务")
    page.screenshot(path=str(SHOTS / "flow-1-tasks.png"), full_page=True)
    page.click("text=深化本科教育教学改革")
    page.fill("input[name=percent]", "80")
    page.fill("textarea[name=note]", "新版培养方案已提交学院论证")
    page.click("text=保存进展")
    page.wait_for_selector("text=进展已保存")
    page.set_input_files("input[name=files]", str(evidence))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("text=已上传 1 份材料")
    page.fill("#submit textarea[name=note]", "已完成培养方案审定，请审核")
    page.screenshot(path=str(SHOTS / "flow-2-item-before-submit.png"), full_page=True)
    page.click("#submit button[type=submit]")
    page.wait_for_selector("text=已提交督查办审核")
    assert "已提交" in page.inner_text(".meta")
    _close(page)

    # The office approves it from the review queue.
    page = _page(browser, live_server, scene["admin"])
    page.click("text=审核")
    page.wait_for_selector("text=已完成培养方案审定，请审核")
    page.screenshot(path=str(SHOTS / "flow-3-review.png"), full_page=True)
    page.click("form.inline button:has-text('通过')")
    page.wait_for_selector("text=已审核办结")
    _close(page)
    item.refresh_from_db()
    assert item.status == Assignment.Status.COMPLETED

    # An auditor sees the result, the evidence with its checksum and the history, and no buttons.
    page = _page(browser, live_server, scene["auditor"])
    page.goto(f"{live_server.url}/assignments/{item.pk}/")
    assert "已办结" in page.inner_text(".meta") and "只读" in page.inner_text(".meta")
    assert page.locator("form[action*='/progress/']").count() == 0
    page.click("text=佐证材料")
    page.wait_for_selector("text=培养方案审定会议纪要.pdf")
    with page.expect_download() as download:
        page.click("text=培养方案审定会议纪要.pdf")
    assert download.value.suggested_filename == "培养方案审定会议纪要.pdf"
    page.click("nav.tabs >> text=历史")
    page.wait_for_selector("table.history")
    history = page.inner_text("table.history")
    assert "已提交" in history and "已办结" in history and "王主任" in history and "督查办李老师" in history
    page.screenshot(path=str(SHOTS / "flow-4-auditor-history.png"), full_page=True)
    _close(page)


def test_conflict_message_in_the_browser(scene, live_server, browser):
    """Two tabs edit the same item; the second save shows the conflict and keeps the typed note."""
    item = scene["item"]
    first = _page(browser, live_server, scene["lead"])
    second = first.context.new_page()
    for p in (first, second):
        p.goto(f"{live_server.url}/assignments/{item.pk}/")
    first.fill("input[name=percent]", "30")
    first.click("text=保存进展")
    first.wait_for_selector("text=进展已保存")
    second.fill("input[name=percent]", "70")
    second.fill("textarea[name=note]", "第二个窗口的说明")
    second.click("text=保存进展")
    second.wait_for_selector("#form-error")
    assert "编辑冲突" in second.inner_text("#form-error")
    assert second.input_value("textarea[name=note]") == "第二个窗口的说明"
    second.screenshot(path=str(SHOTS / "conflict-laptop.png"), full_page=True)
    _close(first)


def test_screenshots_of_the_main_pages(scene, live_server, browser):
    """Main pages render at laptop and phone widths (look at screenshots/ after a run)."""
    item, doc = scene["item"], scene["doc"]
    _shots(browser, live_server, scene["lead"], "tasks", "/tasks/")
    _shots(browser, live_server, scene["lead"], "item", f"/assignments/{item.pk}/")
    _shots(browser, live_server, scene["lead"], "item-others", f"/assignments/{item.pk}/?tab=others")
    _shots(browser, live_server, scene["admin"], "review", "/review/")
    _shots(browser, live_server, scene["admin"], "document", f"/documents/{doc.pk}/")
    _shots(browser, live_server, scene["admin"], "assign", f"/documents/{doc.pk}/assign/")
    _shots(browser, live_server, scene["admin"], "import", "/import/")
    for name in ("tasks", "item", "review", "assign"):
        assert (SHOTS / f"{name}-phone.png").stat().st_size > 0


def test_import_preview_in_the_browser(scene, live_server, browser, tmp_path):
    """An administrator uploads a policy file, sees the preview and confirms the import."""
    src = Path(settings.BASE_DIR) / "fixtures" / "demo_policy.txt"
    page = _page(browser, live_server, scene["admin"])
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=file]", str(src))
    page.click("text=上传并预览")
    page.wait_for_selector("text=确认导入")
    assert "实验室与设备管理处" in page.content()
    page.screenshot(path=str(SHOTS / "import-preview-laptop.png"), full_page=True)
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=去分配")
    page.click("text=去分配")
    page.wait_for_selector("text=发布任务")
    page.screenshot(path=str(SHOTS / "assign-imported-laptop.png"), full_page=True)
    _close(page)


def test_choosing_documents_of_a_compilation_in_the_browser(scene, live_server, browser, tmp_path):
    """Folded sections open on a click; an unticked document stays out, a forced news block comes in."""
    from compliance.models import PolicyDocument
    from compliance.tests.views.test_import_preview import HOLIDAY, LAB, NEWS, TEACHING

    src = tmp_path / "汇编.txt"
    src.write_text("\n".join([LAB, NEWS, TEACHING, LAB.replace("实验室安全", "消防安全"), HOLIDAY]), encoding="utf-8")
    before = set(PolicyDocument.objects.values_list("title", flat=True))
    page = _page(browser, live_server, scene["admin"])
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=file]", str(src))
    page.click("text=上传并预览")
    page.wait_for_selector("text=确认导入")
    assert not page.is_visible("text=教务处牵头成立评估工作专班")  # four documents: folded
    page.click("summary:has-text('东方大学关于做好本科教学评估工作的通知')")
    assert page.is_visible("text=教务处牵头成立评估工作专班")
    page.uncheck("input[name=doc][value='0']")
    page.check("input[name=skip][value='0']")
    page.screenshot(path=str(SHOTS / "import-compilation-laptop.png"), full_page=True)
    page.locator("button:has-text('确认导入')").first.click()
    page.wait_for_selector("text=导入结果")
    titles = set(PolicyDocument.objects.values_list("title", flat=True)) - before
    assert titles == {
        "东方大学召开实验室安全工作会议",
        "东方大学关于做好本科教学评估工作的通知",
        "东方大学关于加强消防安全工作的通知",
        "东方大学关于放假安排的通知",
    }
    _close(page)
