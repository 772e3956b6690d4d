"""The import preview: choose the documents of a compilation, force skipped blocks in, 密级."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import ImportJob, PolicyDocument

pytestmark = pytest.mark.django_db

LAB = (
    "东方大学关于加强实验室安全工作的通知\n各学院、各部门：\n为加强实验室安全，现通知如下。\n"
    "一、压实安全责任。各学院要落实实验室安全责任制，2027年6月30日前完成。\n"
    "二、开展隐患排查。保卫处每季度组织一次隐患排查。\n东方大学\n2026年3月1日\n"
)
NEWS = (
    "东方大学召开实验室安全工作会议\n发布时间：2026-03-02 信息来源：东方大学新闻网\n"
    "3月2日，学校召开实验室安全工作会议，全面部署有关工作。\n会议指出，各单位要毫不放松抓实抓细安全工作。\n"
)
TEACHING = (
    "东方大学关于做好本科教学评估工作的通知\n各学院：\n为做好评估工作，现通知如下。\n"
    "一、成立工作专班。教务处牵头成立评估工作专班。\n二、完善教学档案。各学院2027年3月31日前完成教学档案整理。\n"
    "东方大学\n2026年3月5日\n"
)
HOLIDAY = "东方大学关于放假安排的通知\n各单位：\n根据国家规定，现将放假安排通知如下。\n东方大学\n2025年1月2日\n"
SECRET = "机密★1年\n" + LAB.replace("加强实验室安全工作", "实验室安全专项检查")


def _preview(client, text: str) -> tuple[ImportJob, str]:
    resp = client.post("/import/", {"file": SimpleUploadedFile("汇编.txt", text.encode("utf-8"))})
    job = ImportJob.objects.get()
    assert resp.status_code == 302
    return job, client.get(f"/import/{job.pk}/").content.decode()


def _ticked(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)" checked>', page)


def test_each_document_has_a_ticked_checkbox_and_a_collapsible_section(as_user, admin_user):
    """Every parsed document can be chosen (all ticked at first) and is a <details> section, open for few."""
    client = as_user(admin_user)
    _job, page = _preview(client, LAB + "\n" + TEACHING)
    assert _ticked(page, "doc") == ["0", "1"]
    assert page.count('<details class="preview-doc" open>') == 2


def test_a_long_compilation_starts_folded(as_user, admin_user):
    """With more than three documents every section starts closed, so the page stays short."""
    client = as_user(admin_user)
    text = "\n".join([LAB, TEACHING, LAB.replace("实验室安全", "消防安全"), HOLIDAY])
    _job, page = _preview(client, text)
    assert _ticked(page, "doc") == ["0", "1", "2", "3"]
    assert page.count('<details class="preview-doc">') == 4 and 'preview-doc" open' not in page


def test_confirm_imports_only_the_ticked_documents(as_user, admin_user):
    """Unticking a document of a compilation leaves it out of the import."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB + "\n" + TEACHING)
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["1"]})
    assert list(PolicyDocument.objects.values_list("title", flat=True)) == ["东方大学关于做好本科教学评估工作的通知"]
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "导入结果" in page and "本科教学评估" in page and "加强实验室安全工作" not in page


