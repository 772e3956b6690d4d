"""Page URLs. Each page module keeps its own urlpatterns list."""

from django.urls import path

from . import dashboard, directory, documents, exports, home, imports, items, notifications, review, routing, tasks

urlpatterns = [
    path("", home.home, name="home"),
    *tasks.urlpatterns,
    *items.urlpatterns,
    *review.urlpatterns,
    *imports.urlpatterns,
    *documents.urlpatterns,
    *routing.urlpatterns,
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *notifications.urlpatterns,
    *directory.urlpatterns,
]
