"""Correcting a draft document's items in the browser; every correction is in the history."""

from __future__ import annotations

import pytest

from compliance.models import PolicyDocument, Requirement
from compliance.tests.factories import RequirementFactory

from .test_import_preview import HOLIDAY, LAB, _preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(as_user, admin_user):
    """LAB imported as a draft: 一、 and 二、, both tracked."""
    client = as_user(admin_user)
    job, _page = _preview(client, LAB)
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    return client, PolicyDocument.objects.get()


def _rows(doc):
    return [
        (r.label, r.path, r.level, r.parent.label if r.parent else None) for r in doc.requirements.order_by("order")
    ]


def _item(doc, label):
    return doc.requirements.get(label=label)


def test_the_page_lists_the_items_with_edit_and_delete(draft):
    client, doc = draft
    assert f"/documents/{doc.pk}/structure/" in client.get(f"/documents/{doc.pk}/").content.decode()
    page = client.get(f"/documents/{doc.pk}/structure/").content.decode()
    one = _item(doc, "一、")
    assert "压实安全责任" in page and f"?edit={one.pk}" in page
    assert f"/documents/{doc.pk}/structure/{one.pk}/delete/" in page and "添加条款" in page
    edit = client.get(f"/documents/{doc.pk}/structure/?edit={one.pk}").content.decode()
    assert f'action="/documents/{doc.pk}/structure/{one.pk}/"' in edit and "落实实验室安全责任制" in edit


def test_editing_an_item_is_saved_and_kept_in_the_history(draft, admin_user):
    """Label, heading, text and is_requirement change; the history names who and why."""
    client, doc = draft
    one = _item(doc, "一、")
    client.post(
        f"/documents/{doc.pk}/structure/{one.pk}/",
        {"label": "1.", "heading": "责任到人", "text": "各学院落实责任制。", "parent": ""},
    )
    one.refresh_from_db()
    assert (one.label, one.path, one.heading, one.text, one.is_requirement) == (
        "1.",
        ["1"],
        "责任到人",
        "各学院落实责任制。",
        False,
    )
    latest = one.history.first()
    assert latest.history_user == admin_user and latest.history_change_reason == "修改条款"
    assert latest.prev_record.text.startswith("压实安全责任")


def test_changing_the_parent_moves_the_item_under_it(draft):
    """二 under 一 becomes 一 > 二, one level down."""
    client, doc = draft
    one, two = _item(doc, "一、"), _item(doc, "二、")
    data = {"label": "二、", "heading": two.heading, "text": two.text, "is_requirement": "on", "parent": one.pk}
    client.post(f"/documents/{doc.pk}/structure/{two.pk}/", data)
    assert _rows(doc) == [("一、", ["一"], 1, None), ("二、", ["一", "二"], 2, "一、")]
    assert _item(doc, "二、").history.first().history_change_reason == "修改条款"


def test_an_item_cannot_move_under_its_own_child(draft):
    client, doc = draft
    one, two = _item(doc, "一、"), _item(doc, "二、")
    client.post(f"/documents/{doc.pk}/structure/{two.pk}/", {"label": "二、", "text": "x", "parent": one.pk})
    resp = client.post(
        f"/documents/{doc.pk}/structure/{one.pk}/", {"label": "一、", "text": "y", "parent": two.pk}, follow=True
    )
    assert "不能把条款移到它自己或它的下级条款之下" in resp.content.decode()
    assert _item(doc, "一、").parent is None and _item(doc, "一、").text.startswith("压实安全责任")


def test_adding_a_missing_item_under_a_parent(draft, admin_user):
    """The new item is the parent's last child, placed before the next top-level item."""
    client, doc = draft
    one = _item(doc, "一、")
    client.post(
        f"/documents/{doc.pk}/structure/add/",
        {
            "label": "（一）",
            "heading": "建立台账",
            "text": "建立实验室安全台账。",
            "is_requirement": "on",
            "parent": one.pk,
        },
    )
    assert _rows(doc) == [("一、", ["一"], 1, None), ("（一）", ["一", "（一）"], 2, "一、"), ("二、", ["二"], 1, None)]
    added = _item(doc, "（一）")
    assert added.is_requirement and added.history.first().history_change_reason == "添加条款"
    assert added.history.first().history_user == admin_user


def test_deleting_an_item_keeps_its_children(draft):
    """The children of a deleted item move up to its parent; the deletion is in the history."""
    client, doc = draft
    one = _item(doc, "一、")
    client.post(f"/documents/{doc.pk}/structure/add/", {"label": "（一）", "text": "子项。", "parent": one.pk})
    client.post(f"/documents/{doc.pk}/structure/{one.pk}/delete/")
    assert _rows(doc) == [("（一）", ["（一）"], 1, None), ("二、", ["二"], 1, None)]
    deleted = Requirement.history.filter(id=one.pk, history_type="-").get()
    assert deleted.history_change_reason == "删除条款"