def test_confirm_with_nothing_ticked_is_refused_and_imports_nothing(as_user, admin_user):
    """No document chosen: a clear message, no document, and the preview can still be confirmed."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB + "\n" + TEACHING)
    resp = client.post(f"/import/{job.pk}/confirm/", {}, follow=True)
    assert "没有勾选任何文件，未导入" in resp.content.decode()
    assert not PolicyDocument.objects.exists()
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0", "1"]})
    assert PolicyDocument.objects.count() == 2


def test_a_lead_may_neither_see_nor_confirm_a_preview(as_user, admin_user, lead_a):
    """The preview and its confirmation belong to the office."""
    job, _page = _preview(as_user(admin_user), LAB)
    client = as_user(lead_a)
    assert client.get(f"/import/{job.pk}/").status_code == 403
    assert client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]}).status_code == 403
    assert not PolicyDocument.objects.exists()


def test_skipped_blocks_are_listed_with_reason_and_first_lines(as_user, admin_user):
    """A news block is listed with its Chinese reason, its first lines and an unticked box to import it."""
    client = as_user(admin_user)
    _job, page = _preview(client, LAB + "\n" + NEWS)
    assert "未作为文件导入的内容（1 段）" in page
    assert "东方大学召开实验室安全工作会议" in page and "新闻报道" in page and ">news<" not in page
    assert "3月2日，学校召开实验室安全工作会议" in page
    assert '<input type="checkbox" name="skip" value="0">' in page and "作为政策文件导入" in page


def test_forcing_a_skipped_block_imports_it_as_a_document(as_user, admin_user):
    """Ticking "作为政策文件导入" on the news block makes it a document next to the chosen ones."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB + "\n" + NEWS)
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"], "skip": ["0"]})
    titles = set(PolicyDocument.objects.values_list("title", flat=True))
    assert titles == {"东方大学关于加强实验室安全工作的通知", "东方大学召开实验室安全工作会议"}
    forced = PolicyDocument.objects.get(title="东方大学召开实验室安全工作会议")
    assert "全面部署有关工作" in forced.body
    assert "东方大学召开实验室安全工作会议" in client.get(f"/import/{job.pk}/").content.decode()


def test_a_skipped_block_alone_may_be_imported(as_user, admin_user):
    """Only a forced block and no document ticked still imports the block."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB + "\n" + NEWS)
    client.post(f"/import/{job.pk}/confirm/", {"skip": ["0"]})
    assert list(PolicyDocument.objects.values_list("title", flat=True)) == ["东方大学召开实验室安全工作会议"]


def test_a_classified_document_is_warned_about_and_needs_the_extra_tick(as_user, admin_user):
    """机密: a prominent warning; confirming without "我确认该文件可以录入本系统" is refused."""
    client = as_user(admin_user)
    job, page = _preview(client, SECRET)
    assert 'role="alert"' in page and "涉密文件警告" in page and "密级：机密" in page
    assert 'name="classified_ok"' in page and "我确认该文件可以录入本系统" in page
    resp = client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]}, follow=True)
    assert "标有密级" in resp.content.decode() and "我确认该文件可以录入本系统" in resp.content.decode()
    assert not PolicyDocument.objects.exists()
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"], "classified_ok": "1"})
    assert PolicyDocument.objects.get().title == "东方大学关于实验室安全专项检查的通知"


def test_an_unclassified_choice_needs_no_extra_tick(as_user, admin_user):
    """Leaving the classified document out of a compilation imports the rest without the tick."""
    client = as_user(admin_user)
    job, page = _preview(client, SECRET + "\n" + TEACHING)
    assert "涉密文件警告" in page
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["1"]})
    assert list(PolicyDocument.objects.values_list("title", flat=True)) == ["东方大学关于做好本科教学评估工作的通知"]
    page = client.get("/import/").content.decode()
    assert "涉密文件警告" not in page


def test_a_file_that_no_longer_parses_like_its_preview_is_not_imported(as_user, admin_user):
    """Confirming parses the file again; if its documents differ from the preview, nothing is imported."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB + "\n" + TEACHING)
    job.result = {**job.result, "documents": job.result["documents"][::-1]}
    job.save(update_fields=["result"])
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert "处理失败" in page and "与预览不一致" in page
    assert not PolicyDocument.objects.exists()


def test_a_heading_is_shown_once_beside_its_text(as_user, admin_user):
    """第一章 总则 shows 总则 once (not 总则 总则); （一）明确责任。… shows the heading, then the rest."""
    text = (
        "东方大学实验室安全管理办法\n第一章 总则\n第一条 为加强实验室安全管理，制定本办法。\n"
        "第二章 职责\n第二条 明确责任。各学院负责本单位实验室安全。\n"
    )
    _job, page = _preview(as_user(admin_user), text)
    assert "<b>总则</b>" in page and page.count("总则") == 1
