"""Page URLs. Each page module keeps its own urlpatterns list."""

from django.urls import path

from . import (
    bulletin,
    corrections,
    dashboard,
    directory,
    documents,
    exports,
    home,
    imports,
    items,
    leadership,
    links,
    notifications,
    reports,
    review,
    routing,
    scores,
    tasks,
)

urlpatterns = [
    path("", home.home, name="home"),
    *tasks.urlpatterns,
    *items.urlpatterns,
    *leadership.urlpatterns,
    *review.urlpatterns,
    *imports.urlpatterns,
    *documents.urlpatterns,
    *corrections.urlpatterns,
    *routing.urlpatterns,
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *notifications.urlpatterns,
    *directory.urlpatterns,
    *reports.urlpatterns,
    *bulletin.urlpatterns,
    *scores.urlpatterns,
    *links.urlpatterns,
]