def test_a_document_without_items_gets_items_by_hand_and_can_then_be_published(as_user, admin_user, dept_a):
    """The way out of "未解析出条款": add an item, then publishing is no longer refused for lack of items."""
    client = as_user(admin_user)
    job, _page = _preview(client, HOLIDAY)
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    doc = PolicyDocument.objects.get()
    client.post(
        f"/documents/{doc.pk}/structure/add/",
        {"label": "一、", "text": f"{dept_a.name}做好假期值班安排。", "is_requirement": "on", "parent": ""},
    )
    resp = client.post(f"/documents/{doc.pk}/publish/", follow=True)
    assert "没有需跟踪的条款" not in resp.content.decode()
    doc.refresh_from_db()
    assert doc.status == PolicyDocument.Status.PUBLISHED


def test_a_published_document_is_not_corrected(as_user, admin_user):
    """Its items carry tasks: every correction is refused with a message."""
    req = RequirementFactory(text="原文")
    client = as_user(admin_user)
    doc = req.document
    assert "不能再修改" in client.get(f"/documents/{doc.pk}/structure/").content.decode()
    resp = client.post(f"/documents/{doc.pk}/structure/{req.pk}/", {"label": "x", "text": "改"}, follow=True)
    assert "条款结构不能再修改" in resp.content.decode()
    client.post(f"/documents/{doc.pk}/structure/{req.pk}/delete/")
    client.post(f"/documents/{doc.pk}/structure/add/", {"label": "九、", "text": "新"})
    assert list(doc.requirements.values_list("text", flat=True)) == ["原文"]


def test_a_lead_may_not_correct_items(draft, lead_a, as_user):
    _client, doc = draft
    one = _item(doc, "一、")
    client = as_user(lead_a)
    assert client.get(f"/documents/{doc.pk}/structure/").status_code == 403
    assert client.post(f"/documents/{doc.pk}/structure/{one.pk}/", {"label": "x", "text": "改"}).status_code == 403
    assert client.post(f"/documents/{doc.pk}/structure/{one.pk}/delete/").status_code == 403
    assert client.post(f"/documents/{doc.pk}/structure/add/", {"label": "九、", "text": "新"}).status_code == 403
    assert doc.requirements.count() == 2 and _item(doc, "一、").text.startswith("压实安全责任")


def test_splitting_an_item_makes_a_second_item_right_after_it(draft, admin_user):
    """一、's text holds two requirements: split at the second; both tracked, in order, in the history."""
    client, doc = draft
    one = _item(doc, "一、")
    one.text = "各学院要落实实验室安全责任制。2. 保卫处每月检查一次。"
    one.save()
    client.post(f"/documents/{doc.pk}/structure/{one.pk}/split/", {"at": "2. 保卫处"})
    one.refresh_from_db()
    assert one.text == "各学院要落实实验室安全责任制。"
    new = doc.requirements.get(label="2.")
    assert new.text == "保卫处每月检查一次。" and new.is_requirement and new.parent_id == one.parent_id
    assert [r.label for r in doc.requirements.order_by("order")] == ["一、", "2.", "二、"]
    assert new.history.first().history_user == admin_user
    assert one.history.first().history_change_reason == "拆分条款"


def test_a_split_at_text_that_is_not_there_changes_nothing(draft):
    client, doc = draft
    one = _item(doc, "一、")
    before = one.text
    page = client.post(f"/documents/{doc.pk}/structure/{one.pk}/split/", {"at": "没有这段文字"}, follow=True)
    assert "找不到这段文字" in page.content.decode()
    one.refresh_from_db()
    assert one.text == before and doc.requirements.count() == 2


def test_merging_takes_in_the_next_item_and_keeps_everything(draft, admin_user):
    """二、 was a continuation of 一、: merged, its text follows 一、's, it is gone, with history."""
    client, doc = draft
    one, two = _item(doc, "一、"), _item(doc, "二、")
    two_text = two.text
    client.post(f"/documents/{doc.pk}/structure/{one.pk}/merge/")
    one.refresh_from_db()
    assert two_text in one.text and "二、" in one.text
    assert list(doc.requirements.values_list("label", flat=True)) == ["一、"]
    gone = Requirement.history.filter(id=two.pk).first()
    assert gone.history_type == "-" and gone.history_user == admin_user


def test_a_lead_can_neither_split_nor_merge(draft, as_user, lead_a):
    _client, doc = draft
    one = _item(doc, "一、")
    lead = as_user(lead_a)
    assert lead.post(f"/documents/{doc.pk}/structure/{one.pk}/split/", {"at": "保卫处"}).status_code in (403, 404)
    assert lead.post(f"/documents/{doc.pk}/structure/{one.pk}/merge/").status_code in (403, 404)
    assert doc.requirements.count() == 2


def test_an_item_whose_text_starts_with_its_heading_shows_the_heading_once(draft):
    """一、总体要求 / 总体要求\\n以立德树人…: the list shows 总体要求 once, then the rest."""
    client, doc = draft
    one = _item(doc, "一、")
    one.heading, one.text = "总体要求", "总体要求\n以立德树人为根本任务。"
    one.save()
    for url in (f"/documents/{doc.pk}/structure/", f"/documents/{doc.pk}/"):
        page = client.get(url).content.decode()
        listing = page[page.index("以立德树人") - 200 : page.index("以立德树人")]
        assert listing.count("总体要求") == 1, listing
