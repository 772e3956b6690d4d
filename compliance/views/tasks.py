"""我的任务: the items the user may read, filtered and sorted, 50 a page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from .. import permissions, rules, selectors
from ..forms import TaskFilterForm
from ..paging import BoundedPaginator

PAGE_SIZE = 50
SORT_ORDER = {
    "due": [F("due_date").asc(nulls_last=True), "id"],
    "-due": [F("due_date").desc(nulls_last=True), "id"],
    "-updated": ["-updated_at", "-id"],
    "status": ["status", F("due_date").asc(nulls_last=True), "id"],
}


def list_title(user) -> str:
    """全部事项 for roles that read every department, 分管部门事项 for a school leader, else 我的任务."""
    if permissions.sees_everything(user):
        return _("全部事项")
    if user.is_school_leader:
        return _("分管部门事项")
    return _("我的任务")


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    departments = selectors.department_list(user=user)
    # The document filter needs each document's id and title only (never its body).
    documents = selectors.document_list(user=user).select_related(None).only("id", "title").order_by("-id")
    form = TaskFilterForm(request.GET or None, documents=documents, departments=departments)
    filters = form.selector_filters() if request.GET else {}
    qs = selectors.assignment_list(user=user, filters=filters)
    sort = form.cleaned_data.get("sort") if form.is_bound and form.is_valid() else ""
    qs = qs.order_by(*SORT_ORDER.get(sort or "due", SORT_ORDER["due"]))
    page = BoundedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = selectors.today()
    rows = [(a, rules.warning_level(a, on=today)) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/task_list.html",
        {
            "form": form,
            "title": list_title(user),
            "linked": form.linked_filters() if request.GET else [],
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "show_department": permissions.sees_everything(user) or departments.count() > 1,
        },
    )


urlpatterns = [path("tasks/", task_list, name="task_list")]
